"""RNN Weather Lab — the Streamlit UI.

Pick a city, load its real daily weather, train an Elman RNN written from scratch in NumPy and see
whether its memory beats a network that has none. This file only wires widgets to the packages:
data_sources (where the numbers come from), forecast (the honest experiment), rnn (the network),
ui (pure chart builders). Per-user state lives in st.session_state; nothing per-user is cached in
st.cache_resource.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import re
import time

import numpy as np
import pandas as pd
import streamlit as st

st.set_page_config(page_title="RNN Weather Lab", page_icon="🌦️", layout="wide")

import data_sources as ds  # noqa: E402 — set_page_config must be the first Streamlit call
import rnn  # noqa: E402
import ui  # noqa: E402
from forecast import ExperimentConfig, ExperimentRunner, ForecastError  # noqa: E402
from forecast.config import ACTIVATIONS  # noqa: E402
from forecast.config import EXTRAS as EXTRA_INPUTS  # noqa: E402 — besides target and season
from forecast.metrics import scores  # noqa: E402

# --------------------------------------------------------------------------------------------
# Settings: one table drives the widgets, their limits, and the shareable URL.
# --------------------------------------------------------------------------------------------

SOURCES = {"sample": "Offline sample", "city": "Any city (Meteostat)", "upload": "Upload a CSV"}
# Learning rates on a log scale: 1e-4 … 1, four steps per decade.
LEARNING_RATES = [float(f"{v:.2g}") for v in np.logspace(-4, 0, 17)]
UNITS = ["°C", "°F"]
TARGETS = {"temp": "daily mean temperature", "tmax": "daily maximum temperature",
           "tmin": "daily minimum temperature"}
TRAINING_BUDGET_S = 60.0  # one click never trains longer than this; the best weights are kept


def training_budget_s() -> float:
    """Seconds one click may train: TRAINING_BUDGET_S, or RNN_LAB_TRAINING_BUDGET_S (for tests
    and small servers) when that is a positive number."""
    try:
        value = float(os.environ.get("RNN_LAB_TRAINING_BUDGET_S", TRAINING_BUDGET_S))
    except ValueError:
        return TRAINING_BUDGET_S
    return value if math.isfinite(value) and value > 0 else TRAINING_BUDGET_S


CHUNK_SECONDS = 0.25  # training runs in chunks this long, so curves update and Stop can land

# name -> (kind, low, high, default); the URL (st.query_params) uses the same names.
NUMERIC_SETTINGS = {
    "hidden_size": (int, 1, 256, 32),
    "window": (int, 3, 60, 14),
    "epochs": (int, 1, 500, 60),
    "seed": (int, 0, 2**31 - 1, 0),
    "learning_rate": (float, 1e-4, 1.0, 0.01),
}
CHOICE_SETTINGS = {
    "activation": (ACTIVATIONS, "tanh"),
    "units": (UNITS, "°C"),
    "source": (list(SOURCES), "sample"),
}


def markdown_text(text: str) -> str:
    """User-provided text shown literally inside Streamlit markdown (no links, no formatting)."""
    # HTML, links, code, bold, tables, strike-through, LaTeX. "_" stays: names like W_h and
    # file_name.csv read better unescaped, and intraword underscores never start emphasis.
    return re.sub(r"([\\`*\[\]<>#|~$])", r"\\\1", str(text))


def nearest_learning_rate(value: float) -> float:
    return min(LEARNING_RATES, key=lambda lr: abs(math.log10(lr) - math.log10(value)))


def settings_from_query(params) -> tuple[dict, list[str]]:
    """Parse, clamp and validate URL settings; return (values, messages for the person)."""
    values, notes = {}, []
    for name, (kind, low, high, _default) in NUMERIC_SETTINGS.items():
        raw = params.get(name)
        if raw is None:
            continue
        try:
            number = kind(float(raw)) if kind is int else kind(raw)
            if not math.isfinite(number):
                raise ValueError
        except (TypeError, ValueError, OverflowError):
            notes.append(f"ignored `{name}` from the link: not a number")
            continue
        clamped = min(max(number, low), high)
        if clamped != number:
            notes.append(f"`{name}` from the link was out of range; using {clamped}")
        if name == "learning_rate":
            clamped = nearest_learning_rate(clamped)
        values[name] = clamped
    for name, (choices, _default) in CHOICE_SETTINGS.items():
        raw = params.get(name)
        if raw is None:
            continue
        if raw in choices:
            values[name] = raw
        else:
            notes.append(f"ignored `{name}` from the link: not one of {', '.join(choices)}")
    raw_sample = params.get("sample")
    if raw_sample is not None:
        if raw_sample in {s["id"] for s in sample_catalogue()}:
            values["sample"] = raw_sample
        else:
            notes.append("ignored `sample` from the link: no such bundled sample")
    raw_target = params.get("target")
    if raw_target is not None:
        if raw_target in TARGETS:
            values["target"] = raw_target
        else:
            notes.append(f"ignored `target` from the link: not one of {', '.join(TARGETS)}")
    raw_inputs = params.get("inputs")
    if raw_inputs is not None:
        asked = list(dict.fromkeys(name for name in raw_inputs.split(",") if name))
        values["extra_inputs"] = [name for name in asked if name in EXTRA_INPUTS]
        if len(values["extra_inputs"]) != len(asked):
            notes.append("ignored unknown `inputs` from the link; known: "
                         + ", ".join(EXTRA_INPUTS))
    start, end = params.get("start"), params.get("end")
    if start is not None or end is not None:
        try:
            period = (dt.date.fromisoformat(str(start)), dt.date.fromisoformat(str(end)))
            if period[0] > period[1]:
                raise ValueError
            values["_link_period"] = period  # applied when the data's period picker is drawn
        except ValueError:
            notes.append("ignored `start`/`end` from the link: not two dates (YYYY-MM-DD), "
                         "oldest first")
    raw_city = params.get("city")
    if raw_city is not None:
        values["city_query"] = str(raw_city)[:100]
        try:  # which of the search's matches (0 = the most populous)
            values["city_pick"] = min(max(int(params.get("pick", 0)), 0), 9)
        except (TypeError, ValueError):
            notes.append("ignored `pick` from the link: not a whole number")
    return values, notes


def init_session() -> None:
    """First run of a session: defaults, then whatever a shared link asks for."""
    ss = st.session_state
    if ss.get("_initialised"):
        return
    ss["_initialised"] = True
    ss["runs"] = []  # run history: every finished training appends here
    ss["last_run"] = None
    ss["runner"] = None
    ss["training"] = False
    for name, (_kind, _low, _high, default) in NUMERIC_SETTINGS.items():
        ss[name] = default
    for name, (_choices, default) in CHOICE_SETTINGS.items():
        ss[name] = default
    ss["sample"] = ds.DEFAULT_SAMPLE
    values, notes = settings_from_query(st.query_params)
    ss.update(values)
    ss["_link_notes"] = notes


# --------------------------------------------------------------------------------------------
# Data loaders: pure, cached, shared by every session (they hold no per-user state).
# --------------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False)
def sample_catalogue() -> list[dict]:
    return ds.list_samples()


@st.cache_data(show_spinner="Loading the bundled sample…")
def load_sample(sample_id: str) -> pd.DataFrame:
    return ds.load_sample(sample_id)


@st.cache_data(show_spinner=False, max_entries=256)
def search_cities(text: str) -> list[dict]:
    return ds.search_cities(text, limit=10)


@st.cache_data(show_spinner="Fetching daily weather from Meteostat…", ttl=6 * 3600)
def fetch_meteostat(lat: float, lon: float, start: dt.date, end: dt.date) -> pd.DataFrame:
    return ds.fetch_meteostat(lat, lon, start, end)


@st.cache_data(show_spinner="Reading your file…", max_entries=16)
def read_upload(data: bytes, name: str, fahrenheit: bool) -> pd.DataFrame:
    buffer = io.BytesIO(data)
    buffer.name = name  # read_csv names the dataset after the file
    return ds.read_csv(buffer, fahrenheit=fahrenheit)


# --------------------------------------------------------------------------------------------
# Sidebar: data source, period, variables, model.
# --------------------------------------------------------------------------------------------


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
            format_func=lambda i: f"{catalogue[i]['city']} {catalogue[i]['start'][:4]}–"
                                  f"{catalogue[i]['end'][:4]}",
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
             "(tavg, tmin, tmax, prcp, wspd, pres, rhum) work too. At least 30 days (the "
             "window + 30 to train), at most 60,000 rows and 10 MB.",
    )
    if upload is None:
        st.info("Upload a CSV with a `date` column and a daily `temp` column to begin.")
        return None
    try:
        return read_upload(upload.getvalue(), upload.name, fahrenheit)
    except ds.DataError as err:
        st.error(f"Could not use **{markdown_text(upload.name)}**: {markdown_text(err)}")
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
    if not any(part[c].notna().any() for c in ("temp", "tmax", "tmin") if c in part):
        st.error("No temperature was recorded on any day of that period: pick days that have "
                 "measurements (see the history chart).")
        return None
    return part


def sidebar_variables(df: pd.DataFrame) -> tuple[str, list[str]]:
    temps = [c for c in ("temp", "tmax", "tmin") if c in df and df[c].notna().any()]
    default_target = df.attrs.get("target", temps[0] if temps else "temp")
    if st.session_state.get("target") not in temps:
        st.session_state["target"] = default_target if default_target in temps else temps[0]
    target = st.sidebar.selectbox(
        "Forecast", temps, key="target", format_func=TARGETS.get,
        help="The variable the models predict for tomorrow.",
    )
    extras = [c for c in EXTRA_INPUTS
              if c in df and c != target and df[c].notna().mean() > 0.8]
    # keep only the choices this data offers (a link or another dataset may have asked for more)
    st.session_state["extra_inputs"] = [c for c in st.session_state.get("extra_inputs", [])
                                        if c in extras]
    chosen = st.sidebar.multiselect(
        "Extra inputs", extras, key="extra_inputs",
        help="Besides the target and the season (day of year), also feed these daily "
             "variables to every model.",
    )
    return target, chosen


def sidebar_model() -> None:
    st.sidebar.header("2 · Model")
    st.sidebar.slider(
        "Hidden size", 1, 256, key="hidden_size",
        help="How many numbers the RNN's memory (hidden state h) holds. More can learn more, "
             "but trains slower and may overfit. Both dense networks get the same width, so "
             "the comparison stays fair.",
    )
    st.sidebar.selectbox(
        "Activation", ACTIVATIONS, key="activation",
        help="The squashing function applied to x·W_i + h_prev·W_h: tanh (−1…1), "
             "sigmoid (0…1) or relu (max(0, ·)).",
    )
    st.sidebar.select_slider(
        "Learning rate", LEARNING_RATES, key="learning_rate",
        format_func=lambda v: f"{v:g}",
        help="Step size of the Adam optimiser (log scale). Too large and training diverges; "
             "too small and it crawls.",
    )
    st.sidebar.slider(
        "Window (days)", 3, 60, key="window",
        help="How many past days each forecast reads. The RNN walks through them one by one; "
             "the windowed dense network sees them all at once.",
    )
    st.sidebar.slider(
        "Epochs", 1, 500, key="epochs",
        help="Maximum passes over the training days. Training stops earlier when the "
             "validation error has not improved for 10 epochs.",
    )
    st.sidebar.number_input(
        "Seed", 0, 2**31 - 1, key="seed", step=1,
        help="Fixes the random start weights and batch order: same seed, same result.",
    )
    st.sidebar.radio("Show temperatures in", UNITS, key="units", horizontal=True,
                     help="Display only: the models always work in °C.")


def current_settings(df: pd.DataFrame, target: str, extras: list[str]) -> dict:
    ss = st.session_state
    source = ss["source"]
    where = {"sample": ss.get("sample"), "city": df.attrs.get("name"),
             "upload": df.attrs.get("name")}[source]
    return {
        "source": source, "data": where,
        "start": str(df.index.min().date()), "end": str(df.index.max().date()),
        "target": target, "extra_inputs": list(extras),
        "hidden_size": int(ss["hidden_size"]), "activation": ss["activation"],
        "learning_rate": float(ss["learning_rate"]), "window": int(ss["window"]),
        "epochs": int(ss["epochs"]), "seed": int(ss["seed"]),
    }


def experiment_config(settings: dict) -> ExperimentConfig:
    return ExperimentConfig(
        target=settings["target"],
        inputs=[settings["target"], "doy_sin", "doy_cos", *settings["extra_inputs"]],
        window=settings["window"], hidden=settings["hidden_size"],
        activation=settings["activation"], lr=settings["learning_rate"],
        epochs=settings["epochs"], seed=settings["seed"],
    )  # no per-network time budget: training_panel holds one budget for the whole click


def share_link_params(settings: dict) -> None:
    """Write the settings into the URL so a shared link reproduces the run."""
    keep = {k: settings[k] for k in ("hidden_size", "activation", "learning_rate", "window",
                                     "epochs", "seed", "source")}
    if settings["source"] == "sample":
        keep["sample"] = settings["data"]
    elif settings["source"] == "city":
        keep["city"] = st.session_state.get("city_query", "")
        keep["pick"] = st.session_state.get("city_pick", 0)
    keep.update(target=settings["target"], start=settings["start"], end=settings["end"],
                units=st.session_state["units"])
    if settings["extra_inputs"]:
        keep["inputs"] = ",".join(settings["extra_inputs"])
    st.query_params.from_dict({k: str(v) for k, v in keep.items()})


# --------------------------------------------------------------------------------------------
# Training: chunks inside a fragment, live curves, Stop, results kept in session state.
# --------------------------------------------------------------------------------------------


def start_training(df: pd.DataFrame, settings: dict) -> None:
    ss = st.session_state
    try:
        runner = ExperimentRunner(df, experiment_config(settings))
    except ForecastError as err:
        ss["train_error"] = str(err)
        return
    ss.update(runner=runner, runner_settings=settings, training=True, train_error=None,
              train_started=time.perf_counter(), budget_hit=False)


def finish_training() -> None:
    """Turn the finished (or stopped) runner into a result, unless training blew up."""
    ss = st.session_state
    runner, settings = ss["runner"], ss["runner_settings"]
    ss.update(training=False, runner=None)
    progress = runner.progress
    reasons = {m: p.get("stop_reason") for m, p in progress.items() if isinstance(p, dict)}
    if progress["rnn"]["diverged"]:
        # Keep the previous good run on screen; say what happened and what to try.
        lr = settings["learning_rate"]
        ss["train_error"] = (
            f"Training diverged in epoch {progress['rnn']['epoch']}: the RNN's loss became "
            f"infinite or NaN, so training stopped, "
            f"the weights from this run were thrown away and the previous results stay on "
            f"screen. Try a smaller learning rate than {lr:g}, e.g. "
            f"{nearest_learning_rate(max(lr / 10, LEARNING_RATES[0])):g}."
        )
        return
    try:
        result = runner.result()
    except ForecastError as err:
        ss["train_error"] = str(err)
        return
    run = {
        "run": len(ss["runs"]) + 1, "time": dt.datetime.now().strftime("%H:%M:%S"),
        "settings": settings, "metrics": result.metrics, "reasons": reasons,
        "seconds": time.perf_counter() - ss.get("train_started", time.perf_counter()),
        "result": result, "budget_hit": ss.pop("budget_hit", False),
        # the last observed days of the run's own data, drawn before its 7-day forecast
        "recent": pd.Series(runner.features.target_observed,
                            index=runner.features.dates).iloc[-60:],
        # what an uploaded weights file is scored on: this run's test windows, decoded the same way
        "test_windows": {"X": runner.X[runner.split.test], "today": runner.today[runner.split.test],
                         "coder": runner.coder},
    }
    ss["runs"].append({k: v for k, v in run.items()
                       if k not in ("result", "test_windows", "recent")})
    ss["last_run"] = run
    if len(ss["runs"]) >= 2:  # the comparison opens on the two newest runs
        ss["compare_a"], ss["compare_b"] = ss["runs"][-2]["run"], ss["runs"][-1]["run"]
    share_link_params(settings)


@st.fragment
def training_panel() -> None:
    """Train in short chunks, redrawing progress and loss curves after each one."""
    ss = st.session_state
    runner = ss.get("runner")
    if not ss.get("training") or runner is None:
        return
    progress = st.progress(0.0, text="Starting…")
    curves = st.empty()
    last_draw = 0.0
    budget = training_budget_s()
    while not runner.done:
        runner.step(max_seconds=CHUNK_SECONDS)
        info = runner.progress
        if info["rnn"]["diverged"]:
            runner.stop("stopped: the RNN diverged")  # no point training the others on
        elif time.perf_counter() - ss.get("train_started", 0.0) >= budget:
            runner.stop(f"time budget of {budget:g} s per click reached")  # keeps best weights
            ss["budget_hit"] = True
        rnn_info = info.get("rnn", {})
        progress.progress(
            min(1.0, float(info.get("fraction", 0.0))),
            text=f"RNN epoch {rnn_info.get('epoch', 0)} of at most {rnn_info.get('epochs', '?')}"
                 " — press Stop to end early and keep the best weights so far",
        )
        if time.perf_counter() - last_draw > 0.5:  # redraw at most twice a second
            curves.altair_chart(ui.loss_curves_chart(runner.histories), width="stretch")
            last_draw = time.perf_counter()
    progress.empty()
    curves.empty()
    finish_training()
    st.rerun()  # redraw the page so Train/Stop and the results show the finished state


def stop_training() -> None:
    ss = st.session_state
    if ss.get("training") and ss.get("runner") is not None:
        ss["runner"].stop("stopped by user")
        finish_training()


# --------------------------------------------------------------------------------------------
# Results.
# --------------------------------------------------------------------------------------------


def show_verdict(run: dict, units: str) -> None:
    result = run["result"]
    st.subheader("Who won?")
    sentence = result.verdict(units=units)
    winner = min(result.metrics, key=lambda m: result.metrics[m]["mae"])
    box = st.success if winner == "rnn" else st.info
    box(sentence, icon=":material/emoji_events:" if winner == "rnn" else ":material/balance:")
    stops = [f"{ui.MODEL_LABELS.get(m, m)}: {r}" for m, r in run["reasons"].items() if r]
    if stops:
        st.caption("How training ended — " + "; ".join(stops) + ".")
    if run["budget_hit"]:
        st.warning(f"Training hit the time budget ({training_budget_s():g} s per click) and "
                   "ended early; each network kept its best weights so far. Fewer epochs, a "
                   "smaller hidden size or a shorter period finish within it.",
                   icon=":material/timer:")
    for note in result.notes:
        st.caption(note)
    gap = float((result.predictions["rnn"] - result.predictions["persistence"]).abs().mean())
    if gap < 0.05:
        st.warning("The RNN's forecasts are almost exactly “tomorrow = today” (persistence): on "
                   f"average they differ by {ui.to_display_delta(gap, units):.3f} {units}. It "
                   "learned to predict no change at all. A smaller hidden size or learning rate, "
                   "or another seed, usually gets it unstuck.", icon=":material/info:")


def show_metrics(metrics: dict, units: str) -> None:
    table = ui.metrics_table(metrics, units)
    formats = {c: st.column_config.NumberColumn(format="%.3f") for c in table.columns
               if c.startswith(("MAE", "RMSE", "Bias"))}
    formats["Skill vs persistence"] = st.column_config.NumberColumn(
        format="%+.1f %%", help="1 − MAE / MAE of persistence: above 0 beats 'tomorrow = today'.")
    st.dataframe(table, hide_index=True, width="stretch", column_config=formats)


def data_label(settings: dict) -> str:
    """'Seattle 2012–2015' for a sample, else the dataset's own name."""
    if settings["source"] == "sample":
        sample = {s["id"]: s for s in sample_catalogue()}.get(settings["data"])
        if sample:
            return f"{sample['city']} {sample['start'][:4]}–{sample['end'][:4]}"
    return str(settings["data"] or "your data")


