"""One pool job as its session sees it: the states, the JobStatus snapshot and the Job handle,
its state behind its own lock. The pool's thread writes it (set, end); a session reads it (poll,
wait) and asks (stop, cancel: recorded, then ``wake`` tells the pool). It never calls the pool."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rnn.train import STOPPED_BY_USER

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
    kind: str  # "run" (a TrainingJob) or "curve" (the memory curve)
    queue_position: int | None  # 1 = next to start; None once it has a process
    progress: dict  # the task's progress after its last chunk ({} before the first)
    histories: dict  # network -> list[rnn.train.EpochLog] so far (runs only)
    train_seconds: float  # CPU seconds of training so far: the budget counts these
    budget_hit: bool  # training ended because the time budget ran out
    result: Any = None  # done: forecast.ExperimentResult (run) or the curve's points
    observed: Any = None  # done (run): pd.Series, the run's measured target by day
    error: str | None = None  # failed: a message for a person
    reason: str | None = None  # cancelled: why (replaced, stopped, idle, shutdown)
    pid: int | None = None  # the job's process (for tests and monitoring)
    version: int = 0  # grows with every piece of news: wait(after=...) waits for the next

    @property
    def finished(self) -> bool:
        return self.state in FINAL

    @property
    def fraction(self) -> float:
        return float(self.progress.get("fraction", 1.0 if self.state == DONE else 0.0))


class Job:
    """A handle on one submitted job. Every method is safe to call from any thread."""

    def __init__(self, job_id: int, session_id: str, kind: str, payload: tuple[Any, Any],
                 budget_s: float | None, wake: Callable[[], None]):
        self.id, self.session_id, self.kind, self.budget_s = job_id, session_id, kind, budget_s
        self.payload: tuple[Any, Any] | None = payload  # (df, config) until its process has it
        self._wake = wake
        self._cond = threading.Condition()
        self.last_seen = time.monotonic()  # the last poll: a tab that stops polling is gone
        self.stop_asked: str | None = None  # a Stop the pool has yet to pass on
        self._s: dict[str, Any] = {"state": QUEUED, "kind": kind, "queue_position": None,
                                   "progress": {}, "histories": {}, "train_seconds": 0.0,
                                   "budget_hit": False, "version": 0}

    @property
    def state(self) -> str:
        return self._s["state"]

    def poll(self, touch: bool = True) -> JobStatus:
        """The latest snapshot; also tells the pool this session is still there."""
        with self._cond:
            if touch:
                self.last_seen = time.monotonic()
            s = self._s
            return JobStatus(**{**s, "progress": dict(s["progress"]),
                                "histories": {n: list(h) for n, h in s["histories"].items()}})

    def wait(self, timeout: float | None = None, after: int | None = None) -> JobStatus:
        """Block until the job has finished, or (``after``: a status's version) has news, or
        ``timeout``; counts as polling meanwhile."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self.state not in FINAL and (after is None or self._s["version"] <= after):
                self.last_seen = time.monotonic()
                left = 1.0 if deadline is None else min(1.0, deadline - time.monotonic())
                if left <= 0:
                    break
                self._cond.wait(left)
        return self.poll()

    def stop(self, reason: str = STOPPED_BY_USER) -> None:
        """End training soon (within a chunk), keeping the best weights (a curve: the windows
        trained). A job still in the queue has nothing to keep: it is cancelled instead."""
        with self._cond:
            if self.state == RUNNING:
                self.stop_asked = reason
            else:
                self.end(CANCELLED, reason=reason)  # queued; an ended job stays as it is
        self._wake()

    def cancel(self, reason: str = "cancelled") -> None:
        """Drop the job (no result); its process, if it has one, is ended."""
        self.end(CANCELLED, reason=reason)
        self._wake()

    def set(self, new_epochs: dict | None = None, **fields) -> None:
        """Record news (progress, place in line, epoch logs) unless the job has already ended."""
        with self._cond:
            if self.state not in FINAL:
                for name, logs in (new_epochs or {}).items():
                    self._s["histories"].setdefault(name, []).extend(logs)
                self._s.update(fields, version=self._s["version"] + 1)
                self._cond.notify_all()

    def end(self, state: str, **fields) -> bool:
        """Finish with ``state``; False (nothing changed) when it had finished already."""
        with self._cond:
            if self.state in FINAL:
                return False
            self.payload = None
            self._s.update(fields, state=state, queue_position=None,
                           version=self._s["version"] + 1)
            self._cond.notify_all()
            return True
