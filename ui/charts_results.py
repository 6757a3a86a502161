"""Results after training: forecasts against what happened, skill, error by month and horizon,
and the forecast for the days after the data ends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from ._frames import (
    DATE_FORMAT,
    date_frame,
    empty_chart,
    finite_round,
    fit_width,
    fold_fields,
    hover_rule,
    independent_legend,
    layer,
    legend_pick,
    model_color,
    model_legend,
    props,
)
from .theme import (
    model_color_scale,
    model_dash_scale,
    model_label,
    model_shape_scale,
    model_sort,
    ordered_models,
)
from .units import to_display_temp


def _model_dash(models: Sequence[str], title: str | None = "Model",
                legend: alt.Legend | None = None) -> alt.StrokeDash:
    """Each model's dash pattern; same title, sort and legend as the colour, so the legend merges
    into one entry per model showing both (colour is never the only cue)."""
    return alt.StrokeDash("model:N", title=title, scale=model_dash_scale(models),
                          sort=model_sort(models), legend=legend or model_legend())


def _date(d) -> str:
    return pd.Timestamp(d).strftime("%d %b %Y").lstrip("0")


def _days_shown(dates: pd.Series, days: int | None) -> list[str]:
    """Which test days the first view shows, in short lines (they must fit a 390 px phone)."""
    n = int(pd.Series(dates).nunique())
    first, last = pd.Timestamp(dates.min()), pd.Timestamp(dates.max())
    if days is None or _initial_window(dates, days) is None:
        return [f"All {n} test days: {_date(first)} – {_date(last)}."]
    start = last - pd.Timedelta(days=int(days) - 1)
    return [f"The last {int(days)} of {n} test days: {_date(start)} – {_date(last)}.",
            "Drag or scroll to see the rest."]


# Day ticks read "14 Jun" (the first one "05 Jun 2016"); month ticks "Jul 2016", so a zoomed-out
# view of a year and a half names its years whichever labels the overlap rule keeps.
_DATE_LABEL = (
    "timeFormat(datum.value, date(datum.value) == 1 ? '%b %Y'"
    " : datum.index == 0 ? '%d %b %Y' : '%d %b')"
)


def _date_axis() -> alt.Axis:
    return alt.Axis(labelExpr=_DATE_LABEL, labelOverlap=True)


def _initial_window(dates: pd.Series, days: int | None) -> dict | None:
    """The x interval of the first view: the last `days` days (None when that is all of them)."""
    if days is None or len(dates) == 0:
        return None
    first, last = pd.Timestamp(dates.min()), pd.Timestamp(dates.max())
    start = last - pd.Timedelta(days=int(days) - 1)
    if start <= first:
        return None
    return {
        "x": [alt.DateTime(year=d.year, month=d.month, date=d.day) for d in (start, last)]
    }


LAG_NOTE = [  # what the lines show (issue 21): short lines, they must fit a 390 px phone
    "Every model lags the truth by about a day: a forecast",
    "is mostly today's temperature nudged toward tomorrow.",
]


def forecast_chart(
    predictions: pd.DataFrame,
    units: str = "°C",
    models: Sequence[str] | None = None,
    height: int = 340,
    title: str | None = None,
    initial_days: int | None = 90,
    bands: Mapping[str, pd.DataFrame] | None = None,
    level: int = 80,
) -> alt.LayerChart | alt.Chart:
    """Next-day forecasts over the test days, each model against the observed temperature.

    `predictions`: indexed by date, columns `actual` and one per model (°C). `models` restricts
    the models drawn; `actual` is always drawn when present. Click the legend to focus a model,
    drag/scroll to pan/zoom the dates, hover for every value of that day.

    `bands`: model -> DataFrame indexed like `predictions` with `low` and `high` (°C): that
    model's `level` % likely range, shaded in its colour, and a cross on the observed value of
    every test day that fell outside it (only for models drawn). The subtitle says what the
    lines show (every model lags the truth by about a day) and what the shading means.

    The first view shows the last `initial_days` days (None: all of them); a year and a half of
    seven overlapping lines is a blur. Zoom out or pan to see the rest: every day is in the data.
    The subtitle says which days the first view shows. The date labels carry the year where it
    changes and on the first label. Each model has its own dash pattern as well as its colour.
    """
    title = title or "Next-day forecasts on the test days"
    if predictions is None or len(predictions) == 0:
        return empty_chart(title, "No forecasts yet — train the models first.")
    keys = [c for c in predictions.columns if models is None or c in models or c == "actual"]
    keys = ordered_models(keys)
    if not keys:
        return empty_chart(title, "None of the chosen models has forecasts.")
    data = date_frame(predictions, keys)
    for k in keys:
        data[k] = finite_round(to_display_temp(data[k], units), 2)
    labels = [model_label(k) for k in keys]
    wide = data.rename(columns=dict(zip(keys, labels, strict=True)))

    pick = legend_pick()
    window = _initial_window(wide["date"], initial_days)
    zoom = alt.selection_interval(
        encodings=["x"], bind="scales", value=alt.Undefined if window is None else window
    )
    lines = (
        alt.Chart(wide)
        .transform_fold(fold_fields(labels), as_=["model", "value"])
        .mark_line(clip=True)
        .encode(
            x=alt.X("date:T", title="Date (day forecast)", axis=_date_axis()),
            y=alt.Y("value:Q", title=f"Temperature ({units})", scale=alt.Scale(zero=False)),
            color=model_color(keys),
            strokeDash=_model_dash(keys),
            strokeWidth=alt.when(alt.datum.model == model_label("actual"))
            .then(alt.value(2.6))
            .otherwise(alt.StrokeWidthValue(1.6)),
            opacity=alt.when(pick).then(alt.value(1.0)).otherwise(alt.OpacityValue(0.08)),
        )
        .add_params(pick, zoom)
    )
    rule = hover_rule(wide, [(lab, f"{lab} ({units})") for lab in labels])
    subtitle = LAG_NOTE + _days_shown(wide["date"], initial_days)
    banded = [m for m in keys if m in (bands or {}) and m != "actual"]
    layers: list = [lines, rule]
    if banded and bands is not None:
        subtitle.insert(2, f"Shaded: the {level} % likely range; × a day outside it.")
        band_rows, out_rows = _band_frames(predictions, bands, banded, units)
        fill = _band_fill(keys)
        area = (alt.Chart(band_rows).mark_area(clip=True)  # a legend click picks the band too
                .encode(x=alt.X("date:T"), y=alt.Y("low:Q"), y2=alt.Y2("high:Q"), fill=fill,
                        opacity=alt.when(pick).then(alt.value(0.18))
                        .otherwise(alt.OpacityValue(0.02))))
        crosses = (alt.Chart(out_rows).mark_point(shape="cross", filled=True, size=70, clip=True)
                   .encode(x=alt.X("date:T"), y=alt.Y("value:Q"), fill=fill,
                           opacity=alt.when(pick).then(alt.value(0.9))
                           .otherwise(alt.OpacityValue(0.05)),
                           tooltip=[
                       alt.Tooltip("date:T", title="Date", format=DATE_FORMAT),
                       alt.Tooltip("what:N", title="Outside"),
                       alt.Tooltip("value:Q", title=f"Observed ({units})", format=".1f")]))
        layers = [area, lines, crosses, rule]
    chart = independent_legend(layer(*layers), fill="independent")  # the lines' legend stays
    return fit_width(props(chart,
        height=height, title=alt.TitleParams(title, subtitle=subtitle, subtitleFontSize=12)))


def _band_fill(keys: Sequence[str]) -> alt.Fill:
    """The model's colour as a fill with no legend of its own: on the colour channel a shaded
    layer would fade the lines' legend symbols, and legend=None there drops the legend."""
    return alt.Fill("model:N", scale=model_color_scale(keys), sort=model_sort(keys), legend=None)


