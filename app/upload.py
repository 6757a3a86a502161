"""The sidebar's upload: the file, the questions it may raise (which column is the temperature,
°C or °F), the template CSV, and what the file gave — nothing trains until they are answered."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

import data_sources as ds
from app.loaders import read_upload
from app.phone import say
from app.settings import NUMERIC
from app.text import markdown_text
from forecast.windows import min_days

UNIT_LABELS = {"°C": "°C (Celsius)", "°F": "°F (Fahrenheit)"}


def sidebar_upload() -> pd.DataFrame | None:
    ss = st.session_state
    window = int(ss.get("window", NUMERIC["window"].default))
    need = min_days(window)  # the one rule (forecast/windows.py): README, tooltip and message
    upload = st.sidebar.file_uploader(
        "Daily CSV", type=["csv", "txt"], key="upload",
        help="A `date` column and a daily temperature column: `temp`, `Temperature (°F)`, "
             "`temp_c`, `Tmax (°F)`… (a unit in the header is used); Meteostat's export "
             "columns (tavg, tmin, tmax, prcp, wspd, pres, rhum) work too. Comma, `;` or tab "
             "separated; decimal commas (12,5) work. No unit in the header: when the values "
             f"could be °C or °F, the app asks. Training needs at least {need} days without "
             f"gaps with the {window}-day window; at most {ds.MAX_ROWS:,} rows and "
             f"{ds.MAX_BYTES // 2**20} MB.",
    )
    template_download()
    if upload is None:
        st.info("Upload a CSV with a `date` column and a daily temperature column to begin — "
                "or download the template under the upload box in the sidebar and start from "
                f"it. Training needs at least {need} days.")
        return None
    data, name = upload.getvalue(), markdown_text(upload.name)
    digest = hashlib.sha256(data).hexdigest()
    if ss.get("_csv_unit_for") != digest:  # another file: its own questions, not the last one's
        for key in ("csv_unit", "csv_temperature", "_csv_pick"):
            ss.pop(key, None)
        ss["_csv_unit_for"] = digest
    asked_column = bool(ss.get("_csv_pick"))  # the picker stays while the file needs it
    picked = column_question(ss["_csv_pick"]) if asked_column else None
    answers = ss.setdefault("csv_units", {})  # file digest -> True (°F) / False (°C), as said
    stated = answers.get(digest)
    question = None
    if stated is None:
        try:
            return uploaded(read_upload(data, upload.name, None, picked), digest, need, window)
        except ds.DataError as err:
            if err.columns:
                ask_column(name, err, drawn=asked_column)
                return None
            if not err.ask_fahrenheit:
                say("error", f"Could not use **{name}**: {markdown_text(str(err))}")
                return None
            question = err  # values that could be °F: ask, and read nothing until answered
    likely = question is not None and question.likely_fahrenheit
    unit = unit_question(digest, stated, highlight=question is not None, likely=likely)
    if unit is None:
        say("warning", f"**{name}**: {markdown_text(str(question))} Choose **°C** or **°F** under "
                   "the file in the sidebar — nothing is trained until you answer.",
                   icon=":material/device_thermostat:")
        return None
    if likely and stated is None:
        said = str(question).removesuffix(" Tick °F to read the file in Fahrenheit.")
        say("warning", f"**{name}**: {markdown_text(said)} So it is read as **°F**; choose °C "
                   "under the file in the sidebar if it really is Celsius.",
                   icon=":material/device_thermostat:")
    try:
        return uploaded(read_upload(data, upload.name, unit == "°F", picked), digest, need,
                        window)
    except ds.DataError as err:
        if err.columns:
            ask_column(name, err, drawn=asked_column)
            return None
        say("error", f"Could not use **{name}** in {unit}: {markdown_text(str(err))}")
        return None


def uploaded(df: pd.DataFrame, digest: str, need: int, window: int) -> pd.DataFrame:
    """A file read: its unit becomes the display unit (once per file: the person may switch
    back), and the main area says what was read, what was not and whether it is enough."""
    ss = st.session_state
    if ss.get("_units_from") != digest:
        ss["_units_from"] = digest
        ss["units"] = "°F" if df.attrs.get("fahrenheit") else "°C"
    st.info(markdown_text(ds.describe_upload(df, need, window)), icon=":material/table_view:")
    return df


def ask_column(name: str, err: ds.DataError, drawn: bool) -> None:
    """No column is recognised as the temperature: offer the file's columns to pick from
    (``drawn``: the picker is already on the page this run)."""
    st.session_state["_csv_pick"] = list(err.columns)
    say("error", f"Could not use **{name}** yet: {markdown_text(str(err))} Pick it under **Which "
             "column is the daily mean temperature?** in the sidebar.")
    if not drawn:
        column_question(list(err.columns))


def column_question(columns: list[str]) -> str | None:
    """The picker for the temperature column (drawn on every run while the file needs it)."""
    if st.session_state.get("csv_temperature") not in columns:
        st.session_state.pop("csv_temperature", None)
    return st.sidebar.selectbox(
        "Which column is the daily mean temperature?", columns, index=None,
        key="csv_temperature", placeholder="Pick a column",
        help="No column of the file is named like a temperature the app knows (temp, "
             "Temperature (°F), tmax…). Pick the one that holds the daily mean temperature.",
    )


@st.cache_data(show_spinner=False)
def template_bytes() -> bytes:
    """Two years of the default sample as a file the upload reads without a question."""
    return ds.template_csv(ds.load_sample(ds.DEFAULT_SAMPLE), days=730)


def template_download() -> None:
    st.sidebar.download_button(
        "Download a template CSV", template_bytes(), file_name="weather-template.csv",
        mime="text/csv", key="csv_template", icon=":material/download:",
        help="Two years of real daily weather (Seattle, °C) in the layout the upload reads: "
             "replace the rows with your own days.",
    )


def unit_question(digest: str, stated: bool | None, highlight: bool,
                  likely: bool) -> str | None:
    """The radio "This file is in: °C / °F" (°F highlighted while asked; preselected when the
    values are plausible only in °F). The answer is remembered for this file's contents."""
    ss = st.session_state
    index = {None: 1 if likely else None, False: 0, True: 1}[stated]
    return st.sidebar.radio(
        "This file is in:", list(UNIT_LABELS), key="csv_unit", index=index, horizontal=True,
        format_func=lambda u: UNIT_LABELS[u] if not highlight or u == "°C"
        else f":orange[**{UNIT_LABELS[u]}**]",
        on_change=lambda: ss["csv_units"].update({digest: ss["csv_unit"] == "°F"}),
        help="The file does not say, and its values are possible weather in either unit "
             "(or only in °F). The app converts °F to °C internally; your answer is kept for "
             "this file.",
    )
