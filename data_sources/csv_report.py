"""What an upload gave, said to the person: the columns read (in which unit), the ones not used
and why, and whether the days are enough to train; and a template file to start from."""

from __future__ import annotations

import pandas as pd

from .shape import COLUMNS

TEMPLATE_COLUMNS = ("temp", "tmin", "tmax", "prcp")


def _quoted(names) -> str:
    return ", ".join(f"“{n}”" for n in names)


def describe_upload(df: pd.DataFrame, needed_days: int, window: int) -> str:
    """One paragraph about a file read by read_csv. ``needed_days``: the days without gaps
    training needs with this ``window`` (forecast.windows.min_days — the one rule)."""
    attrs = df.attrs
    target = attrs.get("target", "temp")
    days = int(df[target].notna().sum()) if target in df else 0
    units = attrs.get("column_units") or {}
    read = [f"“{header}” as {COLUMNS[col].split(',')[0]}"
            + (f" in {units[col]}" if units.get(col) else "")
            for col, header in (attrs.get("column_map") or {}).items() if col in COLUMNS]
    text = (f"Read {days:,} days with a {COLUMNS.get(target, target).split(',')[0]} from "
            f"{attrs.get('name', 'the file')}: " + "; ".join(read) + ".")
    if attrs.get("fahrenheit"):
        text += " The file is in °F, so results are shown in °F."
    reasons = attrs.get("ignored_reasons") or {}
    unused = attrs.get("ignored_columns") or []
    if unused:
        text += " Not used: " + "; ".join(
            f"“{name}” ({reasons[name]})" if reasons.get(name) else f"“{name}”"
            for name in unused) + "."
    if days < needed_days:
        text += (f" Training needs at least {needed_days} days without gaps with the "
                 f"{window}-day window; this file has {days}. Add more days (or choose a "
                 "shorter window).")
    return text


def template_csv(df: pd.DataFrame, days: int) -> bytes:
    """The last ``days`` days of a common-shape frame as a CSV read_csv reads without a question:
    a ``date`` column and °C temperatures named in their headers."""
    part = df[[c for c in TEMPLATE_COLUMNS if c in df]].tail(days)
    names = {c: f"{c} (°C)" if c in ("temp", "tmin", "tmax") else f"{c} (mm)" for c in part}
    out = part.rename(columns=names).round(1)
    out.index = out.index.strftime("%Y-%m-%d")
    out.index.name = "date"
    return out.to_csv(lineterminator="\n").encode("utf-8")