def _band_frames(predictions: pd.DataFrame, bands: Mapping[str, pd.DataFrame],
                 banded: Sequence[str], units: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Long frames for the shaded ranges (date, model, low, high) and the days outside them
    (date, model, value = observed, what)."""
    areas, crosses = [], []
    actual = predictions["actual"].astype(float)
    for m in banded:
        b = bands[m].reindex(predictions.index)
        lab = model_label(m)
        areas.append(pd.DataFrame({"date": predictions.index, "model": lab,
                                   "low": finite_round(to_display_temp(b["low"], units), 2),
                                   "high": finite_round(to_display_temp(b["high"], units), 2)}))
        out = (actual < b["low"]) | (actual > b["high"])
        crosses.append(pd.DataFrame({"date": predictions.index[out], "model": lab,
                                     "value": finite_round(to_display_temp(actual[out], units),
                                                           2),
                                     "what": f"{lab}'s range"}))
    area_frame, cross_frame = pd.concat(areas), pd.concat(crosses)
    for f in (area_frame, cross_frame):
        f["date"] = pd.to_datetime(f["date"])
    return area_frame.reset_index(drop=True), cross_frame.reset_index(drop=True)


def _observed_series(history: pd.Series | pd.DataFrame) -> pd.Series:
    if isinstance(history, pd.Series):
        return history
    for col in ("actual", "temp", "target"):
        if col in history.columns:
            return history[col]
    return history.iloc[:, 0]


def future_chart(
    history: pd.Series | pd.DataFrame,
    future: pd.DataFrame | pd.Series,
    units: str = "°C",
    days_of_history: int = 14,
    height: int = 300,
    title: str | None = None,
    models: Sequence[str] | None = None,
    bands: Mapping[str, pd.DataFrame] | None = None,
    level: int = 80,
) -> alt.LayerChart | alt.Chart:
    """The last `days_of_history` observed days, then the forecast for the days after the data.

    `bands`: model -> DataFrame indexed by the forecast dates with `low` and `high` (°C): the
    `level` % likely range, shaded in the model's colour from the last observed day (zero width
    there) outwards — wider each day ahead.

    `history`: Series of the target (°C) with a DatetimeIndex (or a DataFrame with `actual`,
    `temp` or `target`, else its first column). `future`: DataFrame indexed by the forecast
    dates with a column per model (`rnn`, ...), or a Series taken as the RNN's. `models`
    restricts the forecasts drawn. Forecasts are dashed, with one marker shape per model, and
    start from the last observed value; two weeks of history leave the forecast a third of the
    width. One legend (under the plot) names every line with its colour and marker; click an
    entry to show that model alone.
    """
    title = title or "The next days, beyond the data"
    if isinstance(future, pd.Series):
        future = future.to_frame("rnn")
    if history is None or len(history) == 0 or future is None or len(future) == 0:
        return empty_chart(title, "No forecast beyond the data yet.")
    observed = _observed_series(history).astype(float).dropna().tail(int(days_of_history))
    if observed.empty:
        return empty_chart(title, "No observed days to continue from.")
    last_day, last_value = observed.index[-1], float(observed.iloc[-1])

    keys = ordered_models(
        [c for c in future.columns if c != "actual" and (models is None or c in models)]
    )
    rows = [
        {"date": d, "model": model_label("actual"), "value": v, "kind": "observed"}
        for d, v in observed.items()
    ]
    for k in keys:
        rows.append(  # start each forecast at the last observed value: one connected line
            {"date": last_day, "model": model_label(k), "value": last_value, "kind": "anchor"}
        )
        rows += [
            {"date": d, "model": model_label(k), "value": float(v), "kind": "forecast"}
            for d, v in future[k].astype(float).items()
        ]
    data = pd.DataFrame(rows)
    data["date"] = pd.to_datetime(data["date"])
    data["value"] = finite_round(to_display_temp(data["value"], units), 2)
    all_keys = ["actual", *keys]

    pick = legend_pick()
    legend = alt.Legend(orient="bottom", direction="horizontal", symbolStrokeWidth=3,
                        labelLimit=160, columnPadding=14, columns=2)  # fmt: skip
    color = model_color(all_keys, title=None, legend=legend)
    # one marker shape per model (same title, sort and legend as the colour: one merged legend)
    shape = alt.Shape("model:N", title=None, scale=model_shape_scale(all_keys),
                      sort=model_sort(all_keys), legend=legend)
    base = alt.Chart(data).encode(
        x=alt.X(
            "date:T",
            title="Date",
            axis=alt.Axis(format="%d %b", labelOverlap=True),
            scale=alt.Scale(padding=10),  # room for the last day's diamond
        ),
        y=alt.Y("value:Q", title=f"Temperature ({units})", scale=alt.Scale(zero=False)),
        color=color,
        shape=shape,
        # the observed days stay drawn when one model is picked: it is what it continues from
        opacity=alt.when(pick)
        .then(alt.value(1.0))
        .when(alt.datum.model == model_label("actual"))
        .then(alt.value(1.0))
        .otherwise(alt.OpacityValue(0.1)),
    )
    tooltip = [
        alt.Tooltip("date:T", title="Date", format=DATE_FORMAT),
        alt.Tooltip("model:N", title="Series"),
        alt.Tooltip("kind:N", title="Kind"),
        alt.Tooltip("value:Q", title=f"Temperature ({units})", format=".1f"),
    ]
    observed_line = (
        base.transform_filter(alt.datum.kind == "observed")
        .mark_line(strokeWidth=2.4, point=alt.OverlayMarkDef(size=30, filled=True))
        .encode(tooltip=tooltip)
        .add_params(pick)
    )
    forecast_line = base.transform_filter(alt.datum.kind != "observed").mark_line(
        strokeDash=[6, 3], strokeWidth=2
    )
    points = (
        base.transform_filter(alt.datum.kind == "forecast")
        .mark_point(filled=True, size=70)
        .encode(tooltip=tooltip)
    )
    marker = pd.DataFrame({"date": [pd.Timestamp(last_day)], "text": ["last observed day"]})
    rule = alt.Chart(marker).mark_rule(color="#808495", strokeDash=[2, 2]).encode(x=alt.X("date:T"))
    label = (
        alt.Chart(marker)
        .mark_text(align="right", baseline="top", dx=-4, dy=4, color="#808495")
        .encode(x=alt.X("date:T"), y=alt.YValue(0), text=alt.Text("text:N"))
    )
    subtitle = [  # short lines: they must fit a 390 px phone
        "Solid: observed. Dashed: each model's forecast",
        "from the last observed day, one marker per model.",
        "Click a legend entry to show one model alone.",
    ]
    layers: list = [observed_line, forecast_line, points, rule, label]
    banded = [k for k in keys if k in (bands or {})]
    if banded and bands is not None:
        subtitle.append(f"Shaded: the {level} % likely range.")
        rows = [{"date": last_day, "model": model_label(k), "low": last_value,
                 "high": last_value} for k in banded]
        rows += [{"date": d, "model": model_label(k), "low": float(r["low"]),
                  "high": float(r["high"])} for k in banded for d, r in bands[k].iterrows()]
        area = pd.DataFrame(rows)
        area["date"] = pd.to_datetime(area["date"])
        for c in ("low", "high"):
            area[c] = finite_round(to_display_temp(area[c], units), 2)
        layers.insert(0, alt.Chart(area).mark_area(opacity=0.18).encode(
            x=alt.X("date:T"), y=alt.Y("low:Q"), y2=alt.Y2("high:Q"), fill=_band_fill(all_keys)))
    chart = props(independent_legend(layer(*layers), fill="independent"),
        height=height, title=alt.TitleParams(title, subtitle=subtitle, subtitleFontSize=12)
    )
    return fit_width(chart)
