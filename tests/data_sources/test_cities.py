"""City search: offline, case- and accent-insensitive, biggest first."""

import data_sources as ds


def test_finds_seattle():
    results = ds.search_cities("Seattle")
    assert results[0]["name"] == "Seattle"
    assert results[0]["country"] == "United States"
    assert abs(results[0]["lat"] - 47.6) < 0.1 and abs(results[0]["lon"] + 122.3) < 0.1
    assert set(results[0]) >= {"name", "country", "lat", "lon", "population"}


def test_accents_and_case_do_not_matter():
    results = ds.search_cities("sao paulo")
    assert results[0]["name"] == "São Paulo" and results[0]["country"] == "Brazil"
    assert ds.search_cities("SÃO PAULO")[0]["name"] == "São Paulo"


def test_sorted_by_population_and_limited():
    results = ds.search_cities("san", limit=5)
    assert len(results) == 5
    populations = [r["population"] for r in results]
    assert populations == sorted(populations, reverse=True)


def test_gibberish_and_blank_give_empty_list():
    assert ds.search_cities("qxzvqxzvqq") == []
    assert ds.search_cities("") == []
    assert ds.search_cities(" ") == []
