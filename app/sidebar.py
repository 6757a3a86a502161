"""The sidebar: data source, period, variables and model settings (the widgets' keys are the
names in app/settings.py, so the URL and the widgets speak one language)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

import data_sources as ds
from app.loaders import fetch_meteostat, load_sample, read_upload, sample_catalogue, search_cities
from app.settings import (
    CHOICES,
    EXTRAS,
    LEARNING_RATES,
    NUMERIC,
    PATIENCE,
    SOURCES,
    TARGETS,
    Settings,
)
from app.text import markdown_text, sample_label


def sidebar_data() -> pd.DataFrame | None:
    """Draw the data controls; return the loaded daily DataFrame or None (with a message)."""
    ss = st.session_state
    st.sidebar.header("1 · Data")
    source = st.sidebar.radio(
        "Source", list(SOURCES), format_func=SOURCES.get, key="source",
        help="Bundled samples are real observations and work offline. 'Any city' downloads "
             "the nearest stations' history from Meteostat. Or bring your own daily CSV.",
    )
    if source == "sample":
        catalogue = {s["id"]: s for s in sample_catalogue()}
        st.sidebar.selectbox(
            "Sample", list(catalogue), key="sample",
            format_func=lambda i: sample_label(catalogue[i]),
            help="Real daily weather bundled with the app (see README for sources and licences).",
        )
        return load_sample(ss["sample"])
    if source == "city":
        return sidebar_city()
    return sidebar_upload()


def sidebar_city() -> pd.DataFrame | None:
    ss = st.session_state
    if ss.get("meteostat_offline"):  # one banner, with the way out, until a fetch works
        st.warning(f"{ss['meteostat_offline']} The offline samples still work.",
                   icon=":material/cloud_off:")
        st.button("Use the offline samples", key="use_samples",
                  on_click=lambda: ss.update(source="sample"))
    query = st.sidebar.text_input(
        "City", key="city_query", placeholder="e.g. Berlin, Nairobi, São Paulo",
        help="Type a city name; the app finds the nearest weather stations to it.",
    ).strip()
    if not query:
        st.info("Type a city name in the sidebar to search for it.")
        return None
    matches = search_cities(query)
    if not matches:
        st.warning(f"No city matches “{markdown_text(query)}”. Check the spelling, or try a "
                   "larger city nearby.")
        return None
    labels = [f"{m['name']}, {m['country']} (pop. {m['population']:,})" for m in matches]
    if ss.get("city_pick", 0) not in range(len(matches)):
        ss["city_pick"] = 0
    pick = st.sidebar.selectbox("Which one?", range(len(matches)), format_func=labels.__getitem__,
                                key="city_pick")
    city = matches[pick]
    today = dt.date.today()
    default_start = dt.date(today.year - 10, 1, 1)
    lowest, highest = dt.date(1900, 1, 1), today + dt.timedelta(days=366)  # fixed bounds keep
    if "city_period" not in ss:  # the widget's identity; a shared link's period, else 10 years
        start, end = ss.pop("_link_period", (default_start, today - dt.timedelta(days=1)))
        ss["city_period"] = (min(max(start, lowest), highest), min(max(end, lowest), highest))
    period = st.sidebar.date_input(
        "Period to download", min_value=lowest, max_value=highest, key="city_period",
        help="Daily history to fetch. Meteostat allows at most 30 years per request.",
    )
    if not isinstance(period, tuple | list) or len(period) != 2:
        st.info("Pick both a start and an end date for the download.")
        return None
    start, end = period
    request = (city["lat"], city["lon"], start, end)
    fetched = ss.get("city_fetched")  # (request, DataFrame) of the last successful download
    if not st.sidebar.button("Fetch weather", key="fetch", type="secondary",
                             help="Download (or reuse the cached copy of) this city's history."):
        if fetched is not None and fetched[0] == request:
            return fetched[1]  # only for the city and period it was fetched for
        if not ss.get("meteostat_offline"):  # after a failed fetch the banner says it all
            st.info(f"Press **Fetch weather** to download the daily history of "
                    f"{markdown_text(city['name'])}.")
        return None
    try:
        df = fetch_meteostat(*request)
    except ds.DataError as err:
        if err.unreachable:
            ss["meteostat_offline"] = str(err)
            st.rerun()  # draw the offline banner and its offer at once
        st.error(str(err))
        return None
    ss["meteostat_offline"] = False
    ss["city_fetched"] = (request, df)
    return df


def sidebar_upload() -> pd.DataFrame | None:
    fahrenheit = st.sidebar.checkbox(
        "My file's temperatures are in °F", key="csv_fahrenheit",
        help="Tick only if the file is in Fahrenheit; the app converts to °C internally.",
    )
    upload = st.sidebar.file_uploader(
        "Daily CSV", type=["csv", "txt"], key="upload",
        help="A `date` column and a daily `temp` (°C) column; Meteostat's export columns "
             f"(tavg, tmin, tmax, prcp, wspd, pres, rhum) work too. At least {ds.MIN_DAYS} days "
             f"(the window + 30 to train), at most {ds.MAX_ROWS:,} rows and "
             f"{ds.MAX_BYTES // 2**20} MB.",
    )
    if upload is None:
        st.info("Upload a CSV with a `date` column and a daily `temp` column to begin.")
        return None
    try:
        return read_upload(upload.getvalue(), upload.name, fahrenheit)
    except ds.DataError as err:
        st.error(f"Could not use **{markdown_text(upload.name)}**: {markdown_text(str(err))}")
        return None


def restrict_period(df: pd.DataFrame) -> pd.DataFrame | None:
    """Let the person narrow the period; validate it."""
    ss = st.session_state
    first, last = df.index.min().date(), df.index.max().date()
    key = f"period_{first}_{last}"  # a new picker (full range) whenever the data changes
    if key not in ss:
        # a shared link's period, clamped to this data; else the whole history
        start, end = ss.pop("_link_period", (first, last))
        if end < first or start > last:
            st.warning(f"The link's period ({start} – {end}) is outside this data "
                       f"({first} – {last}); using all of it.")
            start, end = first, last
        ss[key] = (max(start, first), min(end, last))
    picked = st.sidebar.date_input(
        "Use the days between", min_value=first, max_value=last, key=key,
        help="Train and test on this part of the history only (oldest first).",
    )
    if not isinstance(picked, tuple | list) or len(picked) != 2:
        st.sidebar.caption("Pick an end date too.")
        return df
    start, end = picked
    if start > end:
        st.error("The start date is after the end date: swap them.")
        return None
    part = df.loc[str(start):str(end)]
    if part.empty:
        st.error("No days in that period: widen the date range.")
        return None
    if not any(part[c].notna().any() for c in TARGETS if c in part):
        st.error("No temperature was recorded on any day of that period: pick days that have "
                 "measurements (see the history chart).")
        return None
    return part


def sidebar_variables(df: pd.DataFrame) -> tuple[str, list[str]]:
    ss = st.session_state
    temps = [c for c in TARGETS if c in df and df[c].notna().any()]
    default_target = df.attrs.get("target", temps[0] if temps else "temp")
    # New data (another sample, source or file) starts on what it has — the daily mean where
    # present — not on what the previous data forced (Melbourne has only tmax). The first data
    # of a session keeps a shared link's target.
    data_id = (ss.get("source"), ss.get("sample") if ss.get("source") == "sample"
               else df.attrs.get("name"))
    changed = ss.get("_target_data", data_id) != data_id
    ss["_target_data"] = data_id
    if changed or ss.get("target") not in temps:
        ss["target"] = default_target if default_target in temps else temps[0]
    target = st.sidebar.selectbox(
        "Forecast", temps, key="target", format_func=TARGETS.__getitem__,
        help="The variable the models predict for tomorrow.",
    )
    extras = [c for c in EXTRAS
              if c in df and c != target and df[c].notna().mean() > 0.8]
    # keep only the choices this data offers (a link or another dataset may have asked for more)
    st.session_state["extras"] = [c for c in st.session_state.get("extras", []) if c in extras]
    chosen = st.sidebar.multiselect(
        "Extra inputs", extras, key="extras",
        help="Besides the target and the season (day of year), also feed these daily "
             "variables to every model.",
    )
    return target, chosen


def sidebar_model() -> None:
    """The model settings; their ranges come from the one table in app/settings.py."""
    st.sidebar.header("2 · Model")
    hidden, window, epochs, seed = (NUMERIC[k] for k in ("hidden", "window", "epochs", "seed"))
    st.sidebar.slider(
        "Hidden size", int(hidden.low), int(hidden.high), key="hidden",
        help="How many numbers the RNN's memory (hidden state h) holds. More can learn more, "
             "but trains slower and may overfit. Both dense networks get the same width, so "
             "the comparison stays fair.",
    )
    st.sidebar.selectbox(
        "Activation", CHOICES["activation"][0], key="activation",
        help="The squashing function applied to x·W_i + h_prev·W_h: tanh (−1…1), "
             "sigmoid (0…1) or relu (max(0, ·)).",
    )
    st.sidebar.select_slider(
        "Learning rate", LEARNING_RATES, key="lr",
        format_func=lambda v: f"{v:g}",
        help="Step size of the Adam optimiser (log scale). Too large and training diverges; "
             "too small and it crawls.",
    )
    st.sidebar.slider(
        "Window (days)", int(window.low), int(window.high), key="window",
        help="How many past days each forecast reads. The RNN walks through them one by one; "
             "the windowed dense network sees them all at once.",
    )
    st.sidebar.slider(
        "Epochs", int(epochs.low), int(epochs.high), key="epochs",
        help="Maximum passes over the training days. Training stops earlier when the "
             f"validation error has not improved for {PATIENCE} epochs.",
    )
    seed_box, repeats_box = st.sidebar.columns(2)
    seed_box.number_input(
        "Seed", int(seed.low), int(seed.high), key="seed", step=1,
        help="Fixes the random start weights and batch order: same seed, same result.",
    )
    repeats = NUMERIC["seeds"]
    repeats_box.number_input(
        "Repeats", int(repeats.low), int(repeats.high), key="seeds", step=1,
        help="Trains each network with seeds Seed … Seed+Repeats−1 and reports the mean MAE "
             "with its spread, so one lucky start cannot decide the verdict. Same seed, same "
             "result; each repeat adds training time.",
    )
    st.sidebar.radio("Show temperatures in", CHOICES["units"][0], key="units", horizontal=True,
                     help="Display only: the models always work in °C.")


def current_settings(df: pd.DataFrame, target: str, extras: list[str]) -> Settings:
    """The Settings a click of Train would use now."""
    ss = st.session_state
    source = ss["source"]
    where = ss.get("sample") if source == "sample" else df.attrs.get("name")
    return Settings(
        source=source, data=where,
        start=str(df.index.min().date()), end=str(df.index.max().date()),
        target=target, extras=tuple(extras),
        hidden=int(ss["hidden"]), activation=ss["activation"], lr=float(ss["lr"]),
        window=int(ss["window"]), epochs=int(ss["epochs"]), seed=int(ss["seed"]),
        seeds=int(ss["seeds"]),
    )