def show_results(run: dict, units: str) -> None:
    result = run["result"]
    settings = run["settings"]
    st.caption(f"Run {run['run']} at {run['time']}: **{markdown_text(data_label(settings))}**, "
               f"{settings['start']} – {settings['end']}, trained in {run['seconds']:.1f} s.")
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
        st.altair_chart(ui.future_chart(run["recent"], result.future, units), width="stretch")
        table = ui.to_display_temp(result.future, units).rename(columns=ui.MODEL_LABELS)
        table.index = table.index.strftime("%a %d %b %Y")
        st.dataframe(table.round(1), width="stretch")
        st.caption("Beyond the data each day's forecast feeds the next one, so errors grow "
                   "with the horizon (see 'Errors').")
    with tabs[3]:
        show_inside(run, units)
    with tabs[4]:
        show_history()
    with tabs[5]:
        show_exports(run)


def show_inside(run: dict, units: str) -> None:
    result, settings = run["result"], run["settings"]
    model = result.rnn_model
    params = model.params
    n_in, n_h = params["W_i"].shape
    st.markdown(
        f"**The RNN unrolled over your {settings['window']}-day window.** The same three weight "
        f"matrices — W_i ({n_in}×{n_h}), W_h ({n_h}×{n_h}) and W_o ({n_h}×1) — are reused at "
        f"every step; the hidden state h carries what it has seen forward."
    )
    st.graphviz_chart(ui.unrolled_rnn_dot(settings["window"], n_in, n_h,
                                          input_names=result.config.inputs))
    st.markdown("**The network without memory** sees only today: no W_h, no h carried over. "
                "It is the seed's dense network, trained on the same days.")
    st.graphviz_chart(ui.dense_dot(n_in, n_h, input_names=result.config.inputs))
    walk = result.walkthrough
    scaler = walk["scaler"]
    spreads = ", ".join(f"{name} {mean:.2f} ± {std:.2f}" for name, mean, std in
                        zip(walk["input_names"], scaler["mean"], scaler["std"], strict=True))
    st.markdown(
        "**Feeding forward, in the seed's order, on this city's last days.** Each input is first "
        "standardised, x = (value − mean) / std, with the mean and std of the training days "
        f"({spreads}; temperatures in °C). The table shows every step for the first hidden "
        "units: x·W_i, h_prev·W_h, their sum with b_h, and the activation, which becomes h_prev "
        "for the next day.")
    steps = ui.walkthrough_steps(params, walk["X"], settings["activation"], walk["dates"])
    st.dataframe(ui.walkthrough_table(steps, input_names=walk["input_names"]), hide_index=True,
                 width="stretch", height=min(36 * (len(steps) + 1) + 4, 760))
    with st.expander("The same days before standardising"):
        st.dataframe(ui.units.convert_frame(walk["raw"], units), width="stretch")
    y, coder, today = walk["rnn_output"], walk["target"], walk["today"]
    day = f"{pd.Timestamp(walk['forecast_date']):%d %b %Y}"
    if coder.get("predict_change"):
        st.markdown(
            f"After the last day the output layer reads the final hidden state: "
            f"**y = h_{settings['window']}·W_o + b_o = {y:.3f}**. Unlike the seed, which outputs "
            "the temperature itself, these networks output *tomorrow's change from today*, "
            "standardised (measured to forecast better; the forecast is still a temperature). "
            f"Undoing it: {today:.1f} °C + ({y:.3f} × {coder['std']:.2f} + {coder['mean']:.3f}) °C "
            f"= **{walk['rnn_forecast']:.1f} °C** — the RNN's forecast for {day}"
            + (f" ({ui.to_display_temp(walk['rnn_forecast'], units):.1f} °F)."
               if units == "°F" else "."))
    else:
        st.markdown(
            f"After the last day the output layer reads the final hidden state: "
            f"**y = h_{settings['window']}·W_o + b_o = {y:.3f}** (standardised). Undoing it: "
            f"{y:.3f} × {coder['std']:.2f} + {coder['mean']:.2f} = "
            f"**{walk['rnn_forecast']:.1f} °C**, the RNN's forecast for {day}.")
    left, right = st.columns(2)
    left.altair_chart(ui.hidden_heatmap(result.hidden_states), width="stretch")
    right.altair_chart(ui.memory_probe_chart(result.memory_probe, units), width="stretch")
    right.caption("Each bar: how many degrees tomorrow's forecast moves when the temperature "
                  "k days back is 1 degree higher. The RNN reaches back through W_h; the "
                  "windowed dense network through its wide input layer.")
    st.markdown("**Parameters: shared across steps**")
    st.dataframe(ui.parameter_table(params, result.dense_model.params,
                                    result.dense_window_model.params, settings["window"]),
                 hide_index=True, width="stretch")
    st.markdown("**Training: loss and gradient norm per epoch** (before clipping)")
    left, right = st.columns(2)
    left.altair_chart(ui.loss_curves_chart(result.histories), width="stretch")
    right.altair_chart(ui.grad_norm_chart(result.histories, result.config.clip), width="stretch")


