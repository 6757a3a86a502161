"""Which weather station stands for a place: the order to try them in, and what one delivered.

Plain data in, plain data out (no meteostat, no network): data_sources/meteostat_source.py lists
the stations near the point, reads their inventory and downloads them in the order given here.

How a station is chosen — one real station, not an interpolated point:
  1. meteostat's ``stations.nearby`` lists stations within ``RADIUS_KM`` of the point,
     nearest first.
  2. The station database's inventory (already on disk, no extra request) says which of them
     report a daily temperature over the requested dates: ``temp``, or ``tmin`` *and* ``tmax``
     (many GHCN-Daily stations report no mean; then temp = (tmin + tmax) / 2, labelled as
     derived, see data_sources/derived.py). Stations covering at least ``MIN_COVERAGE`` of the
     span come first, nearest first; the rest follow by coverage (``inventory_coverage``,
     ``rank``).
  3. Up to ``MAX_STATIONS_TRIED`` are downloaded in that order; the first whose downloaded
     temperature really covers ``MIN_COVERAGE`` of the days wins (else the best one seen).
Why not ``meteostat.interpolate``: the app teaches forecasting on real measurements, so every
value should be one a named instrument recorded. Interpolation blends several stations (with a
lapse-rate correction), which smooths extremes, hides which station a value came from and fills
gaps silently — while our pipeline reports and fills gaps visibly.
"""

from __future__ import annotations

import pandas as pd

from .derived import TEMPERATURES
from .shape import MIN_DAYS

RADIUS_KM = 75  # farther than this, a station describes another climate more than this place
NEARBY_LIMIT = 10
MAX_STATIONS_TRIED = 3
MIN_COVERAGE = 0.7  # share of requested days with a temp value that makes a station "enough"

# df.attrs["method"]: how the station was chosen, in one sentence.
METHOD = (
    "nearest station whose daily temperature covers at least "
    f"{int(MIN_COVERAGE * 100)}% of the requested days (no interpolation)"
)


def inventory_coverage(table: pd.DataFrame | None, start: pd.Timestamp, end: pd.Timestamp) -> dict:
    """Share of [start, end] (0..1) for which each station's inventory promises a daily
    temperature: its ``temp`` rows, or — when better — the lesser of its ``tmin`` and ``tmax``
    (the mean is then derived). Each row counts its overlap with the span times its
    completeness. ``table``: the library's inventory (station, parameter, start, end,
    completeness); none or empty gives {} (then ``rank`` orders by distance)."""
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


def rank(ids: list[str], distances: list[float], coverage: dict) -> list[int]:
    """Order to try stations in: those whose inventory covers enough of the span, nearest first;
    then the others by coverage. Without an inventory, simply nearest first."""
    if not coverage:
        return sorted(range(len(ids)), key=lambda i: distances[i])
    enough = [i for i in range(len(ids)) if coverage.get(ids[i], 0.0) >= MIN_COVERAGE]
    partial = [i for i in range(len(ids)) if 0.0 < coverage.get(ids[i], 0.0) < MIN_COVERAGE]
    enough.sort(key=lambda i: distances[i])
    partial.sort(key=lambda i: (-coverage[ids[i]], distances[i]))
    return enough + partial or sorted(range(len(ids)), key=lambda i: distances[i])


def describe(station, distance_m: float, temp: pd.Series) -> tuple[dict, float]:
    """A downloaded station as df.attrs records it, and the share of days (0..1) with a
    temperature. ``station``: id, name, country, latitude, longitude, elevation (a library
    Station); ``temp``: its temperature on every requested day (NaN where missing)."""
    share = float(temp.notna().sum()) / len(temp)
    observed = temp.dropna()
    info = {
        "id": station.id,
        "name": station.name,
        "country": station.country,
        "latitude": station.latitude,
        "longitude": station.longitude,
        "elevation_m": station.elevation,
        "distance_km": round(distance_m / 1000.0, 1),
        "temp_coverage_pct": round(100 * share, 1),
        "last_observed": observed.index[-1].strftime("%Y-%m-%d") if len(observed) else None,
    }
    return info, share


def no_station_message(lat: float, lon: float, start, end, tried: list[dict]) -> str:
    """Why no station will do: none of those tried (``describe``'s records) has MIN_DAYS."""
    names = ", ".join(f"{t['name']} ({t['distance_km']} km)" for t in tried) or "none"
    return (
        f"No weather station near ({lat:.3f}, {lon:.3f}) has at least {MIN_DAYS} days of "
        f"temperature between {start:%Y-%m-%d} and {end:%Y-%m-%d} (tried: {names}). "
        "Try other dates, a bundled sample, or upload a CSV."
    )


def coverage_notes(info: dict, share: float, end: pd.Timestamp) -> list[str]:
    """Notes for the chosen station: it covers less than MIN_COVERAGE, or it stops early."""
    notes = []
    if share < MIN_COVERAGE:
        notes.append(
            f"Best station found covers only {100 * share:.0f}% of the days with temperature."
        )
    if info["last_observed"] and info["last_observed"] < f"{end:%Y-%m-%d}":
        notes.append(
            f"The station's last day with a temperature is {info['last_observed']}; the days "
            "after it are missing (recent days may not be published yet)."
        )
    return notes
