"""Property tests: any sizes give consistent shapes, and reused buffers change nothing."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn import Dense, ElmanRNN

sizes = st.integers(1, 5)
activation = st.sampled_from(["tanh", "sigmoid", "relu"])


@settings(max_examples=40, deadline=None)
@given(B=sizes, T=sizes, nI=sizes, nH=sizes, nO=st.integers(1, 3), act=activation,
       seed=st.integers(0, 2**31))
def test_elman_shapes_and_buffer_reuse(B, T, nI, nH, nO, act, seed):
    m = ElmanRNN(nI, nH, nO, act, seed=seed)
    rng = np.random.default_rng(seed)
    X, dY = rng.normal(size=(B, T, nI)), rng.normal(size=(B, T, nO))
    Y, cache = m.forward(X)
    assert Y.shape == (B, T, nO) and cache["H"].shape == cache["Z"].shape == (B, T, nH)
    g = {k: v.copy() for k, v in m.backward(dY, cache).items()}
    assert {k: v.shape for k, v in g.items()} == {k: v.shape for k, v in m.params.items()}
    for _ in range(2):  # reused buffers give the very same numbers, call after call
        Y2, cache2 = m.forward(X, reuse_buffers=True)
        g2 = m.backward(dY, cache2, out=m.new_grad())
        np.testing.assert_array_equal(Y2, Y)
        for k in g:
            np.testing.assert_array_equal(g2[k], g[k])


@settings(max_examples=20, deadline=None)
@given(B=sizes, nI=sizes, nH=sizes, nO=st.integers(1, 3), act=activation)
def test_dense_shapes(B, nI, nH, nO, act):
    m = Dense(nI, nH, nO, act, seed=0)
    Y, cache = m.forward(np.ones((B, nI)))
    assert Y.shape == (B, nO) and cache["H"].shape == (B, nH)
    g = m.backward(np.ones((B, nO)), cache)
    assert {k: v.shape for k, v in g.items()} == {k: v.shape for k, v in m.params.items()}
