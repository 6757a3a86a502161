"""One click of Train as a unit, without Streamlit: an ExperimentConfig in, Progress records
out, the ExperimentResult at the end. Everything here is plain data and NumPy, so a job runs in
a pool process; the server turns what it sends back into a Run (app/run.py ``build_run``).

    job = TrainingJob(df, settings.experiment_config(), budget_s=60)  # ForecastError if unusable
    while not job.done:
        progress = job.step()                      # one chunk; Progress for the live panel
    result = job.runner.result()

The app trains in the server's pool (app/pool.py): each job's process runs a TrainingJob
(app/pool_child.py), so the divergence and budget rules below are the only ones. The records
(Progress, Run, ...) are app/run.py's, and imported from there.
"""

from __future__ import annotations

import time

import pandas as pd

from app.run import Progress, progress_from
from app.settings import CHUNK_SECONDS
from forecast import ExperimentConfig, ExperimentRunner
from rnn.train import STOPPED_BY_USER

DIVERGED = "stopped: the RNN diverged"


def budget_reason(budget_s: float) -> str:
    return f"time budget of {budget_s:g} s per click reached"


class TrainingJob:
    """Trains the experiment for one ExperimentConfig in chunks, within a time budget (None: no
    budget). The budget counts the CPU time of this job's own ``step`` calls:
    jobs that share the cores spend no job's budget on the others' training."""

    def __init__(self, df: pd.DataFrame, config: ExperimentConfig, budget_s: float | None):
        self.budget_s = budget_s
        self.runner = ExperimentRunner(config).fit(df)
        self.trained = 0.0  # CPU seconds spent in step(): this job's own training time
        self.budget_hit = False

    @property
    def done(self) -> bool:
        return self.runner.done

    @property
    def seconds(self) -> float:
        """Training time so far: the CPU time of this job's own chunks, not wall time."""
        return self.trained

    def progress(self) -> Progress:
        return progress_from(self.runner.progress, self.runner.histories, self.seconds)

    def step(self, seconds: float = CHUNK_SECONDS, until=None) -> Progress:
        """Train a chunk (ended early when ``until()`` says so); stop at once on divergence or
        when the budget is spent."""
        began = time.process_time()  # this process's CPU: a pool job is alone in its process
        self.runner.step(max_seconds=seconds, until=until)
        self.trained += time.process_time() - began
        progress = self.progress()
        if self.done:
            return progress
        if progress.rnn.diverged:
            self.runner.stop(DIVERGED)  # no point training the others on
        elif self.budget_s is not None and progress.seconds >= self.budget_s:
            self.runner.stop(budget_reason(self.budget_s))
            self.budget_hit = True  # every network keeps its best weights
        return progress

    def stop(self, reason: str = STOPPED_BY_USER) -> None:
        self.runner.stop(reason)

    def observed(self) -> pd.Series:
        """The measured target by day (°C) of the run's own data."""
        features = self.runner.features
        return pd.Series(features.target_observed, index=features.dates)
