"""Results after training: forecasts against what happened, skill, error by month and horizon,
and the forecast for the days after the data ends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from ._frames import (
    DATE_FORMAT,
    date_frame,
    empty_chart,
    finite_round,
    fit_width,
    fold_fields,
    hover_rule,
)
from .theme import MONTH_NAMES, model_color_scale, model_label, model_sort, ordered_models
from .units import to_display_delta, to_display_temp


def _legend_pick() -> alt.Parameter:
    """Click a legend entry to show that model alone (shift-click adds); double-click resets."""
    return alt.selection_point(fields=["model"], bind="legend")


def _model_color(models: Sequence[str], title: str | None = "Model") -> alt.Color:
    return alt.Color(
        "model:N",
        title=title,
        scale=model_color_scale(models),
        sort=model_sort(models),
        legend=alt.Legend(orient="top", symbolStrokeWidth=3),
    )


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


def forecast_chart(
    predictions: pd.DataFrame,
    units: str = "°C",
    models: Sequence[str] | None = None,
    height: int = 340,
    title: str | None = None,
    initial_days: int | None = 90,
) -> alt.LayerChart | alt.Chart:
    """Next-day forecasts over the test days, each model against the observed temperature.

    `predictions`: indexed by date, columns `actual` and one per model (°C). `models` restricts
    the models drawn; `actual` is always drawn when present. Click the legend to focus a model,
    drag/scroll to pan/zoom the dates, hover for every value of that day.

    The first view shows the last `initial_days` days (None: all of them); a year and a half of
    seven overlapping lines is a blur. Zoom out or pan to see the rest: every day is in the data.
    The date labels carry the year where it changes and on the first label.
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

    pick = _legend_pick()
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
            color=_model_color(keys),
            strokeWidth=alt.when(alt.datum.model == model_label("actual"))
            .then(alt.value(2.6))
            .otherwise(alt.value(1.6)),
            opacity=alt.when(pick).then(alt.value(1.0)).otherwise(alt.value(0.08)),
        )
        .add_params(pick, zoom)
    )
    rule = hover_rule(wide, [(lab, f"{lab} ({units})") for lab in labels])
    return fit_width(alt.layer(lines, rule).properties(height=height, title=title))


def _metric_rows(metrics: Mapping[str, Mapping[str, float]]) -> pd.DataFrame:
    rows = []
    for m in ordered_models(metrics.keys()):
        vals = metrics[m] or {}
        rows.append(
            {
                "model": model_label(m),
                "key": m,
                **{k: float(vals[k]) if vals.get(k) is not None else np.nan for k in vals},
            }
        )
    return pd.DataFrame(rows)


def _signed_percent(value: float) -> str:
    if not np.isfinite(value):
        return ""
    return f"{value:+.1f} %".replace("-", "−")


