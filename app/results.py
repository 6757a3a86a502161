"""Results: the verdict, the metrics table and the tabs of charts for the run on screen."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

import ui
from app.exports import show_exports
from app.forecast_panel import show_forecast_vs_actual, show_next_days
from app.history import data_name, show_history, show_run_change
from app.inside import show_inside
from app.job import Run
from app.settings import Settings, training_budget_s
from app.text import markdown_text
from forecast.models import target_name
from forecast.verdict import network_seed_note

VERDICT_BOX = {  # result.winner -> how the verdict is drawn (None: a tie)
    "rnn": ("success", ":material/emoji_events:"),
    None: ("info", ":material/balance:"),
}
OTHER_WON = ("warning", ":material/trending_down:")  # a model other than the RNN won


def show_verdict(run: Run, units: str) -> None:
    result = run.result
    st.subheader("Who won?")
    kind, icon = VERDICT_BOX.get(result.winner, OTHER_WON)
    getattr(st, kind)(result.verdict(units=units), icon=icon)
    stops = [f"{ui.MODEL_LABELS.get(m, m)}: {r}" for m, r in run.reasons.items() if r]
    if stops:
        st.caption("How training ended — " + "; ".join(stops) + ".")
    if run.budget_hit:
        st.warning(f"Training hit the time budget ({training_budget_s():g} s per click) and "
                   "ended early; each network kept its best weights so far. Fewer epochs, a "
                   "smaller hidden size or a shorter period finish within it.",
                   icon=":material/timer:")
    for note in result.notes:
        st.caption(note)
    for warning in result.warnings:  # training that failed, named (forecast/diagnose.py)
        st.warning(warning["message"], icon=":material/warning:")


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
    table = ui.comparison_table(result.comparison, units, unavailable=result.unavailable)
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        table.columns[1]: st.column_config.NumberColumn(format="%+.3f")})
    st.caption(HOW_TO_READ)


def show_metrics(metrics: Mapping[str, Mapping], units: str) -> None:
    table = ui.metrics_table(metrics, units)
    formats = {c: st.column_config.NumberColumn(format="%.3f") for c in table.columns
               if c.startswith(("MAE", "RMSE", "Bias", "±"))}
    sd = f"± sd ({units})"
    table[sd] = table[sd].map(lambda v: "—" if v != v else f"{v:.3f}")  # NaN: no seeds
    formats[sd] = st.column_config.TextColumn(
        help="Spread of a network's MAE over its repeats (seeds); a baseline has no seed.")
    formats["Skill vs persistence"] = st.column_config.NumberColumn(
        format="%+.1f %%", help="1 − MAE / MAE of persistence: above 0 beats 'tomorrow = today'.")
    formats["Note"] = st.column_config.TextColumn(width="large")
    if not table["Note"].astype(bool).any():
        table = table.drop(columns="Note")  # only when a baseline was not available
    st.dataframe(table, hide_index=True, width="stretch", column_config=formats)
    for model, reason in unavailable_reasons(metrics).items():
        st.caption(f"{ui.MODEL_LABELS.get(model, model)} is not available: {reason}. It is "
                   "not ranked and cannot win.")


def unavailable_reasons(metrics: Mapping[str, Mapping]) -> dict[str, str]:
    return {m: str(v.get("reason", "")) for m, v in metrics.items() if "mae" not in v}


def data_label(settings: Settings) -> str:
    """'Seattle 2012–2015' for a sample, else the dataset's own name."""
    return data_name(settings)


def show_results(run: Run, units: str) -> None:
    result = run.result
    settings = run.settings
    repeats = f", {result.seeds} repeats" if result.seeds > 1 else ""
    st.caption(f"Run {run.number} at {run.time}: **{markdown_text(data_label(settings))}**, "
               f"{settings.start} – {settings.end}, forecasting the "
               f"{target_name(result.target)}{repeats}, trained in {run.seconds:.1f} s.")
    show_verdict(run, units)
    show_comparison(run, units)
    st.markdown("**Every model's test error**")
    show_metrics(result.metrics, units)
    st.caption(network_seed_note(result))  # which seed's forecast the charts below draw
    show_run_change(run, units)  # what changed since the run before, above the tabs
    tabs = st.tabs(["Forecast vs actual", "Errors", "Next 7 days", "How it works",
                    "Run history", "Export"])
    with tabs[0]:
        show_forecast_vs_actual(run, units)  # app/forecast_panel.py: lines, ranges, coverage
    with tabs[1]:
        st.altair_chart(ui.skill_chart(result.metrics, height=240), width="stretch")
        st.altair_chart(ui.horizon_error_chart(result.horizon_mae, units), width="stretch")
        test_days = result.predictions.groupby(result.predictions.index.month).size()
        st.altair_chart(ui.monthly_error_chart(result.monthly_mae, units, counts=test_days),
                        width="stretch")
    with tabs[2]:
        show_next_days(run, units)  # app/forecast_panel.py: tomorrow with its likely range
    with tabs[3]:
        show_inside(run, units)
    with tabs[4]:
        show_history()
    with tabs[5]:
        show_exports(run)

