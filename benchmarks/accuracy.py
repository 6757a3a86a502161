"""MAE of every model on every bundled sample, with the default settings, as a markdown table.

    python benchmarks/accuracy.py            # all samples, 3 seeds per network (the default)
    python benchmarks/accuracy.py --seeds 5  # mean ± sd over seeds 0..4, comparisons with them
    python benchmarks/accuracy.py --backtest 5  # 5 rolling-origin folds per series (see below)
    python benchmarks/accuracy.py --csv held_out.csv  # only this CSV of your own (repeatable;
                                                      # add --sample ID to measure both)
    python benchmarks/accuracy.py --write    # also into docs/results/accuracy.md (backtests.md)

Beside the app's models both tables print one reference the app does not show: "linear (Huber)",
the same linear model fitted with the networks' Huber loss instead of least squares (n/a where
the app's linear baseline is unavailable). The networks train with a Huber loss
(forecast/config.py); where the RNN beats least squares but not this column, its lead over
least squares is no evidence of memory — memory is judged against the two dense networks, which
share the RNN's loss.

A printed measurement, never a pass/fail test.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import data_sources as ds  # noqa: E402
from benchmarks.publish import publish  # noqa: E402
from forecast import MODELS, ExperimentConfig, ExperimentRunner  # noqa: E402
from forecast.backtest import backtest  # noqa: E402
from forecast.baselines import LinearBaseline  # noqa: E402
from forecast.compare import compare  # noqa: E402
from forecast.models import NETWORKS  # noqa: E402
from forecast.verdict import winner  # noqa: E402


def load(series: str):
    """A bundled sample id, or a CSV path (read as the app reads an upload)."""
    return ds.read_csv(series) if series.endswith(".csv") else ds.load_sample(series)


def huber_linear(runner: ExperimentRunner) -> dict | None:
    """The linear model fitted with the networks' Huber loss: its test MAE and the RNN's MAE minus
    it with a 95 % interval (forecast/compare.py); None where the app's linear is unavailable."""
    if "linear" in runner.unavailable:
        return None
    tr, te = runner.split.train, runner.split.test
    fit = LinearBaseline(huber_delta=runner.config.huber_delta).fit(
        runner.X[tr], runner.target_dates[tr], runner.y[tr, 0])
    pred = runner.coder.decode(runner.today[te], fit.predict(runner.X[te], runner.target_dates[te]))
    actual = runner.actual[te]
    err = np.abs(pred - actual)  # (days,)
    seed_predictions = runner.result().seed_predictions  # the run's result (built once, kept)
    rnn_pred = np.asarray(seed_predictions["rnn"], dtype=float)  # (seeds, days) °C
    rnn_err = np.abs(rnn_pred - actual)
    return {"mae": float(err.mean()), "vs_rnn": compare(rnn_err, err)}


def measure(series: str, seeds: int) -> dict:
    """One run with ``seeds`` repeats: MAE mean ± sd per model and every RNN comparison."""
    df = load(series)
    t0 = time.perf_counter()
    runner = ExperimentRunner(ExperimentConfig(seeds=seeds)).fit(df)
    r = runner.run()
    seconds = time.perf_counter() - t0  # the whole run: data, every seed, scoring
    return {"id": Path(series).stem, "days": r.n_days, "target": r.config.target,
            "test_days": r.test_days, "metrics": r.metrics, "comparison": r.comparison,
            "winner": winner(r), "warnings": r.warnings, "seconds": seconds,
            "rnn_seconds": float(r.train_info["rnn"]["seconds"]),
            "huber_linear": huber_linear(runner)}


