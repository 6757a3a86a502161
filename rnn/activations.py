"""Activation functions and their derivatives, side by side.

Each forward takes the pre-activation ``z`` and may write into ``out`` (the RNN reuses buffers);
each derivative takes both ``z`` and the activation's output ``h = act(z)``, because tanh and
sigmoid have derivatives that are cheapest to compute from ``h``.
"""

import numpy as np


def tanh(z, out=None):
    return np.tanh(z, out=out)  # squashes to (-1, 1), zero-centred


def tanh_grad(z, h, out=None):
    out = np.multiply(h, h, out=out)  # tanh(z)^2
    return np.subtract(1.0, out, out=out)  # d tanh/dz = 1 - tanh(z)^2


def sigmoid(z, out=None):
    # 1 / (1 + e^-z) written as 0.5 * (1 + tanh(z / 2)): same values, but never overflows.
    out = np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    out += 1.0
    out *= 0.5
    return out


def sigmoid_grad(z, h, out=None):
    out = np.subtract(1.0, h, out=out)  # 1 - s(z)
    return np.multiply(h, out, out=out)  # d s/dz = s(z) * (1 - s(z))


def relu(z, out=None):
    return np.maximum(z, 0.0, out=out)  # max(0, z)


def relu_grad(z, h, out=None):
    if out is None:
        out = np.empty_like(z)
    out[...] = z > 0.0  # d relu/dz = 1 where z > 0, else 0
    return out


# name -> (function, derivative); the models look activations up here.
ACTIVATIONS = {
    "tanh": (tanh, tanh_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "relu": (relu, relu_grad),
}


def get(name):
    """Return ``(act, act_grad)`` for an activation name, with a clear error for unknown names."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}"
        ) from None