def show_history() -> None:
    runs = st.session_state["runs"]
    st.dataframe(ui.run_history_table(runs, units=st.session_state["units"]), hide_index=True,
                 width="stretch")
    if len(runs) < 2:
        st.caption("Train again with other settings to compare two runs side by side.")
        return
    numbers = [r["run"] for r in runs]
    left, right = st.columns(2)
    a = left.selectbox("Compare run", numbers, key="compare_a")
    b = right.selectbox("with run", numbers, key="compare_b")
    units = st.session_state["units"]
    first, second = runs[a - 1]["settings"], runs[b - 1]["settings"]
    differ = {k: (str(first.get(k)), str(second.get(k))) for k in dict.fromkeys([*first, *second])
              if first.get(k) != second.get(k)}
    if differ:
        st.markdown("**What differs between them**")
        st.dataframe(pd.DataFrame(differ, index=[f"run {a}", f"run {b}"]).T, width="stretch")
    else:
        st.caption("The two runs used the same data and settings.")
    # one table, model by model: each run's MAE and how much the second run moved it
    mae = {n: {m: ui.to_display_delta(v["mae"], units) for m, v in runs[n - 1]["metrics"].items()}
           for n in (a, b)}
    table = pd.DataFrame({f"Run {a}: MAE ({units})": mae[a], f"Run {b}: MAE ({units})": mae[b]})
    table[f"Change ({units})"] = table.iloc[:, 1] - table.iloc[:, 0]
    table.index = [ui.MODEL_LABELS.get(m, m) for m in table.index]
    st.dataframe(table.round(3), width="stretch")
    st.caption("A negative change means the second run's forecasts were closer to the "
               "observations.")


