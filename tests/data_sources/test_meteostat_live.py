"""fetch_meteostat with the real meteostat 2.1.5 library against a local fake of its servers.

Each case runs in a fresh process (see conftest.py): meteostat reads its MS_* settings at import.
`pytest -k meteostat` selects these tests.
"""

import io
import json
import time

import numpy as np
import pandas as pd
import pytest

import data_sources as ds
from data_sources import meteostat_source
from tests.helpers.meteostat import (
    EMPTY,
    NEAR,
    SEATAC,
    SEATTLE_POINT,
    FakeMeteostat,
    build_stations_db,
    daily_file,
    finish_probe,
    hourly_file,
    ms_env,
    run_probe,
    serve_seattle,
    serve_station,
    start_probe,
)


def test_meteostat_fetch_returns_station_data_in_common_shape(seattle_server, tmp_path):
    server, sample = seattle_server
    out = run_probe(ms_env(server.url, tmp_path), *SEATTLE_POINT, "2013-01-01", "2014-12-31")
    assert out["ok"], out
    df = pd.read_csv(io.StringIO(out["csv"]), index_col="date", parse_dates=["date"])
    assert out["index_name"] == "date" and out["tz"] == "None"
    assert out["dtypes"] == ["float64"]
    # Every calendar day of the request, nothing more.
    assert df.index[0] == pd.Timestamp("2013-01-01") and df.index[-1] == pd.Timestamp("2014-12-31")
    assert len(df) == 730
    # The values SeaTac's files carried: the Seattle sample rounded to 0.1 like Meteostat's.
    expected = sample.loc["2013-01-01":"2014-12-31"].round(1)
    assert list(df.columns) == list(expected.columns)
    np.testing.assert_allclose(df.to_numpy(), expected.to_numpy(), atol=1e-9)

    attrs = out["attrs"]
    assert attrs["source"] == "meteostat" and attrs["target"] == "temp"
    assert attrs["latitude"] == SEATTLE_POINT[0] and attrs["longitude"] == SEATTLE_POINT[1]
    assert "CC BY 4.0" in attrs["licence"] and "Meteostat" in attrs["attribution"]
    (used,) = attrs["stations"]
    assert used["id"] == SEATAC["id"] and used["name"] == SEATAC["name"]
    assert used["elevation_m"] == SEATAC["elevation"]
    assert 17 < used["distance_km"] < 19
    assert used["temp_coverage_pct"] == 100.0
    # The nearer station promised data in its inventory but had no files: tried, then skipped.
    assert [t["id"] for t in attrs["stations_tried"]] == [EMPTY["id"], SEATAC["id"]]
    json.dumps(attrs)

    # Exactly the files meteostat 2.1.5 asks for: the station db, then one file per station-year.
    assert server.requests[0] == "/stations.db"
    assert "/daily/2013/72793.csv.gz" in server.requests
    assert "/daily/2014/72793.csv.gz" in server.requests
    assert "/daily/2013/XEMPTY.csv.gz" in server.requests


def test_meteostat_offline_gives_data_error_quickly(closed_port, tmp_path):
    env = ms_env(f"http://127.0.0.1:{closed_port}", tmp_path)
    out = run_probe(env, *SEATTLE_POINT, "2013-01-01", "2013-12-31")
    assert not out["ok"]
    assert "Could not reach Meteostat" in out["error"] and "offline" in out["error"]
    assert out["unreachable"] is True  # the app offers the offline samples
    assert out["elapsed"] < 5, "no retries with back-off when offline"


