"""Which unit an upload's temperatures are in, and whether they are plausible weather at all.

A header that names its unit decides (data_sources/csv_headers.py); otherwise the values do:
plausible only as °C, read as °C; plausible as both, the person is asked; plausible only as °F,
the person is told so. Whatever the unit, a value beyond the records of air temperature is
refused with its line.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import DataError
from .shape import TEMPERATURE_COLUMNS, f_to_c

MIN_CELSIUS = -90.0  # below the lowest air temperature ever measured (−89.2 °C, Vostok)
MAX_CELSIUS = 60.0  # above the highest reliably measured (56.7 °C, Death Valley)
# What a day's value may be in °C for a file of unstated unit to be read in that scale, by
# column (a little beyond the records: the lowest daily mean ~ -85 °C, highest ~ 44 °C; the
# highest daily minimum 44 °C; the highest maximum 56.7 °C).
PLAUSIBLE_CELSIUS = {"temp": (-85.0, 46.0), "tmin": (-90.0, 45.0), "tmax": (-80.0, 57.0)}
# A whole year whose warmest day stays under this (°C; daily mean, daily maximum) exists only on
# ice sheets, whose typical day is far colder than ICE_SHEET_MEDIAN: "15–30" in °F would be such
# a year. (Even Utqiaġvik and Svalbard reach ~10 °C daily means, ~15 °C maxima in July.)
WARMEST_DAY_MIN_CELSIUS = {"temp": 5.0, "tmax": 10.0}
ICE_SHEET_MEDIAN_CELSIUS = -20.0


def file_line(label) -> int:
    """File line of a data row (the header is line 1)."""
    return int(label) + 2


def to_celsius(frame: pd.DataFrame, columns: dict, labels, units: dict[str, bool]) -> None:
    """Convert in place the temperature columns that are °F (``units``: column → °F?); refuse
    impossible values."""
    for col, in_fahrenheit in units.items():
        if in_fahrenheit and col in frame:
            frame[col] = f_to_c(frame[col])
    for col in TEMPERATURE_COLUMNS:
        if col in columns:
            _check_plausible(frame[col], columns[col], labels, units.get(col, False))


def _plausible(frame: pd.DataFrame, to_celsius) -> bool:
    """Could these temperature columns, read through ``to_celsius``, be real daily weather?"""
    for col, (low, high) in PLAUSIBLE_CELSIUS.items():
        values = to_celsius(frame[col].dropna()) if col in frame else pd.Series(dtype=float)
        if len(values) and (values.min() < low or values.max() > high):
            return False
    main = next(c for c in WARMEST_DAY_MIN_CELSIUS if c in frame)
    days = to_celsius(frame[main].dropna())
    if len(days) and set(days.index.month) == set(range(1, 13)):
        # A whole year that never gets mild happens only on ice sheets.
        cold_year = days.max() < WARMEST_DAY_MIN_CELSIUS[main]
        if cold_year and days.median() > ICE_SHEET_MEDIAN_CELSIUS:
            return False
    return True


def unit_from_values(frame: pd.DataFrame) -> bool:
    """False (°C) when only °C is plausible, or neither (the range check then says why);
    otherwise a DataError asking the person, flagged ``ask_fahrenheit``."""
    temps = frame[[c for c in PLAUSIBLE_CELSIUS if c in frame]]
    as_celsius = _plausible(temps, lambda v: v)
    as_fahrenheit = _plausible(temps, f_to_c)
    if not as_fahrenheit:
        return False
    values = temps.stack()
    low, high = values.min(), values.max()
    if as_celsius:
        raise DataError(
            f"Are these temperatures in °F? They run from {low:.1f} to {high:.1f}: read as °C or "
            f"as °F ({f_to_c(low):.0f} to {f_to_c(high):.0f} °C), both are possible weather. "
            "Say which unit the file uses: tick °F if it is Fahrenheit, or confirm °C.",
            ask_fahrenheit=True,
        )
    raise DataError(
        f"These temperatures look like °F: {low:.1f} to {high:.1f} is no real daily weather in "
        f"°C, but in °F it is {f_to_c(low):.0f} to {f_to_c(high):.0f} °C. Tick °F to read the "
        "file in Fahrenheit.",
        ask_fahrenheit=True,
        likely_fahrenheit=True,
    )


def _check_plausible(celsius, header, labels, fahrenheit: bool) -> None:
    values = pd.Series(np.asarray(celsius, dtype=float), index=labels)
    bad = (values < MIN_CELSIUS) | (values > MAX_CELSIUS)
    if bad.any():
        label = values.index[bad][0]
        hint = ""
        if not fahrenheit and values[label] > MAX_CELSIUS:
            hint = " If the file is in °F, choose Fahrenheit."
        raise DataError(
            f"Line {file_line(label)}: {values[label]:.1f} °C in column {str(header)!r} is not a "
            f"plausible air temperature (allowed {MIN_CELSIUS:.0f} to {MAX_CELSIUS:.0f} °C).{hint}"
        )
