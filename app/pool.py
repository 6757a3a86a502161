"""Training in worker processes shared by every session of one server, with a fair queue.

Threads cannot train in parallel here: NumPy's many small operations hold the interpreter lock,
so K sessions training in K threads take longer than K runs one after another. A pool of
processes (one per core by default) trains K jobs in about K / cores times one job's time.

    pool = get_pool()                                  # created once per server process
    job = pool.submit(session_id, df, config, budget_s=60)
    while not (status := job.poll()).finished:         # never blocks
        status.queue_position, status.wait_estimate_s  # while waiting for a worker
        status.progress, status.histories              # while training (runner.progress shape)
    status.result                                      # forecast.ExperimentResult, or
    status.error                                       # a message for a person

Fairness: jobs start in submission order (FIFO across sessions), and a session has at most one
job: a new submit replaces its queued job in place (keeping its place in line) or cancels its
running one (the new job joins the back of the line). A job nobody polled for ``idle_timeout_s``
(a closed tab) is cancelled, which frees its worker.

Faults: a worker process that dies (killed, out of memory) fails only its own job, with
``WORKER_DIED``; the pool starts a replacement and other jobs go on.

No Streamlit here: the app layer polls a Job from its script thread and draws what it returns.
"""

from __future__ import annotations

import atexit
import heapq
import itertools
import logging
import multiprocessing as mp
import os
import sys
import threading
import time
import types
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import wait as wait_ready
from typing import Any

from app import pool_worker

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
FINAL = (DONE, FAILED, CANCELLED)
WORKER_DIED = ("The training process stopped unexpectedly ({why}), so this run has no result. "
               "Your previous results are kept; press Train to try again. A smaller hidden size "
               "or a shorter period needs less memory.")
CHUNK_SECONDS = 0.25  # progress reaches the page (and Stop reaches the worker) this often
DEFAULT_IDLE_S = 60.0  # a tab polls every chunk while it waits or trains; 60 s of silence = gone
BLAS_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
DEFAULT_JOB_S = 60.0  # a job's expected length before any job has finished (for estimates)


def usable_cores() -> int:
    """Cores this process may run on (CPU affinity, e.g. docker --cpuset-cpus), else all cores.

    A CPU quota (docker --cpus, a Kubernetes CPU limit) is invisible here: set RNN_LAB_WORKERS.
    """
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def workers_from_env(env: dict | None = None) -> int:
    """RNN_LAB_WORKERS, else one worker per usable core. Bad values: a readable ValueError."""
    raw = (os.environ if env is None else env).get("RNN_LAB_WORKERS", "").strip()
    if not raw:
        return usable_cores()
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"RNN_LAB_WORKERS must be a whole number of worker processes, at least "
                         f"1 (got {raw!r}); leave it unset for one per core ({usable_cores()}).")
    return int(raw)


@dataclass(frozen=True)
class JobStatus:
    """A snapshot of one job: everything the page draws, never a live object."""

    state: str  # queued | running | done | failed | cancelled
    queue_position: int | None  # 1 = next to start; None once a worker has it
    wait_estimate_s: float | None  # seconds until a worker is free for it (queued only)
    progress: dict  # ExperimentRunner.progress of the last chunk ({} before the first)
    histories: dict  # network -> list[rnn.train.EpochLog] so far (losses, gradient norms)
    train_seconds: float  # training time so far: the budget counts this, not the waiting
    budget_hit: bool  # training ended because the time budget ran out
    result: Any = None  # forecast.ExperimentResult once done
    observed: Any = None  # pd.Series, the run's measured target by day (once done)
    error: str | None = None  # failed: a message for a person
    reason: str | None = None  # cancelled: why (replaced, cancelled, idle)
    worker_pid: int | None = None  # the process training it (for tests and monitoring)

    @property
    def finished(self) -> bool:
        return self.state in FINAL

    @property
    def fraction(self) -> float:
        return float(self.progress.get("fraction", 1.0 if self.state == DONE else 0.0))


