"""The memory probe: how much the forecast moves per unit change of each past input.

rnn's backward returns weight gradients only, so the gradient with respect to the inputs is
walked back here from the forward cache — the same BPTT steps, ending in x_t instead of W.
"""

from __future__ import annotations

import numpy as np

from rnn.underflow import flush_tiny_


def rnn_input_gradient(model, X: np.ndarray, batch_size: int = 256) -> np.ndarray:
    """d y_last / d X for output 0 of an ElmanRNN, many-to-one. X, result: (batch, time, n_in).

    Walked ``batch_size`` windows at a time, so the forward cache never holds the whole set.
    """
    parts = [_rnn_input_gradient(model, X[a:a + batch_size]) for a in range(0, len(X), batch_size)]
    return np.concatenate(parts) if parts else np.empty(X.shape, dtype=model.dtype)


def _rnn_input_gradient(model, X: np.ndarray) -> np.ndarray:
    _, cache = model.forward(X)
    Z, H = cache["Z"], cache["H"]  # (batch, time, hidden)
    p = model.params
    T = Z.shape[1]
    dh = np.broadcast_to(p["W_o"][:, 0], Z[:, 0].shape).copy()  # dy_T/dh_T = W_o  (batch, hidden)
    dX = np.empty(cache["X"].shape, dtype=Z.dtype)
    for t in reversed(range(T)):
        dz = flush_tiny_(dh * model.act_grad(Z[:, t], H[:, t]))  # dz_t = dh_t ⊙ act'(z_t),
        #                                               no subnormals (see rnn/underflow.py)
        dX[:, t] = dz @ p["W_i"].T  # dx_t = dz_t·W_iᵀ
        dh = dz @ p["W_h"].T  # carry back to h_{t-1}
    return dX


def dense_input_gradient(model, X: np.ndarray) -> np.ndarray:
    """d y / d X for output 0 of a Dense network. X, result: (batch, n_inputs)."""
    _, cache = model.forward(X)
    p = model.params
    dz = p["W_o"][:, 0] * model.act_grad(cache["Z"], cache["H"])  # (batch, hidden)
    return dz @ p["W_i"].T  # (batch, n_inputs)


def lag_sensitivity(dX_target: np.ndarray, out_per_in: float, skip: bool) -> np.ndarray:
    """Mean |d forecast °C / d target °C| per lag 1..window (lag 1 = the last input day).

    dX_target: (batch, window) gradient of the scaled output w.r.t. the scaled target input,
    oldest first. out_per_in converts scaled/scaled to °C/°C. With ``skip`` the forecast is
    today + predicted change, so today's value also moves it one-for-one.
    """
    g = dX_target[:, ::-1] * out_per_in  # (batch, window), lag 1 first
    if skip:
        g = g.copy()
        g[:, 0] += 1.0
    return np.mean(np.abs(g), axis=0)
