"""Live daily weather for any point on Earth from Meteostat (meteostat 2.x).

The only module that imports meteostat or touches the network. meteostat is imported lazily, on
the first fetch, so ``import data_sources`` stays fast and works offline.

How a station is chosen — one real station, not an interpolated point:
  1. ``stations.nearby`` lists stations within ``RADIUS_KM`` of the point, nearest first.
  2. The station database's inventory (already on disk, no extra request) says which of them
     report a daily temperature over the requested dates: ``temp``, or ``tmin`` *and* ``tmax``
     (many GHCN-Daily stations report no mean; then temp = (tmin + tmax) / 2, labelled as
     derived). Stations covering at least ``MIN_COVERAGE`` of the span come first, nearest
     first; the rest follow by coverage.
  3. Up to ``MAX_STATIONS_TRIED`` are downloaded in that order; the first whose downloaded
     temperature really covers ``MIN_COVERAGE`` of the days wins (else the best one seen).
     Days a year's daily file leaves without a temperature (in a year it has data for) are
     asked of Meteostat's ``daily_derived`` provider (daily values aggregated from the
     station's hourly observations), and the days it fills are labelled too.
Why not ``meteostat.interpolate``: the app teaches forecasting on real measurements, so every
value should be one a named instrument recorded. Interpolation blends several stations (with a
lapse-rate correction), which smooths extremes, hides which station a value came from and fills
gaps silently — while our pipeline reports and fills gaps visibly.

Bounds (the library reads its yearly CSVs with ``pd.read_csv(url)``, which has no timeout):
  - a urllib request processor gives every request made *by a fetch's worker thread* a
    ``NETWORK_TIMEOUT_S`` timeout on each connect/read; other threads are untouched, and there
    is no process-wide socket timeout and no global lock, so two visitors fetching at once take
    about as long as one. The library's own requests (station database) use
    ``MS_NETWORK_TIMEOUT`` with ``MS_NETWORK_MAX_RETRIES=0``, so offline fails at once.
  - each step runs in a worker thread with a deadline, so no single step can hold the caller
    past its deadline even if a server trickles bytes.
  - one file (a station's year, the station database) is fetched by one thread at a time, as
    the library's file cache is not written atomically; other files are not held up.
  - the first network failure stops the whole fetch (no storm of one failing request per year).
  - spans over ``MAX_YEARS`` (the library's own limit for daily data) are refused with a message.

Caching: the library's file cache (yearly files, station database) lives under
``CACHE_DIRECTORY``; the ``MS_*`` settings are put into the environment once, when this module is
imported (``setdefault``, so values set by the caller or a test win), and read by meteostat when
it is first imported. The UI adds ``st.cache_data`` on top.

Licence: taken from what the library reports for the data fetched (``TimeSeries.providers`` and
each provider's ``License``, as ``TimeSeries.licenses`` / ``.attribution`` / ``.commercial`` do),
per provider, in ``df.attrs["licences"]``; Meteostat itself shares its data under CC BY 4.0
(the meteostat 2.x package notice).
"""

from __future__ import annotations

import logging
import math
import os
import re
import socket
import tempfile
import threading
import urllib.request
from collections.abc import Callable
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
# The meteostat 2.x package notice: "Meteorological data provided by Meteostat ... under the
# terms of the Creative Commons Attribution 4.0 International License". Each provider's own
# licence is reported with the data (see _licences).
METEOSTAT_LICENCE = "CC BY 4.0"
METEOSTAT_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
PARAMETERS = ["temp", "tmin", "tmax", "rhum", "prcp", "wspd", "pres"]
TEMPERATURES = ["temp", "tmin", "tmax"]

# Progress: on_step(label, k, n) before each bounded step; k of n for counted steps, else None.
OnStep = Callable[[str, "int | None", "int | None"], None]

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

_records = threading.local()  # per thread: meteostat's warnings, and "inside a bounded fetch"
_locks_guard = threading.Lock()
_locks: dict[str, threading.Lock] = {}


def _lock_for(key: str) -> threading.Lock:
    """One lock per station-year (or "stations.db"): its cache file is written by one thread,
    and a second visitor asking for the same file then reads it from the cache."""
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


