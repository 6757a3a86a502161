"""Small shared helpers: DataFrames shaped for Altair, empty-state charts, hover rules.

Every chart in ui/ gives each encoding as a channel object — alt.X("date:T"), alt.Text(...),
alt.YValue(0), a condition ending in .otherwise(alt.OpacityValue(0.1)) — never as a string, a
dict or alt.value(...): those make Altair look the channel's class up through the Vega-Lite schema
(SchemaBase.from_dict), about a quarter of the CPU of building the charts, for the same spec.
tests/ui/test_charts_encodings.py fails on any such lookup.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import altair as alt
import numpy as np
import pandas as pd

from .theme import DEFAULT_HEIGHT, model_color_scale, model_sort

DATE_FORMAT = "%a %d %b %Y"


def date_frame(obj: pd.DataFrame | pd.Series, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A copy with the DatetimeIndex as a `date` column (NaN rows kept: they draw as gaps)."""
    df = obj.to_frame() if isinstance(obj, pd.Series) else obj
    if columns is not None:
        df = df[[c for c in columns if c in df.columns]]
    out = df.copy()
    out.index = pd.DatetimeIndex(pd.to_datetime(out.index), name="date")
    out = out.reset_index()
    for c in out.columns:
        if c != "date":
            out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    return out


def finite_or_nan(value) -> float:
    """A float for a table cell or a chart point: NaN (shown as missing) for None, text or ±inf."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return math.nan
    return v if math.isfinite(v) else math.nan


def finite_round(values, digits: int = 3):
    """Round floats for a smaller spec; inf becomes NaN (drawn as missing, never as a spike)."""
    arr = np.asarray(values, dtype=float)
    arr = np.where(np.isfinite(arr), arr, np.nan)
    return np.round(arr, digits)


def empty_chart(title: str, message: str = "Nothing to show yet.", height: int = 120) -> alt.Chart:
    """A valid chart that says why it is empty (so the app can always draw *something*)."""
    chart = (
        alt.Chart(pd.DataFrame({"message": [message]}))
        .mark_text(size=14, color="#808495")
        .encode(text=alt.Text("message:N"))
    )
    return props(chart, title=title, height=height)


def hover_rule(
    data: pd.DataFrame,
    fields: Sequence[tuple[str, str]],
    x_title: str = "Date",
    fmt: str = ".1f",
    name: str | None = None,
) -> alt.Chart:
    """An invisible-until-hovered vertical rule whose tooltip lists every series on that day.

    `data` is wide (one row per date), `fields` pairs (column, title). One tooltip per day with
    all values is easier to read than hunting for a one-pixel line.
    """
    nearest = alt.selection_point(
        name=name,
        nearest=True, on="pointerover", fields=["date"], empty=False, clear="pointerout"
    )
    tooltip = [alt.Tooltip("date:T", title=x_title, format=DATE_FORMAT)] + [
        alt.Tooltip(field=col, type="quantitative", title=title, format=fmt)
        for col, title in fields
    ]
    return (
        alt.Chart(data)
        .mark_rule(color="#808495", strokeWidth=1)
        .encode(
            x=alt.X("date:T"),
            opacity=alt.when(nearest).then(alt.value(0.7)).otherwise(alt.OpacityValue(0.0)),
            tooltip=tooltip,
        )
        .add_params(nearest)
    )


def fit_width(chart):
    """Stretch to the container's width but keep `height` as the plot's own height.

    Streamlit's theme sizes a chart with autosize "fit": the given height then includes the title,
    legends and axis labels, which squashes the plot in a narrow column (a 260 px chart with a
    title and two legends kept ~60 px for the data). "fit-x" fits the width only; titles and
    legends add to the height. Only for single or layered charts (Vega-Lite cannot fit a concat).
    """
    return props(chart, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def bottom_legend(**kwargs) -> alt.Legend:
    """A compact one-row legend under the plot: it never narrows the plot in a two-column layout
    (a legend at the side or two at the top took the width or the height the data needed)."""
    opts = dict(orient="bottom", direction="horizontal", title=None, labelFontSize=12,
                symbolSize=70, columnPadding=12, labelLimit=160)  # fmt: skip
    return alt.Legend(**{**opts, **kwargs})


def height_or_default(height: int | None) -> int:
    return DEFAULT_HEIGHT if height is None else int(height)


def fold_fields(names: Iterable[str]) -> list[str | alt.FieldName]:
    """Column names for Chart.transform_fold, typed as altair declares them."""
    return list(names)


def legend_pick() -> alt.Parameter:
    """Click a legend entry to show that model alone (shift-click adds); double-click resets."""
    return alt.selection_point(fields=["model"], bind="legend")


def model_legend(**kwargs) -> alt.Legend:
    # two columns: one row of seven models overflowed even at 1280 px and lost most of its
    # entries on a phone; a 2-column grid fits 390 px
    return alt.Legend(**{"orient": "top", "symbolStrokeWidth": 3, "columns": 2,
                         "labelLimit": 160, **kwargs})


def model_color(models: Sequence[str], title: str | None = "Model",
                legend: alt.Legend | None = None) -> alt.Color:
    return alt.Color(
        "model:N",
        title=title,
        scale=model_color_scale(models),
        sort=model_sort(models),
        legend=legend or model_legend(),
    )


# Day ticks read "14 Jun" (the first one "05 Jun 2016"); month ticks "Jul 2016", so a zoomed-out
# view of a year and a half names its years whichever labels the overlap rule keeps.


def props(chart, **properties):
    """``chart.properties(**properties)`` without Altair checking each one against the schema as
    it is set (a fifth of building a chart once its encodings are channel objects): the finished
    chart is validated in tests/ui."""
    copy = chart.copy(deep=False)
    for key, value in properties.items():
        setattr(copy, key, value)
    return copy


def skip_part_checks() -> None:
    """Altair checks each part of a chart against the Vega-Lite schema as it is made ("debug
    mode"), which cost a served results page about 0.1 s of CPU per run. The app's charts are
    fixed code: the server turns this off (app/built.py) and tests/ui validates every finished
    chart (``to_dict``)."""
    alt.utils.schemapi.disable_debug_mode()
