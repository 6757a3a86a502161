"""Z-score scaling, fitted on training days only (learned state ends in ``_``)."""

from __future__ import annotations

import numpy as np


class Scaler:
    """Per-column (x - mean_) / std_; columns with no spread keep std_ = 1."""

    def fit(self, values: np.ndarray) -> Scaler:
        values = np.asarray(values, dtype=float)  # (rows, cols), NaN ignored
        if values.ndim == 1:
            values = values[:, None]
        self.mean_ = np.nanmean(values, axis=0)  # (cols,)
        std = np.nanstd(values, axis=0)
        self.std_ = np.where(std > 1e-12, std, 1.0)  # (cols,)
        return self

    def transform(self, values: np.ndarray) -> np.ndarray:
        return (values - self.mean_) / self.std_

    def inverse(self, scaled: np.ndarray) -> np.ndarray:
        return scaled * self.std_ + self.mean_

    def to_dict(self) -> dict:
        return {"mean": self.mean_.tolist(), "std": self.std_.tolist()}


class TargetCoder:
    """What the networks learn: the scaled change (tomorrow - today) or the scaled level.

    Fitted on training windows only. decode() turns a network output back into °C on the level.
    """

    def __init__(self, predict_change: bool):
        self.predict_change = predict_change

    def fit(self, today: np.ndarray, future: np.ndarray) -> TargetCoder:
        """today, future: (n_train,) °C of each training window's last day and its target."""
        raw = future - today if self.predict_change else future
        self.mean_ = float(np.mean(raw))
        std = float(np.std(raw))
        self.std_ = std if std > 1e-12 else 1.0
        return self

    def encode(self, today: np.ndarray, future: np.ndarray) -> np.ndarray:
        raw = future - today if self.predict_change else future
        return (raw - self.mean_) / self.std_

    def decode(self, today: np.ndarray, scaled: np.ndarray) -> np.ndarray:
        raw = scaled * self.std_ + self.mean_
        return today + raw if self.predict_change else raw

    def to_dict(self) -> dict:
        return {"predict_change": self.predict_change, "mean": self.mean_, "std": self.std_}
