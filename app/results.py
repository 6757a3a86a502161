"""Results: the answer first (app/answer.py), then the details — the full verdict sentence, the
comparison with intervals, the metrics table, the per-seed note — the words used, and the tabs
of charts for the run on screen. Charts and tables are built once per run (app/built.py)."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

import ui
from app import built, lazy
from app.answer import show_answer
from app.experiments import TAB_ERRORS, TAB_EXPORT, TAB_FORECAST, TAB_HISTORY, TAB_INSIDE, TAB_NEXT
from app.exports import show_exports
from app.forecast_panel import RANGE_WIDGETS, show_forecast_vs_actual, show_next_days
from app.history import data_name, show_history, show_run_change
from app.inside import show_inside
from app.run import Run
from app.settings import Settings
from app.text import markdown_text
from app.words import WORDS, glossary_markdown
from forecast.models import target_name
from forecast.verdict import network_seed_note

RESULTS_TAB = "results_tab"  # the tab on screen: its label (a test opens one by setting it)
TAB_LABELS = (TAB_FORECAST, TAB_ERRORS, TAB_NEXT, TAB_INSIDE, TAB_HISTORY, TAB_EXPORT)
# the widgets inside the tabs (an uploaded weights file cannot be re-saved: it is picked again)
TAB_WIDGETS = (*RANGE_WIDGETS, "compare_a", "compare_b")
VERDICT_BOX = {  # result.winner -> how the verdict is drawn (None: a tie)
    "rnn": ("success", ":material/emoji_events:"),
    None: ("info", ":material/balance:"),
}
OTHER_WON = ("warning", ":material/trending_down:")  # a model other than the RNN won


def show_verdict(run: Run, units: str) -> None:
    """The full verdict sentence (forecast/verdict.py), how training ended and the run's notes;
    the training warnings and the time budget are shown with the answer (app/answer.py)."""
    result = run.result
    kind, icon = VERDICT_BOX.get(result.winner, OTHER_WON)
    getattr(st, kind)(result.verdict(units=units), icon=icon)
    stops = [f"{ui.MODEL_LABELS.get(m, m)}: {r}" for m, r in run.reasons.items() if r]
    if stops:
        st.caption("How training ended — " + "; ".join(stops) + ".")
    for note in result.notes:
        st.caption(note)


HOW_TO_READ = (
    "**How to read this.** Each row is the RNN's MAE minus that model's: below zero, the RNN's "
    "errors were smaller. The 95 % interval counts two kinds of luck: which days happened to be "
    "tested (a paired block bootstrap — the test days resampled in week-long blocks, the same "
    "days for both models) and which start weights the networks got (the spread over the "
    "repeats). Better or worse only when the whole interval is on one side of zero; otherwise "
    "a tie: the data cannot tell the two apart.")


def show_comparison(run: Run, units: str) -> None:
    """RNN against each model: the MAE difference, its 95 % interval, better / worse / tie."""
    result = run.result
    st.markdown("**RNN against each model**")
    table = built.once("results:comparison", run, units, lambda: ui.comparison_table(
        result.comparison, units, unavailable=result.unavailable))
    # the verdict column next to the model: on a phone the numbers may scroll, the answer not
    order = ["Model", "RNN is", *(c for c in table.columns if c not in ("Model", "RNN is"))]
    st.dataframe(table, hide_index=True, width="stretch", column_order=order, column_config={
        "Model": st.column_config.TextColumn(help=help_text("rnn", "dense", "dense_window")),
        table.columns[1]: st.column_config.NumberColumn(
            format="%+.3f", help="The RNN's average miss minus this model's: below 0, the RNN "
                                 "missed by less. " + help_text("mae")),
        table.columns[2]: st.column_config.TextColumn(help=help_text("interval")),
        "RNN is": st.column_config.TextColumn(
            help="Better or worse only when the whole interval is on one side of 0; "
                 "otherwise a tie — too close to call.")})
    st.caption(HOW_TO_READ)


HEADER_WORDS = {"MAE": "mae", "RMSE": "rmse", "Bias": "bias"}  # a column's start -> its word


def metrics_frame(metrics: Mapping[str, Mapping], units: str):
    """The metrics table as drawn: ± sd as text ("—" for a baseline), Note only when needed."""
    table = ui.metrics_table(metrics, units)
    sd = f"± sd ({units})"
    table[sd] = table[sd].map(lambda v: "—" if v != v else f"{v:.3f}")  # NaN: no seeds
    if not table["Note"].astype(bool).any():
        table = table.drop(columns="Note")  # only when a baseline was not available
    return table


def show_metrics(metrics: Mapping[str, Mapping], units: str, run: Run | None = None) -> None:
    table = built.once("results:metrics", run, units, lambda: metrics_frame(metrics, units)) \
        if run is not None else metrics_frame(metrics, units)
    formats = {c: st.column_config.NumberColumn(format="%.3f", help=help_text(word))
               for c in table.columns for start, word in HEADER_WORDS.items()
               if c.startswith(start)}
    formats["Model"] = st.column_config.TextColumn(
        help=help_text("rnn", "dense", "dense_window", "persistence", "climatology", "linear"))
    formats[f"± sd ({units})"] = st.column_config.TextColumn(
        help=help_text("sd") + " A baseline has no repeats.")
    formats["Skill vs persistence"] = st.column_config.NumberColumn(
        format="%+.1f %%", help=help_text("skill"))
    formats["Note"] = st.column_config.TextColumn(width="large")
    st.dataframe(table, hide_index=True, width="stretch", column_config=formats)
    for model, reason in unavailable_reasons(metrics).items():
        st.caption(f"{ui.MODEL_LABELS.get(model, model)} is not available: {reason}. It is "
                   "not ranked and cannot win.")


def help_text(*terms: str) -> str:
    """Column help from the lab's words (app/words.py): 'Name: plain meaning' per term."""
    return " ".join(f"{WORDS[t][0]}: {WORDS[t][1]}" for t in terms)


