"""Optimizers and gradient clipping, all working on flat vectors.

The networks keep every weight in one flat array ``theta`` (see rnn/params.py), so an optimizer
step is a few whole-array operations, the same whatever the network.
"""

import numpy as np


def clip_grad_norm_(grad, max_norm):
    """Scale the flat ``grad`` in place so its global L2 norm is at most ``max_norm``.

    Returns the norm *before* clipping (``inf``/``nan`` if the gradient is not finite; then the
    gradient is left alone). ``max_norm`` None or <= 0 disables clipping.
    """
    norm = float(np.sqrt(np.dot(grad, grad)))  # ||g||, one pass over all parameters
    if max_norm and max_norm > 0 and np.isfinite(norm) and norm > max_norm:
        grad *= max_norm / norm  # same direction, length max_norm
    return norm


class SGD:
    """Stochastic gradient descent with (heavy-ball) momentum.

    v <- momentum·v - lr·g;  theta <- theta + v
    """

    def __init__(self, theta, lr=0.01, momentum=0.9):
        self.theta, self.lr, self.momentum = theta, lr, momentum
        self.v = np.zeros_like(theta)    # velocity, a running sum of past steps
        self._tmp = np.empty_like(theta)

    def step(self, grad):
        self.v *= self.momentum                                  # v = momentum·v
        self.v -= np.multiply(grad, self.lr, out=self._tmp)      # v -= lr·g
        self.theta += self.v                                     # theta += v


class Adam:
    """Adam (Kingma & Ba, 2015): per-parameter steps from running moments of the gradient.

    m <- b1·m + (1-b1)·g;  v <- b2·v + (1-b2)·g²
    theta <- theta - lr·m̂ / (sqrt(v̂) + eps), with bias corrections m̂ = m/(1-b1^t), v̂ = v/(1-b2^t)
    """

    def __init__(self, theta, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.theta, self.lr, self.beta1, self.beta2, self.eps = theta, lr, beta1, beta2, eps
        self.m = np.zeros_like(theta)  # first moment: running mean of g
        self.v = np.zeros_like(theta)  # second moment: running mean of g²
        self.t = 0                     # steps taken, for the bias corrections
        self._tmp = np.empty_like(theta)

    def step(self, grad):
        b1, b2, tmp = self.beta1, self.beta2, self._tmp
        self.t += 1
        self.m *= b1
        self.m += np.multiply(grad, 1.0 - b1, out=tmp)           # m = b1·m + (1-b1)·g
        self.v *= b2
        np.multiply(grad, grad, out=tmp)
        tmp *= 1.0 - b2
        self.v += tmp                                            # v = b2·v + (1-b2)·g²
        step = self.lr * np.sqrt(1.0 - b2**self.t) / (1.0 - b1**self.t)  # lr with both corrections
        np.sqrt(self.v, out=tmp)
        tmp += self.eps * np.sqrt(1.0 - b2**self.t)              # sqrt(v̂) + eps, rescaled
        np.divide(self.m, tmp, out=tmp)
        tmp *= step
        self.theta -= tmp                                        # theta -= lr·m̂/(sqrt(v̂)+eps)


OPTIMIZERS = ("adam", "sgd")  # the names make_optimizer knows, checked once by TrainConfig


def make_optimizer(name, theta, lr, momentum=0.9):
    """``"adam"`` or ``"sgd"`` -> an optimizer bound to the flat parameter vector ``theta``."""
    if name == "adam":
        return Adam(theta, lr=lr)
    if name == "sgd":
        return SGD(theta, lr=lr, momentum=momentum)
    raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")
