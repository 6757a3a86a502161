"""Inside the trained RNN: its hidden state over time and how far back its memory reaches."""

from __future__ import annotations

import re

import altair as alt
import numpy as np
import pandas as pd

from ._frames import (
    DATE_FORMAT,
    bottom_legend,
    empty_chart,
    finite_round,
    fit_width,
    fold_fields,
    props,
)
from .theme import model_color_scale, model_label, model_sort, ordered_models

MAX_TIME_COLUMNS = 400


def _unit_number(name: str) -> int:
    match = re.search(r"(\d+)$", str(name))
    return int(match.group(1)) if match else 0


def _downsample(df: pd.DataFrame, max_columns: int) -> tuple[pd.DataFrame, int]:
    """Average consecutive days into at most `max_columns` blocks; returns (frame, days/block)."""
    n = len(df)
    block = max(1, int(np.ceil(n / max_columns)))
    if block == 1:
        return df, 1
    groups = np.arange(n) // block
    out = df.groupby(groups).mean()
    out.index = df.index[::block][: len(out)]
    return out, block


def hidden_heatmap(
    hidden_states: pd.DataFrame,
    max_units: int | None = 32,
    height: int | None = None,
    title: str | None = None,
    max_time_columns: int = MAX_TIME_COLUMNS,
) -> alt.Chart:
    """The RNN's hidden state h_t on each test day: one row per hidden unit, colour = value.

    `hidden_states`: indexed by date, columns h1..hN. The first `max_units` units are drawn
    (None: all) and the title says which; long periods are averaged into at most
    `max_time_columns` blocks so the spec stays small. The diverging colours are centred at 0
    (tanh: −1…1; sigmoid: 0…1; relu: ≥ 0).
    """
    if hidden_states is None or hidden_states.empty:
        return empty_chart(title or "Hidden state h_t on the test days",
                           "No hidden states yet — train the RNN first.")
    every = list(hidden_states.columns)
    cols = every[: int(max_units)] if max_units is not None else every
    # the title says which units are drawn: all of them, or the first few of how many
    which = (f"all {len(every)} units" if len(cols) == len(every)
             else f"units {cols[0]}–{cols[-1]} of {len(every)}")
    title = title or f"Hidden state h_t, {which}"
    frame = hidden_states[cols].apply(pd.to_numeric, errors="coerce").astype(float)
    frame.index = pd.DatetimeIndex(pd.to_datetime(frame.index), name="date")
    frame, block = _downsample(frame, max_time_columns)
    ends = list(frame.index[1:]) + [frame.index[-1] + pd.Timedelta(days=block)]
    # built in one go (a column at a time fragments a 256-unit frame)
    wide = pd.DataFrame(finite_round(frame.to_numpy(), 3), index=frame.index, columns=cols)
    wide = wide.reset_index()
    wide["date_end"] = pd.DatetimeIndex(ends)

    values = wide[cols].to_numpy(dtype=float)
    extent = float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 1.0
    extent = max(extent, 1e-6)
    order = sorted(cols, key=_unit_number)
    what = "mean of h over each block" if block > 1 else "h"
    chart = (
        alt.Chart(wide)
        .transform_fold(cols, as_=["unit", "h"])
        .mark_rect()
        .encode(
            x=alt.X("date:T", title="Date"),
            x2=alt.X2("date_end:T"),
            y=alt.Y("unit:O", title="Hidden unit", sort=order, axis=alt.Axis(labelOverlap=True)),
            color=alt.Color(
                "h:Q",
                title="h",
                # symmetric domain: white is exactly 0, blue negative, red positive
                scale=alt.Scale(scheme="redblue", domain=[-extent, extent], reverse=True),
            ),
            tooltip=[
                alt.Tooltip("date:T", title="From" if block > 1 else "Date", format=DATE_FORMAT),
                alt.Tooltip("unit:O", title="Unit"),
                alt.Tooltip("h:Q", title=what, format=".3f"),
            ],
        )
    )
    height = height or int(min(480, max(160, 14 * len(cols))))
    subtitle = [  # short lines: they must fit a 390 px phone
        ("One row per hidden unit" if len(cols) == len(every)
         else f"The first {len(cols)} of {len(every)} units, one row each")
        + ", on the test days."
    ]
    if block > 1:
        subtitle.append(f"Each column averages {block} days.")
    return fit_width(
        props(chart,
            height=height,
            title=alt.TitleParams(title, subtitle=subtitle, subtitleFontSize=12),
        )
    )


def memory_probe_chart(
    memory_probe: pd.DataFrame,
    units: str = "°C",
    height: int = 280,
    title: str | None = None,
) -> alt.Chart:
    """How much tomorrow's forecast moves per 1° change of the temperature k days back.

    `memory_probe`: index k = 1..window (1 = today, the last day of the window), a column per
    model (`rnn`, `dense_window`). The value is a ratio of two temperature changes (° per °), so
    it is the same number in °C and °F; `units` only names the axis.
    """
    title = title or "Memory probe: how far back each model looks"
    if memory_probe is None or memory_probe.empty:
        return empty_chart(title, "No memory probe yet — train the models first.")
    keys = ordered_models([c for c in memory_probe.columns if c != "actual"])
    labels = [model_label(k) for k in keys]
    wide = memory_probe[keys].apply(pd.to_numeric, errors="coerce").astype(float)
    wide.columns = labels
    for c in labels:
        wide[c] = finite_round(wide[c], 4)
    wide.index = pd.Index(np.asarray(memory_probe.index, dtype=int), name="lag")
    wide = wide.reset_index()
    y_title = f"Forecast change ({units} per {units})"
    subtitle = [
        "Bar: how much tomorrow's forecast moves when the temperature",
        f"k days back is 1 {units} higher (1 = today).",
    ]
    chart = (
        alt.Chart(wide)
        .transform_fold(fold_fields(labels), as_=["model", "effect"])
        .mark_bar()
        .encode(
            x=alt.X(
                "lag:O", title="Days back (1 = today)", sort="ascending",
                axis=alt.Axis(labelAngle=0),
            ),
            xOffset=alt.XOffset("model:N", sort=model_sort(keys)),
            y=alt.Y("effect:Q", title=y_title),
            color=alt.Color(
                "model:N",
                title="Model",
                scale=model_color_scale(keys),
                sort=model_sort(keys),
                legend=bottom_legend(),
            ),
            tooltip=[
                alt.Tooltip("lag:O", title="Days back"),
                alt.Tooltip("model:N", title="Model"),
                alt.Tooltip("effect:Q", title=f"{units} per {units}", format=".3f"),
            ],
        )
    )
    return fit_width(props(chart, height=height, title=alt.TitleParams(
        title, subtitle=subtitle, subtitleFontSize=12)))
