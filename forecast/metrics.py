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


def seed_score_table(actual: np.ndarray,
                     seed_predictions: dict[str, np.ndarray]) -> dict[str, dict[str, float]]:
    """Scores of models trained with several seeds: each score is the mean over the seeds.

    seed_predictions: model -> (seeds, days) °C forecasts (one row for a baseline), including
    "persistence" (the skill's yardstick). mae_sd: the spread (sample standard deviation) of the
    per-seed MAEs; 0 for a single row.
    """
    p_mae = float(np.mean(np.abs(seed_predictions["persistence"][0] - actual)))
    out = {}
    for m, preds in seed_predictions.items():
        rows = [scores(actual, p, p_mae) for p in preds]
        mean = {k: float(np.mean([r[k] for r in rows])) for k in ("mae", "rmse", "bias", "skill")}
        maes = [r["mae"] for r in rows]
        out[m] = {"mae": mean["mae"], "mae_sd": float(np.std(maes, ddof=1)) if len(rows) > 1
                  else 0.0, "rmse": mean["rmse"], "bias": mean["bias"], "skill": mean["skill"]}
    return out
