"""The one data shape every source returns (see docs/design.md, "One data shape").

A DataFrame indexed by a daily, gap-explicit, tz-naive DatetimeIndex named ``date`` (every
calendar day present, missing days are rows of NaN), float64 columns with Meteostat's names and
units, and ``df.attrs`` holding only JSON-friendly plain values.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

# Meteostat's daily column names and units, in display order.
COLUMNS: dict[str, str] = {
    "temp": "daily mean air temperature, °C",
    "tmin": "daily minimum air temperature, °C",
    "tmax": "daily maximum air temperature, °C",
    "rhum": "mean relative humidity, %",
    "prcp": "total precipitation, mm",
    "wspd": "mean wind speed, km/h",
    "pres": "mean sea-level air pressure, hPa",
}
TEMPERATURE_COLUMNS = ("temp", "tmin", "tmax")
# Days with a temperature every source must deliver (an upload, a download): fewer leave nothing
# to train and test a forecast on.
MIN_DAYS = 30

# Unit conversions used by every source (exact definitions).
INHG_TO_HPA = 33.8638866667  # 1 inHg = 3386.38866667 Pa
MPH_TO_KMH = 1.609344
MS_TO_KMH = 3.6
INCH_TO_MM = 25.4


def f_to_c(values):
    """Degrees Fahrenheit to degrees Celsius."""
    return (values - 32.0) * 5.0 / 9.0


def common_frame(df: pd.DataFrame, attrs: dict) -> pd.DataFrame:
    """Reindex ``df`` (DatetimeIndex, any subset of COLUMNS) to the common shape with ``attrs``.

    Keeps only the known columns, in COLUMNS order, as float64; fills the calendar between the
    first and last day with NaN rows so that gaps stay visible.
    """
    index = pd.DatetimeIndex(df.index)
    if index.tz is not None:
        index = index.tz_localize(None)
    out = df.copy()
    out.index = index.normalize()
    out = out[~out.index.duplicated(keep="first")].sort_index()
    cols = [c for c in COLUMNS if c in out.columns]
    out = out[cols].astype("float64")
    if len(out):
        days = pd.date_range(out.index[0], out.index[-1], freq="D")
        out = out.reindex(days)
    out.index = pd.DatetimeIndex(out.index, name="date").as_unit("ns")
    out.index.freq = None
    out.columns.name = None
    out.attrs = json_plain(attrs)
    return out


def json_plain(value):
    """Return ``value`` as plain JSON types (dict/list/str/float/int/bool/None), or raise."""
    if isinstance(value, dict):
        return {str(k): json_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_plain(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return v if np.isfinite(v) else None
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (pd.Timestamp,)):
        return value.strftime("%Y-%m-%d")
    json.dumps(value)  # raises TypeError for anything else
    return value
