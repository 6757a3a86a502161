"""The fit loop: seeded mini-batches, MSE or Huber loss, validation each epoch, early stopping,
a callback.

Training is resumable so a dashboard can train in chunks while it redraws::

    tr = Trainer(model, X_train, y_train, X_val, y_val, TrainConfig(epochs=60))
    while not tr.done:
        tr.run(max_seconds=0.25)       # about a quarter of a second, then come back
        draw(tr.history)

A chunk may end inside an epoch, at a mini-batch boundary: ``max_seconds`` (and ``max_steps``,
in mini-batches) stop the loop between two optimizer steps, so a turn lasts about what was asked
even when one epoch takes seconds. The epoch in progress — its shuffle, the next batch's
position, the running loss and gradient-norm sums, its time so far — lives on the Trainer; its
EpochLog, validation, early-stopping check and callback happen when its last batch is done.
``max_epochs`` counts completed epochs (a call that finds an epoch half done finishes it first).

Chunking never changes the numbers: ``tr.run(max_epochs=3); tr.run(max_epochs=3)`` gives
bitwise the same weights as ``tr.run(max_epochs=6)``, and so does any sequence of
``run(max_steps=...)`` / ``run(max_seconds=...)`` calls: the shuffling generator, the optimizer
state, the epoch in progress and the early-stopping counters all live on the Trainer.

Shapes: ElmanRNN X (n, time, n_inputs) with y (n, n_outputs) for many-to-one (the loss is on the
last step's output) or y (n, time, n_outputs) with ``many_to_many=True``; Dense X (n, n_inputs)
with y (n, n_outputs).

Weight averaging (``average=d``): after every optimizer step the Trainer also updates
``avg <- d·avg + (1-d)·theta``, an exponential moving average of the weights over the last
~1/(1-d) steps (Polyak averaging). Validation, early stopping and the kept best weights use the
average; the optimizer keeps stepping the raw weights. Adam with a fixed learning rate keeps
jumping around the optimum from mini-batch to mini-batch; the average sits near the middle of
those jumps, so the epoch picked by validation is less a matter of luck.

When training ends, for any reason, the model holds the weights of the best validation epoch
(or its initial weights if no epoch finished with a finite validation loss): never NaN weights.
A non-finite loss is reported in ``stop_reason``, never raised.
"""

import math
import time
from dataclasses import dataclass

import numpy as np

from .optim import OPTIMIZERS, clip_grad_norm_, make_optimizer

STOPPED_BY_USER = "stopped by user"
LOSSES = ("mse", "huber")
UNTIL_EVERY_S = 0.01  # run(until=...) asks at most this often: a check costs microseconds


def loss_and_grad(E, kind="mse", delta=1.0):
    """Mean loss over the errors E = prediction - target, and its gradient dL/dE (E's shape).

    mse:   L = mean(e²),                                   dL/de = 2e/n
    huber: L = mean(½e² if |e| <= δ else δ(|e| - ½δ)),    dL/de = clip(e, -δ, δ)/n
    (torch.nn.HuberLoss's definition). Huber is MSE for small errors and MAE for large ones: a
    day with a sudden front pulls the fit no harder than δ, so the network aims closer to the
    typical (median) outcome — the one an MAE scores. In the squared zone Huber's gradient is
    half of MSE's (e/n against 2e/n): Adam's steps do not care, a fixed clip threshold does.
    """
    n = E.size
    if kind == "mse":
        e = E.ravel()
        return float(np.dot(e, e)) / n, np.multiply(E, 2.0 / n, dtype=E.dtype)
    if kind != "huber":
        raise ValueError(f"loss must be one of {', '.join(LOSSES)}, got {kind!r}")
    A = np.abs(E)
    big = A > delta
    loss = float(np.where(big, delta * (A - 0.5 * delta), 0.5 * E * E).sum()) / n
    return loss, np.multiply(np.clip(E, -delta, delta), 1.0 / n, dtype=E.dtype)


