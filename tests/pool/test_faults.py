"""Faults: a job's process killed (the kernel's out-of-memory killer) fails that job alone, with a
message for a person; a server killed outright leaves no process behind."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.pool import DONE, FAILED
from tests.helpers.pool import LONG, SHORT, epochs, poll_until

ROOT = Path(__file__).resolve().parents[2]


def test_a_killed_job_fails_alone_with_a_clear_message(make_pool, seattle):
    pool = make_pool(1, jobs_per_worker=2)
    victim = pool.submit("a", seattle, LONG, budget_s=60)
    other = pool.submit("b", seattle, LONG, budget_s=2)
    status = poll_until(victim, lambda s: epochs(s) >= 2)
    poll_until(other, lambda s: epochs(s) >= 2)

    os.kill(status.pid, signal.SIGKILL)
    failed = victim.wait(timeout=30)
    assert failed.state == FAILED and failed.result is None
    assert "stopped unexpectedly" in failed.error and "signal 9" in failed.error
    assert "previous results are kept" in failed.error
    survivor = other.wait(timeout=90)  # the other job never noticed
    assert survivor.state == DONE and survivor.result is not None
    again = pool.submit("a", seattle, SHORT, budget_s=60).wait(timeout=90)  # the pool goes on
    assert again.state == DONE


SERVER = """
import sys, time
from app.pool import TrainingPool, RUNNING
from data_sources.samples import load_sample
from forecast import ExperimentConfig
pool = TrainingPool(workers=1, jobs_per_worker=2)
df = load_sample("seattle-2012-2015")
long = ExperimentConfig(hidden=16, epochs=100_000, patience=100_000)
jobs = [pool.submit(s, df, long, budget_s=600) for s in "abc"]  # two train, one waits
while sum(j.poll().state == RUNNING for j in jobs) < 2:
    time.sleep(0.05)
print("training", flush=True)
time.sleep(600)
"""


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (Linux /proc; zombies count as gone)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_killed_server_leaves_no_process_behind():
    server = subprocess.Popen([sys.executable, "-c", SERVER], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert server.stdout.readline().strip() == "training"
        below = descendants(server.pid)
        assert len(below) >= 3  # the fork server and two jobs at least
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        deadline = time.monotonic() + 30
        while (left := {p for p in below if alive(p)}) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not left, f"processes outlived the server: {left}"
    finally:
        if server.poll() is None:
            server.kill()
