"""Rolling-origin backtests: the same experiment repeated on K consecutive test periods.

One test period is one season of weather; a model can win it by luck. A backtest cuts the last
part of the record into K equal blocks of windows (by target day) and runs the whole experiment
once per block, each time on the data up to the end of that block only:

    fold k:   [ train ......... | val .. | test block k ]  (days after block k are not given)

    folds = backtest(df, ExperimentConfig(), k=5)
    summary = summarize(folds)       # mean, spread, folds each network beat each other model

Fold k's windows are exactly the full record's windows up to the end of its block, split
chronologically: the block is the test part, the history before it is train + validation in the
configured proportion (val_frac : 1 - val_frac - test_frac). Every fold is a normal
ExperimentRunner run (kept on the Fold as ``fold.runner``), so the models, scaler, baselines and
metrics are the ones the app uses, and nothing in a fold (weights, scaler, climatology, linear
fit, early stopping) saw its test days or anything after them.

Block size: the configured test share of the windows (the last fold then tests the same period
as a plain run), shrunk when K blocks would leave the first fold less than half of the windows
as history.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from forecast.check import prepare
from forecast.config import ExperimentConfig
from forecast.errors import ForecastError
from forecast.features import daily_frame
from forecast.models import MODELS, NETWORKS
from forecast.pipeline import ExperimentRunner
from forecast.result import ExperimentResult

MIN_BLOCK = 10  # test windows per fold below which a fold's MAE is mostly noise
MIN_HISTORY_SHARE = 0.5  # the first fold trains and validates on at least this share


@dataclass
class Fold:
    number: int  # 1..K, oldest test block first
    result: ExperimentResult  # the whole experiment run on the data up to the block's end
    runner: ExperimentRunner | None = field(default=None, repr=False)  # its windows and fits

    @property
    def test_period(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        return self.result.split["test"]

    @property
    def mae(self) -> dict[str, float]:
        # NaN for a baseline that could not be fitted honestly on this fold
        return {m: self.result.mae(m) if self.result.available(m) else float("nan")
                for m in MODELS}


def fold_blocks(n_windows: int, k: int, test_frac: float) -> list[tuple[int, int]]:
    """[start, stop) positions into the windows (sorted by target day) of the K test blocks.

    The blocks are equal, adjacent and end at the last window.
    """
    if k < 1:
        raise ForecastError(f"A backtest needs at least 1 fold (got {k}).")
    block = min(round(n_windows * test_frac), int(n_windows * (1 - MIN_HISTORY_SHARE)) // k)
    if block < MIN_BLOCK:
        raise ForecastError(
            f"{k} folds leave only {block} test days per fold ({n_windows} windows in all; "
            f"need at least {MIN_BLOCK}): use fewer folds or more data.")
    return [(n_windows - (k - i) * block, n_windows - (k - i - 1) * block) for i in range(k)]


def fold_configs(df: pd.DataFrame, config: ExperimentConfig | None,
                 k: int) -> list[tuple[pd.DataFrame, ExperimentConfig]]:
    """(data up to the block's last target day, config whose split makes the block the test part)
    for each fold, oldest first. Cheap: prepares the windows once, trains nothing."""
    cfg = config if config is not None else ExperimentConfig()
    frame = daily_frame(df)  # sorted daily DatetimeIndex, so a date slice is a time cut
    dates = prepare(frame, cfg).target_dates  # (n,) ascending target day of each window
    n = len(dates)
    val_share = cfg.val_frac / (1 - cfg.test_frac)  # validation's share of the history
    out = []
    for start, stop in fold_blocks(n, k, cfg.test_frac):
        block, history = stop - start, start
        n_val = max(1, round(history * val_share))
        data = frame.loc[: dates[stop - 1]]  # nothing after the block's last target day
        # fractions of this fold's `stop` windows; chronological_split rounds them back exactly
        out.append((data, replace(cfg, val_frac=n_val / stop, test_frac=block / stop)))
    return out


def backtest(df: pd.DataFrame, config: ExperimentConfig | None = None, k: int = 5,
             callback=None) -> list[Fold]:
    """Run the experiment once per fold; callback(fold) after each (e.g. to print progress)."""
    folds = []
    for i, (data, cfg) in enumerate(fold_configs(df, config, k), start=1):
        runner = ExperimentRunner(cfg).fit(data)
        folds.append(Fold(i, runner.run(), runner))
        if callback is not None:
            callback(folds[-1])
    return folds


def summarize(folds: list[Fold]) -> dict:
    """mean and spread (sd, min, max) of each model's MAE over the folds, and
    wins[network][model]: the number of folds in which the network's MAE was lower."""
    maes = pd.DataFrame([f.mae for f in folds], index=[f.number for f in folds])[list(MODELS)]
    wins = {net: {m: int((maes[net] < maes[m]).sum()) for m in MODELS if m != net}
            for net in NETWORKS}
    return {"folds": len(folds), "mae": maes, "mean": maes.mean(),
            "sd": maes.std(ddof=1) if len(folds) > 1 else maes.iloc[0] * 0.0,
            "min": maes.min(), "max": maes.max(), "wins": wins}


def report(folds: list[Fold]) -> str:
    """The fold table, the mean and spread, and the win counts, as plain text."""
    s = summarize(folds)
    head = f"{'fold':<6}{'test period':<25}{'days':>6}" + "".join(f"{m:>13}" for m in MODELS)
    lines = [head]
    for f in folds:
        a, b = f.test_period
        n = len(f.result.predictions)
        lines.append(f"{f.number:<6}{f'{a.date()}..{b.date()}':<25}{n:>6}"
                     + "".join(f"{f.mae[m]:>13.3f}" for m in MODELS))
    for label in ("mean", "sd", "min", "max"):
        lines.append(f"{label:<37}" + "".join(f"{s[label][m]:>13.3f}" for m in MODELS))
    lines.append("")
    k = s["folds"]
    for net, row in s["wins"].items():
        lines.append(f"{net} had the lower MAE in: "
                     + ", ".join(f"{n}/{k} folds vs {m}" for m, n in row.items()))
    return "\n".join(lines)


def mean_mae(folds: list[Fold]) -> dict[str, float]:
    """Mean MAE per model over the folds (plain floats)."""
    return {m: float(np.mean([f.mae[m] for f in folds])) for m in MODELS}


def backtest_json(folds: list[Fold]) -> dict:
    """The CLI's --backtest --json object (plain JSON types only)."""
    s = summarize(folds)
    return {
        "folds": [{"fold": f.number,
                   "test": [d.date().isoformat() for d in f.test_period],
                   "train": [d.date().isoformat() for d in f.result.split["train"]],
                   "mae": {m: float(v) if np.isfinite(v) else None
                           for m, v in f.mae.items()}} for f in folds],
        **{key: {m: float(s[key][m]) for m in MODELS} for key in ("mean", "sd", "min", "max")},
        "wins": s["wins"],
    }
