"""The forecasts with their likely ranges: the test days ("Forecast vs actual") and the days
after the data ("Next 7 days"), and how often the ranges held (forecast/intervals.py)."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

import ui
from app import built, lazy
from app.run import Run
from forecast.intervals import (
    LEVELS,
    ROLLING_DAYS,
    band_on_test_days,
    coverage,
    future_band,
    rolling_coverage,
)

BANDED = ("rnn", "dense")  # the lab's question: the ranges drawn are these two networks'
SHOWN = "ranges_models"  # widget keys (stable, so a choice survives a rerun)
LEVEL = "ranges_level"
ADAPTIVE = "ranges_adaptive"
DETAIL = "ranges_detail"  # the coverage details' expander
RANGE_WIDGETS = (SHOWN, LEVEL, ADAPTIVE, DETAIL)
LIKELY = 80  # "likely" in the words is the 80 % range


def _num(x: float, units: str) -> str:
    return f"{float(ui.to_display_temp(x, units)) + 0.0:.1f}".replace("-0.0", "0.0")


def _width(x: float, units: str) -> str:
    return f"{float(ui.to_display_delta(x, units)):.1f} {units}"


def _name(model: str) -> str:
    return {"rnn": "the RNN", "dense": "the network without memory"}.get(
        model, ui.model_label(model))


@st.fragment
def show_forecast_vs_actual(run: Run, units: str) -> None:
    """The test days' forecasts, the models a person picks, the RNN's and the memoryless
    network's ranges shaded, and how often each range held."""
    result = run.result
    options = list(result.models)
    kept = [m for m in st.session_state.get(SHOWN, BANDED) if m in options]
    st.session_state[SHOWN] = kept  # a model the new run lacks is dropped, never an error
    models = st.multiselect("Forecasts drawn", options, format_func=ui.model_label, key=SHOWN,
                            help="The RNN and the network without memory by default; add any "
                                 "other model (the observed temperature is always drawn).")
    ranges = result.ranges
    if ranges is None:  # a run made before ranges existed
        st.altair_chart(ui.forecast_chart(result.predictions, units, models=models),
                        width="stretch")
        return
    left, right = st.columns(2)
    level = left.radio("Likely range", LEVELS, format_func=lambda v: f"{v} %", key=LEVEL,
                       horizontal=True, help="How sure the shaded range is meant to be: "
                                             "80 % of days inside it, or 95 %.")
    adaptive = right.toggle(
        "Adaptive range", key=ADAPTIVE,
        help="Adaptive conformal inference: as each test day's truth arrives, the range widens "
             "after a miss and narrows after hits, so it recovers when the weather changes.")
    built.chart("ranges:forecast", run, (units, tuple(models), level, adaptive), lambda: (
        ui.forecast_chart(result.predictions, units, models=models, level=level, bands={
            m: band_on_test_days(result, m, level, adaptive) for m in BANDED if m in models})))
    source = ("start from each network's misses on the validation days and then adapt to each "
              "test day's truth once that day has passed (adaptive conformal inference)"
              if adaptive else "come from each network's misses on the validation days (split "
              "conformal prediction), never from a test day")
    st.caption("Test period only: days no model saw during training. On real weather every model "
               "lags the truth by about a day — that is the honest message: a next-day forecast "
               "is mostly today's temperature with a small correction, so no line can jump "
               f"before the weather does. The shaded ranges {source}.")
    show_coverage(run, units, level, adaptive)


def show_coverage(run: Run, units: str, level: int, adaptive: bool) -> None:
    """How often the ranges held on the test days in words; the table, the rolling share and
    the seasons one click below."""
    result = run.result
    held = built.once("ranges:held", run, (level, adaptive), lambda: [
        coverage(result, m, level, adaptive) for m in BANDED if m in result.models])
    for c in held:
        if c["off"]:
            st.warning(c["words"], icon=":material/warning:")
        else:
            st.caption(c["words"])
    widths = built.once("ranges:widths", run, None, lambda: {
        m: coverage(result, m, LIKELY)["mean_width"] for m in BANDED if m in result.models})
    if len(widths) == 2:
        st.caption(f"Narrower is better, at equal coverage: {_name('rnn')}'s {LIKELY} % range "
                   f"was {_width(widths['rnn'], units)} wide on an average day, "
                   f"{_name('dense')}'s {_width(widths['dense'], units)}.")
    with lazy.expander("How often every model's range held: the table, the last "
                       f"{ROLLING_DAYS} days, by season", key=DETAIL) as shown:
        if shown:  # built only when opened (app/lazy.py): the words above say the gist
            show_coverage_detail(run, units, level, adaptive)


