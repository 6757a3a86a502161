"""Every encoding is given as an Altair channel object (alt.X, alt.Tooltip, alt.YValue, ...).

A string, a dict, a list of strings or alt.value(...) makes Altair look the channel's class up
through the Vega-Lite JSON schema (SchemaBase.from_dict, hashing hundreds of schemas each time):
about a quarter of the CPU of building the app's charts. A channel object is used as it is.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd
import pytest
from altair.utils.schemapi import SchemaBase

import ui
from ui.charts_class import verdict_counts_chart


def _charts(daily, predictions, metrics, histories):
    """Every chart ui builds, on each of its branches (bands, clip rule, empty states, ...)."""
    future = pd.DataFrame({"rnn": np.arange(7.0), "dense": np.arange(7.0) + 1},
                          index=pd.date_range(predictions.index[-1] + pd.Timedelta(days=1),
                                              periods=7, name="date"))
    band = pd.DataFrame({"low": predictions["rnn"] - 1, "high": predictions["rnn"] + 1})
    future_band = pd.DataFrame({"low": future["rnn"] - 1, "high": future["rnn"] + 1})
    table = pd.DataFrame({"rnn": [1.0, 1.2], "dense": [1.1, 1.3]}, index=[1, 2])
    hidden = pd.DataFrame(np.zeros((30, 4)), index=predictions.index[:30],
                          columns=["h1", "h2", "h3", "h4"])
    rolling = {"rnn": pd.Series(0.8, index=predictions.index)}
    miss = [{"model": "rnn", "mae": 1.4, "low": math.nan, "high": math.nan},
            {"model": "dense", "mae": 1.5, "low": 1.4, "high": 1.6}]
    runs = [{"run": 1, "rnn": 1.5, "dense": 1.6, "test": "a"},
            {"run": 2, "rnn": 1.4, "dense": 1.5, "test": "b"}]
    verdicts = pd.DataFrame({"group": ["Seattle", "Seattle"], "verdict": ["better", "tie"]})
    return {
        "history": ui.history_chart(daily, ("temp", "prcp")),
        "forecast": ui.forecast_chart(predictions, bands={"rnn": band}),
        "future": ui.future_chart(predictions["actual"], future, bands={"rnn": future_band}),
        "skill": ui.skill_chart(metrics),
        "monthly": ui.monthly_error_chart(table, counts={1: 30, 2: 28}),
        "horizon": ui.horizon_error_chart(table),
        "loss": ui.loss_curves_chart(histories),
        "grad": ui.grad_norm_chart(histories, clip=5.0),
        "heatmap": ui.hidden_heatmap(hidden),
        "probe": ui.memory_probe_chart(table),
        "memory": ui.memory_curve_chart([{"window": 1, "rnn": 1.5, "dense": 1.6}]),
        "coverage": ui.coverage_chart(rolling, 80),
        "days": ui.today_tomorrow_chart(daily["temp"]),
        "miss": ui.miss_chart(miss),
        "runs": ui.run_misses_chart(runs),
        "verdict": verdict_counts_chart(verdicts),
        "empty": ui.forecast_chart(predictions.iloc[:0]),
    }


@pytest.fixture
def from_dict_calls(monkeypatch) -> list[str]:
    """The classes SchemaBase.from_dict is called on from now on (until the test ends)."""
    calls: list[str] = []
    from_dict = SchemaBase.from_dict.__func__

    def counting(cls, *args, **kwargs):
        calls.append(cls.__name__)
        return from_dict(cls, *args, **kwargs)

    monkeypatch.setattr(SchemaBase, "from_dict", classmethod(counting))
    return calls


def test_no_chart_looks_an_encoding_up_through_the_schema(
    from_dict_calls, daily, predictions, metrics, histories
):
    with alt.utils.schemapi.debug_mode(False):  # as the app builds them (app/built.py)
        for chart in _charts(daily, predictions, metrics, histories).values():
            chart.to_dict(validate=False)
    assert from_dict_calls == [], f"looked up through the schema: {sorted(set(from_dict_calls))}"


@pytest.mark.parametrize("x", ["date:T", alt.value(0)], ids=["string", "value"])
def test_the_counter_sees_an_encoding_given_as_a_string_or_a_value(from_dict_calls, x):
    alt.Chart(pd.DataFrame({"date": []})).mark_rule().encode(x=x)
    assert from_dict_calls
