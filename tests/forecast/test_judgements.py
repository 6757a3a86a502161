"""The judgements the app shows, made once in forecast: the winner, the best baseline, "the RNN
only copies today", and scoring other weights on a run's test days."""

import dataclasses

import pytest

import data_sources as ds
from forecast import MODELS, ExperimentConfig, run_experiment
from forecast.result import BASELINES, COPIES_TODAY_C
from rnn import ElmanRNN


@pytest.fixture(scope="module")
def result():
    cfg = ExperimentConfig(epochs=3, hidden=6, window=7, seed=1)
    return run_experiment(ds.load_sample("auckland-2016-2017"), cfg)


def test_the_winner_and_the_best_baseline_have_the_lowest_mae(result):
    maes = {m: result.metrics[m]["mae"] for m in MODELS}
    assert result.winner in MODELS and maes[result.winner] == min(maes.values())
    assert result.best_baseline in BASELINES
    assert maes[result.best_baseline] == min(maes[b] for b in BASELINES)
    worse = dict(result.metrics, rnn=dict(result.metrics["rnn"], mae=0.0))
    assert dataclasses.replace(result, metrics=worse).winner == "rnn"


def test_copies_today_when_the_rnn_forecasts_no_change(result):
    gap = result.rnn_gap_to_persistence
    assert gap > 0 and result.copies_today == (gap < COPIES_TODAY_C)
    copied = result.predictions.assign(rnn=result.predictions["persistence"] + 0.01)
    copy = dataclasses.replace(result, predictions=copied)
    assert copy.rnn_gap_to_persistence == pytest.approx(0.01)
    assert copy.copies_today


def test_the_runs_own_rnn_scores_exactly_its_metrics(result):
    assert result.score(result.rnn_model) == pytest.approx(result.metrics["rnn"])
    other = ElmanRNN(result.rnn_model.n_inputs, result.rnn_model.n_hidden, 1, seed=99,
                     dtype=result.rnn_model.dtype)
    untrained = result.score(other)
    assert set(untrained) == {"mae", "rmse", "bias", "skill"}
    assert untrained["mae"] != pytest.approx(result.metrics["rnn"]["mae"])


def test_the_experiment_builds_its_training_config():
    cfg = ExperimentConfig(epochs=7, lr=0.003, weight_average=0.9, patience=4, seed=3)
    train = cfg.train_config()
    assert (train.epochs, train.lr, train.average, train.patience, train.seed) == (
        7, 0.003, 0.9, 4, 3)
    assert (train.batch_size, train.clip, train.optimizer) == (
        cfg.batch_size, cfg.clip, cfg.optimizer)
