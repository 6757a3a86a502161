"""The fit loop: learning, determinism, resumability, early stopping, divergence, callbacks."""


import numpy as np
import pytest

from rnn import Dense, ElmanRNN
from rnn.train import EpochLog, TrainConfig, Trainer, fit

from .helpers import noisy_sine


@pytest.fixture(scope="module")
def sine():
    X, y = noisy_sine(n=1500, noise=0.1, seed=0)
    n = int(0.8 * len(X))
    return X[:n], y[:n], X[n:], y[n:]


def small_rnn(seed=0, activation="tanh"):
    return ElmanRNN(1, 16, 1, activation, seed=seed, dtype=np.float32)


def test_rnn_learns_the_noisy_sine(sine):
    Xtr, ytr, Xva, yva = sine
    tr = fit(small_rnn(), Xtr, ytr, Xva, yva, TrainConfig(epochs=40, lr=0.01))
    persistence = float(np.mean((Xva[:, -1] - yva) ** 2))
    variance = float(np.var(yva))
    # The target is sin + N(0, 0.1²): the best possible MSE is about the noise variance 0.01.
    # Persistence (tomorrow = today) pays the noise of two days plus the sine's step,
    # ~0.03 here, and the variance of the series is ~0.5. An RNN that has learnt the
    # dynamics (and averages the noise over the window) must land near the floor: below 0.015,
    # i.e. better than half of persistence's error and ~3 % of the variance.
    assert tr.best_val_loss < 0.015
    assert tr.best_val_loss < 0.5 * persistence
    assert tr.best_val_loss < 0.05 * variance
    # The model ends with the best epoch's weights.
    assert tr.loss(Xva, yva) == pytest.approx(tr.best_val_loss, rel=1e-5)


def test_dense_learns_from_a_flattened_window(sine):
    Xtr, ytr, Xva, yva = sine
    d = Dense(14, 16, 1, "tanh", seed=0, dtype=np.float32)
    tr = fit(d, Xtr[:, :, 0], ytr, Xva[:, :, 0], yva, TrainConfig(epochs=40))
    assert tr.best_val_loss < 0.015  # same bar as the RNN: a window holds the phase too


def test_many_to_many_trains(sine):
    Xtr, _, Xva, _ = sine
    # Target at every step: the next input value (shifted window).
    ytr = np.concatenate([Xtr[:, 1:], Xtr[:, -1:]], axis=1)
    yva = np.concatenate([Xva[:, 1:], Xva[:, -1:]], axis=1)
    cfg = TrainConfig(epochs=5, many_to_many=True)
    tr = fit(small_rnn(), Xtr, ytr, Xva, yva, cfg)
    assert tr.history[-1].val_loss < tr.history[0].train_loss


def test_same_seed_gives_bitwise_identical_weights(sine):
    Xtr, ytr, Xva, yva = sine
    cfg = TrainConfig(epochs=4, seed=7)
    a = fit(small_rnn(), Xtr, ytr, Xva, yva, cfg).model
    b = fit(small_rnn(), Xtr, ytr, Xva, yva, cfg).model
    np.testing.assert_array_equal(a.theta, b.theta)
    c = fit(small_rnn(), Xtr, ytr, Xva, yva, TrainConfig(epochs=4, seed=8)).model
    assert not np.array_equal(a.theta, c.theta)


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_resuming_in_chunks_equals_one_run(sine, optimizer):
    Xtr, ytr, Xva, yva = sine
    cfg = TrainConfig(epochs=6, optimizer=optimizer, patience=None)
    one = Trainer(small_rnn(), Xtr, ytr, Xva, yva, cfg).run(max_epochs=6)
    two = Trainer(small_rnn(), Xtr, ytr, Xva, yva, cfg)
    two.run(max_epochs=3)
    assert not two.done and two.epoch == 3
    two.run(max_epochs=3)
    assert one.done and two.done and two.stop_reason == "finished"
    assert not two.diverged
    np.testing.assert_array_equal(one.model.theta, two.model.theta)
    assert [h.val_loss for h in one.history] == [h.val_loss for h in two.history]


