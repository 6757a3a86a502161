"""A job's process: train a chunk (app/job.py), report over the pipe, take a Stop, repeat.

Messages: pool -> job ("stop", reason); job -> pool ("progress", news) after every chunk, then
("done", news, *outcome) or ("failed", message for a person); a news is the JobStatus fields
after the chunk and the epoch logs since the last news (app/job.py ``news``).

A job trains at the server's priority for its first NICE_AFTER_S CPU seconds, then lowers its
own: the kernel then favours newcomers' short runs and the server's page builds over heavy
runs, with no scheduler of ours. It dies with its parent, the fork server (which exits when the
server does): PR_SET_PDEATHSIG; a broken pipe ends it too.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import time

from app.job import CurveJob, TrainingJob
from forecast import ForecastError

NICE_AFTER_S = 1.0  # CPU seconds at full priority: a default run (~0.5 s) ends within them
JOB_NICE = 19  # then CFS weight 15 against the server's 1024: pages and newcomers go first
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def run(conn, kind: str, df, config, budget_s: float | None, chunk_s: float) -> None:
    """The job's whole life: prepare, train in chunks until done or stopped, send the result.
    Budgets and niceness count this process's CPU time, whoever else shares the cores."""
    parent = os.getppid()
    try:  # SIGKILL when the parent dies (Linux; elsewhere a broken pipe ends us)
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl: nobody waits for us
        return
    try:
        job = (CurveJob if kind == "curve" else TrainingJob)(df, config, budget_s)
        del df
        niced = False
        while not job.done:
            job.step(chunk_s)
            while conn.poll():
                message = conn.recv()
                if message[0] == "stop":
                    job.stop(message[1])
            if not niced and time.process_time() >= NICE_AFTER_S:
                niced = True
                with contextlib.suppress(OSError):  # not permitted: train as we are
                    os.nice(JOB_NICE)
            if not job.done:
                conn.send(("progress", job.news()))
        conn.send(("done", job.news(), *job.outcome()))
    except (EOFError, BrokenPipeError):
        return  # the pool is gone: nobody to train for
    except ForecastError as err:  # bad input, worded for a person already
        conn.send(("failed", str(err)))
    except Exception as err:  # a bug, not bad input: say so, not a traceback
        conn.send(("failed", f"Training failed unexpectedly ({type(err).__name__}: {err}). "
                             "Your previous results are kept."))
