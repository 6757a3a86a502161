"""Every run of the session: the RNN's and the memoryless network's average miss, run by run.

Input rows: {"run": 1, "rnn": °C, "dense": °C, "test": "first – last test day"}. Two lines over
the run number, told apart by dash and marker as well as colour (as in the memory curve); a run
scored on other test days than the one before it gets a hollow ring, since its change is partly
the days'.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from ._frames import bottom_legend, empty_chart, finite_round, fit_width, layer, props
from .charts_memory import STYLE
from .theme import model_color_scale, model_label
from .units import to_display_delta

SERIES = ("rnn", "dense")
TITLE = "Every run's average miss"


def run_misses_chart(rows: Sequence[Mapping], units: str = "°C", height: int = 170) -> alt.Chart:
    """MAE (y, from 0) by run number (x) for the RNN and the memoryless network."""
    long = [{"run": int(r["run"]), "key": k, "model": model_label(k),
             "mae": float(finite_round(to_display_delta(float(r[k]), units), 3)),
             "test": str(r.get("test", "")),
             "new_days": bool(i and r.get("test") != rows[i - 1].get("test"))}
            for i, r in enumerate(rows) for k in SERIES if r.get(k) is not None]
    frame = pd.DataFrame(long).dropna(subset=["mae"]) if long else pd.DataFrame()
    if frame.empty:
        return empty_chart(TITLE, "No runs yet — press Train.")
    labels = [model_label(k) for k in SERIES]
    runs = sorted(frame["run"].unique().tolist())
    base = alt.Chart(frame).encode(
        x=alt.X("run:O", title="Run", sort=runs, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("mae:Q", title=f"MAE ({units})", scale=alt.Scale(zero=True)),
        color=alt.Color("model:N", scale=model_color_scale(SERIES), sort=labels,
                        legend=bottom_legend()),
        tooltip=[alt.Tooltip("run:O", title="Run"), alt.Tooltip("model:N", title="Model"),
                 alt.Tooltip("mae:Q", title=f"MAE ({units})", format=".2f"),
                 alt.Tooltip("test:N", title="Test days")],
    )
    dash = alt.StrokeDash("model:N", sort=labels, legend=None,
                          scale=alt.Scale(domain=labels, range=[STYLE[k][0] for k in SERIES]))
    shape = alt.Shape("model:N", sort=labels, legend=bottom_legend(),
                      scale=alt.Scale(domain=labels, range=[STYLE[k][1] for k in SERIES]))
    lines = base.mark_line(strokeWidth=2).encode(strokeDash=dash)
    points = base.mark_point(filled=True, size=60).encode(shape=shape)
    rings = base.transform_filter("datum.new_days").mark_point(
        size=260, filled=False, strokeWidth=1.5, color="#31333f")
    subtitle = ["Solid: the RNN. Dashed: no memory.",  # short lines: a narrow column
                "Ring: other test days than the run before."]
    return fit_width(props(layer(lines, points, rings),
        height=height, title=alt.TitleParams(TITLE, subtitle=subtitle, subtitleFontSize=12)))
