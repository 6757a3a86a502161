"""Run history: this run against the last one (above the result tabs), every run's misses in a
small chart, the table of runs, and two runs compared by what differs."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

import ui
from app import built
from app.keep import ONE_REPEAT, memory_finding
from app.loaders import sample_catalogue
from app.run import RunSummary
from app.settings import Settings
from app.text import sample_label

NETWORKS = ("rnn", "dense", "dense_window")  # whose average miss the change line reports
MEMORY_WORDS = {"better": "yes", "tie": "too close to call", "worse": "it did worse",
                ONE_REPEAT: "cannot tell (1 repeat)"}
SHOWN_SETTINGS = ("Data", "Target", "Period", "Inputs", "Window", "Hidden", "Activation", "LR",
                  "Epochs", "Seed", "Repeats")  # shown in the table only where runs differ


def show_run_change(run: RunSummary, units: str) -> None:
    """Above the result tabs: what changed since the run before this one and how each network's
    average miss moved, with every run's misses in a small chart; nothing for the first run."""
    runs: list[RunSummary] = st.session_state.get("runs", [])
    before = previous_run(run, runs)
    if before is None:
        return
    with st.container(border=True, key="run_change"):
        text, chart = st.columns([3, 2])
        text.markdown(f"**This run against the last one** (run {before.number} → run "
                      f"{run.number})")
        for line in change_lines(before, run, units):
            text.markdown(f"- {line}")
        note = different_days_note(before, run)
        if note:
            text.warning(note, icon=":material/event_busy:")
        built.chart("history:change", runs, (tuple(id(r) for r in runs), units),
                    lambda: ui.run_misses_chart(miss_rows(runs), units, height=140), where=chart)


def previous_run(run: RunSummary, runs: Sequence[RunSummary]) -> RunSummary | None:
    earlier = [r for r in runs if r.number < run.number]
    return earlier[-1] if earlier else None


def change_lines(before: RunSummary, after: RunSummary, units: str) -> list[str]:
    """Plain lines: the settings that changed, each network's miss before → after, and the
    answer to "did memory help?" in both runs."""
    first, second = audit_fields(before.settings), audit_fields(after.settings)
    changed = [f"{k} {first.get(k)} → {second.get(k)}"
               for k in dict.fromkeys([*first, *second]) if first.get(k) != second.get(k)]
    lines = ["Changed: " + "; ".join(changed) + "." if changed
             else "Same data and settings (a rerun: only the luck of training could move it)."]
    moves = []
    for model in NETWORKS:
        a, b = (r.metrics.get(model, {}).get("mae") for r in (before, after))
        if a is None or b is None:
            continue
        a, b = ui.to_display_delta(a, units), ui.to_display_delta(b, units)
        moves.append(f"{ui.MODEL_LABELS.get(model, model)} {a:.2f} → {b:.2f} {units} "
                     f"({signed_change(b - a)})")
    lines.append("Average miss: " + "; ".join(moves) + ".")
    answers = [memory_answer(r)
               for r in (before, after)]
    lines.append(f"Did memory help? Run {before.number}: {answers[0]}; run {after.number}: "
                 f"{answers[1]}.")
    return lines


def memory_answer(run: RunSummary) -> str:
    """Did memory help in this run, in words (a run kept before the comparison: "?")."""
    return MEMORY_WORDS.get(memory_finding(run.versus_memoryless) or "", "?")


def signed_change(value: float) -> str:
    """'+0.05', '−0.01', and '±0.00' for a change that rounds to nothing."""
    text = f"{value:+.2f}"
    return "±0.00" if text in ("+0.00", "-0.00") else text.replace("-", "−")


def different_days_note(first: RunSummary, second: RunSummary) -> str | None:
    """Said whenever two runs were scored on different test days."""
    days = first.test_period, second.test_period
    if days[0] is None or days[1] is None or days[0] == days[1]:
        return None  # the same days, or a run kept before its test days were recorded
    a, b = " – ".join(days[0]), " – ".join(days[1])
    return (f"Runs {first.number} and {second.number} were scored on different test days "
            f"({a} against {b}): part of the change comes from the days, not the settings.")


