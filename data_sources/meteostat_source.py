"""Live daily weather for any point on Earth from Meteostat (meteostat 2.x).

The only module that imports meteostat or touches the network. meteostat is imported lazily, on
the first fetch, so ``import data_sources`` stays fast and works offline.

How a station is chosen — one real station, not an interpolated point:
  1. ``stations.nearby`` lists stations within ``RADIUS_KM`` of the point, nearest first.
  2. The station database's inventory (already on disk, no extra request) says which of them
     report daily ``temp`` over the requested dates. Stations covering at least
     ``MIN_COVERAGE`` of the span come first, nearest first; the rest follow by coverage.
  3. Up to ``MAX_STATIONS_TRIED`` are downloaded in that order; the first whose downloaded
     ``temp`` really covers ``MIN_COVERAGE`` of the days wins (else the best one seen).
Why not ``meteostat.interpolate``: the app teaches forecasting on real measurements, so every
value should be one a named instrument recorded. Interpolation blends several stations (with a
lapse-rate correction), which smooths extremes, hides which station a value came from and fills
gaps silently — while our pipeline reports and fills gaps visibly. It would also need one request
per station per year instead of one per year, multiplying the time the UI may wait.

Bounds (the library reads its yearly CSVs with ``pd.read_csv(url)``, which has no timeout):
  - ``socket.setdefaulttimeout(NETWORK_TIMEOUT_S)`` around every fetch bounds each connect/read;
    the library's own requests use ``MS_NETWORK_TIMEOUT`` with ``MS_NETWORK_MAX_RETRIES=0``, so
    offline fails at once instead of backing off 1 + 2 + 4 s per file.
  - each step runs in a worker thread with a deadline, so no single step can hold the caller
    past its deadline even if a server trickles bytes.
  - the first network failure stops the whole fetch (no storm of one failing request per year).
  - spans over ``MAX_YEARS`` (the library's own limit for daily data) are refused with a message.

Caching: the library's file cache (yearly files, station database) lives under
``CACHE_DIRECTORY``; the ``MS_*`` settings are put into the environment once, when this module is
imported (``setdefault``, so values set by the caller or a test win), and read by meteostat when
it is first imported. The UI adds ``st.cache_data`` on top.

Data: Meteostat, https://meteostat.net — shared under CC BY-NC 4.0 (see LICENCE below).
"""

from __future__ import annotations

import logging
import math
import os
import re
import socket
import tempfile
import threading
from datetime import date, datetime
from functools import lru_cache
from http.client import HTTPException
from urllib.error import HTTPError, URLError

import numpy as np
import pandas as pd

from .errors import DataError
from .shape import COLUMNS, MIN_DAYS, common_frame

NETWORK_TIMEOUT_S = 10  # longest any single connect or read may block
STATIONS_DEADLINE_S = 90  # the first run downloads the station database (tens of MB)
YEAR_DEADLINE_S = 2 * NETWORK_TIMEOUT_S + 5  # backstop for one year's file of one station
RADIUS_KM = 75  # farther than this, a station describes another climate more than this place
NEARBY_LIMIT = 10
MAX_STATIONS_TRIED = 3
MIN_COVERAGE = 0.7  # share of requested days with a temp value that makes a station "enough"
MAX_YEARS = 30  # meteostat blocks daily requests spanning more than 30 years

ATTRIBUTION = "Meteorological data: Meteostat (https://meteostat.net)"
LICENCE = (
    "Meteostat shares its data under Creative Commons Attribution-NonCommercial 4.0 "
    "International (CC BY-NC 4.0, https://creativecommons.org/licenses/by-nc/4.0/): credit "
    "Meteostat, no commercial redistribution. The original providers' terms apply as well "
    "(e.g. NOAA GHCN-Daily CC0, DWD CC BY 4.0)."
)
PARAMETERS = ["temp", "tmin", "tmax", "rhum", "prcp", "wspd", "pres"]

