"""A stand-in for Meteostat's servers on 127.0.0.1, built from the bundled samples.

meteostat 2.1.5 requests exactly two kinds of files for daily data (read from its source):
  - the station database, ``config.stations_db_endpoints`` (default
    https://data.meteostat.net/stations.db): a SQLite file with tables ``stations``, ``names``,
    ``identifiers`` and ``inventory``, downloaded with requests into ``MS_STATIONS_DB_FILE``;
  - one file per station and year, ``config.daily_endpoint`` (default
    https://data.meteostat.net/daily/{year}/{station}.csv.gz): gzip CSV whose first three columns
    are year, month, day, then each parameter with a ``<parameter>_source`` column, read with
    ``pd.read_csv(url, compression="gzip")``.
The library reads ``MS_*`` environment variables once, when it is imported, so each live test runs
``fetch_meteostat`` in a fresh Python process with the variables pointing at this server.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd

import data_sources as ds

ROOT = Path(__file__).resolve().parents[2]

# A real station id and position (Seattle-Tacoma airport, Meteostat id 72793) serving the Seattle
# sample, and a nearer fictitious one whose inventory promises data but whose files are missing.
SEATAC = {
    "id": "72793",
    "name": "Seattle / Tacoma Airport",
    "lat": 47.4500,
    "lon": -122.3000,
    "elevation": 131,
}
EMPTY = {"id": "XEMPTY", "name": "Empty Rooftop", "lat": 47.6100, "lon": -122.3300, "elevation": 60}
SEATTLE_POINT = (47.6062, -122.3321)


def build_stations_db(path: Path, stations: list[dict], inventory: list[tuple]) -> bytes:
    """The tables and columns meteostat's Stations queries use (nearby, meta, inventory)."""
    con = sqlite3.connect(path)
    con.executescript(
        """
        CREATE TABLE stations (id TEXT PRIMARY KEY, country TEXT, region TEXT, latitude REAL,
                               longitude REAL, elevation INTEGER, timezone TEXT);
        CREATE TABLE names (station TEXT, language TEXT, name TEXT);
        CREATE TABLE identifiers (station TEXT, key TEXT, value TEXT);
        CREATE TABLE inventory (station TEXT, provider TEXT, parameter TEXT, start TEXT,
                                "end" TEXT, completeness REAL);
        """
    )
    for s in stations:
        con.execute(
            "INSERT INTO stations VALUES (?, 'US', 'WA', ?, ?, ?, 'America/Los_Angeles')",
            (s["id"], s["lat"], s["lon"], s["elevation"]),
        )
        con.execute("INSERT INTO names VALUES (?, 'en', ?)", (s["id"], s["name"]))
        con.execute("INSERT INTO identifiers VALUES (?, 'wmo', ?)", (s["id"], s["id"]))
    con.executemany("INSERT INTO inventory VALUES (?, ?, ?, ?, ?, ?)", inventory)
    con.commit()
    con.close()
    return path.read_bytes()


def daily_file(df: pd.DataFrame, source: str = "ghcnd") -> bytes:
    """One Meteostat daily bulk file: year,month,day, then <col>,<col>_source for each column."""
    out = pd.DataFrame({"year": df.index.year, "month": df.index.month, "day": df.index.day})
    return _gzip_csv(out, df, source)


def hourly_file(df: pd.DataFrame, source: str = "isd_lite") -> bytes:
    """One Meteostat hourly bulk file: year,month,day,hour, then <col>,<col>_source."""
    out = pd.DataFrame(
        {"year": df.index.year, "month": df.index.month, "day": df.index.day, "hour": df.index.hour}
    )
    return _gzip_csv(out, df, source)


def _gzip_csv(out: pd.DataFrame, df: pd.DataFrame, source: str) -> bytes:
    for col in df.columns:
        out[col] = df[col].round(1).to_numpy()
        out[f"{col}_source"] = [source if pd.notna(v) else None for v in df[col]]
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as gz:
        gz.write(out.to_csv(index=False).encode())
    return buffer.getvalue()


