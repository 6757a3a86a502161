"""One flat parameter vector with named views into it.

Both networks keep every weight in a single 1-D array ``theta`` and expose ``params`` as a dict of
reshaped *views* into it. Writing ``model.params["W_h"][...] = W`` therefore changes the model,
and the optimizer updates all weights with a handful of array operations on ``theta``.
Gradients use the same layout: ``backward`` fills a flat buffer and returns views into it.
"""

import numpy as np

from . import activations
from .init import check_sizes

FLOAT_DTYPES = (np.float32, np.float64)


def check_dtype(dtype):
    dtype = np.dtype(dtype)
    if dtype.type not in FLOAT_DTYPES:
        raise ValueError(f"dtype must be float32 or float64, got {dtype}")
    return dtype


def layout(shapes):
    """``{name: shape}`` -> ``({name: (start, stop, shape)}, total size)`` in insertion order."""
    slots, start = {}, 0
    for name, shape in shapes.items():
        size = int(np.prod(shape))
        slots[name] = (start, start + size, shape)
        start += size
    return slots, start


def views(flat, slots):
    """Named, reshaped views into ``flat`` (no copies)."""
    return {name: flat[a:b].reshape(shape) for name, (a, b, shape) in slots.items()}


class FlatParams:
    """Mixin: ``theta`` (flat weights), ``params`` (views), ``n_params``, ``new_grad()``."""

    def _configure(self, n_inputs, n_hidden, n_outputs, activation, seed, dtype):
        """The sizes, activation, seed and dtype every network here is built from."""
        self.n_inputs, self.n_hidden, self.n_outputs = check_sizes(
            n_inputs=n_inputs, n_hidden=n_hidden, n_outputs=n_outputs)
        self.act, self.act_grad = activations.get(activation)
        self.activation = activation
        self.seed = seed
        self.dtype = check_dtype(dtype)

    def _allocate(self, shapes, dtype):
        self._slots, size = layout(shapes)
        self.theta = np.zeros(size, dtype=dtype)  # every weight of the model, end to end
        self.params = views(self.theta, self._slots)

    # Copies and pickles must keep params as views of *their* theta: deepcopy would otherwise
    # copy each view into an independent array, silently cutting params off from theta.
    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("params")
        state.pop("_out_views", None)  # cached gradient views, rebuilt on demand
        if "_workspaces" in state:
            state["_workspaces"] = {}  # scratch buffers, rebuilt on demand
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.params = views(self.theta, self._slots)

    @property
    def n_params(self):
        return int(self.theta.size)

    def config(self):
        """Everything needed to rebuild this network (weights aside)."""
        return {"kind": type(self).__name__, "n_inputs": self.n_inputs,
                "n_hidden": self.n_hidden, "n_outputs": self.n_outputs,
                "activation": self.activation, "seed": self.seed, "dtype": self.dtype.name}

    def __repr__(self):
        c = self.config()
        return (f"{c['kind']}(n_inputs={c['n_inputs']}, n_hidden={c['n_hidden']}, "
                f"n_outputs={c['n_outputs']}, activation={c['activation']!r}, "
                f"dtype={c['dtype']})")

    def new_grad(self):
        """A zeroed flat gradient buffer laid out like ``theta``."""
        return np.zeros_like(self.theta)

    def _grad_out(self, out):
        """``(flat, views)`` for backward: a new buffer, or ``out`` (views cached for reuse)."""
        if out is None:
            out = self.new_grad()
            return out, views(out, self._slots)
        if out.shape != self.theta.shape or out.dtype != self.theta.dtype:
            raise ValueError(
                f"out must be a flat {self.theta.dtype} array of size {self.theta.size}"
            )
        cached = getattr(self, "_out_views", None)
        if cached is None or cached[0] is not out:
            self._out_views = cached = (out, views(out, self._slots))
        return cached
