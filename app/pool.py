"""Training in worker processes shared by every session of one server, with a fair queue.

Threads cannot train in parallel here: NumPy's many small operations hold the interpreter lock,
so K sessions training in K threads take longer than K runs one after another. A pool of
processes (one per core by default) trains K jobs in about K / cores times one job's time.

    pool = get_pool()                                  # created once per server process
    job = pool.submit(session_id, df, config, budget_s=60)
    while not (status := job.poll()).finished:         # never blocks
        status.queue_position, status.wait_estimate_s  # while every worker is full
        status.progress, status.histories              # while training (runner.progress shape)
    status.result                                      # forecast.ExperimentResult, or
    status.error                                       # a message for a person

Sharing: each worker holds up to ``jobs_per_worker`` jobs (RNN_LAB_JOBS_PER_WORKER, default 4)
and trains them round-robin, one chunk each in turn (app/pool_worker.py), so a short run started
next to heavy ones finishes in about its own time × the jobs sharing its worker, and each job's
budget counts only its own chunks. A new job goes to the worker with the fewest jobs.

Priority: a job's first seconds go first inside its worker, and across workers the others make
way (app/pool_priority.py: just enough heavy workers pause to leave the server a core while a
fresh job trains and its page draws the results). Workers run at a lower CPU priority than the
server (app/pool_worker.py).

Fairness: beyond workers × jobs_per_worker, jobs wait in submission order (FIFO across
sessions), and a session has at most one job: a new submit replaces its queued job in place
(keeping its place in line) or cancels its running one (the new job joins the back of the line).
A job nobody polled for ``idle_timeout_s`` (a closed tab) is cancelled, which frees its place on
a worker.

Faults: a worker process that dies (killed, out of memory) fails only the jobs it held, with
``WORKER_DIED``; the pool starts a replacement and other jobs go on.

No Streamlit here: the app layer polls a Job from its script thread and draws what it returns.

This module is the queue and the dispatcher thread. Its parts: app/pool_jobs.py (the Job handle,
its JobStatus snapshot, the states), app/pool_processes.py (how many workers, how one starts),
app/pool_wait.py (the wait estimate), app/pool_worker.py (what runs inside a worker),
app/pool_priority.py (the board on which workers make way for a fresh job). Import the
pool's API from here.
"""

from __future__ import annotations

import atexit
import itertools
import logging
import os
import threading
import time
from multiprocessing.connection import wait as wait_ready
from typing import Any

from app.pool_jobs import CANCELLED, DONE, FAILED, FINAL, QUEUED, RUNNING, Job, JobStatus
from app.pool_priority import RESULTS, FreshBoard
from app.pool_processes import (
    WorkerProcess,
    jobs_per_worker_from_env,
    process_context,
    start_worker,
    usable_cores,
    workers_from_env,
)
from app.pool_wait import Durations, estimate_wait
from app.settings import CHUNK_SECONDS  # progress reaches the page, Stop the worker, this often

__all__ = [  # the pool's API, wherever each part is defined (importers use app.pool)
    "CANCELLED", "DONE", "FAILED", "FINAL", "QUEUED", "RUNNING", "Job", "JobStatus",
    "TrainingPool", "existing_pool", "get_pool", "jobs_per_worker_from_env", "usable_cores",
    "workers_from_env",
]

log = logging.getLogger(__name__)

WORKER_DIED = ("The training process stopped unexpectedly ({why}), so this run has no result. "
               "Your previous results are kept; press Train to try again. A smaller hidden size "
               "or a shorter period needs less memory.")
PAGE_S = 2.0  # a page build (a full script run) takes about a second, longer on a busy server
DEFAULT_IDLE_S = 60.0  # a tab polls every chunk while it waits or trains; 60 s of silence = gone


