"""Training curves, drawn live while the networks train: loss per epoch and gradient norm."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from typing import Any

import altair as alt
import pandas as pd

from ._frames import bottom_legend, finite_or_nan, fit_width, layer, props
from .theme import (
    model_color_scale,
    model_dash_scale,
    model_label,
    model_shape_scale,
    model_sort,
    ordered_models,
)

_LOSS_FLOOR = 1e-12  # log scales cannot show 0; an exact zero is drawn at this floor

def _as_dict(log: Any) -> dict:
    """One epoch's log as a dict: an rnn.train.EpochLog (a dataclass) or a mapping."""
    if isinstance(log, Mapping):
        return dict(log)
    return dataclasses.asdict(log)


def _records(logs: Iterable | None) -> list[dict]:
    """Per-epoch logs (EpochLog dataclasses or dicts) → plain dicts. None → []."""
    if logs is None:
        return []
    out = []
    for i, log in enumerate(logs):
        rec = _as_dict(log)
        rec.setdefault("epoch", i + 1)
        out.append(rec)
    return out


def _epochs(histories: Mapping[str, Iterable] | None):
    """({model, label, epoch}, record) for every epoch of every model, in model order."""
    histories = histories or {}
    for model in ordered_models(histories.keys()):
        for rec in _records(histories[model]):
            yield {"model": model, "label": model_label(model),
                          "epoch": int(rec["epoch"])}, rec


def loss_frame(histories: Mapping[str, Iterable] | None) -> pd.DataFrame:
    """Long table: model, label, epoch, split ('train'/'validation'), loss (> 0, finite)."""
    rows = []
    for row, rec in _epochs(histories):
        for split, key in (("train", "train_loss"), ("validation", "val_loss")):
            loss = finite_or_nan(rec.get(key))
            if not math.isnan(loss):
                rows.append({**row, "split": split, "loss": max(loss, _LOSS_FLOOR)})
    return pd.DataFrame(rows, columns=["model", "label", "epoch", "split", "loss"])


