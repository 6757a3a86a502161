"""Issue 13 through the real app: the fetched station's facts, derived values, licences and the
data download (the real meteostat library against a local server, as in
tests/helpers/meteostat.py), the fetch's steps in an st.status box, and the city search.

meteostat reads its MS_* settings once, at import, so each Meteostat flow runs in a child process
whose environment points it at the local server; the child reports what the page showed.
"""

from __future__ import annotations

import base64
import io
import zipfile

import pandas as pd

import data_sources as ds
from tests.helpers.app import new_app, no_exceptions, texts
from tests.helpers.flow import run_flow
from tests.helpers.meteostat import NEAR, daily_file, ms_env, serve_seattle, serve_station


def fetch(server, tmp_path, start: str, end: str, *more) -> list[dict]:
    """Seattle, the period, Fetch weather (then any further steps): what each step showed
    (tests/helpers/flow.py), after switching to the city source; no step raised."""
    seen = run_flow(ms_env(server.url, tmp_path), [
        ["source", "city"], ["city", "Seattle"], ["period", [start, end]], ["click", "fetch"],
        *more])[1:]
    for step in seen:
        assert step["exceptions"] == [], step
    return seen


def fetch_near(tmp_path, years: list[int], columns: list[str], daily: dict, start: str,
               end: str) -> dict:
    """Serve one station, Near Field (its ``years`` of ``daily`` files), fetch Seattle's period
    from it and return what the page showed after Fetch weather, with "Data quality and source"
    open."""
    server, _ = serve_station(tmp_path, NEAR, years, columns, daily)
    try:
        (*_, fetched) = fetch(server, tmp_path, start, end, ["reveal", ["data_quality", True]])
    finally:
        server.close()
    return fetched


def quality_notes(step: dict) -> dict[str, str]:
    """column -> Note of the data-quality table."""
    (table,) = [t for t in step["tables"] if t and "Note" in t[0]]
    return {row["column"]: row["Note"] for row in table}


def unzip(step: dict) -> tuple[pd.DataFrame, str]:
    """data.csv and LICENCE.txt of the one data download."""
    ((name, encoded),) = step["downloads"].items()
    assert name.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(encoded))) as archive:
        assert sorted(archive.namelist()) == ["LICENCE.txt", "data.csv"]
        data = pd.read_csv(io.BytesIO(archive.read("data.csv")), index_col="date",
                           parse_dates=["date"])
        return data, archive.read("LICENCE.txt").decode()


# ------------------------------------------------------------------------ Meteostat, station


def test_city_min_max_only_station_derived_mean_is_labelled_in_the_quality_table(tmp_path):
    sample = ds.load_sample("seattle-2012-2015")
    daily = {y: daily_file(sample.loc[str(y), ["tmin", "tmax", "prcp"]]) for y in (2013, 2014)}
    fetched = fetch_near(tmp_path, [2013, 2014], ["tmin", "tmax", "prcp"], daily,
                         "2013-01-01", "2014-12-31")
    assert fetched["errors"] == [] and fetched["attrs"]["station"]["id"] == NEAR["id"]
    notes = quality_notes(fetched)
    assert notes["temp"].startswith("mean of tmin and tmax on 730 of 730 days"), notes
    assert notes["tmin"] == notes["tmax"] == ""  # read, not derived
    station = [c for c in fetched["captions"] if c.startswith("Weather station Near Field")]
    assert station and "XNEAR" in station[0] and "km away" in station[0], fetched["captions"]
    assert "daily temperature on 100 % of the days" in station[0]
    assert "last observed day 2014-12-31" in station[0]
    assert any("computed rather than read" in c and "mean of tmin and tmax" in c
               for c in fetched["captions"])
    data, licence = unzip(fetched)
    assert "temp: mean of tmin and tmax on 730 of 730 days" in licence  # said in the export too
    served = sample.loc["2013":"2014", ["tmin", "tmax"]].round(1)
    pd.testing.assert_series_equal(data["temp"], (served["tmin"] + served["tmax"]) / 2,
                                   check_names=False, check_freq=False, check_index_type=False,
                                   atol=1e-3)


