"""Training on the page: the Train click starts a TrainingJob (app/job.py), a fragment runs it
chunk by chunk with a progress bar and live loss curves, Stop ends it, the Run is kept in
session state."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import ui
from app.job import Progress, TrainingFailed, TrainingJob
from app.settings import Settings, link_params, training_budget_s
from forecast import ForecastError


def start_training(df: pd.DataFrame, settings: Settings) -> None:
    ss = st.session_state
    try:
        job = TrainingJob(df, settings, budget_s=training_budget_s())
    except ForecastError as err:
        ss["train_error"] = str(err)
        return
    ss.update(job=job, training=True, train_error=None)


def finish_training() -> None:
    """Keep the finished (or stopped) job's Run, unless training blew up."""
    ss = st.session_state
    job: TrainingJob = ss["job"]
    ss.update(training=False, job=None)
    try:
        run = job.finish(number=len(ss["runs"]) + 1)
    except TrainingFailed as err:
        ss["train_error"] = str(err)  # the previous good run stays on screen
        return
    ss["runs"].append(run.summary())
    ss["last_run"] = run
    if len(ss["runs"]) >= 2:  # the comparison opens on the two newest runs
        ss["compare_a"], ss["compare_b"] = ss["runs"][-2].number, ss["runs"][-1].number
    st.query_params.from_dict(link_params(run.settings, ss["units"], ss.get("city_query", ""),
                                          ss.get("city_pick", 0)))


def progress_text(progress: Progress) -> str:
    return (f"RNN epoch {progress.rnn.epoch} of at most {progress.rnn.epochs} — press Stop to "
            "end early and keep the best weights so far")


@st.fragment
def training_panel() -> None:
    """Train in short chunks, redrawing progress and loss curves after each one."""
    ss = st.session_state
    job: TrainingJob | None = ss.get("job")
    if not ss.get("training") or job is None:
        return
    bar = st.progress(0.0, text="Starting…")
    curves = st.empty()
    last_draw = -1.0
    while not job.done:
        progress = job.step()
        bar.progress(progress.fraction, text=progress_text(progress))
        if progress.seconds - last_draw > 0.5:  # redraw at most twice a second
            curves.altair_chart(ui.loss_curves_chart(progress.histories), width="stretch")
            last_draw = progress.seconds
    bar.empty()
    curves.empty()
    finish_training()
    st.rerun()  # redraw the page so Train/Stop and the results show the finished state


def stop_training() -> None:
    ss = st.session_state
    if ss.get("training") and ss.get("job") is not None:
        ss["job"].stop("stopped by user")
        finish_training()
