"""The headline: the lab's question answered in words, within 30 words and two decimals; the
picture's ranges meet the RNN's miss exactly on a tie; hidden sizes compared run to run."""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from forecast.compare import compare
from forecast.headline import (
    MAX_WORDS,
    QUESTION,
    headline,
    memory_units_note,
    miss_rows,
    word_count,
)

MAES = {"rnn": 1.4321, "dense": 1.4412, "dense_window": 1.47, "persistence": 1.71,
        "climatology": 2.9, "linear": 1.45}


def interval(diff: float, half: float) -> dict:
    low, high = diff - half, diff + half
    return {"diff": diff, "low": low, "high": high,
            "verdict": "better" if high < 0 else "worse" if low > 0 else "tie"}


def fake(dense: dict, warnings=(), maes=MAES, half: float = 0.1) -> SimpleNamespace:
    """Shaped like an ExperimentResult as far as the headline reads it: RNN minus each other
    model's MAE with an interval of ± half, the memoryless network's given."""
    comparison = {m: interval(maes["rnn"] - maes[m], half) for m in maes if m != "rnn"}
    comparison["dense"] = dense
    return SimpleNamespace(comparison=comparison, warnings=list(warnings),
                           mae=lambda m: maes[m], models=list(maes))


def check_line(text: str) -> None:
    assert text.startswith(QUESTION)
    assert word_count(text) <= MAX_WORDS, (word_count(text), text)
    assert not re.search(r"\d\.\d{3,}", text), text  # at most two decimals


@pytest.mark.parametrize(("dense", "answer", "words"), [
    ({"diff": -0.2, "low": -0.3, "high": -0.1, "verdict": "better"}, "yes", "Yes:"),
    ({"diff": 0.2, "low": 0.1, "high": 0.3, "verdict": "worse"}, "worse", "It did worse:"),
    ({"diff": -0.0091, "low": -0.04, "high": 0.02, "verdict": "tie"}, "not_here", "Not here:"),
    ({"diff": -0.06, "low": -0.12, "high": 0.01, "verdict": "tie"}, "too_close",
     "Too close to call:"),
    ({"diff": -0.01, "low": -0.03, "high": 0.01, "verdict": "tie",
      "reason": "one repeat: cannot tell — use 2 or more"}, "cannot_tell",
     "Cannot tell from one repeat"),
    ({"diff": -0.01, "low": -0.03, "high": 0.01, "verdict": "a new word"}, "cannot_tell",
     "Cannot tell from one repeat"),
])
def test_each_answer_in_plain_words(dense, answer, words):
    line = headline(fake(dense))
    assert line.answer == answer
    assert line.text.startswith(f"{QUESTION} {words}")
    check_line(line.text)
    assert "1.43 °C" in line.text and "1.44 °C" in line.text
    assert line.kind == {"yes": "success", "worse": "warning"}.get(answer, "info")


def test_the_issues_example_reads_as_written():
    line = headline(fake({"diff": -0.0091, "low": -0.04, "high": 0.02, "verdict": "tie"}))
    assert line.text == ("Did memory help? Not here: the RNN missed by 1.43 °C on an average "
                         "day, the network without memory by 1.44 °C — too close to call.")


def test_fahrenheit_and_equal_at_two_decimals():
    maes = dict(MAES, dense=1.4349)
    line = headline(fake({"diff": -0.003, "low": -0.03, "high": 0.02, "verdict": "tie"},
                         maes=maes), units="°F")
    assert "both missed by 2.58 °F" in line.text  # 1.4321 × 1.8 and 1.4349 × 1.8 round alike
    check_line(line.text)


@pytest.mark.parametrize("kind", ["did_not_learn", "diverged"])
@pytest.mark.parametrize("model", ["rnn", "dense"])
def test_a_network_that_failed_turns_the_headline_into_a_warning(kind, model):
    better = {"diff": -0.2, "low": -0.3, "high": -0.1, "verdict": "better"}
    line = headline(fake(better, warnings=[{"model": model, "kind": kind, "message": "..."}]))
    assert line.answer == "failed" and line.kind == "warning"
    assert "Cannot say" in line.text and "Yes" not in line.text
    check_line(line.text)


def test_a_failed_windowed_network_or_a_copy_of_today_does_not_void_the_answer():
    better = {"diff": -0.2, "low": -0.3, "high": -0.1, "verdict": "better"}
    warnings = [{"model": "dense_window", "kind": "did_not_learn", "message": "..."},
                {"model": "rnn", "kind": "copies_today", "message": "..."}]
    assert headline(fake(better, warnings=warnings)).answer == "yes"


def test_miss_rows_reach_the_rnns_miss_exactly_when_a_tie():
    result = fake({"diff": -0.0091, "low": -0.04, "high": 0.02, "verdict": "tie"}, half=0.02)
    rows = {r["model"]: r for r in miss_rows(result)}
    assert set(rows) == set(MAES)
    assert np.isnan(rows["rnn"]["low"])  # the reference has no range
    rnn = MAES["rnn"]
    for m, row in rows.items():
        if m == "rnn":
            continue
        assert row["low"] <= row["mae"] <= row["high"]
        tie = result.comparison[m]["verdict"] == "tie"
        assert (row["low"] <= rnn <= row["high"]) == tie, m  # a tie reaches the RNN's miss
    assert result.comparison["dense_window"]["verdict"] == "better"  # both kinds are checked
    result.comparison["dense"]["reason"] = "one repeat: cannot tell — use 2 or more"
    assert np.isnan({r["model"]: r for r in miss_rows(result)}["dense"]["low"])


