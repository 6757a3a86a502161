"""The pool's processes: how many jobs may train at once, and how one job's process starts
(what runs in it: app/pool_child.py)."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import sys
import threading
import types
from dataclasses import dataclass
from multiprocessing import forkserver
from typing import Any

from app.cores import usable_cores

# imported once by the fork server, in this order: BLAS at one thread, then numpy, pandas, forecast
PRELOAD = ["app.pool_blas", "app.pool_child"]


def workers_from_env(env: dict | None = None) -> int:
    """RNN_LAB_WORKERS (cores to fill), else the usable cores. Bad values: a ValueError."""
    return count_from_env("RNN_LAB_WORKERS", "worker processes", usable_cores(), env)


def count_from_env(name: str, what: str, default: int, env: dict | None = None) -> int:
    """The whole number (at least 1) in ``name``, else ``default``; else a readable ValueError."""
    raw = (os.environ if env is None else env).get(name, "").strip()
    if raw and (not raw.isdigit() or int(raw) < 1):
        raise ValueError(f"{name} must be a whole number of {what}, at least 1 (got {raw!r}); "
                         f"leave it unset for the default ({default}).")
    return int(raw) if raw else default


@dataclass
class Child:
    """The pool's handle on one job's process and our end of its duplex pipe."""

    process: Any
    conn: Any

    def end(self) -> None:
        """Kill the process (again if it has not ended within 2 s), reap it, close our end."""
        for _ in range(2):
            if self.process.is_alive():
                self.process.kill()
            self.process.join(2.0)
        self.conn.close()


# forkserver: never fork the multi-threaded server itself (Linux and macOS have it)
CONTEXT = mp.get_context("forkserver")
START_LOCK = threading.Lock()  # one start at a time; the first starts the fork server


def warm_up() -> None:
    """Start the fork server now (it imports numpy, pandas and forecast: about a second), so the
    first job does not wait for it."""
    with START_LOCK, _no_main_module():
        CONTEXT.set_forkserver_preload(PRELOAD)
        forkserver.ensure_running()


def start_child(kind: str, df, config, budget_s: float | None, chunk_s: float) -> Child:
    """Start one job's process (app/pool_child.py's ``run``)."""
    from app import pool_child  # noqa: PLC0415 - numpy, pandas: the fork server has them

    warm_up()
    ours, theirs = CONTEXT.Pipe(duplex=True)
    process = CONTEXT.Process(target=pool_child.run, daemon=True, name="rnn-lab-job",
                              args=(theirs, kind, df, config, budget_s, chunk_s))
    with START_LOCK, _no_main_module():
        process.start()
    theirs.close()  # the child holds its end; ours sees EOF when it dies
    return Child(process, ours)


@contextlib.contextmanager
def _no_main_module():
    """Start processes without the main module: Streamlit runs the page as ``__main__``, and
    multiprocessing would import (that is, run) it again in every new process."""
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if saved is not None:
            sys.modules["__main__"] = saved