def miss_rows(runs: Sequence[RunSummary]) -> list[dict]:
    """The rows of ui.run_misses_chart: each run's RNN and memoryless MAE and its test days."""
    return [{"run": r.number, "rnn": r.metrics.get("rnn", {}).get("mae"),
             "dense": r.metrics.get("dense", {}).get("mae"),
             "test": " – ".join(r.test_period or ("?", "?"))}
            for r in runs]


def history_table(runs: Sequence[RunSummary], units: str) -> tuple[pd.DataFrame, str]:
    """The table that fits at 1280 px: run, the two networks' MAE, memory's answer and the
    verdict first; then only the settings that differ between runs. And a caption naming the
    settings every run shared."""
    full = ui.run_history_table([history_row(r) for r in runs], units=units)
    rnn, dense = (f"{ui.model_label(m)} MAE ({units})" for m in ("rnn", "dense"))
    full["Memory helped?"] = [memory_answer(r)
                              for r in runs]
    varying = [c for c in SHOWN_SETTINGS if full[c].astype(str).nunique() > 1]
    shared = [f"{c.lower()} {full[c].iloc[0]}" for c in SHOWN_SETTINGS if c not in varying]
    table = full[["Run", rnn, dense, "Memory helped?", "Verdict", *varying, "Time"]]
    caption = ("Every run: " + "; ".join(shared) + ".") if shared and len(runs) > 1 else ""
    return table, caption


def show_history() -> None:
    runs: list[RunSummary] = st.session_state["runs"]
    units = st.session_state["units"]
    key = (tuple(id(r) for r in runs), units)  # built once per list of runs (app/built.py)
    table, shared = built.once("history:table", runs, key, lambda: history_table(runs, units))
    st.dataframe(table, hide_index=True, width="stretch")
    if shared:
        st.caption(shared)
    if len(runs) < 2:
        st.caption("Train again with other settings to compare two runs side by side.")
        return
    built.chart("history:misses", runs, key, lambda: ui.run_misses_chart(miss_rows(runs), units))
    with st.expander("Every model's MAE in every run"):
        every = built.once("history:every", runs, key, lambda: ui.run_history_table(
            [history_row(r) for r in runs], units=units))
        st.dataframe(every[[c for c in every.columns if "MAE" in c or c in ("Run", "Verdict")]],
                     hide_index=True, width="stretch")
    numbers = [r.number for r in runs]
    left, right = st.columns(2)
    a = left.selectbox("Compare run", numbers, key="compare_a")
    b = right.selectbox("with run", numbers, key="compare_b")
    first, second = audit_fields(runs[a - 1].settings), audit_fields(runs[b - 1].settings)
    differ = {k: (str(first.get(k)), str(second.get(k))) for k in dict.fromkeys([*first, *second])
              if first.get(k) != second.get(k)}
    if differ:
        st.markdown("**What differs between them**")
        st.dataframe(pd.DataFrame(differ, index=[f"run {a}", f"run {b}"]).T, width="stretch")
    else:
        st.caption("The two runs used the same data and settings.")
    note = different_days_note(runs[a - 1], runs[b - 1])
    if note:
        st.warning(note, icon=":material/event_busy:")
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
    """'temp, season, rhum': the target, the day of year (unless not told), the extras."""
    return ", ".join([settings.target, *(["season"] if settings.season else []),
                      *settings.extras])


def audit_fields(settings: Settings) -> dict:
    """A run's settings as a person compares them: readable data, period and inputs."""
    plain = settings.to_dict()
    return {"data": data_name(settings), "target": settings.target,
            "period": f"{settings.start} – {settings.end}", "inputs": inputs_text(settings),
            **{k: v for k, v in plain.items()
               if k not in ("source", "data", "start", "end", "target", "extras", "season")}}


def history_row(run: RunSummary) -> dict:
    """One row of ui.run_history_table: the data, target, period, inputs, settings, every
    model's MAE (None where a baseline was not available) and the verdict (winner or tie)."""
    s = run.settings
    return {"run": run.number, "time": run.time, "data": data_name(s), "target": s.target,
            "period": f"{s.start} – {s.end}", "inputs": inputs_text(s),
            **{k: getattr(s, k) for k in ("window", "hidden", "activation", "lr", "epochs",
                                          "seed", "seeds")},
            "mae": {m: v.get("mae") for m, v in run.metrics.items()}, "winner": run.winner}