class _TimeoutForFetches(urllib.request.BaseHandler):
    """Gives urllib requests made inside a bounded fetch (pandas' ``read_csv(url)``, which
    passes no timeout) ``NETWORK_TIMEOUT_S`` per connect/read. Requests of other threads, and
    any that chose their own timeout, are left alone."""

    handler_order = 100  # before the handlers that open the connection

    def http_request(self, request):
        if (
            getattr(_records, "bounded", False)
            and request.timeout is socket._GLOBAL_DEFAULT_TIMEOUT
        ):
            request.timeout = NETWORK_TIMEOUT_S
        return request

    https_request = http_request


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
    urllib.request.install_opener(urllib.request.build_opener(_TimeoutForFetches()))
    library_log = logging.getLogger("meteostat")
    library_log.addHandler(_Collect(level=logging.WARNING))
    if library_log.getEffectiveLevel() > logging.WARNING:
        library_log.setLevel(logging.WARNING)  # its warnings are how failures are detected
    library_log.propagate = False  # its per-file tracebacks are summarised in our DataError
    return meteostat


def _bounded(func, deadline_s: float, what: str, lock_key: str | None = None):
    """Run ``func()`` in a worker thread; return (result, meteostat warnings) or raise DataError
    if it is still running after ``deadline_s`` seconds (waiting for ``lock_key``'s lock, held
    by another visitor fetching the same station, counts too)."""
    box: dict = {}

    def work() -> None:
        _records.items = []
        _records.bounded = True  # urllib requests of this thread get NETWORK_TIMEOUT_S
        lock = _lock_for(lock_key) if lock_key else None
        try:
            if lock is not None and not lock.acquire(timeout=deadline_s):
                return
            try:
                box["result"] = func()
            finally:
                if lock is not None:
                    lock.release()
        except BaseException as error:  # handed to the caller's thread below
            box["error"] = error
        box["records"] = _records.items

    worker = threading.Thread(target=work, name=f"meteostat {what}", daemon=True)
    worker.start()
    worker.join(deadline_s)
    if worker.is_alive() or "records" not in box:
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
        found, records = _bounded(
            find, STATIONS_DEADLINE_S, "loading the list of stations", lock_key="stations.db"
        )
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
    """Share of [start, end] (0..1) for which each station's inventory promises a daily
    temperature: its ``temp`` rows, or — when better — the lesser of its ``tmin`` and ``tmax``
    (the mean is then derived). Each row counts its overlap with the span times its
    completeness. Best effort: an inventory that cannot be read simply ranks by distance."""
    try:
        inv, _ = _bounded(
            lambda: ms.stations.inventory(ids),
            NETWORK_TIMEOUT_S,
            "reading the station inventory",
            lock_key="stations.db",
        )
        table = inv.df
    except Exception:  # noqa: BLE001 - ranking is an optimisation, never a failure
        return {}
    if table is None or table.empty:
        return {}
    span = (end - start).days + 1
    share: dict[tuple[str, str], float] = {}
    for row in table.reset_index().itertuples(index=False):
        parameter = str(row.parameter)
        if parameter not in TEMPERATURES:
            continue
        try:
            lo, hi = max(pd.Timestamp(row.start), start), min(pd.Timestamp(row.end), end)
        except (ValueError, TypeError):
            continue
        completeness = getattr(row, "completeness", 1.0)
        weight = 1.0 if pd.isna(completeness) else min(max(float(completeness), 0.0), 1.0)
        key = (str(row.station), parameter)
        share[key] = max(share.get(key, 0.0), max((hi - lo).days + 1, 0) / span * weight)
    coverage = {}
    for station in {station for station, _ in share}:
        mean = share.get((station, "temp"), 0.0)
        min_max = min(share.get((station, "tmin"), 0.0), share.get((station, "tmax"), 0.0))
        coverage[station] = max(mean, min_max)
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


