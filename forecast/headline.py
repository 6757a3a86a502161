"""The lab's question answered in one line: did memory help?

The answer compares the RNN with the memoryless dense network — the same network without a
hidden state carried from day to day — using their 95 % interval from forecast/compare.py:

- ``yes``: the RNN's average miss is smaller beyond the interval;
- ``worse``: it is larger beyond the interval ("it did worse");
- ``not_here``: the interval straddles zero and the RNN is not ahead by a gap anyone could
  notice (less than ``NOTICEABLE_SHARE`` of the memoryless network's miss);
- ``too_close``: the interval straddles zero but the RNN is ahead by a noticeable gap — it may
  help, the test days cannot tell;
- ``cannot_tell``: one repeat only (forecast/compare.py marks the tie with a ``reason``: without
  a second start the luck of the start weights cannot be told from memory), or a verdict this
  module does not know;
- ``failed``: the RNN or the memoryless network diverged or did not learn
  (forecast/diagnose.py): a comparison with a network that did not learn answers nothing, so
  the warning takes the headline's place.

Numbers carry at most two decimals; the line stays within ``MAX_WORDS`` words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecast.compare import compare
from forecast.verdict import per_degree

QUESTION = "Did memory help?"
MAX_WORDS = 30
NOTICEABLE_SHARE = 0.02  # 2 % of the average miss (0.03 °C on 1.44 °C): below any reader's eye
FAILED_KINDS = ("diverged", "did_not_learn")  # diagnose.py's kinds that void the comparison
QUESTION_NETWORKS = ("rnn", "dense")  # the two networks the question is about
KIND = {"yes": "success", "worse": "warning", "not_here": "info", "too_close": "info",
        "cannot_tell": "info", "failed": "warning"}  # how the page draws each answer
MUCH_SMALLER = 4  # hidden sizes this many times apart are "much smaller" (1 against 32)


@dataclass(frozen=True)
class Headline:
    answer: str  # yes | worse | not_here | too_close | cannot_tell | failed
    text: str  # the whole line, starting with QUESTION

    @property
    def kind(self) -> str:
        """success / info / warning: the colour the page gives this answer."""
        return KIND[self.answer]


def _deg(x: float, units: str) -> str:
    return f"{per_degree(units) * x:.2f} {units}"


def _misses(rnn: float, dense: float, units: str) -> str:
    """'the RNN missed by 1.43 °C on an average day, the network without memory by 1.44 °C'."""
    a, b = _deg(rnn, units), _deg(dense, units)
    if a == b:  # equal at two decimals: say so rather than print the same number twice
        return f"the RNN and the network without memory both missed by {a} on an average day"
    return f"the RNN missed by {a} on an average day, the network without memory by {b}"


def _failed(result) -> str | None:
    """'the RNN did not learn' / 'the network without memory diverged', or None."""
    said = []
    for w in result.warnings:
        if w.get("model") in QUESTION_NETWORKS and w.get("kind") in FAILED_KINDS:
            who = "the RNN" if w["model"] == "rnn" else "the network without memory"
            what = "diverged" if w["kind"] == "diverged" else "did not learn"
            said.append(f"{who} {what}")
    return " and ".join(dict.fromkeys(said)) or None


def headline(result, units: str = "°C") -> Headline:
    """The answer to "Did memory help?" for an ExperimentResult, in plain words."""
    failed = _failed(result)
    if failed:
        return Headline("failed", f"{QUESTION} Cannot say: {failed}, so this comparison "
                                  "means nothing yet. See the warning below for what to try.")
    c = result.comparison.get("dense", {})
    misses = _misses(result.mae("rnn"), result.mae("dense"), units)
    verdict = "cannot_tell" if c.get("reason") else c.get("verdict")
    if verdict == "better":  # beyond the interval; "clear" only when a reader would notice it
        small = -float(c["diff"]) < NOTICEABLE_SHARE * result.mae("dense")
        gap = "a small but steady gap" if small else "a clear gap"
        return Headline("yes", f"{QUESTION} Yes: {misses} — {gap}.")
    if verdict == "worse":
        return Headline("worse", f"{QUESTION} It did worse: {misses}.")
    if verdict == "tie":
        noticeable = -float(c["diff"]) >= NOTICEABLE_SHARE * result.mae("dense")
        if noticeable:
            return Headline("too_close", f"{QUESTION} Too close to call: {misses}.")
        return Headline("not_here", f"{QUESTION} Not here: {misses} — too close to call.")
    return Headline("cannot_tell", f"{QUESTION} Cannot tell from one repeat: {misses}. "
                                   "Use 2 or more repeats.")


def word_count(text: str) -> int:
    """Words as a reader counts them: whitespace-separated, a lone dash not a word."""
    return sum(1 for w in text.split() if w not in ("—", "–", "-"))


def memory_units_note(result, previous, hidden: int, previous_hidden: int,
                      units: str = "°C") -> str | None:
    """When two runs differ only in hidden size: did more memory units help?

    result, previous: ExperimentResults scored on the same test days (the caller checks that
    the settings differ only in ``hidden``). The RNNs are compared like any two models (paired
    block bootstrap, seed spread). Only said when the sizes are ``MUCH_SMALLER`` times apart
    or more; None otherwise or when the test days differ.
    """
    small, big = sorted((hidden, previous_hidden))
    if small * MUCH_SMALLER > big or not previous.predictions.index.equals(
            result.predictions.index):
        return None
    actual = result.predictions["actual"].to_numpy()

    def errors(r) -> np.ndarray:  # (seeds, days) absolute errors of that run's RNN
        preds = r.seed_predictions.get("rnn")
        preds = np.asarray(preds) if preds is not None else r.predictions["rnn"].to_numpy()[None]
        return np.abs(preds - actual[None, :])

    now, before = errors(result), errors(previous)
    pair = (now, before) if hidden > previous_hidden else (before, now)  # big − small
    c = compare(*pair, networks=True)
    if c.get("reason"):  # one repeat: the start weights' luck cannot be told from the units
        return None
    bigger = f"{big} memory units did"
    if c["verdict"] == "tie":
        return (f"{bigger} no better than {small}: more memory units did not help here "
                "(the RNN's average misses were too close to call).")
    word = "better" if c["verdict"] == "better" else "worse"
    k = per_degree(units)
    return (f"{bigger} {word} than {small}: the RNN's average miss was "
            f"{k * abs(c['diff']):.2f} {units} {'smaller' if word == 'better' else 'larger'} "
            "with more units.")


def miss_rows(result) -> list[dict]:
    """Every available model's average miss (°C) for the picture under the headline, with where
    that miss could be against the RNN's: for RNN minus model = diff in [low, high] (the 95 %
    interval of forecast/compare.py), the model's miss could be anywhere in
    [mae − (high − diff), mae + (diff − low)] — a range that reaches the RNN's own miss exactly
    when the two are a tie. The RNN itself (the reference) and a comparison without a full
    interval (one repeat) get NaN ends."""
    rows = []
    for m in result.models:
        c = result.comparison.get(m, {})
        mae = float(result.mae(m))
        low = high = float("nan")
        judged = c.get("verdict") in ("better", "worse", "tie") and not c.get("reason")
        if {"diff", "low", "high"} <= c.keys() and judged:
            low, high = mae - (c["high"] - c["diff"]), mae + (c["diff"] - c["low"])
        rows.append({"model": m, "mae": mae, "low": low, "high": high})
    return rows
