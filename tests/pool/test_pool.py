"""The training pool against real job processes, real data and the real experiment.

Each test starts its own small pool and trains on the bundled Seattle sample. "Long" jobs are
given more epochs than they will ever run and end by Stop, cancel or their time budget, so the
tests decide when they end, not the machine's speed. Nothing here asserts a duration: order,
counts, states and messages (benchmarks/concurrency.py measures the timing).
"""

import dataclasses
import os
import pickle
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from app.cores import usable_cores
from app.pool import CANCELLED, DONE, FAILED, QUEUED, RUNNING, workers_from_env
from app.pool_child import JOB_NICE, NICE_AFTER_S
from forecast import ExperimentConfig, ExperimentRunner, run_experiment
from forecast.memory_curve import memory_curve
from tests.helpers.pool import LONG, SHORT, epochs, poll_until


def without_seconds(history) -> list[tuple]:
    """EpochLogs minus their wall time: what must match between two runs of the same seed."""
    return [dataclasses.astuple(dataclasses.replace(e, seconds=0.0)) for e in history]


def test_progress_and_result_match_a_run_in_this_process(make_pool, seattle):
    pool = make_pool(2)
    job = pool.submit("visitor", seattle, SHORT, budget_s=120)
    seen = [job.poll()]
    while not seen[-1].finished:  # as the live view waits: for the next news, or the end
        seen.append(job.wait(60, after=seen[-1].version))
        assert seen[-1].version > seen[-2].version  # every wake brought news
    status = seen.pop()
    assert status.state == DONE, status.error
    assert status.queue_position is None
    result, reference = status.result, run_experiment(seattle, SHORT)

    assert result.metrics == reference.metrics
    pd.testing.assert_frame_equal(result.predictions, reference.predictions)
    np.testing.assert_array_equal(result.rnn_model.theta, reference.rnn_model.theta)
    for net in ("rnn", "dense", "dense_window"):
        assert without_seconds(status.histories[net]) == without_seconds(reference.histories[net])
        for earlier in seen:  # every chunk the page saw is the start of the final curve
            part = earlier.histories.get(net, [])
            assert without_seconds(part) == without_seconds(reference.histories[net][:len(part)])
    assert status.progress["fraction"] == 1.0
    assert status.observed.index[-1] == seattle.index[-1]
    assert pickle.loads(pickle.dumps(result)).metrics == result.metrics  # results travel as pickles


def test_beyond_capacity_jobs_start_first_come_first_served(make_pool, seattle):
    pool = make_pool(1, jobs_per_worker=2)  # room for two at once
    running = [pool.submit(sid, seattle, LONG, budget_s=60) for sid in "ab"]
    for job in running:
        poll_until(job, lambda s: s.state == RUNNING)
    waiting = [pool.submit(sid, seattle, LONG, budget_s=60) for sid in "cde"]
    assert [poll_until(j, lambda s: s.queue_position is not None).queue_position
            for j in waiting] == [1, 2, 3]
    assert all(j.poll().state == QUEUED for j in waiting)
    assert pool.stats()["training"] == 2 and pool.stats()["queued"] == 3

    running[1].cancel()  # a place frees: the first in line gets it, the others move up
    poll_until(waiting[0], lambda s: s.state == RUNNING)
    assert [j.poll().state for j in waiting[1:]] == [QUEUED, QUEUED]
    poll_until(waiting[2], lambda s: s.queue_position == 2)
    assert waiting[1].poll().queue_position == 1
    running[0].stop()  # a Stop frees a place too, once its result is in
    assert poll_until(running[0], lambda s: s.finished).state == DONE
    poll_until(waiting[1], lambda s: s.state == RUNNING)
    # the pool's thread moves the line up just after it has started the job: waited for, since
    # a look at the very moment waiting[1] shows RUNNING may come before it
    poll_until(waiting[2], lambda s: s.queue_position == 1)
    assert pool.stats()["training"] == 2  # never more than the capacity
    for job in waiting:
        job.cancel()


def test_jobs_side_by_side_all_train_and_each_session_holds_one(make_pool, seattle):
    pool = make_pool(1, jobs_per_worker=3)
    jobs = [pool.submit(sid, seattle, LONG, budget_s=60) for sid in "abc"]
    for job in jobs:  # the kernel shares the cores: every running job makes progress
        poll_until(job, lambda s: epochs(s) >= 2)
    assert len(set(pool.stats()["pids"])) == 3  # a process each
    again = pool.submit("b", seattle, LONG, budget_s=60)  # b presses Train again
    assert jobs[1].poll().state == CANCELLED and "replaced" in jobs[1].poll().reason
    poll_until(again, lambda s: s.state == RUNNING)
    assert pool.stats()["training"] == 3
    for job in (jobs[0], again, jobs[2]):
        job.cancel()