def _as_frame(df: pd.DataFrame | None, columns: list[str]) -> pd.DataFrame:
    """A library frame (time index, maybe with a station level) as float64 columns by day."""
    if df is None or df.empty:
        return pd.DataFrame(columns=columns, dtype="float64")
    if isinstance(df.index, pd.MultiIndex):
        df = df.copy()
        df.index = df.index.get_level_values("time")
    index = pd.DatetimeIndex(df.index)
    if index.tz is not None:
        index = index.tz_localize(None)
    out = pd.DataFrame(index=index.normalize())
    for col in columns:
        if col in df:
            out[col] = pd.to_numeric(df[col], errors="coerce").to_numpy(
                dtype="float64", na_value=np.nan
            )
    return out[~out.index.duplicated(keep="first")]


class _Station:
    """What one station's download produced: the days, which days were derived and how, and
    the library's TimeSeries (they carry the providers, hence the licences)."""

    def __init__(self, data: pd.DataFrame, series: list, from_min_max: int, from_hourly: dict):
        self.data = data
        self.series = series
        self.from_min_max = from_min_max  # days whose temp is (tmin + tmax) / 2
        self.from_hourly = from_hourly  # column -> days filled by the daily_derived provider


def _download(ms, station, lo, hi, what: str, providers=None, parameters=PARAMETERS):
    """One bounded library call for one station and one year; (TimeSeries, frame, records)."""

    def call():
        kwargs = {"parameters": [ms.Parameter(p) for p in parameters]}
        if providers:
            kwargs["providers"] = providers
        ts = ms.daily(station, lo.date(), hi.date(), **kwargs)
        return ts, ts.fetch()

    key = f"{station.id} {lo.year}"  # the library caches one file per station and year
    (ts, df), records = _bounded(call, YEAR_DEADLINE_S, what, lock_key=key)
    return ts, _as_frame(df, parameters), records


def _check_records(records, station, year: int, notes: list, label: str) -> None:
    """Raise DataError on a network failure; note an unreadable file (that year is missing)."""
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
                f"Station {station.id}, {year}: Meteostat's {label} could not be read "
                f"({reason}); those days are missing."
            )


def _fetch_station(
    ms, station, start: pd.Timestamp, end: pd.Timestamp, notes: list, on_step: OnStep
) -> _Station:
    """Daily data of one station, one request per calendar year, each bounded; days without a
    temperature are filled from tmin/tmax, then from the daily_derived provider. The first
    network failure raises DataError (a missing year is just missing)."""
    pieces, series = [], []
    from_min_max, from_hourly = 0, {col: 0 for col in TEMPERATURES}
    years = range(start.year, end.year + 1)
    for k, year in enumerate(years, start=1):
        lo = max(start, pd.Timestamp(year=year, month=1, day=1))
        hi = min(end, pd.Timestamp(year=year, month=12, day=31))
        on_step(
            f"Downloading {station.name} ({station.id}): year {k} of {len(years)}", k, len(years)
        )
        ts, df, records = _download(
            ms, station, lo, hi, f"downloading {year} for station {station.id}"
        )
        _check_records(records, station, year, notes, "daily file")
        if not ts.empty:
            series.append(ts)
        days = pd.date_range(lo, hi, freq="D")
        df = df.reindex(days).reindex(columns=PARAMETERS)
        # A station reporting min and max but no mean: the mean is their midpoint.
        both = df["temp"].isna() & df["tmin"].notna() & df["tmax"].notna()
        df.loc[both, "temp"] = (df.loc[both, "tmin"] + df.loc[both, "tmax"]) / 2.0
        from_min_max += int(both.sum())
        # Gaps in a year the station did report (often the latest days, which the daily files
        # publish later than the hourly ones): ask the aggregate of its hourly observations. A
        # year with no daily data at all is not asked, so empty stations cost one request.
        if df["temp"].isna().any() and df["temp"].notna().any():
            on_step(
                f"Filling gaps of {year} from {station.name}'s hourly observations", k, len(years)
            )
            ts_h, hourly, records = _download(
                ms,
                station,
                lo,
                hi,
                f"aggregating {year}'s hourly observations of station {station.id}",
                providers=[ms.Provider.DAILY_DERIVED],
                parameters=TEMPERATURES,
            )
            _check_records(records, station, year, notes, "hourly file")
            hourly = hourly.reindex(days).reindex(columns=TEMPERATURES)
            for col in TEMPERATURES:
                fill = df[col].isna() & hourly[col].notna()
                df.loc[fill, col] = hourly.loc[fill, col]
                from_hourly[col] += int(fill.sum())
            if not ts_h.empty and any(from_hourly.values()):
                series.append(ts_h)
        pieces.append(df)
    data = pd.concat(pieces) if pieces else pd.DataFrame(columns=PARAMETERS, dtype="float64")
    return _Station(data, series, from_min_max, from_hourly)


