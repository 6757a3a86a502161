import json

import numpy as np
import pandas as pd
import pytest

from forecast import ExperimentConfig, ExperimentRunner, ForecastError
from forecast.backtest import Fold, backtest, fold_blocks, fold_configs, report, summarize
from forecast.models import MODELS, NETWORKS
from tests.helpers.weather import make_weather

FAST = ExperimentConfig(window=5, hidden=4, epochs=2)


def test_blocks_are_equal_adjacent_and_end_at_the_last_window():
    for n, k in [(1000, 4), (731, 3), (5698, 5), (97, 1)]:
        blocks = fold_blocks(n, k, 0.15)
        assert len(blocks) == k
        assert len({b - a for a, b in blocks}) == 1  # equal
        assert all(blocks[i][1] == blocks[i + 1][0] for i in range(k - 1))  # adjacent, in order
        assert blocks[-1][1] == n and blocks[0][0] >= n // 2


def test_block_is_the_test_share_unless_that_leaves_too_little_history():
    assert fold_blocks(1000, 2, 0.15) == [(700, 850), (850, 1000)]  # 15 % each, like a plain run
    # 5 blocks of 15 % would leave 25 % of history: shrunk so the first fold keeps half
    assert fold_blocks(1000, 5, 0.15) == [(500, 600), (600, 700), (700, 800), (800, 900),
                                          (900, 1000)]


@pytest.mark.parametrize("k", [0, -1, 60])
def test_impossible_fold_counts_get_a_clear_message(k):
    with pytest.raises(ForecastError, match="fold"):
        fold_blocks(1000, k, 0.15)


def test_fold_configs_make_each_block_the_test_part_with_the_history_before_it():
    df = make_weather(500)
    full = ExperimentRunner(FAST).fit(df)
    dates = full.target_dates
    blocks = fold_blocks(len(dates), 3, FAST.test_frac)
    for (start, stop), (data, cfg) in zip(blocks, fold_configs(df, FAST, 3), strict=True):
        assert data.index[-1] == dates[stop - 1]  # no day after the block's last target day
        runner = ExperimentRunner(cfg).fit(data)
        split = runner.split
        assert list(runner.target_dates[split.test]) == list(dates[start:stop])
        assert list(runner.target_dates[np.r_[split.train, split.val]]) == list(dates[:start])
        # validation keeps the configured share of the history (15 of 85)
        assert len(split.val) == max(1, round(start * FAST.val_frac / (1 - FAST.test_frac)))


def test_folds_never_see_their_test_days():
    """Scrambling every day from a fold's first test day on leaves its trained weights unchanged."""
    df = make_weather(420)
    folds = backtest(df, FAST, k=2)
    first_test = folds[0].test_period[0]
    scrambled = df.copy()
    after = scrambled.index >= first_test
    rng = np.random.default_rng(1)
    scrambled.loc[after, "temp"] = rng.normal(40, 10, after.sum())  # nothing like the real days
    again = backtest(scrambled, FAST, k=2)
    np.testing.assert_array_equal(folds[0].result.rnn_model.theta, again[0].result.rnn_model.theta)
    assert folds[0].result.split == again[0].result.split
    # the test days did change, so the scores must differ: the check above could have failed
    assert folds[0].mae["persistence"] != again[0].mae["persistence"]
    assert folds[1].result.split["train"][1] < folds[1].test_period[0]


def test_last_fold_of_two_tests_the_same_days_as_a_plain_run():
    df = make_weather(420)
    folds = backtest(df, FAST, k=2)
    plain = ExperimentRunner(FAST).fit(df)
    assert folds[-1].test_period == (plain.target_dates[plain.split.test[0]],
                                     plain.target_dates[plain.split.test[-1]])
    assert folds[0].test_period[1] < folds[1].test_period[0]


class _Stub:
    """A result with given MAEs: summarize only reads .available(model) and .mae(model)."""

    def __init__(self, maes):
        self.maes = maes

    def available(self, m):
        return m in self.maes

    def mae(self, m):
        return self.maes[m]


def _fold(number, **maes):
    full = dict.fromkeys(MODELS, 2.0) | maes
    return Fold(number, _Stub(full))


def test_summary_counts_the_folds_each_network_won():
    folds = [_fold(1, rnn=1.0, linear=1.5), _fold(2, rnn=1.6, linear=1.5),
             _fold(3, rnn=1.2, linear=1.5, dense=1.1)]
    s = summarize(folds)
    assert s["wins"]["rnn"]["linear"] == 2
    assert s["wins"]["rnn"]["dense"] == 2  # 1.0 and 1.6 < 2.0, 1.2 > 1.1
    assert s["wins"]["dense"]["rnn"] == 1
    assert s["wins"]["rnn"]["persistence"] == 3
    assert set(s["wins"]) == set(NETWORKS) and "rnn" not in s["wins"]["rnn"]
    assert s["mean"]["rnn"] == pytest.approx(3.8 / 3)
    assert s["sd"]["rnn"] == pytest.approx(np.std([1.0, 1.6, 1.2], ddof=1))
    assert (s["min"]["rnn"], s["max"]["rnn"]) == (1.0, 1.6)
    # ties are not wins
    assert summarize([_fold(1)])["wins"]["rnn"]["linear"] == 0


def test_report_lists_every_fold_and_the_win_counts():
    df = make_weather(420)
    text = report(backtest(df, FAST, k=2))
    lines = text.splitlines()
    assert lines[1].startswith("1 ") and lines[2].startswith("2 ")
    assert "mean" in text and "/2 folds vs linear" in text
    assert all(isinstance(pd.Timestamp(x), pd.Timestamp) for x in lines[1].split()[1].split(".."))


def test_cli_backtest_prints_the_folds_and_json(tmp_path, capsys):
    from forecast.__main__ import main

    path = tmp_path / "city.csv"
    make_weather(420).to_csv(path)
    args = ["--csv", str(path), "--epochs", "2", "--hidden", "4", "--window", "5",
            "--backtest", "2"]
    assert main(args) == 0
    assert "folds vs linear" in capsys.readouterr().out
    assert main([*args, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [f["fold"] for f in out["folds"]] == [1, 2]
    assert out["folds"][0]["train"][1] < out["folds"][0]["test"][0]
    assert set(out["mean"]) == set(MODELS) and set(out["wins"]) == set(NETWORKS)
    # too many folds for the data: one clear line, status 2
    assert main(["--csv", str(path), "--backtest", "40"]) == 2
    assert "fold" in capsys.readouterr().err
