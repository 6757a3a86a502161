"""The picture under the headline: every model's average miss with its range, persistence as the
reference line. Records in, altair chart out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from ._frames import empty_chart, finite_round, layer, props
from .theme import MODEL_COLORS, model_color_scale, model_label, ordered_models
from .units import to_display_delta

EMPHASISED = ("rnn", "dense")  # the lab's question: the RNN against the network without memory
ROW_PX = 30  # one model per row
FAR = 1.25  # a model missing by more than this × the others' largest miss sits at the axis end


def miss_chart(rows: Sequence[Mapping] | pd.DataFrame,
               units: str = "°C") -> alt.TopLevelMixin:
    """Dots and whiskers, one row per model, x = average miss (MAE) in ``units``.

    rows: {"model", "mae", "low", "high"} in °C (forecast.headline.miss_rows): ``low``–``high`` is
    where the model's miss could be against the RNN's (NaN: no whisker). The RNN's own miss is a
    thin line in its colour, so a whisker that reaches it is a tie; persistence ("tomorrow =
    today") is also the dashed grey reference line. The RNN and the memoryless network are drawn
    large and bold, the others faint. A model far beyond persistence (climatology often is) is
    drawn at the axis's right end, marked ▶ and labelled with its true value, so it does not
    squeeze the models that matter together. Every number shows two decimals.
    """
    frame = pd.DataFrame(list(rows) if not isinstance(rows, pd.DataFrame) else rows)
    if frame.empty:
        return empty_chart("Average miss", "No scores yet — train the models first.")
    for c in ("mae", "low", "high"):
        frame[c] = finite_round(to_display_delta(frame[c].astype(float), units), 2)
    keys = ordered_models(frame["model"])
    frame["label"] = frame["model"].map(model_label)
    frame["emphasis"] = frame["model"].isin(EMPHASISED)
    edge = _right_edge(frame)
    far = frame["mae"] > edge
    frame["x"] = frame["mae"].where(~far, edge)
    frame["text"] = frame["mae"].map(lambda v: f"{v:.2f}") + far.map({True: " ▶", False: ""})
    frame.loc[far, ["low", "high"]] = float("nan")  # its range would leave the picture too
    frame["high"] = frame["high"].clip(upper=edge)
    order = [model_label(k) for k in keys]
    bold = "indexof([" + ", ".join(f"'{model_label(k)}'" for k in EMPHASISED) + "], datum.label)"
    y = alt.Y("label:N", sort=order, title=None,
              axis=alt.Axis(labelFontWeight=alt.ExprRef(expr=f"{bold} >= 0 ? 'bold' : 'normal'"),
                            labelFontSize=13, labelLimit=240, labelOverlap=False, ticks=False,
                            domain=False))
    x_title = f"Average miss ({units})"
    scale = alt.Scale(domain=[float(frame[["x", "low"]].min().min()) - 0.02, edge + 0.02],
                      nice=False, zero=False)
    x = alt.X("x:Q", title=x_title, scale=scale, axis=alt.Axis(format=".2f", tickCount=6))
    color = alt.Color("label:N", scale=model_color_scale(keys), legend=None)
    tooltip = [alt.Tooltip("label:N", title="Model"),
               alt.Tooltip("mae:Q", title=f"Average miss ({units})", format=".2f"),
               alt.Tooltip("low:Q", title="Could be from", format=".2f"),
               alt.Tooltip("high:Q", title="to", format=".2f")]
    opacity = alt.condition("datum.emphasis", alt.value(1.0), alt.OpacityValue(0.5))
    base = alt.Chart(frame)
    layers = [
        base.mark_rule(strokeWidth=2.5).encode(
            x=alt.X("low:Q", scale=scale, title=x_title), x2=alt.X2("high:Q"), y=y, color=color,
            opacity=opacity),
        base.mark_point(filled=True).encode(
            x=x, y=y, color=color, opacity=opacity, tooltip=tooltip,
            size=alt.condition("datum.emphasis", alt.value(200), alt.SizeValue(80))),
        base.mark_text(align="left", dx=9, dy=-10, fontSize=12).encode(
            x=x, y=y, text=alt.Text("text:N"), opacity=opacity),
    ]
    for key, dash in (("persistence", [6, 4]), ("rnn", [1, 0])):  # the two reference lines
        line = frame[frame["model"] == key]
        if not line.empty:
            layers.insert(0, alt.Chart(line).mark_rule(
                strokeDash=dash, strokeWidth=1.2, opacity=0.7,
                color=MODEL_COLORS["rnn"] if key == "rnn" else "#808495").encode(x=x))
    return props(layer(*layers), height=alt.Step(ROW_PX))


def _right_edge(frame: pd.DataFrame) -> float:
    """Where the axis ends: beyond persistence, the emphasised models and every model within
    ``FAR`` times their largest value (ranges included); models farther off sit at the end."""
    core = frame[frame["model"].isin((*EMPHASISED, "persistence"))]
    core = core if not core.empty else frame
    top = float(pd.concat([core["mae"], core["high"]]).max())
    near = frame[frame["mae"] <= FAR * top]
    top = float(pd.concat([near["mae"], near["high"], pd.Series([top])]).max())
    return round(top + 0.05 * max(top - float(frame["mae"].min()), 0.2), 2)