class Job:
    """A handle on one submitted run. Every method is safe to call from any thread."""

    def __init__(self, pool: TrainingPool, job_id: int, session_id: str, df, config,
                 budget_s: float | None):
        self._pool, self.id, self.session_id = pool, job_id, session_id
        self.budget_s = budget_s
        self._payload: tuple[Any, Any] | None = (df, config)  # dropped once sent to a worker
        self.state = QUEUED
        self.submitted_at = time.monotonic()
        self.last_seen = self.submitted_at  # the last poll: a tab that stops polling is gone
        self.progress: dict = {}
        self.histories: dict = {}
        self.train_seconds = 0.0
        self.progress_at: float | None = None  # monotonic time of the last progress message
        self.budget_hit = False
        self.result = self.observed = self.error = self.reason = None
        self.worker_pid: int | None = None
        self.stop_reason: str | None = None  # a stop asked for, sent with the next dispatch
        self._stop_sent = self._cancel_sent = False  # the dispatcher told the worker already

    def poll(self) -> JobStatus:
        """The latest snapshot; also tells the pool this session is still there."""
        return self._pool._status(self, touch=True)

    def wait(self, timeout: float | None = None) -> JobStatus:
        """Block until the job has finished (or timeout); polls meanwhile, so it stays alive."""
        return self._pool._wait(self, timeout)

    def queue_position(self) -> int | None:
        return self.poll().queue_position

    def wait_estimate_s(self) -> float | None:
        return self.poll().wait_estimate_s

    def stop(self, reason: str = "stopped by user") -> None:
        """End training soon (within a chunk); every network keeps its best weights so far.

        A job still in the queue has nothing to keep: it is cancelled instead.
        """
        self._pool._stop(self, reason)

    def cancel(self, reason: str = "cancelled") -> None:
        """Drop the job (no result) and free its worker."""
        self._pool._cancel(self, reason)


@dataclass
class _Worker:
    process: Any  # multiprocessing Process
    conn: Any  # our end of the duplex pipe
    job: Job | None = None
    dead: bool = False


@dataclass
class _Durations:
    """Training seconds of recently finished jobs: the estimate of a queued job's length."""

    recent: list = field(default_factory=list)

    def add(self, seconds: float) -> None:
        self.recent = [*self.recent[-19:], seconds]

    def expected(self, budget_s: float | None) -> float:
        typical = sum(self.recent) / len(self.recent) if self.recent else DEFAULT_JOB_S
        return min(typical, budget_s) if budget_s is not None else typical


def _context():
    """forkserver where it exists (never fork the multi-threaded server itself), else spawn.

    The fork server imports the worker module (numpy, pandas, forecast) once, so every worker and
    every replacement forks from it ready to train.
    """
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload([pool_worker.__name__])
        return ctx
    return mp.get_context("spawn")


@contextmanager
def _no_main_module():
    """Start processes without the main module: Streamlit runs the page as ``__main__``, and
    multiprocessing would import (that is, run) it again in every new process. Workers need only
    app.pool_worker."""
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if saved is not None:
            sys.modules["__main__"] = saved


_env_lock = threading.Lock()


@contextmanager
def _one_blas_thread():
    """Start processes with BLAS at one thread: they inherit the environment at start (the fork
    server is started by the first worker and keeps it). The server's own BLAS is loaded already,
    so the brief change does not touch it."""
    with _env_lock:
        saved = {var: os.environ.get(var) for var in BLAS_THREAD_VARS}
        os.environ.update({var: "1" for var in BLAS_THREAD_VARS})
        try:
            yield
        finally:
            for var, value in saved.items():
                if value is None:
                    os.environ.pop(var, None)
                else:
                    os.environ[var] = value


