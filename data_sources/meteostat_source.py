"""Live daily weather for any point on Earth from Meteostat (meteostat 2.x).

The only module that imports meteostat or touches the network. meteostat is imported lazily, on
the first fetch, so ``import data_sources`` stays fast and works offline. ``fetch_meteostat``
checks the request (fetch_request.py), lists the stations near the point and reads their
inventory, downloads the best ones year by year in the order stations.py gives, fills the days a
station left without a temperature (derived.py), and labels the result with the providers'
licences (licences.py), reporting each step (progress.py).

Bounds (the library reads its yearly CSVs with ``pd.read_csv(url)``, which has no timeout):
  - a urllib request processor gives every request made *by a fetch's worker thread* a
    ``NETWORK_TIMEOUT_S`` timeout on each connect/read; other threads are untouched, and there
    is no process-wide socket timeout and no global lock, so two visitors fetching at once take
    about as long as one. The library's own requests (station database) use
    ``MS_NETWORK_TIMEOUT`` with ``MS_NETWORK_MAX_RETRIES=0``, so offline fails at once.
  - each step runs in a worker thread with a deadline, so no single step can hold the caller
    past its deadline even if a server trickles bytes; one file (a station's year, the station
    database) is fetched by one thread at a time (deadlines.py).
  - the first network failure stops the whole fetch (no storm of one failing request per year);
    download_failures.py reads the errors the library logged and swallowed.
  - spans over ``MAX_YEARS`` (the library's own limit for daily data) are refused with a message
    (fetch_request.py).

Caching: the library's file cache (yearly files, station database) lives under
``CACHE_DIRECTORY``; the ``MS_*`` settings are put into the environment once, when this module is
imported (``setdefault``, so values set by the caller or a test win), and read by meteostat when
it is first imported. The UI adds ``st.cache_data`` on top.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
import urllib.request
from functools import lru_cache

import numpy as np
import pandas as pd

from . import derived, licences, progress, stations
from .deadlines import inside_bounded_call, keep, records_of, run_bounded
from .download_failures import NETWORK_ERRORS, network_failure, offline_message, problems
from .errors import DataError
from .fetch_request import validate_request
from .licences import METEOSTAT_LICENCE as METEOSTAT_LICENCE  # app/page.py reads it here
from .progress import OnStep
from .shape import COLUMNS, MIN_DAYS, common_frame

NETWORK_TIMEOUT_S = 10  # longest any single connect or read may block
STATIONS_DEADLINE_S = 90  # the first run downloads the station database (tens of MB)
YEAR_DEADLINE_S = 2 * NETWORK_TIMEOUT_S + 5  # backstop for one year's file of one station
PARAMETERS = list(COLUMNS)  # what is asked of the library: every column of the common shape

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


class _TimeoutForFetches(urllib.request.BaseHandler):
    """Gives urllib requests made inside a bounded fetch (pandas' ``read_csv(url)``, which
    passes no timeout) ``NETWORK_TIMEOUT_S`` per connect/read. Requests of other threads, and
    any that chose their own timeout, are left alone."""

    handler_order = 100  # before the handlers that open the connection

    def http_request(self, request):
        if inside_bounded_call() and request.timeout is socket._GLOBAL_DEFAULT_TIMEOUT:
            request.timeout = NETWORK_TIMEOUT_S
        return request

    https_request = http_request


class _Collect(logging.Handler):
    """Keeps meteostat's warnings for the thread that caused them: the library logs and
    swallows download errors, and these records are how a fetch learns it was offline."""

    def emit(self, record: logging.LogRecord) -> None:
        keep(record)


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


def requests_error() -> type:
    """requests' base exception (requests comes with meteostat; imported only when needed)."""
    try:
        from requests import RequestException
    except ImportError:  # pragma: no cover - requests is a dependency of meteostat
        return OSError
    return RequestException


def _network_errors() -> tuple[type, ...]:
    """What a failed connection raises: the stdlib's errors and requests' (meteostat's client)."""
    return (*NETWORK_ERRORS, requests_error())


