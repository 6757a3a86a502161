"""Which workers make way while a new visitor's short run trains: a board the workers share.

Inside one worker a job's first seconds go first (app/pool_worker.py). Across workers that is not
enough on a small machine: with every core busy training heavy runs, the worker holding a new
visitor's run shares its core with the server, which must also build the visitor's page. So
while a worker trains a job in its first seconds ("fresh"), it stamps its slot on this board, and
just enough of the other workers pause their heavy jobs to leave one core for the server:

    running workers ≤ cores − 1 while any fresh job trains (never fewer than the fresh ones)

On 2 cores: the fresh run gets one core, the server the other, the heavy runs wait about as long
as the fresh run trains (a default run: under a second; at most ~BOOST_S of its own training).
On 16 cores with 16 busy workers, one heavy worker pauses. Heavy runs lose no budget (it counts
only their own chunks), and when no fresh job trains nobody pauses.

A stamp is "fresh until" on the monotonic clock (system-wide on Linux and macOS): it lapses by
itself, so a worker that dies mid-run cannot leave the others paused.
"""

from __future__ import annotations

import time
from typing import Any


class FreshBoard:
    """One "fresh until" stamp per worker slot, in shared memory (``ctx.Array('d', n)``)."""

    def __init__(self, stamps: Any, cores: int):
        self.stamps = stamps  # shared doubles, one per worker slot; 0.0 = nothing fresh
        self.cores = cores

    def mark(self, slot: int, seconds: float) -> None:
        """This slot trains a fresh job for about ``seconds`` more (renewed every turn)."""
        self.stamps[slot] = time.monotonic() + seconds

    def clear(self, slot: int) -> None:
        self.stamps[slot] = 0.0

    def should_pause(self, slot: int) -> bool:
        """Should this slot (about to train a heavy job) wait, to leave a core for the server?"""
        now = time.monotonic()
        fresh = [s for s in range(len(self.stamps)) if self.stamps[s] > now]
        if not fresh or slot in fresh:
            return False
        may_run = max(0, self.cores - 1 - len(fresh))  # heavy workers that may go on training
        others = [s for s in range(len(self.stamps)) if s not in fresh]
        return slot in others[may_run:]  # the first may_run slots go on, the rest wait
