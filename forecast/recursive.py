"""Multi-day forecasts made recursively: each day's forecast becomes the next day's input.

Season inputs are computed from the date; other measured inputs (humidity, wind, ...) have no
forecast of their own, so they are held at their last known value.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from forecast.features import season

# predict(X scaled (n, window, n_in), target dates) -> scaled network output (n,)
Predictor = Callable[[np.ndarray, pd.DatetimeIndex], np.ndarray]


def roll_forward(predict: Predictor, X: np.ndarray, today: np.ndarray,
                 origins: pd.DatetimeIndex, steps: int, coder, scaler,
                 season_cols: dict[int, int]) -> np.ndarray:
    """(n, steps) °C forecasts for days origin+1 .. origin+steps.

    X: (n, window, n_in) scaled windows ending on each origin; today: (n,) °C on the origins.
    season_cols: input column -> 0 (doy_sin) or 1 (doy_cos).
    """
    X = X.copy()
    today = np.asarray(today, dtype=float).copy()
    out = np.empty((len(X), steps))
    for k in range(1, steps + 1):
        dates = origins + pd.Timedelta(days=k)
        level = coder.decode(today, predict(X, dates))  # (n,) °C on day origin+k
        out[:, k - 1] = level
        row = X[:, -1, :].copy()  # extras held at their last value
        row[:, 0] = (level - scaler.mean_[0]) / scaler.std_[0]
        if season_cols:
            sea = season(dates)  # (n, 2) [sin, cos]
            for col, j in season_cols.items():
                row[:, col] = (sea[:, j] - scaler.mean_[col]) / scaler.std_[col]
        X = np.concatenate([X[:, 1:], row[:, None, :]], axis=1)
        today = level
    return out
