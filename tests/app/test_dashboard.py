"""Dashboard flows through Streamlit's AppTest: the real script, no browser."""

import numpy as np
import pytest

from app.results import RESULTS_TAB, TAB_EXPORT, TAB_HISTORY
from tests.helpers.app import metrics_of, new_app, no_exceptions, reveal, train


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
    result = at.session_state["last_run"].result
    actual = result.predictions["actual"].to_numpy()
    for model in ("persistence", "climatology", "linear"):  # what the table says is what happened
        assert result.mae(model) == pytest.approx(
            np.abs(result.predictions[model].to_numpy() - actual).mean())
    for model in ("rnn", "dense", "dense_window"):  # the mean over the repeats, each one scored
        assert result.mae(model) == pytest.approx(np.mean(result.seed_mae[model]))
        assert len(result.seed_mae[model]) == result.seeds == 3
    # the verdict on the page (under Details) names the test period and its days, as forecast
    # worded it
    reveal(at, "results_details")
    first, last = result.split["test"]
    shown = [m.value for kind in ("success", "info", "warning") for m in at.get(kind)]
    verdict = [v for v in shown if f"{first.date()} to {last.date()}" in v]
    assert verdict and f"{result.test_days} test days" in verdict[0], shown


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_each_activation_trains(activation):
    at = train(new_app(), activation=activation, epochs=3)
    no_exceptions(at)
    run = at.session_state["last_run"]
    assert run.settings.activation == activation
    assert run.result.rnn_model.activation == activation  # the network really used it
    assert np.isfinite(run.result.mae("rnn"))


def test_changing_a_control_marks_results_stale_without_wiping_them():
    at = train(new_app(), epochs=3)
    before = metrics_of(at)
    at.sidebar.slider(key="hidden").set_value(8).run()
    no_exceptions(at)
    assert metrics_of(at) == before
    assert any("stale" in w.value for w in at.warning)


def test_stop_ends_training_early_and_keeps_the_results():
    import dataclasses

    import data_sources as ds
    from app.pool import get_pool
    from tests.helpers.pool import poll_until

    at = train(new_app(), epochs=1)
    # A small learning rate keeps validation improving: no early stopping before Stop lands.
    settings = dataclasses.replace(at.session_state["last_run"].settings, epochs=500,
                                   hidden=128, lr=0.0001)
    # A run in progress in the server's worker pool, as the Train button leaves it.
    job = get_pool().submit("stop-test", ds.load_sample(ds.DEFAULT_SAMPLE),
                            settings.experiment_config(), budget_s=600)
    poll_until(job, lambda s: bool(s.histories.get("rnn")))  # a failed job fails, never hangs
    at.session_state["job"] = job
    at.session_state["job_settings"] = settings
    at.session_state["training"] = True
    # What the Stop button's on_click does; a real click is in tests/e2e (AppTest runs each
    # script to the end, so it cannot click while the page polls the training job).
    at.session_state["stop_requested"] = True
    at.run()
    no_exceptions(at)
    assert at.session_state["training"] is False
    run = at.session_state["last_run"]
    assert run.number == 2 and run.settings.epochs == 500
    assert run.reasons["rnn"] == "stopped by user"
    assert job.poll().progress["rnn"]["epoch"] < 500
    assert metrics_of(at)["rnn"]["mae"] > 0
    assert any("stopped by user" in c.value for c in at.caption)


def test_switching_samples_loads_that_series():
    at = new_app()
    at.sidebar.selectbox(key="sample").set_value("melbourne-1981-1990").run()
    no_exceptions(at)
    # Melbourne has only daily maxima: the target follows, and the page says so.
    assert at.sidebar.selectbox(key="target").value == "tmax"
    assert any("Melbourne" in m.value for m in at.markdown)
    train(at, epochs=2)
    no_exceptions(at)
    assert at.session_state["last_run"].settings.target == "tmax"


