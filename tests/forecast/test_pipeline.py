
import numpy as np
import pandas as pd
import pytest

from forecast import MODELS, ExperimentConfig, ExperimentRunner, ForecastError, run_experiment
from forecast.probe import dense_input_gradient, rnn_input_gradient
from tests.helpers.weather import make_weather

FAST = dict(epochs=3, hidden=8, window=7)


@pytest.fixture(scope="module")
def runner():
    r = ExperimentRunner(ExperimentConfig(**FAST)).fit(make_weather(500))  # a year of training
    while not r.done:
        r.step(max_seconds=0.05)
    return r


@pytest.fixture(scope="module")
def result(runner):
    return runner.result()


def test_each_target_is_the_day_after_its_window(runner):
    dates = runner.features.dates
    assert (runner.target_dates == dates[runner.ends] + pd.Timedelta(days=1)).all()
    # the window's last scaled input is the target variable on the day before the target
    raw_last = runner.scaler.inverse(runner.X[:, -1, :])[:, 0]
    np.testing.assert_allclose(raw_last, runner.features.values[runner.ends, 0])


def test_scaler_statistics_come_from_the_training_days_alone(runner):
    df = make_weather(400)
    last_train_target = runner.target_dates[runner.split.train[-1]]
    train_days = df.loc[:last_train_target, "temp"]
    assert train_days.index[-1] < runner.target_dates[runner.split.val[0]]
    assert runner.scaler.mean_[0] == pytest.approx(train_days.mean())
    assert runner.scaler.std_[0] == pytest.approx(train_days.std(ddof=0))
    # the whole series has different statistics, so this would catch a leak
    assert runner.scaler.mean_[0] != pytest.approx(df["temp"].mean(), abs=1e-3)


def test_test_days_never_appear_in_training(runner):
    W, tr, te = runner.config.window, runner.split.train, runner.split.test
    first_test = runner.target_dates[te[0]]
    first_input = runner.ends[tr][:, None] + np.arange(-W + 1, 1)
    train_input_days = runner.features.dates[first_input.ravel()]
    assert train_input_days.max() < first_test
    assert runner.target_dates[tr].max() < runner.target_dates[runner.split.val].min()
    assert runner.target_dates[runner.split.val].max() < first_test
    assert not set(runner.target_dates[tr]) & set(runner.target_dates[te])


def check_baselines_aligned(predictions: pd.DataFrame, df: pd.DataFrame) -> None:
    """Persistence on day d must be the measurement of day d-1; actual that of day d."""
    yesterday = df["temp"].reindex(predictions.index - pd.Timedelta(days=1)).to_numpy()
    np.testing.assert_allclose(predictions["persistence"].to_numpy(), yesterday)
    np.testing.assert_allclose(predictions["actual"].to_numpy(),
                               df["temp"].reindex(predictions.index).to_numpy())


def test_baselines_are_aligned_and_a_one_day_shift_would_fail(result):
    df = make_weather(500)
    check_baselines_aligned(result.predictions, df)
    shifted = result.predictions.copy()
    shifted["persistence"] = df["temp"].reindex(shifted.index).to_numpy()  # "tomorrow = tomorrow"
    with pytest.raises(AssertionError):
        check_baselines_aligned(shifted, df)
    shifted = result.predictions.copy()
    shifted["persistence"] = shifted["persistence"].shift(1).bfill()
    with pytest.raises(AssertionError):
        check_baselines_aligned(shifted, df)


def test_every_model_is_scored_on_the_same_test_days(result, runner):
    p = result.predictions
    assert list(p.columns) == ["actual", *MODELS]
    assert p.notna().all().all()
    assert (p.index == runner.target_dates[runner.split.test]).all()
    for m in ("persistence", "climatology", "linear"):
        assert result.metrics[m]["mae"] == pytest.approx((p[m] - p["actual"]).abs().mean())
    for m in ("rnn", "dense", "dense_window"):  # networks: the mean over seeds, seed 0 charted
        seeds = result.seed_predictions[m]
        np.testing.assert_array_equal(seeds[0], p[m])
        maes = np.abs(seeds - p["actual"].to_numpy()).mean(axis=1)
        assert result.metrics[m]["mae"] == pytest.approx(maes.mean())
    assert result.metrics["persistence"]["skill"] == 0.0
    assert set(result.monthly_mae.columns) == set(MODELS)
    assert list(result.monthly_mae.index) == list(range(1, 13))


def test_same_seed_same_metrics_other_seed_differs():
    df = make_weather(300)
    a = run_experiment(df, ExperimentConfig(**FAST, seed=1)).metrics
    b = run_experiment(df, ExperimentConfig(**FAST, seed=1)).metrics
    c = run_experiment(df, ExperimentConfig(**FAST, seed=2)).metrics
    assert a == b
    assert a["rnn"] != c["rnn"]


