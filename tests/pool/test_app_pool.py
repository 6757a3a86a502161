"""The app on the worker pool, through Streamlit's AppTest (the real script, in this process, with
the server's real pool of worker processes): a worker killed during a visitor's run, and no worker
processes left behind."""

from __future__ import annotations

import os
import signal
import threading
import time

from app import pool as pool_module
from app.pool import RUNNING, get_pool
from tests.helpers.app import new_app, no_exceptions, shown, still_usable, train


def kill_the_worker_once_it_trains(killed: list) -> threading.Thread:
    """In the background: wait for an AppTest session's job to be training, then SIGKILL its
    worker (what the kernel's out-of-memory killer does)."""

    def watch() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            pool = pool_module._pool
            jobs = list(pool._by_session.values()) if pool is not None else []
            for job in jobs:
                if (job.session_id.startswith("test session id") and job.state == RUNNING
                        and len(job.histories.get("rnn", [])) >= 2):
                    os.kill(job.worker_pid, signal.SIGKILL)
                    killed.append(job.worker_pid)
                    return
            time.sleep(0.05)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def test_a_worker_killed_mid_run_gives_a_message_and_keeps_the_previous_results():
    at = train(new_app(), epochs=2, hidden=8)
    no_exceptions(at)
    good = at.session_state["last_run"]
    before = set(get_pool().stats()["worker_pids"])

    killed: list = []
    watcher = kill_the_worker_once_it_trains(killed)
    train(at, epochs=500, hidden=64)  # the page polls until the job ends: here, killed
    watcher.join(5)
    no_exceptions(at)
    assert killed, "the job never started training"
    message = shown(at, "stopped unexpectedly", kinds=("error",))
    assert "signal 9" in message and "previous results are kept" in message
    assert at.session_state["last_run"] is good  # the previous run is still the one shown
    assert len(at.session_state["runs"]) == 1 and at.session_state["training"] is False
    assert len(at.get("vega_lite_chart")) >= 2  # its charts are still drawn
    assert not at.button(key="train").disabled  # ready to try again

    # The pool replaced the dead worker, and the same session trains on.
    deadline = time.monotonic() + 30
    while len(get_pool().stats()["worker_pids"]) != len(before) and time.monotonic() < deadline:
        time.sleep(0.05)
    after = set(get_pool().stats()["worker_pids"])
    assert killed[0] not in after and len(after) == len(before)
    still_usable(at)


def test_closing_the_pool_leaves_no_worker_behind():
    at = train(new_app(), epochs=1, hidden=4)
    no_exceptions(at)
    assert not at.button(key="train").disabled and at.button(key="stop").disabled
    pool = get_pool()
    pids = pool.stats()["worker_pids"]
    assert pids and all(os.path.exists(f"/proc/{pid}") for pid in pids)
    pool.close()
    for pid in pids:  # joined: not even a zombie is left
        assert not os.path.exists(f"/proc/{pid}"), f"worker {pid} outlived the pool"
    assert get_pool() is not pool  # the next Train gets a fresh pool


def test_epochs_60_and_500_give_the_same_run_and_the_reason_says_why():
    import re

    import data_sources as ds
    from app.job import TrainingJob
    from app.settings import Settings

    df = ds.load_sample(ds.DEFAULT_SAMPLE)
    runs = {}
    for epochs in (60, 500):
        settings = Settings(source="sample", data=ds.DEFAULT_SAMPLE, start="2012-01-01",
                            end="2015-12-31", target="temp", extras=(), hidden=8,
                            activation="tanh", lr=0.01, window=7, epochs=epochs, seed=0)
        job = TrainingJob(df, settings, budget_s=300)
        while not job.done:
            job.step()
        runs[epochs] = job.finish(number=1)
    assert runs[60].metrics == runs[500].metrics  # early stopping ended both at the same epoch
    reason = runs[500].reasons["rnn"]
    found = re.match(r"stopped at epoch (\d+) of up to 500: no validation improvement for 10 "
                     r"epochs \(best epoch (\d+)\) \(3 seeds: epochs [\d, ]+\), so more epochs "
                     r"would not change the result$", reason)
    assert found, reason
    assert int(found.group(1)) == int(found.group(2)) + 10
    assert runs[60].reasons["rnn"] == reason.replace("of up to 500", "of up to 60")


def test_a_page_run_asks_heavy_training_to_make_way():
    from app.pool_priority import RESULTS

    at = train(new_app(), epochs=1, window=7, hidden=4)  # the server's pool exists now
    pool = get_pool()
    page_slot = RESULTS * pool.board.slots + pool.n_workers  # the server's own slot
    pool.board.stamps[page_slot] = 0.0
    at.run()  # a full script run: a page being built
    no_exceptions(at)
    assert pool.board.stamps[page_slot] > time.monotonic()  # posted, still in force
