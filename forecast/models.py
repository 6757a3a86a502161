"""The experiment's vocabulary: which models it scores and which temperatures it forecasts.

Every other module reads these names from here (the record, the verdict, the app's settings),
so a model or a target is named in one place.
"""

from __future__ import annotations

NETWORKS = ("rnn", "dense", "dense_window")
BASELINES = ("persistence", "climatology", "linear")
MODELS = NETWORKS + BASELINES

NAMES = {  # how the verdict names each model
    "rnn": "the RNN",
    "dense": "the memoryless network",
    "dense_window": "the windowed dense network",
    "persistence": "persistence",
    "climatology": "climatology",
    "linear": "the linear baseline",
}

# The temperatures a model can forecast (the data's temperature columns), in the order offered.
TARGET_NAMES = {"temp": "daily mean temperature", "tmax": "daily maximum temperature",
                "tmin": "daily minimum temperature"}


def target_name(target: str) -> str:
    """The words for a target column; an unknown column is named after itself."""
    return TARGET_NAMES.get(target, f"daily {target}")
