"""Training on the page: the Train click submits a job to the server's worker pool (app/pool.py),
a fragment polls it and draws the progress bar and live loss curves, Stop ends it, the finished
job's Run (app/job.py) is kept in session state.

The job lives in a worker process, not in this session's script thread, so nothing a script run
does can freeze it: a rerun (any widget) or Streamlit's own header Stop ends only the polling,
and the next script run — or the fragment's own timer, which keeps firing after a header Stop —
picks the live view up again. A tab that closes stops polling; the pool drops its job after
DEFAULT_IDLE_S seconds.
"""

from __future__ import annotations

import dataclasses
import threading
import time
import uuid

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

import ui
from app import built
from app.guided import experiment_run
from app.pool import CANCELLED, FAILED, QUEUED, JobStatus, existing_pool, get_pool
from app.run import Progress, TrainingFailed, build_run, progress_from
from app.settings import Settings, link_params, training_budget_s
from rnn.train import STOPPED_BY_USER

BEAT_S = 1.0  # the live view waits for the job's news (a chunk), at most this long: each
#               message it sends is where Streamlit delivers a rerun or a Stop to its loop
RESUME_S = 2.0  # the live view's own timer: resumes polling after Streamlit's header Stop
CURVES_EVERY_S = 3.0  # loss curves are redrawn at most every 3 s (and less often when runs
#                      share the cores, curves_every_s): a redraw is a chart built by the server
#                      and drawn by the browser; measured, 1 s cost the server 0.07 CPU s per
#                      second of a run's training, which a class pays for every waiting minute
FIRST_CURVES_S = 1.0  # and first drawn after a second of training: the default run (~0.5 CPU s)
#                      shows its results instead of curves that would be replaced at once


def pool_session() -> str:
    """This visitor's name in the pool (one job per name): Streamlit's session id, plus a token
    kept in session state so two AppTest sessions (which share one id) are two visitors too."""
    ss = st.session_state
    if "_pool_session" not in ss:
        ctx = get_script_run_ctx()
        ss["_pool_session"] = f"{ctx.session_id if ctx else 'session'}/{uuid.uuid4().hex[:8]}"
    return str(ss["_pool_session"])


def warm_pool() -> None:
    """Start the server's pool in the background on a session's first visit, so the first Train
    does not wait ~1 s for worker processes to start and import NumPy; errors surface at Train.
    Once the pool runs, a new session starts no thread (a class opens 30 pages at once)."""
    if existing_pool() is not None:
        return

    def start() -> None:
        try:
            get_pool()
        except (ValueError, RuntimeError):  # RNN_LAB_WORKERS unusable: start_training says so
            pass

    threading.Thread(target=start, name="warm-training-pool", daemon=True).start()


def start_training(df: pd.DataFrame, settings: Settings, kind: str = "run",
                   then_curve: bool = False) -> None:
    """Submit a run (``kind="curve"``: the memory curve for ``settings``) to the server's pool;
    ``then_curve``: when the run has finished, train its memory curve the same way."""
    ss = st.session_state
    try:
        pool = get_pool()
        job = pool.submit(pool_session(), df, settings.experiment_config(),
                          budget_s=training_budget_s(), kind=kind)
    except (ValueError, RuntimeError) as err:  # RNN_LAB_WORKERS unusable, pool shut down
        ss["train_error"] = f"Training could not start: {err}"
        return
    ss.update(job=job, job_kind=kind, job_settings=settings, job_df=df, training=True,
              job_then_curve=then_curve, train_error=None)


def collect_finished_training() -> None:
    """At the top of a script run, before any widget: keep the Run of a job that has ended
    (seen by the live view, or ended while no script was polling it)."""
    ss = st.session_state
    job = ss.get("job")
    if ss.get("training") and job is not None and (status := job.poll()).finished:
        finish_training(status)


def finish_training(status: JobStatus) -> None:
    """Keep the finished (or stopped) job's Run, or its memory curve on the Run; a failed job
    leaves its message instead and the previous results stay on screen."""
    ss = st.session_state
    settings: Settings = ss["job_settings"]
    kind, df = ss.get("job_kind", "run"), ss.pop("job_df", None)
    ss.update(training=False, job=None)
    if status.state == FAILED:
        ss["train_error"] = status.error
        return
    if status.state == CANCELLED:
        what = "the memory curve" if kind == "curve" else "this run"
        ss["train_note"] = ("Stopped before training started: nothing was trained and the "
                            "previous results stay." if status.reason == STOPPED_BY_USER else
                            f"{what[0].upper()}{what[1:]} was dropped ({status.reason}); press "
                            "Train to run it again.")
        return
    if kind == "curve":
        keep_curve(status)
        return
    progress = progress_from(status.progress, status.histories, status.train_seconds)
    try:
        run = build_run(len(ss["runs"]) + 1, settings, progress, status.result, status.observed,
                        seconds=status.train_seconds, budget_hit=status.budget_hit)
    except TrainingFailed as err:
        ss["train_error"] = str(err)  # the previous good run stays on screen
        return
    ss["runs"].append(run.summary())
    ss["last_run"] = run
    if len(ss["runs"]) >= 2:  # the comparison opens on the two newest runs
        ss["compare_a"], ss["compare_b"] = ss["runs"][-2].number, ss["runs"][-1].number
    st.query_params.from_dict(link_params(run.settings, ss["units"], ss.get("city_query", ""),
                                          ss.get("city_pick", 0), experiment_run(run)))
    if ss.pop("job_then_curve", False) and df is not None:
        start_training(df, settings, kind="curve")  # Train stays off, Stop on, in this run


