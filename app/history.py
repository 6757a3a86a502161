"""Run history: every finished run in a table, and two runs compared by what differs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import ui
from app.job import RunSummary


def show_history() -> None:
    runs: list[RunSummary] = st.session_state["runs"]
    st.dataframe(ui.run_history_table([history_row(r) for r in runs],
                                      units=st.session_state["units"]), hide_index=True,
                 width="stretch")
    if len(runs) < 2:
        st.caption("Train again with other settings to compare two runs side by side.")
        return
    numbers = [r.number for r in runs]
    left, right = st.columns(2)
    a = left.selectbox("Compare run", numbers, key="compare_a")
    b = right.selectbox("with run", numbers, key="compare_b")
    units = st.session_state["units"]
    first, second = runs[a - 1].settings.to_dict(), runs[b - 1].settings.to_dict()
    differ = {k: (str(first.get(k)), str(second.get(k))) for k in dict.fromkeys([*first, *second])
              if first.get(k) != second.get(k)}
    if differ:
        st.markdown("**What differs between them**")
        st.dataframe(pd.DataFrame(differ, index=[f"run {a}", f"run {b}"]).T, width="stretch")
    else:
        st.caption("The two runs used the same data and settings.")
    # one table, model by model: each run's MAE and how much the second run moved it
    mae = {n: {m: ui.to_display_delta(v["mae"], units) for m, v in runs[n - 1].metrics.items()}
           for n in (a, b)}
    table = pd.DataFrame({f"Run {a}: MAE ({units})": mae[a], f"Run {b}: MAE ({units})": mae[b]})
    table[f"Change ({units})"] = table.iloc[:, 1] - table.iloc[:, 0]
    table.index = [ui.MODEL_LABELS.get(m, m) for m in table.index]
    st.dataframe(table.round(3), width="stretch")
    st.caption("A negative change means the second run's forecasts were closer to the "
               "observations.")



def history_row(run: RunSummary) -> dict:
    """One row of ui.run_history_table: the run, its settings and its judged MAEs."""
    metrics = run.metrics
    return {"run": run.number, "time": run.time, "data": run.settings.data,
            **{k: getattr(run.settings, k) for k in ("window", "hidden", "activation", "lr",
                                                     "epochs", "seed")},
            "mae": {m: metrics[m]["mae"] for m in ("rnn", "dense")},
            "best_baseline_mae": metrics[run.best_baseline]["mae"], "winner": run.winner}