def unavailable_reasons(metrics: Mapping[str, Mapping]) -> dict[str, str]:
    return {m: str(v.get("reason", "")) for m, v in metrics.items() if "mae" not in v}


def data_label(settings: Settings) -> str:
    """'Seattle 2012–2015' for a sample, else the dataset's own name."""
    return data_name(settings)


def show_results(run: Run, units: str) -> None:
    result = run.result
    settings = run.settings
    repeats = (f", {result.seeds} repeats (each network trained {result.seeds} times from "
               "different random start weights)" if result.seeds > 1 else "")
    st.caption(f"Run {run.number} at {run.time}: **{markdown_text(data_label(settings))}**, "
               f"{settings.start} – {settings.end}, forecasting the "
               f"{target_name(result.target)}{repeats}, trained in {run.seconds:.1f} s.")
    lazy.keep(*TAB_WIDGETS)  # the choices inside a closed tab stay as they were
    show_answer(run, units)
    with lazy.expander("Details: the full verdict, every score and its interval",
                       key="results_details") as shown:
        if shown:
            show_verdict(run, units)
            show_comparison(run, units)
            st.markdown("**Every model's test error**")
            show_metrics(result.metrics, units, run)
            st.caption(network_seed_note(result))  # which seed's forecast the charts draw
    with st.expander("Words used here"):
        st.markdown(glossary_markdown())
    show_run_change(run, units)  # what changed since the run before, above the tabs
    panels = {
        TAB_FORECAST: lambda: show_forecast_vs_actual(run, units),  # with its ranges
        TAB_ERRORS: lambda: show_errors(run, units),
        TAB_NEXT: lambda: show_next_days(run, units),  # tomorrow with its likely range
        TAB_INSIDE: lambda: show_inside(run, units),
        TAB_HISTORY: history_panel,
        TAB_EXPORT: lambda: exports_panel(run),
    }
    for (tab, shown), label in zip(lazy.tabs(TAB_LABELS, key=RESULTS_TAB), TAB_LABELS,
                                   strict=True):
        with tab:
            if shown:  # only the tab on screen is built (app/lazy.py)
                panels[label]()


def show_errors(run: Run, units: str) -> None:
    """Where the errors are: each model's skill, by days ahead, by month."""
    result = run.result
    built.chart("results:skill", run, units, lambda: ui.skill_chart(result.metrics, height=240))
    built.chart("results:horizon", run, units,
                lambda: ui.horizon_error_chart(result.horizon_mae, units))
    test_days = result.predictions.groupby(result.predictions.index.month).size()
    built.chart("results:monthly", run, units,
                lambda: ui.monthly_error_chart(result.monthly_mae, units, counts=test_days))


# Panels whose own widgets rerun only themselves (a fragment), not the whole results page.
@st.fragment
def history_panel() -> None:
    show_history()


@st.fragment
def exports_panel(run: Run) -> None:
    show_exports(run)
