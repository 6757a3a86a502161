"""The pool's worker processes: how many, how one is started, and the dispatcher's handle on it.

What runs inside a worker is app/pool_worker.py; the queue and the dispatcher are app/pool.py.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import sys
import threading
import types
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app import pool_worker
from app.pool_jobs import Job
from app.pool_priority import FreshBoard

BLAS_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def usable_cores() -> int:
    """Cores this process may use: its CPU affinity (docker --cpuset-cpus) or all cores, and no
    more than a CPU quota rounded up (docker --cpus, a Kubernetes CPU limit; cgroup v2 or v1)."""
    if hasattr(os, "sched_getaffinity"):
        cores = len(os.sched_getaffinity(0))
    else:
        cores = os.cpu_count() or 1
    quota = cpu_quota()
    return max(1, min(cores, math.ceil(quota))) if quota is not None else cores


def cpu_quota(cgroup: Path = Path("/sys/fs/cgroup"),
              membership: Path = Path("/proc/self/cgroup")) -> float | None:
    """The CPU quota of this process's cgroup in cores (e.g. 1.5), the tightest along its path
    (cgroup v2 cpu.max, or v1 cpu.cfs_quota_us / cpu.cfs_period_us); None when there is none or
    it cannot be read (not Linux, another layout)."""
    try:
        lines = membership.read_text().splitlines()
    except OSError:
        lines = []
    found = []
    for line in lines:  # "0::/path" (v2) or "4:cpu,cpuacct:/path" (v1)
        fields = line.split(":", 2)
        if len(fields) != 3:
            continue
        _, controllers, path = fields
        if controllers == "":
            base, read = cgroup, _quota_v2
        elif "cpu" in controllers.split(","):
            base, read = cgroup / "cpu", _quota_v1
        else:
            continue
        here = base / path.lstrip("/")
        for directory in [here, *here.parents]:  # every level may limit; up to the root
            if quota := read(directory):
                found.append(quota)
            if directory == base:
                break
    return min(found) if found else None


def _quota_v2(directory: Path) -> float | None:
    try:
        quota, period = (directory / "cpu.max").read_text().split()[:2]  # "max 100000"
        return None if quota == "max" else float(quota) / float(period)
    except (OSError, ValueError, ZeroDivisionError):
        return None


def _quota_v1(directory: Path) -> float | None:
    try:
        quota = float((directory / "cpu.cfs_quota_us").read_text())  # -1: none
        period = float((directory / "cpu.cfs_period_us").read_text())
        return None if quota <= 0 else quota / period
    except (OSError, ValueError, ZeroDivisionError):
        return None


def workers_from_env(env: dict | None = None) -> int:
    """RNN_LAB_WORKERS, else one worker per usable core. Bad values: a readable ValueError."""
    raw = (os.environ if env is None else env).get("RNN_LAB_WORKERS", "").strip()
    if not raw:
        return usable_cores()
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"RNN_LAB_WORKERS must be a whole number of worker processes, at least "
                         f"1 (got {raw!r}); leave it unset for one per core ({usable_cores()}).")
    return int(raw)


DEFAULT_JOBS_PER_WORKER = 4  # jobs one worker trains in turns (processor sharing)


def jobs_per_worker_from_env(env: dict | None = None) -> int:
    """RNN_LAB_JOBS_PER_WORKER, else 4. Bad values: a readable ValueError."""
    raw = (os.environ if env is None else env).get("RNN_LAB_JOBS_PER_WORKER", "").strip()
    if not raw:
        return DEFAULT_JOBS_PER_WORKER
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"RNN_LAB_JOBS_PER_WORKER must be a whole number of jobs one worker "
                         f"trains in turns, at least 1 (got {raw!r}); leave it unset for "
                         f"{DEFAULT_JOBS_PER_WORKER}.")
    return int(raw)


@dataclass
class WorkerProcess:
    """The dispatcher's handle on one worker process and the jobs it holds (trained in turns)."""

    process: Any  # multiprocessing Process
    conn: Any  # our end of the duplex pipe
    jobs: dict[int, Job] = field(default_factory=dict)  # job id -> Job, until the worker ends it
    dead: bool = False


def process_context():
    """forkserver where it exists (never fork the multi-threaded server itself), else spawn.

    The fork server imports the worker module (numpy, pandas, forecast) once, so every worker and
    every replacement forks from it ready to train.
    """
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload([pool_worker.__name__])
        return ctx
    return mp.get_context("spawn")


def start_worker(ctx, slot: int, board: FreshBoard) -> WorkerProcess:
    """Start one worker process (from ``process_context()``) serving jobs over a duplex pipe;
    ``slot`` is its place on the workers' shared ``board`` (app/pool_priority.py)."""
    ours, theirs = ctx.Pipe(duplex=True)
    process = ctx.Process(target=pool_worker.serve, args=(theirs, slot, board), daemon=True,
                          name="rnn-lab-training-worker")
    with _one_blas_thread(), _no_main_module():
        process.start()
    theirs.close()  # the worker holds its end; ours sees EOF when the worker dies
    return WorkerProcess(process, ours)


@contextmanager
def _no_main_module():
    """Start processes without the main module: Streamlit runs the page as ``__main__``, and
    multiprocessing would import (that is, run) it again in every new process. Workers need only
    app.pool_worker."""
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if saved is not None:
            sys.modules["__main__"] = saved


_env_lock = threading.Lock()  # os.environ is the server's: one worker start changes it at a time


@contextmanager
def _one_blas_thread():
    """Start processes with BLAS at one thread: they inherit the environment at start (the fork
    server is started by the first worker and keeps it). The server's own BLAS is loaded already,
    so the brief change does not touch it."""
    with _env_lock:
        saved = {var: os.environ.get(var) for var in BLAS_THREAD_VARS}
        os.environ.update({var: "1" for var in BLAS_THREAD_VARS})
        try:
            yield
        finally:
            for var, value in saved.items():
                if value is None:
                    os.environ.pop(var, None)
                else:
                    os.environ[var] = value
