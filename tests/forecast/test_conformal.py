"""Conformal ranges: the finite-sample guarantee and the adaptive repair, by Monte Carlo."""

import math

import numpy as np
import pytest

from forecast.conformal import adaptive_half_widths, conformal_rank, coverage_se, half_width

TRIALS = 6000


def mc_coverage(n: int, alpha: float, rule, seed: int) -> float:
    """Share of fresh days inside ± rule(calibration scores): exchangeable heavy-tailed errors."""
    rng = np.random.default_rng(seed)
    errors = rng.standard_t(3, size=(TRIALS, n + 1))  # n calibration days + 1 new day
    cal, new = np.abs(errors[:, :n]), np.abs(errors[:, n])
    half = np.array([rule(c, alpha) for c in cal])
    return float(np.mean(new <= half))


@pytest.mark.parametrize("n", [9, 15, 30, 100])
@pytest.mark.parametrize("alpha", [0.2, 0.1, 0.05])
def test_exchangeable_coverage_is_at_least_nominal(n, alpha):
    got = mc_coverage(n, alpha, half_width, seed=n)
    mc = math.sqrt(alpha * (1 - alpha) / TRIALS)
    assert got >= 1 - alpha - 3 * mc, (n, alpha, got)
    k = conformal_rank(n, alpha)
    if k <= n:  # and not much more: exactly k / (n + 1) for continuous scores
        assert got <= k / (n + 1) + 3 * mc, (n, alpha, got)
    else:  # too few days for 1 − α: an infinite range, said as such
        assert half_width(np.ones(n), alpha) == math.inf and got == 1.0


def test_the_default_quantile_falls_short_at_nine_days():
    # the rule the module avoids: np.quantile's interpolation covers ~0.83 for 0.90 at n = 9
    got = mc_coverage(9, 0.1, lambda c, a: np.quantile(c, 1 - a), seed=1)
    assert got < 0.9 - 3 * math.sqrt(0.09 / TRIALS)
    assert conformal_rank(9, 0.1) == 9 and conformal_rank(19, 0.05) == 19
    assert conformal_rank(100, 0.2) == 81


def shifted_ar1(seed: int, n: int = 900, shift_at: int = 400, shift: float = 3.0):
    """An AR(1) (φ 0.6) whose mean jumps at ``shift_at``; one-step forecasts by the rule fitted
    before the jump. Returns (calibration |errors| of days 100-299, test |errors| from 300)."""
    rng = np.random.default_rng(seed)
    phi, y = 0.6, np.zeros(n)
    mean = np.where(np.arange(n) >= shift_at, shift, 0.0)
    for t in range(1, n):
        y[t] = mean[t] + phi * (y[t - 1] - mean[t - 1]) + rng.normal()
    forecast = phi * y[:-1]  # the pre-change model: mean 0 forever
    err = np.abs(y[1:] - forecast)
    return err[100:300], err[300:]


def test_aci_recovers_coverage_after_a_level_shift_where_the_fixed_range_does_not():
    fixed, adaptive, before = [], [], []
    for seed in range(20):
        cal, test = shifted_ar1(seed)
        q = half_width(cal, 0.1)
        aci = adaptive_half_widths(cal, test, 0.1)
        before.append(np.mean(test[:99] <= q))  # test days before the change
        after = slice(199, None)  # from 100 days after the change to the end
        fixed.append(np.mean(test[after] <= q))
        adaptive.append(np.mean(test[after] <= aci[after]))
    assert np.mean(before) >= 0.85  # the fixed range is fine while nothing changes
    assert np.mean(fixed) < 0.75  # after the change it fails and stays failed
    assert abs(np.mean(adaptive) - 0.9) < 0.03  # the adaptive one is back near 90 %


def test_aci_keeps_the_nominal_rate_on_exchangeable_days():
    rng = np.random.default_rng(5)
    cal, test = np.abs(rng.normal(size=200)), np.abs(rng.normal(size=2000))
    aci = adaptive_half_widths(cal, test, 0.2)
    assert abs(np.mean(test <= aci) - 0.8) < 0.02  # long-run miss rate → α (G&C, Prop. 4.1)


def test_coverage_error_counts_runs_of_misses_and_the_calibration():
    steady = np.tile([1, 1, 1, 1, 0], 40).astype(bool)  # misses spread out
    runs = np.repeat([True, False], [160, 40])  # the same misses in one run
    assert coverage_se(runs, 0.8, 10_000) > coverage_se(steady, 0.8, 10_000)
    assert coverage_se(steady, 0.8, 50) > coverage_se(steady, 0.8, 10_000)


def aci_by_the_definition(cal, test, alpha, gamma=0.02):
    """ACI as written in the paper: sort the last n known scores again every day."""
    known = [float(x) for x in cal if np.isfinite(x)]
    n, a_t, out = len(known), alpha, []
    for s in test:
        recent = np.sort(known[-n:])
        k = math.ceil((n + 1) * (1 - min(a_t, 1.0)) - 1e-9)
        out.append(recent[-1] if a_t <= 0 else recent[min(max(k, 1), n) - 1])
        if np.isfinite(s):
            a_t += gamma * (alpha - float(s > out[-1]))
            known.append(float(s))
    return np.array(out)


@pytest.mark.parametrize("seed", range(6))
def test_aci_keeps_its_window_sorted_and_gives_the_definitions_widths_exactly(seed):
    rng = np.random.default_rng(seed)
    cal = np.round(np.abs(rng.standard_t(3, size=rng.integers(5, 60))), 1)  # ties, heavy tails
    test = np.round(np.abs(rng.standard_t(3, size=300)) * rng.choice([1, 3], 300), 1)
    cal[rng.random(len(cal)) < 0.1] = np.nan  # days without a truth
    test[rng.random(300) < 0.1] = np.nan
    for alpha, gamma in [(0.1, 0.02), (0.2, 0.3), (0.5, 0.9)]:  # big steps: α_t leaves (0, 1)
        fast = adaptive_half_widths(cal, test, alpha, gamma)
        assert np.array_equal(fast, aci_by_the_definition(cal, test, alpha, gamma))
