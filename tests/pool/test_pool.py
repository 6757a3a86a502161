"""The training pool against real worker processes, real data and the real experiment.

Each test starts its own small pool (1 or 2 workers) and trains on the bundled Seattle sample.
The queue tests give each worker room for one job (jobs_per_worker=1), so "more jobs than
workers" means a line; sharing a worker between jobs is tested in test_sharing.py.
"Long" jobs are given more epochs than they will ever run and end by Stop, cancel or their time
budget, so the tests decide when they end, not the machine's speed.
"""

import dataclasses
import os
import pickle
import signal
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from app.pool import (
    CANCELLED,
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    usable_cores,
    workers_from_env,
)
from forecast import ExperimentConfig, ExperimentRunner, run_experiment

SHORT = ExperimentConfig(hidden=12, epochs=25, patience=25, seed=3)
LONG = ExperimentConfig(hidden=16, epochs=100_000, patience=100_000, seed=1)


def poll_until(job, check, timeout=60.0):
    """Poll like the page does (every 50 ms) until check(status) holds; return that status."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = job.poll()
        if check(status):
            return status
        time.sleep(0.05)
    raise AssertionError(f"job {job.id} never reached the expected state: {job.poll()}")


def epochs(status, network="rnn") -> int:
    return len(status.histories.get(network, []))


def without_seconds(history) -> list[tuple]:
    """EpochLogs minus their wall time: what must match between two runs of the same seed."""
    return [dataclasses.astuple(dataclasses.replace(e, seconds=0.0)) for e in history]


def test_progress_and_result_match_a_run_in_this_process(make_pool, seattle):
    pool = make_pool(2)
    job = pool.submit("visitor", seattle, SHORT, budget_s=120)
    seen = []
    while not (status := job.poll()).finished:
        seen.append(status)
        time.sleep(0.02)
    assert status.state == DONE, status.error
    assert status.queue_position is None and status.wait_estimate_s is None
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


def test_more_jobs_than_workers_wait_in_line_with_an_estimate(make_pool, seattle):
    pool = make_pool(1, jobs_per_worker=1)
    first = pool.submit("a", seattle, LONG, budget_s=3)
    poll_until(first, lambda s: s.state == RUNNING)
    waiting = [pool.submit(sid, seattle, LONG, budget_s=3) for sid in "bcd"]
    statuses = [job.poll() for job in waiting]
    assert [s.queue_position for s in statuses] == [1, 2, 3]
    assert all(s.state == QUEUED for s in statuses)
    estimates = [s.wait_estimate_s for s in statuses]
    # b waits for a's remaining budget; each later one for about one more budget
    assert 0 < estimates[0] <= 3.0
    assert estimates[0] < estimates[1] < estimates[2] <= 3.0 * 3

    first.cancel()
    poll_until(waiting[0], lambda s: s.state == RUNNING)
    assert [job.queue_position() for job in waiting[1:]] == [1, 2]
    assert pool.stats()["busy"] == 1 and pool.stats()["queued"] == 2
    for job in waiting:
        job.cancel()


def test_one_visitor_holds_at_most_one_job(make_pool, seattle):
    pool = make_pool(1, jobs_per_worker=1)
    a1 = pool.submit("a", seattle, LONG, budget_s=30)
    poll_until(a1, lambda s: s.state == RUNNING)
    b1 = pool.submit("b", seattle, LONG, budget_s=30)
    c1 = pool.submit("c", seattle, LONG, budget_s=30)
    b2 = pool.submit("b", seattle, LONG, budget_s=30)  # b changes settings, presses Train again

    assert b1.poll().state == CANCELLED and "replaced" in b1.poll().reason
    assert b2.queue_position() == 1 and c1.queue_position() == 2  # b kept its place in line

    a2 = pool.submit("a", seattle, LONG, budget_s=30)  # a's running job gives up its worker
    assert a1.poll().state == CANCELLED
    assert a2.queue_position() == 3  # ... and a's new job waits behind the others
    status = poll_until(b2, lambda s: s.state == RUNNING)
    assert status.worker_pid == pool.stats()["worker_pids"][0]
    assert c1.queue_position() == 1 and a2.queue_position() == 2
    for job in (b2, c1, a2):
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
    first = pool.submit("a", seattle, LONG, budget_s=2.0)
    poll_until(first, lambda s: s.state == RUNNING)
    submitted = time.monotonic()
    second = pool.submit("b", seattle, LONG, budget_s=1.5)
    poll_until(second, lambda s: s.state == RUNNING)
    waited = time.monotonic() - submitted
    status = second.wait(timeout=60)

    assert waited > 1.0  # it stood in line behind most of a 2 s budget ...
    assert status.state == DONE and status.budget_hit
    assert status.train_seconds >= 1.5  # ... and still trained for its whole budget
    reasons = {info["stop_reason"] for info in status.result.train_info.values()}
    assert reasons == {"time budget of 1.5 s per click reached"}
    assert first.poll().budget_hit


def test_a_job_nobody_polls_is_cancelled_and_frees_its_worker(make_pool, seattle):
    pool = make_pool(1, idle_timeout_s=1.0, jobs_per_worker=1)
    gone = pool.submit("closed-tab", seattle, LONG, budget_s=60)
    poll_until(gone, lambda s: s.state == RUNNING)
    waiting = pool.submit("open-tab", seattle, LONG, budget_s=60)
    assert waiting.queue_position() == 1
    # only the open tab keeps polling: the closed tab's job goes and the worker is freed
    poll_until(waiting, lambda s: s.state == RUNNING, timeout=20)
    status = gone._pool._status(gone, touch=False)  # look without counting as a poll
    assert status.state == CANCELLED and "nobody polled" in status.reason
    waiting.cancel()


def test_a_killed_worker_fails_only_its_job_and_is_replaced(make_pool, seattle):
    pool = make_pool(2)
    victim = pool.submit("a", seattle, LONG, budget_s=60)
    other = pool.submit("b", seattle, LONG, budget_s=4)
    status = poll_until(victim, lambda s: epochs(s) >= 2)
    poll_until(other, lambda s: epochs(s) >= 2)
    before = set(pool.stats()["worker_pids"])

    os.kill(status.worker_pid, signal.SIGKILL)  # what the kernel's OOM killer does
    failed = victim.wait(timeout=30)
    assert failed.state == FAILED
    assert "stopped unexpectedly" in failed.error and "signal 9" in failed.error
    assert failed.result is None

    # the pool is back to two workers, one of them new; the other job never noticed
    deadline = time.monotonic() + 30
    while len(pool.stats()["worker_pids"]) != 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    after = set(pool.stats()["worker_pids"])
    assert len(after) == 2 and status.worker_pid not in after and len(after - before) == 1
    survivor = other.wait(timeout=60)
    assert survivor.state == DONE and survivor.result is not None

    # and the replacement trains the next job to the end
    again = pool.submit("a", seattle, SHORT, budget_s=60).wait(timeout=60)
    assert again.state == DONE and again.result.metrics == run_experiment(seattle,
                                                                         SHORT).metrics


def test_bad_input_comes_back_as_a_message_and_the_worker_goes_on(make_pool, seattle):
    pool = make_pool(1)
    short = seattle.iloc[:10]
    status = pool.submit("a", short, ExperimentConfig(window=30), budget_s=10).wait(timeout=30)
    assert status.state == FAILED and "window (30 days)" in status.error
    assert pool.submit("a", seattle, SHORT, budget_s=60).wait(timeout=60).state == DONE


def test_worker_count_setting_is_checked_with_a_readable_message():
    assert workers_from_env({"RNN_LAB_WORKERS": "3"}) == 3
    assert workers_from_env({}) == usable_cores() >= 1
    for bad in ("0", "two", "-1"):
        with pytest.raises(ValueError, match="RNN_LAB_WORKERS must be a whole number"):
            workers_from_env({"RNN_LAB_WORKERS": bad})


def test_workers_run_numpy_with_a_single_blas_thread(make_pool, seattle):
    pool = make_pool(1)
    assert pool.submit("a", seattle, SHORT, budget_s=60).wait(timeout=60).state == DONE
    pid = pool.stats()["worker_pids"][0]  # numpy is loaded and has multiplied matrices
    status = Path(f"/proc/{pid}/status").read_text()  # Linux, like every machine this runs on
    threads = int(next(line.split()[1] for line in status.splitlines()
                       if line.startswith("Threads:")))
    assert threads == 1, f"a worker runs {threads} threads: BLAS is not at one thread"


def test_workers_train_at_a_lower_cpu_priority_than_the_server(make_pool, seattle):
    from app.pool_worker import WORKER_NICE

    pool = make_pool(2)
    assert pool.submit("a", seattle, SHORT, budget_s=60).wait(timeout=60).state == DONE
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    for pid in pool.stats()["worker_pids"]:
        # pages (this process) go first when both want a core; 19 is the kernel's ceiling
        assert os.getpriority(os.PRIO_PROCESS, pid) == min(ours + WORKER_NICE, 19) > ours
        # same session, so the same autogroup where Linux has them: the niceness counts
        assert os.getsid(pid) == os.getsid(0)


def _cgroup(tmp_path, membership: str, files: dict[str, str]):
    """A cgroup tree with these files (paths under the mount) and a /proc/self/cgroup."""
    for rel, text in files.items():
        (tmp_path / "fs" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "fs" / rel).write_text(text)
    (tmp_path / "self").write_text(membership)
    return tmp_path / "fs", tmp_path / "self"


def test_a_cpu_quota_caps_the_cores_the_pool_counts(tmp_path):
    from app.pool_processes import cpu_quota

    v2 = _cgroup(tmp_path / "v2", "0::/pod/app\n", {"pod/app/cpu.max": "max 100000\n",
                                                     "pod/cpu.max": "150000 100000\n"})
    assert cpu_quota(*v2) == 1.5  # a parent's limit holds for its children
    v1 = _cgroup(tmp_path / "v1", "4:memory:/x\n\nnot a cgroup line\n1:cpu,cpuacct:/docker/abc\n",
                 {"cpu/docker/abc/cpu.cfs_quota_us": "200000\n",
                  "cpu/docker/abc/cpu.cfs_period_us": "100000\n",
                  "cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"})
    assert cpu_quota(*v1) == 2.0
    none = _cgroup(tmp_path / "none", "0::/\n", {"cpu.max": "max 100000\n"})
    assert cpu_quota(*none) is None
    assert cpu_quota(tmp_path / "missing", tmp_path / "missing-too") is None
    assert 1 <= usable_cores() <= (os.cpu_count() or 1)