def keep_curve(status: JobStatus) -> None:
    """The curve on the Run it was trained for; a stopped one keeps its windows, marked so."""
    ss = st.session_state
    run = ss.get("last_run")
    if run is None or run.settings != ss["job_settings"]:
        return  # a newer run replaced it (a new Train cancels the curve; this is a safeguard)
    stop = status.progress.get("stop_reason")
    windows = status.progress.get("windows") or []
    note = (f"The memory curve {stop} after {len(status.result)} of {len(windows)} windows: the "
            "windows trained are shown. Run the experiment again for the whole curve."
            if stop else None)
    ss["last_run"] = dataclasses.replace(run, memory_curve=status.result, memory_curve_note=note)


def curves_every_s(stats: dict) -> float:
    """How often the live loss curves are redrawn, given the pool's ``stats()``.

    When more runs train than there are workers, each run gets its share of a worker (1/load) and
    its curves grow that much slower, so redrawing every CURVES_EVERY_S × load seconds shows the
    same new epochs per redraw. It also keeps the server's chart building and every training
    page's chart rendering from growing with the number of visitors just when the cores are
    busiest."""
    load = stats.get("training", 0) / max(1, stats.get("workers", 1))
    return CURVES_EVERY_S * max(1.0, load)


def _pool_stats() -> dict:
    pool = existing_pool()  # gone (server shutting down): no stretch, and no new pool for it
    return pool.stats() if pool is not None else {}


def progress_text(progress: Progress) -> str:
    """The bar is the share of the most work training may need (every network to its last epoch,
    every seed); the words say the same and why it usually ends sooner."""
    rnn = progress.rnn
    seeds = f" — seed {progress.seed + 1} of {progress.seeds}" if progress.seeds > 1 else ""
    return (f"RNN epoch {rnn.epoch} (up to {rnn.epochs}; stops early when validation stops "
            f"improving){seeds} · {progress.fraction:.0%} of the most work it may need · "
            f"{progress.seconds:.0f} s of training. Stop ends it and keeps the best weights.")


def curve_text(status: JobStatus) -> str:
    p = status.progress
    windows = p.get("windows") or []
    now = f"window {p['window']} days, " if p.get("window") else ""
    return (f"Memory curve: {now}{p.get('points', 0)} of {len(windows)} windows trained "
            f"({', '.join(map(str, windows))} days) · {status.fraction:.0%} · "
            f"{status.train_seconds:.0f} s of training. Stop keeps the windows trained so far.")


def queue_text(status: JobStatus) -> str:
    place = status.queue_position or 1
    return (f"The server is training as many runs as it can at once: yours is number {place} in "
            "the queue and starts when a run ahead of it ends. The time budget starts when "
            "training does.")


def training_panel() -> None:
    """The live view while this session's job is queued or training; a one-off note after."""
    ss = st.session_state
    if ss.get("training") and ss.get("job") is not None:
        live_training()
    elif note := ss.pop("train_note", None):
        st.info(note, icon=":material/stop_circle:")


@st.fragment(run_every=RESUME_S)
def live_training() -> None:
    """Poll the job each chunk and draw its snapshot until it has finished, then rerun the page.

    A full script run reaches this last (app/page.py fills its container at the end), so the rest
    of the page is drawn before the polling starts.
    """
    ss = st.session_state
    job = ss.get("job")
    if not ss.get("training") or job is None:
        return  # the timer fired after training ended
    bar = st.progress(0.0, text="Starting…")
    curves = st.empty()
    last_sent, drawn, shown = -1.0, -1, None
    last_draw = time.monotonic()
    while not (status := job.poll()).finished:
        if status.state == QUEUED:
            bar_now = (0.0, queue_text(status))
        elif status.kind == "curve":
            bar_now = (round(status.fraction, 2), curve_text(status))
        else:
            progress = progress_from(status.progress, status.histories, status.train_seconds)
            # whole percent, as the text says: a chunk may end inside an epoch and move the
            # fraction a little every poll, which would be a message to the browser each time
            bar_now = (round(progress.fraction, 2),
                       progress_text(progress) if progress.networks else "Starting…")
        now = time.monotonic()
        # Send only what changed (one page per visitor), but at least once a second: each
        # message is also where Streamlit delivers a rerun or a Stop to this loop.
        if bar_now != shown or now - last_sent >= 1.0:
            bar.progress(bar_now[0], text=bar_now[1])
            shown, last_sent = bar_now, now
        if status.state != QUEUED and status.kind == "run":
            epochs = sum(len(h) for h in progress.histories.values())
            due = (status.train_seconds >= FIRST_CURVES_S if drawn < 0  # of its own training:
                   else now - last_draw > curves_every_s(_pool_stats()))  # not queue, not reruns
            if epochs and epochs != drawn and due:
                built.draw(built.frozen(ui.loss_curves_chart(progress.histories)), curves)
                last_draw, drawn = now, epochs
        job.wait(BEAT_S, after=status.version)  # at once on news, and when the job ends
    st.rerun()  # the next run keeps the Run (collect_finished_training) and draws the results


def stop_training() -> None:
    """Ask the worker to end training (best weights kept); the panel finishes when it has."""
    ss = st.session_state
    ss["job_then_curve"] = False  # a Stop during a memory experiment's run ends the experiment
    if ss.get("training") and ss.get("job") is not None:
        ss["job"].stop(STOPPED_BY_USER)
