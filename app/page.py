"""The page: session defaults, the sidebar, the data panel, training and results, in order."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

import data_sources as ds
import ui
from app import built, lazy
from app.classroom import (
    class_panel,
    keep_finished_runs,
    remember_settings,
    restore_session,
    set_cookie_once,
    show_earlier_runs,
    show_save_status,
)
from app.exports import COMMERCIAL, data_download, provider_rows
from app.guided import (
    apply_experiment,
    data_display_name,
    is_synthetic,
    show_guided,
    show_today_tomorrow,
    sidebar_experiments,
    synthetic_note,
)
from app.keyboard import focus_after_run, keyboard_helpers, skip_link
from app.loaders import sample_catalogue
from app.phone import new_run
from app.results import show_results
from app.settings import CHOICES, NUMERIC, Settings, settings_from_query
from app.sidebar import (
    current_settings,
    restrict_period,
    sidebar_data,
    sidebar_model,
    sidebar_variables,
)
from app.text import markdown_text
from app.training import (
    collect_finished_training,
    start_training,
    stop_training,
    training_panel,
    warm_pool,
)
from data_sources.meteostat_source import METEOSTAT_LICENCE
from forecast import ExperimentConfig, ForecastError, check_data
from forecast.quality import data_quality


def init_session() -> None:
    """First run of a session: defaults, then whatever a shared link asks for."""
    ss = st.session_state
    if ss.get("_initialised"):
        return
    ss["_initialised"] = True
    warm_pool()  # the training workers start while the visitor reads the page
    ss["runs"] = []  # run history: every finished training appends here
    ss["last_run"] = None
    ss["job"] = None  # the pool's Job (app/pool.py) while one is queued or training
    ss["training"] = False
    for name, limit in NUMERIC.items():
        ss[name] = limit.default
    for name, (_choices, default) in CHOICES.items():
        ss[name] = default
    ss["sample"] = ds.DEFAULT_SAMPLE
    values, notes = settings_from_query(st.query_params, [s["id"] for s in sample_catalogue()])
    ss.update(values)
    if "experiment" in values:  # a link to a guided experiment: its data and settings, trained
        apply_experiment(values["experiment"])
        ss["train_requested"] = True
    ss["_link_notes"] = notes
    restore_session()  # this browser's runs, class and settings from the database


# Widgets that are not drawn lose their state; these are re-saved every run so a trip to
# another data source does not reset them (Streamlit's documented pattern).
KEPT_CHOICES = ("sample", "target", "extras", "season", "city_query", "city_pick", "city_period")


def main(teacher_page: st.Page | None = None) -> None:
    """The lab; ``teacher_page``: where the class box links (app/navigation.py's page)."""
    new_run()  # messages revealed on a phone once, not on every rerun (app/phone.py)
    init_session()
    ss = st.session_state
    lazy.keep(*KEPT_CHOICES)
    keyboard_helpers()  # the help icons are no Tab stops (app/keyboard.py)
    st.title("RNN Weather Lab")
    st.caption("Does memory help? An RNN written from scratch in NumPy reads the last days of a "
               "city's real weather and forecasts tomorrow — next to a network with no memory "
               "and honest baselines.")
    for note in ss.pop("_link_notes", []):
        st.warning(note)

    if ss.get("stop_requested"):
        ss["stop_requested"] = False
        stop_training()
    collect_finished_training()  # a job that ended since the last run: its Run, before widgets
    keep_finished_runs()  # ... saved in the database (kept in the session while it is down)
    set_cookie_once()
    show_save_status()

    # Train and Stop sit at the top of the sidebar, in view without scrolling and a few Tab
    # presses from the top of the page; they are drawn into this slot once the data is known.
    train_row = st.sidebar.container()
    experiments_slot = st.sidebar.container()
    try:
        df = sidebar_data()
    except ds.DataError as err:
        st.error(str(err))
        df = None
    if df is not None:
        df = restrict_period(df)
    target, extras = sidebar_variables(df) if df is not None else ("temp", [])
    sidebar_model()
    class_panel(teacher_page)
    units = ss["units"]

    settings = current_settings(df, target, extras) if df is not None else None
    remember_settings(settings, units, df)  # what a reload brings back
    guard = training_guard(df, settings)  # a message when these days cannot be judged
    then_curve = ss.pop("curve_requested", False)  # a memory experiment: its curve after the run
    if ss.pop("train_requested", False) and df is not None and settings is not None \
            and guard is None:
        start_training(df, settings, then_curve=then_curve)  # before the buttons: Stop is live
        close_sidebar_on_phone()

    left, right = train_row.columns(2)
    training = bool(ss.get("training"))  # Train is off until this run ends or is stopped
    left.button("Train", key="train", type="primary",
                disabled=df is None or guard is not None or training,
                help="Train the RNN, both dense networks and the baselines on the same days."
                + (" Training is under way: Stop it first." if training else ""),
                width="stretch", on_click=lambda: ss.update(train_requested=True))
    right.button("Stop", key="stop", disabled=not ss.get("training"),
                 help="End training now and keep the best weights so far.", width="stretch",
                 on_click=lambda: ss.update(stop_requested=True))
    train_row.caption("Trains with the data and model settings below.")
    skip_link(train_row)  # keyboard: past the data controls to Hidden size (app/keyboard.py)
    if guard is not None:
        train_row.warning(markdown_text(guard), icon=":material/block:")
    sidebar_experiments(experiments_slot, disabled=bool(ss.get("training")))

    if df is not None and ss.get("source") == "sample" and is_synthetic(ss.get("sample")):
        synthetic_note()
    panel = st.container()  # the live training view: filled last, so the page draws first
    if ss.get("train_error"):
        st.error(ss["train_error"])
    if guard is not None:  # said where the person looks too, not only beside the button
        st.warning(markdown_text(guard), icon=":material/block:")
    run = ss.get("last_run")
    if run is not None:
        scroll_to_results_once(run.number)  # after Train the verdict comes into view
        focus_after_run(run.number)  # and the keyboard is back on Train
        if run.settings != settings:  # also when no data is loaded now
            st.warning("The data or settings have changed since these results were computed: "
                       "they are **stale**. Press Train to update them.",
                       icon=":material/history:")
        show_guided(run, df if run.settings == settings else None, units)
        show_results(ss["last_run"], units)  # show_guided may have added the memory curve
    elif ss.get("runs") and not ss.get("training"):
        show_earlier_runs()  # kept from before a reload or a restart
    elif df is not None and not ss.get("training") and guard is None:
        st.info("Press **Train** at the top of the sidebar (on a phone, open the sidebar with "
                "the » button at the top left): the RNN, a dense network without memory and "
                "three baselines will learn from the same days and be scored on the same test "
                "days. Or pick one of the **Guided experiments** just below it.")
    if df is not None:
        ss["data"] = df
        if run is not None:
            st.subheader("The data")
        show_data(df, target, units)
    with panel:
        training_panel()  # polls the worker until the job ends, then reruns the page


# Small scripts run in the page itself (st.html is not iframed). Each is sent once, for one
# event, so a later rerun never scrolls or closes anything again.
SCROLL_JS = """<div id="rwl-results" style="scroll-margin-top: 4rem"></div><script>
(() => {{ const go = () => document.getElementById("rwl-results")
           ?.scrollIntoView({{behavior: "instant", block: "start"}});
         go(); setTimeout(go, 400); }})();  // again once the results below have drawn
</script><!-- run {run} -->"""
CLOSE_SIDEBAR_JS = """<script>
(() => {{ if (window.innerWidth > 640) return;  // a phone: the open sidebar covers the page
  const bar = document.querySelector('[data-testid="stSidebar"]');
  const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
  if (bar && bar.getAttribute("data-collapsed") === "false" && close) close.click(); }})();
</script><!-- click {click} -->"""


def scroll_to_results_once(number: int) -> None:
    ss = st.session_state
    if ss.get("_scrolled_to_run") == number:
        return
    ss["_scrolled_to_run"] = number
    st.html(SCROLL_JS.format(run=number), unsafe_allow_javascript=True)


def close_sidebar_on_phone() -> None:
    ss = st.session_state
    ss["_train_clicks"] = ss.get("_train_clicks", 0) + 1
    st.html(CLOSE_SIDEBAR_JS.format(click=ss["_train_clicks"]), unsafe_allow_javascript=True)


def training_guard(df: pd.DataFrame | None, settings: Settings | None) -> str | None:
    """Why Train cannot give a fair comparison on this data, period and window (the experiment's
    own rule, forecast.check_data: at least 30 test days), or None. Milliseconds: no training."""
    if df is None or settings is None:
        return None
    try:
        check_data(df, settings.experiment_config())
    except ForecastError as err:
        return f"Train is off for this choice. {err}"
    return None


def show_data(df: pd.DataFrame, target: str, units: str) -> None:
    name = df.attrs.get("name", "your data")
    days = len(df)
    coverage = df[target].notna().mean() * 100
    coverage_text = f"{math.floor(coverage * 10) / 10:g}"  # 99.95 reads 99.9, never "100"
    st.markdown(f"**{markdown_text(name)}** · {df.index.min():%d %b %Y} – "
                f"{df.index.max():%d %b %Y} · {days:,} days · "
                f"{ui.units.COLUMN_INFO.get(target, (target,))[0].lower()} measured on "
                f"{coverage_text} % of them")
    for station in df.attrs.get("stations") or []:
        st.caption(station_text(station))
    for note in df.attrs.get("notes") or []:  # partial coverage, missing recent days, ...
        st.info(markdown_text(note), icon=":material/info:")
    if df.attrs.get("licence"):
        st.caption(f"Licence: {markdown_text(licence_summary(df))}")
    if target == "tmax" and "temp" not in df:
        st.caption("This series has only the daily maximum temperature, so that is what the "
                   "models forecast.")
    columns = [c for c in ("tmax", "temp", "tmin") if c in df]  # drawn warmest first
    key = (built.fingerprint(df), target, units, tuple(columns))  # built once per data shown
    built.chart("data:history", None, key,
                lambda: ui.history_chart(df, columns=tuple(columns), units=units))
    with lazy.expander("Today against tomorrow: how much does the last day tell?",
                       key="data_today_tomorrow") as shown:
        if shown:  # built when opened (app/lazy.py)
            show_today_tomorrow(df, target, units, data_display_name(df))
    with lazy.expander("Data quality and source", key="data_quality") as shown:
        if shown:
            show_quality(df, key[0])
    data_download(df)


def show_quality(df: pd.DataFrame, fingerprint: object) -> None:
    """Each column's coverage and gaps, how gaps are filled, the source's notes and licence."""
    fill_days = ExperimentConfig().max_fill_days  # the experiment's own rule, reported here
    quality = built.once("data:quality", None, fingerprint, lambda: quality_table(df, fill_days))
    st.dataframe(quality, width="stretch")
    st.caption(f"Gaps of up to {fill_days} days are filled by linear interpolation before "
               "training; longer gaps are never inside a training window, and a filled day "
               "is never the last day a forecast reads.")
    if df.attrs.get("derived"):
        st.caption("**Note** marks values the source computed rather than read: "
                   + "; ".join(f"{markdown_text(col)}: {markdown_text(text)}"
                               for col, text in df.attrs["derived"].items()) + ".")
    if df.attrs.get("attribution"):
        st.caption(markdown_text(df.attrs["attribution"]))
    if df.attrs.get("licence"):
        st.markdown(f"**Licence.** {markdown_text(df.attrs['licence'])}")
    rows = provider_rows(df)
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def quality_table(df: pd.DataFrame, fill_days: int) -> pd.DataFrame:
    quality = data_quality(df, limit=fill_days).rename(columns={
        "days": "Days", "present": "Measured", "missing": "Missing",
        "coverage_pct": "Coverage %", "longest_gap_days": "Longest gap (days)",
        "longest_gap_from": "Gap from", "longest_gap_to": "Gap to",
        "filled_by_interpolation": "Filled", "missing_after_fill": "Still missing",
        "note": "Note"})
    return quality.astype(object).where(quality.notna(), "—")


def station_text(station: dict) -> str:
    """The station the data came from: name, id, distance, height, coverage, last day."""
    facts = [f"{station[k]:.1f} {unit}" if k == "distance_km" else f"{station[k]:.0f} {unit}"
             for k, unit in (("distance_km", "km away"), ("elevation_m", "m above sea level"))
             if isinstance(station.get(k), int | float)]
    if isinstance(station.get("temp_coverage_pct"), int | float):
        facts.append(f"daily temperature on {station['temp_coverage_pct']:g} % of the days")
    if station.get("last_observed"):
        facts.append(f"last observed day {station['last_observed']}")
    return (f"Weather station {markdown_text(station.get('name', '?'))} "
            f"({markdown_text(station.get('id', '?'))})"
            + (": " + ", ".join(facts) if facts else "") + ".")


def licence_summary(df: pd.DataFrame) -> str:
    """One line: each provider's licence and commercial use, or the source's licence text."""
    rows = df.attrs.get("licences")
    if not rows:
        return str(df.attrs["licence"])
    providers = "; ".join(f"{r['Provider']}: {r['Licence']} (commercial use: "
                          f"{r['Commercial use']})" for r in provider_rows(df))
    verdict = COMMERCIAL.get(df.attrs.get("commercial"), "unknown")
    return (f"Meteostat data, {METEOSTAT_LICENCE} — credit Meteostat. Providers: {providers}. "
            f"Commercial use of these data: {verdict}. Details under “Data quality and "
            "source”; the download includes LICENCE.txt.")