def skill_chart(
    metrics: Mapping[str, Mapping[str, float]],
    units: str = "°C",
    height: int | None = None,
    title: str | None = None,
    min_skill_pct: float | None = -20.0,
) -> alt.LayerChart | alt.Chart:
    """Skill vs persistence (1 − MAE / MAE of "tomorrow = today") as horizontal bars, in %.

    Right of the zero line = better than persistence; left = worse. The axis stops at
    `min_skill_pct` (None: never) so one far-off baseline (climatology is often −50 %) does not
    shrink the bars that matter to slivers; a bar cut there is clamped at the edge, marked ◀ and
    labelled with its true value.
    """
    title = title or "Skill vs persistence (right of 0 = better than “tomorrow = today”)"
    rows = _metric_rows(metrics or {})
    if rows.empty or "skill" not in rows:
        return empty_chart(title, "No metrics yet — train the models first.")
    rows = rows[rows["key"] != "actual"].copy()
    rows["skill_pct"] = finite_round(rows["skill"] * 100.0, 1)
    if "mae" in rows:
        rows["mae_display"] = finite_round(to_display_delta(rows["mae"], units), 2)
    keys = list(rows["key"])
    order = list(rows.sort_values("skill_pct", ascending=False)["model"])
    tooltip = [
        alt.Tooltip("model:N", title="Model"),
        alt.Tooltip("skill_pct:Q", title="Skill vs persistence (%)", format="+.1f"),
    ]
    if "mae_display" in rows:
        tooltip.append(alt.Tooltip("mae_display:Q", title=f"MAE ({units})", format=".2f"))
    finite = rows["skill_pct"].notna().any()
    lo = min(0.0, float(np.nanmin(rows["skill_pct"]))) if finite else 0.0
    hi = max(0.0, float(np.nanmax(rows["skill_pct"]))) if finite else 0.0
    floor = lo if min_skill_pct is None else max(lo, min(0.0, float(min_skill_pct)))
    cut = floor > lo  # at least one bar runs past the left end of the axis
    pad = max(2.0, 0.15 * (hi - floor))  # room for the value labels at the ends of the bars
    x_lo = floor if cut else floor - (pad if floor < 0 else 0)
    rows["cut"] = rows["skill_pct"] < x_lo
    rows["label_x"] = np.where(rows["cut"], x_lo, rows["skill_pct"])
    rows["skill_text"] = [
        ("◀ " if c else "") + _signed_percent(v)
        for v, c in zip(rows["skill_pct"], rows["cut"], strict=True)
    ]
    y = alt.Y("model:N", title=None, sort=order, axis=alt.Axis(labelLimit=220))
    base = alt.Chart(rows).encode(
        y=y,
        x=alt.X(
            "skill_pct:Q",
            title="Skill vs persistence (%)",
            scale=alt.Scale(domain=[x_lo, hi + pad], nice=False, clamp=True),
        ),
    )
    bars = base.mark_bar(cornerRadiusEnd=3).encode(
        color=alt.Color("model:N", scale=model_color_scale(keys), legend=None),
        tooltip=tooltip,
    )
    label = alt.Text("skill_text:N")
    right = base.transform_filter(alt.datum.skill_pct >= 0).mark_text(
        dx=4, align="left", color="#31333f"
    )
    left = base.transform_filter((alt.datum.skill_pct < 0) & ~alt.datum.cut).mark_text(
        dx=-4, align="right", color="#31333f"
    )
    inside = (  # a cut bar: its true value inside the bar, at the axis end
        base.transform_filter(alt.datum.cut)
        .mark_text(dx=4, align="left", color="white", fontWeight="bold")
        .encode(x="label_x:Q", tooltip=tooltip)
    )
    text = alt.layer(right.encode(text=label), left.encode(text=label), inside.encode(text=label))
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#31333f").encode(x="x:Q")
    height = height or max(120, 34 * len(rows))
    chart = alt.layer(bars, text, zero).properties(height=height, title=title)
    return fit_width(chart)


def _model_lines(
    wide: pd.DataFrame,
    x: alt.X,
    x_field: str,
    keys: Sequence[str],
    y_title: str,
    x_tooltip: alt.Tooltip,
    height: int,
    title: str | alt.TitleParams,
    extra_tooltips: Sequence[alt.Tooltip] = (),
) -> alt.Chart:
    """Lines with points from a wide frame (x column + one column per model key)."""
    labels = [model_label(k) for k in keys]
    data = wide.rename(columns=dict(zip(keys, labels, strict=True)))
    pick = _legend_pick()
    chart = (
        alt.Chart(data)
        .transform_fold(fold_fields(labels), as_=["model", "value"])
        .mark_line(point=alt.OverlayMarkDef(size=45, filled=True))
        .encode(
            x=x,
            y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=True)),
            color=_model_color(keys),
            opacity=alt.when(pick).then(alt.value(1.0)).otherwise(alt.value(0.12)),
            tooltip=[
                x_tooltip,
                *extra_tooltips,
                alt.Tooltip("model:N", title="Model"),
                alt.Tooltip("value:Q", title=y_title, format=".2f"),
            ],
        )
        .add_params(pick)
        .properties(height=height, title=title)
    )
    return fit_width(chart)


def _error_frame(table: pd.DataFrame, units: str, index_name: str) -> tuple[pd.DataFrame, list]:
    keys = ordered_models([c for c in table.columns if c != "actual"])
    wide = table[keys].apply(pd.to_numeric, errors="coerce").astype(float)
    for k in keys:
        wide[k] = finite_round(to_display_delta(wide[k], units), 3)
    wide.index = pd.Index(np.asarray(table.index, dtype=int), name=index_name)
    return wide.reset_index(), keys


