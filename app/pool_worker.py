"""What runs inside one training worker process: receive a job, train it in chunks, report back.

The pool (app/pool.py) starts this module's ``serve`` in a separate process and talks to it over
one duplex pipe. Messages are tuples; every one about a job carries its id, so a late "stop" for
a job that already ended is recognised and ignored.

    pool -> worker   ("run", job_id, df, config, budget_s, chunk_s)
                     ("stop", job_id, reason)     end training now, keep the best weights
                     ("cancel", job_id)           drop the job, send no result
                     ("quit",)
    worker -> pool   ("started", job_id)                    the training clock starts now
                     ("progress", job_id, Progress)         after every chunk
                     ("done", job_id, Progress, result, observed)   observed: pd.Series °C by day
                     ("failed", job_id, message)
                     ("cancelled", job_id)

BLAS runs at one thread here: the pool's parallelism is one process per core, and a BLAS
thread pool inside each worker would only make them fight over the same cores.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # in case this process imports numpy only now (the pool sets them too)

import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

import pandas as pd  # noqa: E402

from forecast import ExperimentRunner, ForecastError  # noqa: E402

DIVERGED = "stopped: the RNN diverged"  # the same words the app uses today


def budget_reason(budget_s: float) -> str:
    return f"time budget of {budget_s:g} s per click reached"


@dataclass
class Progress:
    """One chunk's news: what the live view draws. Epoch logs are only the new ones."""

    progress: dict  # runner.progress: per network epoch/epochs/done/stop_reason/diverged; fraction
    new_epochs: dict = field(default_factory=dict)  # network -> list[EpochLog] since last chunk
    train_seconds: float = 0.0  # training time so far, waiting in the queue excluded
    budget_hit: bool = False


class _Cancelled(Exception):
    pass


def _controls(conn, job_id, runner) -> None:
    """Apply the stop/cancel messages that arrived during the last chunk."""
    while conn.poll():
        msg = conn.recv()
        if msg[0] == "quit":
            raise SystemExit(0)
        if len(msg) < 2 or msg[1] != job_id:
            continue  # about a job that already ended
        if msg[0] == "cancel":
            raise _Cancelled
        if msg[0] == "stop":
            runner.stop(msg[2])


def _run(conn, job_id, df, config, budget_s, chunk_s) -> None:
    try:
        runner = ExperimentRunner(df, config)
    except ForecastError as err:  # worded for a person already
        conn.send(("failed", job_id, str(err)))
        return
    conn.send(("started", job_id))
    start = time.perf_counter()  # the budget counts training only, not the wait in the queue
    sent = {name: 0 for name in runner.histories}
    budget_hit = False

    def news() -> Progress:
        hist = runner.histories
        fresh = {name: list(h[sent[name]:]) for name, h in hist.items()}
        sent.update({name: len(h) for name, h in hist.items()})
        return Progress(runner.progress, fresh, time.perf_counter() - start, budget_hit)

    try:
        while not runner.done:
            runner.step(max_seconds=chunk_s)
            _controls(conn, job_id, runner)
            info = runner.progress
            if not runner.done and info["rnn"]["diverged"]:
                runner.stop(DIVERGED)  # no point training the others on
            elif (not runner.done and budget_s is not None
                  and time.perf_counter() - start >= budget_s):
                runner.stop(budget_reason(budget_s))  # keeps the best weights so far
                budget_hit = True
            if not runner.done:
                conn.send(("progress", job_id, news()))
    except _Cancelled:
        conn.send(("cancelled", job_id))
        return
    last = news()
    try:
        result = runner.result()
    except ForecastError as err:
        conn.send(("failed", job_id, str(err)))
        return
    ft = runner.features  # the measured target by day, for the "recent days" chart
    observed = pd.Series(ft.target_observed, index=ft.dates)
    conn.send(("done", job_id, last, result, observed))


def serve(conn) -> None:
    """The worker's loop: one job at a time until told to quit or the pool goes away."""
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return  # the server process is gone
        if msg[0] == "quit":
            return
        if msg[0] != "run":
            continue  # a stop/cancel for a job that already ended
        _, job_id, df, config, budget_s, chunk_s = msg
        try:
            _run(conn, job_id, df, config, budget_s, chunk_s)
        except (EOFError, BrokenPipeError):
            return
        except Exception as err:  # a bug, not bad input: say so, keep serving other jobs
            conn.send(("failed", job_id, f"Training failed unexpectedly ({type(err).__name__}: "
                                         f"{err}). Your previous results are kept."))
