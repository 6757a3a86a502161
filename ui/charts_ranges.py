"""How often the likely ranges held: the share of recent test days inside, against the promise."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from ._frames import DATE_FORMAT, empty_chart, fit_width, layer, model_color, props
from .theme import model_label, ordered_models


def coverage_chart(rolling: Mapping[str, pd.Series], level: int, days: int = 60,
                   height: int = 220, title: str | None = None) -> alt.LayerChart | alt.Chart:
    """One line per model: the share (%) of the last `days` test days inside its `level` %
    range, against a dashed rule at `level` (what the range promises).

    `rolling`: model -> Series indexed by test date, values 0..1 (from the `days`-th day on).
    """
    title = title or f"Share of the last {days} test days inside the {level} % range"
    keys = ordered_models([k for k, v in rolling.items() if len(v)])
    if not keys:
        return empty_chart(title, f"Fewer than {days} test days: no rolling share to draw.")
    data = pd.concat([pd.DataFrame({"date": pd.to_datetime(rolling[k].index),
                                    "model": model_label(k),
                                    "share": (100 * rolling[k].astype(float)).round(1)})
                      for k in keys], ignore_index=True)
    low = min(float(data["share"].min()), level - 20.0)
    y = alt.Y("share:Q", title="Inside the range (%)",
              scale=alt.Scale(domain=[max(0.0, low - 2), 100]))
    lines = alt.Chart(data).mark_line(strokeWidth=2).encode(
        x=alt.X("date:T", title="Test day (end of the window)",
                axis=alt.Axis(format="%b %Y", labelOverlap=True)),
        y=y, color=model_color(keys, title=None),
        tooltip=[alt.Tooltip("date:T", title="Window ends", format=DATE_FORMAT),
                 alt.Tooltip("model:N", title="Model"),
                 alt.Tooltip("share:Q", title="Inside (%)", format=".0f")])
    promise = alt.Chart(pd.DataFrame({"share": [float(level)]})).mark_rule(
        color="#808495", strokeDash=[5, 4]).encode(y=alt.Y("share:Q"))
    subtitle = [f"Dashed: the {level} % the range promises.",
                "Below it: the weather was harder than on the",
                "validation days the range was set on."]
    return fit_width(props(layer(lines, promise),
        height=height, title=alt.TitleParams(title, subtitle=subtitle, subtitleFontSize=12)))
