"""The Elman RNN of the seed text, in NumPy: W_i, W_h, W_o reused at every step.

    z_t = x_t·W_i + h_{t-1}·W_h + b_h      (pre-activation)
    h_t = act(z_t)                          (hidden state, the network's memory; h_0 = 0)
    y_t = h_t·W_o + b_o                     (output at every step)

Shapes: X (batch, time, n_inputs) -> Y (batch, time, n_outputs). Inside, arrays are kept
time-major, (time, batch, ...), so each step's slice is one contiguous block.

Speed without hiding the math: only the recurrence h_{t-1} -> h_t needs a Python loop over time.
The input projection x_t·W_i of all steps is one matmul before the loop, the outputs of all steps
are one matmul after it, and in backward each weight gradient (a sum over steps) is one matmul
over the stacked steps. Buffers can be reused between calls of the same shape (the Trainer does).

Two things keep long windows fast. Backward flushes each step's dz below ~3e-26 to zero
(rnn/underflow.py: vanishing gradients would otherwise become float32 subnormals, ~30-150×
slower in every matmul); with a last-step loss, once a whole step's dz is zero every earlier one
is too, and the loop stops there. predict and last_hidden run forward only, a chunk of windows
at a time, keeping neither per-step values nor backward buffers (validation, test, probes).
"""

import numpy as np

from .init import uniform_fan_in
from .params import FlatParams
from .underflow import flush_tiny_

EVAL_BATCH = 256  # windows per forward-only chunk: ~16 MB of z_t at time 60, hidden 256


