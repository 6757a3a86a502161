"""The app on the pool, through Streamlit's AppTest (the real script, in this process, with the
server's real pool): a job's process killed during a visitor's run, and no process left behind."""

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
                status = job.poll(touch=False)
                if (job.session_id.startswith("test session id") and status.state == RUNNING
                        and len(status.histories.get("rnn", [])) >= 2):
                    os.kill(status.pid, signal.SIGKILL)
                    killed.append(status.pid)
                    return
            time.sleep(0.05)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def test_a_worker_killed_mid_run_gives_a_message_and_keeps_the_previous_results():
    at = train(new_app(), epochs=2, hidden=8)
    no_exceptions(at)
    good = at.session_state["last_run"]

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

    assert killed[0] not in get_pool().stats()["pids"]  # the same session trains on
    still_usable(at)


def test_closing_the_pool_leaves_no_job_process_behind():
    at = new_app()
    at.session_state["hidden"] = 64
    at.session_state["epochs"] = 500
    at.button(key="train").click()
    watcher_pids: list = []

    def watch() -> None:  # the page polls until the job ends: here, when the pool closes
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not watcher_pids:
            pool = pool_module._pool
            if pool is not None and pool.stats()["pids"]:
                watcher_pids.extend(pool.stats()["pids"])
                pool.close()
            time.sleep(0.05)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    at.run(timeout=180)
    thread.join(60)  # close() itself waits up to 5 s for the pool's thread to end the jobs
    assert watcher_pids, "the job never started"
    for pid in watcher_pids:  # ended and reaped: not even a zombie is left
        assert not os.path.exists(f"/proc/{pid}"), f"job process {pid} outlived the pool"
    assert get_pool().stats()["training"] == 0  # the next Train gets a fresh pool


def test_epochs_60_and_500_give_the_same_run_and_the_reason_says_why():
    import data_sources as ds
    from app.settings import Settings
    from tests.helpers.pool import train_run

    df = ds.load_sample(ds.DEFAULT_SAMPLE)
    runs = {}
    for epochs in (60, 500):
        settings = Settings(source="sample", data=ds.DEFAULT_SAMPLE, start="2012-01-01",
                            end="2015-12-31", target="temp", extras=(), hidden=8,
                            activation="tanh", lr=0.01, window=7, epochs=epochs, seed=0)
        runs[epochs] = train_run(df, settings)
    assert runs[60].metrics == runs[500].metrics  # early stopping ended both at the same epoch
    info, reason = runs[500].result.train_info["rnn"], runs[500].reasons["rnn"]
    assert info["epochs_run"] == info["best_epoch"] + 10  # patience 10 ended it, not the limit
    # the reason says where it stopped, the limit, the best epoch, and what more epochs would do
    for said in (f"epoch {info['epochs_run']}", "500", f"best epoch {info['best_epoch']}",
                 "more epochs would not change the result"):
        assert said in reason, (said, reason)
    assert runs[60].reasons["rnn"] == reason.replace("500", "60")  # the same stop, the other limit
