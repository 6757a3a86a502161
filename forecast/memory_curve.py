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

import time
from collections.abc import Callable, Sequence
from dataclasses import replace

import pandas as pd

from forecast.config import ExperimentConfig
from forecast.pipeline import ExperimentRunner
from rnn.train import STOPPED_BY_USER

WINDOWS = (1, 2, 3, 7, 14, 28)  # days: none, a little, most of a week, a week, two, four
MAX_EPOCHS = 60  # the default training length; keeps the six runs to seconds even when the
#   settings ask for hundreds of epochs (early stopping ends most runs near epoch 20 anyway)


def _point(result) -> dict:
    """One window's point: both MAEs and the RNN-minus-memoryless comparison (forecast/compare.py:
    difference, its 95 % interval, better / worse / tie), so the curve can be read with its luck."""
    c = result.comparison.get("dense", {})
    return {"window": int(result.config.window), "rnn": float(result.mae("rnn")),
            "dense": float(result.mae("dense")), "diff": float(c.get("diff", float("nan"))),
            "low": float(c.get("low", float("nan"))), "high": float(c.get("high", float("nan"))),
            "verdict": str(c.get("verdict", "tie")) if not c.get("reason") else "cannot_tell"}


class MemoryCurve:
    """The curve trained a chunk at a time, so a worker process can report progress and take a
    Stop between chunks (app/pool_child.py). The same runs as ``memory_curve``, bitwise: a
    run's result does not depend on how its training is cut into chunks.

        curve = MemoryCurve(df, config)
        while not curve.done:
            curve.step(0.25)
        curve.points  # [{"window", "rnn", "dense"}, …]; fewer after stop()
    """

    def __init__(self, df: pd.DataFrame, config: ExperimentConfig | None = None,
                 windows: Sequence[int] = WINDOWS, max_epochs: int = MAX_EPOCHS):
        self.df, self.windows, self.max_epochs = df, [int(w) for w in windows], max_epochs
        self.base = config if config is not None else ExperimentConfig()
        self.points: list[dict] = []
        self.stop_reason: str | None = None  # set by stop(): the windows left are not trained
        self._runner: ExperimentRunner | None = None  # the window in training

    @property
    def done(self) -> bool:
        return self.stop_reason is not None or len(self.points) == len(self.windows)

    @property
    def window(self) -> int | None:
        """The window in training (or next), None when done."""
        return None if self.done else self.windows[len(self.points)]

    @property
    def fraction(self) -> float:
        part = self._runner.progress["fraction"] if self._runner is not None else 0.0
        return min(1.0, (len(self.points) + part) / len(self.windows))

    def step(self, max_seconds: float = 0.25) -> MemoryCurve:
        """Train for about ``max_seconds``; a window's point is added when its run ends.
        Raises ForecastError when a window does not fit the data."""
        began = time.perf_counter()
        while not self.done:
            if self._runner is None:
                cfg = replace(self.base, window=self.windows[len(self.points)],
                              epochs=min(self.base.epochs, self.max_epochs))
                self._runner = ExperimentRunner(cfg).fit(self.df)
            left = max_seconds - (time.perf_counter() - began)
            self._runner.step(max_seconds=max(left, 0.0))
            if self._runner.done:
                result, self._runner = self._runner.result(), None
                self.points.append(_point(result))
            if time.perf_counter() - began >= max_seconds:
                break
        return self

    def stop(self, reason: str = STOPPED_BY_USER) -> MemoryCurve:
        """End now: the windows already trained are kept, the one in training is dropped."""
        if not self.done:
            self.stop_reason, self._runner = reason, None
        return self


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
    curve = MemoryCurve(df, config, windows, max_epochs)
    while not curve.done:
        before = len(curve.points)
        curve.step(max_seconds=0.25)
        if on_window is not None:  # after each window, even when one step ended two
            for done in range(before + 1, len(curve.points) + 1):
                on_window(done, len(curve.windows), curve.points[done - 1])
    return curve.points
