"""This run against the last one, every run's misses, and a history table that fits 1280 px."""

from __future__ import annotations

from app.history import change_lines, different_days_note, history_table, miss_rows
from app.run import RunSummary
from app.settings import Settings
from tests.helpers.app import new_app, no_exceptions, train

SETTINGS = Settings(source="sample", data="seattle-2012-2015", start="2012-01-01",
                    end="2015-12-31", target="temp", extras=(), hidden=32, activation="tanh",
                    lr=0.01, window=14, epochs=60, seed=0)


def summary(number: int, rnn: float, dense: float, verdict: str = "tie",
            test=("2015-05-29", "2015-12-31"), **changes) -> RunSummary:
    metrics = {"rnn": {"mae": rnn}, "dense": {"mae": dense}, "dense_window": {"mae": 1.5},
               "persistence": {"mae": 1.6}, "climatology": {"mae": 3.0}, "linear": {"mae": 1.4}}
    return RunSummary(number=number, time="10:00:00", settings=Settings(
        **{**SETTINGS.to_dict(), "extras": (), **changes}), metrics=metrics, winner=None,
        best_baseline="linear", reasons={}, seconds=5.0, budget_hit=False, test_period=test,
        versus_memoryless={"diff": rnn - dense, "low": -0.1, "high": 0.1, "verdict": verdict})


def test_the_change_says_what_moved_and_how_each_network_did():
    before = summary(1, 1.425, 1.436)
    after = summary(2, 1.445, 1.500, verdict="better", season=False)
    lines = change_lines(before, after, "°C")
    assert lines[0] == "Changed: inputs temp, season → temp."
    assert "RNN (memory) 1.43 → 1.45 °C (+0.02)" in lines[1]
    assert "Dense (today only) 1.44 → 1.50 °C (+0.06)" in lines[1]
    assert "±0.00" in lines[1]  # the windowed network did not move
    assert lines[2] == "Did memory help? Run 1: too close to call; run 2: yes."
    assert "rerun" in change_lines(before, summary(2, 1.4, 1.4), "°C")[0]
    assert "°F" in change_lines(before, after, "°F")[1]


def test_runs_on_different_test_days_are_said_to_be():
    a, b = summary(1, 1.4, 1.4), summary(2, 1.4, 1.4, window=7, test=("2015-05-28", "2015-12-31"))
    assert different_days_note(a, summary(3, 1.5, 1.5, epochs=5)) is None
    note = different_days_note(a, b)
    assert note and "different test days" in note and "2015-05-28" in note


def test_the_history_table_leads_with_the_misses_and_shows_only_what_differs():
    runs = [summary(1, 1.425, 1.436), summary(2, 1.445, 1.5, verdict="better", season=False)]
    table, shared = history_table(runs, "°C")
    assert list(table.columns) == ["Run", "RNN (memory) MAE (°C)", "Dense (today only) MAE (°C)",
                                   "Memory helped?", "Verdict", "Inputs", "Time"]
    assert list(table["Memory helped?"]) == ["too close to call", "yes"]
    assert "window 14" in shared and "data Seattle 2012–2015" in shared
    rows = miss_rows(runs)
    assert rows[1] == {"run": 2, "rnn": 1.445, "dense": 1.5, "test": "2015-05-29 – 2015-12-31"}


def test_a_second_run_is_compared_with_the_first_above_the_tabs():
    at = train(new_app(), epochs=2, hidden=8)
    no_exceptions(at)
    assert not any(m.value.startswith("**This run against the last one") for m in at.markdown)
    train(at, epochs=3, window=7)
    no_exceptions(at)
    shown = [m.value for m in at.markdown]
    assert any(v.startswith("**This run against the last one** (run 1 → run 2)") for v in shown)
    assert any("Changed:" in v and "window 14 → 7" in v and "epochs 2 → 3" in v for v in shown)
    runs = at.session_state["runs"]
    if runs[0].test_period != runs[1].test_period:
        assert any("different test days" in w.value for w in at.warning)
    assert any("Every run's average miss" in str(c.proto.spec) for c in at.get("vega_lite_chart"))


def test_a_kept_run_brings_back_its_test_days_and_memory_answer():
    from app.keep import run_record, summary_from_record

    kept = summary(1, 1.425, 1.436)
    record = run_record(kept, None, "browser")
    back = summary_from_record(record, 1)
    assert back.test_period == kept.test_period and back.versus_memoryless["verdict"] == "tie"
    del record["summary"]["test_period"], record["summary"]["versus_memoryless"]
    old = summary_from_record(record, 1)  # kept before these were recorded: not known, no note
    assert old.test_period is None and old.versus_memoryless == {}
    assert different_days_note(old, summary(2, 1.4, 1.4, test=("2015-05-28", "2015-12-31"))) \
        is None
    assert history_table([old, kept], "°C")[0]["Memory helped?"].tolist() == ["?", "too close "
                                                                             "to call"]


def test_a_one_repeat_tie_is_cannot_tell_not_too_close_to_call():
    """forecast/compare.py's tie for lack of repeats is its own answer, kept and read back."""
    from app.keep import ONE_REPEAT, run_record, summary_from_record
    from forecast.compare import ONE_REPEAT as REASON

    one = summary(2, 1.4, 1.5, seeds=1)
    one.versus_memoryless["reason"] = REASON
    table = history_table([summary(1, 1.4, 1.4), one], "°C")[0]
    assert table["Memory helped?"].tolist() == ["too close to call", "cannot tell (1 repeat)"]
    assert "cannot tell (1 repeat)" in change_lines(summary(1, 1.4, 1.4), one, "°C")[2]
    record = run_record(one, None, "browser")
    assert record["rnn_vs_dense"] == ONE_REPEAT and len(ONE_REPEAT) <= 8  # the column's size
    back = summary_from_record(record, 2)
    assert history_table([back], "°C")[0]["Memory helped?"].tolist() == \
        ["cannot tell (1 repeat)"]
