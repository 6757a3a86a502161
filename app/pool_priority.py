"""Which workers make way while a new visitor's short run trains: a board the workers share.

Inside one worker a job's first seconds go first (app/pool_worker.py). Across workers that is not
enough on a small machine: with every core busy training heavy runs, the worker holding a new
visitor's run shares its core with the server, which must also build the visitor's page. So each
worker posts on this board what it is doing, and while any worker trains a job in its first
seconds ("fresh") — and for a moment after, while that visitor's page builds the results —
just enough of the workers with heavy runs wait to leave one core for the server:

    workers training ≤ cores − 1 while a fresh job trains or its results are being built
    (never fewer than the fresh ones: they always train)

The server posts too, on a slot of its own, whenever it builds a page (a full script run; the
pool's page_building): a page then gets a core the same way, for about PAGE_S seconds.

On 2 cores: the fresh run gets one core, the server the other, the heavy runs wait about as long
as the fresh run trains (a default run: under a second). On 16 cores with 16 busy workers, one
heavy worker waits. Who waits among the heavy workers is fixed by slot (the highest go on); a
worker never waits longer than MAX_WAIT_S in a row (then it trains one turn), so a stream of new
visitors slows heavy runs down but cannot stop them. Heavy runs lose no budget: it counts only
their own training. When nothing fresh trains nobody waits.

Every post is a "until" time on the monotonic clock (system-wide on Linux and macOS), renewed at
every turn: it lapses by itself, so a worker that dies cannot leave the others waiting.
"""

from __future__ import annotations

import time
from typing import Any

# what a slot posts, each its own row of stamps:
FRESH = 0  # it trains a job in its first seconds
RESULTS = 1  # a fresh job of its has ended (the visitor's page builds and draws the results),
#              or, on the server's slot, a page is being built
HEAVY = 2  # it holds heavy work it wants to train
KINDS = 3
MAX_WAIT_S = 3.0  # the longest a heavy worker waits in a row before it trains one turn anyway


class FreshBoard:
    """Per worker slot and kind, an "until" time in shared memory (``ctx.Array('d', 3 * n)``;
    any mutable sequence of floats in tests)."""

    def __init__(self, stamps: Any, cores: int):
        if len(stamps) % KINDS:
            raise ValueError(f"A board needs {KINDS} stamps per worker slot (got {len(stamps)}).")
        self.stamps = stamps
        self.slots = len(stamps) // KINDS
        self.cores = cores

    @classmethod
    def shared(cls, ctx, slots: int, cores: int) -> FreshBoard:
        """A board in shared memory for ``slots`` workers started from ``ctx``."""
        return cls(ctx.Array("d", KINDS * slots, lock=False), cores)

    def post(self, slot: int, kind: int, seconds: float) -> None:
        """This slot is doing ``kind`` for about ``seconds`` more (0: not any more)."""
        self.stamps[kind * self.slots + slot] = time.monotonic() + seconds if seconds > 0 else 0.0

    def clear(self, slot: int) -> None:
        """Everything this slot posted ends now (its worker stopped or was replaced)."""
        for kind in range(KINDS):
            self.stamps[kind * self.slots + slot] = 0.0

    def _posting(self, kind: int, now: float) -> list[int]:
        return [s for s in range(self.slots) if self.stamps[kind * self.slots + s] > now]

    def should_wait(self, slot: int) -> bool:
        """Should this slot, about to train a heavy job, wait to leave a core for the server?"""
        now = time.monotonic()
        fresh = self._posting(FRESH, now)
        if slot in fresh or not (fresh or self._posting(RESULTS, now)):
            return False
        may_train = max(0, self.cores - 1 - len(fresh))  # heavy workers that may go on
        heavy = sorted(set(self._posting(HEAVY, now)) - set(fresh) | {slot}, reverse=True)
        return slot in heavy[may_train:]