def test_weight_averaging_resumes_in_chunks_and_keeps_the_average(sine):
    Xtr, ytr, Xva, yva = sine
    cfg = TrainConfig(epochs=4, patience=None, average=0.9)
    one = Trainer(small_rnn(), Xtr, ytr, Xva, yva, cfg).run()
    two = Trainer(small_rnn(), Xtr, ytr, Xva, yva, cfg)
    two.run(max_epochs=2)
    two.run(max_epochs=2)
    np.testing.assert_array_equal(one.model.theta, two.model.theta)
    # the validation loss logged is that of the averaged weights, which are the ones kept
    best = min(one.history, key=lambda h: h.val_loss)
    assert one.loss(Xva, yva) == pytest.approx(best.val_loss, rel=1e-5)
    # average=0 keeps no history: the same as no averaging at all
    a = fit(small_rnn(), Xtr, ytr, Xva, yva, TrainConfig(epochs=2, average=0.0)).model
    b = fit(small_rnn(), Xtr, ytr, Xva, yva, TrainConfig(epochs=2)).model
    np.testing.assert_array_equal(a.theta, b.theta)
    with pytest.raises(ValueError, match="average"):
        TrainConfig(average=1.0)


def test_max_seconds_runs_at_least_one_batch_and_may_end_inside_an_epoch(sine):
    Xtr, ytr, Xva, yva = sine
    tr = Trainer(small_rnn(), Xtr, ytr, Xva, yva, TrainConfig(epochs=50))
    before = tr.model.theta.copy()
    tr.run(max_seconds=0.0)
    assert tr.epoch == 0 and not tr.done and tr.history == []  # one batch, no epoch finished
    assert not np.array_equal(tr.model.theta, before)  # ... but that batch did train
    assert 0 < tr.epochs_done < 1
    assert tr.elapsed > 0  # time inside an unfinished epoch counts


def _schedules():
    """Ways to cut one run into chunks: single batches, zero-second turns, a mix of all limits."""
    return {
        "max_steps=1": lambda i: {"max_steps": 1},
        "max_seconds=0": lambda i: {"max_seconds": 0.0},
        "mixed": lambda i: [{"max_steps": 3}, {"max_seconds": 0.0}, {"max_epochs": 1},
                            {"max_steps": 7, "max_seconds": 1.0}][i % 4],
    }


def _same_history(a, b):
    """Every EpochLog field but the wall time."""
    key = [(h.epoch, h.train_loss, h.val_loss, h.grad_norm, h.clipped) for h in a.history]
    assert key == [(h.epoch, h.train_loss, h.val_loss, h.grad_norm, h.clipped) for h in b.history]


@pytest.mark.parametrize("schedule", list(_schedules()))
@pytest.mark.parametrize("extra", [{"optimizer": "adam", "patience": 2},
                                   {"optimizer": "sgd", "average": 0.9, "patience": None}],
                         ids=["adam-early-stopping", "sgd-averaged"])
def test_many_tiny_chunks_equal_one_uninterrupted_run(sine, schedule, extra):
    Xtr, ytr, Xva, yva = sine
    Xtr, ytr = Xtr[:500], ytr[:500]  # 8 batches per epoch, the last one short (500 = 7·64 + 52)
    cfg = TrainConfig(epochs=8, seed=3, **extra)
    seen = []
    one = Trainer(small_rnn(), Xtr, ytr, Xva, yva, cfg).run()
    many = Trainer(small_rnn(), Xtr, ytr, Xva, yva, cfg, callback=seen.append)
    chunk, calls, inside = _schedules()[schedule], 0, 0
    while not many.done:
        many.run(**chunk(calls))
        calls += 1
        inside += many.epochs_done != many.epoch  # this call ended inside an epoch
    assert calls > many.epoch and inside > 0  # it really was cut inside epochs
    np.testing.assert_array_equal(one.model.theta, many.model.theta)
    _same_history(one, many)
    assert seen == many.history  # the callback saw each epoch once, when it completed
    assert (many.stop_reason, many.best_epoch, many.best_val_loss) == \
        (one.stop_reason, one.best_epoch, one.best_val_loss)
    # the time budget counts every chunk: elapsed is the sum of the epochs' own times
    assert many.elapsed == pytest.approx(sum(h.seconds for h in many.history), rel=1e-9)


