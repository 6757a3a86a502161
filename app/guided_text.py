"""What a guided experiment says about its own run, without Streamlit.

Every number here is read from the run it describes (its metrics, its RNN-against-memoryless
comparison, its warnings) or from the data it trained on; the experiments' prose in
app/experiments.py holds none. ``matches`` decides whether a run is an experiment's run at all —
its own data, whole period, target and controls — so a text never describes other settings.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import ui
from app.experiments import CONTROLS, EXPERIMENTS, LINEAR_REASON, GuidedExperiment
from app.run import RunSummary
from app.settings import Settings
from data_sources.samples import list_samples
from forecast.diagnose import warning_message
from forecast.headline import headline as answer_line

PHRASE = {  # forecast.headline's answer -> the guided box's first words (same categories as
    #   the headline under it, not the same sentence twice)
    "yes": "Memory helped", "worse": "Memory did worse", "not_here": "Memory did not help here",
    "too_close": "Too close to call", "cannot_tell": "Cannot tell from one repeat",
    "failed": "Training failed, so this comparison means little",
}
ANSWER = {  # the comparison's verdict -> (box kind, the answer to "did memory help?")
    "better": ("success", "Yes"),
    "tie": ("info", "Too close to call"),
    "worse": ("warning", "No, it did worse"),
}


def experiment_settings(experiment: GuidedExperiment) -> dict[str, Any]:
    """The session values a click sets: the controls, the sample, its target, no extras."""
    entry = {s["id"]: s for s in list_samples()}[experiment.sample]
    return {**experiment.settings, "source": "sample", "sample": experiment.sample,
            "target": entry.get("target") or "temp", "extras": []}


def matches(key: str, settings: Settings) -> bool:
    """Whether a run with ``settings`` is experiment ``key`` as its texts describe it: the
    experiment's sample over its whole period, its target, no extra inputs, its controls."""
    experiment = EXPERIMENTS[key]
    entry = {s["id"]: s for s in list_samples()}[experiment.sample]
    return (settings.source == "sample" and settings.data == experiment.sample
            and (settings.start, settings.end) == (entry["start"], entry["end"])
            and settings.target == (entry.get("target") or "temp") and not settings.extras
            and all(getattr(settings, name) == experiment.settings[name] for name in CONTROLS))


def deg(value: float, units: str) -> str:
    """A temperature difference in the display unit, two decimals: '1.43 °C'."""
    return f"{ui.to_display_delta(value, units):.2f} {units}"


def signed(value: float, units: str) -> str:
    return f"{ui.to_display_delta(value, units):+.2f}".replace("-", "−") + f" {units}"


def interval_text(comparison: Mapping[str, Any], units: str) -> str:
    """'−0.06 °C (95 % interval −0.09 to −0.02 °C)': RNN minus memoryless."""
    low = f"{ui.to_display_delta(comparison['low'], units):+.2f}".replace("-", "−")
    high = f"{ui.to_display_delta(comparison['high'], units):+.2f}".replace("-", "−")
    return f"{signed(comparison['diff'], units)} (95 % interval {low} to {high} {units})"


def headline(key: str, run: Any, units: str) -> tuple[str, str]:
    """(box kind, markdown): the experiment's answer from its own run — the answer's category is
    forecast.headline's (the page's headline below says it in full), with the experiment's data
    and the RNN-minus-memoryless interval. A warning about the RNN's training (it did not learn,
    diverged, copies today) outranks the answer: it is said first, in a warning box."""
    experiment = EXPERIMENTS[key]
    line = answer_line(run.result, units)
    interval = f"RNN minus memoryless: {interval_text(run.comparison['dense'], units)}."
    rnn_warnings = [w for w in run.warnings if w.get("model") == "rnn"]
    said = " ".join(warning_message(w, units) for w in rnn_warnings)
    if line.answer == "failed":  # diverged / did not learn: the comparison answers nothing
        return "warning", f"**{PHRASE['failed']} on {experiment.data}.** {said} {interval}"
    if rnn_warnings:  # e.g. it copies today: the answer stands, the warning comes with it
        return "warning", f"**{PHRASE[line.answer]} on {experiment.data}.** {interval} {said}"
    return line.kind, f"**{PHRASE[line.answer]} on {experiment.data}.** {interval}"


def extra_lines(key: str, run: Any, units: str) -> list[str]:
    """Lines particular to one experiment, each from the run's own numbers."""
    metrics = run.metrics
    lines: list[str] = []
    if key == "synthetic" and run.result.available("linear"):
        linear = run.comparison.get("linear", {})
        said = {"better": "the RNN beat it", "tie": "too close to call against the RNN",
                "worse": "it beat the RNN"}.get(linear.get("verdict", ""), "")
        lines.append(f"The linear model missed by {deg(metrics['linear']['mae'], units)}"
                     + (f" — {said}" if said else "") + f": {LINEAR_REASON}.")
    if key == "lr_high":
        lines.append(f"“Tomorrow = today” missed by {deg(metrics['persistence']['mae'], units)}"
                     f" — the bar any forecast has to clear.")
    if key == "saturation":
        lines.append(f"This run trained in {run.seconds:.1f} s.")
    return lines


def with_calendar(run: Any, runs: Sequence[RunSummary]) -> RunSummary | None:
    """The newest other run that differs from ``run`` only in being told the date."""
    for other in reversed(runs):
        if other.number != run.number and other.settings.season != run.settings.season \
                and _without_season(other.settings) == _without_season(run.settings):
            return other
    return None


def _without_season(settings: Settings) -> dict:
    return {k: v for k, v in settings.to_dict().items() if k != "season"}


def calendar_pair(run: Any, runs: Sequence[RunSummary], units: str) -> str | None:
    """Both comparisons, with and without the calendar, when a run with it is in the history."""
    other = with_calendar(run, runs)
    if other is None or not other.versus_memoryless:
        return None
    told, untold = (other, run) if other.settings.season else (run, other)

    def said(comparison: Mapping[str, Any]) -> str:  # one repeat: no verdict (forecast/compare.py)
        return ("cannot tell from one repeat" if comparison.get("reason")
                else ANSWER[comparison["verdict"]][1].lower())

    return (f"RNN minus memoryless with the date (run {told.number}): "
            f"{interval_text(told.versus_memoryless, units)}, "
            f"{said(told.versus_memoryless)}; without it (run "
            f"{untold.number}): {interval_text(untold.versus_memoryless, units)}, "
            f"{said(untold.versus_memoryless)}. Same data, same test "
            "days, same settings otherwise.")


def today_tomorrow_sentence(correlation: float, name: str) -> str:
    """One plain sentence under the scatter, from the data's own day-to-day correlation."""
    if not math.isfinite(correlation):
        return "Too few consecutive measured days to say how today relates to tomorrow."
    r = f"correlation {correlation:.2f}"
    if correlation >= 0.8:
        return (f"Each dot is a day of {name}: today across, tomorrow up. They hug the dashed "
                f"line “tomorrow = today” ({r}): the last day already tells most of tomorrow, "
                "so the days before it — what a memory adds — have little left to say.")
    if correlation <= 0.5:
        return (f"Each dot is a day of {name}: today across, tomorrow up. They make a cloud, "
                f"not a line ({r}): today says little about tomorrow, so a forecast must reach "
                "further back — that is what a memory is for.")
    return (f"Each dot is a day of {name}: today across, tomorrow up. They follow the dashed "
            f"line “tomorrow = today” only loosely ({r}): today tells part of tomorrow, and "
            "earlier days may add some.")
