"""Data loaders: pure, cached, shared by every session (they hold no per-user state)."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import streamlit as st

import data_sources as ds
from data_sources.meteostat_source import OnStep


@st.cache_data(show_spinner=False)
def sample_catalogue() -> list[dict]:
    return ds.list_samples()


@st.cache_data(show_spinner="Loading the bundled sample…")
def load_sample(sample_id: str) -> pd.DataFrame:
    return ds.load_sample(sample_id)


@st.cache_data(show_spinner=False, max_entries=256)
def search_cities(text: str) -> list[dict]:
    return ds.search_cities(text, limit=10)


@st.cache_data(show_spinner=False, ttl=6 * 3600)
def fetch_meteostat(lat: float, lon: float, start: dt.date, end: dt.date,
                    _on_step: OnStep | None = None) -> pd.DataFrame:
    """Meteostat's daily history of the station best representing (lat, lon).

    ``_on_step(label, k, n)`` reports each step (its leading underscore keeps it out of the
    cache key). On a cache hit this body does not run, so no step is reported: the caller says
    "loaded from cache" then. It must not draw elements (they would be recorded for a replay
    into containers that no longer exist); updating an ``st.status`` label is fine.
    """
    return ds.fetch_meteostat(lat, lon, start, end, on_step=_on_step)


@st.cache_data(show_spinner="Reading your file…", max_entries=16)
def read_upload(data: bytes, name: str, fahrenheit: bool | None,
                temperature_column: str | None = None) -> pd.DataFrame:
    """``fahrenheit`` None: the person has not said; read_csv asks when the values could be
    either (DataError.ask_fahrenheit). ``temperature_column``: the person's pick when no column
    was recognised (DataError.columns). A raised DataError is not cached."""
    buffer = io.BytesIO(data)
    buffer.name = name  # read_csv names the dataset after the file
    return ds.read_csv(buffer, fahrenheit=fahrenheit, temperature_column=temperature_column)

