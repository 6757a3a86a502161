"""The app's settings, without Streamlit: one table of limits and defaults, the Settings record
and the shareable URL.

One vocabulary everywhere: the widgets' keys, the URL's parameters, the run history and the
exported JSON all use ExperimentConfig's names (hidden, lr, window, epochs, seed, seeds,
activation, target, season) plus ``extras`` for the measured inputs fed besides the target and
the season; a link may also name a guided ``experiment`` (app/experiments.py OPTIONS).
Defaults are read from ExperimentConfig, never copied. Links made before the names were
unified (hidden_size, learning_rate, inputs) or before repeats (no `seeds`: the default)
are still understood. See docs/design.md.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from app.experiments import OPTIONS as EXPERIMENT_OPTIONS
from forecast import ExperimentConfig
from forecast.config import ACTIVATIONS, EXTRAS, SEASON
from forecast.models import TARGET_NAMES

SOURCES = {"sample": "Offline sample", "city": "Any city (Meteostat)", "upload": "Upload a CSV"}
# Learning rates on a log scale: 1e-4 … 1, four steps per decade.
LEARNING_RATES = [float(f"{v:.2g}") for v in np.logspace(-4, 0, 17)]
UNITS = ["°C", "°F"]
TARGETS = TARGET_NAMES  # the temperatures a model can forecast, in the order offered
TRAINING_BUDGET_S = 60.0  # one click never trains longer than this; the best weights are kept
CHUNK_SECONDS = 0.25  # training runs in chunks this long, so curves update and Stop can land
MAX_REPEATS = 10  # repeats per network one click may ask for (forecast allows up to MAX_SEEDS)
MAX_PICK = 9  # a link's `pick`: which of the city search's ten matches (0 = the most populous)
FLAG_WORDS = {"on": True, "off": False, "true": True, "false": False, "1": True, "0": False}


@dataclass(frozen=True)
class Limit:
    """A numeric setting: its type, the range a widget and a link allow, and the default."""

    kind: type
    low: float
    high: float
    default: float


def _limits(defaults: ExperimentConfig) -> dict[str, Limit]:
    # The ranges are the app's (what one click may ask of a small shared server); the defaults
    # are the experiment's own, with their reasons in forecast/config.py.
    return {
        "hidden": Limit(int, 1, 256, defaults.hidden),
        "window": Limit(int, 3, 60, defaults.window),
        "epochs": Limit(int, 1, 500, defaults.epochs),
        "seed": Limit(int, 0, 2**31 - 1, defaults.seed),
        # repeats: each network trained with seeds seed … seed+seeds-1 (time grows with it)
        "seeds": Limit(int, 1, MAX_REPEATS, defaults.seeds),
        "lr": Limit(float, LEARNING_RATES[0], LEARNING_RATES[-1], defaults.lr),
    }


NUMERIC = _limits(ExperimentConfig())
# name -> (choices, default)
CHOICES: dict[str, tuple[list[str], str]] = {
    "activation": (list(ACTIVATIONS), ExperimentConfig().activation),
    "units": (UNITS, "°C"),
    "source": (list(SOURCES), "sample"),
}
PATIENCE = ExperimentConfig().patience  # quoted by the Epochs help text
# Names used by links made before one vocabulary: old -> current.
OLD_LINK_NAMES = {"hidden_size": "hidden", "learning_rate": "lr", "inputs": "extras"}


@dataclass(frozen=True)
class Settings:
    """Everything one run was trained with: the data, the period and the model settings."""

    source: str  # "sample" | "city" | "upload"
    data: str | None  # the sample's id, else the dataset's name
    start: str  # first day used, YYYY-MM-DD
    end: str  # last day used
    target: str  # temp | tmax | tmin
    extras: tuple[str, ...]  # measured inputs besides the target and the season
    hidden: int
    activation: str
    lr: float
    window: int
    epochs: int
    seed: int
    seeds: int = ExperimentConfig().seeds  # repeats; records and links made before it: default
    season: bool = ExperimentConfig().season  # the day of year is an input (False: not told)

    @property
    def inputs(self) -> list[str]:
        """Every input, in ExperimentConfig's sense: the target, the season, the extras."""
        return [self.target, *(SEASON if self.season else ()), *self.extras]

    def experiment_config(self) -> ExperimentConfig:
        # no per-network time budget: the training job holds one budget for the whole click
        return ExperimentConfig(target=self.target, inputs=self.inputs, window=self.window,
                                hidden=self.hidden, activation=self.activation, lr=self.lr,
                                epochs=self.epochs, seed=self.seed, seeds=self.seeds,
                                season=self.season)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values (the Settings download, the weights file, the comparison)."""
        return {**asdict(self), "extras": list(self.extras)}


def training_budget_s() -> float:
    """Seconds one click may train: TRAINING_BUDGET_S, or RNN_LAB_TRAINING_BUDGET_S (for tests
    and small servers) when that is a positive number."""
    try:
        value = float(os.environ.get("RNN_LAB_TRAINING_BUDGET_S", TRAINING_BUDGET_S))
    except ValueError:
        return TRAINING_BUDGET_S
    return value if math.isfinite(value) and value > 0 else TRAINING_BUDGET_S


def nearest_learning_rate(value: float) -> float:
    return min(LEARNING_RATES, key=lambda lr: abs(math.log10(lr) - math.log10(value)))


def smaller_learning_rate(lr: float) -> float:
    """What to suggest after a divergence: about a tenth of ``lr``, on the slider's scale."""
    return nearest_learning_rate(max(lr / 10, LEARNING_RATES[0]))


