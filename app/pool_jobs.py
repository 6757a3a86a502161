"""One run in the training pool as its session sees it: the states, the Job handle, the JobStatus.

A Job only holds its fields. Everything it does goes through its pool (app/pool.py), under the
pool's lock, so a handle is safe to use from any thread; the page draws a JobStatus, a snapshot
that never changes under it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.pool import TrainingPool

QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
CANCELLED = "cancelled"
FINAL = (DONE, FAILED, CANCELLED)


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
