"""Guided experiments on the page: the picker (key ``experiment``) and its button (key
``run_experiment``) in the sidebar; the question, what to look for and, for the memory
experiments, the memory curve above the results.

A click (or a link's ``experiment=``) sets the model controls through session state (the
widgets' own keys, as the sidebar stores them), loads the experiment's own sample over its whole
period and asks for training the way the Train button does (``train_requested``). The texts are
shown only for a run that matches the experiment (app/guided_text.py ``matches``), and every
number in them is that run's. When that run has finished, its memory curve (six windows) trains
in the server's pool like a run (app/training.py) and is kept on the Run as ``memory_curve``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import data_sources as ds
import ui
from app import built
from app.experiments import EXPERIMENTS, OPTIONS, label
from app.guided_text import (
    calendar_pair,
    deg,
    experiment_settings,
    extra_lines,
    headline,
    matches,
    today_tomorrow_sentence,
)
from app.loaders import sample_catalogue
from app.run import Run
from app.text import sample_label
from forecast.memory_curve import WINDOWS

PENDING = "guided"  # session key: {"key": option, "after": runs before the click}


def sidebar_experiments(slot, disabled: bool = False) -> None:
    """The picker and its Run button, in an expander in ``slot`` (under Train/Stop); disabled,
    like Train, while a run is training."""
    with slot.expander("Guided experiments", icon=":material/science:"):
        key = st.selectbox("Experiment", OPTIONS, format_func=label, key="experiment",
                           help="One click sets the model controls, states the question and "
                                "trains.")
        st.caption(EXPERIMENTS[key].question)
        st.button("Run this experiment", key="run_experiment", type="secondary",
                  width="stretch", on_click=request_experiment, disabled=disabled,
                  help="Sets the controls below, then trains with them.")


def request_experiment() -> None:
    """Button callback (runs before the script, so the widgets are drawn with the new values)."""
    ss = st.session_state
    if ss.get("training"):  # a click that raced the button's disabling changes nothing
        return
    apply_experiment(ss["experiment"])
    ss["train_requested"] = True  # what the Train button's click sets


def apply_experiment(key: str) -> None:
    """Set the experiment's data and controls in session state and remember that the next run is
    its run (also for a link's ``experiment=``, app/page.py)."""
    ss = st.session_state
    experiment = EXPERIMENTS[key]
    values = experiment_settings(experiment)
    ss.update(values)  # the widgets' keys are the control names
    entry = next(s for s in sample_catalogue() if s["id"] == experiment.sample)
    ss.pop("_link_period", None)
    ss.pop(f"period_{entry['start']}_{entry['end']}", None)  # the period picker: whole series
    ss["_target_data"] = ("sample", experiment.sample)  # the sidebar keeps the target set here
    ss["experiment"] = key
    ss[PENDING] = {"key": key, "after": len(ss.get("runs", []))}
    ss["curve_requested"] = experiment.memory_curve  # trained in the pool after the run


def is_synthetic(sample_id: str | None) -> bool:
    return any(s["id"] == sample_id and s.get("synthetic") for s in ds.list_samples())


def synthetic_note() -> None:
    """Said wherever the synthetic series is loaded: it is not weather, and why that matters."""
    st.warning(
        "**This series is synthetic, not weather.** Each day echoes the value "
        f"{ds.samples.ECHO_LAG} days earlier plus noise, so yesterday says almost nothing about "
        "today and only a memory that reaches a week back can forecast it: here memory is "
        "everything. In real weather tomorrow mostly follows today, so a network that sees only "
        "the last day is already close, and a memory adds little.",
        icon=":material/science:")


def experiment_run(run: Run | None) -> str | None:
    """The experiment whose training produced ``run`` — asked for before it, and trained with
    the experiment's own data and settings — else None."""
    pending = st.session_state.get(PENDING)
    if run is None or not pending or run.number <= pending["after"]:
        return None
    return pending["key"] if matches(pending["key"], run.settings) else None


def show_guided(run: Run, df: pd.DataFrame | None, units: str) -> None:
    """The experiment's question and what to look for; the memory curve when it has one."""
    key = experiment_run(run)
    if key is None:
        return
    experiment = EXPERIMENTS[key]
    with st.container(border=True, key="guided"):
        st.markdown(f"**Guided experiment: {experiment.label}** — {experiment.question}")
        st.caption(f"Trained on **{experiment.data}** ({run.settings.start} – "
                   f"{run.settings.end}), the experiment's own data.")
        kind, text = headline(key, run, units)  # a training warning outranks the answer
        getattr(st, kind)(text)
        for line in extra_lines(key, run, units):
            st.markdown(line)
        if key == "calendar":
            show_calendar_pair(run, units)
        if experiment.memory_curve:
            curve = run.memory_curve
            left, right = st.columns(2)
            if curve is None and st.session_state.get("job_kind") == "curve" \
                    and st.session_state.get("training"):
                left.info(f"The memory curve is training (windows {', '.join(map(str, WINDOWS))}"
                          " days): its progress is at the bottom of the page.",
                          icon=":material/hourglass_top:")
            if curve:
                built.chart("guided:curve", curve, units,
                            lambda: ui.memory_curve_chart(curve, units), where=left)
                left.markdown(memory_answer(curve, units))
            if run.memory_curve_note:
                left.caption(run.memory_curve_note)
            if df is not None:
                with right:
                    show_today_tomorrow(df, run.settings.target, units, experiment.data)
        st.markdown(f"**The lesson.** {experiment.lesson}")
        with st.expander("What to look for", expanded=not experiment.memory_curve):
            st.markdown(experiment.look_for)


def show_calendar_pair(run: Run, units: str) -> None:
    """With and without the calendar side by side when the history has both; else the button
    that trains the same settings with the date."""
    pair = calendar_pair(run, st.session_state.get("runs", []), units)
    if pair:
        st.markdown(pair)
        return
    st.markdown("To see the same comparison with the date, train these settings with the "
                "calendar back: the change is reported above the result tabs.")
    st.button("Train again with the calendar", key="calendar_back", type="secondary",
              disabled=bool(st.session_state.get("training")),
              on_click=lambda: st.session_state.update(season=True, train_requested=True))


def show_today_tomorrow(df: pd.DataFrame, target: str, units: str, name: str) -> None:
    """The scatter of today against tomorrow for the loaded data, with its one sentence."""
    if target not in df:
        return
    key = (built.fingerprint(df), target, units)  # built once per data shown (app/built.py)
    built.chart("data:today_tomorrow", None, key,
                lambda: ui.today_tomorrow_chart(df[target], units))
    st.caption(built.once("data:today_tomorrow_words", None, (key, name), lambda:
                          today_tomorrow_sentence(ui.day_to_day_correlation(df[target]), name)))


def data_display_name(df: pd.DataFrame) -> str:
    """The loaded data as the page names it: 'Seattle 2012–2015' for a sample."""
    ss = st.session_state
    if ss.get("source") == "sample":
        entry = next((s for s in sample_catalogue() if s["id"] == ss.get("sample")), None)
        if entry is not None:
            return sample_label(entry)
    return str(df.attrs.get("name") or "your data")


ANSWER_WINDOW = 14  # days: the lab's default window, chosen before the curve is seen (picking
#   the best window on the test days would grade the curve on the days it was chosen on)


def memory_answer(curve: list[dict], units: str) -> str:
    """'Does memory help?' answered from the curve at a window fixed in advance (two weeks),
    with the RNN-minus-memoryless interval of that window's run; the other windows are the
    picture. Points kept before the interval was stored are answered from the MAEs alone."""
    at = min(curve, key=lambda p: abs(p["window"] - ANSWER_WINDOW))
    first = next((p for p in curve if p["window"] == 1), curve[0])
    cut = (at["dense"] - at["rnn"]) / at["dense"] * 100  # same test days, same window

    numbers = (f"With a {at['window']}-day window the RNN missed by {deg(at['rnn'], units)} on "
               f"an average day, the network without memory by {deg(at['dense'], units)} (the "
               f"RNN with no past, window 1: {deg(first['rnn'], units)}).")
    verdict = at.get("verdict")
    if verdict == "worse" or (cut <= 0 and verdict != "better"):
        answer = ("**No:** the RNN did not beat the network without memory here — tomorrow "
                  "mostly follows today, so a longer memory adds little.")
    elif verdict in ("tie", "cannot_tell"):
        answer = (f"**Too close to call:** a {abs(cut):.0f} % smaller error, within what the "
                  "luck of the test days and start weights can make.")
    elif cut >= 20:
        answer = (f"**Yes, decisively:** memory cuts the error by {cut:.0f} %. The past holds "
                  "what today does not.")
    else:
        answer = f"**A little:** memory cuts the error by {cut:.0f} %, beyond the luck of the draw."
    return f"{answer} {numbers}"