def _from_link(params: Mapping[str, str], name: str) -> tuple[str, str | None]:
    """(the name the link used, its raw value): the current name first, else an old one."""
    if params.get(name) is not None:
        return name, params.get(name)
    for old, new in OLD_LINK_NAMES.items():
        if new == name and params.get(old) is not None:
            return old, params.get(old)
    return name, None


def settings_from_query(params: Mapping[str, str],
                        sample_ids: Iterable[str]) -> tuple[dict[str, Any], list[str]]:
    """Parse, clamp and validate a link's settings.

    ``params`` maps names to strings (st.query_params or a dict); ``sample_ids`` are the bundled
    samples a link may name. Returns (session values keyed like the widgets, messages for the
    person); a bad value is reported, never raised, and never echoed back.
    """
    values: dict[str, Any] = {}
    notes: list[str] = []
    for name, limit in NUMERIC.items():
        said, raw = _from_link(params, name)
        if raw is None:
            continue
        try:
            number = limit.kind(float(raw)) if limit.kind is int else limit.kind(raw)
            if not math.isfinite(number):
                raise ValueError
        except (TypeError, ValueError, OverflowError):
            notes.append(f"ignored `{said}` from the link: not a number")
            continue
        clamped = min(max(number, limit.low), limit.high)
        if clamped != number:
            notes.append(f"`{said}` from the link was out of range; using {clamped}")
        values[name] = nearest_learning_rate(clamped) if name == "lr" else clamped
    for name, (choices, _default) in CHOICES.items():
        raw = params.get(name)
        if raw is None:
            continue
        if raw in choices:
            values[name] = raw
        else:
            notes.append(f"ignored `{name}` from the link: not one of {', '.join(choices)}")
    raw = params.get("season")
    if raw is not None:
        if raw.lower() in FLAG_WORDS:
            values["season"] = FLAG_WORDS[raw.lower()]
        else:
            notes.append("ignored `season` from the link: not on or off")
    raw = params.get("experiment")
    if raw is not None:
        if raw in EXPERIMENT_OPTIONS:
            values["experiment"] = raw  # the guided experiment's picker (app/guided.py)
        else:
            notes.append("ignored `experiment` from the link: not one of "
                         + ", ".join(EXPERIMENT_OPTIONS))
    raw = params.get("sample")
    if raw is not None:
        if raw in set(sample_ids):
            values["sample"] = raw
        else:
            notes.append("ignored `sample` from the link: no such bundled sample")
    raw = params.get("target")
    if raw is not None:
        if raw in TARGETS:
            values["target"] = raw
        else:
            notes.append(f"ignored `target` from the link: not one of {', '.join(TARGETS)}")
    said, raw = _from_link(params, "extras")
    if raw is not None:
        asked = list(dict.fromkeys(name for name in raw.split(",") if name))
        values["extras"] = [name for name in asked if name in EXTRAS]
        if len(values["extras"]) != len(asked):
            notes.append(f"ignored unknown `{said}` from the link; known: " + ", ".join(EXTRAS))
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
    raw = params.get("city")
    if raw is not None:
        values["city_query"] = str(raw)[:100]
        try:  # which of the search's matches (0 = the most populous)
            values["city_pick"] = min(max(int(params.get("pick", 0)), 0), MAX_PICK)
        except (TypeError, ValueError):
            notes.append("ignored `pick` from the link: not a whole number")
    return values, notes


def link_params(settings: Settings, units: str, city_query: str = "",
                city_pick: int = 0, experiment: str | None = None) -> dict[str, str]:
    """The URL that reproduces a run, in the names settings_from_query reads (``experiment``:
    the guided experiment that produced it)."""
    keep: dict[str, Any] = {k: getattr(settings, k) for k in (*NUMERIC, "activation", "source")}
    if settings.source == "sample":
        keep["sample"] = settings.data
    elif settings.source == "city":
        keep["city"] = city_query
        keep["pick"] = city_pick
    keep.update(target=settings.target, start=settings.start, end=settings.end, units=units)
    if settings.extras:
        keep["extras"] = ",".join(settings.extras)
    if not settings.season:  # links without it (and older ones) mean the default: on
        keep["season"] = "off"
    if experiment is not None:
        keep["experiment"] = experiment
    return {k: str(v) for k, v in keep.items()}
