"""The whole experiment on one daily DataFrame: data -> windows -> three networks -> result.

    runner = ExperimentRunner(df, ExperimentConfig())   # data, windows, split, scaler, baselines
    while not runner.done:
        runner.step(max_seconds=0.25)                    # trains the networks a chunk
    result = runner.result()                             # predictions, metrics, probes

The three networks see exactly the same windows; the memoryless Dense sees only each window's
last day, the windowed Dense the whole window flattened, the RNN the window one day at a time.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pandas as pd

from forecast.baselines import Climatology, LinearBaseline, persistence
from forecast.config import SEASON, ExperimentConfig
from forecast.errors import ForecastError
from forecast.features import build_features, daily_frame, resolve_columns
from forecast.metrics import monthly_mae, score_table
from forecast.probe import dense_input_gradient, lag_sensitivity, rnn_input_gradient
from forecast.recursive import roll_forward
from forecast.result import MODELS, NETWORKS, ExperimentResult
from forecast.scaling import Scaler, TargetCoder
from forecast.windows import chronological_split, gather, window_ends
from rnn import Dense, ElmanRNN
from rnn.train import TrainConfig, Trainer

HORIZON_DAYS = 7  # multi-day forecasts and the forecast beyond the data
DTYPE = np.float32  # training precision: twice as fast as float64, plenty for weather


def _net_input(name: str, X: np.ndarray) -> np.ndarray:
    """What each network sees of the windows X (n, window, n_in)."""
    if name == "rnn":
        return X  # (n, window, n_in), one day per step
    if name == "dense":
        return X[:, -1, :]  # (n, n_in): the last day only, no memory
    return X.reshape(len(X), -1)  # dense_window: (n, window * n_in), memory through the input


class ExperimentRunner:
    """Prepares the data at construction; trains in resumable chunks; builds the result at the end.

    Raises forecast.ForecastError (a message for a person) on input it cannot use.
    """

    def __init__(self, df: pd.DataFrame, config: ExperimentConfig | None = None):
        cfg = replace(config) if config is not None else ExperimentConfig()
        cfg.validate()
        frame = daily_frame(df)
        target, inputs = resolve_columns(frame, cfg.target, cfg.inputs)
        self.config = cfg = replace(cfg, target=target, inputs=inputs, n_inputs=len(inputs))
        W, h = cfg.window, cfg.horizon
        if W + h >= len(frame):
            raise ForecastError(f"The window ({W} days) plus the forecast day does not fit in the "
                                f"data ({len(frame)} days): use a shorter window or more data.")

        # ---- days -> windows -> split
        self.features = ft = build_features(frame, target, inputs, cfg.max_fill_days)
        # (n,) last input day of each window; never a filled day (it would know the target)
        self.ends = ends = window_ends(ft.values, ft.target_observed, W, h, ft.filled)
        self.split = split = chronological_split(len(ends), cfg.val_frac, cfg.test_frac)
        self.target_dates = ft.dates[ends + h]  # (n,) the day each window predicts
        self.today = ft.values[ends, 0]  # (n,) °C on each window's last day
        self.actual = ft.target_observed[ends + h]  # (n,) °C measured on the target day

        # ---- statistics from the training days alone (up to the last training target day)
        self.train_end = int(ends[split.train[-1]] + h)  # index of the last training day
        self.scaler = Scaler().fit(ft.values[: self.train_end + 1])
        self.scaled = self.scaler.transform(ft.values)  # (days, n_in), NaN kept
        self.X = gather(self.scaled, ends, W)  # (n, window, n_in)
        tr = split.train
        self.coder = TargetCoder(cfg.predict_change).fit(self.today[tr], self.actual[tr])
        self.y = self.coder.encode(self.today, self.actual)[:, None]  # (n, 1) scaled

        # ---- baselines need no training loop
        self.climatology = Climatology().fit(ft.dates[: self.train_end + 1],
                                             ft.target_observed[: self.train_end + 1])
        self.linear = LinearBaseline().fit(self.X[tr], self.target_dates[tr], self.y[tr, 0])

        # ---- the three networks, same windows, same seed
        n_in = len(inputs)
        self.models = {
            "rnn": ElmanRNN(n_in, cfg.hidden, 1, cfg.activation, cfg.seed, DTYPE),
            "dense": Dense(n_in, cfg.hidden, 1, cfg.activation, cfg.seed, DTYPE),
            "dense_window": Dense(W * n_in, cfg.hidden, 1, cfg.activation, cfg.seed, DTYPE),
        }
        tcfg = TrainConfig(epochs=cfg.epochs, batch_size=cfg.batch_size, lr=cfg.lr,
                           optimizer=cfg.optimizer, clip=cfg.clip, patience=cfg.patience,
                           seed=cfg.seed, time_budget_s=cfg.time_budget_s,
                           average=cfg.weight_average)
        va = split.val
        self.trainers = {
            name: Trainer(m, _net_input(name, self.X[tr]), self.y[tr],
                          _net_input(name, self.X[va]), self.y[va], tcfg)
            for name, m in self.models.items()
        }
        # input column -> 0 (doy_sin) / 1 (doy_cos): recomputed from the date when recursing
        self.season_cols = {i: SEASON.index(n) for i, n in enumerate(inputs) if n in SEASON}
        self._result: ExperimentResult | None = None

    # ------------------------------------------------------------------ training
    @property
    def done(self) -> bool:
        return all(t.done for t in self.trainers.values())

    @property
    def histories(self) -> dict:
        return {name: t.history for name, t in self.trainers.items()}

    @property
    def progress(self) -> dict:
        out = {name: {"epoch": t.epoch, "epochs": t.cfg.epochs, "done": t.done,
                      "stop_reason": t.stop_reason or None, "diverged": t.diverged}
               for name, t in self.trainers.items()}
        # a finished network counts as complete, whatever epoch it stopped at
        parts = [1.0 if t.done else t.epoch / t.cfg.epochs for t in self.trainers.values()]
        out["fraction"] = float(np.mean(parts))
        return out

    def step(self, max_seconds: float = 0.25) -> ExperimentRunner:
        """Train every unfinished network for its share of about ``max_seconds``; returns self."""
        active = [t for t in self.trainers.values() if not t.done]
        for t in active:  # interleaved so the live curves grow together
            t.run(max_seconds=max_seconds / len(active))
        return self

    def stop(self, reason: str = "stopped by user") -> ExperimentRunner:
        """End all training now; every network keeps its best validation weights."""
        for t in self.trainers.values():
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
    def _scaled_predictor(self, name: str):
        """predict(X (n, window, n_in) scaled, target dates) -> (n,) scaled output."""
        if name == "linear":
            return lambda X, dates: self.linear.predict(X, dates)
        model = self.models[name]
        if name == "rnn":
            return lambda X, dates: model.predict(X.astype(DTYPE))[:, 0].astype(float)
        return lambda X, dates: model.predict(_net_input(name, X).astype(DTYPE))[:, 0].astype(float)

    def _levels(self, name: str, idx: np.ndarray) -> np.ndarray:
        """(len(idx),) °C next-day forecasts of one model for windows idx."""
        if name == "persistence":
            return persistence(self.today[idx])
        if name == "climatology":
            return self.climatology.predict(self.target_dates[idx])
        scaled = self._scaled_predictor(name)(self.X[idx], self.target_dates[idx])
        return self.coder.decode(self.today[idx], scaled)

    def _horizon_mae(self, test: np.ndarray) -> pd.DataFrame:
        """MAE by lead time 1..7 from every test origin, same origins for all models per lead."""
        ft = self.features
        origins = self.ends[test]  # (n,) index of each origin day
        dates = ft.dates[origins]
        days = np.arange(1, HORIZON_DAYS + 1)
        future_idx = origins[:, None] + days[None, :]  # (n, 7)
        inside = future_idx < len(ft.dates)
        actual = np.full(future_idx.shape, np.nan)
        actual[inside] = ft.target_observed[future_idx[inside]]
        forecasts = {
            "persistence": np.repeat(self.today[test][:, None], HORIZON_DAYS, axis=1),
            "climatology": np.stack([self.climatology.predict(dates + pd.Timedelta(days=int(k)))
                                     for k in days], axis=1),
        }
        for name in (*NETWORKS, "linear"):
            forecasts[name] = roll_forward(self._scaled_predictor(name), self.X[test],
                                           self.today[test], dates, HORIZON_DAYS, self.coder,
                                           self.scaler, self.season_cols)
        ok = np.isfinite(actual)

        def mae(f: np.ndarray, k: int) -> float:  # NaN where no test day is k days ahead
            return float(np.mean(np.abs(f[ok[:, k], k] - actual[ok[:, k], k]))) if ok[:, k].any() \
                else float("nan")

        table = pd.DataFrame({m: [mae(f, k) for k in range(HORIZON_DAYS)]
                              for m, f in forecasts.items()},
                             index=pd.Index(days, name="horizon"))
        return table[list(MODELS)]

    def _last_window(self) -> int:
        """Index of the last day ending a complete window (the origin of the future forecast)."""
        ok = np.isfinite(self.features.values).all(axis=1)
        W = self.config.window
        for t in range(len(ok) - 1, W - 2, -1):
            if ok[t - W + 1: t + 1].all():
                return t
        return int(self.ends[-1])  # unreachable: there is at least one complete window

    def _future(self, origin: int) -> pd.DataFrame:
        ft = self.features
        Xo = gather(self.scaled, np.array([origin]), self.config.window)
        today = ft.values[[origin], 0]
        d0 = ft.dates[[origin]]
        dates = pd.date_range(d0[0] + pd.Timedelta(days=1), periods=HORIZON_DAYS, freq="D",
                              name="date")
        cols = {name: roll_forward(self._scaled_predictor(name), Xo, today, d0, HORIZON_DAYS,
                                   self.coder, self.scaler, self.season_cols)[0]
                for name in (*NETWORKS, "linear")}
        cols["persistence"] = np.repeat(today, HORIZON_DAYS)
        cols["climatology"] = self.climatology.predict(dates)
        return pd.DataFrame(cols, index=dates)[list(MODELS)]

    def _memory_probe(self, test: np.ndarray) -> pd.DataFrame:
        W = self.config.window
        out_per_in = self.coder.std_ / self.scaler.std_[0]  # scaled out per scaled in -> °C/°C
        skip = self.config.predict_change
        X = self.X[test].astype(DTYPE)
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
        rnn_out = float(self._scaled_predictor("rnn")(X[None], ft.dates[[origin]])[0])
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
        predictions = pd.DataFrame({"actual": self.actual[test]},
                                   index=pd.DatetimeIndex(self.target_dates[test], name="date"))
        for name in MODELS:
            predictions[name] = self._levels(name, test)
        rnn = self.models["rnn"]
        _, cache = rnn.forward(self.X[test].astype(DTYPE))
        hidden = pd.DataFrame(cache["H"][:, -1, :].astype(float), index=predictions.index,
                              columns=[f"h{i + 1}" for i in range(cfg.hidden)])
        origin = self._last_window()
        span = lambda idx: (self.target_dates[idx[0]], self.target_dates[idx[-1]])  # noqa: E731
        self._result = ExperimentResult(
            config=cfg,
            n_days=len(ft.dates),
            filled_days=int(ft.filled.sum()),
            n_windows=len(self.ends),
            split={"train": span(split.train), "val": span(split.val), "test": span(test)},
            predictions=predictions,
            metrics=score_table(predictions, list(MODELS)),
            monthly_mae=monthly_mae(predictions, list(MODELS)),
            horizon_mae=self._horizon_mae(test),
            future=self._future(origin),
            histories={n: list(t.history) for n, t in self.trainers.items()},
            train_info={n: {"epochs_run": t.epoch, "n_train_windows": len(split.train),
                            "seconds": float(t.elapsed), "stop_reason": t.stop_reason,
                            "best_epoch": t.best_epoch}
                        for n, t in self.trainers.items()},
            rnn_model=rnn,
            dense_model=self.models["dense"],
            dense_window_model=self.models["dense_window"],
            hidden_states=hidden,
            memory_probe=self._memory_probe(test),
            walkthrough=self._walkthrough(origin),
            notes=self._notes(),
        )
        return self._result

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
    t0 = time.perf_counter()
    result = ExperimentRunner(df, config).run(callback)
    result.seconds = time.perf_counter() - t0
    return result