def test_max_epochs_counts_complete_epochs_and_finishes_one_in_progress(sine):
    Xtr, ytr, Xva, yva = sine
    cfg = TrainConfig(epochs=6, patience=None)
    one = Trainer(small_rnn(), Xtr, ytr, Xva, yva, cfg).run(max_epochs=2)
    two = Trainer(small_rnn(), Xtr, ytr, Xva, yva, cfg)
    two.run(max_steps=5)
    assert two.epoch == 0 and two.epochs_done == pytest.approx(5 * 64 / len(Xtr))
    two.run(max_epochs=1)  # the half-done epoch 1 is the one epoch
    assert two.epoch == 1 and two.epochs_done == 1
    two.run(max_epochs=1)
    np.testing.assert_array_equal(one.model.theta, two.model.theta)
    _same_history(one, two)


def test_stop_inside_an_epoch_drops_it_and_keeps_the_best_weights(sine):
    Xtr, ytr, Xva, yva = sine
    tr = Trainer(small_rnn(), Xtr, ytr, Xva, yva, TrainConfig(epochs=10)).run(max_epochs=2)
    tr.run(max_steps=4)  # two batches into epoch 3
    tr.stop()
    assert tr.done and tr.epoch == 2 and len(tr.history) == 2 and tr.epochs_done == 2
    assert tr.loss(Xva, yva) == pytest.approx(tr.best_val_loss, rel=1e-5)
    # stopped before any epoch ended: the initial weights, never half-trained ones
    fresh = Trainer(small_rnn(), Xtr, ytr, Xva, yva, TrainConfig(epochs=10)).run(max_steps=3)
    fresh.stop()
    np.testing.assert_array_equal(fresh.model.theta, small_rnn().theta)


def test_divergence_inside_chunks_is_reported_like_in_one_run(sine):
    Xtr, ytr, Xva, yva = sine
    cfg = TrainConfig(epochs=20, lr=1e6, optimizer="sgd", clip=None)
    one = fit(small_rnn(activation="relu"), Xtr * 100, ytr * 100, Xva, yva, cfg)
    many = Trainer(small_rnn(activation="relu"), Xtr * 100, ytr * 100, Xva, yva, cfg)
    while not many.done:
        many.run(max_steps=2)
    assert many.diverged and many.stop_reason == one.stop_reason
    np.testing.assert_array_equal(one.model.theta, many.model.theta)


def test_time_budget(sine):
    Xtr, ytr, Xva, yva = sine
    tr = fit(small_rnn(), Xtr, ytr, Xva, yva, TrainConfig(epochs=1000, time_budget_s=1e-9))
    assert tr.done and tr.stop_reason == "time budget" and tr.epoch == 1


def test_early_stopping_restores_the_best_weights():
    # Pure-noise targets: validation stops improving almost at once.
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(200, 5, 1)), rng.normal(size=(200, 1))
    Xv, yv = rng.normal(size=(100, 5, 1)), rng.normal(size=(100, 1))
    cfg = TrainConfig(epochs=200, patience=3, lr=0.05)
    tr = fit(small_rnn(), X, y, Xv, yv, cfg)
    assert tr.stop_reason == f"early stopping at epoch {tr.epoch} (best epoch {tr.best_epoch})"
    assert tr.epoch == tr.best_epoch + 3
    assert tr.best_val_loss == min(h.val_loss for h in tr.history)
    assert tr.loss(Xv, yv) == pytest.approx(tr.best_val_loss, rel=1e-5)


