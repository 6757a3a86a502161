import numpy as np
import pandas as pd
import pytest

from forecast.errors import ForecastError
from forecast.features import build_features, daily_frame, fill_short_gaps, resolve_columns
from forecast.windows import MIN_WINDOWS, chronological_split, gather, window_ends


def test_target_is_the_day_after_the_last_input():
    values = np.arange(20, dtype=float)[:, None]  # day i has value i
    ends = window_ends(values, values[:, 0], window=5, horizon=1)
    X = gather(values, ends, 5)
    assert ends[0] == 4 and ends[-1] == 18  # last window's target is day 19
    for i, t in enumerate(ends):
        assert X[i, :, 0].tolist() == list(range(t - 4, t + 1))  # oldest first, ends at t
        assert values[t + 1, 0] == X[i, -1, 0] + 1  # target = the next day


def test_windows_never_span_a_missing_input_or_a_missing_target():
    values = np.arange(30, dtype=float)[:, None]
    values[10] = np.nan
    target = values[:, 0].copy()
    target[20] = np.nan
    ends = window_ends(values, target, window=3, horizon=1)
    for t in ends:
        assert np.isfinite(values[t - 2:t + 1]).all()
        assert t + 1 != 20
    assert 9 not in ends and 10 not in ends and 12 not in ends and 13 in ends


def test_short_gaps_are_interpolated_long_gaps_stay_open():
    s = pd.Series([1.0, np.nan, np.nan, 4.0, np.nan, np.nan, np.nan, np.nan, 9.0, np.nan])
    filled, mask = fill_short_gaps(s, 3)
    assert filled[1:3].tolist() == [2.0, 3.0]
    assert filled[4:8].isna().all()  # 4 days is longer than 3
    assert np.isnan(filled[9])  # a gap at the end has no right neighbour
    assert mask.tolist() == [False, True, True] + [False] * 7


def test_split_is_chronological_and_disjoint():
    split = chronological_split(200, 0.15, 0.15)
    assert split.train.max() < split.val.min() <= split.val.max() < split.test.min()
    assert len(split.train) + len(split.val) + len(split.test) == 200
    assert (len(split.train), len(split.val), len(split.test)) == (140, 30, 30)


def test_too_few_windows_is_a_forecast_error():
    with pytest.raises(ForecastError, match="complete windows"):
        chronological_split(MIN_WINDOWS - 1, 0.15, 0.15)


def test_daily_frame_makes_gaps_explicit_and_accepts_a_date_column():
    df = pd.DataFrame({"date": ["2020-01-03", "2020-01-01"], "temp": [3.0, 1.0]})
    out = daily_frame(df)
    assert out.index.name == "date" and len(out) == 3
    assert np.isnan(out.loc["2020-01-02", "temp"])


def test_target_resolution(weather):
    assert resolve_columns(weather, None, None) == ("temp", ["temp", "doy_sin", "doy_cos"])
    only_tmax = weather[["tmax"]].copy()
    assert resolve_columns(only_tmax, None, None)[0] == "tmax"
    assert resolve_columns(weather, "temp", ["prcp", "temp"])[1] == ["temp", "prcp"]
    with pytest.raises(ForecastError, match="not in the data"):
        resolve_columns(weather, "pressure", None)
    empty = weather.assign(temp=np.nan)
    with pytest.raises(ForecastError, match="no values"):
        resolve_columns(empty, "temp", None)


def test_features_keep_the_target_first_and_season_from_the_date(weather):
    ft = build_features(daily_frame(weather), "temp", ["temp", "doy_sin", "doy_cos"], 3)
    assert ft.names[0] == "temp"
    np.testing.assert_allclose(ft.values[:, 0], weather["temp"].to_numpy())
    np.testing.assert_allclose(ft.values[:, 1] ** 2 + ft.values[:, 2] ** 2, 1.0)


def test_a_filled_day_is_never_today_so_the_target_cannot_leak_into_the_inputs():
    # Day 10 is missing; filling interpolates it from days 9 and 11. A window ending on day 10
    # would feed the mean of "yesterday" and "tomorrow's target" as today's value.
    s = pd.Series(np.arange(30, dtype=float))
    s[10] = np.nan
    filled_values, filled = fill_short_gaps(s, 3)
    values = filled_values.to_numpy()[:, None]
    ends = window_ends(values, s.to_numpy(), window=3, horizon=1, filled=filled)
    assert 10 not in ends  # today = day 10 (filled from day 11, the target): refused
    assert 11 in ends and 12 in ends  # the filled day inside a window is harmless
    assert 9 not in ends  # target day 10 was not measured
    leaky = window_ends(values, s.to_numpy(), window=3, horizon=1)
    assert 10 in leaky  # without the mask the leaking window would be kept
