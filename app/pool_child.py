"""What runs in one job's process: train a chunk, report over the pipe, take a Stop, repeat.

The pool (app/pool.py) forks it from a fork server that imported this module once. Messages:
pool -> job ("stop", reason); job -> pool ("progress", ChunkNews) after every chunk, then
("done", ChunkNews, result, observed) or ("failed", message for a person).

A job trains at the server's priority for its first NICE_AFTER_S CPU seconds, then lowers its
own: the kernel then favours newcomers' short runs and the server's page builds over heavy
runs, with no scheduler of ours. It dies with its parent, the fork server (which exits when the
server does): PR_SET_PDEATHSIG; a broken pipe ends it too.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import time
from dataclasses import dataclass

from app.job import TrainingJob, budget_reason
from forecast import ForecastError
from forecast.memory_curve import MemoryCurve

NICE_AFTER_S = 2.0  # CPU seconds at full priority: a default run (~1 s) ends within them
JOB_NICE = 10  # then CFS weight ~1/10 of the server's: pages and newcomers go first
PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass
class ChunkNews:
    """One chunk's news: what the live view draws (epoch logs: only the new ones)."""

    progress: dict
    new_epochs: dict  # network -> list[EpochLog] since the last news
    train_seconds: float  # CPU seconds of this job so far
    budget_hit: bool


class RunTask:
    """A run: app/job.py's TrainingJob (its budget and divergence rules), reported in news."""

    def __init__(self, df, config, budget_s):
        self.job, self.sent = TrainingJob(df, config, budget_s), {}  # sent: logs reported

    def step(self, seconds: float) -> None:
        self.job.step(seconds)

    def news(self) -> ChunkNews:
        hist = self.job.runner.histories
        fresh = {name: list(h[self.sent.get(name, 0):]) for name, h in hist.items()}
        self.sent.update({name: len(h) for name, h in hist.items()})
        return ChunkNews(self.job.runner.progress, fresh, self.job.seconds, self.job.budget_hit)

    def outcome(self) -> tuple:
        return self.job.runner.result(), self.job.observed()


class CurveTask:
    """The memory curve (forecast/memory_curve.py), within the same per-click budget."""

    def __init__(self, df, config, budget_s):
        self.job, self.budget_s, self.budget_hit = MemoryCurve(df, config), budget_s, False

    def step(self, seconds: float) -> None:
        self.job.step(seconds)
        if self.budget_s is not None and time.process_time() >= self.budget_s:
            self.budget_hit = not self.job.done
            self.job.stop(budget_reason(self.budget_s))

    def news(self) -> ChunkNews:
        c = self.job
        return ChunkNews({"fraction": c.fraction, "window": c.window, "windows": c.windows,
                          "points": len(c.points), "stop_reason": c.stop_reason},
                         {}, time.process_time(), self.budget_hit)

    def outcome(self) -> tuple:
        return list(self.job.points), None


def run(conn, kind: str, df, config, budget_s: float | None, chunk_s: float) -> None:
    """The job's whole life: prepare, train in chunks until done or stopped, send the result.
    Budgets and niceness count this process's CPU time, whoever else shares the cores."""
    parent = os.getppid()
    try:  # SIGKILL when the parent dies (Linux; elsewhere a broken pipe ends us)
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl: nobody waits for us
        return
    try:
        task = (CurveTask if kind == "curve" else RunTask)(df, config, budget_s)
        del df
        niced = False
        while not task.job.done:
            task.step(chunk_s)
            while conn.poll():
                message = conn.recv()
                if message[0] == "stop":
                    task.job.stop(message[1])
            if not niced and time.process_time() >= NICE_AFTER_S:
                niced = True
                with contextlib.suppress(OSError):  # not permitted: train as we are
                    os.nice(JOB_NICE)
            if not task.job.done:
                conn.send(("progress", task.news()))
        conn.send(("done", task.news(), *task.outcome()))
    except (EOFError, BrokenPipeError):
        return  # the pool is gone: nobody to train for
    except ForecastError as err:  # bad input, worded for a person already
        conn.send(("failed", str(err)))
    except Exception as err:  # a bug, not bad input: say so, not a traceback
        conn.send(("failed", f"Training failed unexpectedly ({type(err).__name__}: {err}). "
                             "Your previous results are kept."))