def test_meteostat_silent_server_is_bounded(silent_server, tmp_path, seattle_server):
    """A server that accepts and never answers: the station list, and (separately) a yearly
    file. Both run at once to keep the suite fast; each must fail within ~12 s."""
    hang_db = start_probe(
        ms_env(silent_server, tmp_path / "a"), *SEATTLE_POINT, "2013-01-01", "2013-12-31"
    )
    server, _ = seattle_server
    env = ms_env(server.url, tmp_path / "b")
    env["MS_DAILY_ENDPOINT"] = silent_server + "/daily/{year}/{station}.csv.gz"
    hang_csv = start_probe(env, *SEATTLE_POINT, "2013-01-01", "2013-12-31")
    started = time.monotonic()
    for proc in (hang_db, hang_csv):
        out = finish_probe(proc, timeout=30)
        assert not out["ok"]
        assert "did not answer" in out["error"], out["error"]
        assert out["unreachable"] is True
        assert out["elapsed"] < meteostat_source.NETWORK_TIMEOUT_S + 2
    assert time.monotonic() - started < 2 * (meteostat_source.NETWORK_TIMEOUT_S + 3)


def test_meteostat_no_station_nearby(seattle_server, tmp_path):
    server, _ = seattle_server
    out = run_probe(ms_env(server.url, tmp_path), 0.0, 0.0, "2013-01-01", "2013-12-31")
    assert not out["ok"]
    assert "no weather station within" in out["error"]
    assert out["unreachable"] is False  # the server answered: other input helps, not samples


def test_meteostat_station_without_data_for_the_dates(seattle_server, tmp_path):
    server, _ = seattle_server
    out = run_probe(ms_env(server.url, tmp_path), *SEATTLE_POINT, "2019-01-01", "2019-12-31")
    assert not out["ok"]
    assert "has at least 30 days of temperature" in out["error"]


def probe_2013(tmp_path, daily, stations_db=None) -> dict:
    """Fetch Seattle 2013 from a server with SeaTac and this answer for its 2013 daily file
    (bytes, or an HTTP status); ``stations_db`` replaces the station database likewise."""
    files = {
        "/stations.db": stations_db or build_stations_db(tmp_path / "s.db", [SEATAC], []),
        "/daily/2013/72793.csv.gz": daily,
    }
    server = FakeMeteostat(files)
    try:
        return run_probe(ms_env(server.url, tmp_path), *SEATTLE_POINT, "2013-01-01", "2013-12-31")
    finally:
        server.close()


@pytest.mark.parametrize("where", ["stations.db", "daily"])
def test_meteostat_server_error_is_reported(tmp_path, where):
    out = probe_2013(tmp_path, 500, stations_db=503 if where == "stations.db" else None)
    assert not out["ok"]
    assert "Meteostat could not serve the data" in out["error"]
    assert ("HTTP 503" if where == "stations.db" else "HTTP 500") in out["error"]
    assert out["unreachable"] is True
    assert out["elapsed"] < 5, "no retry back-off on server errors"


def test_meteostat_unreadable_file_is_a_missing_year_not_a_crash(tmp_path):
    out = probe_2013(tmp_path, b"this is not gzip")
    assert not out["ok"]
    assert "has at least 30 days of temperature" in out["error"]


def test_meteostat_daily_file_format_round_trips():
    """The fake files parse the way meteostat's provider parses them (first 3 cols → time)."""
    df = pd.DataFrame({"temp": [1.25, np.nan]}, index=pd.date_range("2013-01-01", periods=2))
    parsed = pd.read_csv(io.BytesIO(daily_file(df)), compression="gzip")
    assert list(parsed.columns) == ["year", "month", "day", "temp", "temp_source"]


# Checked before any network use: run in-process, no server needed.


@pytest.mark.parametrize(
    ("lat", "start", "end", "message"),
    [
        (47.6, "1980-01-01", "2015-12-31", "at most 30 years"),
        (47.6, "2015-01-01", "2014-01-01", "reversed"),
        (47.6, "2999-01-01", "2999-12-31", "future"),
        (47.6, "2015-01-01", "2015-01-01", "at least 30"),
        (123.0, "2014-01-01", "2014-12-31", "not a place on Earth"),
    ],
    ids=["over-30-years", "reversed", "future", "too-short", "impossible-latitude"],
)
def test_meteostat_refuses_requests_it_cannot_serve(lat, start, end, message):
    with pytest.raises(ds.DataError, match=message) as err:
        ds.fetch_meteostat(lat, -122.3, start, end)
    assert not err.value.unreachable  # the person's input, not the network


