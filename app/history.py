"""Run history: every finished run in a table, and two runs compared by what differs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import ui
from app.job import RunSummary
from app.loaders import sample_catalogue
from app.settings import Settings
from app.text import sample_label


def show_history() -> None:
    runs: list[RunSummary] = st.session_state["runs"]
    st.dataframe(ui.run_history_table([history_row(r) for r in runs],
                                      units=st.session_state["units"]), hide_index=True,
                 width="stretch")  # columns size to their text: nothing is cut off
    if len(runs) < 2:
        st.caption("Train again with other settings to compare two runs side by side.")
        return
    numbers = [r.number for r in runs]
    left, right = st.columns(2)
    a = left.selectbox("Compare run", numbers, key="compare_a")
    b = right.selectbox("with run", numbers, key="compare_b")
    units = st.session_state["units"]
    first, second = audit_fields(runs[a - 1].settings), audit_fields(runs[b - 1].settings)
    differ = {k: (str(first.get(k)), str(second.get(k))) for k in dict.fromkeys([*first, *second])
              if first.get(k) != second.get(k)}
    if differ:
        st.markdown("**What differs between them**")
        st.dataframe(pd.DataFrame(differ, index=[f"run {a}", f"run {b}"]).T, width="stretch")
    else:
        st.caption("The two runs used the same data and settings.")
    # one table, model by model: each run's MAE and how much the second run moved it
    mae = {n: {m: ui.to_display_delta(v.get("mae", float("nan")), units)  # NaN: not available
               for m, v in runs[n - 1].metrics.items()} for n in (a, b)}
    table = pd.DataFrame({f"Run {a}: MAE ({units})": mae[a], f"Run {b}: MAE ({units})": mae[b]})
    table[f"Change ({units})"] = table.iloc[:, 1] - table.iloc[:, 0]
    table.index = [ui.MODEL_LABELS.get(m, m) for m in table.index]
    st.dataframe(table.round(3), width="stretch")
    st.caption("A negative change means the second run's forecasts were closer to the "
               "observations.")


def data_name(settings: Settings) -> str:
    """The data as a person reads it: 'Seattle 2012–2015' for a sample, else its own name."""
    if settings.source == "sample":
        sample = {s["id"]: s for s in sample_catalogue()}.get(settings.data)
        if sample:
            return sample_label(sample)
    return str(settings.data or "your data")


def inputs_text(settings: Settings) -> str:
    """'temp, season, rhum': the target, the day of year, the extras."""
    return ", ".join([settings.target, "season", *settings.extras])


def audit_fields(settings: Settings) -> dict:
    """A run's settings as a person compares them: readable data, period and inputs."""
    plain = settings.to_dict()
    return {"data": data_name(settings), "target": settings.target,
            "period": f"{settings.start} – {settings.end}", "inputs": inputs_text(settings),
            **{k: v for k, v in plain.items()
               if k not in ("source", "data", "start", "end", "target", "extras")}}


def history_row(run: RunSummary) -> dict:
    """One row of ui.run_history_table: the data, target, period, inputs, settings, every
    model's MAE (None where a baseline was not available) and the verdict (winner or tie)."""
    s = run.settings
    return {"run": run.number, "time": run.time, "data": data_name(s), "target": s.target,
            "period": f"{s.start} – {s.end}", "inputs": inputs_text(s),
            **{k: getattr(s, k) for k in ("window", "hidden", "activation", "lr", "epochs",
                                          "seed", "seeds")},
            "mae": {m: v.get("mae") for m, v in run.metrics.items()}, "winner": run.winner}
