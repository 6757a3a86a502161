"""Shared helpers for the rnn tests: finite differences and a learnable sequence."""

import numpy as np


def numerical_grads(model, loss_fn, eps=1e-6):
    """Central differences of ``loss_fn()`` w.r.t. every parameter, in place on the views."""
    grads = {}
    for name, p in model.params.items():
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            old = p[i]
            p[i] = old + eps
            plus = loss_fn()
            p[i] = old - eps
            minus = loss_fn()
            p[i] = old
            g[i] = (plus - minus) / (2 * eps)
        grads[name] = g
    return grads


def rel_error(a, b):
    """Relative error ||a - b|| / (||a|| + ||b||), 0 when both are 0."""
    den = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if den == 0 else float(np.linalg.norm(a - b) / den)


def noisy_sine(n=2000, period=50, noise=0.1, window=14, seed=0, dtype=np.float32):
    """Windows of a noisy sine and the next value: X (n-window, window, 1), y (n-window, 1)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    s = np.sin(2 * np.pi * t / period) + noise * rng.normal(size=n)
    X = np.lib.stride_tricks.sliding_window_view(s[:-1], window)[:, :, None]
    y = s[window:, None]
    return X.astype(dtype), y.astype(dtype)