CACHE_DIRECTORY = os.path.join(tempfile.gettempdir(), "rnn-weather-lab", "meteostat")
_SETTINGS = {
    "MS_CACHE_DIRECTORY": os.path.join(CACHE_DIRECTORY, "cache"),
    "MS_STATIONS_DB_FILE": os.path.join(CACHE_DIRECTORY, "stations.db"),
    "MS_NETWORK_TIMEOUT": str(NETWORK_TIMEOUT_S),
    "MS_NETWORK_MAX_RETRIES": "0",
    # Observations only: leave out model/forecast values the bulk files may carry.
    "MS_INCLUDE_MODEL_DATA": "false",
}
for _key, _value in _SETTINGS.items():
    os.environ.setdefault(_key, _value)

_socket_lock = threading.Lock()
_records = threading.local()


class _Collect(logging.Handler):
    """Keeps meteostat's warnings for the thread that caused them: the library logs and
    swallows download errors, and these records are how a fetch learns it was offline."""

    def emit(self, record: logging.LogRecord) -> None:
        bucket = getattr(_records, "items", None)
        if bucket is not None:
            bucket.append(record)


@lru_cache(maxsize=1)
def _meteostat():
    """Import meteostat once, with the MS_* settings above applied."""
    os.makedirs(os.environ["MS_CACHE_DIRECTORY"], exist_ok=True)
    os.makedirs(os.path.dirname(os.environ["MS_STATIONS_DB_FILE"]), exist_ok=True)
    import meteostat

    meteostat.config.load_env()  # in case meteostat was imported before the settings were set
    library_log = logging.getLogger("meteostat")
    library_log.addHandler(_Collect(level=logging.WARNING))
    if library_log.getEffectiveLevel() > logging.WARNING:
        library_log.setLevel(logging.WARNING)  # its warnings are how failures are detected
    library_log.propagate = False  # its per-file tracebacks are summarised in our DataError
    return meteostat


def _bounded(func, deadline_s: float, what: str):
    """Run ``func()`` in a worker thread; return (result, meteostat warnings) or raise DataError
    if it is still running after ``deadline_s`` seconds."""
    box: dict = {}

    def work() -> None:
        _records.items = []
        try:
            box["result"] = func()
        except BaseException as error:  # handed to the caller's thread below
            box["error"] = error
        box["records"] = _records.items

    worker = threading.Thread(target=work, name=f"meteostat {what}", daemon=True)
    with _socket_lock:
        previous = socket.getdefaulttimeout()
        socket.setdefaulttimeout(NETWORK_TIMEOUT_S)  # pd.read_csv(url) → urllib → this timeout
        try:
            worker.start()
            worker.join(deadline_s)
        finally:
            socket.setdefaulttimeout(previous)
    if worker.is_alive():
        raise DataError(
            f"Meteostat did not answer within {deadline_s:.0f} s while {what}. The connection "
            "may be very slow — try again later, or use a bundled sample.",
            unreachable=True,
        )
    if "error" in box:
        error = box["error"]
        try:
            error.meteostat_records = box.get("records", [])
        except AttributeError:
            pass
        raise error
    return box.get("result"), box.get("records", [])


def _problems(records: list[logging.LogRecord]) -> list[tuple[str, str]]:
    """What meteostat's swallowed errors were, as (kind, reason for a person):
    kind "network" (no connection, timeout), "server" (HTTP 5xx) or "file" (unreadable file).
    A 404 is not a problem: that station simply has no file for that year."""
    found = []
    for record in records:
        errors = [record.exc_info[1]] if record.exc_info and record.exc_info[1] else []
        errors += [a for a in (record.args or ()) if isinstance(a, BaseException)]
        text = " ".join(str(e) for e in errors) or record.getMessage()
        lowered = text.lower()
        if any(isinstance(e, HTTPError) and e.code == 404 for e in errors):
            continue
        status = re.search(r"returned status (\d+)", text)
        if status:
            found.append(("server", f"Meteostat's server answered with an error, HTTP {status[1]}"))
        elif "timed out" in lowered or "timeout" in lowered:
            found.append(("network", "the server did not answer in time"))
        elif any(isinstance(e, HTTPError) for e in errors):
            code = next(e.code for e in errors if isinstance(e, HTTPError))
            found.append(("server", f"Meteostat's server answered with an error, HTTP {code}"))
        elif any(isinstance(e, _NETWORK_ERRORS + (requests_error(),)) for e in errors) or (
            "request to" in lowered or "could not fetch" in lowered
        ):
            found.append(("network", "no connection to the server"))
        elif errors:
            found.append(("file", f"{type(errors[0]).__name__}: {str(errors[0])[:120]}"))
    return found


