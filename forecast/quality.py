"""What a daily frame is missing, and what the experiment's gap filling would do about it.

The filling itself is one rule, forecast.features.fill_short_gaps, with the limit
ExperimentConfig.max_fill_days; this report applies that same rule.
"""

from __future__ import annotations

import pandas as pd

from forecast.config import ExperimentConfig
from forecast.features import fill_short_gaps

FILL_LIMIT_DAYS = ExperimentConfig().max_fill_days


def _runs(missing: pd.Series) -> list[tuple[pd.Timestamp, pd.Timestamp, int]]:
    """Runs of consecutive True values as (first day, last day, length)."""
    runs = []
    start = None
    prev = None
    for day, is_missing in missing.items():
        if is_missing and start is None:
            start = day
        if not is_missing and start is not None:
            runs.append((start, prev, int((prev - start).days) + 1))
            start = None
        prev = day
    if start is not None:
        runs.append((start, prev, int((prev - start).days) + 1))
    return runs


def data_quality(df: pd.DataFrame, limit: int = FILL_LIMIT_DAYS) -> pd.DataFrame:
    """One row per column: coverage %, the longest gap (days, from, to), what filling gaps of
    up to ``limit`` days by linear interpolation would do (days filled, days still missing), and
    a note when the source derived the column (``df.attrs["derived"]``, e.g. the mean from
    tmin and tmax).

    Dates are ISO strings (or None when nothing is missing) so the table displays and
    serialises as it is. ``report.attrs`` holds the span: first, last, n_days.
    """
    # Values a source computed rather than read (e.g. temp = (tmin + tmax) / 2) say so here.
    derived = df.attrs.get("derived") or {}
    rows = []
    for col in df.columns:
        series = df[col]
        missing = series.isna()
        runs = _runs(missing)
        longest = max(runs, key=lambda r: r[2]) if runs else None
        filled, _ = fill_short_gaps(pd.to_numeric(series, errors="coerce"), limit)
        n_missing = int(missing.sum())
        still = int(filled.isna().sum())
        rows.append(
            {
                "column": col,
                "days": len(series),
                "present": len(series) - n_missing,
                "missing": n_missing,
                "coverage_pct": round(100.0 * (len(series) - n_missing) / max(len(series), 1), 2),
                "longest_gap_days": longest[2] if longest else 0,
                "longest_gap_from": longest[0].strftime("%Y-%m-%d") if longest else None,
                "longest_gap_to": longest[1].strftime("%Y-%m-%d") if longest else None,
                "filled_by_interpolation": n_missing - still,
                "missing_after_fill": still,
                "note": str(derived.get(col, "")),
            }
        )
    report = pd.DataFrame(rows).set_index("column") if rows else pd.DataFrame()
    report.attrs = {
        "first": df.index[0].strftime("%Y-%m-%d") if len(df) else None,
        "last": df.index[-1].strftime("%Y-%m-%d") if len(df) else None,
        "n_days": len(df),
        "fill": f"linear interpolation across gaps of at most {limit} days",
    }
    return report
