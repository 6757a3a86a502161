"""How long a queued job waits for a place on a worker: the line ahead of it, replayed on recent
job lengths.

A running job ends at its budget or at the pace of its progress so far, whichever comes first; a
waiting one is expected to take as long as recent jobs did (capped by its budget).
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass, field

from app.pool_jobs import RUNNING, Job
from app.pool_processes import WorkerProcess

DEFAULT_JOB_S = 60.0  # a job's expected length before any job has finished (for estimates)


@dataclass
class Durations:
    """Training seconds of recently finished jobs: the estimate of a queued job's length."""

    recent: list = field(default_factory=list)

    def add(self, seconds: float) -> None:
        self.recent = [*self.recent[-19:], seconds]

    def expected(self, budget_s: float | None) -> float:
        typical = sum(self.recent) / len(self.recent) if self.recent else DEFAULT_JOB_S
        return min(typical, budget_s) if budget_s is not None else typical


def estimate_wait(job: Job, workers: list[WorkerProcess], queue: list[Job],
                  durations: Durations, jobs_per_worker: int = 1) -> float:
    """Seconds until a place on a worker is free for ``job`` (in ``queue``): when each job now
    training will end, then the jobs ahead of it handed one by one to whichever place frees up
    first. A worker trains its jobs in turns, so a job's own time left takes that many times as
    long in wall time (sharing: n jobs on a worker each get 1/n of it)."""
    now = time.monotonic()
    free_at = []
    for w in workers:
        if w.dead:
            continue
        sharing = max(1, len(w.jobs))
        free_at.extend([0.0] * max(0, jobs_per_worker - len(w.jobs)))
        for running in w.jobs.values():
            if running.state != RUNNING:
                free_at.append(0.0)  # cancelled: its place frees within a chunk
                continue
            done_s = running.train_seconds + ((now - running.progress_at) / sharing
                                              if running.progress_at else 0.0)
            fraction = running.progress.get("fraction", 0.0)
            total = done_s / fraction if fraction > 0 else durations.expected(None)
            if running.budget_s is not None:
                total = min(total, running.budget_s)
            free_at.append(max(0.0, total - done_s) * sharing)
    if not free_at:
        return durations.expected(job.budget_s)
    heapq.heapify(free_at)
    for ahead in queue[: queue.index(job)]:
        # it shares a full worker: its own length times the jobs training beside it
        took = durations.expected(ahead.budget_s) * jobs_per_worker
        heapq.heappush(free_at, heapq.heappop(free_at) + took)
    return free_at[0]
