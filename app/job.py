"""One click of Train as a unit, without Streamlit: Settings in, Progress records out, a Run at
the end. Everything here is plain data and NumPy, so a job can run in a worker process.

    job = TrainingJob(df, settings, budget_s=60)   # raises ForecastError on unusable input
    while not job.done:
        progress = job.step()                      # one chunk; Progress for the live panel
    run = job.finish(number=1)                     # raises TrainingFailed (a message) instead
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import pandas as pd

from app.settings import CHUNK_SECONDS, Settings, smaller_learning_rate
from forecast import ExperimentRunner, ForecastError
from forecast.result import NETWORKS, ExperimentResult

RECENT_DAYS = 60  # observed days drawn before the 7-day forecast beyond the data


class TrainingFailed(Exception):
    """Training ended without a result worth showing; the message is for the person."""


@dataclass(frozen=True)
class NetworkProgress:
    epoch: int  # epochs finished
    epochs: int  # the most it may run
    done: bool
    stop_reason: str | None
    diverged: bool  # its loss became infinite or NaN


@dataclass(frozen=True)
class Progress:
    """Where a job stands after a chunk: enough to draw the progress bar and live curves."""

    fraction: float  # 0..1 of the work, a finished network counting as complete
    networks: Mapping[str, NetworkProgress]  # rnn, dense, dense_window
    histories: Mapping[str, tuple[Any, ...]]  # network -> rnn.train.EpochLog so far
    seconds: float  # since the job started
    seed: int = 0  # the repeat in training, 0-based (its seed is the Seed control + seed)
    seeds: int = 1  # repeats per network

    @property
    def rnn(self) -> NetworkProgress:
        return self.networks["rnn"]


@dataclass(frozen=True)
class RunSummary:
    """What the run history keeps of a run: small, no models or tables."""

    number: int  # 1, 2, ... within the session
    time: str  # HH:MM:SS when it finished
    settings: Settings
    metrics: Mapping[str, Mapping[str, float]]  # model -> mae, rmse, bias, skill (°C)
    winner: str | None  # the model better than all others beyond the interval; None: a tie
    best_baseline: str
    reasons: Mapping[str, str | None]  # network -> how its training ended
    seconds: float  # wall time of the click
    budget_hit: bool  # the time budget ended training


@dataclass(frozen=True, eq=False)
class Run(RunSummary):
    """A finished run with everything the results panel draws."""

    result: ExperimentResult
    recent: pd.Series  # the last observed days of the run's own data (°C)
    memory_curve: list | None = None  # [{"window", "rnn", "dense"}] after a memory experiment

    def summary(self) -> RunSummary:
        return RunSummary(**{f.name: getattr(self, f.name) for f in fields(RunSummary)})

    # The CLI's --json names, read from the result: st.session_state["last_run"]["comparison"]
    # holds exactly what `python -m forecast --json` prints under "comparison".
    @property
    def comparison(self) -> dict[str, dict]:
        return self.result.comparison  # model -> RNN minus it: diff, low, high, verdict (°C)

    @property
    def warnings(self) -> list[dict]:
        return self.result.warnings  # [{"model", "kind", "message"}]

    @property
    def target(self) -> str:
        return self.result.target

    @property
    def test_days(self) -> int:
        return self.result.test_days

    def keys(self) -> list[str]:
        """Every field and property: run["name"] reads what run.name reads."""
        props = [n for n in dir(type(self))
                 if not n.startswith("_") and isinstance(getattr(type(self), n), property)]
        return [f.name for f in fields(self)] + props

    def __getitem__(self, key: str) -> Any:
        if key not in self.keys():
            raise KeyError(key)
        return getattr(self, key)


class TrainingJob:
    """Trains the experiment for one Settings in chunks, within a time budget."""

    def __init__(self, df: pd.DataFrame, settings: Settings, budget_s: float):
        self.settings = settings
        self.budget_s = budget_s
        self.runner = ExperimentRunner(df, settings.experiment_config())
        self.started = time.perf_counter()
        self.budget_hit = False

    @property
    def done(self) -> bool:
        return self.runner.done

    def progress(self) -> Progress:
        info = self.runner.progress  # the one place its dict is read
        networks = {name: NetworkProgress(int(p["epoch"]), int(p["epochs"]), bool(p["done"]),
                                          p["stop_reason"], bool(p["diverged"]))
                    for name, p in info.items() if name in NETWORKS}
        return Progress(fraction=min(1.0, float(info["fraction"])), networks=networks,
                        histories={n: tuple(h) for n, h in self.runner.histories.items()},
                        seconds=time.perf_counter() - self.started,
                        seed=int(info["seed"]), seeds=int(info["seeds"]))

    def step(self, seconds: float = CHUNK_SECONDS) -> Progress:
        """Train a chunk; stop at once on divergence or when the budget is spent."""
        self.runner.step(max_seconds=seconds)
        progress = self.progress()
        if progress.rnn.diverged:
            self.runner.stop("stopped: the RNN diverged")  # no point training the others on
        elif progress.seconds >= self.budget_s:
            self.runner.stop(f"time budget of {self.budget_s:g} s per click reached")
            self.budget_hit = True  # every network keeps its best weights
        return progress

    def stop(self, reason: str = "stopped by user") -> None:
        self.runner.stop(reason)

    def finish(self, number: int) -> Run:
        """The Run, or TrainingFailed when there is nothing worth showing."""
        progress = self.progress()
        if progress.rnn.diverged:
            lr = self.settings.lr
            raise TrainingFailed(
                f"Training diverged in epoch {progress.rnn.epoch}: the RNN's loss became "
                "infinite or NaN, so training stopped, the weights from this run were thrown "
                "away and the previous results stay on screen. Try a smaller learning rate than "
                f"{lr:g}, e.g. {smaller_learning_rate(lr):g}.")
        try:
            result = self.runner.result()
        except ForecastError as err:
            raise TrainingFailed(str(err)) from err
        features = self.runner.features
        return Run(
            number=number, time=dt.datetime.now().strftime("%H:%M:%S"),
            settings=self.settings, metrics=result.metrics, winner=result.winner,
            best_baseline=result.best_baseline,
            reasons={n: p.stop_reason for n, p in progress.networks.items()},
            seconds=time.perf_counter() - self.started, budget_hit=self.budget_hit,
            result=result,
            recent=pd.Series(features.target_observed, index=features.dates).iloc[-RECENT_DAYS:],
        )