def monthly_error_chart(
    monthly_mae: pd.DataFrame,
    units: str = "°C",
    height: int = 300,
    title: str | None = None,
    counts: pd.Series | Mapping[int, int] | None = None,
) -> alt.Chart:
    """MAE per calendar month of the test days: index month 1..12, one column per model.

    Months without test days (every model NaN, or a zero in `counts`) are left off the axis
    rather than drawn as empty slots. `counts` (test days per month, indexed 1..12) adds the
    number of days behind each point to the tooltip.
    """
    title = title or "Error by month (MAE on the test days)"
    if monthly_mae is None or monthly_mae.empty:
        return empty_chart(title, "No monthly errors yet.")
    wide, keys = _error_frame(monthly_mae, units, "month")
    has_value = wide[keys].notna().any(axis=1)
    extra: list[alt.Tooltip] = []
    if counts is not None:
        per_month = pd.Series(counts, dtype=float)
        per_month.index = pd.Index(np.asarray(per_month.index, dtype=int))
        wide["test_days"] = wide["month"].map(per_month).fillna(0).astype(int)
        has_value &= wide["test_days"] > 0
        extra.append(alt.Tooltip("test_days:Q", title="Test days", format="d"))
    wide = wide[has_value].reset_index(drop=True)
    if wide.empty:
        return empty_chart(title, "No month has test days.")
    wide["month_name"] = [MONTH_NAMES[(m - 1) % 12] for m in wide["month"]]
    shown = [MONTH_NAMES[(m - 1) % 12] for m in sorted(set(wide["month"]))]
    x = alt.X("month_name:O", title="Month", sort=shown, axis=alt.Axis(labelAngle=0))
    tip = alt.Tooltip("month_name:O", title="Month")
    heading: str | alt.TitleParams = title
    if len(shown) < 12:
        heading = alt.TitleParams(
            title, subtitle="Months without test days are left out.", subtitleFontSize=12
        )
    return _model_lines(
        wide, x, "month_name", keys, f"MAE ({units})", tip, height, heading, extra_tooltips=extra
    )


def horizon_error_chart(
    horizon_mae: pd.DataFrame, units: str = "°C", height: int = 300, title: str | None = None
) -> alt.Chart:
    """MAE by forecast horizon: index 1..7 days ahead, one column per model."""
    title = title or "Error by horizon (forecasting further ahead)"
    if horizon_mae is None or horizon_mae.empty:
        return empty_chart(title, "No multi-day errors yet.")
    wide, keys = _error_frame(horizon_mae, units, "horizon")
    x = alt.X(
        "horizon:Q",
        title="Days ahead",
        axis=alt.Axis(tickMinStep=1, format="d"),
        scale=alt.Scale(domain=[1, max(2, int(wide["horizon"].max()))], nice=False),
    )
    tip = alt.Tooltip("horizon:Q", title="Days ahead")
    return _model_lines(wide, x, "horizon", keys, f"MAE ({units})", tip, height, title)


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
) -> alt.LayerChart | alt.Chart:
    """The last `days_of_history` observed days, then the forecast for the days after the data.

    `history`: Series of the target (°C) with a DatetimeIndex (or a DataFrame with `actual`,
    `temp` or `target`, else its first column). `future`: DataFrame indexed by the forecast
    dates with a column per model (`rnn`, ...), or a Series taken as the RNN's. `models`
    restricts the forecasts drawn. Forecasts are dashed with diamonds and start from the last
    observed value; two weeks of history leave the forecast a third of the width. One legend
    (under the plot) names every line; click an entry to show that model alone.
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

    pick = _legend_pick()
    color = _model_color(all_keys, title=None).legend(
        orient="bottom", direction="horizontal", symbolStrokeWidth=3, labelLimit=160,
        columnPadding=14)  # fmt: skip
    base = alt.Chart(data).encode(
        x=alt.X(
            "date:T",
            title="Date",
            axis=alt.Axis(format="%d %b", labelOverlap=True),
            scale=alt.Scale(padding=10),  # room for the last day's diamond
        ),
        y=alt.Y("value:Q", title=f"Temperature ({units})", scale=alt.Scale(zero=False)),
        color=color,
        # the observed days stay drawn when one model is picked: it is what it continues from
        opacity=alt.when(pick)
        .then(alt.value(1.0))
        .when(alt.datum.model == model_label("actual"))
        .then(alt.value(1.0))
        .otherwise(alt.value(0.1)),
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
        .mark_point(shape="diamond", filled=True, size=60)
        .encode(tooltip=tooltip)
    )
    marker = pd.DataFrame({"date": [pd.Timestamp(last_day)], "text": ["last observed day"]})
    rule = alt.Chart(marker).mark_rule(color="#808495", strokeDash=[2, 2]).encode(x="date:T")
    label = (
        alt.Chart(marker)
        .mark_text(align="right", baseline="top", dx=-4, dy=4, color="#808495")
        .encode(x="date:T", y=alt.value(0), text="text:N")
    )
    subtitle = (
        "Solid: observed. Dashed with diamonds: each model's forecast from the last observed "
        "day. Click a legend entry to show one model alone."
    )
    chart = alt.layer(observed_line, forecast_line, points, rule, label).properties(
        height=height, title=alt.TitleParams(title, subtitle=subtitle, subtitleFontSize=12)
    )
    return fit_width(chart)
