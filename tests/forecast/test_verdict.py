"""Repeats, guards, unavailable baselines, training warnings and the verdict sentence."""

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import data_sources as ds
from forecast import ExperimentConfig, ExperimentRunner, ForecastError, run_experiment
from forecast.verdict import TIE, winner
from forecast.windows import MIN_TEST_DAYS, min_windows
from tests.helpers.weather import make_weather

ROOT = Path(__file__).resolve().parents[2]
FAST = dict(epochs=3, hidden=8, window=7)


@pytest.fixture(scope="module")
def seattle():
    return run_experiment(ds.load_sample("seattle-2012-2015"), ExperimentConfig())


@pytest.fixture(scope="module")
def one_year():
    """A calendar year: the test days are Nov-Dec, which no training day's season covers."""
    return run_experiment(make_weather(366, start="2020-01-01"),
                          ExperimentConfig(**FAST, seeds=1))


def test_repeats_mean_spread_and_same_seed_same_result():
    df = make_weather(300)
    two = run_experiment(df, ExperimentConfig(**FAST, seeds=2, seed=5))
    first = run_experiment(df, ExperimentConfig(**FAST, seeds=1, seed=5))
    second = run_experiment(df, ExperimentConfig(**FAST, seeds=1, seed=6))
    assert two.seeds == 2 and two.charted == "seed 5"
    assert two.seed_mae["rnn"] == [first.mae("rnn"), second.mae("rnn")]
    m = two.metrics["rnn"]
    assert m["mae"] == pytest.approx(np.mean(two.seed_mae["rnn"]))
    assert m["mae_sd"] == pytest.approx(np.std(two.seed_mae["rnn"], ddof=1))
    assert m["mae_sd"] > 0 and two.metrics["persistence"]["mae_sd"] == 0.0
    # the charts draw the first seed's model
    np.testing.assert_array_equal(two.predictions["rnn"], first.predictions["rnn"])
    assert two.seed_predictions["rnn"].shape == (2, two.test_days)
    assert first.metrics["rnn"]["mae_sd"] == 0.0


def test_progress_counts_every_seed_and_stop_scores_only_started_seeds():
    r = ExperimentRunner(ExperimentConfig(**{**FAST, "epochs": 40})).fit(make_weather(300))
    # one mini-batch per network: a timed step could train past the first seed on a fast
    # machine (0.01 s was 15-25 % of this whole seed here)
    r.step(max_seconds=0.0)
    p = r.progress
    assert p["seeds"] == 3 and p["seed"] == 0
    assert 0 < p["fraction"] < 1 / 3 + 1e-9  # only the first of three seeds has trained
    r.stop()
    assert r.done and r.progress["fraction"] == 1.0
    res = r.result()
    assert res.seeds == 1 and len(res.seed_mae["rnn"]) == 1


def test_fewer_than_30_test_days_are_refused_with_how_much_data_is_needed():
    need = min_windows(0.15)
    assert round(need * 0.15) >= MIN_TEST_DAYS > round((need - 1) * 0.15)
    with pytest.raises(ForecastError, match=f"at least {MIN_TEST_DAYS} test days.*{need}"):
        ExperimentRunner(ExperimentConfig(**FAST)).fit(make_weather(150))
    ExperimentRunner(ExperimentConfig(**FAST)).fit(make_weather(need + 7))  # just enough