def runs(errors_small: np.ndarray, errors_big: np.ndarray):
    days = pd.date_range("2015-01-01", periods=errors_small.shape[1], freq="D")
    actual = np.zeros(errors_small.shape[1])
    make = lambda e: SimpleNamespace(  # noqa: E731 — forecasts = actual + error
        predictions=pd.DataFrame({"actual": actual, "rnn": e[0]}, index=days),
        seed_predictions={"rnn": e})
    return make(errors_small), make(errors_big)


def test_more_memory_units_that_tie_are_said_not_to_help():
    rng = np.random.default_rng(0)
    shared = np.abs(rng.normal(1.4, 1.0, (3, 200)))
    small, big = runs(shared, shared + rng.normal(0, 0.01, (3, 200)))
    note = memory_units_note(big, small, hidden=32, previous_hidden=1)
    assert note == ("32 memory units did no better than 1: more memory units did not help "
                    "here (the RNN's average misses were too close to call).")
    assert memory_units_note(small, big, hidden=1, previous_hidden=32) == note  # either order
    assert memory_units_note(big, small, hidden=32, previous_hidden=16) is None  # not "much"
    one_small, one_big = runs(shared[:1], shared[:1] + 0.001)
    assert memory_units_note(one_big, one_small, hidden=32, previous_hidden=1) is None


def test_more_memory_units_that_help_are_said_to_help():
    rng = np.random.default_rng(1)
    small_errors = np.abs(rng.normal(2.0, 1.0, (3, 300)))
    small, big = runs(small_errors, small_errors * 0.8)
    assert compare(small_errors * 0.8, small_errors)["verdict"] == "better"
    note = memory_units_note(big, small, hidden=64, previous_hidden=4)
    assert note.startswith("64 memory units did better than 4: the RNN's average miss was ")
    assert note.endswith("°C smaller with more units.")


def did_not_learn(stop_reason: str) -> dict:
    """diagnose.py's input for a network whose validation loss never fell (hidden 256)."""
    return {"val_mae": [1.9], "persistence_val_mae": 1.7, "copy_gap": [0.5],
            "diverged": [False], "improved": [False], "saturated": 0.0,
            "stop_reason": [stop_reason]}


def test_more_epochs_are_offered_only_when_early_stopping_did_not_end_training():
    from forecast import ExperimentConfig
    from forecast.diagnose import training_warnings

    early = did_not_learn("early stopping at epoch 11 (best epoch 1)")
    wide = training_warnings(ExperimentConfig(hidden=256), {"rnn": early})[0]["message"]
    assert "more epochs may help" not in wide
    assert "more epochs would not, as early stopping ended training" in wide
    assert "a smaller hidden size" in wide  # 256 units are wide for these series
    assert "smaller hidden size" not in training_warnings(
        ExperimentConfig(), {"rnn": early})[0]["message"]
    cut = training_warnings(ExperimentConfig(), {"rnn": did_not_learn("finished")})[0]
    assert "more epochs may help" in cut["message"]  # all epochs ran: more may help
    slow = {**early, "val_mae": [1.9]}
    low = training_warnings(ExperimentConfig(lr=1e-4), {"rnn": slow})[0]["message"]
    assert "Try 0.01 (the default)." in low and "more epochs" not in low


def test_warnings_shown_with_the_answer_carry_at_most_two_decimals():
    from forecast import ExperimentConfig
    from forecast.diagnose import training_warnings

    worse = {**did_not_learn("finished"), "val_mae": [1.98765], "persistence_val_mae": 1.71234}
    copies = {**did_not_learn("finished"), "val_mae": [1.2], "improved": [True],
              "copy_gap": [0.01234]}
    for info in (worse, copies):
        message = training_warnings(ExperimentConfig(), {"rnn": info})[0]["message"]
        assert not re.search(r"\d\.\d{3,}", message), message


def test_warnings_say_their_temperatures_in_the_readers_unit():
    from forecast import ExperimentConfig
    from forecast.diagnose import training_warnings, warning_message

    worse = {**did_not_learn("finished"), "val_mae": [2.0], "persistence_val_mae": 1.5}
    copies = {**did_not_learn("finished"), "val_mae": [1.2], "improved": [True],
              "copy_gap": [0.02]}
    learnt, copied = (training_warnings(ExperimentConfig(), {"rnn": info})[0]
                      for info in (worse, copies))
    assert "(2.00 °C) ended no better than persistence (1.50 °C)" in learnt["message"]
    fahrenheit = warning_message(learnt, "°F")
    assert "(3.60 °F) ended no better than persistence (2.70 °F)" in fahrenheit  # differences
    assert "°C" not in fahrenheit
    assert "differ by 0.04 °F on average" in warning_message(copied, "°F")
    assert warning_message({"message": "kept from before"}, "°F") == "kept from before"
