"""Vanishing gradients must not fall into float32's subnormal range and slow backward down.

rnn/underflow.py flushes float32 |dz| below ~2.6e-26 to zero at every step of BPTT. These tests
bound what that does to the gradients and check that a backward pass full of would-be
subnormal values runs about as fast as an ordinary one.
"""

import time

import numpy as np
import pytest

from rnn import ElmanRNN, underflow
from rnn.underflow import flush_tiny_

from .helpers import rel_error

TINY32 = np.finfo(np.float32).tiny  # 1.2e-38, the smallest normal float32
SMALLEST32 = np.finfo(np.float32).smallest_subnormal  # 1.4e-45


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_flush_zeroes_tiny_values_and_barely_moves_the_others(dtype):
    rng = np.random.default_rng(0)
    a = (rng.choice([-1, 1], 20_000) * 10.0 ** rng.uniform(-44, 2, 20_000)).astype(dtype)
    before = a.astype(np.float64)
    after = flush_tiny_(a).astype(np.float64)
    ulp = underflow.granularity(dtype)  # float32 2^-83, float64 2^-112
    small = np.abs(before) < ulp / 4
    assert small.any() and (~small).any()
    assert np.all(after[small] == 0.0)
    allowed = np.maximum(ulp / 2, np.spacing(np.abs(before).astype(dtype)).astype(np.float64))
    assert np.all(np.abs(after - before) <= allowed)
    big = np.abs(before) >= 4 * underflow.SHIFT / np.finfo(dtype).eps  # float32: 2^-35
    assert np.all(after[big] == before[big])


def _vanishing_case(hidden=64, batch=64, window=60, seed=0):
    """A float32 model and a last-step dY whose BPTT gradients sweep through 1e-3 .. 1e-45.

    Every row of dY has its own magnitude, so at every step some rows' carried gradients
    are in the subnormal range, as after a few epochs on a long window (issue 15).
    """
    rng = np.random.default_rng(seed)
    m = ElmanRNN(3, hidden, 1, "tanh", seed=seed, dtype=np.float32)
    X = rng.normal(size=(batch, window, 3)).astype(np.float32)
    dY = (rng.choice([-1, 1], (batch, 1)) * 10.0 ** -np.linspace(3, 45, batch)[:, None])
    return m, X, dY.astype(np.float32)


def _reference_bptt(m, X, dY):
    """Plain float64 BPTT without any flushing: the exact gradients (last-step loss)."""
    p = {k: v.astype(np.float64) for k, v in m.params.items()}
    _, cache = m.forward(X)
    H = cache["H"].astype(np.float64)                   # (batch, time, hidden)
    Hprev = np.concatenate([np.zeros_like(H[:, :1]), H[:, :-1]], axis=1)
    dh = dY.astype(np.float64) @ p["W_o"].T
    g = {k: np.zeros_like(v) for k, v in p.items()}
    g["W_o"] = H[:, -1].T @ dY
    g["b_o"] = dY.sum(0)
    subnormal = 0  # entries of dz that float32 could only hold as subnormals
    for t in reversed(range(X.shape[1])):
        dz = dh * (1 - H[:, t] ** 2)
        subnormal += np.count_nonzero((np.abs(dz) < TINY32) & (np.abs(dz) > SMALLEST32))
        g["W_i"] += X[:, t].T.astype(np.float64) @ dz
        g["W_h"] += Hprev[:, t].T @ dz
        g["b_h"] += dz.sum(0)
        dh = dz @ p["W_h"].T
    return g, subnormal / dY.shape[0] / X.shape[1] / p["W_h"].shape[0]


def test_flushed_float32_gradients_match_exact_float64_ones():
    m, X, dY = _vanishing_case(hidden=16)
    ref, subnormal_share = _reference_bptt(m, X, dY)
    assert subnormal_share > 0.05  # the exact gradients do go below float32's normal range
    Y, cache = m.forward(X)
    g = m.backward(dY, cache)
    for k in ref:
        assert rel_error(g[k].astype(np.float64), ref[k]) < 1e-5, k


def _median_backward_seconds(m, X, cases, reps=9):
    """Median CPU seconds of backward for each dY in ``cases``, the calls interleaved so that
    a busy machine slows every case alike (CPU time leaves out waiting for a core)."""
    _, cache = m.forward(X, reuse_buffers=True)
    out = m.new_grad()
    times = [[] for _ in cases]
    for _ in range(reps + 1):
        for i, dY in enumerate(cases):
            t0 = time.process_time()
            m.backward(dY, cache, out=out)
            times[i].append(time.process_time() - t0)
    return [float(np.median(t[1:])) for t in times]  # the first call warms up


def test_backward_is_as_fast_with_vanishing_gradients_as_with_ordinary_ones():
    m, X, dY_vanishing = _vanishing_case(hidden=128)
    dY_ordinary = np.full_like(dY_vanishing, 1e-3)
    _, subnormal_share = _reference_bptt(m, X, dY_vanishing)
    assert subnormal_share > 0.05  # the case is real: unflushed, these dz would be subnormal
    _, cache = m.forward(X)
    m.backward(dY_vanishing, cache)
    dz = np.abs(cache["_buf"]["dZ"].astype(np.float64))  # flushed: none is
    assert not np.any((dz > 0) & (dz < TINY32))
    slow, fast = _median_backward_seconds(m, X, [dY_vanishing, dY_ordinary])
    # Unflushed, this case ran 10-100x slower than the ordinary one on x86 (issue 15).
    assert slow < 3.0 * fast, (slow, fast)
