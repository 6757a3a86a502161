"""RNN Weather Lab's from-scratch networks: NumPy only.

    from rnn import ElmanRNN, Dense
    from rnn.train import Trainer, TrainConfig, EpochLog, fit
"""

from .dense import Dense
from .elman import ElmanRNN
from .io import WeightsError, load_npz, save_npz
from .optim import SGD, Adam, clip_grad_norm_
from .train import EpochLog, TrainConfig, Trainer, fit

__all__ = ["Adam", "Dense", "ElmanRNN", "EpochLog", "SGD", "TrainConfig", "Trainer",
           "WeightsError", "clip_grad_norm_", "fit", "load_npz", "save_npz"]
