"""The "Errors" tab: skill against persistence, and the error by month and by horizon."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from ._frames import (
    empty_chart,
    finite_round,
    fit_width,
    fold_fields,
    layer,
    legend_pick,
    model_color,
    model_legend,
    props,
)
from .theme import (
    MODEL_COLORS,
    MONTH_NAMES,
    model_color_scale,
    model_dash_scale,
    model_label,
    model_shape_scale,
    model_sort,
    ordered_models,
    text_on,
)
from .units import to_display_delta


def _metric_rows(metrics: Mapping[str, Mapping[str, float]]) -> pd.DataFrame:
    rows = []
    for m in ordered_models(metrics.keys()):
        vals = metrics[m] or {}
        if "mae" not in vals:  # a baseline that could not be fitted: {"available": False, ...}
            continue
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
    rows["text_on_bar"] = [text_on(MODEL_COLORS.get(k, "#808080")) for k in rows["key"]]
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
    inside = (  # a cut bar: its true value inside the bar, at the axis end, dark or white
        base.transform_filter(alt.datum.cut)  # (whichever reads ≥ 4.5:1 on the bar's colour)
        .mark_text(dx=4, align="left", fontWeight="bold")
        .encode(x=alt.X("label_x:Q"), fill=alt.Fill("text_on_bar:N", scale=None), tooltip=tooltip)
    )
    text = layer(right.encode(text=label), left.encode(text=label), inside.encode(text=label))
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#31333f").encode(x=alt.X("x:Q"))
    height = height or max(120, 34 * len(rows))
    chart = props(layer(bars, text, zero), height=height, title=title)
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
    pick = legend_pick()
    chart = (
        alt.Chart(data)
        .transform_fold(fold_fields(labels), as_=["model", "value"])
        .mark_line(point=alt.OverlayMarkDef(size=45, filled=True))
        .encode(
            x=x,
            y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=True)),
            color=model_color(keys, legend=model_legend(symbolStrokeWidth=0)),
            # dash and marker as well as colour: the models read apart in grey print too
            strokeDash=alt.StrokeDash("model:N", title="Model", scale=model_dash_scale(keys),
                                      sort=model_sort(keys), legend=None),  # the markers key it
            shape=alt.Shape("model:N", title="Model", scale=model_shape_scale(keys),
                            sort=model_sort(keys), legend=model_legend(symbolStrokeWidth=0)),
            opacity=alt.when(pick).then(alt.value(1.0)).otherwise(alt.OpacityValue(0.12)),
            tooltip=[
                x_tooltip,
                *extra_tooltips,
                alt.Tooltip("model:N", title="Model"),
                alt.Tooltip("value:Q", title=y_title, format=".2f"),
            ],
        )
        .add_params(pick)
    )
    return fit_width(props(chart, height=height, title=title))


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
