"""What a session keeps of a click of Train, without Streamlit: the Progress records the live
view draws, the Run the results panel draws (and the RunSummary the history keeps), and how a
finished job becomes a Run (``build_run``; TrainingFailed when there is nothing worth showing).

The training itself is app/job.py's TrainingJob, in a pool process (app/pool.py); the session
rebuilds the same Progress from a polled snapshot (``progress_from``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import pandas as pd

from app.settings import Settings, smaller_learning_rate
from forecast.models import NETWORKS
from forecast.result import ExperimentResult

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
    seconds: float  # training time so far (the job's own chunks)
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
    # first and last test day (YYYY-MM-DD): runs compare on them; None: not known (kept before)
    test_period: tuple[str, str] | None = field(default=None, kw_only=True)
    # RNN minus the memoryless network: diff, low, high (95 % interval, °C) and verdict — what
    # "did memory help?" was answered with; empty: not known
    versus_memoryless: Mapping[str, Any] = field(default_factory=dict, kw_only=True)


@dataclass(frozen=True, eq=False)
class Run(RunSummary):
    """A finished run with everything the results panel draws."""

    result: ExperimentResult
    recent: pd.Series  # the last observed days of the run's own data (°C)
    memory_curve: list | None = None  # [{"window", "rnn", "dense"}] after a memory experiment
    memory_curve_note: str | None = None  # the curve was stopped early: which windows it has

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


def progress_from(info: Mapping[str, Any], histories: Mapping[str, Any],
                  seconds: float) -> Progress:
    """The Progress record from ExperimentRunner.progress (in this process or sent by a worker)."""
    networks = {name: NetworkProgress(int(p["epoch"]), int(p["epochs"]), bool(p["done"]),
                                      p["stop_reason"], bool(p["diverged"]))
                for name, p in info.items() if name in NETWORKS}
    return Progress(fraction=min(1.0, float(info.get("fraction", 0.0))), networks=networks,
                    histories={n: tuple(h) for n, h in histories.items()}, seconds=seconds,
                    seed=int(info.get("seed", 0)), seeds=int(info.get("seeds", 1)))


def divergence_message(progress: Progress, lr: float) -> str:
    return (f"Training diverged in epoch {progress.rnn.epoch}: the RNN's loss became "
            "infinite or NaN, so training stopped, the weights from this run were thrown "
            "away and the previous results stay on screen. Try a smaller learning rate than "
            f"{lr:g}, e.g. {smaller_learning_rate(lr):g}.")


def stop_reasons(result: ExperimentResult, fallback: Mapping[str, str | None],
                 patience: int) -> dict[str, str | None]:
    """How each network's training ended, in words a person can act on.

    Early stopping says at which epoch and why, so "Epochs 60" and "Epochs 500" giving the same
    result is explained; other reasons (Stop, the time budget, divergence) are kept as they are.
    """
    out: dict[str, str | None] = {}
    for name, fallback_reason in fallback.items():
        info = result.train_info.get(name, {})  # the charted (first) seed's training
        reason = fallback_reason or info.get("stop_reason")  # the last seed's: Stop, budget...
        early = str(info.get("stop_reason") or "").startswith("early stopping")
        if early and (reason is None or reason.startswith(("early stopping", "finished"))):
            epochs = result.config.epochs
            seeds = info.get("seed_epochs") or [info.get("epochs_run")]
            reason = (f"stopped at epoch {info.get('epochs_run')} of up to {epochs}: no "
                      f"validation improvement for {patience} epochs (best epoch "
                      f"{info.get('best_epoch')})")
            if len(seeds) > 1:
                reason += f" ({len(seeds)} seeds: epochs " + ", ".join(map(str, seeds)) + ")"
            if all(isinstance(e, int) and e < epochs for e in seeds):
                reason += ", so more epochs would not change the result"
        out[name] = reason
    return out


def build_run(number: int, settings: Settings, progress: Progress, result: ExperimentResult,
              observed: pd.Series, seconds: float, budget_hit: bool) -> Run:
    """The Run of a finished job, or TrainingFailed when there is nothing worth showing."""
    if progress.rnn.diverged:
        raise TrainingFailed(divergence_message(progress, settings.lr))
    reasons = stop_reasons(result, {n: p.stop_reason for n, p in progress.networks.items()},
                           result.config.patience)
    return Run(
        number=number, time=dt.datetime.now().strftime("%H:%M:%S"),
        settings=settings, metrics=result.metrics, winner=result.winner,
        best_baseline=result.best_baseline, reasons=reasons, seconds=seconds,
        budget_hit=budget_hit, result=result, recent=observed.iloc[-RECENT_DAYS:],
        test_period=(str(result.split["test"][0].date()), str(result.split["test"][1].date())),
        versus_memoryless=dict(result.comparison.get("dense", {})),
    )
