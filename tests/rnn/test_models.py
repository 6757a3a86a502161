"""Shapes, the params contract, the recurrence itself, initialisation."""

import numpy as np
import pytest

from rnn import Dense, ElmanRNN

SHAPES = {"W_i": (3, 32), "W_h": (32, 32), "b_h": (32,), "W_o": (32, 1), "b_o": (1,)}


def test_elman_contract_shapes():
    m = ElmanRNN(n_inputs=3, n_hidden=32, n_outputs=1, activation="tanh", seed=0,
                 dtype=np.float64)
    assert list(m.params) == list(SHAPES)
    assert {k: v.shape for k, v in m.params.items()} == SHAPES
    assert m.n_params == 3 * 32 + 32 * 32 + 32 + 32 + 1
    X = np.random.default_rng(0).normal(size=(5, 14, 3))
    Y, cache = m.forward(X)
    assert Y.shape == (5, 14, 1)
    assert cache["H"].shape == cache["Z"].shape == (5, 14, 32)
    assert m.predict(X).shape == (5, 1)
    # forward-only predict: the same steps, the output product rounded differently at most
    np.testing.assert_allclose(m.predict(X), Y[:, -1], rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(m.predict(X, batch_size=2), Y[:, -1], rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(m.last_hidden(X, batch_size=3), cache["H"][:, -1])
    with pytest.raises(ValueError, match="batch_size"):
        m.predict(X, batch_size=0)


def test_elman_matches_the_seed_equations_step_by_step():
    rng = np.random.default_rng(0)
    for act, f in [("tanh", np.tanh), ("sigmoid", lambda z: 1 / (1 + np.exp(-z))),
                   ("relu", lambda z: np.maximum(z, 0))]:
        m = ElmanRNN(2, 4, 3, act, seed=1)
        p = m.params
        X = rng.normal(size=(3, 6, 2))
        Y, cache = m.forward(X)
        h = np.zeros((3, 4))  # h_0 = 0
        for t in range(6):
            z = X[:, t] @ p["W_i"] + h @ p["W_h"] + p["b_h"]
            h = f(z)
            np.testing.assert_allclose(cache["Z"][:, t], z, atol=1e-12)
            np.testing.assert_allclose(cache["H"][:, t], h, atol=1e-12)
            np.testing.assert_allclose(Y[:, t], h @ p["W_o"] + p["b_o"], atol=1e-12)


def test_writing_params_changes_the_model():
    m = ElmanRNN(1, 4, 1, seed=0)
    X = np.ones((2, 3, 1))
    before, b_o = m.predict(X), float(m.params["b_o"][0])
    m.params["b_o"][...] = 5.0
    assert np.allclose(m.predict(X), before + 5.0 - b_o)
    assert m.theta[-1] == 5.0  # params are views into the flat vector
    d = Dense(2, 3, 1, seed=0)
    d.params["W_o"][...] = 0.0
    d.params["b_o"][...] = 2.0
    np.testing.assert_array_equal(d.predict(np.ones((4, 2))), np.full((4, 1), 2.0))


def test_fresh_forward_caches_are_independent_and_reused_ones_are_not():
    m = ElmanRNN(1, 4, 1, seed=0)
    a = np.zeros((2, 3, 1))
    b = np.ones((2, 3, 1))
    _, ca = m.forward(a)
    _, cb = m.forward(b)
    assert not np.array_equal(ca["H"], cb["H"])
    _, ra = m.forward(a, reuse_buffers=True)
    _, rb = m.forward(b, reuse_buffers=True)
    np.testing.assert_array_equal(ra["H"], rb["H"])  # same buffer, documented


def test_dense_contract_shapes():
    d = Dense(n_inputs=14, n_hidden=32, n_outputs=1, activation="relu", seed=0)
    assert list(d.params) == ["W_i", "b_h", "W_o", "b_o"]
    assert d.params["W_i"].shape == (14, 32) and d.params["W_o"].shape == (32, 1)
    Y, cache = d.forward(np.zeros((7, 14)))
    assert Y.shape == (7, 1) and cache["H"].shape == (7, 32)
    assert d.n_params == 14 * 32 + 32 + 32 + 1


def test_float32_and_float64_share_initial_weights():
    a = ElmanRNN(3, 8, 1, seed=5, dtype=np.float32)
    b = ElmanRNN(3, 8, 1, seed=5, dtype=np.float64)
    assert a.theta.dtype == np.float32 and b.theta.dtype == np.float64
    np.testing.assert_allclose(a.theta, b.theta, rtol=1e-6)
    assert a.forward(np.zeros((1, 2, 3)))[0].dtype == np.float32


def test_init_is_uniform_within_one_over_sqrt_fan_in():
    # PyTorch's default for nn.RNN / nn.Linear (see rnn/init.py for why).
    m, d = ElmanRNN(3, 32, 1, seed=0), Dense(42, 32, 1, seed=0)
    assert np.abs(m.theta).max() <= 1 / np.sqrt(32)
    assert np.abs(m.theta).max() > 0.9 / np.sqrt(32)  # the whole range is used
    for name, fan_in in [("W_i", 42), ("b_h", 42), ("W_o", 32), ("b_o", 32)]:
        assert np.abs(d.params[name]).max() <= 1 / np.sqrt(fan_in)


def test_recurrent_init_is_contractive():
    # Spectral radius < 1 keeps early BPTT stable (see rnn/init.py).
    for act in ["tanh", "sigmoid", "relu"]:
        W_h = ElmanRNN(1, 32, 1, act, seed=0).params["W_h"]
        assert np.max(np.abs(np.linalg.eigvals(W_h))) < 1.0


@pytest.mark.parametrize("bad", [
    dict(activation="softmax"), dict(n_hidden=0), dict(dtype=np.int32), dict(n_inputs=2.5)])
def test_bad_arguments_raise_value_error(bad):
    kwargs = dict(n_inputs=1, n_hidden=4, n_outputs=1, activation="tanh", seed=0) | bad
    with pytest.raises(ValueError):
        ElmanRNN(**kwargs)


def test_wrong_input_shape_is_a_clear_error():
    with pytest.raises(ValueError, match="batch, time, 3"):
        ElmanRNN(3, 4, 1).forward(np.zeros((2, 5, 2)))
    with pytest.raises(ValueError, match="batch, 3"):
        Dense(3, 4, 1).forward(np.zeros((2, 5)))


@pytest.mark.parametrize("make", [lambda: ElmanRNN(2, 4, 1, seed=0), lambda: Dense(2, 4, 1)])
def test_copies_and_pickles_keep_params_as_views(make):
    import copy
    import pickle

    m = make()
    X = np.ones((3, 5, 2)) if m.is_sequence else np.ones((3, 2))
    m.forward(X, reuse_buffers=True)
    for clone in (copy.deepcopy(m), pickle.loads(pickle.dumps(m))):
        np.testing.assert_array_equal(clone.predict(X), m.predict(X))
        clone.theta[...] = 0.0  # the optimizer writes theta; params must follow
        assert not clone.params["W_i"].any()
        assert m.params["W_i"].any()  # and the original is untouched
