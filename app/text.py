"""Text shown on the page, without Streamlit: escaping for markdown, names of things."""

from __future__ import annotations

import re

import ui


def markdown_text(text: object) -> str:
    """User-provided text shown literally inside Streamlit markdown (no links, no formatting)."""
    # HTML, links, code, bold, tables, strike-through, LaTeX. "_" stays: names like W_h and
    # file_name.csv read better unescaped, and intraword underscores never start emphasis.
    return re.sub(r"([\\`*\[\]<>#|~$])", r"\\\1", str(text))



SEASON_INPUTS = {"doy_sin": "Season (sine of the day of year)",
                 "doy_cos": "Season (cosine of the day of year)"}
SHORT_SEASON_INPUTS = {"doy_sin": "season (sine)", "doy_cos": "season (cosine)"}


def short_input_title(column: str) -> str:
    """The same, short enough for a diagram on a phone: 'minimum temperature (°C)'."""
    if column not in ui.units.COLUMN_INFO:
        return SHORT_SEASON_INPUTS.get(column, column)
    title = ui.units.column_title(column)
    return title[0].lower() + title[1:]


def input_title(column: str) -> str:
    """A model input as a person reads it: 'tmin' → 'Daily minimum temperature (°C)'.

    The names and units come from the one table in ui/units.py; the day-of-year inputs (the
    season) and unknown columns keep their own names.
    """
    if column not in ui.units.COLUMN_INFO:
        return SEASON_INPUTS.get(column, column)
    title = ui.units.column_title(column)  # e.g. "Minimum temperature (°C)"
    return "Daily " + title[0].lower() + title[1:]


def input_titles(columns) -> list[str] | None:
    return None if columns is None else [input_title(c) for c in columns]


def sample_label(sample: dict) -> str:
    """A bundled sample as a person reads it: 'Seattle 2012–2015'."""
    return f"{sample['city']} {sample['start'][:4]}–{sample['end'][:4]}"