def test_meteostat_end_in_future_is_clamped_to_today():
    today = pd.Timestamp("2020-06-30")
    *_, end, notes = meteostat_source.validate_request(1, 2, "2020-01-01", "2021-01-01", today)
    assert end == today and "future" in notes[0]


def test_importing_data_sources_does_not_import_meteostat():
    import subprocess
    import sys

    code = "import sys, data_sources; print('meteostat' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=str(__import__("pathlib").Path(ds.__file__).parents[1]),
    )
    assert out.stdout.strip() == "False", out.stderr


# Stations as users meet them: min/max only, other providers, partial coverage, hourly fills,
# a slow server. Each serves the Seattle sample in some form from a nearby fictitious station.

def frame(out) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(out["csv"]), index_col="date", parse_dates=["date"])


def test_meteostat_derived_mean_from_a_min_max_only_station(tmp_path):
    """The nearest station reports tmin and tmax but no mean (like many GHCN-Daily stations):
    it is chosen, temp is (tmin + tmax) / 2, and the data-quality view says so."""
    sample = ds.load_sample("seattle-2012-2015")
    daily = {
        y: daily_file(sample.loc[str(y), ["tmin", "tmax", "prcp"]], source="ghcnd")
        for y in (2013, 2014)
    }
    server, _ = serve_station(tmp_path, NEAR, [2013, 2014], ["tmin", "tmax", "prcp"], daily)
    try:
        out = run_probe(ms_env(server.url, tmp_path), *SEATTLE_POINT, "2013-01-01", "2014-12-31")
    finally:
        server.close()
    assert out["ok"], out
    attrs = out["attrs"]
    assert attrs["station"]["id"] == NEAR["id"]
    assert [t["id"] for t in attrs["stations_tried"]] == [NEAR["id"]]  # no 0 % skip any more
    assert attrs["station"]["temp_coverage_pct"] == 100.0
    df = frame(out)
    served = sample.loc["2013":"2014", ["tmin", "tmax"]].round(1)
    np.testing.assert_allclose(df["temp"], (served["tmin"] + served["tmax"]) / 2, atol=1e-9)
    assert "mean of tmin and tmax on 730 of 730 days" in attrs["derived"]["temp"]
    assert attrs["derived_days"]["temp"] == {"min_max": 730, "hourly": 0}
    notes = {row["column"]: row["note"] for row in out["quality"]}
    assert "mean of tmin and tmax" in notes["temp"] and notes["tmin"] == ""
    # No mean anywhere, so each year also asked the hourly aggregate for nothing: no such call.
    assert not any(r.startswith("/hourly/") for r in server.requests)


def test_meteostat_provider_licence_comes_from_the_library(tmp_path):
    """Two providers in the fetched data (DWD in 2013, NOAA GHCN-Daily in 2014): each is listed
    with the licence, credit and commercial-use flag meteostat 2.1.5 reports for it."""
    sample = ds.load_sample("seattle-2012-2015")
    daily = {
        2013: daily_file(sample.loc["2013"], source="dwd_daily"),
        2014: daily_file(sample.loc["2014"], source="ghcnd"),
    }
    server, _ = serve_station(tmp_path, NEAR, [2013, 2014], list(sample.columns), daily)
    try:
        out = run_probe(ms_env(server.url, tmp_path), *SEATTLE_POINT, "2013-01-01", "2014-12-31")
    finally:
        server.close()
    assert out["ok"], out
    attrs = out["attrs"]
    licences = {row["provider"]: row for row in attrs["licences"]}
    assert set(licences) == {"dwd_daily", "ghcnd"}
    assert licences["dwd_daily"]["name"] == "DWD Daily"
    assert licences["dwd_daily"]["licence"] == "CC BY 4.0"
    assert licences["dwd_daily"]["attribution"] == "Deutscher Wetterdienst"
    assert licences["ghcnd"]["licence"] == "CC0 1.0 Universal"
    assert licences["ghcnd"]["commercial"] is True and attrs["commercial"] is True
    assert "Deutscher Wetterdienst" in attrs["attribution"]
    assert "CC BY 4.0" in attrs["licence"] and "CC BY-NC" not in attrs["licence"]
    assert "NOAA GHCN-Daily (ghcnd): CC0 1.0 Universal" in attrs["licence"]