def test_the_cli_refuses_a_short_test_period_with_exit_2(tmp_path):
    path = tmp_path / "short.csv"
    make_weather(120).to_csv(path)
    proc = subprocess.run([sys.executable, "-m", "forecast", "--csv", str(path), "--celsius"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "30 test days" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_climatology_without_a_season_window_is_unavailable_never_ranked(one_year):
    r = one_year
    assert r.split["test"][0].month >= 10  # the premise: the test days are at the year's end
    assert r.metrics["climatology"]["available"] is False
    assert "season" in r.metrics["climatology"]["reason"]
    assert "climatology" not in r.models and "climatology" not in r.comparison
    assert "climatology" not in r.predictions.columns
    assert "climatology" not in r.horizon_mae.columns and "climatology" not in r.future.columns
    assert winner(r) != "climatology" and "climatology" not in r.verdict()
    out = r.to_json_dict()
    assert out["metrics"]["climatology"] == {"available": False,
                                             "reason": r.unavailable["climatology"]}
    json.dumps(out)


def test_climatology_with_a_full_year_of_training_is_available(seattle):
    assert seattle.available("climatology") and "climatology" in seattle.comparison


def test_an_underdetermined_linear_fit_is_unavailable():
    r = run_experiment(make_weather(366), ExperimentConfig(
        epochs=1, hidden=4, window=60, seeds=1, inputs=["temp", "tmin", "tmax", "prcp"]))
    assert not r.available("linear") and "coefficients" in r.unavailable["linear"]
    assert "linear" not in r.comparison and "linear baseline" not in r.verdict()


def test_seattle_defaults_learn_and_the_verdict_names_target_period_and_persistence(seattle):
    r = seattle
    assert r.seeds == 3 and r.target == "temp" and r.test_days == len(r.predictions) > 200
    assert all(r.available(m) for m in r.metrics)
    assert set(r.comparison) == set(r.models) - {"rnn"}
    assert not [w for w in r.warnings if w["model"] == "rnn"]
    text = r.verdict()
    a, b = r.split["test"]
    assert "daily mean temperature" in text and f"{r.test_days} test days" in text
    assert str(a.date()) in text and str(b.date()) in text and "persistence" in text
    # the memoryless network is 0.004 °C away: noise, and the sentence says so
    assert r.comparison["dense"]["verdict"] == "tie" and TIE in text
    assert r.comparison["persistence"]["verdict"] == "better"


def test_a_tie_has_no_winner_and_a_clear_win_has_one(seattle):
    tied = seattle.comparison["dense_window"]["verdict"] == "tie"
    best = min(seattle.models, key=seattle.mae)
    if tied and best in ("rnn", "dense_window"):
        assert winner(seattle) is None
    # give the RNN half the error of every other model on every day: it must win outright
    pred = seattle.predictions
    better = pred["actual"].to_numpy() + 0.2 * (pred["rnn"] - pred["actual"]).to_numpy()
    metrics = {**seattle.metrics, "rnn": {**seattle.metrics["rnn"],
                                          "mae": float(np.mean(np.abs(better - pred["actual"])))}}
    from forecast.compare import compare_all
    from forecast.verdict import abs_errors

    fake = dataclasses.replace(seattle, seed_predictions={**seattle.seed_predictions,
                                                          "rnn": np.repeat(better[None], 3, 0)},
                               metrics=metrics)
    fake = dataclasses.replace(fake, comparison=compare_all(abs_errors(fake)))
    assert winner(fake) == "rnn" and fake.verdict().count("the RNN won") == 1


def test_losing_to_persistence_is_always_said(seattle):
    comp = {m: dict(c) for m, c in seattle.comparison.items()}
    comp["persistence"] = {"diff": 0.02, "low": 0.005, "high": 0.04, "verdict": "worse"}
    text = dataclasses.replace(seattle, comparison=comp).verdict()
    assert "against persistence" in text and "worse by 0.020 °C" in text


def test_learning_rate_1_is_named_as_the_likely_cause():
    r = run_experiment(ds.load_sample("seattle-2012-2015"), ExperimentConfig(lr=1.0))
    rnn = [w for w in r.warnings if w["model"] == "rnn"]
    assert rnn and rnn[0]["kind"] in ("did_not_learn", "diverged")
    assert "Likely cause: the learning rate (1) is too high" in rnn[0]["message"]
    assert all(set(w) == {"model", "kind", "message", "template", "degrees"} for w in r.warnings)


def test_saturated_units_and_a_too_small_learning_rate_are_named():
    from forecast.diagnose import saturation, training_warnings

    assert saturation(np.array([[0.999, -0.995, 0.2, 0.0]]), "tanh") == 0.5
    assert saturation(np.array([[0.0, 1.0], [0.0, 2.0]]), "relu") == 0.5
    info = {"val_mae": [2.0], "persistence_val_mae": 1.5, "copy_gap": [0.5],
            "diverged": [False], "improved": [True], "saturated": 0.0}
    low = training_warnings(ExperimentConfig(lr=1e-4), {"rnn": info})
    assert low[0]["kind"] == "did_not_learn" and "too low" in low[0]["message"]
    sat = training_warnings(ExperimentConfig(lr=0.01), {"rnn": {**info, "saturated": 0.8}})
    assert "saturated" in sat[0]["message"]
    div = training_warnings(ExperimentConfig(lr=0.5), {"rnn": {**info, "diverged": [True]}})
    assert div[0]["kind"] == "diverged" and "too high" in div[0]["message"]
    copy = training_warnings(ExperimentConfig(), {"rnn": {**info, "val_mae": [1.4],
                                                          "copy_gap": [0.01]}})
    assert copy[0]["kind"] == "copies_today"
