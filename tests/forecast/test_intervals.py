"""Every model's ranges from the validation days: no test day in them, sizes by month."""

import numpy as np
import pandas as pd

from forecast import ExperimentConfig, ExperimentRunner
from forecast.intervals import LEVELS, band_on_test_days, coverage, future_band, month_scale
from tests.helpers.weather import make_weather

FAST = dict(epochs=3, hidden=8, window=7, seeds=1)


def run(df):
    runner = ExperimentRunner(ExperimentConfig(**FAST)).fit(df)
    while not runner.done:
        runner.step(5.0)
    return runner.result()


def test_no_test_day_touches_the_ranges_and_every_model_has_both_levels():
    df = make_weather(500)
    first = run(df)
    test_start = first.split["test"][0]
    changed = df.copy()
    wild = changed.index >= test_start  # test days far noisier than any day before
    changed.loc[wild, "temp"] += np.random.default_rng(0).normal(0, 8, wild.sum())
    second = run(changed)
    both = [m for m in first.models if m in second.models]  # test inputs decide linear's check
    assert {"rnn", "dense", "persistence"} <= set(both)
    for m in both:
        for lv in LEVELS:
            assert second.ranges.quantile[m][lv] == first.ranges.quantile[m][lv], (m, lv)
            np.testing.assert_array_equal(second.ranges.lead_quantile[m][lv],
                                          first.ranges.lead_quantile[m][lv])
            band = band_on_test_days(first, m, lv)
            assert (band["low"] < band["forecast"]).all()
            assert (band["forecast"] < band["high"]).all()
        assert coverage(first, m, 95)["mean_width"] >= coverage(first, m, 80)["mean_width"]
        assert len(future_band(first, m, 80)) == 7
    assert first.ranges.calibration_days == len(ExperimentRunner(ExperimentConfig(**FAST)).fit(df)
                                                .split.val)
    # the wild test days fall outside the fixed ranges, the page says so; adaptive ones widen
    rnn = coverage(second, "rnn", 80)
    assert rnn["off"] and "fewer than sampling error allows" in rnn["words"]
    assert coverage(second, "rnn", 80, adaptive=True)["coverage"] > rnn["coverage"]


def test_month_scale_follows_the_size_of_the_misses():
    dates = pd.date_range("2001-01-01", "2004-12-31")
    winter = np.isin(dates.month, [12, 1, 2])
    err = np.where(winter, 3.0, 1.0)
    scale = month_scale(err, dates)
    assert abs(scale.mean() - 1) < 1e-12
    assert scale[0] > scale[6] and scale[0] == scale.max()
    few = month_scale(err[:40], dates[:40])  # January and 9 days of February only
    assert few[5] == few[6]  # months with too few days take the overall mean