# What a failed connection raises (gzip.BadGzipFile is an OSError too, but means a bad file).
_NETWORK_ERRORS = (URLError, ConnectionError, TimeoutError, socket.gaierror, HTTPException)


def requests_error() -> type:
    """requests' base exception (requests comes with meteostat; imported only when needed)."""
    try:
        from requests import RequestException
    except ImportError:  # pragma: no cover - requests is a dependency of meteostat
        return OSError
    return RequestException


def _network_failure(records: list[logging.LogRecord]) -> str | None:
    """The reason for the first network or server failure meteostat logged, else None."""
    for kind, reason in _problems(records):
        if kind in ("network", "server"):
            return reason
    return None


def _offline_message(reason: str, what: str) -> str:
    if "HTTP" in reason:
        return (
            f"Meteostat could not serve the data while {what} ({reason}). Try again later, or "
            "pick a bundled sample or upload a CSV instead."
        )
    return (
        f"Could not reach Meteostat while {what} ({reason}). You may be offline: pick a bundled "
        "sample or upload a CSV instead."
    )


def _as_day(value, label: str) -> pd.Timestamp:
    if isinstance(value, (date, datetime, pd.Timestamp, str, np.datetime64)):
        try:
            day = pd.Timestamp(value)
        except (ValueError, TypeError):
            day = pd.NaT
        if not pd.isna(day):
            if day.tzinfo is not None:
                day = day.tz_localize(None)
            return day.normalize()
    raise DataError(f"The {label} date {value!r} is not a date; use YYYY-MM-DD.")


def validate_request(
    lat, lon, start, end, today=None
) -> tuple[float, float, pd.Timestamp, pd.Timestamp, list[str]]:
    """Check a request before any network use; return (lat, lon, start, end, notes)."""
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise DataError(f"Latitude and longitude must be numbers (got {lat!r}, {lon!r}).") from None
    if not (math.isfinite(lat) and -90 <= lat <= 90 and math.isfinite(lon) and -180 <= lon <= 180):
        raise DataError(
            f"({lat}, {lon}) is not a place on Earth: latitude −90…90, longitude −180…180."
        )
    start_day, end_day = _as_day(start, "start"), _as_day(end, "end")
    today = pd.Timestamp(today or date.today()).normalize()
    notes = []
    if end_day < start_day:
        raise DataError(
            f"The range is reversed: it starts {start_day:%Y-%m-%d} and ends {end_day:%Y-%m-%d}. "
            "Swap the dates."
        )
    if start_day > today:
        raise DataError(
            f"The range starts in the future ({start_day:%Y-%m-%d}); Meteostat has observations "
            "only up to today."
        )
    if end_day > today:
        notes.append(f"End date {end_day:%Y-%m-%d} is in the future; data end today at the latest.")
        end_day = today
    n_days = (end_day - start_day).days + 1
    if n_days < MIN_DAYS:
        raise DataError(
            f"The range {start_day:%Y-%m-%d} to {end_day:%Y-%m-%d} has {n_days} day(s); at least "
            f"{MIN_DAYS} are needed to train and test a forecast."
        )
    if end_day.year - start_day.year > MAX_YEARS or n_days > MAX_YEARS * 366:
        raise DataError(
            f"That is {n_days / 365.25:.0f} years; Meteostat serves at most {MAX_YEARS} years of "
            f"daily data per request. Choose a shorter range, e.g. from "
            f"{end_day.year - MAX_YEARS + 1}-01-01."
        )
    return lat, lon, start_day, end_day, notes


