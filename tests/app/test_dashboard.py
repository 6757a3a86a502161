"""Dashboard flows through Streamlit's AppTest: the real script, no browser."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
TIMEOUT = 120  # training runs inside the script; the machine is small and shared


def new_app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def metrics_of(at: AppTest) -> dict:
    run = at.session_state["last_run"]
    metrics = run["metrics"] if isinstance(run, dict) else run.metrics
    return metrics


def train(at: AppTest, **settings) -> AppTest:
    for key, value in settings.items():
        widget = at.sidebar.get("slider") + at.sidebar.get("select_slider") + \
            at.sidebar.get("selectbox") + at.sidebar.get("number_input") + at.sidebar.get("radio")
        match = [w for w in widget if w.key == key]
        assert match, f"no widget with key {key!r}"
        match[0].set_value(value)
    at.run()
    at.button(key="train").click().run()
    return at


def test_first_visit_shows_the_default_sample_history():
    at = new_app()
    no_exceptions(at)
    assert at.title[0].value == "RNN Weather Lab"
    assert at.session_state["sample"] == "seattle-2012-2015"
    assert len(at.get("vega_lite_chart")) >= 1  # the history chart, with no click
    assert "last_run" in at.session_state and at.session_state["last_run"] is None


def test_train_gives_metrics_for_every_model_and_a_verdict():
    at = train(new_app(), epochs=5)
    no_exceptions(at)
    metrics = metrics_of(at)
    for model in ("rnn", "dense", "dense_window", "persistence", "climatology", "linear"):
        assert metrics[model]["mae"] > 0
    verdicts = [m.value for m in at.success] + [m.value for m in at.info]
    assert any("MAE" in v or "°" in v for v in verdicts), verdicts


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_each_activation_trains(activation):
    at = train(new_app(), activation=activation, epochs=3)
    no_exceptions(at)
    assert at.session_state["last_run"]["settings"]["activation"] == activation
    assert metrics_of(at)["rnn"]["mae"] < 10


def test_changing_a_control_marks_results_stale_without_wiping_them():
    at = train(new_app(), epochs=3)
    before = metrics_of(at)
    at.sidebar.slider(key="hidden_size").set_value(8).run()
    no_exceptions(at)
    assert metrics_of(at) == before
    assert any("stale" in w.value for w in at.warning)