def test_city_provider_licence_is_shown_and_exported_with_the_data(tmp_path):
    sample = ds.load_sample("seattle-2012-2015")
    daily = {2013: daily_file(sample.loc["2013"], source="dwd_daily"),
             2014: daily_file(sample.loc["2014"], source="ghcnd")}
    fetched = fetch_near(tmp_path, [2013, 2014], list(sample.columns), daily,
                         "2013-01-01", "2014-12-31")
    assert fetched["errors"] == []
    (line,) = [c for c in fetched["captions"] if c.startswith("Licence:")]
    assert "CC BY 4.0 — credit Meteostat" in line
    assert "DWD Daily (dwd_daily): CC BY 4.0 (commercial use: yes)" in line
    assert "NOAA GHCN-Daily (ghcnd): CC0 1.0 Universal (commercial use: yes)" in line
    assert "Commercial use of these data: yes" in line and "CC BY-NC" not in line
    (providers,) = [t for t in fetched["tables"] if t and "Provider" in t[0]]
    by = {row["Provider"]: row for row in providers}
    assert by["DWD Daily (dwd_daily)"]["Credit"] == "Deutscher Wetterdienst"
    assert by["NOAA GHCN-Daily (ghcnd)"]["Licence"] == "CC0 1.0 Universal"
    assert any("Deutscher Wetterdienst" in c for c in fetched["captions"])  # attribution
    # The download: the data as a plain CSV, its licence beside it.
    data, licence = unzip(fetched)
    assert len(data) == 730 and list(data.columns) == list(sample.columns)
    pd.testing.assert_frame_equal(data, sample.loc["2013":"2014"].round(1), check_freq=False,
                                  check_names=False, check_index_type=False, atol=1e-3)
    assert "Meteostat shares its data under CC BY 4.0" in licence
    assert ("DWD Daily (dwd_daily): CC BY 4.0; credit: Deutscher Wetterdienst; commercial use: "
            "yes") in licence
    assert "NOAA GHCN-Daily (ghcnd): CC0 1.0 Universal" in licence
    assert "Attribution (give this credit when you share the data): Meteorological data: " \
           "Meteostat" in licence
    assert "Weather station: Near Field (XNEAR)" in licence


def test_city_partial_coverage_and_last_observed_day_are_shown(tmp_path):
    sample = ds.load_sample("seattle-2012-2015")
    half = sample.loc["2015-01-01":"2015-06-30"].copy()
    half.index = half.index + pd.DateOffset(years=1)  # served as 2016, the first half only
    fetched = fetch_near(tmp_path, [2016], list(sample.columns), {2016: daily_file(half)},
                         "2016-01-01", "2016-12-31")
    assert fetched["errors"] == []
    (station,) = [c for c in fetched["captions"] if c.startswith("Weather station")]
    assert "daily temperature on 49.5 % of the days" in station  # 181 of 366
    assert "last observed day 2016-06-30" in station
    assert any("covers only 49%" in i for i in fetched["infos"]), fetched["infos"]
    assert any("last day with a temperature is 2016-06-30" in i for i in fetched["infos"])
    # The steps included asking the hourly aggregate for the missing days.
    (status,) = fetched["statuses"]
    assert any("Filling gaps of 2016" in line for line in status["lines"]), status
    assert status["state"] == "complete"


# ------------------------------------------------------------------------ Meteostat, progress