def test_result_shapes_for_the_dashboard(result, runner):
    W, H = runner.config.window, runner.config.hidden
    n_test = len(runner.split.test)
    assert result.config.n_inputs == 3 and result.config.target == "temp"
    assert list(result.horizon_mae.index) == list(range(1, 8))
    assert set(result.horizon_mae.columns) == set(MODELS)
    # persistence gets worse with lead time on an AR(1) series
    assert result.horizon_mae["persistence"].iloc[-1] > result.horizon_mae["persistence"].iloc[0]
    assert result.hidden_states.shape == (n_test, H)
    assert list(result.hidden_states.columns) == [f"h{i}" for i in range(1, H + 1)]
    assert list(result.memory_probe.index) == list(range(1, W + 1))
    assert list(result.memory_probe.columns) == ["rnn", "dense_window"]
    last_day = runner.features.dates[-1]
    assert result.future.index[0] == last_day + pd.Timedelta(days=1) and len(result.future) == 7
    assert np.isfinite(result.future["rnn"]).all()
    for name in ("rnn", "dense", "dense_window"):
        info = result.train_info[name]
        assert info["epochs_run"] == 3 and info["n_train_windows"] == len(runner.split.train)
        assert len(result.histories[name]) == 3
    assert "test days" in result.verdict() and "°C" in result.verdict()


def test_walkthrough_reproduces_the_rnn_forecast_by_hand(result):
    w, p = result.walkthrough, result.rnn_model.params
    X = np.asarray(w["X"], dtype=float)  # (time, n_in)
    raw = w["raw"].to_numpy()
    np.testing.assert_allclose((raw - w["scaler"]["mean"]) / w["scaler"]["std"], X)
    h = np.zeros(p["W_h"].shape[0])
    for x in X:  # the seed's steps: x·W_i + h_prev·W_h + b_h, activation
        h = np.tanh(x @ p["W_i"] + h @ p["W_h"] + p["b_h"])
    y = float((h @ p["W_o"] + p["b_o"])[0])
    assert y == pytest.approx(w["rnn_output"], abs=1e-4)
    t = w["target"]
    assert w["today"] + y * t["std"] + t["mean"] == pytest.approx(w["rnn_forecast"], abs=1e-3)
    assert w["rnn_forecast"] == pytest.approx(result.future["rnn"].iloc[0], abs=1e-3)


def test_input_gradients_match_finite_differences():
    from rnn import Dense, ElmanRNN

    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 5, 2))
    for act in ("tanh", "sigmoid", "relu"):
        m = ElmanRNN(2, 6, 1, act, seed=1, dtype=np.float64)
        g = rnn_input_gradient(m, X)
        num = np.zeros_like(X)
        for idx in np.ndindex(X.shape):
            Xp, Xm = X.copy(), X.copy()
            Xp[idx] += 1e-6
            Xm[idx] -= 1e-6
            num[idx] = (m.predict(Xp)[idx[0], 0] - m.predict(Xm)[idx[0], 0]) / 2e-6
        np.testing.assert_allclose(g, num, atol=1e-7)
    d = Dense(4, 6, 1, "tanh", seed=1, dtype=np.float64)
    Xd = rng.normal(size=(3, 4))
    num = np.stack([(d.predict(Xd + e)[:, 0] - d.predict(Xd - e)[:, 0]) / 2e-6
                    for e in np.eye(4) * 1e-6], axis=1)
    np.testing.assert_allclose(dense_input_gradient(d, Xd), num, atol=1e-7)


def test_runner_steps_reports_progress_and_stops():
    r = ExperimentRunner(ExperimentConfig(**{**FAST, "epochs": 50})).fit(make_weather(300))
    assert not r.done and r.progress["fraction"] == 0.0
    # a mini-batch per network a step, to the first epoch's end: a timed step could train past
    # the whole first seed on a fast machine
    while not r.histories["rnn"]:
        r.step(max_seconds=0.0)
    prog = r.progress
    assert set(prog) == {"rnn", "dense", "dense_window", "fraction", "seed", "seeds"}
    assert prog["rnn"]["epoch"] >= 1 and prog["rnn"]["epochs"] == 50
    assert len(r.histories["rnn"]) == prog["rnn"]["epoch"]
    with pytest.raises(RuntimeError):
        r.result()
    r.stop("stopped by user")
    assert r.done and r.progress["fraction"] == 1.0
    assert r.progress["rnn"]["stop_reason"] == "stopped by user"
    assert r.result().train_info["rnn"]["stop_reason"] == "stopped by user"


def test_a_step_may_end_inside_an_epoch_and_progress_moves_with_it():
    # a step of 0 s gives each network one mini-batch: no epoch ends (about 4 batches each),
    # yet the fraction moves; a Stop then keeps every network's initial weights and scores them
    r = ExperimentRunner(ExperimentConfig(**{**FAST, "epochs": 50})).fit(make_weather(400))
    r.step(max_seconds=0.0)
    prog = r.progress
    assert all(prog[n]["epoch"] == 0 for n in ("rnn", "dense", "dense_window"))
    assert r.histories == {"rnn": [], "dense": [], "dense_window": []}
    assert 0.0 < prog["fraction"] < 0.01
    before = prog["fraction"]
    r.step(max_seconds=0.0)
    assert r.progress["fraction"] > before
    r.stop("stopped by user")
    result = r.result()
    assert result.train_info["rnn"]["epochs_run"] == 0
    assert np.isfinite(result.metrics["rnn"]["mae"])


