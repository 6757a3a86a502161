"""The sidebar: data source, period, variables and model settings (the widgets' keys are the
names in app/settings.py, so the URL and the widgets speak one language)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

import data_sources as ds
from app.loaders import fetch_meteostat, load_sample, sample_catalogue, search_cities
from app.phone import say
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
from app.text import input_title, markdown_text, sample_label
from app.upload import sidebar_upload
from data_sources.cities import MIN_POPULATION
from forecast import ExperimentConfig

SUGGESTIONS_SHOWN = 3  # "Did you mean …?" offers at most this many spellings


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
        sample = asked_city_sample()
        where = f" — including one of {sample[1]}" if sample else ""
        say("warning", f"{ss['meteostat_offline']} The offline samples still work{where}.",
                   icon=":material/cloud_off:")
        st.button(f"Use the offline sample of {sample[1]}" if sample else
                  "Use the offline samples", key="use_samples",
                  on_click=lambda: ss.update(source="sample", sample=sample[0] if sample
                                             else ss.get("sample", ds.DEFAULT_SAMPLE)))
    query = st.sidebar.text_input(
        "City", key="city_query", placeholder="e.g. Berlin, Nairobi, São Paulo",
        help=f"Type a city or town ({MIN_POPULATION:,}+ people; accents and case do not "
             "matter); the app finds the nearest weather station with enough data.",
    ).strip()
    if not query:
        st.info("Type a city name in the sidebar to search for it.")
        return None
    matches = search_cities(query)
    if not matches:
        say("warning", f"No city matches “{markdown_text(query)}”: no city or town of "
                   f"{MIN_POPULATION:,}+ people has that name or a similar one. Check the "
                   "spelling, or try a larger place nearby.")
        return None
    if matches[0].get("suggested"):  # nothing is named so: near misses only
        did_you_mean(query, matches)
        return None
    if ss.get("_city_pick_for") not in (None, query):  # a new name: its best match first
        ss["city_pick"] = 0  # (a shared link's pick is kept: it arrives with its query)
    ss["_city_pick_for"] = query
    labels = [city_option(m) for m in matches]
    if ss.get("city_pick", 0) not in range(len(matches)):
        ss["city_pick"] = 0
    pick = st.sidebar.selectbox("Which one?", range(len(matches)), format_func=labels.__getitem__,
                                key="city_pick",
                                help="Places with this name, exact names first, then by "
                                     "population.")
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
            steps = ss.get("city_fetch_steps")
            if steps is not None and steps[0] == request:  # how it was fetched, folded away
                fetch_report(st.status("Meteostat download", state="complete"), steps[1],
                             fetched[1])
            return fetched[1]  # only for the city and period it was fetched for
        if not ss.get("meteostat_offline"):  # after a failed fetch the banner says it all
            st.info(f"Press **Fetch weather** to download the daily history of "
                    f"{markdown_text(city['label'])}.")
        return None
    return fetch_with_status(request, city)


def asked_city_sample() -> tuple[str, str] | None:
    """(sample id, city name) of the bundled sample of the city being asked for, if any."""
    ss = st.session_state
    query = str(ss.get("city_query") or "").strip()
    matches = search_cities(query) if query else []
    if not matches or matches[0].get("suggested"):
        return None
    city = matches[ss.get("city_pick", 0) if ss.get("city_pick", 0) in range(len(matches))
                   else 0]
    sample = ds.sample_near(city["lat"], city["lon"])
    return (sample, city["name"]) if sample else None


def city_option(record: dict) -> str:
    """A search result as listed: "Springfield, Illinois, United States (pop. 114,394)"."""
    return f"{record['label']} (pop. {record['population']:,})"


def did_you_mean(query: str, suggestions: list[dict]) -> None:
    """Nothing is named like the query: offer the closest spellings; a click searches for it."""
    best = suggestions[0]
    say("warning", f"No city or town is named “{markdown_text(query)}”. Did you mean "
               f"**{markdown_text(best['name'])}**?", icon=":material/spellcheck:")
    for i, record in enumerate(suggestions[:SUGGESTIONS_SHOWN]):
        st.button(f"{markdown_text(city_option(record))}", key=f"suggestion_{i}",
                  type="primary" if i == 0 else "secondary",
                  on_click=choose_suggestion, args=(record,))


def choose_suggestion(record: dict) -> None:
    """Search for the suggested name and select that very place among its matches (so the
    shareable link, city + pick, names it too)."""
    matches = search_cities(record["name"])
    pick = next((i for i, m in enumerate(matches) if m["geonameid"] == record["geonameid"]), 0)
    st.session_state.update(city_query=record["name"], city_pick=pick,
                            _city_pick_for=record["name"])


def fetch_with_status(request: tuple, city: dict) -> pd.DataFrame | None:
    """Fetch with every step of the download named in an ``st.status`` box: its label follows
    the steps while they run; afterwards the box lists them and ends complete (or error)."""
    ss = st.session_state
    steps: list[str] = []
    status = st.status(f"Fetching the daily weather of {markdown_text(city['label'])} from "
                       "Meteostat…", expanded=False)

    def on_step(label: str, k: int | None, n: int | None) -> None:
        steps.append(label)
        status.update(label=f"{markdown_text(label)}…")  # a label update is not an element

    lat, lon, start, end = request
    try:
        df = fetch_meteostat(lat, lon, start, end, _on_step=on_step)
    except ds.DataError as err:
        for label in steps:
            status.markdown(f"- {markdown_text(label)}")
        where = f" while {steps[-1][0].lower()}{steps[-1][1:]}" if steps else ""
        status.update(label=f"Could not fetch the data{markdown_text(where)}", state="error",
                      expanded=True)
        if err.unreachable:
            ss["meteostat_offline"] = str(err)
            st.rerun()  # draw the offline banner and its offer at once
        say("error", str(err))
        return None
    ss["meteostat_offline"] = False
    ss["city_fetched"] = (request, df)
    ss["city_fetch_steps"] = (request, steps)
    fetch_report(status, steps, df)
    return df


def fetch_report(status, steps: list[str], df: pd.DataFrame) -> None:
    """The finished download in its status box: the steps taken (or that the copy came from
    the cache), the label saying what was loaded, the state complete."""
    station = df.attrs.get("station") or {}
    what = f"{markdown_text(station.get('name', df.attrs.get('name', 'data')))}, {len(df):,} days"
    if steps:
        for label in steps:
            status.markdown(f"- {markdown_text(label)} — done")
        label = f"Downloaded from Meteostat in {len(steps)} steps: {what} — complete"
    else:  # the cached function did not run, so it reported nothing
        status.markdown("Loaded from cache: this place and period were downloaded recently "
                        "(kept for 6 hours), so nothing was fetched again.")
        label = f"Loaded from cache: {what} — complete"
    status.update(label=label, state="complete", expanded=False)


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
        say("error", "The start date is after the end date: swap them.")
        return None
    part = df.loc[str(start):str(end)]
    if part.empty:
        say("error", "No days in that period: widen the date range.")
        return None
    if not any(part[c].notna().any() for c in TARGETS if c in part):
        say("error", "No temperature was recorded on any day of that period: pick days that have "
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
        "Extra inputs", extras, key="extras", format_func=input_title,
        help="Besides the target and the season (day of year), also feed these daily "
             "variables to every model.",
    )
    st.session_state.setdefault("season", ExperimentConfig().season)
    st.sidebar.toggle(
        "Tell the networks the date", key="season",
        help="Feed the day of year (as a sine and a cosine) to every network, so each knows the "
             "season. Off: they get only the measured inputs and must read the season from the "
             "recent days — the guided experiment “Take away the calendar”.",
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
        seeds=int(ss["seeds"]), season=bool(ss.get("season", ExperimentConfig().season)),
    )
