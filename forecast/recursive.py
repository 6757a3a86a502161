"""Multi-day forecasts made recursively: each day's forecast becomes the next day's input.

Season inputs are computed from the date; other measured inputs (humidity, wind, ...) have no
forecast of their own, so they are held at their last known value.

roll_forward does it for any predictor; the functions below do it for every model of a fitted
forecast.pipeline.ExperimentRunner (`runner`; not imported here, so neither module imports the
other): from test origins (the MAE by lead time), from validation origins (the likely ranges,
forecast/intervals.py) and from the data's last complete window (the days after the data).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from forecast.features import season
from forecast.models import MODELS, NETWORKS
from forecast.windows import gather

HORIZON_DAYS = 7  # multi-day forecasts and the forecast beyond the data

# predict(X scaled (n, window, n_in), target dates (datetime64)) -> scaled network output (n,)
Predictor = Callable[[np.ndarray, np.ndarray], np.ndarray]


def roll_forward(predict: Predictor, X: np.ndarray, today: np.ndarray,
                 origins: pd.DatetimeIndex | np.ndarray, steps: int, coder, scaler,
                 season_cols: dict[int, int]) -> np.ndarray:
    """(n, steps) °C forecasts for days origin+1 .. origin+steps.

    X: (n, window, n_in) scaled windows ending on each origin; today: (n,) °C on the origins.
    season_cols: input column -> 0 (doy_sin) or 1 (doy_cos).
    """
    X = X.copy()
    today = np.asarray(today, dtype=float).copy()
    out = np.empty((len(X), steps))
    days = np.asarray(origins, dtype="datetime64[D]")  # numpy's date arithmetic: no index per step
    for k in range(1, steps + 1):
        dates = days + k
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


def recursive_forecasts(runner: Any, idx: np.ndarray, models: dict | None = None
                        ) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Every model's (n, 7) °C forecasts of days 1..7 after the last day of windows idx, and
    the (n, 7) observed truths (NaN past the data or on a missing day)."""
    ft = runner.features
    origins = runner.ends[idx]  # (n,) index of each origin day
    dates = ft.dates[origins]
    days = np.arange(1, HORIZON_DAYS + 1)
    future_idx = origins[:, None] + days[None, :]  # (n, 7)
    inside = future_idx < len(ft.dates)
    actual = np.full(future_idx.shape, np.nan)
    actual[inside] = ft.target_observed[future_idx[inside]]
    forecasts = {
        "persistence": np.repeat(runner.today[idx][:, None], HORIZON_DAYS, axis=1),
        "climatology": np.stack([runner.climatology.predict(dates + pd.Timedelta(days=int(k)))
                                 for k in days], axis=1),
    }
    for name in (*NETWORKS, "linear"):
        forecasts[name] = roll_forward(runner.scaled_predictor(name, models), runner.windows(idx),
                                       runner.today[idx], dates, HORIZON_DAYS, runner.coder,
                                       runner.scaler, runner.season_cols)
    return forecasts, actual

def horizon_mae(runner: Any, test: np.ndarray, models: dict | None = None) -> pd.DataFrame:
    """MAE by lead time 1..7 from every test origin, same origins for all models per lead."""
    forecasts, actual = recursive_forecasts(runner, test, models)
    days = np.arange(1, HORIZON_DAYS + 1)
    ok = np.isfinite(actual)

    def mae(f: np.ndarray, k: int) -> float:  # NaN where no test day is k days ahead
        return float(np.mean(np.abs(f[ok[:, k], k] - actual[ok[:, k], k]))) if ok[:, k].any() \
            else float("nan")

    table = pd.DataFrame({m: [mae(f, k) for k in range(HORIZON_DAYS)]
                          for m, f in forecasts.items()},
                         index=pd.Index(days, name="horizon"))
    return table[list(MODELS)]

def last_window(runner: Any) -> int:
    """Index of the last day ending a complete window (the origin of the future forecast)."""
    ok = np.isfinite(runner.features.values).all(axis=1)
    W = runner.config.window
    for t in range(len(ok) - 1, W - 2, -1):
        if ok[t - W + 1: t + 1].all():
            return t
    return int(runner.ends[-1])  # unreachable: there is at least one complete window

def future(runner: Any, origin: int) -> pd.DataFrame:
    """Every model's °C forecasts of the HORIZON_DAYS days after `origin` (the data's end)."""
    ft = runner.features
    Xo = gather(runner.scaled, np.array([origin]), runner.config.window)
    today = ft.values[[origin], 0]
    d0 = ft.dates[[origin]]
    dates = pd.date_range(d0[0] + pd.Timedelta(days=1), periods=HORIZON_DAYS, freq="D",
                          name="date")
    cols = {name: roll_forward(runner.scaled_predictor(name), Xo, today, d0, HORIZON_DAYS,
                               runner.coder, runner.scaler, runner.season_cols)[0]
            for name in (*NETWORKS, "linear")}
    cols["persistence"] = np.repeat(today, HORIZON_DAYS)
    cols["climatology"] = runner.climatology.predict(dates)
    return pd.DataFrame(cols, index=dates)[list(MODELS)]
