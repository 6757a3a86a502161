"""The memory curve: the RNN's test MAE as its window grows, beside the memoryless network.

Input: forecast.memory_curve's list of {"window", "rnn", "dense"} (°C) or the same as a
DataFrame. The RNN is a solid line with round markers; the memoryless network a dashed line with
square markers, so the two read apart without colour.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from ._frames import (
    bottom_legend,
    empty_chart,
    finite_round,
    fit_width,
    height_or_default,
    layer,
    props,
)
from .theme import model_color_scale, model_label
from .units import to_display_delta

SERIES = ("rnn", "dense")
STYLE = {  # model -> (dash, marker shape)
    "rnn": ([1, 0], "circle"),
    "dense": ([6, 4], "square"),
}


def _long(curve: Sequence[dict] | pd.DataFrame, units: str) -> pd.DataFrame:
    """One row per (window, model) with the MAE in display units, finite values only."""
    frame = pd.DataFrame(curve)
    if frame.empty or "window" not in frame or not set(SERIES) <= set(frame.columns):
        return pd.DataFrame(columns=["window", "model", "mae"])
    frame = frame[["window", *SERIES]].sort_values("window")
    rows = frame.melt(id_vars="window", var_name="key", value_name="mae")
    rows["mae"] = finite_round(to_display_delta(rows["mae"].astype(float).to_numpy(), units), 3)
    rows["model"] = [model_label(k) for k in rows["key"]]
    return rows.dropna(subset=["mae"]).reset_index(drop=True)


def memory_curve_chart(
    curve: Sequence[dict] | pd.DataFrame,
    units: str = "°C",
    height: int | None = None,
    title: str | None = None,
) -> alt.Chart:
    """Test MAE (y) against the window in days (x, one tick per window trained) for both nets."""
    title = title or "Does memory help? Error by window"
    rows = _long(curve, units)
    if rows.empty:
        return empty_chart(title, "No memory curve yet — run the memory experiment.")
    windows = sorted(int(w) for w in rows["window"].unique())
    labels = [model_label(k) for k in SERIES]
    color = alt.Color("model:N", scale=model_color_scale(SERIES), sort=labels,
                      legend=bottom_legend())
    # one legend: colour and marker share field, sort and legend settings, so they merge into one
    # entry per model; the dash is said in the subtitle (a dashed square symbol reads as noise)
    dash = alt.StrokeDash("model:N", sort=labels, legend=None,
                          scale=alt.Scale(domain=labels, range=[STYLE[k][0] for k in SERIES]))
    shape = alt.Shape("model:N", sort=labels, legend=bottom_legend(),
                      scale=alt.Scale(domain=labels, range=[STYLE[k][1] for k in SERIES]))
    base = alt.Chart(rows).encode(
        x=alt.X("window:O", title="Window: days the RNN sees (1 = no past)", sort=windows,
                axis=alt.Axis(labelAngle=0)),
        # from 0: an error is a size, and a 0.01 ° wiggle must not look like a cliff
        y=alt.Y("mae:Q", title=f"Test MAE ({units}), lower is better",
                scale=alt.Scale(zero=True)),
        color=color,
        tooltip=[
            alt.Tooltip("model:N", title="Model"),
            alt.Tooltip("window:O", title="Window (days)"),
            alt.Tooltip("mae:Q", title=f"Test MAE ({units})", format=".3f"),
        ],
    )
    lines = base.mark_line(strokeWidth=2).encode(strokeDash=dash)
    points = base.mark_point(filled=True, size=70).encode(shape=shape)
    subtitle = [  # short lines: the chart must read at 390 px
        "Solid, circles: the RNN with that many days.",
        "Dashed, squares: the memoryless network,",
        "which sees only the last day: the bar to clear.",
    ]
    return fit_width(props(layer(lines, points),
        height=height_or_default(height),
        title=alt.TitleParams(title, subtitle=subtitle, subtitleFontSize=12),
    ))