def show_exports(run: dict) -> None:
    result, settings = run["result"], run["settings"]
    stem = f"rnn-weather-run{run['run']}"
    predictions = result.predictions.rename(columns=lambda c: f"{c} (°C)").round(3)
    st.download_button("Predictions (CSV)", predictions.to_csv().encode(),
                       file_name=f"{stem}-predictions.csv", mime="text/csv", key="dl_csv")
    buffer = io.BytesIO()
    # everything needed to use the weights again: the settings, the input order, and how
    # inputs were standardised and the output decoded (fitted on this run's training days)
    rnn.save_npz(buffer, result.rnn_model, {
        "settings": settings, "inputs": list(result.config.inputs),
        "input_scaling": result.walkthrough["scaler"], "output_decoding":
        result.walkthrough["target"]})
    st.download_button("RNN weights (.npz)", buffer.getvalue(), file_name=f"{stem}-weights.npz",
                       mime="application/octet-stream", key="dl_npz")
    st.download_button("Settings (JSON)", json.dumps(settings, indent=2).encode(),
                       file_name=f"{stem}-settings.json", mime="application/json",
                       key="dl_json")
    st.caption("The page's address now carries these settings: whoever opens it gets the same "
               "data and controls, and pressing Train reproduces these numbers.")
    with st.expander("Load RNN weights (.npz) and score them on this test period"):
        load_weights(run)


