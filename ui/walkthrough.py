"""The RNN-from-scratch lesson's feed-forward steps with real numbers, one time step at a time.

A deliberately plain re-implementation of the RNN's forward pass (one window, one step at a
time, no batching), written in the lesson's order so the app can print every intermediate number:

    1. x·W_i            the input scaled by the input weights
    2. h_prev·W_h       yesterday's hidden state scaled by the hidden weights (h_0 = 0)
    3. z = x·W_i + h_prev·W_h + b_h
    4. h = act(z)       the new hidden state, carried to the next step
    5. y = h·W_o + b_o  the output at this step; the last step's y is the forecast
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

_ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "tanh": np.tanh,
    "sigmoid": lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)),  # = 1/(1+e^-z), no overflow
    "relu": lambda z: np.maximum(z, 0.0),
}


def walkthrough_steps(
    params: Mapping[str, np.ndarray],
    X_scaled: np.ndarray,
    activation: str,
    dates: Sequence | None = None,
    input_names: Sequence[str] | None = None,
) -> list[dict]:
    """Run one window through the RNN step by step; return every intermediate value.

    params: W_i (n_in, hidden), W_h (hidden, hidden), b_h (hidden,), W_o (hidden, out), b_o (out,).
    X_scaled: (time, n_in) — or (1, time, n_in) — the window's inputs as the network sees them.
    Returns one dict per step: step, date, x, xWi, hWh, b_h, z, h, y (output 0 of this step,
    scaled units), activation, input_names, is_last.
    """
    if activation not in _ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(_ACTIVATIONS)}, not {activation!r}")
    act = _ACTIVATIONS[activation]
    X = np.asarray(X_scaled, dtype=np.float64)
    if X.ndim == 3 and X.shape[0] == 1:
        X = X[0]
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError(f"X_scaled must be (time, n_inputs), got shape {np.shape(X_scaled)}")
    W_i = np.asarray(params["W_i"], dtype=np.float64)
    W_h = np.asarray(params["W_h"], dtype=np.float64)
    b_h = np.asarray(params["b_h"], dtype=np.float64).reshape(-1)
    W_o = np.asarray(params["W_o"], dtype=np.float64)
    b_o = np.asarray(params["b_o"], dtype=np.float64).reshape(-1)
    if W_o.ndim == 1:
        W_o = W_o[:, None]
    T, n_in = X.shape
    if W_i.shape[0] != n_in:
        raise ValueError(f"W_i expects {W_i.shape[0]} inputs, the window has {n_in}")
    names = list(input_names) if input_names is not None else [f"x{j + 1}" for j in range(n_in)]
    dates = list(dates) if dates is not None else [None] * T

    steps = []
    h_prev = np.zeros(W_h.shape[0])  # h_0 = 0
    for t in range(T):
        x = X[t]
        xWi = x @ W_i  # 1. input · input weights
        hWh = h_prev @ W_h  # 2. previous hidden state · hidden weights
        z = xWi + hWh + b_h  # 3. their sum, plus the bias
        h = act(z)  # 4. the activation: the new memory
        y = h @ W_o + b_o  # 5. output of this step
        steps.append(
            {
                "step": t + 1,
                "date": dates[t] if t < len(dates) else None,
                "x": x.tolist(),
                "xWi": xWi.tolist(),
                "hWh": hWh.tolist(),
                "b_h": b_h.tolist(),
                "z": z.tolist(),
                "h": h.tolist(),
                "y": float(y[0]),
                "activation": activation,
                "input_names": names,
                "is_last": t == T - 1,
            }
        )
        h_prev = h
    return steps


def walkthrough_table(
    steps: Sequence[Mapping],
    n_units: int = 4,
    digits: int = 3,
    input_names: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per time step: date, inputs, and for the first `n_units` hidden units the lesson's
    numbers x·W_i, h_prev·W_h, their sum (+ b_h) and the activation; then ŷ (scaled units).
    `input_names` overrides the names stored in the steps.

    The last row's ŷ is the network's forecast for the day after the window (in scaled units;
    the app decodes it to °C).
    """
    if not steps:
        return pd.DataFrame(columns=["Step", "Date"])
    act = steps[0].get("activation", "act")
    names = list(input_names) if input_names is not None else None
    names = names or steps[0].get("input_names") or [f"x{j + 1}" for j in range(len(steps[0]["x"]))]
    n_units = min(int(n_units), len(steps[0]["h"]))
    rows: list[dict] = []
    for s in steps:
        date = s.get("date")
        row = {
            "Step": int(s.get("step", len(rows) + 1)),
            "Date": "" if date is None else pd.Timestamp(date).strftime("%Y-%m-%d"),
        }
        for name, value in zip(names, s["x"], strict=False):
            row[f"x: {name}"] = round(float(value), digits)
        for j in range(n_units):
            u = f"h{j + 1}"
            row[f"{u}: x·W_i"] = round(float(s["xWi"][j]), digits)
            row[f"{u}: h_prev·W_h"] = round(float(s["hWh"][j]), digits)
            row[f"{u}: sum + b_h"] = round(float(s["z"][j]), digits)
            row[f"{u}: {act}(sum)"] = round(float(s["h"][j]), digits)
        y = s.get("y")
        row["ŷ = h·W_o + b_o"] = None if y is None else round(float(y), digits)
        rows.append(row)
    return pd.DataFrame(rows)
