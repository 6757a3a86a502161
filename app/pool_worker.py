"""What runs inside one training worker process: hold a few jobs, train them in turns, report.

The pool (app/pool.py) starts this module's ``serve`` in a separate process and talks to it over
one duplex pipe. Messages are tuples; every one about a job carries its id, so a late "stop" for
a job that already ended is recognised and ignored.

    pool -> worker   ("run", job_id, df, config, budget_s, chunk_s)
                     ("stop", job_id, reason)     end training now, keep the best weights
                     ("cancel", job_id)           drop the job, send no result
                     ("quit",)
    worker -> pool   ("started", job_id)                    data prepared, training starts
                     ("progress", job_id, ChunkNews)        after every chunk
                     ("done", job_id, ChunkNews, result, observed)  observed: pd.Series °C by day
                     ("failed", job_id, message)
                     ("cancelled", job_id)

Processor sharing: a worker holds every job the pool gave it (up to JOBS_PER_WORKER) and trains
them round-robin, one chunk each in turn, reading the pool's messages between chunks. A short
run therefore finishes after about (its own time × jobs sharing the worker) instead of waiting
for every longer run ahead of it; each job's budget counts only its own chunks (TrainingJob).
A job's data is prepared on its first turn. A turn ends after about chunk_s even when one epoch
of a big network takes seconds (rnn/train.py stops between mini-batches). A job whose training
has ended builds its result (about 2 s for a hidden-256 run) on a later turn when a new job is
still within its first seconds, so the newcomer's short run is not kept waiting behind it.
A heavy job's turn ends early (between mini-batches) when a message arrives — a new job, a
Stop — or when the workers' board (app/pool_priority.py) says to make way for a fresh job
training in another worker; each worker posts there what its turns are doing.

Workers run at a lower CPU priority (``WORKER_NICE``): the server process renders every
visitor's page, and a page must not wait for a core behind training. When the cores are free
the workers get all of them anyway; niceness only decides who goes first when both want one.

BLAS runs at one thread here: the pool's parallelism is one process per core, and a BLAS
thread pool inside each worker would only make them fight over the same cores.
"""

import os
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # in case this process imports numpy only now (the pool sets them too)

from dataclasses import dataclass, field  # noqa: E402
from typing import Any  # noqa: E402

from app.job import TrainingJob  # noqa: E402
from app.pool_priority import FRESH, HEAVY, MAX_WAIT_S, RESULTS, FreshBoard  # noqa: E402
from forecast import ForecastError  # noqa: E402


@dataclass
class ChunkNews:
    """One chunk's news: what the live view draws. Epoch logs are only the new ones."""

    progress: dict  # runner.progress: per network epoch/epochs/done/stop_reason/diverged; fraction
    new_epochs: dict = field(default_factory=dict)  # network -> list[EpochLog] since last chunk
    train_seconds: float = 0.0  # training time so far, waiting in the queue excluded
    budget_hit: bool = False


@dataclass
class _Active:
    """One job this worker holds: its message fields until the first turn, then its TrainingJob."""

    df: Any  # pd.DataFrame until the first turn, then None
    config: Any  # Settings or ExperimentConfig until the first turn
    budget_s: float | None
    chunk_s: float
    job: TrainingJob | None = None
    sent: dict = field(default_factory=dict)  # network -> epoch logs already reported
    stop_reason: str | None = None  # a stop that arrived before the data was prepared

    def news(self) -> ChunkNews:
        assert self.job is not None
        hist = self.job.runner.histories
        fresh = {name: list(h[self.sent.get(name, 0):]) for name, h in hist.items()}
        self.sent.update({name: len(h) for name, h in hist.items()})
        return ChunkNews(self.job.runner.progress, fresh, self.job.seconds, self.job.budget_hit)


def _read(conn, active: dict, block: bool) -> bool:
    """Apply the pool's messages (waiting for one when ``block``); False: quit or pool gone."""
    try:
        while block or conn.poll():
            block = False
            msg = conn.recv()
            if msg[0] == "quit":
                return False
            if msg[0] == "run":
                _, job_id, df, config, budget_s, chunk_s = msg
                active[job_id] = _Active(df, config, budget_s, chunk_s)
                continue
            entry = active.get(msg[1]) if len(msg) > 1 else None
            if entry is None:
                continue  # about a job that already ended
            if msg[0] == "cancel":
                del active[msg[1]]
                conn.send(("cancelled", msg[1]))
            elif msg[0] == "stop":
                if entry.job is not None:
                    entry.job.stop(msg[2])
                else:
                    entry.stop_reason = msg[2]
    except (EOFError, OSError):
        return False  # the server process is gone
    return True


def _turn(conn, job_id, entry: _Active, defer_result: bool = False, until=None) -> bool:
    """One chunk of one job (preparing its data first on its first turn); True: it has ended.
    ``until()`` True ends the chunk early (TrainingJob.step).

    A job whose training is over builds and sends its result, unless ``defer_result`` (a newer
    job is in its first seconds): then it says so and builds the result on its next turn."""
    if entry.job is None:
        try:
            entry.job = TrainingJob(entry.df, entry.config, entry.budget_s)
        except ForecastError as err:  # worded for a person already
            conn.send(("failed", job_id, str(err)))
            return True
        entry.df = entry.config = None
        conn.send(("started", job_id))
    job = entry.job
    if not job.done:
        job.step(entry.chunk_s, until)
        if entry.stop_reason is not None:
            job.stop(entry.stop_reason)
        if not job.done or defer_result:
            conn.send(("progress", job_id, entry.news()))
            return False
    last = entry.news()
    try:
        result = job.runner.result()
    except ForecastError as err:
        conn.send(("failed", job_id, str(err)))
        return True
    conn.send(("done", job_id, last, result, job.observed()))
    return True


