"""The training losses: values, gradients against finite differences, and what Huber changes."""

import numpy as np
import pytest

from rnn import ElmanRNN
from rnn.train import TrainConfig, fit, loss_and_grad

from .helpers import noisy_sine


@pytest.mark.parametrize("kind", ["mse", "huber"])
@pytest.mark.parametrize("delta", [0.3, 1.0])
def test_loss_gradient_matches_finite_differences(kind, delta):
    rng = np.random.default_rng(0)
    E = rng.normal(scale=1.5, size=(40, 1))  # errors on both sides of ±delta
    E = E[np.abs(np.abs(E) - delta) > 1e-3].reshape(-1, 1)  # no error sits on the kink
    _, grad = loss_and_grad(E, kind, delta)
    h = 1e-6
    numeric = np.empty_like(E)
    for i in range(len(E)):
        up, down = E.copy(), E.copy()
        up[i] += h
        down[i] -= h
        loss_up, loss_down = loss_and_grad(up, kind, delta)[0], loss_and_grad(down, kind, delta)[0]
        numeric[i] = (loss_up - loss_down) / (2 * h)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-9)


def test_huber_values_are_quadratic_inside_and_linear_outside():
    E = np.array([[0.5], [-0.5], [3.0], [-3.0]])
    loss, grad = loss_and_grad(E, "huber", 1.0)
    # ½·0.25 twice, 1·(3 - ½) twice, averaged over four errors
    assert loss == pytest.approx((0.125 * 2 + 2.5 * 2) / 4)
    np.testing.assert_allclose(grad[:, 0], [0.5 / 4, -0.5 / 4, 1 / 4, -1 / 4])
    mse, _ = loss_and_grad(E, "mse")
    assert mse == pytest.approx((0.25 * 2 + 9 * 2) / 4)


def test_huber_fit_ignores_rare_large_errors_that_pull_mse():
    # A constant to learn from data with 10 % of one-sided outliers: MSE's answer is the mean
    # (pulled up by the outliers), Huber's stays near the median, the answer an MAE rewards.
    rng = np.random.default_rng(1)
    n = 2000
    y = rng.normal(0.0, 0.2, size=(n, 1))
    y[: n // 10] += 5.0
    X = np.zeros((n, 3, 1))  # no information in the input: the best output is one constant

    def fitted(kind):
        m = ElmanRNN(1, 4, 1, "tanh", seed=0, dtype=np.float64)
        cfg = TrainConfig(epochs=300, batch_size=n, lr=0.05, loss=kind, huber_delta=0.5,
                          patience=None)  # full batches: the exact minimiser, no batch noise
        tr = fit(m, X, y, cfg=cfg)
        return float(tr.model.predict(X[:1])[0, 0])

    mean, median = float(y.mean()), float(np.median(y))
    mse_out, huber_out = fitted("mse"), fitted("huber")
    assert abs(mse_out - mean) < 0.05
    assert abs(huber_out - median) < abs(huber_out - mean)
    mae = {k: float(np.mean(np.abs(y - v))) for k, v in (("mse", mse_out), ("huber", huber_out))}
    assert mae["huber"] < mae["mse"]


def test_huber_trains_the_sine_as_well_as_mse():
    X, y = noisy_sine(n=1200, noise=0.1, seed=0)
    n = int(0.8 * len(X))
    cfg = TrainConfig(epochs=30, lr=0.01, loss="huber", huber_delta=0.5)
    m = ElmanRNN(1, 16, 1, "tanh", seed=0, dtype=np.float32)
    fit(m, X[:n], y[:n], X[n:], y[n:], cfg)
    mse = float(np.mean((m.predict(X[n:]) - y[n:]) ** 2))
    assert mse < 0.015  # the same floor as test_train.py's MSE-trained RNN


def test_unknown_loss_and_bad_delta_are_clear_errors():
    with pytest.raises(ValueError, match="loss must be one of"):
        TrainConfig(loss="mae")
    with pytest.raises(ValueError, match="huber_delta"):
        TrainConfig(loss="huber", huber_delta=0.0)


def test_float32_errors_keep_float32_gradients_and_unknown_kinds_are_refused():
    E = np.array([[0.5], [-3.0]], dtype=np.float32)
    for kind in ("mse", "huber"):
        assert loss_and_grad(E, kind, 1.0)[1].dtype == np.float32  # no silent float64 copies
    with pytest.raises(ValueError, match="loss must be one of"):
        loss_and_grad(E, "mae")


def test_huber_training_stops_early_and_keeps_its_best_validation_weights():
    X, y = noisy_sine(n=800, noise=0.1, seed=2)
    n = int(0.8 * len(X))
    m = ElmanRNN(1, 8, 1, "tanh", seed=0, dtype=np.float32)
    cfg = TrainConfig(epochs=200, lr=0.05, patience=3, loss="huber", huber_delta=0.5)
    tr = fit(m, X[:n], y[:n], X[n:], y[n:], cfg)
    assert tr.stop_reason.startswith("early stopping") and tr.epoch < 200
    assert min(h.val_loss for h in tr.history) == pytest.approx(tr.best_val_loss)
    assert tr.loss(X[n:], y[n:]) == pytest.approx(tr.best_val_loss, rel=1e-5)  # best weights back
    huber, _ = loss_and_grad(m.predict(X[n:]) - y[n:], "huber", 0.5)
    assert tr.best_val_loss == pytest.approx(huber, rel=1e-5)  # validation is scored in Huber