def markdown(rows: list[dict], seeds: int) -> str:
    head = ["series", "test days", *MODELS, "linear (Huber)", "winner", "s / run",
            "RNN train s"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        m = row["metrics"]
        cells = [f"{m[k]['mae']:.3f} ± {m[k]['mae_sd']:.3f}" if k in NETWORKS and "mae" in m[k]
                 else f"{m[k]['mae']:.3f}" if "mae" in m[k] else "n/a" for k in MODELS]
        lines.append(f"| {row['id']} ({row['target']}) | {row['test_days']} | "
                     + " | ".join(cells) + f" | {_huber_cell(row['huber_linear'])} | "
                     f"{row['winner'] or 'none (tie)'} | "
                     f"{row['seconds']:.2f} | {row['rnn_seconds']:.2f} |")
    others = [k for k in MODELS if k != "rnn"]
    lines += ["", "| series | " + " | ".join(f"RNN − {k}" for k in others)
              + " | RNN − linear (Huber) |", "|" + "---|" * (len(others) + 2)]
    for row in rows:
        c = row["comparison"] | ({"huber": row["huber_linear"]["vs_rnn"]}
                                 if row["huber_linear"] else {})
        cells = [f"{c[k]['diff']:+.3f} [{c[k]['low']:+.3f}, {c[k]['high']:+.3f}] "
                 f"**{c[k]['verdict']}**" if k in c else "n/a" for k in [*others, "huber"]]
        lines.append(f"| {row['id']} | " + " | ".join(cells) + " |")
    warned = [f"{row['id']}: {w['message']}" for row in rows for w in row["warnings"]]
    note = f"{seeds} seeds per network (0..{seeds - 1})" if seeds > 1 else "seed 0"
    return "\n".join(lines) + (
        f"\n\nTest-period MAE in °C, default settings, {note}: networks mean ± sd over the "
        "seeds. RNN − model: the MAE difference with its 95 % interval (paired block bootstrap "
        "over test days plus the seed spread, forecast/compare.py); better / worse / tie. "
        "winner: the best model only when it is better than every other one. n/a: a baseline "
        "that cannot be fitted honestly on these days. linear (Huber): a reference the app "
        "does not show, the linear model fitted with the networks' loss. s / run: the whole "
        "experiment."
        + ("\n\nWarnings:\n" + "\n".join(f"- {w}" for w in warned) if warned else ""))


def _huber_cell(ref: dict | None) -> str:
    return "n/a" if ref is None else f"{ref['mae']:.3f}"


def measure_backtest(sample_id: str, k: int, seeds: int) -> dict:
    """K-fold rolling-origin backtest (forecast.backtest's folds); fold MAEs averaged over the
    seeds, plus the Huber-fitted linear reference per fold (it has no seed)."""
    folds = backtest(load(sample_id), ExperimentConfig(seeds=seeds), k)  # seeds 0..seeds-1
    rows = []
    for fold in folds:
        ref = huber_linear(fold.runner)
        rows.append(fold.mae | {"linear (Huber)": ref["mae"] if ref else float("nan")})
    return {"id": Path(sample_id).stem, "folds": rows,
            "test_days": len(folds[0].result.predictions)}


def backtest_markdown(rows: list[dict], k: int, seeds: int) -> str:
    models = [*MODELS, "linear (Huber)"]
    head = ["series", "test days / fold", *models, "RNN sd", "RNN beat (folds)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        folds = row["folds"]
        m = {name: float(np.mean([f[name] for f in folds])) for name in models}
        best = min((x for x in MODELS if np.isfinite(m[x])), key=m.get)  # among the app's models
        cells = [f"**{m[x]:.3f}**" if x == best else f"{m[x]:.3f}" if np.isfinite(m[x])
                 else "n/a" for x in models]
        sd = float(np.std([f["rnn"] for f in folds], ddof=1)) if k > 1 else 0.0
        beat = ", ".join(f"{other} {sum(f['rnn'] < f[other] for f in folds)}/{k}"
                         for other in ("persistence", "dense", "dense_window", "linear",
                                       "linear (Huber)"))
        lines.append(f"| {row['id']} | {row['test_days']} | " + " | ".join(cells)
                     + f" | {sd:.3f} | {beat} |")
    note = f"mean over seeds 0..{seeds - 1}" if seeds > 1 else "seed 0"
    return "\n".join(lines) + (f"\n\nRolling-origin backtest, {k} folds: fold k is trained and "
                               "validated only on the days before its test block. MAE in °C, "
                               f"mean over the folds, default settings, {note}; bold = best "
                               "of the app's models. linear (Huber): the reference fitted with "
                               "the networks' loss (n/a in a fold counts as not beaten). "
                               "RNN sd: spread of the RNN's MAE over the folds. RNN beat: in "
                               "how many folds the RNN's MAE was lower.")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, default=ExperimentConfig().seeds,
                   help="repeats per network (mean ± sd, intervals include the seed spread)")
    p.add_argument("--sample", action="append", help="only these sample ids (repeatable)")
    p.add_argument("--csv", action="append", default=[], metavar="FILE",
                   help="a daily .csv of your own, e.g. a held-out record (repeatable); alone "
                        "it replaces the bundled series, with --sample both are measured")
    p.add_argument("--backtest", type=int, metavar="K", default=None,
                   help="rolling-origin backtest with K folds per series instead of one test")
    p.add_argument("--write", action="store_true",
                   help="also write the table to docs/results/accuracy.md (backtests.md)")
    args = p.parse_args(argv)
    # the weather samples by default; the synthetic echo series only when named with --sample
    ids = args.sample or ([] if args.csv else
                          [s["id"] for s in ds.list_samples() if not s["synthetic"]])
    ids = [*ids, *args.csv]
    if args.backtest is not None:
        bt_rows = []
        for sample_id in ids:
            t0 = time.perf_counter()
            bt_rows.append(measure_backtest(sample_id, args.backtest, args.seeds))
            print(f"{sample_id}: {time.perf_counter() - t0:.2f} s", file=sys.stderr, flush=True)
        publish("backtests", "Rolling-origin backtests of the default recipe",
                backtest_markdown(bt_rows, args.backtest, args.seeds), args.write, argv)
        return 0
    rows = []
    for sample_id in ids:
        rows.append(measure(sample_id, args.seeds))
        print(f"{sample_id}: {rows[-1]['seconds']:.2f} s", file=sys.stderr, flush=True)
    publish("accuracy", "Test-period accuracy on the bundled series", markdown(rows, args.seeds),
            args.write, argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