BOOST_S = 2.0  # a job's first seconds of training go first: a default run ends in one turn


def _own_seconds(entry: _Active) -> float:
    return 0.0 if entry.job is None else entry.job.seconds


def _fresh(entry: _Active) -> bool:
    """Still training within its first BOOST_S seconds (or not started)."""
    return entry.job is None or (not entry.job.done and entry.job.seconds < BOOST_S)


def _next_turn(active: dict[int, _Active]) -> int:
    """Whose chunk is next: the least-trained job still within its first BOOST_S seconds (so a
    new visitor's short run is not kept behind heavy ones a whole round), else the front of the
    line (round-robin)."""
    fresh = [j for j, e in active.items() if _fresh(e)]
    if fresh:
        return min(fresh, key=lambda j: _own_seconds(active[j]))  # ties: the earliest arrival
    return next(iter(active))


WORKER_NICE = 10  # CFS weight ~1/10 of a nice-0 process: the server's pages go first


def lower_priority() -> None:
    """Raise this process's niceness by WORKER_NICE (not on Windows, which has no os.nice).

    The worker stays in the server's session, so where Linux groups processes by session
    (autogroups) it shares the server's group and the niceness weighs it against the server.
    A group of its own at nice 10 was measured too (benchmarks/concurrency.py, K = 8 heavy runs
    in the same hour): it made the runs' browsers take a larger share from training (all done
    at 1.36x ideal against 1.15x) and a new visitor's short run slower (it then trains at the
    group's low weight against every browser), for a slightly faster first chart."""
    try:
        os.nice(WORKER_NICE)
    except (AttributeError, OSError):  # no os.nice here, or not permitted: train as we are
        pass


RESULTS_GRACE_S = 1.0  # a fresh job's results are built and drawn: heavy runs wait this long
PREPARE_S = 5.0  # a fresh job's first turn prepares its data too: posted this much longer
PAUSE_POLL_S = 0.05  # a waiting worker looks at the board (and its messages) this often


def _training(entry: _Active) -> bool:
    """Has training to do (not ended, no Stop waiting to land): only such a turn may wait."""
    return entry.job is not None and not entry.job.done and entry.stop_reason is None


def serve(conn, slot: int, board: FreshBoard) -> None:
    """The worker's loop: take turns between the jobs it holds until told to quit or the pool
    goes away. ``active`` keeps turn order: a job that had its turn goes to the back.

    ``board`` (app/pool_priority.py), shared by the pool's workers: this worker posts under
    ``slot`` whether it trains a fresh job or holds heavy ones, and a heavy job's turn waits
    (at most MAX_WAIT_S in a row) while the board says to leave a core for the server. A turn
    that ends a job or lands a Stop never waits."""
    lower_priority()
    active: dict[int, _Active] = {}
    waiting_since: float | None = None
    while _read(conn, active, block=not active):
        if not active:
            continue
        job_id = _next_turn(active)
        entry = active[job_id]
        fresh, forced = _fresh(entry), False
        ahead = 4 * entry.chunk_s  # posted a few turns ahead, renewed every turn
        if fresh:
            board.post(slot, FRESH, ahead + (PREPARE_S if entry.job is None else 0))
        else:
            board.post(slot, HEAVY, ahead)
            if _training(entry) and board.should_wait(slot):
                waiting_since = waiting_since or time.monotonic()
                if time.monotonic() - waiting_since < MAX_WAIT_S:
                    conn.poll(PAUSE_POLL_S)  # a message ends the wait early; then look again
                    continue
                forced = True  # waited long enough: one whole turn, whatever the board says
        waiting_since = None

        def urgent(forced: bool = forced) -> bool:  # a heavy turn ends early for a message
            # (a new job, a Stop) or the board, unless this is the turn it waited 3 s for
            return conn.poll() or (not forced and board.should_wait(slot))

        del active[job_id]
        try:
            ended = _turn(conn, job_id, entry,
                          defer_result=any(_fresh(e) for e in active.values()),
                          until=None if fresh else urgent)
        except (EOFError, BrokenPipeError):
            return
        except Exception as err:  # a bug, not bad input: say so, keep serving other jobs
            conn.send(("failed", job_id, f"Training failed unexpectedly ({type(err).__name__}: "
                                         f"{err}). Your previous results are kept."))
            ended = True
        if not ended:
            active[job_id] = entry  # the back of the line
        if fresh and not any(_fresh(e) for e in active.values()):
            board.post(slot, FRESH, 0)
            if ended:  # its page builds and draws the results next
                board.post(slot, RESULTS, RESULTS_GRACE_S)
        if all(_fresh(e) for e in active.values()):
            board.post(slot, HEAVY, 0)
