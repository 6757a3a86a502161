"""The interval method on cases with a known answer (forecast/compare.py)."""

import numpy as np
import pytest

from forecast.compare import BLOCK_DAYS, block_indices, compare, compare_all


def ar1(n: int, phi: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = np.zeros(n)
    for i in range(1, n):
        x[i] = phi * x[i - 1] + rng.normal()
    return x


def test_identical_errors_are_a_tie_with_a_zero_interval():
    e = np.abs(np.random.default_rng(0).normal(size=200))
    c = compare(e, e.copy())
    assert c == {"diff": 0.0, "low": 0.0, "high": 0.0, "verdict": "tie"}


def test_a_clearly_better_model_is_better_and_the_reverse_is_worse():
    rng = np.random.default_rng(1)
    b = np.abs(rng.normal(2.0, 1.0, size=150))
    a = np.abs(b - 0.6 + rng.normal(0, 0.1, size=150)) * 0.7  # much smaller errors every day
    assert compare(a, b)["verdict"] == "better"
    assert compare(b, a)["verdict"] == "worse"
    c = compare(a, b)
    assert c["low"] < c["diff"] < c["high"] < 0


def test_the_bootstrap_is_paired_so_shared_weather_cancels():
    # errors that swing wildly from day to day, but b is always exactly 0.1 worse than a
    a = np.abs(ar1(120, 0.8, 2)) * 3
    b = a + 0.1
    c = compare(a, b)
    np.testing.assert_allclose([c["diff"], c["low"], c["high"]], [-0.1, -0.1, -0.1], atol=1e-12)
    assert c["verdict"] == "better"
    # unpaired (b's days shuffled) the same means are far from certain: the pairing is the point
    unpaired = compare(a, np.random.default_rng(3).permutation(b))
    assert unpaired["high"] - unpaired["low"] > 0.3


def test_resampled_days_are_circular_runs_of_a_week_and_deterministic():
    idx = block_indices(50, n_boot=100)
    assert idx.shape == (100, 50)
    np.testing.assert_array_equal(idx, block_indices(50, n_boot=100))
    steps = (np.diff(idx, axis=1) % 50)[:, : BLOCK_DAYS - 1]  # inside the first block
    assert (steps == 1).all()
    blocks = idx[:, :49].reshape(100, 7, 7)  # every block: 7 consecutive days, wrapping
    assert ((np.diff(blocks, axis=2) % 50) == 1).all()


def test_shuffled_blocks_keep_their_pairing():
    rng = np.random.default_rng(4)
    a = np.abs(ar1(140, 0.7, 5)) + 1.0
    b = a + rng.normal(0.05, 0.3, size=140)
    order = np.concatenate([np.arange(w * 7, w * 7 + 7) for w in rng.permutation(20)])
    same = compare(a[order], b[order])  # the weeks reordered, the same for both models
    base = compare(a, b)
    assert same["diff"] == base["diff"]
    assert abs((same["high"] - same["low"]) - (base["high"] - base["low"])) < 0.05
    broken = compare(a[order], b)  # pairing broken: a day of a set against another day of b
    assert broken["high"] - broken["low"] > 2 * (base["high"] - base["low"])


def test_blocks_widen_the_interval_when_errors_are_correlated_in_time():
    d = ar1(300, 0.9, 6) * 0.2  # a slowly wandering difference between two models
    a, b = 2.0 + d, np.full(300, 2.0)
    week = compare(a, b, block_indices(300, block=7))
    day = compare(a, b, block_indices(300, block=1))
    assert week["high"] - week["low"] > 1.5 * (day["high"] - day["low"])


def test_the_seed_spread_widens_the_interval():
    rng = np.random.default_rng(7)
    base = np.abs(rng.normal(1.5, 0.8, size=200))
    other = base + 0.05
    calm = np.stack([base, base, base])
    noisy = np.stack([base - 0.1, base, base + 0.1])  # same mean, seeds far apart
    assert compare(calm, other)["verdict"] == "better"
    c = compare(noisy, other)
    assert c["verdict"] == "tie" and c["low"] < 0 < c["high"]
    assert abs(c["diff"] - compare(calm, other)["diff"]) < 1e-12


def test_compare_all_is_the_reference_against_each_other_model():
    e = np.abs(np.random.default_rng(8).normal(size=(3, 60)))
    out = compare_all({"rnn": e, "dense": e + 1, "persistence": e[0]})
    assert set(out) == {"dense", "persistence"}
    assert out["dense"]["verdict"] == "better"


def test_t_quantile_matches_the_printed_tables():
    from forecast.compare import day_quantile, t_quantile

    for df, printed in [(1, 12.706), (2, 4.303), (5, 2.571), (15, 2.131), (30, 2.042)]:
        assert abs(t_quantile(0.975, df) - printed) < 1e-3
    assert abs(t_quantile(0.9, 10) - 1.372) < 1e-3
    assert day_quantile(108) == t_quantile(0.975, 15)  # 108 days: 16 week-long blocks


def test_one_repeat_never_separates_two_networks():
    from forecast.compare import ONE_REPEAT

    rng = np.random.default_rng(7)
    b = np.abs(rng.normal(2.0, 1.0, size=(1, 150)))
    a = b * 0.5  # far better on every day, but from one seed each
    assert compare(a, b)["verdict"] == "better"  # as plain error series: clearly different
    c = compare(a, b, networks=True)
    assert c["verdict"] == "tie" and c["reason"] == ONE_REPEAT
    assert c["diff"] < 0  # the numbers are still reported
    two = compare(np.repeat(a, 2, 0) + rng.normal(0, 0.01, (2, 150)), np.repeat(b, 2, 0),
                  networks=True)
    assert two["verdict"] == "better" and "reason" not in two
    # a network against a baseline (one row by nature) keeps its verdict
    out = compare_all({"rnn": a, "dense": b, "persistence": b[0]}, networks=("rnn", "dense"))
    assert out["dense"]["reason"] == ONE_REPEAT and out["persistence"]["verdict"] == "better"


def test_a_seed_spread_from_two_seeds_gets_t_with_welch_degrees_of_freedom():
    base = np.abs(np.random.default_rng(8).normal(2.0, 1.0, size=140))
    a = np.stack([base, base + 0.4])  # seeds 0.4 °C apart on every day
    b = np.stack([base + 0.1, base + 0.2])
    c = compare(a, b, networks=True)  # the daily difference is constant: no day spread at all
    seed_var = np.var([0.0, 0.4], ddof=1) / 2 + np.var([0.1, 0.2], ddof=1) / 2
    # Welch–Satterthwaite: 0.0425² / (0.04² + 0.0025²) ≈ 1.1 -> 1 degree of freedom, t = 12.706
    assert c["high"] - c["diff"] == pytest.approx(12.706 * np.sqrt(seed_var), rel=1e-3)
    assert c["verdict"] == "tie"
    many = compare(np.repeat(a, 5, 0), np.repeat(b, 5, 0), networks=True)  # 10 seeds each
    assert many["high"] - many["diff"] < 0.5 * (c["high"] - c["diff"])  # more seeds, narrower