def loss_curves_chart(
    histories: Mapping[str, Iterable] | None, height: int = 280, title: str | None = None
) -> alt.LayerChart:
    """Training (solid) and validation (dashed) loss per epoch, one colour per model, log y.

    Works with empty or partial histories, so the app can redraw it after every chunk of epochs.
    Losses are the training loss (forecast/config.py: Huber by default) on the *scaled* target,
    so they have no unit.
    """
    data = loss_frame(histories)
    models = list(dict.fromkeys(data["model"])) or ordered_models((histories or {}).keys())
    base = alt.Chart(data).encode(
        x=alt.X("epoch:Q", title="Epoch", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y(
            "loss:Q",
            title="Loss (log scale)",
            scale=alt.Scale(type="log", nice=False, padding=8),
        ),
        color=alt.Color(
            "label:N",
            title=None,
            scale=model_color_scale(models),
            sort=model_sort(models),
            legend=bottom_legend(),
        ),
        detail=alt.Detail("split:N"),
        tooltip=[
            alt.Tooltip("label:N", title="Model"),
            alt.Tooltip("split:N", title="Data"),
            alt.Tooltip("epoch:Q", title="Epoch"),
            alt.Tooltip("loss:Q", title="Loss", format=".4g"),
        ],
    )
    lines = base.mark_line(strokeWidth=1.8).encode(
        strokeDash=alt.StrokeDash(
            "split:N",
            title="Data",
            scale=alt.Scale(domain=["train", "validation"], range=[[1, 0], [5, 3]]),
            legend=None,  # said in the subtitle: a second legend does not fit a narrow column
        )
    )
    points = base.mark_point(size=30, filled=True, opacity=0.7).encode(
        # a marker per model as well as a colour (same domain and legend: one merged entry)
        shape=alt.Shape("label:N", title=None, scale=model_shape_scale(models),
                        sort=model_sort(models), legend=bottom_legend())
    )
    title = title or "Loss per epoch"
    subtitle = "Solid: training; dashed: validation (the training loss, on scaled values)."
    chart = props(layer(lines, points),
        height=height, title=alt.TitleParams(title, subtitle=subtitle, subtitleFontSize=12)
    )
    return fit_width(chart)


def grad_frame(histories: Mapping[str, Iterable] | None) -> pd.DataFrame:
    """Long table: model, label, epoch, grad_norm (epoch mean, before clipping), clipped."""
    rows = []
    for row, rec in _epochs(histories):
        value = finite_or_nan(rec.get("grad_norm"))
        if not math.isnan(value):
            rows.append({**row, "grad_norm": max(value, _LOSS_FLOOR),
                         "clipped": "clipped" if rec.get("clipped") else "not clipped"})
    return pd.DataFrame(rows, columns=["model", "label", "epoch", "grad_norm", "clipped"])


def _log_domain(values: Iterable[float], pad_factor: float = 1.6) -> list[float] | None:
    """[low, high] around every positive finite value, padded by a factor on a log scale.

    A span under one decade is widened around its geometric middle so the axis gets several ticks
    (a lone value would otherwise make a one-tick axis labelled with a raw float).
    """
    vals = [v for v in values if math.isfinite(v) and v > 0]
    if not vals:
        return None
    lo, hi = min(vals) / pad_factor, max(vals) * pad_factor
    if hi / lo < 10.0:
        mid = math.sqrt(lo * hi)
        lo, hi = mid / math.sqrt(10.0), mid * math.sqrt(10.0)
    return [float(f"{lo:.3g}"), float(f"{hi:.3g}")]


def _stroke_legend() -> alt.Legend:
    """Legend entries drawn as a short line, so each shows its model's colour and dash."""
    return bottom_legend(symbolType="stroke", symbolStrokeWidth=2.5, symbolSize=300)


def grad_norm_chart(
    histories: Mapping[str, Iterable] | None,
    clip: float | None,
    height: int = 260,
    title: str | None = None,
) -> alt.LayerChart:
    """Gradient norm before clipping per epoch (log y) with the clipping threshold as a rule.

    Each point is the epoch's *mean* norm over its mini-batches, so an epoch can sit below the
    rule and still have had a step clipped: crosses (+) mark the epochs where at least one was.
    The y axis always spans the data and the threshold; the legends sit under the plot so they
    do not squeeze it in a narrow column.
    """
    data = grad_frame(histories)
    models = list(dict.fromkeys(data["model"])) or ordered_models((histories or {}).keys())
    clip_value = finite_or_nan(clip)
    has_clip = not math.isnan(clip_value) and clip_value > 0
    domain = _log_domain([*data["grad_norm"], *([clip_value] if has_clip else [])])
    y_scale = (
        alt.Scale(type="log", domain=domain, nice=False)
        if domain
        else alt.Scale(type="log", nice=False, padding=8)
    )
    base = alt.Chart(data).encode(
        x=alt.X("epoch:Q", title="Epoch", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y(
            "grad_norm:Q",
            title="Gradient norm (log scale)",
            scale=y_scale,
            axis=alt.Axis(format="~g", tickCount=6),
        ),
        color=alt.Color(
            "label:N",
            title=None,
            scale=model_color_scale(models),
            sort=model_sort(models),
            legend=_stroke_legend(),  # a line sample per model: its colour and its dash
        ),
        tooltip=[
            alt.Tooltip("label:N", title="Model"),
            alt.Tooltip("epoch:Q", title="Epoch"),
            alt.Tooltip("grad_norm:Q", title="Mean gradient norm", format=".3g"),
            alt.Tooltip("clipped:N", title="Steps"),
        ],
    )
    points = base.mark_point(filled=True).encode(
        size=alt.when(alt.datum.clipped == "clipped").then(alt.value(90))
        .otherwise(alt.SizeValue(30)),
        shape=alt.Shape(
            "clipped:N",
            scale=alt.Scale(domain=["not clipped", "clipped"], range=["circle", "cross"]),
            legend=None,  # explained in the subtitle: a second legend would not fit a column
        )
    )
    layers = [base.mark_line(strokeWidth=1.5).encode(  # a dash per model as well as a colour
        strokeDash=alt.StrokeDash("label:N", title=None, scale=model_dash_scale(models),
                                  sort=model_sort(models), legend=_stroke_legend())), points]
    if has_clip:
        threshold = pd.DataFrame({"clip": [clip_value], "text": [f"clip at {clip_value:g}"]})
        rule = (
            alt.Chart(threshold)
            .mark_rule(color="#808495", strokeDash=[6, 4], strokeWidth=1.5)
            .encode(y=alt.Y("clip:Q"), tooltip=[alt.Tooltip("clip:Q", title="Clip threshold")])
        )
        label = (
            alt.Chart(threshold)
            .mark_text(
                align="right", baseline="bottom", dx=-4, dy=-3, fontSize=12, fontWeight="bold",
                color="#5c5f6e",
            )
            .encode(y=alt.Y("clip:Q"), x=alt.XValue("width"), text=alt.Text("text:N"))
        )
        layers += [rule, label]
    title = title or "Gradient norm per epoch (before clipping)"
    subtitle = "Points: epoch means over mini-batches; + marks an epoch with a clipped step."
    chart = props(layer(*layers),
        height=height, title=alt.TitleParams(title, subtitle=subtitle, subtitleFontSize=12)
    )
    return fit_width(chart)