class TrainingPool:
    def __init__(self, workers: int | None = None, idle_timeout_s: float = DEFAULT_IDLE_S,
                 chunk_s: float = CHUNK_SECONDS):
        self.n_workers = workers if workers is not None else workers_from_env()
        if self.n_workers < 1:
            raise ValueError(f"A training pool needs at least one worker (got {self.n_workers}).")
        self.idle_timeout_s, self.chunk_s = idle_timeout_s, chunk_s
        self._ctx = _context()
        self._cond = threading.Condition()  # guards everything below; notified on any change
        self._ids = itertools.count(1)
        self._queue: list[Job] = []  # waiting jobs, first in line first
        self._by_session: dict[str, Job] = {}  # each session's current job (any state)
        self._durations = _Durations()
        self._closed = False
        self._wake_r, self._wake_w = os.pipe()  # any thread -> the dispatcher: "look again"
        os.set_blocking(self._wake_r, False)
        self._workers = [self._start_worker() for _ in range(self.n_workers)]
        self._thread = threading.Thread(target=self._dispatch_forever, name="rnn-lab-pool",
                                        daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ the public side
    def submit(self, session_id: str, df, config, budget_s: float | None = None) -> Job:
        """Queue a run for this session, replacing the session's previous job."""
        if budget_s is not None and not budget_s > 0:
            raise ValueError(f"The time budget must be positive (got {budget_s}).")
        with self._cond:
            if self._closed:
                raise RuntimeError("The training pool is shut down.")
            job = Job(self, next(self._ids), session_id, df, config, budget_s)
            old = self._by_session.get(session_id)
            if old is not None and old.state == QUEUED:
                self._queue[self._queue.index(old)] = job  # keeps the place in line
                self._finish(old, CANCELLED, reason="replaced by a newer run")
            else:
                if old is not None and old.state == RUNNING:
                    self._finish(old, CANCELLED, reason="replaced by a newer run")
                self._queue.append(job)
            self._by_session[session_id] = job
        self._wake()
        return job

    def stats(self) -> dict:
        with self._cond:
            live = [w for w in self._workers if not w.dead]
            return {"workers": len(live), "busy": sum(w.job is not None for w in live),
                    "queued": len(self._queue),
                    "worker_pids": [w.process.pid for w in live]}

    def close(self, timeout: float = 5.0) -> None:
        """Stop every worker (running jobs are cancelled) and the dispatcher thread."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            for job in [*self._queue, *(w.job for w in self._workers if w.job)]:
                self._finish(job, CANCELLED, reason="the server is shutting down")
            self._queue.clear()
        self._wake()
        self._thread.join(timeout)
        for w in self._workers:
            try:
                w.conn.send(("quit",))
            except OSError:
                pass
        deadline = time.monotonic() + timeout
        for w in self._workers:
            w.process.join(max(0.0, deadline - time.monotonic()))
            if w.process.is_alive():
                w.process.kill()
                w.process.join(1.0)
            w.conn.close()
        os.close(self._wake_r)
        os.close(self._wake_w)

    # ------------------------------------------------------------------ job handles call these
    def _status(self, job: Job, touch: bool) -> JobStatus:
        with self._cond:
            if touch:
                job.last_seen = time.monotonic()
            queued = job.state == QUEUED
            return JobStatus(
                state=job.state,
                queue_position=self._queue.index(job) + 1 if queued else None,
                wait_estimate_s=self._estimate_wait(job) if queued else None,
                progress=dict(job.progress),
                histories={name: list(h) for name, h in job.histories.items()},
                train_seconds=job.train_seconds, budget_hit=job.budget_hit,
                result=job.result, observed=job.observed, error=job.error, reason=job.reason,
                worker_pid=job.worker_pid)

    def _wait(self, job: Job, timeout: float | None) -> JobStatus:
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while job.state not in FINAL:
                job.last_seen = time.monotonic()
                left = 1.0 if deadline is None else min(1.0, deadline - time.monotonic())
                if left <= 0:
                    break
                self._cond.wait(left)
        return self._status(job, touch=True)

    def _stop(self, job: Job, reason: str) -> None:
        with self._cond:
            if job.state == QUEUED:
                self._queue.remove(job)
                self._finish(job, CANCELLED, reason=reason)
            elif job.state == RUNNING:
                job.stop_reason = reason
        self._wake()

    def _cancel(self, job: Job, reason: str) -> None:
        with self._cond:
            if job.state == QUEUED:
                self._queue.remove(job)
            if job.state in (QUEUED, RUNNING):
                self._finish(job, CANCELLED, reason=reason)
            if self._by_session.get(job.session_id) is job:
                del self._by_session[job.session_id]
        self._wake()

    # ------------------------------------------------------------------ bookkeeping (locked)
    def _finish(self, job: Job, state: str, **fields) -> None:
        job.state = state
        job._payload = None
        for name, value in fields.items():
            setattr(job, name, value)
        self._cond.notify_all()

    def _estimate_wait(self, job: Job) -> float:
        """Seconds until a worker is free for ``job``: replay the line ahead of it.

        A running job ends at its budget or at the pace of its progress so far, whichever comes
        first; a waiting one is expected to take as long as recent jobs did (capped by its budget).
        """
        now = time.monotonic()
        free_at = []
        for w in self._workers:
            if w.dead:
                continue
            running = w.job
            if running is None or running.state != RUNNING:
                free_at.append(0.0)
                continue
            done_s = running.train_seconds + (now - running.progress_at
                                              if running.progress_at else 0.0)
            fraction = running.progress.get("fraction", 0.0)
            total = done_s / fraction if fraction > 0 else self._durations.expected(None)
            if running.budget_s is not None:
                total = min(total, running.budget_s)
            free_at.append(max(0.0, total - done_s))
        if not free_at:
            return self._durations.expected(job.budget_s)
        heapq.heapify(free_at)
        for ahead in self._queue[: self._queue.index(job)]:
            heapq.heappush(free_at, heapq.heappop(free_at) + self._durations.expected(
                ahead.budget_s))
        return free_at[0]

    def _expire_idle(self) -> None:
        now = time.monotonic()
        for sid, job in list(self._by_session.items()):
            if now - job.last_seen <= self.idle_timeout_s:
                continue
            if job.state == QUEUED:
                self._queue.remove(job)
            if job.state in (QUEUED, RUNNING):
                self._finish(job, CANCELLED, reason=f"nobody polled it for "
                                                    f"{self.idle_timeout_s:g} s")
            job.result = job.observed = None  # a finished result nobody came back for
            del self._by_session[sid]

    # ------------------------------------------------------------------ the dispatcher thread
    def _wake(self) -> None:
        try:
            os.write(self._wake_w, b"x")
        except OSError:  # closed: the pool is shutting down
            pass

    def _start_worker(self) -> _Worker:
        ours, theirs = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=pool_worker.serve, args=(theirs,), daemon=True,
                                    name="rnn-lab-training-worker")
        with _one_blas_thread(), _no_main_module():
            process.start()
        theirs.close()  # the worker holds its end; ours sees EOF when the worker dies
        return _Worker(process, ours)

    def _send(self, w: _Worker, msg: tuple) -> bool:
        try:
            w.conn.send(msg)
            return True
        except OSError:  # the worker died: its sentinel reports it on the next round
            return False

    def _dispatch_forever(self) -> None:
        while True:
            with self._cond:
                if self._closed:
                    return
            try:
                self._dispatch_once()
            except Exception:  # never let one bad message stop every session's training
                log.exception("training pool dispatcher")
                time.sleep(0.1)

    def _dispatch_once(self) -> None:
        with self._cond:
            self._expire_idle()
            self._send_controls()
            self._assign()
            watch: dict[Any, _Worker | None] = {self._wake_r: None}
            for w in self._workers:
                if not w.dead:
                    watch[w.conn] = w
                    watch[w.process.sentinel] = w
        ready = wait_ready(list(watch), timeout=1.0)
        for obj in ready:
            if obj == self._wake_r:
                try:
                    while os.read(self._wake_r, 4096):
                        pass
                except (BlockingIOError, OSError):
                    pass
                continue
            worker = watch[obj]
            if worker is None:
                continue
            if obj is worker.conn:
                self._receive(worker)
            elif not worker.dead:  # the sentinel: the process has exited
                self._replace(worker)

    def _send_controls(self) -> None:
        for w in self._workers:
            job = w.job
            if job is None or w.dead:
                continue
            if job.state == CANCELLED and not job._cancel_sent:
                job._cancel_sent = self._send(w, ("cancel", job.id))
            elif job.state == RUNNING and job.stop_reason and not job._stop_sent:
                job._stop_sent = self._send(w, ("stop", job.id, job.stop_reason))

    def _assign(self) -> None:
        for w in self._workers:
            if w.dead or w.job is not None or not self._queue:
                continue
            job = self._queue.pop(0)
            if job._payload is None:  # cannot happen: a queued job keeps its payload
                continue
            df, config = job._payload
            if not self._send(w, ("run", job.id, df, config, job.budget_s, self.chunk_s)):
                self._queue.insert(0, job)
                continue
            job._payload = None
            job.state, job.worker_pid, w.job = RUNNING, w.process.pid, job
            self._cond.notify_all()

    def _receive(self, w: _Worker) -> None:
        try:
            while w.conn.poll():
                msg = w.conn.recv()
                with self._cond:
                    self._on_message(w, msg)
        except (EOFError, OSError):
            pass  # the worker died mid-message: the sentinel handles it

    def _on_message(self, w: _Worker, msg: tuple) -> None:
        kind, job_id = msg[0], msg[1]
        job = w.job
        if job is None or job.id != job_id:
            return
        live = job.state == RUNNING  # a cancelled job's late news is dropped
        if kind == "started":
            job.progress_at = time.monotonic()
        elif kind in ("progress", "done"):
            news = msg[2]
            if live:
                job.progress, job.train_seconds = news.progress, news.train_seconds
                job.budget_hit, job.progress_at = news.budget_hit, time.monotonic()
                for name, logs in news.new_epochs.items():
                    job.histories.setdefault(name, []).extend(logs)
            if kind == "done":
                w.job = None
                self._durations.add(news.train_seconds)
                if live:
                    self._finish(job, DONE, result=msg[3], observed=msg[4])
        elif kind == "failed":
            w.job = None
            if live:
                self._finish(job, FAILED, error=msg[2])
        elif kind == "cancelled":
            w.job = None
        self._cond.notify_all()

    def _replace(self, w: _Worker) -> None:
        """A worker exited: read what it said last, fail its job, start another in its place."""
        self._receive(w)
        w.process.join(1.0)
        code = w.process.exitcode
        with self._cond:
            w.dead = True
            job, w.job = w.job, None
            if job is not None and job.state == RUNNING:
                why = (f"killed by signal {-code}" if code is not None and code < 0
                       else f"exit code {code}")
                self._finish(job, FAILED, error=WORKER_DIED.format(why=why))
            closed = self._closed
        w.conn.close()
        if closed:
            return
        fresh = self._start_worker()
        with self._cond:
            self._workers[self._workers.index(w)] = fresh
            self._cond.notify_all()
        log.warning("training worker %s stopped (%s); started %s", w.process.pid, code,
                    fresh.process.pid)


_pool: TrainingPool | None = None
_pool_lock = threading.Lock()


def get_pool() -> TrainingPool:
    """The server's one pool, created on first use (workers from RNN_LAB_WORKERS)."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool._closed:  # closed: a test (or a shutdown hook) ended it
            _pool = TrainingPool()
            atexit.register(_pool.close)
        return _pool
