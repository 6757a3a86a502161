"""Processor sharing: one worker trains several jobs in turns, one chunk each.

Real worker processes, the bundled Seattle sample and the real experiment, as in test_pool.py.
Orderings are checked, never absolute speeds: which job progressed or finished first, and the
budget compared with the wall time of the same run.
"""

import os
import signal
import time

import numpy as np
import pandas as pd
import pytest

from app.pool import DONE, FAILED, QUEUED, RUNNING, jobs_per_worker_from_env
from forecast import ExperimentConfig, run_experiment
from tests.pool.test_pool import LONG, SHORT, epochs, poll_until, without_seconds

MEDIUM = ExperimentConfig(hidden=12, epochs=80, patience=80, seed=4)  # ~1.2 s alone: 5+ chunks


def same_as_in_process(status, df, config) -> None:
    """Bitwise the run this process would train with the same seed (as test_pool.py checks)."""
    reference = run_experiment(df, config)
    assert status.state == DONE, status.error
    assert status.result.metrics == reference.metrics
    pd.testing.assert_frame_equal(status.result.predictions, reference.predictions)
    np.testing.assert_array_equal(status.result.rnn_model.theta, reference.rnn_model.theta)
    for net in ("rnn", "dense", "dense_window"):
        assert without_seconds(status.histories[net]) == without_seconds(reference.histories[net])


def test_two_jobs_on_one_worker_take_turns_and_each_matches_a_run_in_this_process(
        make_pool, seattle):
    pool = make_pool(1, jobs_per_worker=2)
    first = pool.submit("a", seattle, MEDIUM, budget_s=120)
    second = pool.submit("b", seattle, SHORT, budget_s=120)
    both_training = False
    while True:
        a, b = first.poll(), second.poll()
        if a.finished and b.finished:
            break
        if not a.finished and not b.finished and epochs(a) >= 1 and epochs(b) >= 1:
            both_training = True
            assert a.worker_pid == b.worker_pid == pool.stats()["worker_pids"][0]
        time.sleep(0.02)
    assert both_training, "the two jobs never trained side by side"
    same_as_in_process(first.poll(), seattle, MEDIUM)
    same_as_in_process(second.poll(), seattle, SHORT)


def test_a_short_job_next_to_a_long_one_finishes_long_before_it(make_pool, seattle):
    pool = make_pool(1)
    long = pool.submit("heavy", seattle, LONG, budget_s=8)
    poll_until(long, lambda s: epochs(s) >= 2)
    submitted = time.monotonic()
    short = pool.submit("newcomer", seattle, SHORT, budget_s=60).wait(timeout=60)
    short_s = time.monotonic() - submitted

    assert short.state == DONE and long.poll().state == RUNNING  # it did not wait for the heavy
    same_as_in_process(short, seattle, SHORT)
    done = long.wait(timeout=60)
    assert done.state == DONE and done.budget_hit
    long_s = time.monotonic() - submitted
    assert short_s < long_s / 2, (short_s, long_s)


def test_the_budget_counts_each_jobs_own_training_when_they_share_a_worker(make_pool, seattle):
    pool = make_pool(1)
    began = time.monotonic()
    jobs = [pool.submit(sid, seattle, LONG, budget_s=1.5) for sid in "ab"]
    statuses = [job.wait(timeout=60) for job in jobs]
    wall = time.monotonic() - began

    for status in statuses:
        assert status.state == DONE and status.budget_hit
        assert 1.5 <= status.train_seconds < 4.0  # its own chunks: the budget and one more chunk
        reasons = {info["stop_reason"] for info in status.result.train_info.values()}
        assert reasons == {"time budget of 1.5 s per click reached"}
    # one worker trained both whole budgets in turns: a wall-clock budget would have ended
    # both after about 1.5 s with half the training each
    assert wall >= 3.0, wall


def test_beyond_workers_times_jobs_per_worker_jobs_wait_in_line(make_pool, seattle):
    pool = make_pool(1, jobs_per_worker=2)
    held = [pool.submit(sid, seattle, LONG, budget_s=30) for sid in "ab"]
    for job in held:
        poll_until(job, lambda s: s.state == RUNNING)
    third = pool.submit("c", seattle, LONG, budget_s=30)
    status = third.poll()
    assert status.state == QUEUED and status.queue_position == 1
    assert status.wait_estimate_s is not None and status.wait_estimate_s > 0
    assert pool.stats()["training"] == 2
    held[0].stop()  # the first place to free up goes to the job in line
    poll_until(third, lambda s: s.state == RUNNING)
    assert held[0].wait(timeout=30).state == DONE
    for job in (held[1], third):
        job.cancel()