def _nearby(ms, lat: float, lon: float) -> pd.DataFrame:
    def find():
        return ms.stations.nearby(ms.Point(lat, lon), radius=RADIUS_KM * 1000, limit=NEARBY_LIMIT)

    try:
        found, records = _bounded(find, STATIONS_DEADLINE_S, "loading the list of stations")
    except DataError:
        raise
    except Exception as error:
        raise DataError(
            _offline_message(
                _network_failure(_records_of(error)) or str(error),
                "loading the list of weather stations",
            ),
            unreachable=True,
        ) from error
    if found is None or found.empty:
        raise DataError(
            f"Meteostat has no weather station within {RADIUS_KM} km of ({lat:.3f}, {lon:.3f}). "
            "Try a larger town nearby, a bundled sample, or upload a CSV."
        )
    return found


def _records_of(error: BaseException) -> list:
    return getattr(error, "meteostat_records", [])


def _inventory_coverage(ms, ids: list[str], start: pd.Timestamp, end: pd.Timestamp) -> dict:
    """Share of [start, end] each station's inventory says it reports daily temp for (0..1).
    Best effort: an inventory that cannot be read simply ranks by distance."""
    try:
        inv, _ = _bounded(
            lambda: ms.stations.inventory(ids), NETWORK_TIMEOUT_S, "reading the station inventory"
        )
        table = inv.df
    except Exception:  # noqa: BLE001 - ranking is an optimisation, never a failure
        return {}
    if table is None or table.empty:
        return {}
    span = (end - start).days + 1
    coverage = {}
    rows = table.reset_index()
    rows = rows[rows["parameter"].astype(str) == "temp"]
    for station, group in rows.groupby("station"):
        best = 0.0
        for first, last in zip(group["start"], group["end"], strict=True):
            try:
                lo = max(pd.Timestamp(first), start)
                hi = min(pd.Timestamp(last), end)
            except (ValueError, TypeError):
                continue
            best = max(best, max((hi - lo).days + 1, 0) / span)
        coverage[str(station)] = best
    return coverage


def _rank(ids: list[str], distances: list[float], coverage: dict) -> list[int]:
    """Order to try stations in: those whose inventory covers enough of the span, nearest first;
    then the others by coverage. Without an inventory, simply nearest first."""
    if not coverage:
        return sorted(range(len(ids)), key=lambda i: distances[i])
    enough = [i for i in range(len(ids)) if coverage.get(ids[i], 0.0) >= MIN_COVERAGE]
    partial = [i for i in range(len(ids)) if 0.0 < coverage.get(ids[i], 0.0) < MIN_COVERAGE]
    enough.sort(key=lambda i: distances[i])
    partial.sort(key=lambda i: (-coverage[ids[i]], distances[i]))
    return enough + partial or sorted(range(len(ids)), key=lambda i: distances[i])


def _fetch_station(
    ms, station, start: pd.Timestamp, end: pd.Timestamp, notes: list
) -> pd.DataFrame:
    """Daily data of one station, one request per calendar year, each bounded; the first network
    failure raises DataError (a missing year is just missing)."""
    parameters = [ms.Parameter(p) for p in PARAMETERS]
    pieces = []
    for year in range(start.year, end.year + 1):
        lo = max(start, pd.Timestamp(year=year, month=1, day=1))
        hi = min(end, pd.Timestamp(year=year, month=12, day=31))

        def fetch_year(lo=lo, hi=hi):
            ts = ms.daily(station, lo.date(), hi.date(), parameters=parameters)
            return ts.fetch()

        df, records = _bounded(
            fetch_year, YEAR_DEADLINE_S, f"downloading {year} for station {station.id}"
        )
        reason = _network_failure(records)
        if reason:
            raise DataError(
                _offline_message(
                    reason, f"downloading {year} of station {station.name} ({station.id})"
                ),
                unreachable=True,
            )
        for kind, reason in _problems(records):
            if kind == "file":
                notes.append(
                    f"Station {station.id}, {year}: Meteostat's file could not be read "
                    f"({reason}); that year is missing."
                )
        if df is not None and not df.empty:
            pieces.append(df)
    if not pieces:
        return pd.DataFrame(columns=PARAMETERS, dtype="float64")
    data = pd.concat(pieces)
    if isinstance(data.index, pd.MultiIndex):
        data.index = data.index.get_level_values("time")
    out = pd.DataFrame(index=pd.DatetimeIndex(data.index).normalize())
    for col in PARAMETERS:
        if col in data:
            out[col] = pd.to_numeric(data[col], errors="coerce").to_numpy(
                dtype="float64", na_value=np.nan
            )
    return out


