"""What one experiment produces: everything the dashboard, the CLI and the benchmark draw."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from forecast.config import ExperimentConfig
from forecast.intervals import Ranges, intervals_json
from forecast.metrics import scores
from forecast.models import BASELINES, MODELS
from forecast.scaling import TargetCoder
from forecast.verdict import sentence, winner


@dataclass(frozen=True)
class ScoringWindows:
    """The test period's inputs as the networks saw them, to score other weights on."""

    X: np.ndarray  # (n_test, window, n_in) standardised with the training days' statistics
    today: np.ndarray  # (n_test,) °C on each window's last day
    coder: TargetCoder  # turns a network's output back into °C


@dataclass
class ExperimentResult:
    config: ExperimentConfig  # resolved: target, inputs and n_inputs filled in
    n_days: int  # days in the daily series, gaps included
    filled_days: int  # days with at least one input filled by interpolation
    n_windows: int  # complete windows (train + val + test)
    split: dict[str, tuple[pd.Timestamp, pd.Timestamp]]  # part -> (first, last) target date
    predictions: pd.DataFrame  # index test target date; actual + one column per model, °C
    metrics: dict[str, dict[str, Any]]  # model -> mae (mean over seeds), mae_sd, rmse, bias,
    #   skill; an unavailable baseline: {"available": False, "reason": str}
    monthly_mae: pd.DataFrame  # (12, models) MAE by month of the target day
    horizon_mae: pd.DataFrame  # (7, models) MAE of recursive forecasts by lead time
    future: pd.DataFrame  # 7 days after the last complete window, one column per model
    histories: dict[str, list]  # network -> list[rnn.train.EpochLog]
    train_info: dict[str, dict[str, Any]]  # epochs_run (charted repeat), seconds (all
    #   repeats), seed_epochs and seed_seconds (one per repeat), n_train_windows, ...
    rnn_model: Any  # the trained rnn.ElmanRNN
    dense_model: Any  # the trained memoryless rnn.Dense
    dense_window_model: Any  # the trained windowed rnn.Dense
    hidden_states: pd.DataFrame  # index test target date, columns h1..hN (last step)
    memory_probe: pd.DataFrame  # index lag 1..window, columns rnn, dense_window (°C per °C)
    walkthrough: dict[str, Any]  # the last window of the data, for the feed-forward steps
    notes: list[str] = field(default_factory=list)  # what a person should know about this run
    # repeats, intervals, failures (forecast/compare.py, forecast/diagnose.py)
    seeds: int = 1  # seeds scored per network: config.seed, config.seed + 1, ...
    charted: str = "seed 0"  # whose forecast the charts draw (predictions, probes, curves)
    seed_mae: dict[str, list[float]] = field(default_factory=dict)  # network -> MAE per seed
    seed_predictions: dict[str, Any] = field(default_factory=dict)  # network -> (seeds, days)
    comparison: dict[str, dict] = field(default_factory=dict)  # model -> RNN minus model:
    #   {"diff", "low", "high", "verdict": "better" | "worse" | "tie"} (°C, 95 % interval),
    #   plus "reason" for a tie the repeats decide (one repeat: forecast/compare.py)
    warnings: list[dict] = field(default_factory=list)  # [{"model", "kind", "message"}]

    @property
    def target(self) -> str:
        return str(self.config.target)

    @property
    def test_days(self) -> int:
        return len(self.predictions)

    @property
    def models(self) -> list[str]:
        """The models that were scored, in MODELS order (unavailable baselines left out)."""
        return [m for m in MODELS if self.available(m)]

    def available(self, model: str) -> bool:
        return "mae" in self.metrics.get(model, {})

    @property
    def unavailable(self) -> dict[str, str]:
        """Baselines that could not be fitted honestly -> the reason."""
        return {m: str(s["reason"]) for m, s in self.metrics.items() if not self.available(m)}
    test_windows: ScoringWindows | None = field(default=None, repr=False)  # what score() reads
    ranges: Ranges | None = field(default=None, repr=False)  # conformal ranges (intervals.py)

    def mae(self, model: str) -> float:
        """Mean MAE over the seeds (°C); KeyError for an unavailable baseline."""
        return self.metrics[model]["mae"]

    @cached_property
    def winner(self) -> str | None:
        """The model whose MAE is lower than every other available model's beyond its 95 %
        interval; None when the best cannot be told apart from some other model (a tie).
        Judged once, in forecast/verdict.py."""
        return winner(self)

    @property
    def best_baseline(self) -> str:
        """The available baseline with the lowest test MAE."""
        return min((m for m in BASELINES if self.available(m)), key=self.mae)

    def score(self, model: Any) -> dict[str, float]:
        """Scores (mae, rmse, bias, skill) of another network with this run's RNN's shapes on
        this run's test days, its inputs standardised and output decoded like the RNN's."""
        tw = self.test_windows
        if tw is None:
            raise ValueError("this result keeps no test windows to score on")
        forecast = tw.coder.decode(tw.today, model.predict(tw.X.astype(model.dtype))[:, 0])
        return scores(self.predictions["actual"].to_numpy(), forecast, self.mae("persistence"))

    def verdict(self, units: str = "°C") -> str:
        """One plain-English sentence: target, test period and days, the RNN against its
        strongest rival, the memoryless network and persistence, ties said as ties
        (forecast/verdict.py). units "°F" states the errors in Fahrenheit degrees (× 9/5)."""
        return sentence(self, units)

    def to_json_dict(self) -> dict:
        """Exactly the CLI's --json object (plain JSON types only)."""
        cfg = self.config.to_dict()
        return {
            "config": cfg,
            "n_days": int(self.n_days),
            "split": {part: [a.date().isoformat(), b.date().isoformat()]
                      for part, (a, b) in self.split.items()},
            "target": self.target,
            "test_days": int(self.test_days),
            "seeds": int(self.seeds),
            "metrics": {m: {k: (v if isinstance(v, (bool, str)) else float(v))
                            for k, v in s.items()} for m, s in self.metrics.items()},
            # per repeat (one entry per seed): epochs and seconds of each; epochs_run is the
            # charted repeat's, seconds all repeats' together
            "train": {m: {"epochs_run": int(i["epochs_run"]),
                          "n_train_windows": int(i["n_train_windows"]),
                          "seconds": round(float(i["seconds"]), 3),
                          "seed_epochs": [int(e) for e in i["seed_epochs"]],
                          "seed_seconds": [round(float(t), 3) for t in i["seed_seconds"]]}
                      for m, i in self.train_info.items()},
            "comparison": {m: {"diff": round(c["diff"], 4), "low": round(c["low"], 4),
                               "high": round(c["high"], 4), "verdict": c["verdict"],
                               **({"reason": c["reason"]} if c.get("reason") else {})}
                           for m, c in self.comparison.items()},
            "warnings": [dict(w) for w in self.warnings],
            "verdict": self.verdict(),
            "intervals": intervals_json(self) if self.ranges is not None else {},
        }
