"""What one experiment produces: everything the dashboard, the CLI and the benchmark draw."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from forecast.config import ExperimentConfig
from forecast.metrics import scores
from forecast.scaling import TargetCoder

NETWORKS = ("rnn", "dense", "dense_window")
BASELINES = ("persistence", "climatology", "linear")
MODELS = NETWORKS + BASELINES

NAMES = {  # how the verdict names each model
    "rnn": "the RNN",
    "dense": "the memoryless network",
    "dense_window": "the windowed dense network",
    "persistence": "persistence",
    "climatology": "climatology",
    "linear": "the linear baseline",
}


COPIES_TODAY_C = 0.05  # mean |RNN − persistence| below this (°C): it learned "no change"


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
    metrics: dict[str, dict[str, float]]  # model -> mae, rmse, bias, skill
    monthly_mae: pd.DataFrame  # (12, models) MAE by month of the target day
    horizon_mae: pd.DataFrame  # (7, models) MAE of recursive forecasts by lead time
    future: pd.DataFrame  # 7 days after the last complete window, one column per model
    histories: dict[str, list]  # network -> list[rnn.train.EpochLog]
    train_info: dict[str, dict[str, Any]]  # epochs_run, n_train_windows, seconds, ...
    rnn_model: Any  # the trained rnn.ElmanRNN
    dense_model: Any  # the trained memoryless rnn.Dense
    dense_window_model: Any  # the trained windowed rnn.Dense
    hidden_states: pd.DataFrame  # index test target date, columns h1..hN (last step)
    memory_probe: pd.DataFrame  # index lag 1..window, columns rnn, dense_window (°C per °C)
    walkthrough: dict[str, Any]  # the last window of the data, for the feed-forward steps
    notes: list[str] = field(default_factory=list)  # what a person should know about this run
    test_windows: ScoringWindows | None = field(default=None, repr=False)  # what score() reads

    def mae(self, model: str) -> float:
        return self.metrics[model]["mae"]

    @property
    def winner(self) -> str:
        """The model with the lowest test MAE (the first in MODELS order on a tie)."""
        return min((m for m in MODELS if m in self.metrics), key=self.mae)

    @property
    def best_baseline(self) -> str:
        """The baseline with the lowest test MAE."""
        return min((m for m in BASELINES if m in self.metrics), key=self.mae)

    @property
    def rnn_gap_to_persistence(self) -> float:
        """Mean |RNN forecast − today's value| over the test days, °C."""
        return float((self.predictions["rnn"] - self.predictions["persistence"]).abs().mean())

    @property
    def copies_today(self) -> bool:
        """True when the RNN learned to forecast "tomorrow = today" (persistence) and no more."""
        return self.rnn_gap_to_persistence < COPIES_TODAY_C

    def score(self, model: Any) -> dict[str, float]:
        """Scores (mae, rmse, bias, skill) of another network with this run's RNN's shapes on
        this run's test days, its inputs standardised and output decoded like the RNN's."""
        tw = self.test_windows
        if tw is None:
            raise ValueError("this result keeps no test windows to score on")
        forecast = tw.coder.decode(tw.today, model.predict(tw.X.astype(model.dtype))[:, 0])
        return scores(self.predictions["actual"].to_numpy(), forecast, self.mae("persistence"))

    def verdict(self, units: str = "°C") -> str:
        """Plain English: the winner, and the RNN against the memoryless network and baselines.

        units "°F" states the errors in Fahrenheit degrees (a difference: × 9/5, no offset).
        """
        if units not in ("°C", "°F"):
            raise ValueError(f"units must be '°C' or '°F', got {units!r}")
        k, u = (1.8, "°F") if units == "°F" else (1.0, "°C")
        maes = {m: k * self.mae(m) for m in MODELS}
        winner = min(maes, key=maes.__getitem__)
        rnn = maes["rnn"]
        best_base = min(BASELINES, key=maes.__getitem__)
        # the winner, or 2nd
        runner_up = min((m for m in MODELS if m != "rnn"), key=maes.__getitem__)
        # Three decimals when the models compared differ by less than 0.01, so two errors
        # never read the same ("1.44 beat 1.44") while the sentence says one won.
        named = {winner, runner_up, "dense", best_base} - {"rnn"}
        digits = 3 if min(abs(maes[m] - rnn) for m in named) < 0.01 else 2

        def deg(x: float) -> str:
            return f"{x:.{digits}f} {u}"

        def margin(a: str, b: str) -> str:  # a beat b: by how much, in degrees and % of b's error
            d = maes[b] - maes[a]
            text = f"{d:.3f} {u}" if d < 0.01 else deg(d)  # never a bare "0.00"
            return f"{text} ({100 * d / maes[b]:.1f} %)" if maes[b] > 0 else text

        def versus(other: str, label: str) -> str:
            if rnn < maes[other]:
                return f"beat {label} ({deg(maes[other])}) by {margin('rnn', other)}"
            if rnn > maes[other]:
                return f"lost to {label} ({deg(maes[other])}) by {margin(other, 'rnn')}"
            return f"tied with {label} ({deg(rnn)})"

        base_label = f"the best baseline, {NAMES[best_base]}"
        if winner == "rnn":
            first = (f"The RNN won: its MAE of {deg(rnn)} beat the runner-up, "
                     f"{NAMES[runner_up]} ({deg(maes[runner_up])}), by "
                     f"{margin('rnn', runner_up)}.")
        else:
            name = NAMES[winner]
            first = (f"{name[0].upper() + name[1:]} won: its MAE of {deg(maes[winner])} beat "
                     f"the RNN's {deg(rnn)} by {margin(winner, 'rnn')}.")
        others = [versus(m, label) for m, label in (("dense", "the memoryless network"),
                                                       (best_base, base_label))
                  if m != runner_up]  # already named in the first sentence
        second = f"The RNN {' and '.join(others)}." if others else ""
        return f"{first} {second}".strip()

    def to_json_dict(self) -> dict:
        """Exactly the CLI's --json object (plain JSON types only)."""
        cfg = self.config.to_dict()
        return {
            "config": cfg,
            "n_days": int(self.n_days),
            "split": {part: [a.date().isoformat(), b.date().isoformat()]
                      for part, (a, b) in self.split.items()},
            "metrics": {m: {k: float(v) for k, v in s.items()} for m, s in self.metrics.items()},
            "train": {m: {"epochs_run": int(i["epochs_run"]),
                          "n_train_windows": int(i["n_train_windows"]),
                          "seconds": round(float(i["seconds"]), 3)}
                      for m, i in self.train_info.items()},
        }