class TrainingPool:
    def __init__(self, workers: int | None = None, idle_timeout_s: float = DEFAULT_IDLE_S,
                 chunk_s: float = CHUNK_SECONDS, jobs_per_worker: int | None = None,
                 cores: int | None = None):
        self.n_workers = workers if workers is not None else workers_from_env()
        if self.n_workers < 1:
            raise ValueError(f"A training pool needs at least one worker (got {self.n_workers}).")
        self.jobs_per_worker = (jobs_per_worker if jobs_per_worker is not None
                                else jobs_per_worker_from_env())
        if self.jobs_per_worker < 1:
            raise ValueError(f"A worker needs room for at least one job "
                             f"(got {self.jobs_per_worker}).")
        self.idle_timeout_s, self.chunk_s = idle_timeout_s, chunk_s
        self._ctx = process_context()
        self._cond = threading.Condition()  # guards everything below; notified on any change
        self._ids = itertools.count(1)
        self._queue: list[Job] = []  # waiting jobs, first in line first
        self._by_session: dict[str, Job] = {}  # each session's current job (any state)
        self._durations = Durations()
        self._closed = False
        self._wake_r, self._wake_w = os.pipe()  # any thread -> the dispatcher: "look again"
        os.set_blocking(self._wake_r, False)
        # where workers make way for a new visitor's first seconds (app/pool_priority.py)
        # one slot per worker, and the last one for the server's pages (page_building)
        self.board = FreshBoard.shared(self._ctx, self.n_workers + 1,
                                       cores if cores is not None else usable_cores())
        self._workers = [start_worker(self._ctx, slot, self.board)
                         for slot in range(self.n_workers)]
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

    def page_building(self, seconds: float = PAGE_S) -> None:
        """A page is being built: while every core trains, a heavy worker makes way for about
        ``seconds`` (the board's rule, app/pool_priority.py), so the page does not wait."""
        self.board.post(self.n_workers, RESULTS, seconds)

    def stats(self) -> dict:
        with self._cond:
            live = [w for w in self._workers if not w.dead]
            return {"workers": len(live), "busy": sum(bool(w.jobs) for w in live),
                    "training": sum(len(w.jobs) for w in live), "queued": len(self._queue),
                    "worker_pids": [w.process.pid for w in live]}

    def close(self, timeout: float = 5.0) -> None:
        """Stop every worker (running jobs are cancelled) and the dispatcher thread."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            for job in [*self._queue, *(j for w in self._workers for j in w.jobs.values())]:
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
            wait_s = (estimate_wait(job, self._workers, self._queue, self._durations,
                                    self.jobs_per_worker)
                      if queued else None)
            return JobStatus(
                state=job.state,
                queue_position=self._queue.index(job) + 1 if queued else None,
                wait_estimate_s=wait_s,
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

    def _send(self, w: WorkerProcess, msg: tuple) -> bool:
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
            watch: dict[Any, WorkerProcess | None] = {self._wake_r: None}
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
            for job in [] if w.dead else list(w.jobs.values()):
                if job.state == CANCELLED and not job._cancel_sent:
                    job._cancel_sent = self._send(w, ("cancel", job.id))
                elif job.state == RUNNING and job.stop_reason and not job._stop_sent:
                    job._stop_sent = self._send(w, ("stop", job.id, job.stop_reason))

    def _assign(self) -> None:
        """First in line to the live worker with the fewest jobs, while one has room."""
        tried: set[int] = set()  # workers whose pipe failed this round (dead: seen next round)
        while self._queue:
            room = [w for w in self._workers if not w.dead and id(w) not in tried
                    and len(w.jobs) < self.jobs_per_worker]
            if not room:
                return
            w = min(room, key=lambda w: len(w.jobs))
            job = self._queue[0]
            if job._payload is None:  # cannot happen: a queued job keeps its payload
                self._queue.pop(0)
                continue
            df, config = job._payload
            if not self._send(w, ("run", job.id, df, config, job.budget_s, self.chunk_s)):
                tried.add(id(w))
                continue
            self._queue.pop(0)
            job._payload = None
            job.state, job.worker_pid, w.jobs[job.id] = RUNNING, w.process.pid, job
            self._cond.notify_all()

    def _receive(self, w: WorkerProcess) -> None:
        try:
            while w.conn.poll():
                msg = w.conn.recv()
                with self._cond:
                    self._on_message(w, msg)
        except (EOFError, OSError):
            pass  # the worker died mid-message: the sentinel handles it

    def _on_message(self, w: WorkerProcess, msg: tuple) -> None:
        kind, job_id = msg[0], msg[1]
        job = w.jobs.get(job_id)
        if job is None:
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
                del w.jobs[job_id]
                self._durations.add(news.train_seconds)
                if live:
                    self._finish(job, DONE, result=msg[3], observed=msg[4])
        elif kind == "failed":
            del w.jobs[job_id]
            if live:
                self._finish(job, FAILED, error=msg[2])
        elif kind == "cancelled":
            del w.jobs[job_id]
        self._cond.notify_all()

    def _replace(self, w: WorkerProcess) -> None:
        """A worker exited: read what it said last, fail its jobs, start another in its place."""
        self._receive(w)
        w.process.join(1.0)
        code = w.process.exitcode
        with self._cond:
            w.dead = True
            held, w.jobs = list(w.jobs.values()), {}
            why = (f"killed by signal {-code}" if code is not None and code < 0
                   else f"exit code {code}")
            for job in held:
                if job.state == RUNNING:
                    self._finish(job, FAILED, error=WORKER_DIED.format(why=why))
            closed = self._closed
        w.conn.close()
        if closed:
            return
        slot = self._workers.index(w)  # only this thread replaces workers: the place holds
        self.board.clear(slot)  # what the dead worker posted must not keep the others waiting
        fresh = start_worker(self._ctx, slot, self.board)
        with self._cond:
            self._workers[slot] = fresh
            self._cond.notify_all()
        log.warning("training worker %s stopped (%s); started %s", w.process.pid, code,
                    fresh.process.pid)


_pool: TrainingPool | None = None
_pool_lock = threading.Lock()


def existing_pool() -> TrainingPool | None:
    """The server's pool if it has been started (never starts one: that takes a second)."""
    pool = _pool
    return pool if pool is not None and not pool._closed else None


def get_pool() -> TrainingPool:
    """The server's one pool, created on first use (workers from RNN_LAB_WORKERS)."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool._closed:  # closed: a test (or a shutdown hook) ended it
            _pool = TrainingPool()
            atexit.register(_pool.close)
        return _pool
