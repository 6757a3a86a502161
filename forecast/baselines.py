"""The yardsticks every network must beat: persistence, climatology, linear least squares."""

from __future__ import annotations

from collections.abc import Callable

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
        self.count_ = c  # (366,) training days within ± half_width of each day of year
        return self

    def covers(self, dates: pd.DatetimeIndex) -> np.ndarray:
        """(n,) True where at least one training day lies in the date's season window.

        Elsewhere predict() can only return the training mean: not a climatology at all.
        """
        return self.count_[pd.DatetimeIndex(dates).day_of_year.to_numpy() - 1] > 0

    def predict(self, dates: pd.DatetimeIndex) -> np.ndarray:
        return self.by_doy_[dates.day_of_year.to_numpy() - 1]


MIN_ROWS_PER_COEF = 3  # training windows per coefficient for a least-squares fit to mean much
MAX_RIDGE_SHIFT = 0.25  # scaled units; all bundled samples stay below 0.05
FAR_LEVERAGE = 2.0  # a test window above twice the top training leverage is extrapolated
MAX_FAR_SHARE = 0.1  # share of extrapolated test windows that disqualifies the fit


class LinearBaseline:
    """Least squares on the flattened scaled window plus the target day's season, with a bias.

    A tiny ridge term keeps the solve stable: neighbouring days' season features are nearly
    collinear.

    ``huber_delta``: fit the same linear model with the networks' Huber loss instead: minimise
    Σ huber(r) + ½·ridge·n·|β|² by iteratively reweighted least squares (a window whose residual
    r exceeds δ gets weight δ/|r|). The app's yardstick is plain least squares;
    benchmarks/accuracy.py prints this fit beside it, so a network's lead over least squares can
    be told apart from what the loss alone buys.
    """

    IRLS_SOLVES = 50  # reweighted solves at most; they usually settle within a few dozen
    IRLS_TOL = 1e-8  # stop when no coefficient moves by more than this (scaled units)

    def __init__(self, ridge: float = 1e-3, huber_delta: float | None = None):
        if huber_delta is not None and not huber_delta > 0:
            raise ValueError(f"huber_delta must be positive (or None), got {huber_delta}")
        self.ridge = ridge
        self.huber_delta = huber_delta
        self.weights_: np.ndarray | None = None  # the Huber fit's final window weights

    @staticmethod
    def design(X: np.ndarray, target_dates: pd.DatetimeIndex | np.ndarray) -> np.ndarray:
        """X: (n, window, n_in) scaled -> (n, window*n_in + 3) [flattened, season, 1]."""
        n = len(X)
        return np.concatenate([X.reshape(n, -1), season(target_dates), np.ones((n, 1))], axis=1)

    def _solve(self, A: np.ndarray, y: np.ndarray, ridge: float,
               w: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(coefficients (p,), (AᵀWA + ridge·n·I)⁻¹ (p, p)); the bias is never shrunk."""
        reg = ridge * len(A) * np.eye(A.shape[1])
        reg[-1, -1] = 0.0
        Aw = A if w is None else A * w[:, None]
        inv = np.linalg.inv(Aw.T @ A + reg)
        return inv @ (Aw.T @ y), inv

    def fit(self, X: np.ndarray, target_dates: pd.DatetimeIndex, y: np.ndarray) -> LinearBaseline:
        A = self.design(X, target_dates)  # (n, p)
        self.coef_, self.inv_ = self._solve(A, y, self.ridge)  # (p,), (p, p)
        if self.huber_delta is not None:
            self._irls(A, y, self.huber_delta)
        return self

    def _irls(self, A: np.ndarray, y: np.ndarray, delta: float) -> None:
        """Refit with Huber weights min(1, δ/|r|) until the coefficients stop moving."""
        for _ in range(self.IRLS_SOLVES):
            r = np.abs(y - A @ self.coef_)
            self.weights_ = np.minimum(1.0, delta / np.maximum(r, 1e-12))
            coef, self.inv_ = self._solve(A, y, self.ridge, self.weights_)
            moved = float(np.max(np.abs(coef - self.coef_)))
            self.coef_ = coef
            if moved < self.IRLS_TOL:
                break

    def predict(self, X: np.ndarray, target_dates: pd.DatetimeIndex | np.ndarray) -> np.ndarray:
        return self.design(X, target_dates) @ self.coef_

    def check(self, X_train: np.ndarray, dates_train: pd.DatetimeIndex, y_train: np.ndarray,
              X_test: np.ndarray, dates_test: pd.DatetimeIndex) -> str | None:
        """Why this fit is not an honest yardstick on the test windows, or None when it is.

        Call after fit() on the same training windows; y is the scaled target (std 1).
        Ill-conditioned: fewer than MIN_ROWS_PER_COEF training windows per coefficient, or test
        forecasts that move by more than MAX_RIDGE_SHIFT (scaled units) when the ridge is made
        ten times stronger — then the ridge, not the data, decides them. (The season columns of
        neighbouring days are nearly collinear on any series; that alone is harmless because the
        test windows share it, so the condition number itself is not the test.) Extrapolating:
        more than MAX_FAR_SHARE of the test windows have a leverage a·(AᵀA + ridge)⁻¹·aᵀ above
        FAR_LEVERAGE times the largest training leverage — far outside the training windows.
        """
        A, B = self.design(X_train, dates_train), self.design(X_test, dates_test)
        n, p = A.shape
        if n < MIN_ROWS_PER_COEF * p:
            return (f"only {n} training windows for its {p} coefficients (it needs "
                    f"{MIN_ROWS_PER_COEF * p}): use more data, a shorter window or fewer inputs")
        stiffer, _ = self._solve(A, y_train, 10 * self.ridge, self.weights_)  # same weights
        shift = float(np.mean(np.abs(B @ (self.coef_ - stiffer))))
        if shift > MAX_RIDGE_SHIFT:
            return ("its fit is ill-conditioned: the training windows do not pin its "
                    f"{p} coefficients down (the forecasts move by {shift:.2f} standard "
                    "deviations with the regularization): use a longer date range or fewer inputs")
        lev = lambda M: np.einsum("ij,jk,ik->i", M, self.inv_, M)  # noqa: E731  (rows,)
        far = lev(B) > FAR_LEVERAGE * lev(A).max()
        if far.mean() > MAX_FAR_SHARE:
            return (f"{100 * far.mean():.0f} % of the test windows lie far outside the range of "
                    "its training windows, so it would extrapolate: use a longer date range")
        return None


def unavailable_baselines(climatology: Climatology, linear: LinearBaseline,
                          windows: Callable[[np.ndarray], np.ndarray],
                          y: np.ndarray, target_dates: pd.DatetimeIndex, split) -> dict[str, str]:
    """Baselines that cannot be fitted honestly on these days -> the reason (never scored).
    windows(positions) -> those windows (n, window, n_in) and y (n, 1) scaled, as the runner
    fitted them; split: its parts."""
    out = {}
    test, tr = split.test, split.train
    uncovered = ~climatology.covers(target_dates[test])
    if uncovered.any():
        first = pd.Timestamp(target_dates[test][uncovered][0]).date()
        out["climatology"] = (
            f"no training day falls within ±{climatology.half_width} days of the "
            f"season of {int(uncovered.sum())} of the {len(test)} test days (e.g. {first}): "
            "a climatology needs about a year of training data before the test period")
    reason = linear.check(windows(tr), target_dates[tr], y[tr, 0], windows(test),
                          target_dates[test])
    if reason:
        out["linear"] = reason
    return out