def test_city_fetch_on_a_slow_server_names_its_steps_in_a_status_box(tmp_path):
    server, _ = serve_seattle(tmp_path)
    server.delay_s = 0.3  # every answer waits: the steps take visible time
    try:
        seen = fetch(server, tmp_path, "2013-01-01", "2014-12-31",
                     ["click", "train"],  # a rerun: the box stays, folded, with its steps
                     ["click", "fetch"],  # the same request again: from the cache
                     ["city", "Nairobi"], ["click", "fetch"])  # no station near: error state
    finally:
        server.close()
    fetched, rerun, again, _, failed = seen[2:]
    (status,) = fetched["statuses"]
    assert status["state"] == "complete" and status["label"].endswith("— complete")
    # The nearer station promised data and had none (2 years), then SeaTac's 2 years.
    assert "Downloaded from Meteostat in 6 steps: Seattle / Tacoma Airport, 730 days" in \
        status["label"]
    lines = status["lines"]
    assert lines[0].startswith("- Finding weather stations near the place")
    assert lines[1].startswith("- Reading the stations' inventory")
    assert "Empty Rooftop (XEMPTY): year 1 of 2" in lines[2]
    assert "Seattle / Tacoma Airport (72793): year 1 of 2" in lines[4]
    assert "year 2 of 2" in lines[5] and all(line.endswith("— done") for line in lines)
    # While it ran, the box's label followed the steps, in order, then said it was done.
    assert [label.rstrip("…") for label in fetched["labels"][:6]] == [
        line.removeprefix("- ").removesuffix(" — done") for line in lines]
    assert fetched["labels"][-1] == status["label"]
    assert rerun["statuses"] == fetched["statuses"]  # kept with the data it describes
    (cached,) = again["statuses"]
    assert cached["label"].startswith("Loaded from cache") and cached["state"] == "complete"
    assert again["labels"][-1] == cached["label"]  # no steps reported: nothing was fetched
    (error,) = failed["statuses"]
    assert error["state"] == "error" and error["label"].startswith("Could not fetch the data")
    assert any("no weather station within" in e for e in failed["errors"]), failed["errors"]


# ------------------------------------------------------------------------ city search


def test_city_search_suggests_a_spelling_and_choosing_it_picks_it():
    at = new_app()
    at.sidebar.radio(key="source").set_value("city").run()
    at.sidebar.text_input(key="city_query").input("Chicgo").run()
    no_exceptions(at)
    message = [w for w in texts(at, "warning") if "Did you mean" in w]
    assert message and "**Chicago**" in message[0] and "Chicgo" in message[0], texts(at)
    assert at.button(key="suggestion_0").label == "Chicago, Illinois, United States " \
                                                  "(pop. 2,664,452)"
    assert at.button(key="train").disabled  # nothing chosen yet
    at.button(key="suggestion_0").click().run()
    no_exceptions(at)
    assert at.session_state["city_query"] == "Chicago"
    picked = at.sidebar.selectbox(key="city_pick")
    assert picked.format_func(picked.value).startswith("Chicago, Illinois, United States")
    assert not [w for w in texts(at, "warning") if "Did you mean" in w]


def test_city_search_labels_same_named_places_with_their_state():
    at = new_app()
    at.sidebar.radio(key="source").set_value("city").run()
    at.sidebar.text_input(key="city_query").input("springfield").run()
    no_exceptions(at)
    box = at.sidebar.selectbox(key="city_pick")
    options = list(box.options)  # as listed
    assert len(options) == 10 and len(set(options)) == 10  # no two read the same
    assert options[0] == "Springfield, Missouri, United States (pop. 170,188)"
    assert "Springfield, Illinois, United States (pop. 114,394)" in options
    # Another name: its own best match first, not the previous list's position.
    box.set_value(2).run()
    at.sidebar.text_input(key="city_query").input("Paris").run()
    assert at.sidebar.selectbox(key="city_pick").value == 0


def test_a_shared_city_link_picks_the_same_place():
    at = new_app(source="city", city="springfield", pick="2")
    no_exceptions(at)
    box = at.sidebar.selectbox(key="city_pick")
    assert box.value == 2
    assert box.format_func(2).startswith("Springfield, Illinois, United States")


def test_an_unknown_city_gets_a_clear_message():
    at = new_app()
    at.sidebar.radio(key="source").set_value("city").run()
    at.sidebar.text_input(key="city_query").input("Zzqxvtown").run()
    no_exceptions(at)
    message = [w for w in texts(at, "warning") if "No city matches" in w]
    assert message and "5,000+ people" in message[0] and "Check the spelling" in message[0]
    assert not at.get("selectbox") or all(s.key != "city_pick" for s in at.sidebar.selectbox)
