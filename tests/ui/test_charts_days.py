"""The today-vs-tomorrow scatter: pairs of consecutive measured days, the diagonal, one scale."""

import numpy as np
import pandas as pd
import pytest

import data_sources as ds
from ui.charts_days import MAX_DOTS, day_pairs, day_to_day_correlation, today_tomorrow_chart

from ._spec import datasets, encodings, marks, spec_of


def series(values, start="2020-01-01"):
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="D"))


def test_pairs_are_consecutive_days_and_never_span_a_gap():
    s = series([1.0, 2.0, np.nan, 4.0, 5.0, 6.0]).drop(pd.Timestamp("2020-01-05"))  # a lost row
    pairs = day_pairs(s)
    assert pairs.to_dict("list") == {"today": [1.0], "tomorrow": [2.0]}  # 2->nan, 4->gap, 6 last
    assert list(pairs.index) == [pd.Timestamp("2020-01-01")]


def test_dots_sit_on_the_diagonal_for_a_persistent_series_and_off_it_for_the_echo():
    seattle = ds.load_sample("seattle-2012-2015")["temp"]
    echo = ds.load_sample(ds.samples.SYNTHETIC_SAMPLE)["temp"]
    assert day_to_day_correlation(seattle) > 0.9  # real weather: tomorrow follows today
    assert abs(day_to_day_correlation(echo)) < 0.3  # the echo: yesterday says nothing
    spec = spec_of(today_tomorrow_chart(echo))
    assert sorted(marks(spec)) == ["circle", "line"]
    dots, line = sorted(datasets(spec), key=len, reverse=True)
    assert len(dots) <= MAX_DOTS and len(line) == 2
    assert all(r["today"] == r["tomorrow"] for r in line)  # the line is y = x
    x, y = encodings(spec, "x")[0], encodings(spec, "y")[0]
    assert x["scale"]["domain"] == y["scale"]["domain"]  # same range: the diagonal is 45°
    lo, hi = x["scale"]["domain"]
    assert all(lo <= r["today"] <= hi and lo <= r["tomorrow"] <= hi for r in dots)
    assert "0.0" in " ".join(spec["title"]["subtitle"])  # the correlation, said


def test_fahrenheit_converts_both_axes():
    spec = spec_of(today_tomorrow_chart(series([0.0, 10.0, 20.0, 30.0]), units="°F"))
    dots = max(datasets(spec), key=len)
    assert [r["today"] for r in dots] == pytest.approx([32.0, 50.0, 68.0])
    assert "°F" in encodings(spec, "x")[0]["title"]


def test_too_few_days_is_an_empty_chart_that_says_why():
    spec = spec_of(today_tomorrow_chart(series([1.0, np.nan, 3.0])))
    assert marks(spec) == ["text"]
    assert "Too few" in datasets(spec)[0][0]["message"]