def test_meteostat_licence_of_an_unknown_provider_is_unknown(tmp_path):
    sample = ds.load_sample("seattle-2012-2015")
    daily = {2013: daily_file(sample.loc["2013"], source="somewhere_else")}
    server, _ = serve_station(tmp_path, NEAR, [2013], list(sample.columns), daily)
    try:
        out = run_probe(ms_env(server.url, tmp_path), *SEATTLE_POINT, "2013-01-01", "2013-12-31")
    finally:
        server.close()
    assert out["ok"], out
    (row,) = out["attrs"]["licences"]
    assert row["provider"] == "somewhere_else" and row["commercial"] is None
    assert out["attrs"]["commercial"] is None
    assert "commercial use unknown" in out["attrs"]["licence"]


def test_meteostat_partial_coverage_and_last_observed_day(tmp_path):
    """A station whose data stop on 30 June: used when nothing better is near (SeaTac has no
    2016), with its coverage, last observed day and a note."""
    sample = ds.load_sample("seattle-2012-2015")
    half = sample.loc["2015-01-01":"2015-06-30"].copy()
    half.index = half.index + pd.DateOffset(years=1)  # served as 2016
    daily = {2016: daily_file(half)}
    server, _ = serve_station(tmp_path, NEAR, [2016], list(sample.columns), daily)
    try:
        out = run_probe(ms_env(server.url, tmp_path), *SEATTLE_POINT, "2016-01-01", "2016-12-31")
    finally:
        server.close()
    assert out["ok"], out
    attrs = out["attrs"]
    assert attrs["station"]["id"] == NEAR["id"]
    assert attrs["station"]["temp_coverage_pct"] == round(100 * len(half) / 366, 1)  # 181 days
    assert attrs["last_observed"] == "2016-06-30" == attrs["station"]["last_observed"]
    assert any("covers only 49%" in n for n in attrs["notes"])
    assert any("last day with a temperature is 2016-06-30" in n for n in attrs["notes"])
    df = frame(out)
    assert len(df) == 366 and df.loc["2016-07-01":, "temp"].isna().all()
    # The hourly aggregate was asked for the missing days (and had nothing).
    assert f"/hourly/2016/{NEAR['id']}.csv.gz" in server.requests


def test_meteostat_derived_daily_provider_fills_gaps_from_hourly(tmp_path):
    """March is missing from the daily file; the station's hourly file has it: those days come
    from Meteostat's daily_derived provider, labelled, with the hourly provider's licence."""
    sample = ds.load_sample("seattle-2012-2015")
    year = sample.loc["2013"]
    daily = {2013: daily_file(year[year.index.month != 3])}
    hours = pd.date_range("2013-01-01", "2014-01-01 23:00", freq="h")
    hourly = {2013: hourly_file(pd.DataFrame({"temp": 10.0}, index=hours[hours.year == 2013]))}
    server, _ = serve_station(tmp_path, NEAR, [2013], list(sample.columns), daily, hourly=hourly)
    try:
        out = run_probe(ms_env(server.url, tmp_path), *SEATTLE_POINT, "2013-01-01", "2013-12-31")
    finally:
        server.close()
    assert out["ok"], out
    df = frame(out)
    assert (df.loc["2013-03-01":"2013-03-31", "temp"] == 10.0).all()
    np.testing.assert_allclose(df.loc["2013-04", "temp"], year.loc["2013-04", "temp"].round(1))
    attrs = out["attrs"]
    assert attrs["station"]["temp_coverage_pct"] == 100.0
    assert attrs["derived_days"]["temp"] == {"min_max": 0, "hourly": 31}
    assert "31 days aggregated from hourly observations" in attrs["derived"]["temp"]
    assert {row["provider"] for row in attrs["licences"]} == {"ghcnd", "isd_lite"}


