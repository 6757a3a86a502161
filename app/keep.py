"""What the database keeps of a finished run, and the history rebuilt from it — no Streamlit.

A record holds the run's settings, its data's identity (source, sample or station, period,
target), every model's scores, the RNN's comparisons and verdict, and the time it took: what the
history, the teacher's page and a reload need; never the models, the data or anything personal
besides the name a student chose (that one is added by the store, from the class membership).
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Mapping
from typing import Any

from app.run import Run, RunSummary
from app.settings import Settings

# The RNN against the memoryless network: "better" | "tie" | "worse", or this one when there was
# one repeat (forecast/compare.py's tie with a ``reason``: one seed each cannot tell two networks
# apart — not the same finding as "too close to call"). At most 8 characters (the column's size).
ONE_REPEAT = "1-repeat"


def memory_finding(comparison: Mapping[str, Any]) -> str | None:
    """The finding of one comparison (the RNN's "versus_memoryless" / comparison["dense"])."""
    verdict = comparison.get("verdict")
    return ONE_REPEAT if verdict == "tie" and comparison.get("reason") else verdict


def stored_finding(row: Mapping[str, Any]) -> str | None:
    """A stored run's finding; a run stored before ONE_REPEAT existed says "tie" in its column
    but keeps the comparison's ``reason`` in its summary, and is read as what it was."""
    found = row.get("rnn_vs_dense")
    if found == "tie":
        kept = row.get("summary") or {}
        comparison = kept.get("versus_memoryless") or (kept.get("comparison") or {}).get("dense")
        return memory_finding(comparison or {"verdict": "tie"})
    return found


def _plain(value: Any) -> Any:
    """JSON-safe: NaN and infinities become None, numpy numbers plain floats."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bool | str) or value is None:
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return number if math.isfinite(number) else None


def run_record(summary: RunSummary, run: Run | None, browser_id: str,
               station: str | None = None) -> dict[str, Any]:
    """The record of one finished run (``run``: the full Run when it is the one on screen, for
    the comparisons and the verdict sentence). It gets its own UUID here, once: every retry of
    its save sends the same one, so it is stored once."""
    s = summary.settings
    comparison = dict(run.comparison) if run is not None else {}
    mae = {m: v.get("mae") for m, v in summary.metrics.items()}
    return {
        "run_uuid": str(uuid.uuid4()), "browser_id": browser_id, "number": summary.number,
        "created": time.time(), "source": s.source, "data": (s.data or "")[:200] or None,
        "station": station, "period_start": s.start, "period_end": s.end, "target": s.target,
        "mae_rnn": _plain(mae.get("rnn")), "mae_dense": _plain(mae.get("dense")),
        "rnn_vs_dense": memory_finding(comparison.get("dense") or summary.versus_memoryless),
        "winner": summary.winner,
        "verdict": run.result.verdict() if run is not None else None,
        "duration_s": float(summary.seconds), "settings": s.to_dict(),
        "summary": _plain({
            "time": summary.time, "metrics": summary.metrics, "winner": summary.winner,
            "best_baseline": summary.best_baseline, "reasons": summary.reasons,
            "budget_hit": summary.budget_hit, "comparison": comparison,
            "test_period": summary.test_period,
            "versus_memoryless": summary.versus_memoryless}),
    }


def settings_from_record(settings: Mapping[str, Any]) -> Settings:
    known = {k: v for k, v in settings.items() if k in Settings.__dataclass_fields__}
    return Settings(**{**known, "extras": tuple(known.get("extras") or ())})


def summary_from_record(record: Mapping[str, Any], number: int) -> RunSummary:
    """A stored run as the session's history holds it, numbered ``number`` (1, 2, … in the
    order they finished, as the page labels them)."""
    kept = record["summary"]
    metrics = {m: {k: (float("nan") if v is None else v) for k, v in scores.items()}
               for m, scores in (kept.get("metrics") or {}).items()}
    return RunSummary(number=number, time=str(kept.get("time", "")),
                      settings=settings_from_record(record["settings"]), metrics=metrics,
                      winner=kept.get("winner"), best_baseline=str(kept.get("best_baseline")),
                      reasons=dict(kept.get("reasons") or {}),
                      seconds=float(record["duration_s"]),
                      budget_hit=bool(kept.get("budget_hit")),
                      test_period=tuple(kept["test_period"]) if kept.get("test_period") else None,
                      versus_memoryless=dict(kept.get("versus_memoryless") or {}))
