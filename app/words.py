"""The lab's words, each with one plain line: the table headers' help, the captions where a term
first appears and the "Words used here" list all read them from here, so a term means the same
thing everywhere. Plain Python (no Streamlit)."""

from __future__ import annotations

# term -> (the name a reader sees, its plain meaning in one line)
WORDS: dict[str, tuple[str, str]] = {
    "mae": ("MAE (average miss)",
            "the average miss, in degrees: how far a forecast was from the measured value on "
            "an average test day. Lower is better."),
    "rnn": ("RNN (memory)",
            "reads the window one day at a time and carries a memory (its hidden state) from "
            "each day to the next."),
    "dense": ("Network without memory — Dense (today only)",
              "the same kind of network with no memory: it sees only today's values."),
    "dense_window": ("Windowed dense network — Dense (window)",
                     "sees every day of the window at once, laid side by side, but carries no "
                     "memory from step to step."),
    "persistence": ("Persistence", "tomorrow = today: the bar any forecast must clear."),
    "climatology": ("Climatology", "the usual for the date: that day's average over the "
                                   "training years."),
    "linear": ("Linear", "a straight-line (least squares) fit to the window's values."),
    "interval": ("95 % interval",
                 "the range a difference could take by the luck of which days were tested and "
                 "which start weights a network got. When it straddles zero: too close to call."),
    "repeats": ("Repeats (seeds)",
                "each network is trained several times from different random start weights; "
                "its score is the average over the repeats."),
    "test_days": ("Test days", "the last days of the period, which no model saw in training."),
    "rmse": ("RMSE", "like the average miss, but big misses count extra (root mean square)."),
    "bias": ("Bias", "the average of the signed misses: above 0, forecasts ran too warm."),
    "skill": ("Skill vs persistence",
              "how much smaller the average miss is than persistence's, in percent: above 0 "
              "beats 'tomorrow = today'."),
    "sd": ("± sd", "how much a network's average miss varied over its repeats."),
    "window": ("Window", "how many past days each forecast reads."),
    "hidden": ("Hidden size (memory units)", "how many numbers the RNN's memory holds."),
}


def meaning(term: str) -> str:
    """The one plain line of ``term`` (a key of WORDS)."""
    return WORDS[term][1][0].upper() + WORDS[term][1][1:]


def glossary_markdown() -> str:
    """Every word, one per line, for the "Words used here" expander."""
    return "\n".join(f"- **{name}**: {text}" for name, text in WORDS.values())
