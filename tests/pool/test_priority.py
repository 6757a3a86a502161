"""Making way for a new visitor's first seconds: the shared board's rule, and real workers
following it (app/pool_priority.py)."""

import time

from app.pool import DONE
from app.pool_priority import FreshBoard
from tests.pool.test_pool import LONG, poll_until
from tests.pool.test_sharing import MEDIUM


def board(slots: int, cores: int, fresh=()) -> FreshBoard:
    b = FreshBoard([0.0] * slots, cores)
    for slot in fresh:
        b.mark(slot, 10.0)
    return b


def pausing(b: FreshBoard) -> list[int]:
    return [slot for slot in range(len(b.stamps)) if b.should_pause(slot)]


def test_nobody_pauses_while_no_job_is_fresh():
    assert pausing(board(2, 2)) == []
    assert pausing(board(8, 2)) == []


def test_on_two_cores_the_other_worker_makes_way_for_a_fresh_run():
    assert pausing(board(2, 2, fresh=[1])) == [0]  # one core trains it, one is the server's
    assert pausing(board(2, 2, fresh=[0, 1])) == []  # both fresh: both go on


def test_on_many_cores_only_enough_workers_pause_to_leave_the_server_a_core():
    assert len(pausing(board(16, 16, fresh=[3]))) == 1
    assert 3 not in pausing(board(16, 16, fresh=[3]))
    assert len(pausing(board(16, 16, fresh=[3, 9]))) == 1  # 13 heavy + 2 fresh = cores - 1
    assert len(pausing(board(16, 8, fresh=[3]))) == 9  # 6 heavy + 1 fresh = cores - 1
    assert pausing(board(4, 2, fresh=[2])) == [0, 1, 3]  # more workers than cores: all wait
    assert pausing(board(1, 1, fresh=[0])) == []  # a lone worker has nobody to wait for


def test_a_stamp_lapses_by_itself_and_clear_ends_it_at_once():
    b = FreshBoard([0.0, 0.0], 2)
    b.mark(1, 0.05)
    assert pausing(b) == [0]
    time.sleep(0.1)
    assert pausing(b) == []  # a worker that died holding a fresh job cannot stall the others
    b.mark(1, 10.0)
    b.clear(1)
    assert pausing(b) == []


def test_a_heavy_run_on_another_worker_waits_while_a_new_run_trains(make_pool, seattle):
    pool = make_pool(2, cores=2)
    heavy = pool.submit("heavy", seattle, LONG, budget_s=120)
    poll_until(heavy, lambda s: s.train_seconds > 3.0)  # past its own first seconds
    before = heavy.poll().train_seconds
    newcomer = pool.submit("newcomer", seattle, MEDIUM, budget_s=60).wait(timeout=60)
    assert newcomer.state == DONE, newcomer.error
    grew = heavy.poll().train_seconds - before
    assert newcomer.worker_pid != heavy.poll().worker_pid  # the newcomer had a worker of its own
    # without the board the heavy run would train alongside, about as long as the newcomer did;
    # with it, it finishes the chunk it was in (ended early) and waits
    assert grew < 0.3 * newcomer.train_seconds, (grew, newcomer.train_seconds)


def test_with_a_core_to_spare_the_heavy_run_goes_on(make_pool, seattle):
    pool = make_pool(2, cores=4)
    heavy = pool.submit("heavy", seattle, LONG, budget_s=120)
    poll_until(heavy, lambda s: s.train_seconds > 3.0)
    before = heavy.poll().train_seconds
    newcomer = pool.submit("newcomer", seattle, MEDIUM, budget_s=60).wait(timeout=60)
    assert newcomer.state == DONE, newcomer.error
    assert heavy.poll().train_seconds - before > 0.5 * newcomer.train_seconds
