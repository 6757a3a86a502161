"""Small shared helpers: DataFrames shaped for Altair, empty-state charts, hover rules.

Every chart in ui/ gives each encoding as a channel object — alt.X("date:T"), alt.Text(...),
alt.YValue(0), a condition ending in .otherwise(alt.OpacityValue(0.1)) — never as a string, a
dict or alt.value(...): those make Altair look the channel's class up through the Vega-Lite schema
(SchemaBase.from_dict), about a quarter of the CPU of building the charts, for the same spec.
tests/ui/test_charts_encodings.py fails on any such lookup.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from .theme import DEFAULT_HEIGHT, model_color_scale, model_sort

DATE_FORMAT = "%a %d %b %Y"
VIEW_NUMBERS = itertools.count(1)  # names of layers whose selections are lifted (``layer``)


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
    """``chart.properties(**properties)`` as a shallow copy that skips the chart's constructor.

    Altair checks each property against the schema as it is set, and its ``copy()`` builds the
    chart again: for a layered chart that lifts every layer's selections to the top once more,
    each lift checked against the schema — the forecast chart was built five times over (37 ms
    of CPU per chart; 11 ms like this). The finished chart is validated in tests/ui."""
    copy = object.__new__(type(chart))
    object.__setattr__(copy, "_args", chart._args)  # how Altair's own copy keeps its fields
    object.__setattr__(copy, "_kwds", {**chart._kwds, **properties})
    return copy


def layer(*charts: Any) -> Any:
    """``alt.layer(*charts)`` with each layer's selections lifted to the top by hand.

    Vega-Lite wants a layered chart's selections at its top, naming the layers they apply to;
    Altair lifts them when it builds the layered chart, checking every selection against the
    schema once per layer and again whenever the chart is copied (most of building the forecast
    chart). Here each layer that has selections gets a name and its selections move up as they
    are; a selection shared by layers names all of them. Same spec as Altair's, but the names."""
    lifted: dict[str, dict] = {}
    layers = []
    for chart in charts:
        params = getattr(chart, "params", alt.Undefined)
        if not isinstance(params, list) or not params:  # Undefined, or none
            layers.append(chart)
            continue
        # no "_<digits>" ending: inside a concat Altair swaps that ending for the panel's number,
        # which would give every layer of a panel the same name
        name = chart.name if chart.name is not alt.Undefined else f"lift{next(VIEW_NUMBERS)}"
        for param in params:
            spec = param.to_dict(validate=False)
            if isinstance(param, alt.VariableParameter):
                lifted.setdefault(spec["name"], spec)
            else:
                lifted.setdefault(spec["name"], {**spec, "views": []})["views"].append(name)
        layers.append(props(chart, params=alt.Undefined, name=name))
    top = alt.layer(*layers)
    if not lifted:
        return top
    return props(top, params=[alt.TopLevelSelectionParameter(**d) if "views" in d
                              else alt.VariableParameter(**d) for d in lifted.values()])


def independent_legend(chart: Any, **channels: Any) -> Any:
    """``chart.resolve_legend(**channels)`` without building the chart again (``props``): the
    legend's resolution replaced, the axes' and scales' kept."""
    kept = {} if chart.resolve is alt.Undefined else dict(chart.resolve._kwds)
    return props(chart, resolve=alt.Resolve(**{**kept,
                                               "legend": alt.LegendResolveMap(**channels)}))


def skip_part_checks() -> None:
    """Altair checks each part of a chart against the Vega-Lite schema as it is made ("debug
    mode"), which cost a served results page about 0.1 s of CPU per run. The app's charts are
    fixed code: the server turns this off (app/built.py) and tests/ui validates every finished
    chart (``to_dict``)."""
    alt.utils.schemapi.disable_debug_mode()