def test_a_session_replacing_its_queued_job_keeps_its_place(make_pool, seattle):
    pool = make_pool(1, jobs_per_worker=1)
    a = pool.submit("a", seattle, LONG, budget_s=60)
    poll_until(a, lambda s: s.state == RUNNING)
    b1, c1 = pool.submit("b", seattle, LONG, budget_s=60), pool.submit("c", seattle, LONG)
    b2 = pool.submit("b", seattle, LONG, budget_s=60)  # b changes settings, presses Train again
    assert b1.poll().state == CANCELLED and "replaced" in b1.poll().reason
    poll_until(b2, lambda s: s.queue_position == 1)
    assert c1.poll().queue_position == 2
    a.cancel()
    assert poll_until(b2, lambda s: s.state == RUNNING).pid is not None
    for job in (b2, c1):
        job.cancel()


def test_stop_keeps_each_networks_best_weights(make_pool, seattle):
    pool = make_pool(1)
    job = pool.submit("a", seattle, LONG, budget_s=60)
    poll_until(job, lambda s: min(epochs(s, n) for n in ("rnn", "dense", "dense_window")) >= 4)
    job.stop()
    status = job.wait(timeout=60)
    assert status.state == DONE, status.error
    result = status.result
    for net, info in result.train_info.items():
        assert info["stop_reason"] == "stopped by user"
        val = [e.val_loss for e in result.histories[net]]
        assert info["best_epoch"] == int(np.argmin(val)) + 1

    # The same epochs in this process, then Stop: bitwise the same kept weights and scores.
    runner = ExperimentRunner(LONG).fit(seattle)
    for net, trainer in runner.trainers.items():
        trainer.run(max_epochs=len(result.histories[net]))
    reference = runner.stop("stopped by user").result()
    for name in ("rnn_model", "dense_model", "dense_window_model"):
        np.testing.assert_array_equal(getattr(result, name).theta, getattr(reference, name).theta)
    assert result.metrics == reference.metrics


def test_the_budget_counts_training_not_waiting_in_line(make_pool, seattle):
    pool = make_pool(1, jobs_per_worker=1)
    first = pool.submit("a", seattle, LONG, budget_s=1.0)
    poll_until(first, lambda s: s.state == RUNNING)
    second = pool.submit("b", seattle, LONG, budget_s=1.0)
    assert second.poll().state == QUEUED  # it stands in line while the first trains ...
    status = second.wait(timeout=90)
    assert status.state == DONE and status.budget_hit
    assert status.train_seconds >= 1.0  # ... and still trains for its whole budget
    reasons = {info["stop_reason"] for info in status.result.train_info.values()}
    assert reasons == {"time budget of 1 s per click reached"}
    assert first.poll().budget_hit


def test_a_job_nobody_polls_is_cancelled_and_frees_its_place(make_pool, seattle):
    pool = make_pool(1, idle_timeout_s=1.0, jobs_per_worker=1)
    gone = pool.submit("closed-tab", seattle, LONG, budget_s=60)
    pid = poll_until(gone, lambda s: s.state == RUNNING).pid
    waiting = pool.submit("open-tab", seattle, LONG, budget_s=60)
    # only the open tab keeps polling: the closed tab's job goes and its place is freed
    poll_until(waiting, lambda s: s.state == RUNNING, timeout=30)
    status = gone.poll(touch=False)  # look without counting as a poll
    assert status.state == CANCELLED and "nobody polled" in status.reason
    assert not Path(f"/proc/{pid}").exists()  # its process is gone, reaped
    waiting.cancel()


def test_bad_input_comes_back_as_a_message(make_pool, seattle):
    pool = make_pool(1)
    short = seattle.iloc[:10]
    status = pool.submit("a", short, ExperimentConfig(window=30), budget_s=10).wait(timeout=30)
    assert status.state == FAILED and "window (30 days)" in status.error
    assert pool.submit("a", seattle, SHORT, budget_s=60).wait(timeout=60).state == DONE