def _licences(ms, series: list) -> tuple[list[dict], str, bool | None]:
    """Per provider of the fetched data: what the library says of it (name, licence, url,
    attribution, commercial use). The providers are ``TimeSeries.providers``; their licences are
    those ``TimeSeries.licenses`` reads, kept per provider here. Also the attribution string
    (``TimeSeries.attribution``'s form: Meteostat, then each provider's required credit) and
    whether commercial use is allowed for all of it (None if a provider's terms are unknown)."""
    provider_service = ms.core.providers.provider_service  # where TimeSeries looks them up
    ids = sorted({str(p) for ts in series for p in ts.providers})
    rows = []
    for provider_id in ids:
        spec = provider_service.get_provider(provider_id)
        licence = spec.license if spec is not None else None
        rows.append(
            {
                "provider": provider_id,
                "name": spec.name if spec is not None else provider_id,
                "licence": (licence.name or "") if licence else "",
                "url": (licence.url or "") if licence else "",
                "attribution": (licence.attribution or "") if licence else "",
                "commercial": licence.commercial if licence else None,
            }
        )
    credits = sorted({r["attribution"] for r in rows if r["attribution"]})
    attribution = ", ".join(["Meteostat", *credits])
    known = [r["commercial"] for r in rows]
    commercial = None if (not known or None in known) else all(known)
    return rows, attribution, commercial


def licence_text(licences: list[dict], commercial: bool | None) -> str:
    """The licence paragraph shown with (and exported beside) Meteostat data."""
    parts = [
        f"Meteostat shares its data under {METEOSTAT_LICENCE} ({METEOSTAT_LICENCE_URL}): "
        "credit Meteostat. Each original provider's terms apply as well:"
    ]
    for r in licences:
        terms = r["licence"] or "terms not stated by the library"
        credit = f", credit {r['attribution']}" if r["attribution"] else ""
        use = {
            True: "commercial use allowed",
            False: "no commercial use",
            None: "commercial use unknown",
        }[r["commercial"]]
        parts.append(f"{r['name']} ({r['provider']}): {terms}{credit}; {use}.")
    if not licences:
        parts.append("no provider was reported for these data.")
    verdict = {
        True: "Commercial use: allowed by every provider.",
        False: "Commercial use: not allowed by at least one provider.",
        None: "Commercial use: unknown for at least one provider.",
    }[commercial]
    return " ".join(parts + [verdict])


def _no_progress(label: str, k: int | None, n: int | None) -> None:
    pass


def fetch_meteostat(lat: float, lon: float, start, end, on_step: OnStep | None = None):
    """Daily observations of the weather station best representing (lat, lon) from start to end
    (dates or YYYY-MM-DD), in the common shape. ``on_step(label, k, n)`` is called before each
    step (finding stations, reading the inventory, year k of n). Raises DataError when offline,
    when the server does not answer in time, when no station is near or none has data, and for
    bad ranges."""
    lat, lon, start_day, end_day, notes = validate_request(lat, lon, start, end)
    try:
        return _fetch(lat, lon, start_day, end_day, notes, on_step or _no_progress)
    except DataError:
        raise
    except Exception as error:  # the contract: a person-readable DataError, nothing else
        raise DataError(
            f"Meteostat data could not be loaded ({type(error).__name__}: {error}). Try again, "
            "or pick a bundled sample."
        ) from error


