"""Prediction ranges with a coverage guarantee: split conformal prediction, and its adaptive form.

Split conformal. A forecast's absolute errors on calibration days it was not fitted on are the
scores s_1..s_n. For a new day exchangeable with them, the range forecast ± q with q the
⌈(n + 1)(1 − α)⌉-th smallest score holds the truth with probability at least 1 − α (Vovk et
al. 2005; Lei et al. 2018). The "+1" counts the new day itself: np.quantile's default
interpolation of the scores covers only about 0.83 instead of 0.90 at n = 9. When that rank is
beyond n no finite range can promise 1 − α: the half-width is infinite.

Adaptive conformal inference (ACI; Gibbs & Candès 2021). Weather is not exchangeable across a
change of regime; as each day's truth arrives the miss rate is steered back to α by
α_{t+1} = α_t + γ (α − err_t), err_t = 1 when day t fell outside its range. The scores are the
last n known (the calibration days, then the test days as their truths arrive). A miss narrows
α_t, so the next range is wider; a run of hits widens it back. When α_t ≤ 0 the range is the
largest score known (the method would call for an infinite one).

NumPy only; no model in here: scores in, half-widths out.
"""

from __future__ import annotations

import bisect
import math

import numpy as np

ACI_GAMMA = 0.02  # step of α per day: recovers within weeks on 100–800 test days (G&C: 0.005
#   for thousands of days; a larger step reacts faster and wobbles more)


def conformal_rank(n: int, alpha: float) -> int:
    """The rank (1-based) of the score that is the range's half-width: ⌈(n + 1)(1 − α)⌉."""
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1 (got {alpha})")
    # the small tolerance keeps (n + 1)(1 − α) = an integer from rounding up by float error
    return math.ceil((n + 1) * (1 - alpha) - 1e-9)


def half_width(scores: np.ndarray, alpha: float) -> float:
    """The split-conformal half-width from calibration scores (NaN scores dropped); inf when
    there are too few scores for 1 − α (rank beyond n) or none at all."""
    s = np.sort(np.asarray(scores, dtype=float)[np.isfinite(scores)])
    k = conformal_rank(len(s), alpha)
    return float(s[k - 1]) if 1 <= k <= len(s) else math.inf


def adaptive_half_widths(cal_scores: np.ndarray, test_scores: np.ndarray, alpha: float,
                         gamma: float = ACI_GAMMA) -> np.ndarray:
    """(n_test,) ACI half-widths: day t's uses α_t and the last n scores known before day t.

    cal_scores: (n,) calibration scores; test_scores: (n_test,) |error| of each test day in
    time order, revealed one by one after its range is set (NaN: no truth, α unchanged).
    """
    known = [float(x) for x in np.asarray(cal_scores, dtype=float) if np.isfinite(x)]
    n = len(known)
    if n == 0:
        return np.full(len(test_scores), math.inf)
    # the last n known scores, kept sorted as one leaves and one arrives (not sorted again
    # every day: a results page asks for 12 of these, each over hundreds of test days)
    recent = sorted(known)
    a_t = alpha
    out = np.empty(len(test_scores))
    for t, s in enumerate(np.asarray(test_scores, dtype=float)):
        if a_t <= 0:
            out[t] = recent[-1]  # the largest known score (an infinite range in theory)
        else:
            k = math.ceil((n + 1) * (1 - min(a_t, 1.0)) - 1e-9)  # α_t ≥ 1: the smallest
            out[t] = recent[min(max(k, 1), n) - 1]
        if np.isfinite(s):
            err = float(s > out[t])
            a_t += gamma * (alpha - err)
            del recent[bisect.bisect_left(recent, known[-n])]  # the oldest of the n leaves
            known.append(float(s))
            bisect.insort(recent, known[-1])
    return out


def inside(actual: np.ndarray, forecast: np.ndarray, half: np.ndarray | float) -> np.ndarray:
    """(n,) True where the truth fell within forecast ± half (ends included)."""
    return np.abs(np.asarray(actual, float) - np.asarray(forecast, float)) <= half


def coverage_se(hits: np.ndarray, nominal: float, n_cal: int, block: int = 7) -> float:
    """Standard error of a measured coverage: the test days' share and the calibration's luck.

    Misses come in runs (a cold spell), so the test part is the spread of week-long block means
    (at least the binomial error at the nominal rate); the calibration part is the spread of the
    coverage a random calibration set of n_cal gives, about sqrt(α (1 − α) / (n_cal + 2)).
    """
    h = np.asarray(hits, dtype=float)
    n = len(h)
    binom = nominal * (1 - nominal) / max(n, 1)
    n_blocks = n // block
    if n_blocks >= 2:
        means = h[: n_blocks * block].reshape(n_blocks, block).mean(axis=1)
        test_var = max(float(np.var(means, ddof=1)) / n_blocks, binom)
    else:
        test_var = binom
    return math.sqrt(test_var + nominal * (1 - nominal) / (n_cal + 2))
