"""Training: chunks inside a fragment, live curves, Stop, results kept in session state."""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd
import streamlit as st

import ui
from app.settings import (
    CHUNK_SECONDS,
    LEARNING_RATES,
    experiment_config,
    link_params,
    nearest_learning_rate,
    training_budget_s,
)
from forecast import ExperimentRunner, ForecastError


def start_training(df: pd.DataFrame, settings: dict) -> None:
    ss = st.session_state
    try:
        runner = ExperimentRunner(df, experiment_config(settings))
    except ForecastError as err:
        ss["train_error"] = str(err)
        return
    ss.update(runner=runner, runner_settings=settings, training=True, train_error=None,
              train_started=time.perf_counter(), budget_hit=False)


def finish_training() -> None:
    """Turn the finished (or stopped) runner into a result, unless training blew up."""
    ss = st.session_state
    runner, settings = ss["runner"], ss["runner_settings"]
    ss.update(training=False, runner=None)
    progress = runner.progress
    reasons = {m: p.get("stop_reason") for m, p in progress.items() if isinstance(p, dict)}
    if progress["rnn"]["diverged"]:
        # Keep the previous good run on screen; say what happened and what to try.
        lr = settings["learning_rate"]
        ss["train_error"] = (
            f"Training diverged in epoch {progress['rnn']['epoch']}: the RNN's loss became "
            f"infinite or NaN, so training stopped, "
            f"the weights from this run were thrown away and the previous results stay on "
            f"screen. Try a smaller learning rate than {lr:g}, e.g. "
            f"{nearest_learning_rate(max(lr / 10, LEARNING_RATES[0])):g}."
        )
        return
    try:
        result = runner.result()
    except ForecastError as err:
        ss["train_error"] = str(err)
        return
    run = {
        "run": len(ss["runs"]) + 1, "time": dt.datetime.now().strftime("%H:%M:%S"),
        "settings": settings, "metrics": result.metrics, "reasons": reasons,
        "seconds": time.perf_counter() - ss.get("train_started", time.perf_counter()),
        "result": result, "budget_hit": ss.pop("budget_hit", False),
        # the last observed days of the run's own data, drawn before its 7-day forecast
        "recent": pd.Series(runner.features.target_observed,
                            index=runner.features.dates).iloc[-60:],
        # what an uploaded weights file is scored on: this run's test windows, decoded the same way
        "test_windows": {"X": runner.X[runner.split.test], "today": runner.today[runner.split.test],
                         "coder": runner.coder},
    }
    ss["runs"].append({k: v for k, v in run.items()
                       if k not in ("result", "test_windows", "recent")})
    ss["last_run"] = run
    if len(ss["runs"]) >= 2:  # the comparison opens on the two newest runs
        ss["compare_a"], ss["compare_b"] = ss["runs"][-2]["run"], ss["runs"][-1]["run"]
    st.query_params.from_dict(link_params(settings, ss["units"], ss.get("city_query", ""),
                                          ss.get("city_pick", 0)))


@st.fragment
def training_panel() -> None:
    """Train in short chunks, redrawing progress and loss curves after each one."""
    ss = st.session_state
    runner = ss.get("runner")
    if not ss.get("training") or runner is None:
        return
    progress = st.progress(0.0, text="Starting…")
    curves = st.empty()
    last_draw = 0.0
    budget = training_budget_s()
    while not runner.done:
        runner.step(max_seconds=CHUNK_SECONDS)
        info = runner.progress
        if info["rnn"]["diverged"]:
            runner.stop("stopped: the RNN diverged")  # no point training the others on
        elif time.perf_counter() - ss.get("train_started", 0.0) >= budget:
            runner.stop(f"time budget of {budget:g} s per click reached")  # keeps best weights
            ss["budget_hit"] = True
        rnn_info = info.get("rnn", {})
        progress.progress(
            min(1.0, float(info.get("fraction", 0.0))),
            text=f"RNN epoch {rnn_info.get('epoch', 0)} of at most {rnn_info.get('epochs', '?')}"
                 " — press Stop to end early and keep the best weights so far",
        )
        if time.perf_counter() - last_draw > 0.5:  # redraw at most twice a second
            curves.altair_chart(ui.loss_curves_chart(runner.histories), width="stretch")
            last_draw = time.perf_counter()
    progress.empty()
    curves.empty()
    finish_training()
    st.rerun()  # redraw the page so Train/Stop and the results show the finished state


def stop_training() -> None:
    ss = st.session_state
    if ss.get("training") and ss.get("runner") is not None:
        ss["runner"].stop("stopped by user")
        finish_training()