def test_meteostat_reports_its_steps(seattle_server, tmp_path):
    server, _ = seattle_server
    out = run_probe(ms_env(server.url, tmp_path), *SEATTLE_POINT, "2013-01-01", "2014-12-31")
    assert out["ok"], out
    labels = [label for label, _, _ in out["steps"]]
    assert labels[0].startswith("Finding weather stations")
    assert labels[1].startswith("Reading the stations' inventory")
    counted = [(k, n) for label, k, n in out["steps"] if "year" in label]
    assert (1, 2) in counted and (2, 2) in counted
    assert any("Seattle / Tacoma Airport (72793): year 2 of 2" in label for label in labels)


CONCURRENT = """
import json, socket, sys, threading, time
import data_sources as ds
point = json.loads(sys.argv[1])
ds.fetch_meteostat(*point, "2012-01-01", "2012-12-31")  # station database into the cache
def timed(*spans):
    results = {}
    def one(span):
        results[span] = ds.fetch_meteostat(*point, *span).attrs["station"]["id"]
    threads = [threading.Thread(target=one, args=(span,)) for span in spans]
    t0 = time.monotonic()
    for t in threads: t.start()
    for t in threads: t.join()
    assert len(results) == len(spans), results
    return time.monotonic() - t0
alone = timed(("2013-01-01", "2013-12-31"))
together = timed(("2014-01-01", "2014-12-31"), ("2015-01-01", "2015-12-31"))
print(json.dumps({"alone": alone, "together": together,
                  "default_timeout": socket.getdefaulttimeout()}))
"""


def test_meteostat_two_visitors_fetch_in_parallel_from_a_slow_server(tmp_path):
    """Two fetches at once in one server process (two sessions) against a server that takes
    1.5 s per answer take about as long as one, not twice as long; and no process-wide socket
    timeout is left behind."""
    import subprocess
    import sys

    server, _ = serve_seattle(tmp_path)
    server.delay_s = 1.5
    try:
        proc = subprocess.run(
            [sys.executable, "-c", CONCURRENT, json.dumps(list(SEATTLE_POINT))],
            env=ms_env(server.url, tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ds.__file__.rsplit("/data_sources/", 1)[0],
        )
    finally:
        server.close()
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    print(out)
    assert out["alone"] >= 1.5  # the delay really applied
    assert out["together"] < 1.5 * out["alone"], out  # serialised would be ~2x
    assert out["default_timeout"] is None


def test_meteostat_failed_year_is_fetched_again_not_cached_as_empty(tmp_path):
    """meteostat stores a failed download in its cache as an empty file (and reads an empty file
    as "not cached"): after a server error the next fetch, same cache, gets the data."""
    server, _ = serve_seattle(tmp_path)
    good = server.files["/daily/2013/72793.csv.gz"]
    server.files["/daily/2013/72793.csv.gz"] = 500
    env = ms_env(server.url, tmp_path)
    try:
        failed = run_probe(env, *SEATTLE_POINT, "2013-01-01", "2013-12-31")
        server.files["/daily/2013/72793.csv.gz"] = good
        again = run_probe(env, *SEATTLE_POINT, "2013-01-01", "2013-12-31")
    finally:
        server.close()
    assert not failed["ok"] and "HTTP 500" in failed["error"]
    assert again["ok"], again["error"]
    assert again["attrs"]["station"]["temp_coverage_pct"] == 100.0
