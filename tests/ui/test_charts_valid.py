"""The charts the app draws are sent without Altair's schema validation (app/built.py), so each
is validated here, on inputs like the app's: the answer's picture, the run history's misses and
the class's verdict counts (the others are validated in their own test files)."""

from __future__ import annotations

import math

import pandas as pd

import ui
from tests.ui._spec import datasets, marks, spec_of
from ui.charts_class import verdict_counts_chart

NAN = math.nan


def test_the_answers_picture_is_valid_and_has_a_row_per_model():
    rows = [{"model": "rnn", "mae": 1.43, "low": NAN, "high": NAN},
            {"model": "dense", "mae": 1.44, "low": 1.40, "high": 1.48},
            {"model": "persistence", "mae": 1.80, "low": 1.75, "high": 1.86},
            {"model": "climatology", "mae": 4.10, "low": 4.00, "high": 4.20}]
    spec = spec_of(ui.miss_chart(rows, units="°F"))
    models = {r.get("model") for data in datasets(spec) for r in data}
    assert {"rnn", "dense", "persistence", "climatology"} <= models
    assert {"rule", "point", "text"} <= set(marks(spec))  # whiskers, dots, their numbers
    spec_of(ui.miss_chart([]))  # no scores yet: a valid empty chart


def test_the_run_history_chart_is_valid_with_a_missing_score():
    rows = [{"run": 1, "rnn": 1.5, "dense": 1.6, "test": "2015-01-01 – 2015-12-31"},
            {"run": 2, "rnn": 1.4, "dense": None, "test": "2014-01-01 – 2014-12-31"}]
    spec = spec_of(ui.run_misses_chart(rows, units="°C"))
    points = [r for data in datasets(spec) for r in data if "run" in r]
    assert sorted({p["run"] for p in points}) == [1, 2]
    assert any(p.get("new_days") for p in points)  # run 2 tested other days: marked
    spec_of(ui.run_misses_chart([]))


def test_the_class_verdict_chart_is_valid_and_counts_runs():
    rows = pd.DataFrame({"group": ["Seattle, window 14"] * 3 + ["Chicago, window 7"],
                         "verdict": ["better", "tie", "tie", "1-repeat"]})
    spec = spec_of(verdict_counts_chart(rows))
    counts = {(r["group"], r["finding"]): r["runs"] for data in datasets(spec) for r in data}
    assert counts[("Seattle, window 14", "too close to call")] == 2
    assert counts[("Chicago, window 7", "cannot tell (1 repeat)")] == 1
