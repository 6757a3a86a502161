"""Weight initialisation, chosen per activation so that training starts well.

- Input and output weights: Glorot/Xavier for tanh and sigmoid (keeps the variance of
  activations and of gradients roughly equal from layer to layer for activations that are linear
  around 0), He for relu (relu zeroes half of its inputs, so the variance is doubled to make up).
- Recurrent weights W_h: a random orthogonal matrix scaled by 0.9. Every singular value is then
  0.9, so the spectral radius is below 1: repeated multiplication by W_h over the time steps
  neither blows the hidden state up nor shrinks it away quickly, which keeps backpropagation
  through time stable at the start of training.
- Biases start at zero.

Weights are drawn in float64 and then cast, so a float32 and a float64 model built with the same
seed hold the same numbers (up to rounding).
"""

import numpy as np

RECURRENT_GAIN = 0.9  # spectral radius of W_h at initialisation (< 1, see above)


def glorot(rng, n_in, n_out):
    """Glorot/Xavier uniform: U(-a, a) with a = sqrt(6 / (n_in + n_out))."""
    a = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-a, a, size=(n_in, n_out))


def he(rng, n_in, n_out):
    """He normal: N(0, 2 / n_in), for relu."""
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))


def orthogonal(rng, n, gain=RECURRENT_GAIN):
    """A random orthogonal (n, n) matrix times ``gain``: all singular values equal ``gain``."""
    q, r = np.linalg.qr(rng.normal(size=(n, n)))
    q *= np.sign(np.diag(r))  # fix the signs so the distribution is uniform over rotations
    return gain * q


def input_weights(rng, n_in, n_out, activation):
    """Weights feeding an activation: He for relu, Glorot otherwise."""
    return he(rng, n_in, n_out) if activation == "relu" else glorot(rng, n_in, n_out)


def check_sizes(**sizes):
    for name, value in sizes.items():
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return tuple(int(v) for v in sizes.values())
