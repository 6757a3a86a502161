"""°C / °F at display time only.

A *temperature* converts as x·9/5 + 32. A *difference* of temperatures — an error (MAE, RMSE),
a bias, a change per degree — converts by 9/5 alone: the +32 offsets cancel in a difference.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CELSIUS = "°C"
FAHRENHEIT = "°F"
UNITS = (CELSIUS, FAHRENHEIT)

# Readable names and storage units of the common daily DataFrame's columns.
COLUMN_INFO: dict[str, tuple[str, str]] = {
    "temp": ("Mean temperature", CELSIUS),
    "tmin": ("Minimum temperature", CELSIUS),
    "tmax": ("Maximum temperature", CELSIUS),
    "rhum": ("Relative humidity", "%"),
    "prcp": ("Precipitation", "mm"),
    "wspd": ("Wind speed", "km/h"),
    "pres": ("Air pressure", "hPa"),
}
# The columns that hold temperatures (°C in storage), read off the table above.
TEMP_COLUMNS: tuple[str, ...] = tuple(c for c, (_, unit) in COLUMN_INFO.items() if unit == CELSIUS)


def _check(units: str) -> str:
    if units in ("C", "c", "celsius"):
        return CELSIUS
    if units in ("F", "f", "fahrenheit"):
        return FAHRENHEIT
    if units not in UNITS:
        raise ValueError(f"units must be '°C' or '°F', not {units!r}")
    return units


def _to_fahrenheit(values, units: str, offset: float):
    """values·9/5 + offset when `units` is °F, else values unchanged; keeps the type."""
    if _check(units) == CELSIUS or values is None:
        return values
    if isinstance(values, (list, tuple)):
        values = np.asarray(values, dtype=float)
    return values * 9.0 / 5.0 + offset


def to_display_temp(values, units: str = CELSIUS):
    """Temperatures stored in °C → `units`. Keeps the type (scalar, array, Series, DataFrame)."""
    return _to_fahrenheit(values, units, 32.0)


def to_display_delta(values, units: str = CELSIUS):
    """Temperature *differences* (errors, bias, per-degree sensitivities) in °C → `units`."""
    return _to_fahrenheit(values, units, 0.0)  # the +32 offsets cancel in a difference


def is_temp_column(name: str) -> bool:
    return name in TEMP_COLUMNS


def column_unit(name: str, units: str = CELSIUS) -> str:
    """Display unit of a common column: temperatures follow `units`, the rest keep theirs."""
    if is_temp_column(name):
        return _check(units)
    return COLUMN_INFO.get(name, (name, ""))[1]


def column_title(name: str, units: str = CELSIUS) -> str:
    """E.g. 'Mean temperature (°F)', 'Precipitation (mm)'."""
    label = COLUMN_INFO.get(name, (name, ""))[0]
    unit = column_unit(name, units)
    return f"{label} ({unit})" if unit else label


def convert_frame(df: pd.DataFrame, units: str = CELSIUS) -> pd.DataFrame:
    """A copy of a common daily DataFrame with its temperature columns shown in `units`."""
    out = df.copy()
    for c in out.columns:
        if is_temp_column(c):
            out[c] = to_display_temp(out[c].astype(float), units)
    return out
