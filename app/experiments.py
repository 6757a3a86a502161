"""The guided experiments: one-click settings, their own data, the question each asks, and what
to look for.

Pure data (no streamlit): the app draws the picker (widget key ``experiment``, options
``OPTIONS``), loads the experiment's own bundled ``sample`` (every experiment names its data, so
what one experiment loaded never leaks into the next), sets the controls from
``GuidedExperiment.settings`` (names are forecast.config.ExperimentConfig fields), trains, and for
``memory_curve`` also runs forecast.memory_curve.memory_curve.

No measured number is typed here: ``look_for`` says what to look for and in which tab; every
number the page quotes about a run is computed from that run (app/guided_text.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType

from app.text import sample_label
from data_sources.samples import DEFAULT_SAMPLE, ECHO_LAG, SYNTHETIC_SAMPLE, list_samples
from forecast.config import ExperimentConfig

CONTROLS = ("hidden", "activation", "lr", "window", "epochs", "seed", "season")
#   ExperimentConfig fields, each a sidebar widget's key
_DEFAULTS = ExperimentConfig()
LESSON = MappingProxyType({name: getattr(_DEFAULTS, name) for name in CONTROLS})
#   the lesson's settings (window 14, hidden 32, tanh, lr 0.01, 60 epochs, seed 0, the season
#   fed); every experiment sets all of them, so one experiment's learning rate never leaks
#   into the next

# Where the charts are: the result tabs' labels (app/results.py), quoted by `look_for`.
TAB_FORECAST = "Forecast vs actual"
TAB_ERRORS = "Errors"
TAB_NEXT = "Next 7 days"
TAB_INSIDE = "How it works"
TAB_HISTORY = "Run history"
TAB_EXPORT = "Export"


def _with(**changes) -> MappingProxyType:
    unknown = set(changes) - set(CONTROLS)
    if unknown:  # a typo here would silently set nothing in the app
        raise ValueError(f"not a control: {sorted(unknown)}")
    return MappingProxyType({**LESSON, **changes})


LINEAR_REASON = (f"the echo is linear in the value {ECHO_LAG} days back, and the linear model "
                 "sees the whole window at once")  # why the linear model does well on the echo


def sample_name(sample_id: str) -> str:
    """'Seattle 2012–2015': how the page names a bundled sample."""
    return sample_label({s["id"]: s for s in list_samples()}[sample_id])


@dataclass(frozen=True)
class GuidedExperiment:
    key: str  # the option value of the `experiment` widget (and of a link's `experiment=`)
    label: str  # what the picker shows
    question: str  # the one question the experiment answers
    sample: str  # the bundled sample it loads and trains on, named in its texts
    settings: MappingProxyType = field(default_factory=lambda: LESSON)  # control -> value
    look_for: str = ""  # what the charts show and where, in plain words; no measured numbers
    lesson: str = ""  # the one idea to take away, said under the run's own numbers
    memory_curve: bool = False  # also train the RNN and the memoryless network per window

    @property
    def data(self) -> str:
        return sample_name(self.sample)


SEATTLE = sample_name(DEFAULT_SAMPLE)
EXPERIMENTS: dict[str, GuidedExperiment] = {
    e.key: e
    for e in (
        GuidedExperiment(
            key="memory",
            label="Does memory help?",
            question=f"Does the RNN forecast {SEATTLE}'s weather better when it sees more past "
                     "days?",
            sample=DEFAULT_SAMPLE,
            settings=_with(),
            memory_curve=True,
            look_for=(
                "**The memory curve** (just below the question) trains the RNN with windows of "
                "1, 2, 3, 7, 14 and 28 days — window 1 is an RNN without a past — and draws its "
                "average miss beside the network that sees only the last day (dashed). Look at "
                "how far the solid line drops below the dashed one as the window grows. "
                "**The today-vs-tomorrow picture** beside it shows why: on real weather each "
                "day sits close to the day before. Compare with “A series where memory is "
                "everything”."
            ),
            lesson="Tomorrow's temperature mostly follows today's, so a longer memory adds "
                   "little on real weather.",
        ),
        GuidedExperiment(
            key="lr_high",
            label="A learning rate too high",
            question="What happens when each training step is 100 times too large?",
            sample=DEFAULT_SAMPLE,
            settings=_with(lr=1.0),
            look_for=(
                f"**{TAB_INSIDE}** tab, at its bottom: *loss per epoch* — the RNN's training "
                "loss starts far above the usual and jumps around instead of settling; "
                "*gradient norm* — steps hit the clipping limit again and again. Higher in the "
                "same tab, the *hidden state* heatmap is mostly pinned at −1 and +1. "
                f"**{TAB_FORECAST}** tab: the RNN's line hugs “tomorrow = today”. To see the "
                f"usual rate beside it, run “Does memory help?” and open **{TAB_HISTORY}**."
            ),
            lesson="Too large a step overshoots: the network cannot settle, and early stopping "
                   "only keeps the least bad weights.",
        ),
        GuidedExperiment(
            key="saturation",
            label="Saturation: sigmoid with 256 hidden units",
            question="What happens to the hidden state when the sigmoid units saturate?",
            sample=DEFAULT_SAMPLE,
            settings=_with(activation="sigmoid", hidden=256),
            look_for=(
                f"**{TAB_INSIDE}** tab: the *hidden state* heatmap — most units are switched off "
                "and stay flat from day to day. A saturated sigmoid has a slope near 0, so "
                "almost no gradient reaches those units. At the bottom of the same tab, *loss "
                "per epoch* sits flat for a few epochs before it falls. The training time above "
                "the tabs is many times the usual, for no better forecast."
            ),
            lesson="More units are not more memory when they are saturated: they cost time and "
                   "learn nothing.",
        ),
        GuidedExperiment(
            key="synthetic",
            label="A series where memory is everything",
            question="Can the RNN beat the memoryless network when the past really matters?",
            sample=SYNTHETIC_SAMPLE,
            settings=_with(window=14),
            memory_curve=True,
            look_for=(
                "This series is synthetic, not weather: each day echoes the value "
                f"{ECHO_LAG} days earlier plus noise, and yesterday says nothing about today. "
                "**The memory curve** (just below the question): the RNN's line stays on the "
                f"dashed memoryless one until the window reaches {ECHO_LAG} days, then drops. "
                "**The today-vs-tomorrow picture**: a cloud, not a diagonal — today does not "
                "tell tomorrow."
            ),
            lesson="When the past holds what today does not, memory is everything: the RNN's "
                   "miss drops once its window reaches the echo.",
        ),
        GuidedExperiment(
            key="calendar",
            label="Take away the calendar",
            question="Does memory help when the networks are not told the date?",
            sample=DEFAULT_SAMPLE,
            settings=_with(season=False),
            look_for=(
                "Every network gets the temperature only — no day of year. The network without "
                "memory now cannot tell March from October; the RNN can read from the last two "
                "weeks which way the season is going. Press **Train again with the calendar** "
                "(or run “Does memory help?”): the same comparison with the date is then said "
                f"above the result tabs, and **{TAB_HISTORY}** lists both runs."
            ),
            lesson="Memory stands in for what the network is not told: without the date, the "
                   "recent days carry the season.",
        ),
    )
}
OPTIONS: tuple[str, ...] = tuple(EXPERIMENTS)
#   ("memory", "lr_high", "saturation", "synthetic", "calendar")


def label(key: str) -> str:
    """The picker's label for an option value (format_func)."""
    return EXPERIMENTS[key].label


def config_for(key: str, base: ExperimentConfig | None = None) -> ExperimentConfig:
    """``base`` (default: the lesson's settings) with the experiment's controls applied."""
    return replace(base if base is not None else ExperimentConfig(), **EXPERIMENTS[key].settings)