class ElmanRNN(FlatParams):
    """A single-layer Elman RNN with a linear output layer.

    Parameters (``params``, views into the flat vector ``theta``):
        W_i (n_inputs, n_hidden), W_h (n_hidden, n_hidden), b_h (n_hidden,),
        W_o (n_hidden, n_outputs), b_o (n_outputs,)
    """

    is_sequence = True  # takes (batch, time, n_inputs); the Trainer reads this

    def __init__(self, n_inputs, n_hidden, n_outputs=1, activation="tanh", seed=0,
                 dtype=np.float64):
        self._configure(n_inputs, n_hidden, n_outputs, activation, seed, dtype)
        nI, nH, nO = self.n_inputs, self.n_hidden, self.n_outputs
        self._allocate({"W_i": (nI, nH), "W_h": (nH, nH), "b_h": (nH,),
                        "W_o": (nH, nO), "b_o": (nO,)}, self.dtype)
        rng = np.random.default_rng(seed)
        for view in self.params.values():  # U(±1/sqrt(n_hidden)), see rnn/init.py
            view[...] = uniform_fan_in(rng, view.shape, nH)
        self._workspaces = {}  # (batch, time) -> preallocated buffers, see forward(reuse_buffers=)

    # ------------------------------------------------------------------ buffers
    def _buffers(self, B, T, reuse):
        """Arrays for one forward/backward pass, time-major; cached by shape if ``reuse``."""
        if reuse and (B, T) in self._workspaces:
            return self._workspaces[(B, T)]
        nI, nH, nO, dt = self.n_inputs, self.n_hidden, self.n_outputs, self.dtype
        buf = {
            "X": np.empty((T, B, nI), dt),      # inputs, time-major
            "Z": np.empty((T, B, nH), dt),      # pre-activations z_t
            "H": np.zeros((T + 1, B, nH), dt),  # H[0] = h_0 = 0, H[t] = h_t
            "Y": np.empty((T, B, nO), dt),      # outputs y_t
            "dY": np.empty((T, B, nO), dt),     # dL/dy_t, time-major copy
            "dH": np.empty((T, B, nH), dt),     # dL/dh_t
            "dZ": np.empty((T, B, nH), dt),     # dL/dz_t
            "tmp": np.empty((B, nH), dt),       # one step's h_{t-1}·W_h or dz_t·W_hᵀ
            "ones": np.ones(T * B, dt),         # sums over steps and batch as one matmul
        }
        # Per-step (batch, ·) views made once: a list lookup is cheaper than slicing each step.
        for k in ("Z", "H", "dH", "dZ"):
            buf[k + "_t"] = list(buf[k])
        if reuse:
            self._workspaces[(B, T)] = buf
        return buf

    def _check_X(self, X):
        X = np.asarray(X, dtype=self.dtype)
        if X.ndim != 3 or X.shape[2] != self.n_inputs:
            raise ValueError(f"ElmanRNN expects X of shape (batch, time, {self.n_inputs}), "
                             f"got {X.shape}")
        return X

    # ------------------------------------------------------------------ forward
    def forward(self, X, reuse_buffers=False):
        """X (batch, time, n_inputs) -> (Y (batch, time, n_outputs), cache).

        ``cache`` holds every step's values for backward and for display:
        cache["X"], cache["Z"] (pre-activations) and cache["H"] (hidden states h_1..h_T),
        each (batch, time, ·). With ``reuse_buffers=True`` the arrays are reused by the next
        call with the same shape (fast, for training loops); by default they are fresh.
        """
        X = self._check_X(X)
        B, T, _ = X.shape
        nI, nH, nO = self.n_inputs, self.n_hidden, self.n_outputs
        W_i, W_h, b_h, W_o, b_o = (self.params[k] for k in ("W_i", "W_h", "b_h", "W_o", "b_o"))
        buf = self._buffers(B, T, reuse_buffers)
        X_all, Z_all, H_all, Y_all = buf["X"], buf["Z"], buf["H"], buf["Y"]  # (time, batch, ·)
        Z, H, tmp = buf["Z_t"], buf["H_t"], buf["tmp"]       # Z[t], H[t]: (batch, hidden)

        X_all[...] = X.transpose(1, 0, 2)                     # (time, batch, n_in)
        # x_t·W_i for all steps in one product (np.dot: numpy's matmul is slow when n_in = 1)
        np.dot(X_all.reshape(T * B, nI), W_i, out=Z_all.reshape(T * B, nH))
        Z_all += b_h                                          # (time, batch, hidden)
        for t in range(T):
            if t:                                             # (h_0 = 0: nothing to add at t = 0)
                np.matmul(H[t], W_h, out=tmp)                 # h_{t-1}·W_h      (batch, hidden)
                Z[t] += tmp                                   # z_t = x_t·W_i + h_{t-1}·W_h + b_h
            self.act(Z[t], out=H[t + 1])                      # h_t = act(z_t)
        np.matmul(H_all[1:].reshape(T * B, nH), W_o, out=Y_all.reshape(T * B, nO))  # h_t·W_o
        Y_all += b_o                                          # y_t = h_t·W_o + b_o, all steps

        cache = {"X": X, "Z": Z_all.transpose(1, 0, 2), "H": H_all[1:].transpose(1, 0, 2),
                 "_buf": buf}
        return Y_all.transpose(1, 0, 2), cache

    # ------------------------------------------------------------------ backward
    def backward(self, dY, cache, out=None):
        """dY = dL/dY -> gradients, a dict shaped like ``params``.

        ``dY`` is (batch, time, n_outputs), shaped like Y. For a many-to-one loss it may also be
        (batch, n_outputs): the gradient of the last step's output alone, the other steps' being
        zero (same result, less work). The gradients are views into one flat array laid out like
        ``theta``; pass ``out`` (from ``new_grad()``) to fill a buffer instead of allocating one.
        """
        buf = cache["_buf"]
        X_all, Z_all, H_all, dY_all, dZ_all, ones = (
            buf[k] for k in ("X", "Z", "H", "dY", "dZ", "ones"))
        dH, dZ, tmp = buf["dH_t"], buf["dZ_t"], buf["tmp"]    # per step: (batch, hidden)
        T, B, nH = Z_all.shape
        nI, nO = self.n_inputs, self.n_outputs
        W_hT = self.params["W_h"].T.copy()                    # contiguous W_hᵀ: faster per step
        W_oT = self.params["W_o"].T.copy()                    # (n_out, hidden)
        flat, g = self._grad_out(out)
        last_only = np.shape(dY) == (B, nO)
        if not last_only and np.shape(dY) != (B, T, nO):
            raise ValueError(f"dY must have shape {(B, T, nO)} (or {(B, nO)} for the last step "
                             f"only), got {np.shape(dY)}")

        if last_only:  # only y_T reaches the loss
            dy = np.asarray(dY, dtype=self.dtype)             # (batch, n_out)
            np.matmul(H_all[T].T, dy, out=g["W_o"])           # dW_o = h_Tᵀ·dy_T
            np.matmul(ones[:B], dy, out=g["b_o"])             # db_o = Σ_batch dy_T
            np.dot(dy, W_oT, out=dH[T - 1])                   # dh_T = dy_T·W_oᵀ
        else:
            dY_all[...] = np.asarray(dY).transpose(1, 0, 2)   # (time, batch, n_out)
            dY2 = dY_all.reshape(T * B, nO)
            np.matmul(H_all[1:].reshape(T * B, nH).T, dY2, out=g["W_o"])  # dW_o = Σ_t h_tᵀ·dy_t
            np.matmul(ones, dY2, out=g["b_o"])                # db_o = Σ_t dy_t
            np.dot(dY2, W_oT, out=buf["dH"].reshape(T * B, nH))  # dh_t = dy_t·W_oᵀ, all steps
        self.act_grad(Z_all, H_all[1:], out=dZ_all)           # act'(z_t), all steps at once
        first = 0                                             # steps before it have dz = 0
        for t in reversed(range(T)):
            dZ[t] *= dH[t]                                    # dz_t = dh_t ⊙ act'(z_t)
            flush_tiny_(dZ[t])                                # |dz| < ~3e-26 -> 0: no subnormals
            if t == 0:
                break
            if last_only and not dZ[t].any():                 # the gradient has vanished: every
                dZ_all[:t] = 0.0                              # earlier dz is exactly 0 too, and
                first = t + 1                                 # adds nothing to the sums below
                break
            if last_only:                                     # h_{t-1} reaches the loss via h_t:
                np.matmul(dZ[t], W_hT, out=dH[t - 1])         # dh_{t-1} = dz_t·W_hᵀ
            else:                                             # ... and via y_{t-1}:
                np.matmul(dZ[t], W_hT, out=tmp)               # dz_t·W_hᵀ       (batch, hidden)
                dH[t - 1] += tmp                              # dh_{t-1} = dy_{t-1}·W_oᵀ + dz_t·W_hᵀ
        n = (T - first) * B                                   # rows of the steps that count
        dZ2 = dZ_all[first:].reshape(n, nH)
        np.matmul(X_all[first:].reshape(n, nI).T, dZ2, out=g["W_i"])   # dW_i = Σ_t x_tᵀ·dz_t
        np.matmul(H_all[first:-1].reshape(n, nH).T, dZ2, out=g["W_h"])  # dW_h = Σ_t h_{t-1}ᵀ·dz_t
        np.matmul(ones[:n], dZ2, out=g["b_h"])                # db_h = Σ_t dz_t
        return g

    # ------------------------------------------------------------------ forward only
    def last_hidden(self, X, batch_size=EVAL_BATCH):
        """h_T for every window, (batch, hidden): forward only, ``batch_size`` windows at a time.

        Keeps no per-step values and no backward buffers, so memory stays
        O(batch_size · time · hidden) whatever the number of windows (validation, test, probes).
        The arithmetic is forward()'s, step for step.
        """
        X = self._check_X(X)
        if int(batch_size) < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        n, T, _ = X.shape
        nI, nH = self.n_inputs, self.n_hidden
        W_i, W_h, b_h = self.params["W_i"], self.params["W_h"], self.params["b_h"]
        out = np.empty((n, nH), self.dtype)                   # h_T of every window
        for a in range(0, n, batch_size):
            Xb = X[a:a + batch_size].transpose(1, 0, 2)       # (time, b, n_in)
            b = Xb.shape[1]
            Z = np.dot(np.ascontiguousarray(Xb).reshape(T * b, nI), W_i).reshape(T, b, nH)
            Z += b_h                                          # x_t·W_i + b_h, all steps
            h, tmp = np.empty((b, nH), self.dtype), np.empty((b, nH), self.dtype)
            for t in range(T):
                if t:                                         # h_0 = 0: z_1 = x_1·W_i + b_h
                    np.matmul(h, W_h, out=tmp)                # h_{t-1}·W_h
                    Z[t] += tmp                               # z_t
                self.act(Z[t], out=h)                         # h_t = act(z_t), overwrites h_{t-1}
            out[a:a + b] = h
        return out

    def predict(self, X, batch_size=EVAL_BATCH):
        """Many-to-one prediction: the last step's output y_T = h_T·W_o + b_o, (batch, n_out).

        Forward only and in batches (see last_hidden): no backward buffers are allocated.
        """
        return self.last_hidden(X, batch_size) @ self.params["W_o"] + self.params["b_o"]
