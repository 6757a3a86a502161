"""What a pool job trains, without Streamlit: a run (TrainingJob) or the memory curve (CurveJob)
in chunks within the per-click time budget, each chunk's news for the live view, the outcome at
the end. A job's process runs it (app/pool_child.py): its divergence and budget rules are the
app's only ones. The server turns a run's news and outcome into a Run (app/run.py build_run)."""

from __future__ import annotations

import time

import pandas as pd

from app.settings import CHUNK_SECONDS
from forecast import ExperimentConfig, ExperimentRunner
from forecast.memory_curve import MemoryCurve
from rnn.train import STOPPED_BY_USER


def budget_reason(budget_s: float) -> str:
    return f"time budget of {budget_s:g} s per click reached"


class TrainingJob:
    """Trains the experiment for one ExperimentConfig in chunks, within a time budget (None: no
    budget). The budget counts the CPU time of this job's own ``step`` calls:
    jobs that share the cores spend no job's budget on the others' training."""

    def __init__(self, df: pd.DataFrame, config: ExperimentConfig, budget_s: float | None):
        self.budget_s, self.budget_hit = budget_s, False
        self.runner = ExperimentRunner(config).fit(df)
        self.seconds = 0.0  # CPU seconds spent in step(): this job's own training time
        self.sent: dict[str, int] = {}  # per network: the epoch logs news() has sent

    @property
    def done(self) -> bool:
        return self.runner.done

    def step(self, seconds: float = CHUNK_SECONDS) -> None:
        """Train a chunk; stop at once on divergence or when the budget is spent."""
        began = time.process_time()  # this process's CPU: a pool job is alone in its process
        self.runner.step(max_seconds=seconds)
        self.seconds += time.process_time() - began
        if self.done:
            return
        if self.runner.progress["rnn"]["diverged"]:
            self.runner.stop("stopped: the RNN diverged")  # no point training the others on
        elif self.budget_s is not None and self.seconds >= self.budget_s:
            self.runner.stop(budget_reason(self.budget_s))
            self.budget_hit = True  # every network keeps its best weights

    def stop(self, reason: str = STOPPED_BY_USER) -> None:
        self.runner.stop(reason)

    def news(self) -> tuple[dict, dict]:
        """The JobStatus fields after a chunk, and the epoch logs since the last news."""
        hist = self.runner.histories
        fresh = {name: list(h[self.sent.get(name, 0):]) for name, h in hist.items()}
        self.sent.update({name: len(h) for name, h in hist.items()})
        return ({"progress": self.runner.progress, "train_seconds": self.seconds,
                 "budget_hit": self.budget_hit}, fresh)

    def outcome(self) -> tuple:
        """The ExperimentResult, and the measured target by day (°C) of the run's own data."""
        features = self.runner.features
        return self.runner.result(), pd.Series(features.target_observed, index=features.dates)


class CurveJob(MemoryCurve):
    """The memory curve (forecast/memory_curve.py) as a job, within the same per-click budget:
    here its process's CPU time (the curve is alone in its job's process)."""

    def __init__(self, df: pd.DataFrame, config: ExperimentConfig, budget_s: float | None):
        super().__init__(df, config)
        self.budget_s, self.budget_hit = budget_s, False

    def step(self, max_seconds: float = CHUNK_SECONDS) -> CurveJob:
        super().step(max_seconds)
        if self.budget_s is not None and time.process_time() >= self.budget_s:
            self.budget_hit = not self.done
            self.stop(budget_reason(self.budget_s))
        return self

    def news(self) -> tuple[dict, dict]:
        """The JobStatus fields after a chunk (a curve sends no epoch logs)."""
        return ({"progress": {"fraction": self.fraction, "window": self.window,
                              "windows": self.windows, "points": len(self.points),
                              "stop_reason": self.stop_reason},
                 "train_seconds": time.process_time(), "budget_hit": self.budget_hit}, {})

    def outcome(self) -> tuple:
        return list(self.points), None
