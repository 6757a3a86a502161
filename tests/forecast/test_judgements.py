"""The judgements the app shows, made once in forecast: the winner, the best baseline, and scoring
other weights on a run's test days ("the RNN only copies today" is forecast/diagnose.py's)."""

import dataclasses

import pytest

import data_sources as ds
from forecast import ExperimentConfig, run_experiment
from forecast.models import BASELINES
from rnn import ElmanRNN


@pytest.fixture(scope="module")
def result():
    cfg = ExperimentConfig(epochs=3, hidden=6, window=7, seed=1)
    return run_experiment(ds.load_sample("auckland-2016-2017"), cfg)


def test_the_best_baseline_has_the_lowest_mae_of_the_available_baselines(result):
    maes = {m: result.metrics[m]["mae"] for m in BASELINES if result.available(m)}
    assert result.best_baseline in maes and maes[result.best_baseline] == min(maes.values())


def test_the_winner_is_named_only_beyond_its_interval(result):
    winner = result.winner
    assert winner is None or winner in result.models
    if winner is not None:  # better than every other available model, not just lowest
        assert result.mae(winner) == min(result.mae(m) for m in result.models)
    # an RNN that forecasts every test day exactly wins beyond any interval
    actual = result.predictions["actual"].to_numpy()
    perfect = dict(result.seed_predictions, rnn=[actual.copy() for _ in range(result.seeds)])
    metrics = dict(result.metrics, rnn=dict(result.metrics["rnn"], mae=0.0))
    comparison = {m: dict(c, verdict="better") for m, c in result.comparison.items()}
    exact = dataclasses.replace(result, seed_predictions=perfect, metrics=metrics,
                                comparison=comparison)
    assert exact.winner == "rnn"
    # two identical models cannot be told apart: no winner
    same = dict(result.seed_predictions, dense=result.seed_predictions["rnn"])
    metrics = dict(result.metrics, dense=dict(result.metrics["rnn"]))
    twins = dataclasses.replace(result, seed_predictions=same, metrics=metrics)
    if min(twins.models, key=twins.mae) in ("rnn", "dense"):
        assert twins.winner is None


def test_the_runs_own_rnn_scores_exactly_its_charted_seed(result):
    own = result.score(result.rnn_model)
    assert own["mae"] == pytest.approx(result.seed_mae["rnn"][0])
    other = ElmanRNN(result.rnn_model.n_inputs, result.rnn_model.n_hidden, 1, seed=99,
                     dtype=result.rnn_model.dtype)
    untrained = result.score(other)
    assert set(untrained) == {"mae", "rmse", "bias", "skill"}
    assert untrained["mae"] != pytest.approx(own["mae"])


def test_the_experiment_builds_its_training_config():
    cfg = ExperimentConfig(epochs=7, lr=0.003, weight_average=0.9, patience=4, seed=3)
    train = cfg.train_config()
    assert (train.epochs, train.lr, train.average, train.patience, train.seed) == (
        7, 0.003, 0.9, 4, 3)
    assert (train.batch_size, train.clip, train.optimizer) == (
        cfg.batch_size, cfg.clip, cfg.optimizer)
