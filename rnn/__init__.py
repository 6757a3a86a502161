"""RNN Weather Lab's from-scratch networks: NumPy only.

    from rnn import ElmanRNN, Dense
    m = ElmanRNN(n_inputs=3, n_hidden=32, n_outputs=1, activation="tanh", seed=0)
    Y, cache = m.forward(X)          # X (batch, time, 3) -> Y (batch, time, 1)
    grads = m.backward(dY, cache)    # dict shaped like m.params
    m.predict(X)                     # last step's output, (batch, 1)

    from rnn.train import Trainer, TrainConfig, EpochLog, fit
    tr = Trainer(m, X_train, y_train, X_val, y_val, TrainConfig(epochs=60))
    tr.run(max_seconds=0.5)          # resumable; tr.done, tr.stop_reason, tr.history

    rnn.save_npz(file, m, {"window": 14}); m = rnn.load_npz(file)   # rnn.WeightsError if bad

Modules: activations (tanh, sigmoid, relu + derivatives), elman (ElmanRNN), dense (Dense),
init (initialisation and why), params (the flat parameter vector), optim (SGD, Adam, clipping),
train (the fit loop), io (save/load).
"""

from .dense import Dense
from .elman import ElmanRNN
from .io import WeightsError, load_npz, save_npz
from .optim import SGD, Adam, clip_grad_norm_
from .train import EpochLog, TrainConfig, Trainer, fit

__all__ = ["Adam", "Dense", "ElmanRNN", "EpochLog", "SGD", "TrainConfig", "Trainer",
           "WeightsError", "clip_grad_norm_", "fit", "load_npz", "save_npz"]