def _nearby(ms, lat: float, lon: float) -> pd.DataFrame:
    def find():
        radius_m = stations.RADIUS_KM * 1000
        return ms.stations.nearby(ms.Point(lat, lon), radius=radius_m, limit=stations.NEARBY_LIMIT)

    try:
        found, records = run_bounded(
            find, STATIONS_DEADLINE_S, "loading the list of stations", lock_key="stations.db"
        )
    except DataError:
        raise
    except Exception as error:
        raise DataError(
            offline_message(
                network_failure(records_of(error), _network_errors()) or str(error),
                "loading the list of weather stations",
            ),
            unreachable=True,
        ) from error
    if found is None or found.empty:
        raise DataError(
            f"Meteostat has no weather station within {stations.RADIUS_KM} km of "
            f"({lat:.3f}, {lon:.3f}). Try a larger town nearby, a bundled sample, or upload a CSV."
        )
    return found


def _inventory_coverage(ms, ids: list[str], start: pd.Timestamp, end: pd.Timestamp) -> dict:
    """stations.inventory_coverage of the stations' inventory. Best effort: an inventory that
    cannot be read simply ranks by distance."""
    try:
        inv, _ = run_bounded(
            lambda: ms.stations.inventory(ids),
            NETWORK_TIMEOUT_S,
            "reading the station inventory",
            lock_key="stations.db",
        )
        table = inv.df
    except Exception:  # noqa: BLE001 - ranking is an optimisation, never a failure
        return {}
    return stations.inventory_coverage(table, start, end)


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


def _download(ms, station, lo, hi, what: str, providers=None, parameters=PARAMETERS):
    """One bounded library call for one station and one year; (TimeSeries, frame, records)."""

    def call():
        kwargs = {"parameters": [ms.Parameter(p) for p in parameters]}
        if providers:
            kwargs["providers"] = providers
        ts = ms.daily(station, lo.date(), hi.date(), **kwargs)
        return ts, ts.fetch()

    key = f"{station.id} {lo.year}"  # the library caches one file per station and year
    (ts, df), records = run_bounded(call, YEAR_DEADLINE_S, what, lock_key=key)
    return ts, _as_frame(df, parameters), records


def _check_records(records, station, year: int, notes: list, label: str) -> None:
    """Raise DataError on a network failure; note an unreadable file (that year is missing)."""
    reason = network_failure(records, _network_errors())
    if reason:
        raise DataError(
            offline_message(
                reason, f"downloading {year} of station {station.name} ({station.id})"
            ),
            unreachable=True,
        )
    for kind, reason in problems(records, _network_errors()):
        if kind == "file":
            notes.append(
                f"Station {station.id}, {year}: Meteostat's {label} could not be read "
                f"({reason}); those days are missing."
            )


def _fetch_station(
    ms, station, start: pd.Timestamp, end: pd.Timestamp, notes: list, on_step: OnStep
) -> derived.StationDays:
    """Daily data of one station, one request per calendar year, each bounded; days without a
    temperature are filled from tmin/tmax, then from the daily_derived provider (derived.py).
    The first network failure raises DataError (a missing year is just missing)."""
    pieces, series = [], []
    from_min_max, from_hourly = 0, {col: 0 for col in derived.TEMPERATURES}
    years = range(start.year, end.year + 1)
    for k, year in enumerate(years, start=1):
        lo = max(start, pd.Timestamp(year=year, month=1, day=1))
        hi = min(end, pd.Timestamp(year=year, month=12, day=31))
        on_step(progress.downloading_year(station.name, station.id, k, len(years)), k, len(years))
        ts, df, records = _download(
            ms, station, lo, hi, f"downloading {year} for station {station.id}"
        )
        _check_records(records, station, year, notes, "daily file")
        if not ts.empty:
            series.append(ts)
        days = pd.date_range(lo, hi, freq="D")
        df = df.reindex(days).reindex(columns=PARAMETERS)
        from_min_max += derived.fill_mean_from_min_max(df)
        if derived.needs_hourly(df):
            on_step(progress.filling_gaps(year, station.name), k, len(years))
            ts_h, hourly, records = _download(
                ms,
                station,
                lo,
                hi,
                f"aggregating {year}'s hourly observations of station {station.id}",
                providers=[ms.Provider.DAILY_DERIVED],
                parameters=derived.TEMPERATURES,
            )
            _check_records(records, station, year, notes, "hourly file")
            derived.fill_from_hourly(df, hourly, from_hourly)
            if not ts_h.empty and any(from_hourly.values()):
                series.append(ts_h)
        pieces.append(df)
    data = pd.concat(pieces) if pieces else pd.DataFrame(columns=PARAMETERS, dtype="float64")
    return derived.StationDays(data, series, from_min_max, from_hourly)


