"""The memory curve: one point per window, deterministic, and it finds memory where there is."""

import pytest

import data_sources as ds
from forecast import ExperimentConfig, ForecastError
from forecast.memory_curve import WINDOWS, memory_curve
from tests.helpers.weather import make_weather

FAST = dict(epochs=4, hidden=8)


def test_one_point_per_window_with_both_networks_and_progress():
    seen = []
    curve = memory_curve(make_weather(300), ExperimentConfig(**FAST),
                         on_window=lambda done, total, point: seen.append((done, total, point)))
    assert [p["window"] for p in curve] == list(WINDOWS) == [1, 2, 3, 7, 14, 28]
    for p in curve:
        assert set(p) == {"window", "rnn", "dense", "diff", "low", "high", "verdict"}
        assert all(type(p[k]) is float and 0 < p[k] < 10 for k in ("rnn", "dense"))
        assert p["diff"] == pytest.approx(p["rnn"] - p["dense"])  # RNN minus memoryless
        assert p["low"] <= p["diff"] <= p["high"] and p["verdict"] in ("better", "tie", "worse")
    assert [s[:2] for s in seen] == [(i, 6) for i in range(1, 7)]
    assert [s[2] for s in seen] == curve


def test_same_seed_same_curve_other_seed_other_curve():
    df = make_weather(300)
    a = memory_curve(df, ExperimentConfig(**FAST, seed=3), windows=(1, 7))
    b = memory_curve(df, ExperimentConfig(**FAST, seed=3), windows=(1, 7))
    c = memory_curve(df, ExperimentConfig(**FAST, seed=4), windows=(1, 7))
    assert a == b
    assert a != c


def test_epochs_are_capped_but_short_settings_are_kept():
    df = make_weather(300)
    capped = memory_curve(df, ExperimentConfig(hidden=8, epochs=500, patience=1000),
                          windows=(2,), max_epochs=3)
    three = memory_curve(df, ExperimentConfig(hidden=8, epochs=3, patience=1000), windows=(2,))
    assert capped == three


def test_on_the_echo_series_memory_beats_no_memory_only_once_the_window_spans_the_echo():
    curve = {p["window"]: p for p in memory_curve(ds.load_sample(ds.samples.SYNTHETIC_SAMPLE))}
    lag = ds.samples.ECHO_LAG
    for w, p in curve.items():
        if w < lag:  # the echo is out of reach: the RNN is no better than the memoryless network
            assert p["rnn"] > 0.9 * p["dense"], p
        else:  # it remembers the day a week back: far better
            assert p["rnn"] < 0.6 * p["dense"], p


def test_a_window_longer_than_the_data_is_a_clear_error():
    with pytest.raises(ForecastError, match="window"):
        memory_curve(make_weather(20), ExperimentConfig(**FAST))
