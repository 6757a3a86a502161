"""Text shown on the page, without Streamlit: escaping for markdown, names of things."""

from __future__ import annotations

import re


def markdown_text(text: object) -> str:
    """User-provided text shown literally inside Streamlit markdown (no links, no formatting)."""
    # HTML, links, code, bold, tables, strike-through, LaTeX. "_" stays: names like W_h and
    # file_name.csv read better unescaped, and intraword underscores never start emphasis.
    return re.sub(r"([\\`*\[\]<>#|~$])", r"\\\1", str(text))




def sample_label(sample: dict) -> str:
    """A bundled sample as a person reads it: 'Seattle 2012–2015'."""
    return f"{sample['city']} {sample['start'][:4]}–{sample['end'][:4]}"
