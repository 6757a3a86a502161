"""The daily history of the loaded data, before any model is trained."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from ._frames import date_frame, empty_chart, finite_round, fold_fields, hover_rule, layer, props
from .units import COLUMN_INFO, column_unit, to_display_temp

_VARIABLE_COLORS = {
    "temp": "#e4572e",
    "tmin": "#4c78a8",
    "tmax": "#d62728",
    "rhum": "#72b7b2",
    "prcp": "#1f77b4",
    "wspd": "#54a24b",
    "pres": "#b279a2",
}


def _label(col: str) -> str:
    return COLUMN_INFO.get(col, (col, ""))[0]


def _panel(
    data: pd.DataFrame, cols: list[str], unit: str, height: int, zoom: alt.Parameter, own_zoom: bool
) -> alt.LayerChart:
    """One y axis: the columns that share `unit`, folded client-side (one row per day)."""
    labels = [_label(c) for c in cols]
    wide = data[["date", *cols]].rename(columns=dict(zip(cols, labels, strict=True)))
    y_title = f"{labels[0]} ({unit})" if len(cols) == 1 else f"{unit}"
    # Lower panels follow the first panel's zoom (one zoom for all: Vega-Lite cannot bind one
    # interval to the scales of several concatenated views).
    x_scale = alt.Undefined if own_zoom else alt.Scale(domain={"param": zoom.name, "encoding": "x"})
    colors = [_VARIABLE_COLORS.get(c, "#7f7f7f") for c in cols]
    lines = (
        alt.Chart(wide)
        .transform_fold(fold_fields(labels), as_=["variable", "value"])
        .mark_line(strokeWidth=1.2, interpolate="monotone" if len(wide) < 400 else "linear")
        .encode(
            x=alt.X("date:T", title="Date", scale=x_scale),
            y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "variable:N",
                title=None,
                scale=alt.Scale(domain=labels, range=colors),
                legend=alt.Legend(orient="top") if len(cols) > 1 else None,
            ),
        )
    )
    if own_zoom:
        lines = lines.add_params(zoom)
    fmt = ".0f" if unit in ("%", "hPa") else ".1f"
    fields = [(lab, f"{lab} ({unit})") for lab in labels]
    rule = hover_rule(wide, fields, fmt=fmt, name=f"hover_{cols[0]}")
    return props(layer(lines, rule), height=height)


def history_chart(
    df: pd.DataFrame,
    columns: Sequence[str] = ("temp",),
    units: str = "°C",
    height: int = 300,
    title: str | None = None,
) -> alt.LayerChart | alt.VConcatChart | alt.Chart:
    """Daily history of the common DataFrame: one line per column, NaN days drawn as gaps.

    Columns sharing a unit share a panel (temperatures together, converted to `units`); other
    units get their own panel below, on the same dates. Drag to pan, scroll to zoom the dates.
    The data stays one row per day (the fold to long form happens in the browser), rounded to
    two decimals, so 16 years of daily data stay light.
    """
    if isinstance(columns, str):
        columns = (columns,)
    cols = [c for c in dict.fromkeys(columns) if c in df.columns]
    title = title or "Daily history"
    if df is None or len(df) == 0 or not cols:
        return empty_chart(title, "No data loaded for the chosen variables.")

    data = date_frame(df, cols)
    for c in cols:
        values = to_display_temp(data[c], units) if column_unit(c, units) == units else data[c]
        data[c] = finite_round(values, 2)

    groups: dict[str, list[str]] = {}
    for c in cols:
        groups.setdefault(column_unit(c, units), []).append(c)
    # Zoom and pan in the first panel; the others follow it.
    zoom = alt.selection_interval(encodings=["x"], bind="scales", name="history_zoom")
    cols_by_panel = list(groups.values())
    panels = [
        _panel(data, group, unit, height if i == 0 else max(120, height // 2), zoom, i == 0)
        for i, (unit, group) in enumerate(groups.items())
    ]
    if len(panels) == 1:
        return props(panels[0], title=title)
    chart = alt.vconcat(*panels, title=title).resolve_scale(color="independent")
    # Altair (6.3) attaches a parameter lifted out of a layer inside a concat to *every* layer
    # of that panel, which Vega-Lite rejects ("Duplicate signal name"). Point each one back at
    # the single layer it belongs to.
    views = {  # panel's first column -> (lines view name, rule view name), as Altair named them
        group[0]: (panel.layer[0].name, panel.layer[1].name)
        for group, panel in zip(cols_by_panel, chart.vconcat, strict=True)
    }
    for param in chart.params:
        name = str(param.name)
        if name == "history_zoom":
            param.views = [views[cols_by_panel[0][0]][0]]
        elif name.startswith("hover_"):
            param.views = [views[name[len("hover_") :]][1]]
    return chart
