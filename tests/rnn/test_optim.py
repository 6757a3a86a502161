"""Optimizers and clipping on flat vectors."""

import numpy as np

from rnn.optim import SGD, Adam, clip_grad_norm_


def test_clip_scales_to_max_norm_in_place():
    g = np.array([3.0, 4.0])
    assert clip_grad_norm_(g, 1.0) == 5.0  # returns the norm before clipping
    np.testing.assert_allclose(g, [0.6, 0.8])
    assert np.linalg.norm(g) == np.float64(1.0) or np.isclose(np.linalg.norm(g), 1.0)
    h = np.array([0.3, 0.4])
    clip_grad_norm_(h, 1.0)
    np.testing.assert_array_equal(h, [0.3, 0.4])  # short gradients are untouched
    clip_grad_norm_(g := np.array([30.0, 40.0]), None)
    np.testing.assert_array_equal(g, [30.0, 40.0])  # None disables


def test_sgd_momentum_matches_the_formula():
    theta = np.array([1.0, -1.0])
    opt = SGD(theta, lr=0.1, momentum=0.9)
    g = np.array([1.0, 2.0])
    opt.step(g)
    np.testing.assert_allclose(theta, [0.9, -1.2])
    opt.step(g)  # v = 0.9*(-0.1,-0.2) - (0.1,0.2)
    np.testing.assert_allclose(theta, [0.9 - 0.19, -1.2 - 0.38])


def test_adam_matches_the_textbook_update():
    rng = np.random.default_rng(0)
    theta = rng.normal(size=5)
    ref = theta.copy()
    opt = Adam(theta, lr=0.01)
    m = v = np.zeros(5)
    for t in range(1, 6):
        g = rng.normal(size=5)
        opt.step(g)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        ref -= 0.01 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    np.testing.assert_allclose(theta, ref, rtol=1e-12)


def test_adam_minimises_a_quadratic():
    theta = np.array([5.0, -3.0])
    opt = Adam(theta, lr=0.1)
    for _ in range(500):
        opt.step(2 * theta)  # gradient of ||theta||²
    assert np.abs(theta).max() < 1e-2