def _derived_notes(got: _Station, n_days: int) -> tuple[dict, dict]:
    """attrs["derived"] (column -> sentence for the data-quality view) and the day counts."""
    derived, counts = {}, {}
    for col in TEMPERATURES:
        sentences = []
        if col == "temp" and got.from_min_max:
            sentences.append(
                f"mean of tmin and tmax on {got.from_min_max} of {n_days} days (the station "
                "reported no daily mean then)"
            )
        if got.from_hourly[col]:
            sentences.append(
                f"{got.from_hourly[col]} days aggregated from hourly observations (Meteostat "
                "daily_derived)"
            )
        if sentences:
            derived[col] = "; ".join(sentences)
            counts[col] = {
                "min_max": got.from_min_max if col == "temp" else 0,
                "hourly": got.from_hourly[col],
            }
    return derived, counts


def _fetch(lat, lon, start_day, end_day, notes: list[str], on_step: OnStep) -> pd.DataFrame:
    ms = _meteostat()
    on_step("Finding weather stations near the place", None, None)
    found = _nearby(ms, lat, lon)
    ids = [str(i) for i in found.index]
    on_step("Reading the stations' inventory", None, None)
    coverage = _inventory_coverage(ms, ids, start_day, end_day)
    order = _rank(ids, [float(d) for d in found["distance"]], coverage)
    days = pd.date_range(start_day, end_day, freq="D")
    span = len(days)
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
        got = _fetch_station(ms, station, start_day, end_day, notes, on_step)
        temp = got.data["temp"].reindex(days)
        share = float(temp.notna().sum()) / span
        observed = temp.dropna()
        info = {
            "id": station.id,
            "name": station.name,
            "country": station.country,
            "latitude": station.latitude,
            "longitude": station.longitude,
            "elevation_m": station.elevation,
            "distance_km": round(float(row["distance"]) / 1000.0, 1),
            "temp_coverage_pct": round(100 * share, 1),
            "last_observed": observed.index[-1].strftime("%Y-%m-%d") if len(observed) else None,
        }
        tried.append(info)
        if best is None or share > best[2]:
            best = (info, got, share)
        if share >= MIN_COVERAGE:
            break
    if best is None or best[2] * span < MIN_DAYS:
        names = ", ".join(f"{t['name']} ({t['distance_km']} km)" for t in tried) or "none"
        raise DataError(
            f"No weather station near ({lat:.3f}, {lon:.3f}) has at least {MIN_DAYS} days of "
            f"temperature between {start_day:%Y-%m-%d} and {end_day:%Y-%m-%d} (tried: {names}). "
            "Try other dates, a bundled sample, or upload a CSV."
        )
    info, got, share = best
    if share < MIN_COVERAGE:
        notes.append(
            f"Best station found covers only {100 * share:.0f}% of the days with temperature."
        )
    if info["last_observed"] and info["last_observed"] < f"{end_day:%Y-%m-%d}":
        notes.append(
            f"The station's last day with a temperature is {info['last_observed']}; the days "
            "after it are missing (recent days may not be published yet)."
        )
    data = got.data.reindex(days)
    data = data[[c for c in COLUMNS if c in data and data[c].notna().any()]]
    derived, derived_days = _derived_notes(got, span)
    licences, attribution, commercial = _licences(ms, got.series)
    attrs = {
        "source": "meteostat",
        "name": f"{info['name']} ({info['country']})" if info["country"] else info["name"],
        "latitude": lat,
        "longitude": lon,
        "target": "temp",
        # ATTRIBUTION names Meteostat; the library's string adds each provider's credit.
        "attribution": ATTRIBUTION
        + attribution.removeprefix("Meteostat")
        + f"; station {info['name']} ({info['id']}).",
        "licence": licence_text(licences, commercial),
        "licences": licences,
        "commercial": commercial,
        "method": (
            "nearest station whose daily temperature covers at least "
            f"{int(MIN_COVERAGE * 100)}% of the requested days (no interpolation)"
        ),
        "station": info,
        "stations": [info],
        "stations_tried": tried,
        "last_observed": info["last_observed"],
        "derived": derived,
        "derived_days": derived_days,
        "start": f"{start_day:%Y-%m-%d}",
        "end": f"{end_day:%Y-%m-%d}",
        "notes": notes,
    }
    return common_frame(data, attrs)
