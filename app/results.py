"""Results: the verdict, the metrics table and the tabs of charts for the run on screen."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

import ui
from app.exports import show_exports
from app.history import show_history
from app.inside import show_inside
from app.job import Run
from app.loaders import sample_catalogue
from app.settings import Settings, training_budget_s
from app.text import markdown_text, sample_label


def show_verdict(run: Run, units: str) -> None:
    result = run.result
    st.subheader("Who won?")
    sentence = result.verdict(units=units)
    rnn_won = result.winner == "rnn"
    box = st.success if rnn_won else st.info
    box(sentence, icon=":material/emoji_events:" if rnn_won else ":material/balance:")
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


def show_metrics(metrics: Mapping[str, Mapping[str, float]], units: str) -> None:
    table = ui.metrics_table(metrics, units)
    formats = {c: st.column_config.NumberColumn(format="%.3f") for c in table.columns
               if c.startswith(("MAE", "RMSE", "Bias"))}
    formats["Skill vs persistence"] = st.column_config.NumberColumn(
        format="%+.1f %%", help="1 − MAE / MAE of persistence: above 0 beats 'tomorrow = today'.")
    st.dataframe(table, hide_index=True, width="stretch", column_config=formats)


def data_label(settings: Settings) -> str:
    """'Seattle 2012–2015' for a sample, else the dataset's own name."""
    if settings.source == "sample":
        sample = {s["id"]: s for s in sample_catalogue()}.get(settings.data)
        if sample:
            return sample_label(sample)
    return str(settings.data or "your data")


def show_results(run: Run, units: str) -> None:
    result = run.result
    settings = run.settings
    st.caption(f"Run {run.number} at {run.time}: **{markdown_text(data_label(settings))}**, "
               f"{settings.start} – {settings.end}, trained in {run.seconds:.1f} s.")
    show_verdict(run, units)
    show_metrics(result.metrics, units)
    tabs = st.tabs(["Forecast vs actual", "Errors", "Next 7 days", "How it works",
                    "Run history", "Export"])
    with tabs[0]:
        st.altair_chart(ui.forecast_chart(result.predictions, units), width="stretch")
        st.caption("Test period only: days no model saw during training. Click a legend entry "
                   "to show or hide a model; drag to pan, scroll to zoom.")
    with tabs[1]:
        st.altair_chart(ui.skill_chart(result.metrics, height=240), width="stretch")
        st.altair_chart(ui.horizon_error_chart(result.horizon_mae, units), width="stretch")
        test_days = result.predictions.groupby(result.predictions.index.month).size()
        st.altair_chart(ui.monthly_error_chart(result.monthly_mae, units, counts=test_days),
                        width="stretch")
    with tabs[2]:
        st.altair_chart(ui.future_chart(run.recent, result.future, units), width="stretch")
        table = ui.to_display_temp(result.future, units).rename(columns=ui.MODEL_LABELS)
        table.index = table.index.strftime("%a %d %b %Y")
        st.dataframe(table, width="stretch", column_config={  # one decimal, with its unit
            c: st.column_config.NumberColumn(format=f"%.1f {units}") for c in table.columns})
        st.caption("Beyond the data each day's forecast feeds the next one, so errors grow "
                   "with the horizon (see 'Errors').")
    with tabs[3]:
        show_inside(run, units)
    with tabs[4]:
        show_history()
    with tabs[5]:
        show_exports(run)