def show_coverage_detail(run: Run, units: str, level: int, adaptive: bool) -> None:
    """Every model's coverage and width, the rolling share of the RNN's and the memoryless
    network's range, and by season (opened on demand: app/lazy.py)."""
    result = run.result
    kind = "adaptive " if adaptive else ""
    st.dataframe(built.once("ranges:coverage", run, units, lambda: coverage_table(run, units)),
                 hide_index=True, width="stretch")
    built.chart("ranges:rolling", run, (level, adaptive), lambda: ui.coverage_chart(
        {m: rolling_coverage(result, m, level, adaptive=adaptive) for m in BANDED
         if m in result.models}, level, ROLLING_DAYS,
        title=f"Share of the last {ROLLING_DAYS} test days inside the {kind}{level} % range"))
    st.markdown("**By season**")
    st.dataframe(built.once("ranges:seasons", run, (level, adaptive),
                            lambda: season_table(run, level, adaptive)),
                 hide_index=True, width="stretch")
    st.caption("Seasons by months (Dec–Feb is summer south of the equator). A season with "
               "few test days says little.")


def coverage_table(run: Run, units: str) -> pd.DataFrame:
    """Every model: the share of test days inside its 80 % and 95 % ranges and their widths."""
    result, rows = run.result, []
    for m in result.models:
        row: dict[str, str | float] = {"Model": ui.model_label(m)}
        for lv in LEVELS:
            c, a = coverage(result, m, lv), coverage(result, m, lv, adaptive=True)
            row[f"{lv} % held"] = f"{100 * c['coverage']:.0f} %"
            row[f"{lv} % width ({units})"] = round(float(ui.to_display_delta(c["mean_width"],
                                                                             units)), 1)
            row[f"adaptive {lv} % held"] = f"{100 * a['coverage']:.0f} %"
        rows.append(row)
    return pd.DataFrame(rows)


def season_table(run: Run, level: int, adaptive: bool) -> pd.DataFrame:
    result = run.result
    per = {m: coverage(result, m, level, adaptive)["by_season"] for m in BANDED
           if m in result.models}
    seasons = [s for s in ("Dec–Feb", "Mar–May", "Jun–Aug", "Sep–Nov") if s in per["rnn"]]
    return pd.DataFrame([{"Season": s, "Test days": per["rnn"][s]["days"],
                          **{f"{ui.model_label(m)} held": f"{100 * v[s]['coverage']:.0f} %"
                             for m, v in per.items()}} for s in seasons])


def tomorrow_line(run: Run, model: str, units: str) -> str:
    """'Tomorrow (Fri 1 Jan 2016): 14.2 °C (likely 12.9 to 15.5)' for one model."""
    b = future_band(run.result, model, LIKELY).iloc[0]
    if not (math.isfinite(b["low"]) and math.isfinite(b["high"])):  # too few validation days
        return f"{_num(b['forecast'], units)} {units} (no range: too few validation days)"
    return (f"{_num(b['forecast'], units)} {units} (likely {_num(b['low'], units)} to "
            f"{_num(b['high'], units)})")


def show_next_days(run: Run, units: str) -> None:
    """The days after the data: tomorrow in words with its range, the chart with the RNN's and
    the memoryless network's ranges, every model's table with the RNN's range per day."""
    result = run.result
    if result.ranges is None:
        st.altair_chart(ui.future_chart(run.recent, result.future, units), width="stretch")
        return
    day = result.future.index[0]
    lines = built.once("ranges:tomorrow", run, units, lambda: [
        tomorrow_line(run, m, units) for m in ("rnn", "dense")])
    st.markdown(f"**Tomorrow** ({day.strftime('%a')} {day.day} {day.strftime('%b %Y')}, the "
                f"day after the data): **{lines[0]}** from the RNN; "
                f"{lines[1]} from the network without memory.")
    c = built.once("ranges:held_likely", run, None, lambda: coverage(result, "rnn", LIKELY))
    st.caption(f"“Likely” is the {LIKELY} % range: the RNN's {LIKELY} % range held on "
               f"{100 * c['coverage']:.0f} % of the test days.")
    if c["off"]:
        st.warning(c["words"], icon=":material/warning:")
    built.chart("ranges:future", run, units, lambda: ui.future_chart(
        run.recent, result.future, units, level=LIKELY, bands={
            m: future_band(result, m, LIKELY)[["low", "high"]] for m in BANDED
            if m in result.models}))
    table = built.once("ranges:future_table", run, units, lambda: next_days_table(run, units))
    st.dataframe(table, width="stretch", column_config={  # one decimal, with its unit
        c: st.column_config.NumberColumn(format=f"%.1f {units}") for c in table.columns
        if not c.endswith("likely")})
    st.caption("Beyond the data each day's forecast feeds the next one, so errors grow with the "
               "horizon (see 'Errors') — and so do the ranges, each set on the validation days' "
               "misses that many days ahead.")


def next_days_table(run: Run, units: str) -> pd.DataFrame:
    """Every model's forecast per day, with the RNN's and the memoryless network's range."""
    result = run.result
    table = ui.to_display_temp(result.future, units).rename(columns=ui.MODEL_LABELS)
    for m in BANDED:
        if m in result.models:
            b = ui.to_display_temp(future_band(result, m, LIKELY), units)
            table.insert(list(table.columns).index(ui.model_label(m)) + 1,
                         f"{ui.model_label(m)}, likely",
                         [f"{lo:.1f} to {hi:.1f}" for lo, hi in zip(b["low"], b["high"],
                                                                     strict=True)])
    table.index = table.index.strftime("%a %d %b %Y")
    return table