def test_divergence_is_reported_and_weights_stay_finite(sine):
    Xtr, ytr, Xva, yva = sine
    cfg = TrainConfig(epochs=20, lr=1e6, optimizer="sgd", clip=None)
    tr = fit(small_rnn(activation="relu"), Xtr * 100, ytr * 100, Xva, yva, cfg)
    assert tr.done
    assert tr.stop_reason.startswith("diverged: non-finite loss at epoch ")
    assert tr.diverged
    assert tr.stop_reason.endswith("try a smaller learning rate")
    assert np.isfinite(tr.model.theta).all()
    assert np.isfinite(tr.model.predict(Xva)).all()


def test_callback_gets_every_epoch_and_can_stop(sine):
    Xtr, ytr, Xva, yva = sine
    seen = []

    def callback(log):
        seen.append(log)
        return False if log.epoch == 2 else None

    tr = fit(small_rnn(), Xtr, ytr, Xva, yva, TrainConfig(epochs=10), callback)
    assert tr.stop_reason == "stopped by user" and tr.epoch == 2
    assert seen == tr.history and all(isinstance(h, EpochLog) for h in seen)
    log = seen[0]
    assert log.epoch == 1 and log.seconds > 0 and log.grad_norm > 0
    assert np.isfinite([log.train_loss, log.val_loss]).all()


def test_stop_restores_best_and_ends(sine):
    Xtr, ytr, Xva, yva = sine
    tr = Trainer(small_rnn(), Xtr, ytr, Xva, yva, TrainConfig(epochs=10)).run(max_epochs=3)
    tr.stop()
    assert tr.done and tr.stop_reason == "stopped by user"
    assert tr.run() is tr and tr.epoch == 3  # running a finished trainer is a no-op
    assert tr.loss(Xva, yva) == pytest.approx(tr.best_val_loss, rel=1e-5)


def test_clipping_is_reported(sine):
    Xtr, ytr, Xva, yva = sine
    tr = fit(small_rnn(), Xtr, ytr, Xva, yva, TrainConfig(epochs=1, clip=1e-3))
    assert tr.history[0].clipped and tr.history[0].grad_norm > 1e-3
    tr = fit(small_rnn(), Xtr, ytr, Xva, yva, TrainConfig(epochs=1, clip=None))
    assert not tr.history[0].clipped


def test_no_validation_set_uses_train_loss(sine):
    Xtr, ytr, _, _ = sine
    tr = fit(small_rnn(), Xtr, ytr, cfg=TrainConfig(epochs=2))
    assert [h.val_loss for h in tr.history] == [h.train_loss for h in tr.history]


def test_bad_shapes_and_config_are_clear_errors(sine):
    Xtr, ytr, Xva, yva = sine
    with pytest.raises(ValueError, match="y must have shape"):
        Trainer(small_rnn(), Xtr, ytr[:, 0], Xva, yva)
    with pytest.raises(ValueError, match="same, non-zero number"):
        Trainer(small_rnn(), Xtr, ytr[:-1], Xva, yva)
    with pytest.raises(ValueError, match="NaN"):
        Trainer(small_rnn(), np.full_like(Xtr, np.nan), ytr, Xva, yva)
    with pytest.raises(ValueError, match="optimizer"):
        TrainConfig(optimizer="rmsprop")


def test_until_ends_a_call_early_and_never_changes_the_numbers(sine):
    Xtr, ytr, Xva, yva = sine
    cfg = TrainConfig(epochs=40, patience=None, seed=2)
    one = Trainer(small_rnn(), Xtr, ytr, Xva, yva, cfg).run()
    cut = Trainer(small_rnn(), Xtr, ytr, Xva, yva, cfg)
    calls, asked = 0, []
    while not cut.done:
        cut.run(max_seconds=30.0, until=lambda: asked.append(1) or True)  # "stop" when asked
        calls += 1
    assert calls > 1 and calls - 1 <= len(asked) <= calls  # every call but the last: by until
    np.testing.assert_array_equal(one.model.theta, cut.model.theta)
    _same_history(one, cut)
