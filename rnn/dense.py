"""The memoryless network: one hidden layer, the same names as the RNN minus W_h.

    z = x·W_i + b_h,   h = act(z),   y = h·W_o + b_o

Shapes: X (batch, n_inputs) -> Y (batch, n_outputs). It sees each input in isolation; the
"windowed" dense network is this class fed a flattened window (n_inputs = time * features).
"""

import numpy as np

from .init import uniform_fan_in
from .params import FlatParams
from .underflow import flush_tiny_


class Dense(FlatParams):
    """One hidden layer then a linear output layer.

    Parameters (``params``, views into the flat vector ``theta``):
        W_i (n_inputs, n_hidden), b_h (n_hidden,), W_o (n_hidden, n_outputs), b_o (n_outputs,)
    """

    is_sequence = False  # takes (batch, n_inputs); the Trainer reads this

    def __init__(self, n_inputs, n_hidden, n_outputs=1, activation="tanh", seed=0,
                 dtype=np.float64):
        self._configure(n_inputs, n_hidden, n_outputs, activation, seed, dtype)
        nI, nH, nO = self.n_inputs, self.n_hidden, self.n_outputs
        self._allocate({"W_i": (nI, nH), "b_h": (nH,), "W_o": (nH, nO), "b_o": (nO,)},
                       self.dtype)
        rng = np.random.default_rng(seed)
        for name, fan_in in (("W_i", nI), ("b_h", nI), ("W_o", nH), ("b_o", nH)):
            view = self.params[name]  # U(±1/sqrt(fan_in)), see rnn/init.py
            view[...] = uniform_fan_in(rng, view.shape, fan_in)

    def forward(self, X, reuse_buffers=False):
        """X (batch, n_inputs) -> (Y (batch, n_outputs), cache with "X", "Z", "H")."""
        X = np.asarray(X, dtype=self.dtype)
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise ValueError(f"Dense expects X of shape (batch, {self.n_inputs}), got {X.shape}")
        p = self.params
        Z = np.dot(X, p["W_i"])      # x·W_i (np.dot: numpy's matmul is slow when n_in = 1)
        Z += p["b_h"]                # z = x·W_i + b_h       (batch, hidden)
        H = self.act(Z)              # h = act(z)             (batch, hidden)
        Y = H @ p["W_o"] + p["b_o"]  # y = h·W_o + b_o        (batch, n_outputs)
        return Y, {"X": X, "Z": Z, "H": H}

    def backward(self, dY, cache, out=None):
        """dY = dL/dY (batch, n_outputs) -> gradients, a dict shaped like ``params``."""
        X, Z, H = cache["X"], cache["Z"], cache["H"]
        if np.shape(dY) != (X.shape[0], self.n_outputs):
            raise ValueError(f"dY must have shape {(X.shape[0], self.n_outputs)}, "
                             f"got {np.shape(dY)}")
        dY = np.asarray(dY, dtype=self.dtype)
        flat, g = self._grad_out(out)
        np.matmul(H.T, dY, out=g["W_o"])          # dW_o = hᵀ·dy
        np.sum(dY, axis=0, out=g["b_o"])          # db_o = Σ_batch dy
        dZ = dY @ self.params["W_o"].T            # dh = dy·W_oᵀ          (batch, hidden)
        dZ *= self.act_grad(Z, H)                 # dz = dh ⊙ act'(z)
        flush_tiny_(dZ)                           # |dz| < ~3e-26 -> 0 (rnn/underflow.py)
        np.matmul(X.T, dZ, out=g["W_i"])          # dW_i = xᵀ·dz
        np.sum(dZ, axis=0, out=g["b_h"])          # db_h = Σ_batch dz
        return g

    def predict(self, X):
        """(batch, n_inputs) -> (batch, n_outputs)."""
        return self.forward(X)[0]
