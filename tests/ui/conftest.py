"""Small, realistic synthetic inputs shaped like forecast/'s results."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

MODELS = ("rnn", "dense", "dense_window", "persistence", "climatology", "linear")


@dataclass
class Log:  # shaped like rnn.train.EpochLog
    epoch: int
    train_loss: float
    val_loss: float
    grad_norm: float
    clipped: bool = False
    seconds: float = 0.01


@pytest.fixture
def daily() -> pd.DataFrame:
    """120 days of the common shape with a 5-day gap of NaN rows."""
    rng = np.random.default_rng(0)
    idx = pd.date_range("2020-01-01", periods=120, freq="D", name="date")
    temp = 10 + 8 * np.sin(np.arange(120) / 20) + rng.normal(0, 1.5, 120)
    df = pd.DataFrame(
        {
            "temp": temp,
            "tmin": temp - 4,
            "tmax": temp + 4,
            "rhum": rng.uniform(40, 90, 120),
            "prcp": rng.exponential(2, 120),
            "pres": rng.normal(1013, 5, 120),
        },
        index=idx,
    )
    df.iloc[40:45] = np.nan
    return df


@pytest.fixture
def predictions() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    idx = pd.date_range("2021-03-01", periods=60, freq="D", name="date")
    actual = 12 + 6 * np.sin(np.arange(60) / 9)
    out = pd.DataFrame({"actual": actual}, index=idx)
    for i, m in enumerate(MODELS):
        out[m] = actual + rng.normal(0, 1 + 0.2 * i, 60)
    return out


@pytest.fixture
def metrics() -> dict:
    maes = {"rnn": 1.4, "dense": 1.6, "dense_window": 1.5, "persistence": 1.8,
            "climatology": 2.9, "linear": 1.55}  # fmt: skip
    return {
        m: {"mae": v, "rmse": v * 1.3, "bias": 0.1 * (i - 2), "skill": 1 - v / maes["persistence"]}
        for i, (m, v) in enumerate(maes.items())
    }


@pytest.fixture
def histories() -> dict:
    def logs(n, scale):
        return [Log(e, scale / e, scale * 1.2 / e, 8.0 / e) for e in range(1, n + 1)]

    return {
        "rnn": logs(12, 0.5),
        "dense": [vars(log) for log in logs(9, 0.6)],  # dicts work as well as objects
        "dense_window": logs(10, 0.55),
    }


@pytest.fixture
def rnn_params() -> dict:
    rng = np.random.default_rng(2)
    n_in, n_h = 3, 8
    return {
        "W_i": rng.normal(0, 0.5, (n_in, n_h)),
        "W_h": rng.normal(0, 0.3, (n_h, n_h)),
        "b_h": rng.normal(0, 0.1, n_h),
        "W_o": rng.normal(0, 0.5, (n_h, 1)),
        "b_o": rng.normal(0, 0.1, 1),
    }
