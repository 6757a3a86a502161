"""The class's findings: how many runs found the RNN better, too close to call or worse than
the network without memory (or could not tell, from one repeat), for each data and settings —
stacked bars, one row per group.

Input: a DataFrame with a `group` column (the data and settings in words) and a `verdict`
column (better | tie | worse | 1-repeat, the RNN against the memoryless network,
forecast/compare.py and app/keep.py).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

# "1-repeat": one seed each cannot tell two networks apart (app/keep.py ONE_REPEAT) — its own
# finding, not "too close to call"
VERDICT_WORDS = {"better": "RNN better", "tie": "too close to call", "worse": "RNN worse",
                 "1-repeat": "cannot tell (1 repeat)"}
VERDICT_COLORS = {"RNN better": "#2a9d4b", "too close to call": "#9aa0a6",
                  "RNN worse": "#c8553d", "cannot tell (1 repeat)": "#d9dce0"}


def verdict_counts(rows: pd.DataFrame) -> pd.DataFrame:
    """(group, finding, runs): runs with a verdict counted by group and finding."""
    known = rows[rows["verdict"].isin(list(VERDICT_WORDS))]
    counts = (known.assign(finding=known["verdict"].map(VERDICT_WORDS))
              .groupby(["group", "finding"]).size().rename("runs").reset_index())
    return counts


def verdict_counts_chart(rows: pd.DataFrame) -> alt.Chart:
    counts = verdict_counts(rows)
    order = list(VERDICT_COLORS)
    return alt.Chart(counts).mark_bar().encode(
        x=alt.X("runs:Q", title="Runs", axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("group:N", title=None, sort="-x", axis=alt.Axis(labelLimit=420)),
        color=alt.Color("finding:N", title="RNN against the network without memory",
                        scale=alt.Scale(domain=order, range=list(VERDICT_COLORS.values())),
                        legend=alt.Legend(orient="bottom", titleLimit=0, labelLimit=0)),
        order=alt.Order("finding_order:Q"),
        tooltip=[alt.Tooltip("group"), alt.Tooltip("finding"), alt.Tooltip("runs")],
    ).transform_calculate(
        finding_order=f"indexof({order!r}, datum.finding)",
    ).properties(height=alt.Step(28))
