"""The yardsticks every network must beat: persistence, climatology, linear least squares."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecast.features import season


def persistence(today: np.ndarray) -> np.ndarray:
    """Tomorrow = today. today: (n,) °C of each window's last day."""
    return np.asarray(today, dtype=float).copy()


class Climatology:
    """Mean target by day of year over the training days, smoothed circularly (± half_width)."""

    def __init__(self, half_width: int = 15):
        self.half_width = half_width

    def fit(self, dates: pd.DatetimeIndex, values: np.ndarray) -> Climatology:
        ok = np.isfinite(values)
        doy = dates.day_of_year.to_numpy()[ok] - 1  # 0..365
        sums = np.bincount(doy, weights=values[ok], minlength=366)  # (366,)
        counts = np.bincount(doy, minlength=366).astype(float)
        # circular moving sum over 2*half_width+1 days, via FFT-free wrap-around padding
        k = self.half_width
        kernel = np.ones(2 * k + 1)
        wrap = lambda a: np.convolve(np.concatenate([a[-k:], a, a[:k]]), kernel, "valid")  # noqa: E731
        s, c = wrap(sums), wrap(counts)
        fallback = float(np.mean(values[ok]))
        self.by_doy_ = np.where(c > 0, s / np.maximum(c, 1), fallback)  # (366,) °C
        return self

    def predict(self, dates: pd.DatetimeIndex) -> np.ndarray:
        return self.by_doy_[dates.day_of_year.to_numpy() - 1]


class LinearBaseline:
    """Least squares on the flattened scaled window plus the target day's season, with a bias.

    A tiny ridge term keeps the solve stable: neighbouring days' season features are nearly
    collinear.
    """

    def __init__(self, ridge: float = 1e-3):
        self.ridge = ridge

    @staticmethod
    def design(X: np.ndarray, target_dates: pd.DatetimeIndex) -> np.ndarray:
        """X: (n, window, n_in) scaled -> (n, window*n_in + 3) [flattened, season, 1]."""
        n = len(X)
        return np.concatenate([X.reshape(n, -1), season(target_dates), np.ones((n, 1))], axis=1)

    def fit(self, X: np.ndarray, target_dates: pd.DatetimeIndex, y: np.ndarray) -> LinearBaseline:
        A = self.design(X, target_dates)  # (n, p)
        reg = self.ridge * len(A) * np.eye(A.shape[1])
        reg[-1, -1] = 0.0  # never shrink the bias
        self.coef_ = np.linalg.solve(A.T @ A + reg, A.T @ y)  # (p,)
        return self

    def predict(self, X: np.ndarray, target_dates: pd.DatetimeIndex) -> np.ndarray:
        return self.design(X, target_dates) @ self.coef_