class FakeMeteostat:
    """HTTP server in a thread; ``files`` maps URL paths to bytes (or an HTTP error status);
    everything else is 404."""

    def __init__(self, files: dict[str, bytes], delay_s: float = 0.0):
        self.files = files
        self.requests: list[str] = []
        self.delay_s = delay_s  # a slow server: every answer waits this long
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                server.requests.append(self.path)
                if server.delay_s:
                    time.sleep(server.delay_s)
                body = server.files.get(self.path)
                if body is None or isinstance(body, int):
                    self.send_error(body or 404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def ms_env(base_url: str, tmp_path: Path) -> dict:
    """MS_* settings pointing meteostat at ``base_url``, with a fresh cache."""
    env = dict(os.environ)
    env.update(
        {
            "MS_STATIONS_DB_ENDPOINTS": json.dumps([f"{base_url}/stations.db"]),
            "MS_STATIONS_DB_FILE": str(tmp_path / "stations.db"),
            "MS_CACHE_DIRECTORY": str(tmp_path / "cache"),
            "MS_DAILY_ENDPOINT": base_url + "/daily/{year}/{station}.csv.gz",
            "MS_HOURLY_ENDPOINT": base_url + "/hourly/{year}/{station}.csv.gz",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


PROBE = """
import json, sys, time
import data_sources as ds
from forecast.quality import data_quality
args = json.loads(sys.argv[1])
t0 = time.monotonic()
steps = []
try:
    df = ds.fetch_meteostat(*args, on_step=lambda *step: steps.append(step))
    out = {"ok": True, "attrs": df.attrs, "csv": df.to_csv(), "index_name": df.index.name,
           "dtypes": sorted({str(d) for d in df.dtypes}), "tz": str(df.index.tz),
           "quality": data_quality(df).reset_index().to_dict("records")}
except ds.DataError as error:
    out = {"ok": False, "error": str(error), "unreachable": error.unreachable}
out["elapsed"] = time.monotonic() - t0
out["steps"] = steps
print(json.dumps(out))
"""


def start_probe(env: dict, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", PROBE, json.dumps(list(args))],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish_probe(proc: subprocess.Popen, timeout: float = 40) -> dict:
    stdout, stderr = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, f"probe crashed:\n{stderr}"
    return json.loads(stdout.strip().splitlines()[-1])


def run_probe(env: dict, *args) -> dict:
    return finish_probe(start_probe(env, *args))


def serve_seattle(tmp_path: Path) -> tuple[FakeMeteostat, pd.DataFrame]:
    """Serves the station database and SeaTac's 2012–2015 yearly files (the Seattle sample)."""
    sample = ds.load_sample("seattle-2012-2015")
    inventory = [
        (SEATAC["id"], "daily", p, "2012-01-01", "2015-12-31", 1.0) for p in sample.columns
    ] + [(EMPTY["id"], "daily", "temp", "2000-01-01", "2020-12-31", 1.0)]
    files = {"/stations.db": build_stations_db(tmp_path / "served.db", [SEATAC, EMPTY], inventory)}
    for year in range(2012, 2016):
        part = sample[sample.index.year == year]
        files[f"/daily/{year}/{SEATAC['id']}.csv.gz"] = daily_file(part)
    return FakeMeteostat(files), sample


# Stations as users meet them: min/max only, other providers, partial coverage, hourly fills,
# a slow server. Each serves the Seattle sample in some form from a nearby fictitious station.

NEAR = {"id": "XNEAR", "name": "Near Field", "lat": 47.6200, "lon": -122.3500, "elevation": 40}


def serve_station(tmp_path, station, years, inventory_params, daily, hourly=None, delay_s=0.0):
    """A server with SeaTac (full data) and ``station`` (nearer): ``daily[year]`` and
    ``hourly[year]`` are that station's file bytes; its inventory promises ``inventory_params``
    over ``years``."""
    sample = ds.load_sample("seattle-2012-2015")
    inventory = [
        (SEATAC["id"], "daily", p, "2012-01-01", "2015-12-31", 1.0) for p in sample.columns
    ] + [
        (station["id"], "daily", p, f"{years[0]}-01-01", f"{years[-1]}-12-31", 1.0)
        for p in inventory_params
    ]
    files = {"/stations.db": build_stations_db(tmp_path / "s.db", [SEATAC, station], inventory)}
    for year in range(2012, 2016):
        files[f"/daily/{year}/{SEATAC['id']}.csv.gz"] = daily_file(
            sample[sample.index.year == year]
        )
    for year, body in daily.items():
        files[f"/daily/{year}/{station['id']}.csv.gz"] = body
    for year, body in (hourly or {}).items():
        files[f"/hourly/{year}/{station['id']}.csv.gz"] = body
    return FakeMeteostat(files, delay_s=delay_s), sample
