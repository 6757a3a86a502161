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


def luminance(color: str) -> float:
    """WCAG relative luminance of "#rrggbb"."""
    channels = [int(color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two "#rrggbb" colours (1 … 21; AA text needs 4.5)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(fill: str) -> str:
    """White or near-black, whichever reads better on ``fill`` (text drawn inside a bar)."""
    return max(("#ffffff", DIAGRAM_BOX_TEXT), key=lambda text: contrast(text, fill))


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


# The page's own CSS (app/page.py adds it once per run; it takes no room). Streamlit draws
# captions and help text in 60 % body text (3.9:1 on white) and chart axes and legends in a fixed
# grey (#808495, 3.7:1): below WCAG AA's 4.5:1. Both are given the body text colour here —
# `currentColor`, which Streamlit sets for the light and the dark theme alike, so one rule serves
# both (captions keep a lighter look at 80 % opacity: still ≥ 6:1). The observed series' near-black
# would vanish on the dark background: it takes the body text colour as well. Slider values,
# drawn in the primary colour (3.4:1 on the dark widget background), take the body text too.
# tests/e2e/test_accessibility.py measures all of it with axe-core, light and dark.
_CHART = '[data-testid="stVegaLiteChart"]'
_GRAPHVIZ = '[data-testid="stGraphVizChart"]'
DIAGRAM_BOX_TEXT = "#1b1c22"  # on the diagrams' light box fills: ≥ 14:1
# the charts' fixed text colours (and Vega's default, black) on the page's background
ON_BACKGROUND_TEXT = ("#31333f", "#808495", "#5c5f6e", "black", "#000000", "#000")
_CHART_TEXT = ("role-axis-label", "role-axis-title", "role-legend-label", "role-legend-title",
               "role-title-subtitle", "role-title-text")
PAGE_CSS = "<style>\n" + "\n".join((
    '[data-testid="stCaptionContainer"], [data-testid="stWidgetLabel"] small,'
    ' [data-testid="stTooltipContent"] {'
    " color: inherit !important; opacity: 0.8; }",
    ", ".join(f"{_CHART} .{role} text" for role in _CHART_TEXT)
    + " { fill: currentColor !important; fill-opacity: 1 !important; }",
    # text marks drawn on the background in a fixed dark or grey (the skill bars' numbers,
    # "today", "clip at 5", "no data") follow the body text; numbers inside bars stay white
    ", ".join(f'{_CHART} .role-mark text[fill="{c}"]' for c in ON_BACKGROUND_TEXT)
    + " { fill: currentColor; }",
    # text faded by opacity (a de-emphasised row) keeps ≥ 4.5:1: at least 75 % opaque
    f'{_CHART} .role-mark text[opacity^="0."]:not([opacity^="0.8"]):not([opacity^="0.9"])'
    " { opacity: 0.75; }",
    # Vega's default text size is 11 px: at least 12 px on any screen
    ", ".join(f'{_CHART} text[font-size="{n}px"]' for n in range(8, 12))
    + " { font-size: 12px; }",
    f'{_CHART} [stroke="{MODEL_COLORS["actual"]}"] {{ stroke: currentColor; }}',
    f'{_CHART} [fill="{MODEL_COLORS["actual"]}"] {{ fill: currentColor; }}',
    # The network diagrams (ui/diagram.py): labels on the page's background and arrows in the
    # body text colour; text inside a filled (light) box stays dark in either theme.
    f"{_GRAPHVIZ} svg text {{ fill: currentColor; }}",
    f"{_GRAPHVIZ} .edge path, {_GRAPHVIZ} .edge polygon {{ stroke: currentColor; }}",
    f"{_GRAPHVIZ} .edge polygon {{ fill: currentColor; }}",
    ", ".join(f'{_GRAPHVIZ} .node:has(> {shape}[fill^="#"]) text'
              for shape in ("path", "polygon", "ellipse"))
    + f" {{ fill: {DIAGRAM_BOX_TEXT}; }}",
    # the keyboard's skip link (app/keyboard.py): out of sight until it has the focus
    ".rwl-skip { position: absolute; left: -10000px; }",
    ".rwl-skip:focus { position: static; display: inline-block; padding: 0.2rem 0; }",
    '[data-testid="stSliderThumbValue"], [data-testid="stSliderThumbValue"] p,'
    ' [data-testid="stSliderTickBarMin"], [data-testid="stSliderTickBarMax"]'
    " { color: inherit !important; }",
)) + "\n</style>"
