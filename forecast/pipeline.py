"""The whole experiment on one daily DataFrame: data -> windows -> three networks -> result.

    runner = ExperimentRunner(ExperimentConfig())       # the settings only: no work yet
    runner.fit(df)                                       # data, windows, split, scaler, baselines
    while not runner.done:
        runner.step(max_seconds=0.25)                    # trains the networks a chunk
    result = runner.result()                             # predictions, metrics, probes

The three networks see exactly the same windows; the memoryless Dense sees only each window's
last day, the windowed Dense the whole window flattened, the RNN the window one day at a time.

Repeats: every network is trained ``config.seeds`` times, with seeds seed, seed+1, ... (one after
the other, seed by seed). Scores (metrics, monthly and horizon MAE, the comparisons) are means
over the seeds; the pictures of one forecast — the predictions columns, the next days, hidden
states, memory probe, walk-through, loss curves and saved weights — are the first seed's model
(``result.charted``), whose per-seed MAE is in ``result.seed_mae``.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from forecast.baselines import Climatology, LinearBaseline, persistence, unavailable_baselines
from forecast.check import prepare
from forecast.compare import compare_all
from forecast.config import SEASON, ExperimentConfig
from forecast.diagnose import Saturation, training_warnings
from forecast.intervals import build_ranges
from forecast.metrics import monthly_mae, seed_score_table
from forecast.models import MODELS, NETWORKS
from forecast.probe import dense_input_gradient, lag_sensitivity, rnn_input_gradient
from forecast.recursive import future, horizon_mae, last_window
from forecast.result import ExperimentResult, ScoringWindows
from forecast.scaling import Scaler, TargetCoder
from forecast.windows import as_slice, gather
from rnn import Dense, ElmanRNN
from rnn.elman import EVAL_BATCH
from rnn.train import STOPPED_BY_USER, Trainer

DTYPE = np.float32  # training precision: twice as fast as float64, plenty for weather


def _net_input(name: str, X: np.ndarray) -> np.ndarray:
    """What each network sees of the windows X (n, window, n_in)."""
    if name == "rnn":
        return X  # (n, window, n_in), one day per step
    if name == "dense":
        return X[:, -1, :]  # (n, n_in): the last day only, no memory
    return X.reshape(len(X), -1)  # dense_window: (n, window * n_in), memory through the input


class ExperimentRunner:
    """The settings at construction (scikit-learn style: no work in __init__); fit(df) prepares
    the data and fits what needs no training loop; step() / run() train the networks in
    resumable chunks; result() builds the result at the end.

    fit raises forecast.ForecastError (a message for a person) on input it cannot use.
    """

    def __init__(self, config: ExperimentConfig | None = None):
        if isinstance(config, pd.DataFrame):
            raise TypeError("ExperimentRunner takes the settings; give the data to fit: "
                            "ExperimentRunner(config).fit(df)")
        self.config = config if config is not None else ExperimentConfig()

    def fit(self, df: pd.DataFrame) -> ExperimentRunner:
        """Days -> windows -> split, scaling and the target coder from the training days, the
        baselines, and the untrained networks with their trainers; returns self."""
        # ---- days -> windows -> split (forecast/check.py: the app runs it before Train too)
        prepared = prepare(df, self.config)
        self.config = cfg = prepared.config
        W, h = cfg.window, cfg.horizon
        self.features = ft = prepared.features
        self.ends = ends = prepared.ends  # (n,) last input day of each window
        self.split = split = prepared.split
        self.target_dates = prepared.target_dates  # (n,) the day each window predicts
        self.today = ft.values[ends, 0]  # (n,) °C on each window's last day
        self.actual = ft.target_observed[ends + h]  # (n,) °C measured on the target day

        # ---- statistics from the training days alone (up to the last training target day)
        self.train_end = int(ends[split.train[-1]] + h)  # index of the last training day
        self.scaler = Scaler().fit(ft.values[: self.train_end + 1])
        self.scaled = self.scaler.transform(ft.values)  # (days, n_in), NaN kept
        tr = split.train
        self.coder = TargetCoder(cfg.predict_change).fit(self.today[tr], self.actual[tr])
        self.y = self.coder.encode(self.today, self.actual)[:, None]  # (n, 1) scaled

        # ---- baselines need no training loop
        self.climatology = Climatology().fit(ft.dates[: self.train_end + 1],
                                             ft.target_observed[: self.train_end + 1])
        self.linear = LinearBaseline().fit(self.windows(tr), self.target_dates[tr], self.y[tr, 0])

        # model -> why it cannot be a yardstick
        self.unavailable = unavailable_baselines(self.climatology, self.linear, self.windows,
                                                 self.y, self.target_dates, split)

        # ---- the three networks, same windows, same seed; repeated for each seed
        # the networks' copy of every window, shared by all (gathered from float32 days: the
        # same numbers as the float64 windows cast, without holding those)
        self._X32 = gather(self.scaled.astype(DTYPE), ends, W)
        self._y32 = self.y.astype(DTYPE)
        self.seed_models = [self._networks(cfg.seed + k) for k in range(cfg.seeds)]
        self.seed_trainers = [self._trainers(models, cfg.seed + k)
                              for k, models in enumerate(self.seed_models)]
        self.models, self.trainers = self.seed_models[0], self.seed_trainers[0]  # charted seed
        # input column -> 0 (doy_sin) / 1 (doy_cos): recomputed from the date when recursing
        self.season_cols = {i: SEASON.index(n) for i, n in enumerate(cfg.inputs or [])
                            if n in SEASON}
        self._result: ExperimentResult | None = None
        return self

    def windows(self, positions) -> np.ndarray:
        """The scaled input windows at ``positions`` (n, window, n_in), float64, gathered from
        the days when asked: kept whole they would be 44 MB on 31 years at window 60 with every
        input (benchmarks/memory.py); the networks keep their float32 copy."""
        return gather(self.scaled, self.ends[positions], self.config.window)

    @property
    def X(self) -> np.ndarray:
        """Every window, scaled (n, window, n_in), float64: a fresh array on each use."""
        return self.windows(slice(None))

    def _networks(self, seed: int) -> dict:
        cfg, n_in = self.config, len(self.config.inputs or [])
        return {
            "rnn": ElmanRNN(n_in, cfg.hidden, 1, cfg.activation, seed, DTYPE),
            "dense": Dense(n_in, cfg.hidden, 1, cfg.activation, seed, DTYPE),
            "dense_window": Dense(cfg.window * n_in, cfg.hidden, 1, cfg.activation, seed, DTYPE),
        }

    def _trainers(self, models: dict, seed: int) -> dict:
        tcfg = replace(self.config.train_config(), seed=seed)
        tr, va = (as_slice(p) for p in (self.split.train, self.split.val))
        X, y = self._X32, self._y32
        return {name: Trainer(m, _net_input(name, X[tr]), y[tr], _net_input(name, X[va]), y[va],
                              tcfg)
                for name, m in models.items()}

    # ------------------------------------------------------------------ training
    @property
    def _all_trainers(self) -> list:
        if not hasattr(self, "seed_trainers"):
            raise RuntimeError("nothing to train yet: call fit(df) first")
        return [t for group in self.seed_trainers for t in group.values()]

    @property
    def _current(self) -> int:
        """Index of the seed being trained (the last one once all are done)."""
        return next((k for k, g in enumerate(self.seed_trainers)
                     if not all(t.done for t in g.values())), len(self.seed_trainers) - 1)

    @property
    def done(self) -> bool:
        return all(t.done for t in self._all_trainers)

    @property
    def histories(self) -> dict:
        """The charted (first) seed's epoch logs: the curves the dashboard draws."""
        return {name: t.history for name, t in self.trainers.items()}

    @property
    def progress(self) -> dict:
        """Per network: the seed in training's epoch; fraction over every seed of every network."""
        k = self._current
        out: dict[str, Any] = {name: {"epoch": t.epoch, "epochs": t.cfg.epochs,
                      "done": all(g[name].done for g in self.seed_trainers),
                      "stop_reason": t.stop_reason or None,
                      "diverged": any(g[name].diverged for g in self.seed_trainers)}
               for name, t in self.seed_trainers[k].items()}
        # a finished network counts as complete, whatever epoch it stopped at; an epoch in
        # progress counts by the share of its mini-batches done (a chunk may end inside one)
        parts = [1.0 if t.done else t.epochs_done / t.cfg.epochs for t in self._all_trainers]
        out["fraction"] = float(np.mean(parts))
        out["seed"] = k  # 0-based repeat in training (seed = config.seed + k)
        out["seeds"] = len(self.seed_trainers)
        return out

    def step(self, max_seconds: float = 0.25, until=None) -> ExperimentRunner:
        """Train for about ``max_seconds``, seed by seed; returns self.

        The networks in training share the time equally. A Trainer's chunk ends at a mini-batch
        boundary, not an epoch's end, so a step overruns ``max_seconds`` by at most about one
        mini-batch per network (plus a validation pass if an epoch ends), even when one epoch
        of a big RNN takes seconds: a worker taking turns between visitors' jobs stays fair.
        ``until()`` returning True ends the step early (Trainer.run(until=...)).
        """
        start = time.perf_counter()
        while not self.done:
            active = [t for t in self.seed_trainers[self._current].values() if not t.done]
            left = max(max_seconds - (time.perf_counter() - start), 0.0)
            for t in active:  # interleaved so the live curves grow together
                t.run(max_seconds=left / len(active), until=until)
            if time.perf_counter() - start >= max_seconds or (until is not None and until()):
                break
        return self

    def stop(self, reason: str = STOPPED_BY_USER) -> ExperimentRunner:
        """End all training now; every network keeps its best validation weights.

        Seeds that had not started are left out of the scores (``result.seeds`` says how
        many were scored); the first seed is always scored.
        """
        for t in self._all_trainers:
            t.stop(reason)
        return self

    def run(self, callback=None) -> ExperimentResult:
        """Train to the end (callback(runner) after each chunk; return False to stop)."""
        while not self.done:
            self.step(max_seconds=0.25)
            if callback is not None and callback(self) is False:
                self.stop()
        return self.result()

    # ------------------------------------------------------------------ scoring
    def _scored_seeds(self) -> list[int]:
        """Repeats that trained at least one epoch (all of them unless Stop came early)."""
        return [k for k, g in enumerate(self.seed_trainers)
                if k == 0 or any(t.epoch > 0 for t in g.values())]

    def scaled_predictor(self, name: str, models: dict | None = None):
        """predict(X (n, window, n_in) scaled, target dates) -> (n,) scaled output."""
        if name == "linear":
            return lambda X, dates: self.linear.predict(X, dates)
        model = (models or self.models)[name]
        if name == "rnn":
            return lambda X, dates: model.predict(X.astype(DTYPE))[:, 0].astype(float)
        return lambda X, dates: model.predict(_net_input(name, X).astype(DTYPE))[:, 0].astype(float)

    def _levels(self, name: str, idx: np.ndarray, models: dict | None = None) -> np.ndarray:
        """(len(idx),) °C next-day forecasts of one model for windows idx."""
        if name == "persistence":
            return persistence(self.today[idx])
        if name == "climatology":
            return self.climatology.predict(self.target_dates[idx])
        scaled = self.scaled_predictor(name, models)(self.windows(idx), self.target_dates[idx])
        return self.coder.decode(self.today[idx], scaled)

    def _memory_probe(self, test: np.ndarray) -> pd.DataFrame:
        W = self.config.window
        out_per_in = self.coder.std_ / self.scaler.std_[0]  # scaled out per scaled in -> °C/°C
        skip = self.config.predict_change
        X = self._X32[test]
        g_rnn = rnn_input_gradient(self.models["rnn"], X)[:, :, 0]  # (n, window)
        flat = dense_input_gradient(self.models["dense_window"], _net_input("dense_window", X))
        g_dw = flat.reshape(len(X), W, -1)[:, :, 0]  # (n, window)
        return pd.DataFrame({"rnn": lag_sensitivity(g_rnn, out_per_in, skip),
                             "dense_window": lag_sensitivity(g_dw, out_per_in, skip)},
                            index=pd.Index(np.arange(1, W + 1), name="lag"))

    def _walkthrough(self, origin: int) -> dict:
        ft, W = self.features, self.config.window
        days = np.arange(origin - W + 1, origin + 1)
        X = self.scaled[days]  # (time, n_in)
        rnn_out = float(self.scaled_predictor("rnn")(X[None], ft.dates[[origin]])[0])
        return {
            "dates": ft.dates[days],
            "input_names": ft.names,
            "raw": pd.DataFrame(ft.values[days], index=ft.dates[days], columns=ft.names),
            "X": X,
            "scaler": self.scaler.to_dict(),
            "target": self.coder.to_dict(),  # decode: output*std + mean (+ today if change)
            "today": float(ft.values[origin, 0]),
            "forecast_date": ft.dates[origin] + pd.Timedelta(days=self.config.horizon),
            "rnn_output": rnn_out,
            "rnn_forecast": float(self.coder.decode(np.array([ft.values[origin, 0]]),
                                                    np.array([rnn_out]))[0]),
        }

    def result(self) -> ExperimentResult:
        """Score every model on the same test days; only once training is done."""
        if not self.done:
            raise RuntimeError("result() is available once training is done (see runner.done)")
        if self._result is not None:
            return self._result
        ft, cfg, split = self.features, self.config, self.split
        test = split.test
        seeds = self._scored_seeds()
        available = [m for m in MODELS if m not in self.unavailable]
        actual = self.actual[test]
        # (seeds, test days) °C forecasts of every available model; a baseline has one row
        seed_pred = {m: np.stack([self._levels(m, test, self.seed_models[k]) for k in seeds])
                     if m in NETWORKS else self._levels(m, test)[None, :] for m in available}
        predictions = pd.DataFrame({"actual": actual},
                                   index=pd.DatetimeIndex(self.target_dates[test], name="date"))
        for name in available:
            predictions[name] = seed_pred[name][0]  # the charted (first) seed
        per_seed = [predictions.assign(**{m: seed_pred[m][min(i, len(seed_pred[m]) - 1)]
                                          for m in available}) for i in range(len(seeds))]
        horizon = [horizon_mae(self, test, self.seed_models[k]) for k in seeds]
        metrics: dict[str, dict] = seed_score_table(actual, seed_pred)
        metrics.update({m: {"available": False, "reason": r} for m, r in self.unavailable.items()})
        abs_err = {m: np.abs(p - actual[None, :]) for m, p in seed_pred.items()}
        rnn = self.models["rnn"]
        h_last = rnn.last_hidden(self._X32[test])  # forward only, in batches
        hidden = pd.DataFrame(h_last.astype(float), index=predictions.index,
                              columns=[f"h{i + 1}" for i in range(cfg.hidden)])
        origin = last_window(self)
        span = lambda idx: (self.target_dates[idx[0]], self.target_dates[idx[-1]])  # noqa: E731
        groups = [self.seed_trainers[k] for k in seeds]
        self._result = ExperimentResult(
            config=cfg,
            n_days=len(ft.dates),
            filled_days=int(ft.filled.sum()),
            n_windows=len(self.ends),
            split={"train": span(split.train), "val": span(split.val), "test": span(test)},
            predictions=predictions,
            metrics={m: metrics[m] for m in MODELS},
            monthly_mae=sum(monthly_mae(f, available) for f in per_seed) / len(per_seed),
            horizon_mae=(sum(horizon) / len(horizon))[available],
            future=future(self, origin)[available],
            histories={n: list(t.history) for n, t in self.trainers.items()},
            train_info={n: {"epochs_run": t.epoch, "n_train_windows": len(split.train),
                            "seconds": float(sum(g[n].elapsed for g in groups)),
                            "stop_reason": t.stop_reason, "best_epoch": t.best_epoch,
                            "seed_epochs": [g[n].epoch for g in groups],
                            "seed_seconds": [float(g[n].elapsed) for g in groups]}
                        for n, t in self.trainers.items()},
            rnn_model=rnn,
            dense_model=self.models["dense"],
            dense_window_model=self.models["dense_window"],
            hidden_states=hidden,
            memory_probe=self._memory_probe(test),
            walkthrough=self._walkthrough(origin),
            notes=self._notes(),
            seeds=len(seeds),
            charted=f"seed {cfg.seed}",
            seed_mae={m: [float(x) for x in e.mean(axis=1)] for m, e in abs_err.items()
                      if m in NETWORKS},
            seed_predictions={m: p for m, p in seed_pred.items() if m in NETWORKS},
            comparison=compare_all(abs_err, ref="rnn", networks=NETWORKS),
            warnings=training_warnings(cfg, self._diagnostics(seeds)),
            test_windows=ScoringWindows(self.windows(test), self.today[test], self.coder),
            ranges=build_ranges(self, available),  # conformal ranges from the validation days
        )
        return self._result

    def _diagnostics(self, seeds: list[int]) -> dict[str, dict]:
        """What training_warnings needs per network, over the scored seeds (°C on validation)."""
        va, test = self.split.val, self.split.test
        p_val = float(np.mean(np.abs(self.today[va] - self.actual[va])))
        out = {}
        for name in NETWORKS:
            runs = [(self.seed_models[k][name], self.seed_trainers[k][name]) for k in seeds]

            def val_mae_of(model, name=name) -> float:  # °C on the validation windows
                return float(np.mean(np.abs(self._levels(name, va, {name: model})
                                            - self.actual[va])))

            val_mae = [val_mae_of(m) for m, _ in runs]
            # the same network before training (same seed, same start weights)
            untrained = [val_mae_of(self._networks(self.config.seed + k)[name]) for k in seeds]
            gap = [float(np.mean(np.abs(self._levels(name, test, {name: m}) - self.today[test])))
                   for m, _ in runs]
            saturated = Saturation(self.config.activation)
            for a in range(0, len(va), EVAL_BATCH):  # a chunk at a time: no split-sized cache
                chunk = _net_input(name, self._X32[va[a:a + EVAL_BATCH]])
                saturated.add(runs[0][0].forward(chunk)[1]["H"])
            out[name] = {"val_mae": val_mae, "persistence_val_mae": p_val, "copy_gap": gap,
                         "diverged": [t.diverged for _, t in runs],
                         "stop_reason": [t.stop_reason for _, t in runs],
                         "improved": [v < 0.95 * u for v, u in zip(val_mae, untrained,
                                                                   strict=True)],
                         "saturated": saturated.share()}
        return out

    def _notes(self) -> list[str]:
        ft, notes = self.features, []
        if ft.filled.any():
            notes.append(f"{int(ft.filled.sum())} days had short gaps (up to "
                         f"{self.config.max_fill_days} days) filled by linear interpolation.")
        if ft.extras_present:
            notes.append("Multi-day forecasts hold " + ", ".join(ft.extras_present)
                         + " at their last known value (there is no forecast of them).")
        return notes


def run_experiment(df: pd.DataFrame, config: ExperimentConfig | None = None,
                   callback=None) -> ExperimentResult:
    """Run the whole experiment to the end. callback(runner) after each training chunk."""
    return ExperimentRunner(config).fit(df).run(callback)