def test_uploaded_csv_trains(tmp_path):
    import data_sources as ds

    df = ds.load_sample("auckland-2016-2017")
    csv = df[["temp", "tmin", "tmax"]].reset_index().to_csv(index=False).encode()
    at = new_app()
    at.sidebar.radio(key="source").set_value("upload").run()
    at.sidebar.file_uploader(key="upload").set_value(("auckland.csv", csv, "text/csv")).run()
    no_exceptions(at)
    assert any("auckland" in m.value.lower() for m in at.markdown)
    train(at, epochs=2)
    no_exceptions(at)
    assert at.session_state["last_run"].settings.source == "upload"


def test_broken_upload_gets_a_message_not_a_traceback():
    at = new_app()
    at.sidebar.radio(key="source").set_value("upload").run()
    at.sidebar.file_uploader(key="upload").set_value(
        ("broken.csv", b"when,what\nyesterday,warm\n", "text/csv")).run()
    no_exceptions(at)
    assert any("broken.csv" in e.value for e in at.error)


def test_fahrenheit_changes_display_only():
    at = train(new_app(), epochs=2)
    celsius = metrics_of(at)
    at.sidebar.radio(key="units").set_value("°F").run()
    no_exceptions(at)
    assert metrics_of(at) == celsius  # models work in °C; only the display changes
    assert not any("stale" in w.value for w in at.warning)
    assert any("°F" in m.value for m in [*at.success, *at.info])


@pytest.mark.parametrize("hidden, lr", [("hidden", "lr"), ("hidden_size", "learning_rate")],
                         ids=["current names", "old link names"])
def test_shared_link_reproduces_settings(hidden, lr):
    at = new_app(**{hidden: "8", "window": "7", "activation": "relu", lr: "0.003"})
    no_exceptions(at)
    assert at.sidebar.slider(key="hidden").value == 8
    assert at.sidebar.slider(key="window").value == 7
    assert at.sidebar.selectbox(key="activation").value == "relu"
    assert at.session_state["lr"] == pytest.approx(0.0032, rel=0.05)


def test_switching_data_after_training_keeps_the_old_results_drawable():
    # Results belong to the run: Seattle's forecast must still draw after picking Melbourne
    # (which has no daily mean temperature at all).
    at = train(new_app(), epochs=2)
    at.sidebar.selectbox(key="sample").set_value("melbourne-1981-1990").run()
    no_exceptions(at)
    assert at.session_state["last_run"].settings.data == "seattle-2012-2015"
    assert any("stale" in w.value for w in at.warning)


def test_a_shared_link_reproduces_the_run():
    import datetime as dt

    at = new_app(sample="chicago-2016-2017")
    at.sidebar.multiselect(key="extras").set_value(["rhum"])
    at.sidebar.date_input(key="period_2016-01-01_2017-12-31").set_value(
        (dt.date(2016, 3, 1), dt.date(2017, 12, 31)))
    train(at, epochs=3, hidden=8, window=7, activation="sigmoid")
    no_exceptions(at)
    link = {k: at.query_params[k] for k in at.query_params}
    assert link["extras"] == "rhum" and link["start"] == "2016-03-01"
    # A new visitor opens the link and presses Train: same settings, same numbers.
    other = new_app(**{k: v[0] if isinstance(v, list) else v for k, v in link.items()})
    no_exceptions(other)
    other.button(key="train").click().run()
    no_exceptions(other)
    first, second = at.session_state["last_run"], other.session_state["last_run"]
    assert second.settings == first.settings
    assert second.metrics == first.metrics


def test_weights_trained_on_other_inputs_are_refused_by_name():
    import io

    import rnn

    at = train(new_app(), epochs=2, hidden=8)
    model = at.session_state["last_run"].result.rnn_model
    buffer = io.BytesIO()
    rnn.save_npz(buffer, model, {"inputs": ["temp", "doy_sin", "rhum"]})  # same shapes
    reveal(at, RESULTS_TAB, TAB_EXPORT)
    at.file_uploader(key="weights_upload").set_value(
        ("other-inputs.npz", buffer.getvalue(), "application/octet-stream")).run()
    no_exceptions(at)
    assert any("trained on the inputs temp, doy_sin, rhum" in e.value for e in at.error)


