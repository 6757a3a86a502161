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

from .conftest import (
    EMPTY,
    SEATAC,
    SEATTLE_POINT,
    FakeMeteostat,
    build_stations_db,
    daily_file,
    finish_probe,
    ms_env,
    run_probe,
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