def load_weights(run: dict) -> None:
    """Score an uploaded weights file (saved by this app) on the current run's test windows."""
    upload = st.file_uploader(
        "RNN weights (.npz) saved by this app", type=["npz"], key="weights_upload",
        help="Only plain numeric arrays are read (no pickled objects); the shapes must match "
             "this run's RNN (same hidden size and inputs).",
    )
    if upload is None or "test_windows" not in run:
        return
    name = markdown_text(upload.name)
    try:
        model, extra = rnn.load_npz(io.BytesIO(upload.getvalue()), with_config=True)
    except rnn.WeightsError as err:
        st.error(f"Could not load **{name}**: {markdown_text(err)}.")
        return
    trained = run["result"].rnn_model
    want = {k: v.shape for k, v in trained.params.items()}
    got = {k: v.shape for k, v in model.params.items()}
    if type(model) is not type(trained) or got != want:
        shapes = lambda d: ", ".join(f"{k} {'×'.join(map(str, v))}" for k, v in d.items())  # noqa: E731
        st.error(f"**{name}** does not fit this run: it holds a {type(model).__name__} with "
                 f"{shapes(got)}; this run's RNN has {shapes(want)}. Train with the settings the "
                 "file was saved with (hidden size, extra inputs) first.")
        return
    inputs = list(run["result"].config.inputs)
    saved = extra.get("inputs") if isinstance(extra, dict) else None
    if saved is not None and (not isinstance(saved, list)
                              or not all(isinstance(n, str) for n in saved)):
        st.error(f"Could not load **{name}**: its list of inputs is not a list of names.")
        return
    if saved is not None and saved != inputs:
        st.error(f"**{name}** was trained on the inputs {markdown_text(', '.join(saved))}; "
                 f"this run feeds {', '.join(inputs)}. Pick the same forecast variable and "
                 "extra inputs, train, then load it again.")
        return
    tw = run["test_windows"]
    forecast = tw["coder"].decode(tw["today"], model.predict(tw["X"].astype(model.dtype))[:, 0])
    actual = run["result"].predictions["actual"].to_numpy()
    mine = scores(actual, forecast, run["metrics"]["persistence"]["mae"])
    units = st.session_state["units"]
    st.success(f"Loaded **{name}** ({model.activation}, hidden size {model.n_hidden}). On this "
               f"run's {len(actual)} test days its MAE is "
               f"{ui.to_display_delta(mine['mae'], units):.2f} {units} (the RNN trained here: "
               f"{ui.to_display_delta(run['metrics']['rnn']['mae'], units):.2f} {units}). "
               "Its inputs are standardised with this run's training-day statistics.")