def test_results_say_which_data_they_belong_to_and_go_stale_without_data():
    at = train(new_app(), epochs=2)
    assert any("Seattle 2012–2015" in c.value for c in at.caption)
    at.sidebar.radio(key="source").set_value("upload").run()  # no file yet: no data at all
    no_exceptions(at)
    assert any("stale" in w.value for w in at.warning)
    assert any("Seattle 2012–2015" in c.value for c in at.caption)


def test_two_runs_are_compared_by_what_differs():
    at = train(new_app(), epochs=2)
    reveal(train(at, hidden=8), RESULTS_TAB, TAB_HISTORY)
    no_exceptions(at)
    differ = [d.value for d in at.dataframe if "run 1" in d.value.columns]
    assert differ, "no comparison table"
    table = differ[0]
    assert list(table.index) == ["hidden"]
    assert table.loc["hidden"].tolist() == ["32", "8"]
    change = [d.value for d in at.dataframe if "Change (°C)" in d.value.columns][0]
    runs = at.session_state["runs"]
    rnn_change = runs[1].metrics["rnn"]["mae"] - runs[0].metrics["rnn"]["mae"]
    assert change.loc["RNN (memory)", "Change (°C)"] == pytest.approx(rnn_change, abs=1e-3)


def test_link_periods_outside_the_pickers_are_clamped_not_fatal():
    at = new_app(source="city", city="Berlin", start="1850-01-01", end="1900-06-01")
    no_exceptions(at)
    start, end = at.session_state["city_period"]
    assert (str(start), str(end)) == ("1900-01-01", "1900-06-01")  # the picker's lower bound
    at = new_app(start="1990-01-01", end="1990-06-01")  # Seattle has 2012–2015 only
    no_exceptions(at)
    assert any("outside this data" in w.value for w in at.warning)
    start, end = at.session_state["period_2012-01-01_2015-12-31"]
    assert (str(start), str(end)) == ("2012-01-01", "2015-12-31")  # all of it, not one day


def test_choices_survive_a_trip_to_another_source():
    at = new_app()
    at.sidebar.selectbox(key="sample").set_value("melbourne-1981-1990").run()
    at.sidebar.radio(key="source").set_value("upload").run()
    at.sidebar.radio(key="source").set_value("sample").run()
    no_exceptions(at)
    assert at.sidebar.selectbox(key="sample").value == "melbourne-1981-1990"


def test_the_comparison_opens_on_the_two_newest_runs():
    at = train(new_app(), epochs=1)
    for hidden in (8, 4):
        train(at, hidden=hidden)
    reveal(at, RESULTS_TAB, TAB_HISTORY)
    no_exceptions(at)
    assert (at.selectbox(key="compare_a").value, at.selectbox(key="compare_b").value) == (2, 3)


def test_weights_with_a_malformed_input_list_are_refused():
    import io

    import rnn

    at = train(new_app(), epochs=1, hidden=8)
    buffer = io.BytesIO()
    rnn.save_npz(buffer, at.session_state["last_run"].result.rnn_model, {"inputs": 5})
    reveal(at, RESULTS_TAB, TAB_EXPORT)
    at.file_uploader(key="weights_upload").set_value(
        ("odd.npz", buffer.getvalue(), "application/octet-stream")).run()
    no_exceptions(at)
    assert any("not a list of names" in e.value for e in at.error)


def test_repeated_link_inputs_count_once():
    at = new_app(inputs="prcp,prcp")
    no_exceptions(at)
    assert at.session_state["extras"] == ["prcp"]


def test_live_curves_are_redrawn_less_often_when_runs_share_the_workers():
    from app.training import CURVES_EVERY_S, curves_every_s

    assert curves_every_s({"workers": 2, "training": 1}) == CURVES_EVERY_S  # a free worker each
    assert curves_every_s({"workers": 2, "training": 2}) == CURVES_EVERY_S
    # 8 runs on 2 workers: each gets a quarter of a worker, its curves grow 4 times slower
    assert curves_every_s({"workers": 2, "training": 8}) == 4 * CURVES_EVERY_S
    assert curves_every_s({}) == CURVES_EVERY_S  # no pool to ask: the plain interval
