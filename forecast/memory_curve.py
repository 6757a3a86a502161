"""The memory curve: does a longer memory help? The RNN's test MAE as its window grows.

    curve = memory_curve(df, ExperimentConfig())   # [{"window": 1, "rnn": 1.43, "dense": 1.44}, …]

For each window the whole experiment runs with the current settings, only the window changed
(and the epochs capped, see below), so the RNN and the memoryless network are scored on exactly
the same test days. Window 1 is an RNN without a past: one step, the same information as the
memoryless network. The memoryless network sees only the last day whatever the window, so its
MAE is the flat reference a memory has to beat (it moves a little because a longer window
starts later and shifts the split).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import pandas as pd

from forecast.config import ExperimentConfig
from forecast.pipeline import run_experiment

WINDOWS = (1, 2, 3, 7, 14, 28)  # days: none, a little, most of a week, a week, two, four
MAX_EPOCHS = 60  # the default training length; keeps the six runs to seconds even when the
#   settings ask for hundreds of epochs (early stopping ends most runs near epoch 20 anyway)


def memory_curve(
    df: pd.DataFrame,
    config: ExperimentConfig | None = None,
    windows: Sequence[int] = WINDOWS,
    max_epochs: int = MAX_EPOCHS,
    on_window: Callable[[int, int, dict], object] | None = None,
) -> list[dict]:
    """[{"window": w, "rnn": MAE, "dense": MAE}, …] in the target's units (°C), one per window.

    Deterministic for a given config (its seed). ``on_window(done, total, point)`` is called after
    each window, e.g. to show progress. Raises ForecastError when a window does not fit the data.
    """
    base = config if config is not None else ExperimentConfig()
    points = []
    for w in windows:
        cfg = replace(base, window=int(w), epochs=min(base.epochs, max_epochs))
        result = run_experiment(df, cfg)
        point = {"window": int(w), "rnn": float(result.mae("rnn")),
                 "dense": float(result.mae("dense"))}
        points.append(point)
        if on_window is not None:
            on_window(len(points), len(windows), point)
    return points