def test_short_gaps_filled_long_gaps_break_windows():
    df = make_weather(400)
    df.iloc[100:102, df.columns.get_loc("temp")] = np.nan  # 2 days: filled
    df.iloc[200:210, df.columns.get_loc("temp")] = np.nan  # 10 days: never inside a window
    r = ExperimentRunner(ExperimentConfig(**FAST)).fit(df)
    assert r.features.filled.sum() == 2
    gap = set(df.index[200:210])
    W = r.config.window
    for t in r.ends:
        days = r.features.dates[t - W + 1: t + 2]
        assert not gap & set(days)
    r.stop()
    assert r.result().filled_days == 2


@pytest.mark.parametrize("make, match", [
    (lambda: make_weather(30), "does not fit|complete windows"),
    (lambda: make_weather(36), "complete windows"),
    (lambda: make_weather(200).assign(temp=np.nan, tmax=np.nan), "No temperature"),
    (lambda: make_weather(200).assign(temp=np.nan)[["temp"]], "No temperature"),
    (lambda: pd.DataFrame(), "empty"),
    (lambda: [1, 2, 3], "DataFrame"),
])
def test_bad_input_is_a_forecast_error(make, match):
    with pytest.raises(ForecastError, match=match):
        ExperimentRunner(ExperimentConfig(**FAST)).fit(make())


def test_bad_settings_are_forecast_errors():
    df = make_weather(200)
    for bad in (dict(target="nope"), dict(activation="softmax"), dict(window=0),
                dict(lr=0), dict(inputs=["temp", "wspd"]), dict(target="temp", inputs=["pres"])):
        with pytest.raises(ForecastError):
            ExperimentRunner(ExperimentConfig(**{**FAST, **bad})).fit(df)
    with pytest.raises(ForecastError, match="no values"):
        ExperimentRunner(ExperimentConfig(target="temp")).fit(df.assign(temp=np.nan))


def test_extra_inputs_are_used_and_held_when_recursing():
    r = run_experiment(make_weather(300), ExperimentConfig(**FAST, inputs=["temp", "tmin"]))
    assert r.config.inputs == ["temp", "tmin"] and r.config.n_inputs == 2
    assert any("tmin" in n for n in r.notes)


def test_verdict_in_fahrenheit_scales_the_errors(result):
    import re

    c = [float(x) for x in re.findall(r"(\d+\.\d+) °C", result.verdict())]
    f = [float(x) for x in re.findall(r"(\d+\.\d+) °F", result.verdict(units="°F"))]
    assert len(c) == len(f) > 0
    np.testing.assert_allclose(f, np.array(c) * 1.8, atol=0.02)


@pytest.mark.parametrize("bad", [{"horizon": 2}, {"window": 0}, {"lr": 0.0},
                                 {"activation": "gelu"}, {"val_frac": 0.5, "test_frac": 0.5},
                                 {"loss": "mae"}, {"huber_delta": 0.0}])
def test_settings_that_cannot_work_are_refused_with_a_message(bad):
    with pytest.raises(ForecastError) as err:
        ExperimentConfig(**bad).validate()
    assert str(err.value).endswith(".")  # a whole sentence for a person, not a code


def test_a_close_verdict_never_shows_two_equal_errors(result):
    import dataclasses
    import re

    metrics = {m: dict(v) for m, v in result.metrics.items()}
    metrics["rnn"]["mae"] = 1.4440
    metrics["dense"]["mae"] = 1.4410  # 0.003 apart: at two decimals both would read "1.44"
    for m in ("dense_window", "persistence", "climatology", "linear"):
        metrics[m] = {**metrics[m], "mae": 2.0} if "mae" in metrics[m] else metrics[m]
    text = dataclasses.replace(result, metrics=metrics).verdict()
    assert re.search(r"\b1\.444\b", text) and re.search(r"\b1\.441 °C", text), text


def test_a_step_ended_early_by_until_changes_no_number(result):
    # what a worker does when a new visitor's job arrives: end the turn between mini-batches
    r = ExperimentRunner(ExperimentConfig(**FAST)).fit(make_weather(500))
    steps, asked = 0, []
    while not r.done:
        r.step(max_seconds=30.0, until=lambda: asked.append(1) or True)  # "stop" when asked
        steps += 1
    assert steps >= 2 and steps - 1 <= len(asked)  # every step but the last ended by until
    cut = r.result()
    assert cut.metrics == result.metrics
    np.testing.assert_array_equal(cut.rnn_model.theta, result.rnn_model.theta)


def test_the_runner_does_no_work_until_fit():
    r = ExperimentRunner(ExperimentConfig(**FAST))  # the settings only, as scikit-learn keeps them
    assert not hasattr(r, "X")
    with pytest.raises(RuntimeError, match="fit"):
        r.step()
    with pytest.raises(TypeError, match=r"fit\(df\)"):  # the old order is told, not guessed
        ExperimentRunner(make_weather(300))
    assert r.fit(make_weather(300)) is r and not r.done
