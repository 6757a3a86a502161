"""Is the RNN really better? The MAE difference with a 95 % interval, and a verdict.

Method. For the RNN against another model, ``diff`` is the RNN's MAE minus that model's MAE,
each MAE being the mean over the model's seeds (a baseline has one "seed"). Two sources of
chance are in it. (1) The test days: another stretch of weather would give other errors, and
errors on neighbouring days are correlated (a cold spell misleads every model for several days),
so the days are resampled with a circular block bootstrap — blocks of ``BLOCK_DAYS`` = 7
consecutive test days (wrapping past the end), drawn at random starts until the test length is
filled, ``N_BOOT`` = 2000 times. The bootstrap is *paired*: every replicate takes the same days
for both models, so the day-to-day weather both models share cancels out of the difference.
The 2.5 and 97.5 percentiles of the replicated differences give the day half-widths
(below and above ``diff``). (2) The seeds: another set of start weights gives another network.
Each network's MAE over K seeds has variance sd²/K, sd being the spread of its per-seed MAEs on
the same test days; the two models' seed variances add, 1.96·sqrt(sd_a²/K_a + sd_b²/K_b) is the
seed half-width, and each side of the interval combines its day half-width with it in quadrature
(the two sources are independent). The comparison is ``better`` when the whole interval is below
zero, ``worse`` when it is above, and ``tie`` — could not be told apart — when it contains zero.
The generator is seeded (``RNG_SEED``), so the same errors always give the same interval.
"""

from __future__ import annotations

import numpy as np

BLOCK_DAYS = 7  # about a week: longer than the day-to-day memory of the weather errors
N_BOOT = 2000  # replicates: percentiles stable to about ±0.002 °C on these test lengths
RNG_SEED = 0  # fixed: an interval is part of the result, so it must not change run to run
Z95 = 1.959964  # the normal quantile of a two-sided 95 % interval


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
            idx: np.ndarray | None = None) -> dict:
    """Model a minus model b: {"diff", "low", "high", "verdict"} in the errors' units.

    abs_err_*: (seeds, days) or (days,) absolute errors on the same test days, in the same order.
    idx: resampled day positions from block_indices (made here when None).
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
    lo_days, hi_days = np.percentile(reps, [2.5, 97.5])
    seed_var = sum(float(np.var(x.mean(axis=1), ddof=1)) / len(x) for x in (a, b) if len(x) > 1)
    half_seed = Z95 * np.sqrt(seed_var)
    low = diff - float(np.hypot(max(diff - lo_days, 0.0), half_seed))
    high = diff + float(np.hypot(max(hi_days - diff, 0.0), half_seed))
    verdict = "better" if high < 0 else "worse" if low > 0 else "tie"
    return {"diff": diff, "low": low, "high": high, "verdict": verdict}


def compare_all(abs_errors: dict[str, np.ndarray], ref: str = "rnn") -> dict[str, dict]:
    """``ref`` against every other model in ``abs_errors`` (same resampled days for all)."""
    n = _as_seeds(abs_errors[ref]).shape[1]
    idx = block_indices(n)
    return {m: compare(abs_errors[ref], e, idx) for m, e in abs_errors.items() if m != ref}