def _licences(ms, series: list) -> tuple[list[dict], str, bool | None]:
    """licences.provider_licences of the providers of the fetched data: ``TimeSeries.providers``,
    each looked up where ``TimeSeries.licenses`` looks it up."""
    provider_service = ms.core.providers.provider_service
    ids = sorted({str(p) for ts in series for p in ts.providers})
    return licences.provider_licences([(i, provider_service.get_provider(i)) for i in ids])


def fetch_meteostat(lat: float, lon: float, start, end, on_step: OnStep | None = None):
    """Daily observations of the weather station best representing (lat, lon) from start to end
    (dates or YYYY-MM-DD), in the common shape. ``on_step(label, k, n)`` is called before each
    step (finding stations, reading the inventory, year k of n). Raises DataError when offline,
    when the server does not answer in time, when no station is near or none has data, and for
    bad ranges."""
    lat, lon, start_day, end_day, notes = validate_request(lat, lon, start, end)
    try:
        return _fetch(lat, lon, start_day, end_day, notes, on_step or progress.no_progress)
    except DataError:
        raise
    except Exception as error:  # the contract: a person-readable DataError, nothing else
        raise DataError(
            f"Meteostat data could not be loaded ({type(error).__name__}: {error}). Try again, "
            "or pick a bundled sample."
        ) from error


def _fetch(lat, lon, start_day, end_day, notes: list[str], on_step: OnStep) -> pd.DataFrame:
    ms = _meteostat()
    on_step(progress.FINDING_STATIONS, None, None)
    found = _nearby(ms, lat, lon)
    ids = [str(i) for i in found.index]
    on_step(progress.READING_INVENTORY, None, None)
    coverage = _inventory_coverage(ms, ids, start_day, end_day)
    order = stations.rank(ids, [float(d) for d in found["distance"]], coverage)
    days = pd.date_range(start_day, end_day, freq="D")
    span = len(days)
    best = None
    tried = []
    for i in order[: stations.MAX_STATIONS_TRIED]:
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
        info, share = stations.describe(station, float(row["distance"]), temp)
        tried.append(info)
        if best is None or share > best[2]:
            best = (info, got, share)
        if share >= stations.MIN_COVERAGE:
            break
    if best is None or best[2] * span < MIN_DAYS:
        raise DataError(stations.no_station_message(lat, lon, start_day, end_day, tried))
    info, got, share = best
    notes.extend(stations.coverage_notes(info, share, end_day))
    data = got.data.reindex(days)
    data = data[[c for c in COLUMNS if c in data and data[c].notna().any()]]
    derived_columns, derived_days = derived.derived_notes(got, span)
    provider_rows, attribution, commercial = _licences(ms, got.series)
    attrs = {
        "source": "meteostat",
        "name": f"{info['name']} ({info['country']})" if info["country"] else info["name"],
        "latitude": lat,
        "longitude": lon,
        "target": "temp",
        "attribution": licences.station_attribution(attribution, info),
        "licence": licences.licence_text(provider_rows, commercial),
        "licences": provider_rows,
        "commercial": commercial,
        "method": stations.METHOD,
        "station": info,
        "stations": [info],
        "stations_tried": tried,
        "last_observed": info["last_observed"],
        "derived": derived_columns,
        "derived_days": derived_days,
        "start": f"{start_day:%Y-%m-%d}",
        "end": f"{end_day:%Y-%m-%d}",
        "notes": notes,
    }
    return common_frame(data, attrs)
