"""Today against tomorrow: why a memory adds little on real weather.

Each dot is one pair of consecutive days of the loaded series — today's value across, the next
day's up — with the diagonal "tomorrow = today". Real temperatures hug the diagonal: the last day
already says most of what the next day will be, so the days before it have little left to add.
The synthetic echo series does not (its days echo a week back, not yesterday): a cloud.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ._frames import empty_chart, finite_round, fit_width, height_or_default, layer, props
from .units import to_display_temp

MAX_DOTS = 1500  # evenly thinned beyond this: the cloud's shape stays, the spec stays small
TITLE = "Today against tomorrow"


def day_pairs(series: pd.Series) -> pd.DataFrame:
    """(today, tomorrow) for every two consecutive calendar days both measured, in °C."""
    s = pd.to_numeric(series, errors="coerce").astype(float)
    s.index = pd.DatetimeIndex(pd.to_datetime(s.index))
    s = s.asfreq("D")  # a missing day is a NaN row, so a pair never spans a gap
    pairs = pd.DataFrame({"today": s.to_numpy()[:-1], "tomorrow": s.to_numpy()[1:]},
                         index=s.index[:-1])
    return pairs.dropna()


def day_to_day_correlation(series: pd.Series) -> float:
    """Pearson correlation of today with tomorrow (NaN with fewer than 3 pairs or no spread)."""
    pairs = day_pairs(series)
    if len(pairs) < 3 or pairs["today"].std() == 0 or pairs["tomorrow"].std() == 0:
        return float("nan")
    return float(np.corrcoef(pairs["today"], pairs["tomorrow"])[0, 1])


def today_tomorrow_chart(series: pd.Series, units: str = "°C",
                         height: int | None = None) -> alt.Chart:
    """Dots (today, tomorrow) in display units over the diagonal y = x, same range on both axes."""
    pairs = day_pairs(series)
    if len(pairs) < 3:
        return empty_chart(TITLE, "Too few consecutive measured days to draw.")
    r = day_to_day_correlation(series)
    step = max(1, int(np.ceil(len(pairs) / MAX_DOTS)))
    shown = pairs.iloc[::step]
    rows = pd.DataFrame({
        "date": shown.index.strftime("%Y-%m-%d"),
        "today": finite_round(to_display_temp(shown["today"].to_numpy(), units), 1),
        "tomorrow": finite_round(to_display_temp(shown["tomorrow"].to_numpy(), units), 1),
    })
    low = float(min(rows["today"].min(), rows["tomorrow"].min()))
    high = float(max(rows["today"].max(), rows["tomorrow"].max()))
    domain = [np.floor(low), np.ceil(high)]
    scale = alt.Scale(domain=domain, nice=False, zero=False)
    dots = alt.Chart(rows).mark_circle(size=14, opacity=0.35, color="#e4572e").encode(
        x=alt.X("today:Q", title=f"Today ({units})", scale=scale),
        y=alt.Y("tomorrow:Q", title=f"Tomorrow ({units})", scale=scale),
        tooltip=[alt.Tooltip("date:N", title="Today"),
                 alt.Tooltip("today:Q", title=f"Today ({units})", format=".1f"),
                 alt.Tooltip("tomorrow:Q", title=f"Tomorrow ({units})", format=".1f")],
    )
    line = pd.DataFrame({"today": domain, "tomorrow": domain})
    diagonal = alt.Chart(line).mark_line(color="#31333f", strokeDash=[6, 4], strokeWidth=1.5) \
        .encode(x=alt.X("today:Q"), y=alt.Y("tomorrow:Q"))
    subtitle = [f"{len(pairs):,} pairs of days"  # short lines: the chart sits in a column
                + (f" (every {step}th drawn)" if step > 1 else "")
                + f", correlation {r:.2f}.",
                "Dashed: tomorrow = today."]
    return fit_width(props(layer(dots, diagonal),
        height=height_or_default(height),
        title=alt.TitleParams(TITLE, subtitle=subtitle, subtitleFontSize=12)))
