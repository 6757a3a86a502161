"""A live-data request (place and dates), checked before any network use.

data_sources/meteostat_source.py calls ``validate_request`` first, so a bad latitude, a reversed
or too long range, or a range in the future gets a clear message without touching the network.
"""

from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
import pandas as pd

from .errors import DataError
from .shape import MIN_DAYS

MAX_YEARS = 30  # meteostat blocks daily requests spanning more than 30 years


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
