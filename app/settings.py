"""The app's settings without Streamlit: one table of limits and defaults, and the shareable URL.

Widgets, the URL (st.query_params) and the run history all use these names; parsing a link
clamps, validates and explains instead of failing (see docs/design.md).
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Iterable

import numpy as np

from forecast import ExperimentConfig
from forecast.config import ACTIVATIONS
from forecast.config import EXTRAS as EXTRA_INPUTS  # besides target and season

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


def nearest_learning_rate(value: float) -> float:
    return min(LEARNING_RATES, key=lambda lr: abs(math.log10(lr) - math.log10(value)))


def settings_from_query(params, sample_ids: Iterable[str]) -> tuple[dict, list[str]]:
    """Parse, clamp and validate URL settings; return (values, messages for the person).

    ``params`` is a mapping of strings (st.query_params or a dict); ``sample_ids`` the bundled
    samples a link may name."""
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
        if raw_sample in set(sample_ids):
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




def experiment_config(settings: dict) -> ExperimentConfig:
    return ExperimentConfig(
        target=settings["target"],
        inputs=[settings["target"], "doy_sin", "doy_cos", *settings["extra_inputs"]],
        window=settings["window"], hidden=settings["hidden_size"],
        activation=settings["activation"], lr=settings["learning_rate"],
        epochs=settings["epochs"], seed=settings["seed"],
    )  # no per-network time budget: training_panel holds one budget for the whole click


def link_params(settings: dict, units: str, city_query: str = "", city_pick: int = 0) -> dict:
    """The URL that reproduces a run: every setting as text, in the names parsed above."""
    keep = {k: settings[k] for k in ("hidden_size", "activation", "learning_rate", "window",
                                     "epochs", "seed", "source")}
    if settings["source"] == "sample":
        keep["sample"] = settings["data"]
    elif settings["source"] == "city":
        keep["city"] = city_query
        keep["pick"] = city_pick
    keep.update(target=settings["target"], start=settings["start"], end=settings["end"],
                units=units)
    if settings["extra_inputs"]:
        keep["inputs"] = ",".join(settings["extra_inputs"])
    return {k: str(v) for k, v in keep.items()}