@dataclass
class TrainConfig:
    epochs: int = 60            # passes over the training windows (an upper bound: see patience)
    batch_size: int = 64        # windows per step: small enough to be noisy, big enough to be fast
    lr: float = 0.01            # Adam at 1e-2 trains these small networks in a few dozen epochs
    optimizer: str = "adam"     # "adam" adapts the step per weight; "sgd" is SGD with momentum
    momentum: float = 0.9       # SGD only: how much of the previous step is kept
    clip: float | None = 5.0    # global-norm gradient clipping guards BPTT against explosions
    patience: int | None = 10   # stop after this many epochs without a better validation loss
    seed: int = 0               # seeds the mini-batch shuffling (the model has its own seed)
    many_to_many: bool = False  # RNN only: train on every step's output, not just the last
    time_budget_s: float | None = None  # stop after this much training time in total
    average: float | None = None  # per-step decay of a running average of the weights (EMA),
    #                               e.g. 0.98; validated and kept instead of the raw weights
    loss: str = "mse"           # "mse": mean(e²); "huber": quadratic up to huber_delta, then linear
    huber_delta: float = 1.0    # Huber only: errors beyond it count linearly (scaled target units)

    def __post_init__(self):
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, "
                             f"got {self.optimizer!r}")
        if int(self.epochs) < 0 or int(self.batch_size) < 1:
            raise ValueError("epochs must be >= 0 and batch_size >= 1")
        if not (self.lr > 0):
            raise ValueError(f"lr must be positive, got {self.lr}")
        if self.average is not None and not (0.0 <= self.average < 1.0):
            raise ValueError(f"average must be in [0, 1) or None, got {self.average}")
        if self.loss not in LOSSES:
            raise ValueError(f"loss must be one of {', '.join(LOSSES)}, got {self.loss!r}")
        if not (self.huber_delta > 0):
            raise ValueError(f"huber_delta must be positive, got {self.huber_delta}")


@dataclass
class EpochLog:
    epoch: int         # 1-based
    train_loss: float  # mean loss over the epoch's mini-batches (weighted by batch size)
    val_loss: float    # loss on the validation set after the epoch (train loss if no val set)
    grad_norm: float   # mean over the epoch's mini-batches of the global norm before clipping
    clipped: bool      # whether clipping shortened at least one step in the epoch
    seconds: float     # training time of the epoch, validation included (summed over chunks)


