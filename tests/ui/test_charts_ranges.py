"""The likely ranges in charts: the days after the data, and the rolling share inside."""

import numpy as np
import pandas as pd
import pytest

import ui

from ._spec import datasets, marks, spec_of


def test_future_band_starts_at_the_last_observed_day_and_widens():
    recent = pd.Series([10.0, 11.0, 12.0], index=pd.date_range("2016-01-01", periods=3))
    days = pd.date_range("2016-01-04", periods=3)
    future = pd.DataFrame({"rnn": [12.5, 13.0, 13.5], "persistence": 12.0}, index=days)
    band = pd.DataFrame({"low": [11.0, 10.5, 10.0], "high": [14.0, 15.5, 17.0]}, index=days)
    spec = spec_of(ui.future_chart(recent, future, bands={"rnn": band}, level=80))
    assert "area" in marks(spec)
    rows = [r for d in datasets(spec) for r in d if "low" in r]
    assert [(r["low"], r["high"]) for r in rows] == [(12.0, 12.0), (11.0, 14.0), (10.5, 15.5),
                                                     (10.0, 17.0)]
    assert "Shaded: the 80 % likely range." in spec["title"]["subtitle"]
    assert "area" not in marks(spec_of(ui.future_chart(recent, future)))


def test_coverage_chart_draws_the_share_against_the_promise():
    idx = pd.date_range("2016-03-01", periods=50)
    rolling = {"rnn": pd.Series(np.linspace(0.7, 0.85, 50), index=idx),
               "dense": pd.Series(0.8, index=idx)}
    spec = spec_of(ui.coverage_chart(rolling, 80))
    assert "line" in marks(spec) and "rule" in marks(spec)
    rows = [r for d in datasets(spec) for r in d]
    assert {r["model"] for r in rows if "model" in r} == {"RNN (memory)", "Dense (today only)"}
    assert [r["share"] for r in rows if "model" not in r] == [80.0]  # the promise
    assert max(r["share"] for r in rows) == pytest.approx(85.0)
    empty = spec_of(ui.coverage_chart({"rnn": pd.Series(dtype=float)}, 95))
    assert "Fewer than 60 test days" in str(empty)