def test_a_job_whose_process_cannot_start_fails_alone_and_the_line_moves_on(make_pool, seattle,
                                                                            monkeypatch):
    import app.pool

    real_start, calls = app.pool.start_child, []

    def start_once_broken(*args, **kwargs):  # the first start fails, as a full process table does
        calls.append(args[0])
        if len(calls) == 1:
            raise OSError("Resource temporarily unavailable")
        return real_start(*args, **kwargs)

    monkeypatch.setattr(app.pool, "start_child", start_once_broken)
    pool = make_pool(1)
    first = pool.submit("a", seattle, SHORT, budget_s=60).wait(timeout=60)
    assert first.state == FAILED and "could not start" in first.error
    assert pool.submit("b", seattle, SHORT, budget_s=60).wait(timeout=120).state == DONE


def test_the_memory_curve_is_a_job_like_a_run(make_pool, seattle):
    config = dataclasses.replace(SHORT, epochs=6, seeds=1)
    pool = make_pool(1)
    status = pool.submit("a", seattle, config, budget_s=120, kind="curve").wait(timeout=120)
    assert status.state == DONE, status.error
    assert status.result == memory_curve(seattle, config)  # bitwise the in-process curve
    assert status.fraction == 1.0

    # a curve long enough to watch: its progress names the window in training, window after
    # window, and a Stop keeps the windows already trained. 60 epochs a window (the curve's cap,
    # never fewer with LONG's patience), three seeds of 64 units: here the second window starts
    # within 1 CPU s and the four after it take ~40 s more (one seed of 16 units took 2 s in
    # all, which a machine a few times faster could finish before the Stop lands)
    stopped = pool.submit("a", seattle, dataclasses.replace(LONG, hidden=64), kind="curve")
    windows_seen: set[int] = set()

    def second_window(status):
        if status.progress.get("window") is not None:
            windows_seen.add(status.progress["window"])
        return len(windows_seen) >= 2

    poll_until(stopped, second_window, timeout=120)
    stopped.stop()
    status = stopped.wait(timeout=60)  # the windows trained are kept, marked stopped
    assert status.state == DONE and status.progress["stop_reason"] == "stopped by user"
    assert 1 <= len(status.result) < 6
    assert windows_seen <= {1, 2, 3, 7, 14, 28}


def test_jobs_train_with_one_blas_thread_and_the_server_keeps_its_environment(make_pool,
                                                                               seattle):
    before = {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")}
    pool = make_pool(1)
    job = pool.submit("a", seattle, LONG, budget_s=60)
    pid = poll_until(job, lambda s: epochs(s) >= 2).pid  # numpy has multiplied matrices
    status = Path(f"/proc/{pid}/status").read_text()  # Linux, like every machine this runs on
    threads = int(next(line.split()[1] for line in status.splitlines()
                       if line.startswith("Threads:")))
    assert threads == 1, f"a job runs {threads} threads: BLAS is not at one thread"
    assert {k: os.environ.get(k) for k in before} == before
    job.cancel()


def cpu_and_nice(pid: int) -> tuple[float, int]:
    """A process's CPU seconds so far and its niceness, read together from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), int(fields[16])


def test_a_job_lowers_its_own_priority_after_its_first_seconds(make_pool, seattle):
    pool = make_pool(1)
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    job = pool.submit("heavy", seattle, LONG, budget_s=60)
    pid = poll_until(job, lambda s: s.state == RUNNING and s.pid).pid
    samples = [cpu_and_nice(pid)]
    # By its CPU time, not the wall clock: until it has lowered its priority, or should have
    # long since. Polled meanwhile, as a page does: on a loaded machine its CPU seconds can take
    # minutes of wall time (and once niced, far more), and a job nobody polls for a minute is
    # cancelled as a closed tab's.
    deadline = time.monotonic() + 600  # a job that stopped training fails, never hangs CI
    while samples[-1][1] == ours and samples[-1][0] < NICE_AFTER_S + 0.5:
        assert time.monotonic() < deadline, f"the job's CPU stalled at {samples[-1][0]} s"
        time.sleep(0.02)
        job.poll()
        samples.append(cpu_and_nice(pid))
    early = [nice for cpu, nice in samples if cpu < NICE_AFTER_S - 0.1]
    assert early and set(early) == {ours}  # its first seconds at the server's priority ...
    assert samples[-1][1] == min(ours + JOB_NICE, 19)  # ... then lower: newcomers go first
    job.cancel()


def test_worker_count_setting_is_checked_with_a_readable_message():
    assert workers_from_env({"RNN_LAB_WORKERS": "3"}) == 3
    assert workers_from_env({}) == usable_cores() >= 1
    for bad in ("0", "two", "-1"):
        with pytest.raises(ValueError, match="RNN_LAB_WORKERS must be a whole number"):
            workers_from_env({"RNN_LAB_WORKERS": bad})
