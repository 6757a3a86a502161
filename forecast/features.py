"""From a daily weather DataFrame to a clean feature table: which columns, filled gaps, season.

Nothing here is learned from the data. Gap filling interpolates between the days on either
side of a gap, so a filled day "knows" the next measured day: forecast/windows.py therefore never
lets a filled day be a window's last input day ("today").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecast.config import EXTRAS, SEASON
from forecast.errors import ForecastError


def daily_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy indexed by a sorted, gap-explicit, tz-naive daily DatetimeIndex named ``date``."""
    if not isinstance(df, pd.DataFrame):
        raise ForecastError("Expected a table of daily weather (a pandas DataFrame).")
    if len(df) == 0:
        raise ForecastError("The data is empty: there are no days to learn from.")
    out = df.copy()
    if not isinstance(out.index, pd.DatetimeIndex):
        if "date" not in out.columns:
            raise ForecastError("The data needs dates: a DatetimeIndex or a 'date' column.")
        try:
            out["date"] = pd.to_datetime(out["date"])
        except (ValueError, TypeError) as e:
            raise ForecastError(f"Some values in the 'date' column are not dates ({e}).") from e
        out = out.set_index("date")
    idx = out.index
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    if idx.hasnans:
        raise ForecastError("Some rows have no date.")
    out.index = idx.normalize()
    if out.index.has_duplicates:
        raise ForecastError("Some dates appear more than once; the data must have one row per day.")
    out = out.sort_index()
    full = pd.date_range(out.index[0], out.index[-1], freq="D", name="date")
    out = out.reindex(full)  # missing days become explicit NaN rows
    out.attrs = dict(df.attrs)
    return out


def resolve_columns(df: pd.DataFrame, target: str | None, inputs: list[str] | None,
                    season: bool = True) -> tuple[str, list[str]]:
    """(target, inputs): the target first among the inputs; season names are computed features.
    ``season`` False: no day-of-year features, whatever ``inputs`` asks
    (ExperimentConfig.season)."""

    def has_data(col: str) -> bool:
        return col in df.columns and pd.to_numeric(df[col], errors="coerce").notna().any()

    if target is None:
        hinted = df.attrs.get("target")
        candidates = [c for c in (hinted, "temp", "tmax") if c]
        target = next((c for c in candidates if has_data(c)), None)
        if target is None:
            raise ForecastError("No temperature data found: the table needs a 'temp' "
                                "(daily mean °C) or 'tmax' column with values.")
    elif target not in df.columns:
        raise ForecastError(f"The target column {target!r} is not in the data; "
                            f"available columns: {', '.join(map(str, df.columns)) or 'none'}.")
    elif not has_data(target):
        raise ForecastError(f"The target column {target!r} has no values (every day is missing).")

    if inputs is None:
        inputs = [target, *SEASON]
    else:
        inputs = [target] + [c for c in dict.fromkeys(inputs) if c != target]
    if not season:
        inputs = [c for c in inputs if c not in SEASON]
    for col in inputs[1:]:
        if col in SEASON:
            continue
        if col not in df.columns:
            raise ForecastError(f"The input column {col!r} is not in the data; "
                                f"optional inputs are {', '.join(EXTRAS)} where present.")
        if not has_data(col):
            raise ForecastError(f"The input column {col!r} has no values (every day is missing).")
    return target, inputs


def season(dates: pd.DatetimeIndex | np.ndarray) -> np.ndarray:
    """(days, 2) day-of-year position on the unit circle: [sin, cos]. ``dates``: timezone-naive
    dates (the data's, features.py), as a DatetimeIndex or datetime64 values (numpy's calendar
    arithmetic: recursive forecasts call this per step); a missing date gives NaN."""
    days = np.asarray(dates, dtype="datetime64[D]")
    doy = (days - days.astype("datetime64[Y]")).astype(float)  # 0 on 1 January
    angle = 2 * np.pi * np.where(np.isnat(days), np.nan, doy) / 365.25
    return np.stack([np.sin(angle), np.cos(angle)], axis=1)


def fill_short_gaps(s: pd.Series, max_days: int) -> tuple[pd.Series, np.ndarray]:
    """Linearly interpolate runs of at most ``max_days`` missing days that have data on both sides.

    Longer runs stay NaN (so no window can span them). Returns (filled series, filled mask).
    """
    v = s.to_numpy(dtype=float)
    missing = np.isnan(v)
    filled_mask = np.zeros(len(v), dtype=bool)
    if max_days <= 0 or not missing.any():
        return s.astype(float), filled_mask
    # run boundaries of the missing stretches: starts where missing begins, ends where it stops
    edges = np.diff(np.concatenate([[0], missing.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)  # [start, end)
    for a, b in zip(starts, ends, strict=True):
        if a > 0 and b < len(v) and b - a <= max_days:  # inside the series and short
            filled_mask[a:b] = True
    if filled_mask.any():
        known = ~missing
        x = np.arange(len(v))
        v = v.copy()
        v[filled_mask] = np.interp(x[filled_mask], x[known], v[known])
    return pd.Series(v, index=s.index, name=s.name), filled_mask


@dataclass
class FeatureTable:
    """The filled inputs, before scaling. ``values[:, 0]`` is the target variable."""

    dates: pd.DatetimeIndex  # (days,)
    names: list[str]  # (n_in,) input names, target first
    values: np.ndarray  # (days, n_in) float64, NaN where a long gap stays open
    target_observed: np.ndarray  # (days,) target as measured (NaN where missing, never filled)
    filled: np.ndarray  # (days,) bool: at least one input value on that day was interpolated
    extras_present: list[str]  # measured inputs besides the target (held constant when recursing)


def build_features(df: pd.DataFrame, target: str, inputs: list[str],
                   max_fill_days: int) -> FeatureTable:
    dates = df.index
    cols, filled_any = [], np.zeros(len(df), dtype=bool)
    sea = season(dates)
    for name in inputs:
        if name in SEASON:
            cols.append(sea[:, SEASON.index(name)])
            continue
        raw = pd.to_numeric(df[name], errors="coerce").astype(float)
        s, mask = fill_short_gaps(raw, max_fill_days)
        filled_any |= mask
        cols.append(s.to_numpy())
    values = np.stack(cols, axis=1)
    observed = pd.to_numeric(df[target], errors="coerce").to_numpy(dtype=float)
    extras = [n for n in inputs[1:] if n not in SEASON]
    return FeatureTable(dates, list(inputs), values, observed, filled_any, extras)
