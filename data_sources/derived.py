"""Temperatures a station did not report as a daily value: derived, and counted for the labels.

Plain pandas, no network: data_sources/meteostat_source.py downloads a station year by year and
fills each year here, in this order:
  1. a day with ``tmin`` and ``tmax`` but no ``temp`` (many GHCN-Daily stations report no mean):
     temp = (tmin + tmax) / 2 (``fill_mean_from_min_max``);
  2. days a year's daily file leaves without a temperature, in a year it has data for, from
     Meteostat's ``daily_derived`` provider, the daily aggregate of the station's hourly
     observations (``needs_hourly``, ``fill_from_hourly``).
Every derived day is counted (``StationDays``) and labelled in ``df.attrs["derived"]`` and
``df.attrs["derived_days"]`` (``derived_notes``), so the data-quality view can say so.
"""

from __future__ import annotations

import pandas as pd

from .shape import TEMPERATURE_COLUMNS

TEMPERATURES = list(TEMPERATURE_COLUMNS)


class StationDays:
    """What one station's download produced: the days, which days were derived and how, and
    the library's TimeSeries (they carry the providers, hence the licences)."""

    def __init__(self, data: pd.DataFrame, series: list, from_min_max: int, from_hourly: dict):
        self.data = data
        self.series = series
        self.from_min_max = from_min_max  # days whose temp is (tmin + tmax) / 2
        self.from_hourly = from_hourly  # column -> days filled by the daily_derived provider


def fill_mean_from_min_max(df: pd.DataFrame) -> int:
    """Give days with tmin and tmax but no temp their midpoint (in place); how many days."""
    both = df["temp"].isna() & df["tmin"].notna() & df["tmax"].notna()
    df.loc[both, "temp"] = (df.loc[both, "tmin"] + df.loc[both, "tmax"]) / 2.0
    return int(both.sum())


def needs_hourly(df: pd.DataFrame) -> bool:
    """Gaps in a year the station did report (often the latest days, which the daily files
    publish later than the hourly ones) are asked of the aggregate of its hourly observations.
    A year with no daily data at all is not asked, so empty stations cost one request."""
    return bool(df["temp"].isna().any() and df["temp"].notna().any())


def fill_from_hourly(df: pd.DataFrame, hourly: pd.DataFrame, from_hourly: dict) -> None:
    """Fill ``df``'s missing temperatures from ``hourly`` (daily_derived values; in place),
    adding the days filled per column to ``from_hourly``."""
    hourly = hourly.reindex(df.index).reindex(columns=TEMPERATURES)
    for col in TEMPERATURES:
        fill = df[col].isna() & hourly[col].notna()
        df.loc[fill, col] = hourly.loc[fill, col]
        from_hourly[col] += int(fill.sum())


def derived_notes(got: StationDays, n_days: int) -> tuple[dict, dict]:
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