class Trainer:
    """Resumable training of an ElmanRNN or Dense with MSE or Huber loss.

    ``callback(log: EpochLog)`` is called after every epoch; returning ``False`` (or the string
    ``"stop"``) asks training to stop ("stopped by user"). Returning None or True continues.
    """

    def __init__(self, model, X_train, y_train, X_val=None, y_val=None, cfg=None,
                 callback=None):
        self.model = model
        self.cfg = cfg = cfg if cfg is not None else TrainConfig()
        self.callback = callback
        self.X, self.y = self._check(X_train, y_train, "train")
        if X_val is None:
            self.X_val = self.y_val = None
        else:
            self.X_val, self.y_val = self._check(X_val, y_val, "validation")
        self.rng = np.random.default_rng(cfg.seed)  # shuffling only, never the global RNG
        self.optimizer = make_optimizer(cfg.optimizer, model.theta, cfg.lr, cfg.momentum)
        self.grad = model.new_grad()                # flat gradient buffer, reused every step
        self.history = []                           # list[EpochLog]
        self.epoch = 0                              # epochs completed
        self.best_epoch = 0                         # 0 = the initial weights
        self.best_val_loss = float("inf")
        self._best_theta = model.theta.copy()       # restored when training ends
        self._bad_epochs = 0                        # epochs since the last improvement
        self._avg = model.theta.copy() if cfg.average is not None else None  # EMA of theta
        self._raw = np.empty_like(model.theta) if cfg.average is not None else None
        self.elapsed = 0.0                          # seconds spent in run(), summed
        # the epoch in progress (None: between epochs), so a chunk can end inside an epoch
        self._order = None                          # its shuffle of the training windows
        self._pos = 0                               # where its next mini-batch starts
        self._loss_sum = 0.0                        # Σ batch loss × batch size so far
        self._norm_sum, self._steps = 0.0, 0        # Σ gradient norms, batches so far
        self._clipped = False                       # clipping shortened a step so far
        self._epoch_s = 0.0                         # its training time so far
        self.done = cfg.epochs == 0
        self.stop_reason = "finished" if self.done else ""
        self.diverged = False                       # True once a loss was NaN or infinite

    # ------------------------------------------------------------------ checks
    def _check(self, X, y, part):
        m, dt = self.model, self.model.dtype
        X, y = np.asarray(X, dtype=dt), np.asarray(y, dtype=dt)
        if len(X) != len(y) or len(X) == 0:
            raise ValueError(f"{part}: X and y need the same, non-zero number of rows "
                             f"(got {len(X)} and {len(y)})")
        if m.is_sequence:
            if X.ndim != 3 or X.shape[2] != m.n_inputs:
                raise ValueError(f"{part}: X must be (n, time, {m.n_inputs}), got {X.shape}")
            want = ((len(X), X.shape[1], m.n_outputs) if self.cfg.many_to_many
                    else (len(X), m.n_outputs))
        else:
            if X.ndim != 2 or X.shape[1] != m.n_inputs:
                raise ValueError(f"{part}: X must be (n, {m.n_inputs}), got {X.shape}")
            want = (len(X), m.n_outputs)
        if y.shape != want:
            raise ValueError(f"{part}: y must have shape {want}, got {y.shape}")
        if not (np.isfinite(X).all() and np.isfinite(y).all()):
            raise ValueError(f"{part}: X and y must not contain NaN or inf")
        return X, y

    # ------------------------------------------------------------------ loss
    def _pred(self, Y):
        """The outputs the loss looks at: the last step for a many-to-one RNN."""
        if self.model.is_sequence and not self.cfg.many_to_many:
            return Y[:, -1]
        return Y

    def loss(self, X, y):
        """The training loss of the model on (X, y), as a Python float (forward only)."""
        if self.cfg.many_to_many:  # every step's output is scored: the full forward
            P = self.model.forward(X)[0]
        else:  # predict keeps no backward buffers (ElmanRNN: batches of windows)
            P = self.model.predict(X)
        return loss_and_grad(P - y, self.cfg.loss, self.cfg.huber_delta)[0]

    def _step(self, Xb, yb):
        """One mini-batch: forward, loss, backward into self.grad. Returns the loss."""
        model = self.model
        Y, cache = model.forward(Xb, reuse_buffers=True)
        E = self._pred(Y) - yb                               # error         (batch, [time,] out)
        loss, dE = loss_and_grad(E, self.cfg.loss, self.cfg.huber_delta)
        # dL/dy; for a many-to-one RNN only the last step's y (backward knows from the shape).
        model.backward(dE, cache, out=self.grad)
        return loss

    # ------------------------------------------------------------------ loop
    @property
    def epochs_done(self) -> float:
        """Completed epochs plus the share of the epoch in progress (e.g. 3.4): for progress."""
        return self.epoch + (self._pos / len(self.X) if self._order is not None else 0.0)

    def _train_batch(self) -> bool:
        """One mini-batch of the epoch in progress (shuffled when it starts): forward,
        backward, clip, update. False at a non-finite loss or gradient (no update with it)."""
        cfg = self.cfg
        if self._order is None:                              # a new epoch: its seeded shuffle
            self._order = self.rng.permutation(len(self.X))
            self._pos, self._loss_sum, self._norm_sum, self._steps = 0, 0.0, 0.0, 0
            self._clipped, self._epoch_s = False, 0.0
        idx = self._order[self._pos:self._pos + cfg.batch_size]
        self._pos += len(idx)
        loss = self._step(self.X[idx], self.y[idx])          # forward + backward
        norm = clip_grad_norm_(self.grad, cfg.clip)          # global norm before clipping
        if not (math.isfinite(loss) and math.isfinite(norm)):
            return False
        self._clipped = self._clipped or bool(cfg.clip and norm > cfg.clip)
        self._norm_sum += norm
        self._steps += 1
        self.optimizer.step(self.grad)                       # update theta in place
        if self._avg is not None:                            # avg = d·avg + (1-d)·theta
            self._avg *= cfg.average
            self._avg += (1.0 - cfg.average) * self.model.theta
        self._loss_sum += loss * len(idx)
        return True

    def _end_epoch(self, finite: bool, t0: float) -> EpochLog:
        """Validate the epoch just completed (or ended by a non-finite loss) and log it;
        ``t0`` is when this chunk's share of the epoch began."""
        n = len(self.X)
        self.epoch += 1
        if finite:
            train_loss, grad_norm = self._loss_sum / n, self._norm_sum / self._steps
        else:
            train_loss = grad_norm = float("nan")
        if self._avg is not None:  # evaluate (and keep, if best) the averaged weights
            self._raw[...] = self.model.theta
            self.model.theta[...] = self._avg
        if not finite:
            val_loss = float("nan")
        elif self.X_val is None:
            val_loss = train_loss
        else:
            val_loss = self.loss(self.X_val, self.y_val)
        spent = time.perf_counter() - t0
        self.elapsed += spent
        log = EpochLog(epoch=self.epoch, train_loss=train_loss, val_loss=val_loss,
                       grad_norm=grad_norm, clipped=self._clipped, seconds=self._epoch_s + spent)
        self._order = None
        return log

    def run(self, max_epochs=None, max_seconds=None, max_steps=None, until=None):
        """Train up to ``max_epochs`` more complete epochs, ``max_steps`` more mini-batches
        and/or about ``max_seconds`` more seconds (whichever comes first; none: to the end),
        or until ``until()`` says True (asked between mini-batches, at most every UNTIL_EVERY_S:
        a worker ends its turn early when something more urgent arrives).

        Runs at least one mini-batch per call (unless done) and may return inside an epoch;
        the next call carries on from there with the same numbers. Returns self; call again to
        continue until ``done``.
        """
        start, epochs, steps = time.perf_counter(), 0, 0
        asked = start
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is detected, not warned
            while not self.done:
                if max_epochs is not None and epochs >= max_epochs:
                    break
                if max_steps is not None and steps >= max_steps:
                    break
                now = time.perf_counter()
                if max_seconds is not None and steps and now - start >= max_seconds:
                    break
                if until is not None and steps and now - asked >= UNTIL_EVERY_S:
                    asked = now
                    if until():
                        break
                t0 = time.perf_counter()
                finite = self._train_batch()
                steps += 1
                if finite and self._pos < len(self.X):  # the epoch goes on in the next batch
                    spent = time.perf_counter() - t0
                    self._epoch_s += spent
                    self.elapsed += spent
                    continue
                log = self._end_epoch(finite, t0)
                epochs += 1
                self.history.append(log)
                self._after_epoch(log)
                if self._avg is not None and not self.done:
                    self.model.theta[...] = self._raw  # training goes on from the raw weights
        return self

    def _after_epoch(self, log):
        cfg = self.cfg
        if not math.isfinite(log.val_loss):
            self.diverged = True
            self._finish(f"diverged: non-finite loss at epoch {log.epoch} — "
                         "try a smaller learning rate")
        elif log.val_loss < self.best_val_loss:
            self.best_val_loss, self.best_epoch, self._bad_epochs = log.val_loss, log.epoch, 0
            self._best_theta[...] = self.model.theta
        else:
            self._bad_epochs += 1
        if self.callback is not None:
            answer = self.callback(log)
            if not self.done and (answer is False or answer == "stop"):
                self._finish(STOPPED_BY_USER)
        if self.done:
            return
        if cfg.patience is not None and self._bad_epochs >= cfg.patience:
            self._finish(f"early stopping at epoch {log.epoch} (best epoch {self.best_epoch})")
        elif self.epoch >= cfg.epochs:
            self._finish("finished")
        elif cfg.time_budget_s is not None and self.elapsed >= cfg.time_budget_s:
            self._finish("time budget")

    def _finish(self, reason):
        self.done, self.stop_reason = True, reason
        self._order = None                         # an epoch in progress is dropped unfinished
        self.model.theta[...] = self._best_theta  # best validation weights (finite by design)
        if hasattr(self.model, "_workspaces"):      # training buffers (~20 MB for an RNN at
            self.model._workspaces.clear()          # hidden 256, time 60) are not needed now

    def stop(self, reason=STOPPED_BY_USER):
        """End training now (e.g. the user pressed Stop); the model gets the best weights."""
        if not self.done:
            self._finish(reason)
        return self


def fit(model, X_train, y_train, X_val=None, y_val=None, cfg=None, callback=None):
    """Train ``model`` to the end; returns the Trainer (``fit(...).model`` is the model)."""
    return Trainer(model, X_train, y_train, X_val, y_val, cfg, callback).run()