# --------------------------------------------------------------------------------------------
# The page.
# --------------------------------------------------------------------------------------------


# Widgets that are not drawn lose their state; these are re-saved every run so a trip to
# another data source does not reset them (Streamlit's documented pattern).
KEPT_CHOICES = ("sample", "target", "extra_inputs", "city_query", "city_pick", "city_period",
                "csv_fahrenheit")


def main() -> None:
    init_session()
    ss = st.session_state
    for key in KEPT_CHOICES:
        if key in ss:
            ss[key] = ss[key]
    st.title("RNN Weather Lab")
    st.caption("Does memory help? An RNN written from scratch in NumPy reads the last days of a "
               "city's real weather and forecasts tomorrow — next to a network with no memory "
               "and honest baselines.")
    for note in ss.pop("_link_notes", []):
        st.warning(note)

    if ss.get("stop_requested"):
        ss["stop_requested"] = False
        stop_training()

    try:
        df = sidebar_data()
    except ds.DataError as err:
        st.error(str(err))
        df = None
    if df is not None:
        df = restrict_period(df)
    target, extras = sidebar_variables(df) if df is not None else ("temp", [])
    sidebar_model()
    units = ss["units"]

    settings = current_settings(df, target, extras) if df is not None else None
    if ss.pop("train_requested", False) and df is not None:
        start_training(df, settings)  # before the buttons are drawn, so Stop is live at once

    st.sidebar.header("3 · Train")
    left, right = st.sidebar.columns(2)
    left.button("Train", key="train", type="primary", disabled=df is None,
                help="Train the RNN, both dense networks and the baselines on the same days.",
                width="stretch", on_click=lambda: ss.update(train_requested=True))
    right.button("Stop", key="stop", disabled=not ss.get("training"),
                 help="End training now and keep the best weights so far.", width="stretch",
                 on_click=lambda: ss.update(stop_requested=True))

    if df is not None:
        ss["data"] = df
        show_data(df, target, units)
    training_panel()  # may end training and set train_error: the message goes below it
    if ss.get("train_error"):
        st.error(ss["train_error"])
    run = ss.get("last_run")
    if run is not None:
        if run["settings"] != settings:  # also when no data is loaded now
            st.warning("The data or settings have changed since these results were computed: "
                       "they are **stale**. Press Train to update them.",
                       icon=":material/history:")
        show_results(run, units)
    elif df is not None and not ss.get("training"):
        st.info("Press **Train** in the sidebar: the RNN, a dense network without memory and "
                "three baselines will learn from the same days and be scored on the same test "
                "days.")


