import numpy as np
import pandas as pd
import pytest

from forecast.baselines import Climatology, LinearBaseline, persistence
from forecast.metrics import monthly_mae, score_table, scores
from forecast.scaling import Scaler, TargetCoder


def test_persistence_mae_matches_a_hand_computation_on_ten_days():
    temps = np.array([5.0, 7.0, 6.0, 9.0, 9.0, 4.0, 5.0, 8.0, 7.0, 10.0])
    today, tomorrow = temps[:-1], temps[1:]
    # |7-5| + |6-7| + |9-6| + |9-9| + |4-9| + |5-4| + |8-5| + |7-8| + |10-7| = 19, over 9 days
    assert scores(tomorrow, persistence(today), 1.0)["mae"] == 19 / 9


def test_skill_and_bias():
    actual = np.array([1.0, 2.0, 3.0])
    s = scores(actual, actual + 0.5, persistence_mae=1.0)
    assert s["bias"] == 0.5 and s["mae"] == 0.5 and s["skill"] == 0.5 and s["rmse"] == 0.5


def test_scaler_and_target_coder_round_trip():
    rng = np.random.default_rng(1)
    v = rng.normal(3, 2, size=(50, 2))
    sc = Scaler().fit(v)
    np.testing.assert_allclose(sc.inverse(sc.transform(v)), v)
    np.testing.assert_allclose(sc.mean_, v.mean(axis=0))
    today, future = v[:, 0], v[:, 1]
    for change in (True, False):
        tc = TargetCoder(change).fit(today, future)
        np.testing.assert_allclose(tc.decode(today, tc.encode(today, future)), future)


def test_climatology_is_a_smoothed_day_of_year_mean():
    dates = pd.date_range("2001-01-01", "2004-12-31", freq="D")
    values = np.full(len(dates), 3.0)
    values[dates.month == 7] = 20.0
    clim = Climatology(half_width=0).fit(dates, values)
    assert clim.predict(pd.DatetimeIndex(["2010-07-15", "2010-01-15"])).tolist() == [20.0, 3.0]
    smooth = Climatology(half_width=15).fit(dates, values)
    mid_july = smooth.predict(pd.DatetimeIndex(["2010-07-16"]))[0]
    assert 10 < mid_july <= 20.0
    # the smoothing wraps around the new year: a warm December lifts 1 January, and only the
    # days of late December can do that
    values[dates.month == 12] = 10.0
    wrapped = Climatology(half_width=15).fit(dates, values)
    jan1 = wrapped.predict(pd.DatetimeIndex(["2010-01-01"]))[0]
    assert 3.0 < jan1 < 10.0
    assert wrapped.predict(pd.DatetimeIndex(["2010-01-31"]))[0] == pytest.approx(3.0, abs=0.5)


def test_linear_baseline_recovers_a_linear_rule():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4, 1))
    dates = pd.date_range("2001-01-01", periods=300, freq="D")
    y = 0.8 * X[:, -1, 0] - 0.3 * X[:, -2, 0] + 0.1
    lin = LinearBaseline(ridge=0.0).fit(X, dates, y)
    np.testing.assert_allclose(lin.predict(X, dates), y, atol=1e-8)


def test_monthly_mae_and_score_table_use_the_same_days():
    idx = pd.date_range("2001-01-30", periods=4, freq="D")
    p = pd.DataFrame({"actual": [1.0, 2, 3, 4], "persistence": [0.0, 1, 2, 3],
                      "m": [1.0, 2, 3, 6]}, index=idx)
    table = score_table(p, ["persistence", "m"])
    assert table["persistence"]["mae"] == 1.0 and table["m"]["mae"] == 0.5
    monthly = monthly_mae(p, ["persistence", "m"])
    assert list(monthly.index) == list(range(1, 13))
    assert monthly.loc[1, "m"] == 0.0 and monthly.loc[2, "m"] == 1.0
    assert monthly.loc[5].isna().all()


def _windows_with_fronts(n=600, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4, 1))
    dates = pd.date_range("2000-01-01", periods=n, freq="D")
    y = X[:, -1, 0] * 0.8 - 0.3 * X[:, 0, 0] + rng.normal(0, 0.3, n)
    y[rng.random(n) < 0.05] += 6.0  # rare large jumps, all one way: a front
    return X, dates, y


def test_huber_linear_fit_meets_its_optimality_condition():
    # The fit minimises Σ huber(r) + ½·ridge·n·|β|² (bias unshrunk): at the minimum
    # Aᵀ·clip(r, -δ, δ) = ridge·n·β, which IRLS must reach.
    X, dates, y = _windows_with_fronts()
    fit = LinearBaseline(huber_delta=0.5).fit(X, dates, y)
    A = LinearBaseline.design(X, dates)
    r = y - A @ fit.coef_
    penalty = fit.ridge * len(A) * fit.coef_
    penalty[-1] = 0.0
    np.testing.assert_allclose(A.T @ np.clip(r, -0.5, 0.5), penalty, atol=1e-5)
    assert fit.weights_ is not None and fit.weights_.min() < 0.2  # the fronts were down-weighted


def test_huber_linear_fit_resists_fronts_and_equals_least_squares_for_a_huge_delta():
    X, dates, y = _windows_with_fronts()
    ols = LinearBaseline().fit(X, dates, y)
    huge = LinearBaseline(huber_delta=1e6).fit(X, dates, y)
    np.testing.assert_allclose(huge.coef_, ols.coef_, atol=1e-9)  # no residual reaches δ
    huber = LinearBaseline(huber_delta=0.5).fit(X, dates, y)
    clean = np.abs(y - (X[:, -1, 0] * 0.8 - 0.3 * X[:, 0, 0])) < 2  # days without a front
    pred = {k: m.predict(X, dates) for k, m in (("ols", ols), ("huber", huber))}
    mae = {k: float(np.mean(np.abs(p - y)[clean])) for k, p in pred.items()}
    assert mae["huber"] < mae["ols"]  # least squares is pulled toward the fronts
    assert huber.check(X, dates, y, X, dates) is None  # the reliability check works on it too
    with pytest.raises(ValueError, match="huber_delta"):
        LinearBaseline(huber_delta=0.0)
