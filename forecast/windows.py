"""Sliding windows over the days and the chronological train / validation / test split.

Window i covers days ends[i]-window+1 .. ends[i] (its inputs) and is scored on day
ends[i]+horizon (its target). Windows are kept only where every input is present (after the
short-gap filling), the last input day was measured rather than filled, and the target was
actually measured.

Why the last input day must be measured: a short gap is filled by interpolating between the days
on either side of it, so a filled "today" would be computed from the next measured day — which
can be the target itself. A filled day *inside* the window is harmless: the window's last day
was measured, so the gap closed before "today".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecast.errors import ForecastError

MIN_WINDOWS = 30  # fewer than this leaves a handful of test days: not a meaningful score
MIN_TEST_DAYS = 30  # below this a difference in MAE is mostly which days happened to be tested


def min_windows(test_frac: float) -> int:
    """Complete windows needed for MIN_TEST_DAYS test days (the app can say so before Train)."""
    n = MIN_WINDOWS
    while round(n * test_frac) < MIN_TEST_DAYS:
        n += 1
    return n


def min_days(window: int, horizon: int = 1, test_frac: float = 0.15) -> int:
    """Days without gaps the experiment needs: min_windows complete windows, the first one
    reading days 1..window and scored on day window+horizon, each next one a day later.
    (14-day window, next day, last 15 % tested: 197 + 14 + 1 - 1 = 211.) The one rule every
    message, tooltip and the README quote; gaps longer than the filled ones need more."""
    return min_windows(test_frac) + window + horizon - 1


def window_ends(values: np.ndarray, target: np.ndarray, window: int, horizon: int,
                filled: np.ndarray | None = None) -> np.ndarray:
    """Indices t of the last input day of every usable window, ascending. (n_windows,)

    values: (days, n_in) inputs, NaN where missing; target: (days,) measured target;
    filled: (days,) True where an input value was interpolated (see the module docstring).
    """
    days = len(values)
    ok_day = np.isfinite(values).all(axis=1).astype(np.int64)  # (days,)
    # number of complete days in [t-window+1, t] via a running sum
    csum = np.concatenate([[0], np.cumsum(ok_day)])
    t = np.arange(window - 1, days - horizon)  # candidate last input days
    complete = (csum[t + 1] - csum[t + 1 - window]) == window
    measured = np.isfinite(target[t + horizon])
    today_measured = ~filled[t] if filled is not None else True
    return t[complete & measured & today_measured]


def gather(values: np.ndarray, ends: np.ndarray, window: int) -> np.ndarray:
    """(n_windows, window, n_in): the input days of each window, oldest first."""
    offsets = np.arange(-window + 1, 1)  # (window,)
    return values[ends[:, None] + offsets[None, :]]


@dataclass
class Split:
    """Positions into the window arrays for each part, in time order."""

    train: np.ndarray
    val: np.ndarray
    test: np.ndarray


def chronological_split(n_windows: int, val_frac: float, test_frac: float,
                        window: int | None = None, horizon: int = 1) -> Split:
    """First (1 - val - test) of the windows train, the next val_frac validate, the rest test.

    Windows are sorted by target day and each target day has exactly one window, so no target
    day lands in two parts. ``window`` / ``horizon`` (when known) let the refusal name the days.
    """
    n_test = max(1, round(n_windows * test_frac))
    if n_windows < MIN_WINDOWS or n_test < MIN_TEST_DAYS:
        need = min_windows(test_frac)
        days = (f"at least {min_days(window, horizon, test_frac)} days without gaps with the "
                f"{window}-day window" if window is not None else
                f"about {need} days plus the window")
        raise ForecastError(
            f"Only {n_windows} complete windows in the data, so only {n_test} test days: a "
            f"comparison needs at least {MIN_TEST_DAYS} test days, that is at least {need} "
            f"complete windows (the test period is the last {100 * test_frac:.0f} %) — "
            f"{days}. Use a longer date range or a shorter window.")
    n_val = max(1, round(n_windows * val_frac))
    n_train = n_windows - n_val - n_test
    idx = np.arange(n_windows)
    return Split(idx[:n_train], idx[n_train:n_train + n_val], idx[n_train + n_val:])


def as_slice(positions: np.ndarray) -> slice | np.ndarray:
    """Consecutive positions (chronological_split's parts) as a slice: indexing with it gives
    a view, not a copy."""
    if len(positions) and np.array_equal(positions, np.arange(positions[0], positions[-1] + 1)):
        return slice(int(positions[0]), int(positions[-1]) + 1)
    return positions