def show_data(df: pd.DataFrame, target: str, units: str) -> None:
    name = df.attrs.get("name", "your data")
    days = len(df)
    coverage = df[target].notna().mean() * 100
    coverage_text = f"{math.floor(coverage * 10) / 10:g}"  # 99.95 reads 99.9, never "100"
    st.markdown(f"**{markdown_text(name)}** · {df.index.min():%d %b %Y} – "
                f"{df.index.max():%d %b %Y} · {days:,} days · {target} {coverage_text} % present")
    for station in df.attrs.get("stations") or []:
        where = [f"{station[k]:.0f} {unit}" for k, unit in
                 (("distance_km", "km away"), ("elevation_m", "m above sea level"))
                 if isinstance(station.get(k), int | float)]
        st.caption(f"Weather station {markdown_text(station.get('name', '?'))} "
                   f"({markdown_text(station.get('id', '?'))})"
                   + (": " + ", ".join(where) if where else "") + ".")
    if target == "tmax" and "temp" not in df:
        st.caption("This series has only the daily maximum temperature, so that is what the "
                   "models forecast.")
    columns = [c for c in ("tmax", "temp", "tmin") if c in df]
    st.altair_chart(ui.history_chart(df, columns=tuple(columns), units=units), width="stretch")
    with st.expander("Data quality and source"):
        fill_days = ExperimentConfig().max_fill_days  # the experiment's own rule, reported here
        quality = ds.data_quality(df, limit=fill_days).rename(columns={
            "days": "Days", "present": "Measured", "missing": "Missing",
            "coverage_pct": "Coverage %", "longest_gap_days": "Longest gap (days)",
            "longest_gap_from": "Gap from", "longest_gap_to": "Gap to",
            "filled_by_interpolation": "Filled", "missing_after_fill": "Still missing"})
        st.dataframe(quality.astype(object).where(quality.notna(), "—"), width="stretch")
        st.caption(f"Gaps of up to {fill_days} days are filled by linear interpolation before "
                   "training; longer gaps are never inside a training window, and a filled day "
                   "is never the last day a forecast reads.")
        if df.attrs.get("attribution"):
            st.caption(markdown_text(df.attrs["attribution"]))


main()
