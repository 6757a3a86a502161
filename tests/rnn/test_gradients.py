"""Backward against finite differences in float64, for every activation and model."""

import numpy as np
import pytest

from rnn import Dense, ElmanRNN

from .helpers import numerical_grads, rel_error

ACTIVATIONS = ["tanh", "sigmoid", "relu"]


def check(model, X, R, max_err=1e-6):
    # Loss L = sum(Y * R) for a fixed random R, so dL/dY = R exercises every output.
    def loss():
        return float(np.sum(model.forward(X)[0] * R))

    Y, cache = model.forward(X)
    if model.activation == "relu":
        # Finite differences are wrong across relu's kink; this seed keeps every
        # pre-activation far (relative to eps=1e-6) from zero.
        assert np.abs(cache["Z"]).min() > 1e-4
    grads = model.backward(R, cache)
    assert set(grads) == set(model.params)
    num = numerical_grads(model, loss)
    for k in model.params:
        assert grads[k].shape == model.params[k].shape
        assert rel_error(grads[k], num[k]) < max_err, k


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_elman_many_to_many(activation):
    rng = np.random.default_rng(1)
    m = ElmanRNN(n_inputs=3, n_hidden=6, n_outputs=2, activation=activation, seed=0)
    check(m, rng.normal(size=(4, 7, 3)), rng.normal(size=(4, 7, 2)))


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_elman_many_to_one(activation):
    rng = np.random.default_rng(2)
    m = ElmanRNN(n_inputs=2, n_hidden=5, n_outputs=1, activation=activation, seed=3)
    X = rng.normal(size=(3, 8, 2))
    R = np.zeros((3, 8, 1))
    R[:, -1] = rng.normal(size=(3, 1))  # only the last step's output reaches the loss
    check(m, X, R)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_dense(activation):
    rng = np.random.default_rng(3)
    m = Dense(n_inputs=4, n_hidden=6, n_outputs=2, activation=activation, seed=0)
    check(m, rng.normal(size=(5, 4)), rng.normal(size=(5, 2)))


def test_gradients_are_sums_over_the_batch():
    # Backward of a batch equals the sum of backward of its rows (no hidden averaging).
    rng = np.random.default_rng(4)
    m = ElmanRNN(2, 4, 1, seed=0)
    X, R = rng.normal(size=(3, 5, 2)), rng.normal(size=(3, 5, 1))
    whole = {k: v.copy() for k, v in m.backward(R, m.forward(X)[1]).items()}
    parts = [m.backward(R[i:i + 1], m.forward(X[i:i + 1])[1]) for i in range(3)]
    for k in whole:
        np.testing.assert_allclose(whole[k], sum(p[k] for p in parts), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_last_step_only_dY_equals_the_full_dY(activation):
    # backward(dY of shape (batch, n_out)) is the many-to-one fast path: same gradients as a
    # full dY that is zero everywhere but the last step.
    rng = np.random.default_rng(5)
    m = ElmanRNN(3, 6, 2, activation, seed=1)
    X = rng.normal(size=(4, 9, 3))
    dy = rng.normal(size=(4, 2))
    full = np.zeros((4, 9, 2))
    full[:, -1] = dy
    _, cache = m.forward(X)
    a = {k: v.copy() for k, v in m.backward(full, cache).items()}
    b = m.backward(dy, cache)
    for k in a:
        np.testing.assert_allclose(a[k], b[k], rtol=1e-12, atol=1e-15)
