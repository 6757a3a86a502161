"""Shared by the pool's tests: a short and an endless run, and polling a job like a page does."""

from __future__ import annotations

import time

from forecast import ExperimentConfig

SHORT = ExperimentConfig(hidden=12, epochs=25, patience=25, seed=3)
LONG = ExperimentConfig(hidden=16, epochs=100_000, patience=100_000, seed=1)


def poll_until(job, check, timeout=90.0):
    """Poll like the page does until check(status) holds; return that status."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = job.poll()
        if check(status):
            return status
        time.sleep(0.05)
    raise AssertionError(f"job {job.id} never reached the expected state: {job.poll()}")


def epochs(status, network="rnn") -> int:
    return len(status.histories.get(network, []))


def train_run(df, settings, number: int = 1, budget_s: float | None = 300):
    """A finished Run as the server builds it from a pool job's news (app/training.py): the job
    trains the settings' config in this process, then ``build_run`` makes the Run."""
    from app.job import TrainingJob
    from app.run import build_run, progress_from

    job = TrainingJob(df, settings.experiment_config(), budget_s=budget_s)
    while not job.done:
        job.step()
    progress = progress_from(job.runner.progress, job.runner.histories, job.seconds)
    return build_run(number, settings, progress, *job.outcome(), job.seconds, job.budget_hit)
