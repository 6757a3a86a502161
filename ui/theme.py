"""One place for the names, colours and order of every model drawn anywhere in the app.

Every chart colours a model the same way: the colour scale is built from `MODEL_ORDER` with an
explicit domain and range, so "RNN (memory)" is the same orange on the loss curves, the forecast
chart, the skill bars and the memory probe.
"""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt

# Keys are the model names used by forecast/ (columns of the predictions, keys of the metrics).
MODEL_ORDER: tuple[str, ...] = (
    "actual",
    "rnn",
    "dense",
    "dense_window",
    "persistence",
    "climatology",
    "linear",
)

MODEL_LABELS: dict[str, str] = {
    "actual": "Observed",
    "rnn": "RNN (memory)",
    "dense": "Dense (today only)",
    "dense_window": "Dense (window)",
    "persistence": "Persistence",
    "climatology": "Climatology",
    "linear": "Linear",
}

# Light theme (see .streamlit/config.toml). The RNN gets the loudest colour; the baselines are
# muted; observed is near-black so the truth reads as the reference line.
MODEL_COLORS: dict[str, str] = {
    "actual": "#262730",
    "rnn": "#e4572e",
    "dense": "#4c78a8",
    "dense_window": "#54a24b",
    "persistence": "#9d755d",
    "climatology": "#b279a2",
    "linear": "#eeca3b",
}

# A second cue besides colour (colour-blind readers, grey prints): a dash pattern per model for
# lines and a marker shape per model for points. Observed and the RNN stay solid lines; observed
# is told apart from the RNN by its near-black colour and thicker line.
MODEL_DASHES: dict[str, list[int]] = {
    "actual": [1, 0],
    "rnn": [1, 0],
    "dense": [6, 3],
    "dense_window": [2, 2],
    "persistence": [10, 3, 2, 3],
    "climatology": [1, 3],
    "linear": [12, 4],
}
MODEL_SHAPES: dict[str, str] = {
    "actual": "circle",
    "rnn": "diamond",
    "dense": "square",
    "dense_window": "triangle-up",
    "persistence": "triangle-down",
    "climatology": "cross",
    "linear": "triangle-right",
}

_FALLBACK_COLORS = ("#17becf", "#7f7f7f", "#bcbd22", "#8c564b", "#e377c2")

MONTH_NAMES: tuple[str, ...] = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip

DEFAULT_HEIGHT = 320


def model_label(key: str) -> str:
    """Readable name of a model key; unknown keys are shown as they are."""
    return MODEL_LABELS.get(key, str(key))


def ordered_models(keys: Iterable[str]) -> list[str]:
    """The keys in the app's usual order (known models first, then others as given)."""
    keys = list(dict.fromkeys(keys))
    known = [k for k in MODEL_ORDER if k in keys]
    return known + [k for k in keys if k not in MODEL_ORDER]


def model_color_scale(keys: Iterable[str]) -> alt.Scale:
    """An ordinal colour scale over the *labels* of `keys` with each model's fixed colour."""
    keys = ordered_models(keys)
    colors, spare = [], iter(_FALLBACK_COLORS * 4)
    for k in keys:
        colors.append(MODEL_COLORS.get(k) or next(spare))
    return alt.Scale(domain=[model_label(k) for k in keys], range=colors)


def model_dash_scale(keys: Iterable[str]) -> alt.Scale:
    """A strokeDash scale over the labels of `keys` (same domain as `model_color_scale`, so one
    legend shows colour and dash together)."""
    keys = ordered_models(keys)
    return alt.Scale(domain=[model_label(k) for k in keys],
                     range=[MODEL_DASHES.get(k, [4, 2]) for k in keys])


def model_shape_scale(keys: Iterable[str]) -> alt.Scale:
    """A shape scale over the labels of `keys` (same domain as `model_color_scale`)."""
    keys = ordered_models(keys)
    return alt.Scale(domain=[model_label(k) for k in keys],
                     range=[MODEL_SHAPES.get(k, "circle") for k in keys])


def model_sort(keys: Iterable[str]) -> list[str]:
    """Labels in the usual order, for `sort=` on a nominal channel."""
    return [model_label(k) for k in ordered_models(keys)]
