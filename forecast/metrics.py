"""Scores in °C on the level: MAE, RMSE, bias, skill against persistence, MAE by month."""

from __future__ import annotations

import numpy as np
import pandas as pd


def scores(actual: np.ndarray, pred: np.ndarray, persistence_mae: float) -> dict[str, float]:
    """One model's scores over the same target days as every other model."""
    err = np.asarray(pred, dtype=float) - np.asarray(actual, dtype=float)
    mae = float(np.mean(np.abs(err)))
    return {
        "mae": mae,
        "rmse": float(np.sqrt(np.mean(err**2))),
        "bias": float(np.mean(err)),  # > 0: forecasts run warm
        "skill": float(1.0 - mae / persistence_mae) if persistence_mae > 0 else float("nan"),
    }


def score_table(predictions: pd.DataFrame, models: list[str]) -> dict[str, dict[str, float]]:
    """predictions: index = target dates, column 'actual' plus one column per model."""
    actual = predictions["actual"].to_numpy()
    p_mae = float(np.mean(np.abs(predictions["persistence"].to_numpy() - actual)))
    return {m: scores(actual, predictions[m].to_numpy(), p_mae) for m in models}


def monthly_mae(predictions: pd.DataFrame, models: list[str]) -> pd.DataFrame:
    """(12, models): MAE by calendar month of the target day; NaN for months not in the test."""
    err = predictions[models].sub(predictions["actual"], axis=0).abs()
    table = err.groupby(predictions.index.month).mean()
    table = table.reindex(range(1, 13))
    table.index.name = "month"
    return table
