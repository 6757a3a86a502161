"""The guided experiments in the app (AppTest): each one sets the controls, states its question,
trains and draws its result; the memory experiments keep the memory curve on the run."""

import math

import pytest

import data_sources as ds
from app.experiments import EXPERIMENTS, OPTIONS
from forecast.memory_curve import WINDOWS
from tests.helpers.app import all_markup, new_app, no_exceptions, texts


def run_experiment(key: str):
    at = new_app()
    picker = at.selectbox(key="experiment")
    assert list(picker.options) == [EXPERIMENTS[k].label for k in OPTIONS]
    picker.set_value(key).run()
    at.button(key="run_experiment").click().run(timeout=600)  # the run, then its curve, in the pool
    no_exceptions(at)
    return at


def chart_titles(at) -> str:
    return "\n".join(str(c.proto.spec) for c in at.get("vega_lite_chart"))


@pytest.mark.parametrize("key", OPTIONS)
def test_experiment_sets_the_controls_trains_and_states_its_question(key):
    experiment = EXPERIMENTS[key]
    at = run_experiment(key)
    ss = at.session_state
    for name, value in experiment.settings.items():  # the sidebar widgets show the settings
        assert ss[name] == value, name
    run = ss["last_run"]
    assert run is not None and len(ss["runs"]) == 1, texts(at)
    assert (run.settings.hidden, run.settings.activation, run.settings.lr,
            run.settings.window) == tuple(experiment.settings[k]
                                          for k in ("hidden", "activation", "lr", "window"))
    markup = all_markup(at)
    assert experiment.question in markup and experiment.look_for in markup
    assert any(t.startswith("Did memory help?") for t in texts(at))  # the answer is drawn
    assert ss["sample"] == experiment.sample and run.settings.data == experiment.sample
    assert experiment.data in markup and experiment.lesson in markup
    if experiment.sample == ds.samples.SYNTHETIC_SAMPLE:
        assert "synthetic, not weather" in markup
    if not experiment.memory_curve:
        assert run.memory_curve is None
        assert "Error by window" not in chart_titles(at)


@pytest.mark.parametrize("key", [k for k in OPTIONS if EXPERIMENTS[k].memory_curve])
def test_memory_experiments_keep_and_draw_the_memory_curve(key):
    at = run_experiment(key)
    curve = at.session_state["last_run"].memory_curve
    assert [p["window"] for p in curve] == list(WINDOWS)
    for point in curve:
        assert set(point) == {"window", "rnn", "dense", "diff", "low", "high", "verdict"}
        assert point["low"] <= point["diff"] <= point["high"]
        assert math.isfinite(point["rnn"]) and math.isfinite(point["dense"])
    assert "Error by window" in chart_titles(at)  # drawn as one chart
    answer = [m.value for m in at.markdown if "-day window the RNN missed" in m.value]
    assert answer, "the question is answered in words"
    assert "Today against tomorrow" in chart_titles(at)  # why, as a picture, beside the curve
    if key == "synthetic":  # memory is everything in the echo series
        best = min(curve, key=lambda p: p["rnn"])
        assert best["rnn"] < 0.7 * best["dense"]
        assert "decisively" in answer[0]
    # a rerun keeps the curve and does not train it again
    at.run()
    assert at.session_state["last_run"].memory_curve == curve