def fetch_meteostat(lat: float, lon: float, start, end) -> pd.DataFrame:
    """Daily observations of the weather station best representing (lat, lon) from start to end
    (dates or YYYY-MM-DD), in the common shape. Raises DataError when offline, when the server
    does not answer in time, when no station is near or none has data, and for bad ranges."""
    lat, lon, start_day, end_day, notes = validate_request(lat, lon, start, end)
    try:
        return _fetch(lat, lon, start_day, end_day, notes)
    except DataError:
        raise
    except Exception as error:  # the contract: a person-readable DataError, nothing else
        raise DataError(
            f"Meteostat data could not be loaded ({type(error).__name__}: {error}). Try again, "
            "or pick a bundled sample."
        ) from error


def _fetch(lat: float, lon: float, start_day, end_day, notes: list[str]) -> pd.DataFrame:
    ms = _meteostat()
    found = _nearby(ms, lat, lon)
    ids = [str(i) for i in found.index]
    coverage = _inventory_coverage(ms, ids, start_day, end_day)
    order = _rank(ids, [float(d) for d in found["distance"]], coverage)
    span = (end_day - start_day).days + 1
    best = None
    tried = []
    for i in order[:MAX_STATIONS_TRIED]:
        row = found.iloc[i]
        station = ms.Station(
            id=ids[i],
            name=str(row.get("name") or ids[i]),
            country=row.get("country"),
            region=row.get("region"),
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            elevation=None if pd.isna(row.get("elevation")) else int(row["elevation"]),
            timezone=row.get("timezone"),
        )
        data = _fetch_station(ms, station, start_day, end_day, notes)
        days = pd.date_range(start_day, end_day, freq="D")
        temp = data["temp"].reindex(days) if "temp" in data else pd.Series(np.nan, index=days)
        share = float(temp.notna().sum()) / span
        info = {
            "id": station.id,
            "name": station.name,
            "country": station.country,
            "latitude": station.latitude,
            "longitude": station.longitude,
            "elevation_m": station.elevation,
            "distance_km": round(float(row["distance"]) / 1000.0, 1),
            "temp_coverage_pct": round(100 * share, 1),
        }
        tried.append(info)
        if best is None or share > best[2]:
            best = (info, data, share)
        if share >= MIN_COVERAGE:
            break
    if best is None or best[2] * span < MIN_DAYS:
        names = ", ".join(f"{t['name']} ({t['distance_km']} km)" for t in tried) or "none"
        raise DataError(
            f"No weather station near ({lat:.3f}, {lon:.3f}) has at least {MIN_DAYS} days of "
            f"temperature between {start_day:%Y-%m-%d} and {end_day:%Y-%m-%d} (tried: {names}). "
            "Try other dates, a bundled sample, or upload a CSV."
        )
    info, data, share = best
    if share < MIN_COVERAGE:
        notes.append(
            f"Best station found covers only {100 * share:.0f}% of the days with temperature."
        )
    data = data[(data.index >= start_day) & (data.index <= end_day)]
    data = data.reindex(pd.date_range(start_day, end_day, freq="D"))
    data = data[[c for c in COLUMNS if c in data and data[c].notna().any()]]
    attrs = {
        "source": "meteostat",
        "name": f"{info['name']} ({info['country']})" if info["country"] else info["name"],
        "latitude": lat,
        "longitude": lon,
        "target": "temp",
        "attribution": f"{ATTRIBUTION}, station {info['name']} ({info['id']}).",
        "licence": LICENCE,
        "method": (
            "nearest station whose daily temperature covers at least "
            f"{int(MIN_COVERAGE * 100)}% of the requested days (no interpolation)"
        ),
        "stations": [info],
        "stations_tried": tried,
        "start": f"{start_day:%Y-%m-%d}",
        "end": f"{end_day:%Y-%m-%d}",
        "notes": notes,
    }
    return common_frame(data, attrs)