def test_a_killed_worker_fails_every_job_it_held_and_the_replacement_trains(make_pool, seattle):
    pool = make_pool(1)
    jobs = [pool.submit(sid, seattle, LONG, budget_s=60) for sid in "ab"]
    statuses = [poll_until(job, lambda s: epochs(s) >= 1) for job in jobs]
    pid = statuses[0].worker_pid
    assert statuses[1].worker_pid == pid

    os.kill(pid, signal.SIGKILL)  # what the kernel's OOM killer does
    for job in jobs:
        failed = job.wait(timeout=30)
        assert failed.state == FAILED and failed.result is None
        assert "stopped unexpectedly" in failed.error and "signal 9" in failed.error

    again = pool.submit("a", seattle, SHORT, budget_s=60).wait(timeout=60)
    assert again.worker_pid != pid
    same_as_in_process(again, seattle, SHORT)


def test_jobs_per_worker_setting_is_checked_with_a_readable_message():
    assert jobs_per_worker_from_env({"RNN_LAB_JOBS_PER_WORKER": "2"}) == 2
    assert jobs_per_worker_from_env({}) == 4
    for bad in ("0", "four", "-1"):
        with pytest.raises(ValueError, match="RNN_LAB_JOBS_PER_WORKER must be a whole number"):
            jobs_per_worker_from_env({"RNN_LAB_JOBS_PER_WORKER": bad})


class _Trained:
    """Stands for a TrainingJob in the turn order: only its own training time is read."""

    def __init__(self, seconds, done=False):
        self.seconds = seconds
        self.done = done


def test_a_new_jobs_first_seconds_go_first_then_turns_are_round_robin():
    from app.pool_worker import BOOST_S, _Active, _next_turn

    def entry(seconds, done=False):
        e = _Active(df=None, config=None, budget_s=None, chunk_s=0.25)
        e.job = None if seconds is None else _Trained(seconds, done)
        return e

    heavy = BOOST_S + 30.0
    # two heavy runs hold the worker; a new visitor's run (not yet prepared) arrives last
    assert _next_turn({1: entry(heavy), 2: entry(heavy + 1), 3: entry(None)}) == 3
    # still within its first seconds: it keeps the turn; the least-trained new job first
    assert _next_turn({1: entry(heavy), 3: entry(0.5), 4: entry(0.2)}) == 4
    # every job past its first seconds: plain round-robin from the front of the line
    assert _next_turn({2: entry(heavy + 1), 1: entry(heavy), 3: entry(BOOST_S)}) == 2
    # a short run whose training has ended waits for its result turn like everyone else
    assert _next_turn({1: entry(heavy), 2: entry(0.4, done=True)}) == 1


def test_a_finished_job_builds_its_result_after_a_newcomers_first_seconds(seattle):
    """The worker's turn itself, in this process over a real pipe: a job whose training is over
    sends progress (not its ~2 s result) while a new job is within its first seconds, and its
    result on its next turn — the same result as without the wait."""
    from multiprocessing import Pipe

    from app.pool_worker import _Active, _turn

    ours, theirs = Pipe(duplex=True)
    entry = _Active(df=seattle, config=SHORT, budget_s=None, chunk_s=10.0)
    assert _turn(theirs, 7, entry, defer_result=True) is False  # its data, then all training
    assert ours.recv() == ("started", 7)
    kind, job_id, news = ours.recv()
    assert (kind, job_id) == ("progress", 7) and entry.job is not None and entry.job.done
    assert news.progress["fraction"] == 1.0 and not ours.poll()
    trained = entry.job.seconds
    assert _turn(theirs, 7, entry, defer_result=False) is True
    kind, job_id, last, result, observed = ours.recv()
    assert (kind, job_id) == ("done", 7) and last.new_epochs == {n: [] for n in last.new_epochs}
    assert entry.job.seconds == trained  # the result turn trained nothing more
    reference = run_experiment(seattle, SHORT)
    assert result.metrics == reference.metrics
    np.testing.assert_array_equal(result.rnn_model.theta, reference.rnn_model.theta)
