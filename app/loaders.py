"""Data loaders: pure, cached, shared by every session (they hold no per-user state)."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import streamlit as st

import data_sources as ds


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

