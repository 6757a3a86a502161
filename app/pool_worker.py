"""What runs inside one training worker process: receive a job, train it in chunks, report back.

The pool (app/pool.py) starts this module's ``serve`` in a separate process and talks to it over
one duplex pipe. Messages are tuples; every one about a job carries its id, so a late "stop" for
a job that already ended is recognised and ignored.

    pool -> worker   ("run", job_id, df, config, budget_s, chunk_s)
                     ("stop", job_id, reason)     end training now, keep the best weights
                     ("cancel", job_id)           drop the job, send no result
                     ("quit",)
    worker -> pool   ("started", job_id)                    the training clock starts now
                     ("progress", job_id, ChunkNews)        after every chunk
                     ("done", job_id, ChunkNews, result, observed)  observed: pd.Series °C by day
                     ("failed", job_id, message)
                     ("cancelled", job_id)

BLAS runs at one thread here: the pool's parallelism is one process per core, and a BLAS
thread pool inside each worker would only make them fight over the same cores.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # in case this process imports numpy only now (the pool sets them too)

from dataclasses import dataclass, field  # noqa: E402

from app.job import TrainingJob  # noqa: E402
from forecast import ForecastError  # noqa: E402


@dataclass
class ChunkNews:
    """One chunk's news: what the live view draws. Epoch logs are only the new ones."""

    progress: dict  # runner.progress: per network epoch/epochs/done/stop_reason/diverged; fraction
    new_epochs: dict = field(default_factory=dict)  # network -> list[EpochLog] since last chunk
    train_seconds: float = 0.0  # training time so far, waiting in the queue excluded
    budget_hit: bool = False


class _Cancelled(Exception):
    pass


def _controls(conn, job_id, job: TrainingJob) -> None:
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
            job.stop(msg[2])


def _run(conn, job_id, df, config, budget_s, chunk_s) -> None:
    """Train one job with the app's own TrainingJob: its divergence and budget rules, its clock
    (started once the data is prepared, so the budget counts training, not the queue)."""
    try:
        job = TrainingJob(df, config, budget_s)
    except ForecastError as err:  # worded for a person already
        conn.send(("failed", job_id, str(err)))
        return
    conn.send(("started", job_id))
    runner = job.runner
    sent = {name: 0 for name in runner.histories}

    def news() -> ChunkNews:
        hist = runner.histories
        fresh = {name: list(h[sent[name]:]) for name, h in hist.items()}
        sent.update({name: len(h) for name, h in hist.items()})
        return ChunkNews(runner.progress, fresh, job.seconds, job.budget_hit)

    try:
        while not job.done:
            job.step(chunk_s)
            _controls(conn, job_id, job)
            if not job.done:
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
    conn.send(("done", job_id, last, result, job.observed()))


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
