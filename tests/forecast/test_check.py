"""forecast.check_data: the experiment's data checks without training, same words as the
runner, so the app can refuse before Train with the runner's own rule."""

from __future__ import annotations

import pytest

import data_sources as ds
from forecast import ExperimentConfig, ExperimentRunner, ForecastError, check_data
from forecast.windows import MIN_TEST_DAYS, min_days


def runner_error(df, cfg) -> str:
    with pytest.raises(ForecastError) as err:
        ExperimentRunner(cfg).fit(df)
    return str(err.value)


@pytest.mark.parametrize("start, end, window", [
    ("2015-11-01", "2015-12-31", 14),  # the 7-test-day period
    ("2015-06-01", "2015-12-31", 60),  # long enough for 14 days, not for a 60-day window
    ("2015-12-20", "2015-12-31", 14),  # the window does not even fit
])
def test_a_short_period_is_refused_with_the_runners_own_message(start, end, window):
    df = ds.load_sample("seattle-2012-2015").loc[start:end]
    cfg = ExperimentConfig(window=window)
    with pytest.raises(ForecastError) as err:
        check_data(df, cfg)
    assert str(err.value) == runner_error(df, cfg)
    if window == 14 and start == "2015-11-01":
        assert f"at least {MIN_TEST_DAYS} test days" in str(err.value)
        assert "complete windows" in str(err.value)


def test_enough_data_gives_the_runners_number_of_test_days():
    df = ds.load_sample("seattle-2012-2015")
    cfg = ExperimentConfig(window=7, epochs=1, seeds=1)
    assert check_data(df, cfg) == len(ExperimentRunner(cfg).fit(df).split.test) == 218
    assert check_data(df.loc["2015-03-01":], cfg) >= MIN_TEST_DAYS


@pytest.mark.parametrize("window", [3, 14, 60])
def test_min_days_is_exactly_the_shortest_gapless_period_that_can_be_judged(window):
    """forecast.windows.min_days — the number the README, the upload tooltip and the messages
    quote — is the rule check_data applies: one day fewer is refused, saying that number."""
    cfg = ExperimentConfig(window=window)
    need = min_days(window, cfg.horizon, cfg.test_frac)
    df = ds.load_sample("chicago-2001-2016").loc["2005-01-01":]
    assert df["temp"].iloc[:need].notna().all()  # gapless, so the count is the rule alone
    assert check_data(df.iloc[:need], cfg) == MIN_TEST_DAYS
    with pytest.raises(ForecastError, match=f"at least {need} days without gaps"):
        check_data(df.iloc[:need - 1], cfg)
