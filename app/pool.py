"""Every session's training in a process of its own, one per job; the kernel schedules them.

NumPy's many small operations hold the interpreter lock, so threads cannot train in parallel:
each job (a run, a memory curve) trains in a process forked in milliseconds from a fork server
that has NumPy, pandas and forecast loaded (app/pool_processes.py; what it runs: pool_child.py).

    pool = get_pool()                                       # one per server process
    job = pool.submit(session_id, df, config, budget_s=60)  # kind="curve": the memory curve
    while not (status := job.poll()).finished:              # never blocks
        status.queue_position, status.progress, status.histories
    status.result                                           # or status.error, for a person

At most workers × jobs_per_worker jobs train at once, the rest wait first come first served.
A session has one job: a new submit replaces its queued job in place or cancels its running
one; a job nobody polled for ``idle_timeout_s`` (a closed tab) is cancelled. No priorities of
ours (a job lowers its own, app/pool_child.py); a job whose process dies fails alone (JOB_DIED).
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import logging
import os
import threading
import time
from collections import deque
from multiprocessing.connection import wait as wait_ready
from typing import Any

from app.pool_jobs import CANCELLED, DONE, FAILED, FINAL, QUEUED, RUNNING, Job, JobStatus
from app.pool_processes import Child, count_from_env, start_child, warm_up, workers_from_env
from app.settings import CHUNK_SECONDS  # progress reaches the page, and Stop the job, this often

__all__ = ["CANCELLED", "DONE", "FAILED", "FINAL", "QUEUED", "RUNNING", "Job", "JobStatus",
           "TrainingPool", "existing_pool", "get_pool", "workers_from_env"]

log = logging.getLogger(__name__)

JOB_DIED = ("The training process stopped unexpectedly ({why}), so this run has no result. "
            "Your previous results are kept; press Train to try again. A smaller hidden size "
            "or a shorter period needs less memory.")
DEFAULT_IDLE_S = 60.0  # a tab polls every chunk while it waits or trains; 60 s of silence = gone
DEFAULT_JOBS_PER_WORKER = 4  # jobs training at once per worker (core); the kernel shares it


class TrainingPool:
    def __init__(self, workers: int | None = None, idle_timeout_s: float = DEFAULT_IDLE_S,
                 chunk_s: float = CHUNK_SECONDS, jobs_per_worker: int | None = None):
        workers = workers if workers is not None else workers_from_env()
        per_worker = jobs_per_worker if jobs_per_worker is not None else count_from_env(
            "RNN_LAB_JOBS_PER_WORKER", "jobs training at once per worker", DEFAULT_JOBS_PER_WORKER)
        if workers < 1 or per_worker < 1:
            raise ValueError(f"A training pool needs at least one worker with room for one job "
                             f"(got {workers} workers × {per_worker} jobs).")
        self.n_workers, self.capacity = workers, workers * per_worker
        self.idle_timeout_s, self.chunk_s = idle_timeout_s, chunk_s
        self._lock = threading.Lock()  # guards the line and the children (jobs lock themselves)
        self._ids = itertools.count(1)
        self._queue: deque[Job] = deque()  # waiting jobs, first in line first
        self._running: dict[Job, Child] = {}
        self._by_session: dict[str, Job] = {}  # each session's current job
        self._closed = False
        self._wake_r, self._wake_w = os.pipe()  # any thread -> the pool's thread: look again
        self._thread = threading.Thread(target=self._serve, name="rnn-lab-pool", daemon=True)
        self._thread.start()

    def submit(self, session_id: str, df, config, budget_s: float | None = None,
               kind: str = "run") -> Job:
        """Queue a job for this session, replacing the session's previous one."""
        if budget_s is not None and not budget_s > 0:
            raise ValueError(f"The time budget must be positive (got {budget_s}).")
        with self._lock:
            if self._closed:
                raise RuntimeError("The training pool is shut down.")
            job = Job(next(self._ids), session_id, kind, (df, config), budget_s, self._wake)
            old = self._by_session.get(session_id)
            if old is not None and old.state == QUEUED:
                self._queue[self._queue.index(old)] = job  # keeps the place in line
            else:
                self._queue.append(job)
            if old is not None:
                old.cancel("replaced by a newer run")
            self._by_session[session_id] = job
        self._wake()
        return job

    def stats(self) -> dict:
        with self._lock:
            return {"workers": self.n_workers, "capacity": self.capacity,
                    "training": len(self._running), "queued": len(self._queue),
                    "pids": [c.process.pid for c in self._running.values()]}

    def close(self, timeout: float = 5.0) -> None:
        """Cancel every job, end their processes and the pool's thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            jobs = [*self._queue, *self._running]
        for job in jobs:
            job.cancel("the server is shutting down")
        self._wake()
        self._thread.join(timeout)  # it ends the jobs' processes on its way out
        os.close(self._wake_r)
        os.close(self._wake_w)

    def _wake(self) -> None:
        with contextlib.suppress(OSError):  # closed: the pool is shutting down
            os.write(self._wake_w, b"x")

    def _serve(self) -> None:
        try:
            warm_up()  # a failed warm-up only costs the first job its fork server's start
        except Exception:
            log.exception("training pool: warm-up")
        while not self._closed:
            try:
                self._tidy()
                self._start_waiting()
                watch: dict[Any, Job] = {}
                for job, child in list(self._running.items()):
                    watch[child.conn] = watch[child.process.sentinel] = job
                for ready in wait_ready([self._wake_r, *watch], timeout=1.0):
                    if ready == self._wake_r:
                        os.read(self._wake_r, 4096)  # the wakes so far: all seen now
                    elif watch[ready] in self._running:  # not heard from already this round
                        self._hear(watch[ready], self._running[watch[ready]])
            except Exception:  # never let one bad message stop every session's training
                log.exception("training pool")
        with self._lock:
            ending, self._running = list(self._running.values()), {}
        for child in ending:
            child.end()

    def _tidy(self) -> None:
        """Cancel idle jobs, pass Stops on, end the processes of cancelled jobs."""
        now = time.monotonic()
        with self._lock:
            for sid, job in list(self._by_session.items()):
                if now - job.last_seen > self.idle_timeout_s:  # gone: cancel (if live), forget
                    job.cancel(f"nobody polled it for {self.idle_timeout_s:g} s")
                    del self._by_session[sid]
            self._queue = deque(j for j in self._queue if j.state == QUEUED)
        for job, child in list(self._running.items()):
            if job.state == CANCELLED:
                child.end()
                with self._lock:
                    del self._running[job]
            elif job.stop_asked is not None:
                with contextlib.suppress(OSError):  # it has died: its sentinel tells the pool
                    child.conn.send(("stop", job.stop_asked))
                job.stop_asked = None

    def _start_waiting(self) -> None:
        """First in line first, while there is room."""
        while True:
            with self._lock:
                if not self._queue or len(self._running) >= self.capacity:
                    for place, job in enumerate(self._queue, 1):
                        job.set(queue_position=place)
                    return
                job = self._queue.popleft()
            payload, job.payload = job.payload, None
            if payload is None:  # cancelled meanwhile
                continue
            try:
                child = start_child(job.kind, *payload, job.budget_s, self.chunk_s)
            except Exception as err:  # no process: this job fails, said; the line moves on
                log.exception("training pool: starting a job")
                job.end(FAILED, error=f"The training process could not start ({err}). "
                                      "Press Train to try again.")
                continue
            with self._lock:
                self._running[job] = child
            job.set(state=RUNNING, queue_position=None, pid=child.process.pid)

    def _hear(self, job: Job, child: Child) -> None:
        """Read what the job's process said; a process that ended without a word failed."""
        alive = child.process.is_alive()  # asked first: a process that had ended by now has
        with contextlib.suppress(EOFError, OSError):  # all its news in the pipe, read below
            while child.conn.poll():
                self._on_message(job, child.conn.recv())
        if job.state in FINAL or not alive:
            child.end()  # its news is all in: nothing left to wait for
            with self._lock:
                del self._running[job]
            if job.state == RUNNING:
                code = child.process.exitcode
                why = (f"killed by signal {-code}" if code is not None and code < 0
                       else f"exit code {code}")
                job.end(FAILED, error=JOB_DIED.format(why=why))
            self._wake()  # its place is free

    def _on_message(self, job: Job, message: tuple) -> None:
        if message[0] == "failed":
            job.end(FAILED, error=message[1])
            return
        fields, new_epochs = message[1]
        job.set(new_epochs, **fields)
        if message[0] == "done":
            job.end(DONE, result=message[2], observed=message[3])


_pool: TrainingPool | None = None
_pool_lock = threading.Lock()


def existing_pool() -> TrainingPool | None:
    """The server's pool if it has been started (never starts one)."""
    pool = _pool
    return pool if pool is not None and not pool._closed else None


def get_pool() -> TrainingPool:
    """The server's one pool, created on first use."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool._closed:  # closed: a test (or a shutdown hook) ended it
            _pool = TrainingPool()
            atexit.register(_pool.close)
        return _pool
