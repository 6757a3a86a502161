"""Is the RNN really better? The MAE difference with a 95 % interval, and a verdict.

Method. For the RNN against another model, ``diff`` is the RNN's MAE minus that model's MAE,
each MAE being the mean over the model's seeds (a baseline has one "seed"). Two sources of
chance are in it. (1) The test days: another stretch of weather would give other errors, and
errors on neighbouring days are correlated (a cold spell misleads every model for several days),
so the days are resampled with a circular block bootstrap — blocks of ``BLOCK_DAYS`` = 7
consecutive test days (wrapping past the end), drawn at random starts until the test length is
filled, ``N_BOOT`` = 2000 times. The bootstrap is *paired*: every replicate takes the same days
for both models, so the day-to-day weather both models share cancels out of the difference.
The day half-width is t(blocks − 1)'s 97.5 % quantile times the replicates' standard deviation
(blocks = week-long blocks in the test period): the bootstrap's own percentiles were liberal on
short test periods (5.7–7.6 % false differences at 108 test days in simulation, against 5 %);
the t quantile pays for a spread estimated from few blocks (benchmarks/verdict_audit.py
measures the size). (2) The seeds: another set of start weights gives another network. Each
network's MAE over K seeds has variance sd²/K, sd being the spread of its per-seed MAEs on the
same test days. The day and seed variances add (the two sources are independent); the
half-width is t's 97.5 % quantile times the root of the sum, its degrees of freedom by
Welch–Satterthwaite (rounded down) from the parts' own (blocks − 1 for the days, K − 1 for each
model's seeds): with 2 or 3 seeds the seed spread is itself a guess, and a 1.96 on it called
identical networks different up to 11 % of the time on the synthetic echo series
(benchmarks/verdict_audit.py).
With the day part alone this is exactly t(blocks − 1) × sd. With one repeat the seed term cannot
be estimated at all, so two networks are never called better or worse than each other from one
seed each: the comparison is a tie with ``reason`` = ``ONE_REPEAT`` (an audit called identical
networks different 9.9 % of the time without this rule). The comparison is ``better`` when the
whole interval is below zero, ``worse`` when it is above, and ``tie`` — could not be told
apart — when it contains zero. The generator is seeded (``RNG_SEED``), so the same errors
always give the same interval.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from functools import lru_cache

import numpy as np

BLOCK_DAYS = 7  # about a week: longer than the day-to-day memory of the weather errors
N_BOOT = 2000  # replicates: percentiles stable to about ±0.002 °C on these test lengths
RNG_SEED = 0  # fixed: an interval is part of the result, so it must not change run to run
Z95 = 1.959964  # the normal quantile of a two-sided 95 % interval
ONE_REPEAT = "one repeat: cannot tell — use 2 or more"  # network vs network from one seed each


def t_quantile(p: float, df: float) -> float:
    """Student's t quantile (0.5 < p < 1), by bisection on the CDF integrated numerically.

    NumPy only (forecast does not depend on SciPy); accurate to about 1e-6 for df ≥ 1.
    """
    if not 0.5 < p < 1 or df < 1:
        raise ValueError(f"t_quantile needs 0.5 < p < 1 and df >= 1 (got p={p}, df={df})")
    # density of t(df): c (1 + x²/df)^(-(df+1)/2); CDF(x) = 1/2 + ∫_0^x density
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)

    def cdf(x: float) -> float:
        u = np.linspace(0.0, math.atan(x), 4001)  # x = tan(u): a finite range for heavy tails
        f = c * (1 + np.tan(u) ** 2 / df) ** (-(df + 1) / 2) / np.cos(u) ** 2
        return 0.5 + float(np.sum((f[1:] + f[:-1]) / 2) * (u[1] - u[0]))

    lo, hi = 0.0, 1.0
    while cdf(hi) < p:
        hi *= 2
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cdf(mid) < p else (lo, mid)
    return (lo + hi) / 2


def _t975(df: float) -> float:
    """t's 97.5 % quantile at df rounded down (the conservative custom for Welch's df; on the
    synthetic echo series real-valued df left 2 seeds at 5.1 % false differences, rounded down
    4.7 %); the normal quantile beyond 1000."""
    return Z95 if not df < 1000 else _t975_int(max(int(df), 1))


@lru_cache(maxsize=1024)
def _t975_int(df: int) -> float:
    return t_quantile(0.975, df)


@lru_cache(maxsize=64)
def day_quantile(n: int, block: int = BLOCK_DAYS) -> float:
    """The multiplier of the bootstrap's standard deviation: t(blocks − 1) at 97.5 %."""
    blocks = -(-n // max(1, min(block, n)))
    return t_quantile(0.975, blocks - 1) if blocks > 1 else float("inf")


def block_indices(n: int, block: int = BLOCK_DAYS, n_boot: int = N_BOOT,
                  seed: int = RNG_SEED) -> np.ndarray:
    """(n_boot, n) day positions: circular blocks of ``block`` consecutive days, random starts."""
    block = max(1, min(block, n))
    n_blocks = -(-n // block)  # ceil
    rng = np.random.default_rng(seed)
    starts = rng.integers(0, n, size=(n_boot, n_blocks))  # (n_boot, n_blocks)
    idx = (starts[:, :, None] + np.arange(block)[None, None, :]) % n  # (n_boot, n_blocks, block)
    return idx.reshape(n_boot, -1)[:, :n]


def _as_seeds(abs_err: np.ndarray) -> np.ndarray:
    a = np.asarray(abs_err, dtype=float)
    return a[None, :] if a.ndim == 1 else a  # (seeds, days)


def compare(abs_err_a: np.ndarray, abs_err_b: np.ndarray,
            idx: np.ndarray | None = None, networks: bool = False) -> dict:
    """Model a minus model b: {"diff", "low", "high", "verdict"} in the errors' units, plus
    "reason" when the verdict is a tie for lack of repeats.

    abs_err_*: (seeds, days) or (days,) absolute errors on the same test days, in the same order.
    idx: resampled day positions from block_indices (made here when None).
    networks: both models are networks (their rows are seeds): with fewer than two seeds on
    either side the verdict is a tie, "one repeat: cannot tell — use 2 or more".
    """
    a, b = _as_seeds(abs_err_a), _as_seeds(abs_err_b)
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"both models need the same test days ({a.shape[1]} vs {b.shape[1]})")
    n = a.shape[1]
    if idx is None:
        idx = block_indices(n)
    d = a.mean(axis=0) - b.mean(axis=0)  # (days,) paired daily difference of seed-mean errors
    diff = float(d.mean())
    reps = d[idx].mean(axis=1)  # (n_boot,) the same resampled days for both models
    day_var = float(np.var(reps, ddof=1))
    blocks = -(-n // max(1, min(BLOCK_DAYS, n)))
    # (variance, degrees of freedom) of each part: the days, then each model's seed mean
    parts = [(day_var, blocks - 1)] + [(float(np.var(x.mean(axis=1), ddof=1)) / len(x),
                                        len(x) - 1) for x in (a, b) if len(x) > 1]
    total = sum(v for v, _ in parts)
    denom = sum(v * v / k for v, k in parts if k > 0)
    df = total * total / denom if denom > 0 else math.inf  # Welch–Satterthwaite, rounded down
    half = _t975(df) * math.sqrt(total)
    low, high = diff - half, diff + half
    out = {"diff": diff, "low": low, "high": high,
           "verdict": "better" if high < 0 else "worse" if low > 0 else "tie"}
    if networks and min(len(a), len(b)) < 2:
        out.update(verdict="tie", reason=ONE_REPEAT)
    return out


def compare_all(abs_errors: dict[str, np.ndarray], ref: str = "rnn",
                networks: Collection[str] = ()) -> dict[str, dict]:
    """``ref`` against every other model in ``abs_errors`` (same resampled days for all).
    ``networks``: the models whose rows are seeds (compare's one-repeat rule)."""
    n = _as_seeds(abs_errors[ref]).shape[1]
    idx = block_indices(n)
    return {m: compare(abs_errors[ref], e, idx, networks=ref in networks and m in networks)
            for m, e in abs_errors.items() if m != ref}
