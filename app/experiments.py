"""The guided experiments: one-click settings, the question each asks, and what to look for.

Pure data (no streamlit): the app draws the picker (widget key ``experiment``, options
``OPTIONS``), sets the controls from ``GuidedExperiment.settings`` (names are
forecast.config.ExperimentConfig fields), switches to ``sample`` when one is given, trains, and
for ``memory_curve`` also runs forecast.memory_curve.memory_curve. The numbers quoted in
``look_for`` are what the page shows after the click: measured with ``config_for(key)`` (Huber
loss, seed 0 and the default 3 repeats) on the whole bundled sample, trained as the app trains
(app.job.TrainingJob). MAEs, memory curves included, are means over seeds 0–2; the loss and
gradient-norm curves, hidden states, memory probe and forecasts are seed 0's; times are the
"trained in" seconds of one machine, quoted as a ratio.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType

from data_sources.samples import ECHO_LAG, SYNTHETIC_SAMPLE
from forecast.config import ExperimentConfig

CONTROLS = ("hidden", "activation", "lr", "window", "epochs", "seed")  # ExperimentConfig fields
_DEFAULTS = ExperimentConfig()
LESSON = MappingProxyType({name: getattr(_DEFAULTS, name) for name in CONTROLS})
#   the lesson's settings (window 14, hidden 32, tanh, lr 0.01, 60 epochs, seed 0); every
#   experiment sets all six controls, so one experiment's learning rate never leaks into the next


def _with(**changes) -> MappingProxyType:
    unknown = set(changes) - set(CONTROLS)
    if unknown:  # a typo here would silently set nothing in the app
        raise ValueError(f"not a control: {sorted(unknown)}")
    return MappingProxyType({**LESSON, **changes})


@dataclass(frozen=True)
class GuidedExperiment:
    key: str  # the option value of the `experiment` widget
    label: str  # what the picker shows
    question: str  # the one question the experiment answers
    settings: MappingProxyType = field(default_factory=lambda: LESSON)  # control -> value
    look_for: str = ""  # what the charts show, in plain words, with measured numbers
    sample: str | None = None  # switch to this bundled sample first (None: keep the data)
    memory_curve: bool = False  # also train the RNN and the memoryless network per window


EXPERIMENTS: dict[str, GuidedExperiment] = {
    e.key: e
    for e in (
        GuidedExperiment(
            key="memory",
            label="Does memory help?",
            question="Does the RNN forecast better when it sees more past days?",
            settings=_with(),
            memory_curve=True,
            look_for=(
                "The memory curve trains the RNN with windows of 1, 2, 3, 7, 14 and 28 days "
                "(window 1 is an RNN without a past) and draws its test error beside the "
                "network that sees only the last day (dashed). On real weather the two lines "
                "stay close: on Seattle 2012–2015 the RNN's error is 1.423–1.436 °C at every "
                "window against 1.436–1.444 °C without memory; on Chicago 2001–2016 one extra "
                "day brings the whole gain (2.544 °C at window 1, 2.483–2.495 °C from window 2 "
                "on, memoryless 2.55 °C). (Means of seeds 0–2.) Tomorrow's temperature mostly "
                "follows today's, so a longer memory adds little. Compare with “A series where "
                "memory is everything”."
            ),
        ),
        GuidedExperiment(
            key="lr_high",
            label="A learning rate too high",
            question="What happens when each training step is 100 times too large?",
            settings=_with(lr=1.0),
            look_for=(
                "Loss per epoch: the RNN's training loss starts near 12 instead of 0.40, wanders "
                "between 0.55 and 1.7 from epoch 5 instead of settling near 0.38, and climbs back "
                "to 2.5–4.8 at the end. Gradient norm: 276 in the first epoch (0.23 at the usual "
                "0.01); some step hits the clipping limit of 5 in 20 of the 33 epochs. Inside the "
                "network: 99 % of the hidden values are pinned at −1 or +1, and the memory probe "
                "puts most weight on the last day (0.99; 0.42 four days back). The RNN gains "
                "nothing over “tomorrow = today”: its MAE of 1.513 °C equals persistence's (1.513 "
                "°C) and is worse than with the usual rate (1.425 °C), though its forecasts differ "
                "from persistence by 0.59 °C on average (0.43 °C at 0.01). (Seattle 2012–2015, "
                "learning rate 1.0, seed 0; MAEs: means of seeds 0–2.) Keeping the best validation "
                "weights and averaging them hides part of the damage."
            ),
        ),
        GuidedExperiment(
            key="saturation",
            label="Saturation: sigmoid with 256 hidden units",
            question="What happens to the hidden state when the sigmoid units saturate?",
            settings=_with(activation="sigmoid", hidden=256),
            look_for=(
                "Hidden state: most units are switched off and stay off — 82 % of all hidden "
                "values are below 0.05, and 186 of the 256 units barely move from day to day "
                "(s.d. under 0.01; the heatmap draws the first 32, of which 22 are flat). A "
                "saturated sigmoid has a slope near 0, so almost no gradient reaches those "
                "units. Loss per epoch: after the first epoch the RNN's training loss "
                "sits at 0.42 (the same as always predicting the average change) for five "
                "epochs before it starts to fall. Training takes about 16 times longer "
                "(trained in 6.2 s against 0.4 s for tanh with 32 units) for a worse result: "
                "MAE 1.456 °C against 1.425 °C, and seed 1's RNN ends at persistence's "
                "1.512 °C. (Seattle 2012–2015, seed 0; MAEs are means of seeds 0–2.)"
            ),
        ),
        GuidedExperiment(
            key="synthetic",
            label="A series where memory is everything",
            question="Can the RNN beat the memoryless network when the past really matters?",
            settings=_with(window=14),
            sample=SYNTHETIC_SAMPLE,
            memory_curve=True,
            look_for=(
                "This series is synthetic, not weather: each day echoes the value "
                f"{ECHO_LAG} days earlier plus noise, and yesterday says nothing about today. "
                "The network that sees only today can do no better than the average: MAE "
                "2.68 °C. The RNN, whose 14-day window reaches the echo, gets 1.31 °C — "
                "less than half (means of seeds 0, 1 and 2; the noise alone allows about "
                "1.2 °C). On the memory curve the RNN's line sits on or just above the "
                "memoryless one for windows 1–3 (2.71–2.77 °C against 2.69–2.70 °C) and drops "
                "to 1.18 °C at window 7, the first window that reaches a week back (1.27–1.31 °C "
                "at 14 and 28 days; seeds 0–2). On real weather the two lines barely part."
            ),
        ),
    )
}
OPTIONS: tuple[str, ...] = tuple(EXPERIMENTS)  # ("memory", "lr_high", "saturation", "synthetic")


def label(key: str) -> str:
    """The picker's label for an option value (format_func)."""
    return EXPERIMENTS[key].label


def config_for(key: str, base: ExperimentConfig | None = None) -> ExperimentConfig:
    """``base`` (default: the lesson's settings) with the experiment's controls applied."""
    return replace(base if base is not None else ExperimentConfig(), **EXPERIMENTS[key].settings)
