"""The answer first: inside ``st.container(key="verdict")`` (the browser tests' hook) the headline
answering "Did memory help?" (forecast/headline.py), the warnings that outrank it, and one
picture — every model's average miss with its range (ui.miss_chart)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import streamlit as st

import ui
from app import built
from app.run import Run
from app.settings import training_budget_s
from app.words import WORDS
from forecast.diagnose import warning_message
from forecast.headline import headline, memory_units_note, miss_rows

ICONS = {"yes": ":material/check_circle:", "worse": ":material/trending_down:",
         "not_here": ":material/balance:", "too_close": ":material/balance:",
         "cannot_tell": ":material/help:", "failed": ":material/warning:"}
TRACES = "_rnn_traces"  # session-state key: run number -> (settings, the RNN's test forecasts)
KEEP_TRACES = 2  # this run and the one before: enough to compare hidden sizes
ON_ITS_OWN = ("stopped at epoch", "finished")  # how app/job.py says training ended by itself


def show_answer(run: Run, units: str) -> None:
    result = run.result
    line = built.once("answer:headline", run, units, lambda: headline(result, units))
    with st.container(key="verdict"):
        getattr(st, line.kind)(line.text, icon=ICONS[line.answer])
        for warning in result.warnings:  # training that failed, named (forecast/diagnose.py)
            st.warning(warning_message(warning, units), icon=":material/warning:")
        cut = [f"{ui.MODEL_LABELS.get(m, m)}: {r}" for m, r in run.reasons.items()
               if r and not r.startswith(ON_ITS_OWN)]
        if cut:  # Stop or another cut: said beside the answer it changes (all of it: Details)
            st.caption("How training ended — " + "; ".join(cut) + ".")
        if run.budget_hit:
            st.warning(f"Training hit the time budget ({training_budget_s():g} s per click) "
                       "and ended early; each network kept its best weights so far. Fewer "
                       "epochs, a smaller hidden size or a shorter period finish within it.",
                       icon=":material/timer:")
        built.chart("answer:misses", run, units,
                    lambda: ui.miss_chart(miss_rows(result), units))
        st.caption(picture_caption(result.seeds, units))
        note = units_note(run, units)
        if note:
            st.info(note, icon=":material/memory:")


KEYED = ("dense", "dense_window", "climatology", "linear")  # rows named in the picture's key


def picture_caption(seeds: int, units: str) -> str:
    """How to read the picture, then each row's plain meaning (app/words.py), where they first
    appear on the page."""
    repeats = (f"the {seeds} repeats (each network trained {seeds} times from different random "
               "start weights)" if seeds > 1 else "one repeat")
    key = " ".join(f"{ui.model_label(m)}: {WORDS[m][1]}" for m in KEYED)
    return (f"Dots: each model's average miss (MAE), in {units} — how far its forecast was "
            "from the measured value on an average test day; lower is better. Lines: how far "
            f"that could move with the luck of the test days and of {repeats}; a line that "
            "reaches the RNN's thin orange line means too close to call. Dashed grey: "
            f"persistence, {WORDS['persistence'][1]}  \n{key}")


class _Trace:
    """What a later run needs of this one to compare the RNNs: its test days and forecasts."""

    def __init__(self, result) -> None:
        self.predictions = result.predictions[["actual", "rnn"]]
        rnn = result.seed_predictions.get("rnn")
        self.seed_predictions = {"rnn": np.asarray(rnn)} if rnn is not None else {}


def units_note(run: Run, units: str) -> str | None:
    """"32 memory units did no better than 1 …" when the session's previous run differs from
    this one only in hidden size (and is "much smaller" or bigger, forecast/headline.py)."""
    traces: dict = st.session_state.setdefault(TRACES, {})
    if run.number not in traces:
        traces[run.number] = (run.settings, _Trace(run.result))
        for old in sorted(traces)[:-KEEP_TRACES]:
            del traces[old]
    earlier = [n for n in traces if n < run.number]
    if not earlier:
        return None
    settings, previous = traces[max(earlier)]
    if settings.hidden == run.settings.hidden or \
            replace(settings, hidden=run.settings.hidden) != run.settings:
        return None
    return built.once("answer:units", run, (units, max(earlier)), lambda: memory_units_note(
        run.result, previous, run.settings.hidden, settings.hidden, units))
