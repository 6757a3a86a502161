"""Making way for a new visitor's first seconds: the shared board's rule, and real workers
following it (app/pool_priority.py)."""

import time

from app.pool import DONE
from app.pool_priority import FRESH, HEAVY, KINDS, RESULTS, FreshBoard
from app.pool_worker import BOOST_S
from app.settings import CHUNK_SECONDS
from tests.pool.test_pool import LONG, poll_until
from tests.pool.test_sharing import MEDIUM


def board(slots: int, cores: int, fresh=(), heavy=(), results=()) -> FreshBoard:
    b = FreshBoard([0.0] * (KINDS * slots), cores)
    for kind, posting in ((FRESH, fresh), (HEAVY, heavy), (RESULTS, results)):
        for slot in posting:
            b.post(slot, kind, 10.0)
    return b


def waiting(b: FreshBoard) -> list[int]:
    """The slots with heavy work that would wait now."""
    heavy = [s for s in range(b.slots) if b.stamps[HEAVY * b.slots + s] > time.monotonic()]
    return [s for s in heavy if b.should_wait(s)]


def test_nobody_waits_while_no_job_is_fresh():
    assert waiting(board(2, 2, heavy=[0, 1])) == []
    assert waiting(board(8, 2, heavy=range(8))) == []


def test_on_two_cores_the_other_worker_makes_way_for_a_fresh_run():
    assert waiting(board(2, 2, fresh=[1], heavy=[0, 1])) == [0]  # one core for it, one for pages
    assert waiting(board(2, 2, fresh=[0, 1], heavy=[0, 1])) == []  # fresh ones always train


def test_while_results_are_drawn_one_core_stays_free_for_the_server():
    # the fresh run has ended: its worker's heavy jobs count like anyone's, one of them trains
    assert len(waiting(board(2, 2, results=[1], heavy=[0, 1]))) == 1
    assert waiting(board(4, 4, results=[1], heavy=[0, 1])) == []  # cores to spare: nobody


def test_only_enough_workers_wait_to_leave_the_server_a_core():
    assert len(waiting(board(16, 16, fresh=[3], heavy=range(16)))) == 1
    assert 3 not in waiting(board(16, 16, fresh=[3], heavy=range(16)))
    assert len(waiting(board(16, 16, fresh=[3, 9], heavy=range(16)))) == 1  # 13 + 2 = 15
    assert len(waiting(board(16, 8, fresh=[3], heavy=range(16)))) == 9  # 6 heavy + 1 fresh
    assert waiting(board(4, 2, fresh=[2], heavy=range(4))) == [0, 1, 3]  # more workers than cores
    # idle workers do not count: 3 heavy + 1 fresh on 16 cores leave cores to spare
    assert waiting(board(16, 16, fresh=[15], heavy=[12, 13, 14])) == []


def test_a_post_lapses_by_itself_and_clear_ends_it_at_once():
    b = board(2, 2, heavy=[0])
    b.post(1, FRESH, 0.05)
    assert waiting(b) == [0]
    time.sleep(0.1)
    assert waiting(b) == []  # a worker that died holding a fresh job cannot stall the others
    b.post(1, FRESH, 10.0)
    b.clear(1)
    assert waiting(b) == []


def test_a_heavy_run_on_another_worker_waits_while_a_new_run_trains(make_pool, seattle):
    pool = make_pool(2, cores=2)
    heavy = pool.submit("heavy", seattle, LONG, budget_s=120)
    poll_until(heavy, lambda s: s.train_seconds > BOOST_S + 1.0)  # past its own first seconds
    before = heavy.poll().train_seconds
    newcomer = pool.submit("newcomer", seattle, MEDIUM, budget_s=60).wait(timeout=60)
    assert newcomer.state == DONE, newcomer.error
    grew = heavy.poll().train_seconds - before
    assert newcomer.worker_pid != heavy.poll().worker_pid  # the newcomer had a worker of its own
    # Without the board the heavy run trains alongside, about as long as the newcomer does. With
    # it: at most the chunk it was in and the news of one more (ended early), plus whatever the
    # newcomer trained beyond its first seconds on a slow machine (then it is not fresh).
    allowed = 2 * CHUNK_SECONDS + 0.2 + max(0.0, newcomer.train_seconds - BOOST_S)
    assert grew < allowed, (grew, allowed, newcomer.train_seconds)


def test_with_a_core_to_spare_the_heavy_run_goes_on(make_pool, seattle):
    pool = make_pool(2, cores=4)
    heavy = pool.submit("heavy", seattle, LONG, budget_s=120)
    poll_until(heavy, lambda s: s.train_seconds > BOOST_S + 1.0)
    before = heavy.poll().train_seconds
    newcomer = pool.submit("newcomer", seattle, MEDIUM, budget_s=60).wait(timeout=60)
    assert newcomer.state == DONE, newcomer.error
    assert heavy.poll().train_seconds - before > 0.5 * newcomer.train_seconds


def test_a_stop_lands_while_the_worker_waits(make_pool, seattle):
    pool = make_pool(2, cores=2)
    heavy = pool.submit("heavy", seattle, LONG, budget_s=120)
    poll_until(heavy, lambda s: s.train_seconds > BOOST_S + 1.0)
    newcomer = pool.submit("newcomer", seattle, LONG, budget_s=1.5)  # fresh throughout
    poll_until(newcomer, lambda s: s.train_seconds > 0.2)
    heavy.stop("stopped by user")
    stopped = heavy.wait(timeout=30)
    assert stopped.state == DONE and not newcomer.poll().finished  # landed before it ended


def test_the_servers_page_slot_leaves_a_core_like_a_fresh_run_does():
    # slots 0 and 1 are workers, slot 2 the server's pages (TrainingPool.page_building)
    assert len(waiting(board(3, 2, results=[2], heavy=[0, 1]))) == 1
    assert waiting(board(3, 2, results=[2], heavy=[0])) == []  # a core is free already


def test_a_worker_made_to_wait_on_and_on_still_trains_a_whole_turn_every_few_seconds(
        make_pool, seattle):
    from app.pool_priority import MAX_WAIT_S

    pool = make_pool(2, cores=2)
    jobs = [pool.submit(f"heavy{i}", seattle, LONG, budget_s=120) for i in range(2)]
    for job in jobs:
        poll_until(job, lambda s: s.train_seconds > BOOST_S + 0.5)
    # the job on the lower slot is the one that waits (app/pool_priority.py)
    first = pool.stats()["worker_pids"][0]
    waiter = next(j for j in jobs if j.poll().worker_pid == first)
    before = waiter.poll().train_seconds
    began = time.monotonic()
    while time.monotonic() - began < 2.5 * MAX_WAIT_S:  # pages built back to back
        pool.page_building(0.5)
        waiter.poll()
        time.sleep(0.2)
    grew = waiter.poll().train_seconds - before
    # two forced whole turns at least (plus what it trained before the first wait began)
    assert grew > 1.5 * CHUNK_SECONDS, grew
    assert grew < 0.5 * (time.monotonic() - began)  # ... and it did wait most of the time
