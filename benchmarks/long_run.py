"""The largest slider setting on a long series: peak memory, epoch time, the result's share.

    python benchmarks/long_run.py               # hidden 256, window 60, 3 epochs, 30-year series
    python benchmarks/long_run.py --epochs 60   # a full run (early stopping decides the length)
    python benchmarks/long_run.py --sizes       # result-building time at every slider size

There is no bundled 30-year series, so one is built from real data: Chicago 2001-01-22 ..
2016-08-28 (5,698 days) twice, the second copy moved 16 years later (2017-01-22 .. 2032-08-28),
so weekdays aside the calendar and leap days line up; the 146 days between the copies are
missing (NaN rows, as a real gap would be), 11,396 measured days in all.

Prints: peak resident memory of the process (it never imports torch, whose own ~300 MB would
hide ours), each network's epoch time, the RNN's epoch time against what its isolated training
step predicts (same shapes, random data), and how long building the result takes against
the whole run. A printed measurement, never a pass/fail test.
"""

from __future__ import annotations

import os

THREADS = 2
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, str(THREADS))

import argparse  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import data_sources as ds  # noqa: E402
from forecast import ExperimentConfig  # noqa: E402
from forecast.pipeline import ExperimentRunner  # noqa: E402
from rnn import ElmanRNN  # noqa: E402
from rnn.train import TrainConfig, Trainer  # noqa: E402


def thirty_years() -> pd.DataFrame:
    """Chicago 2001-2016 twice, the copy 16 years on (see the module docstring)."""
    df = ds.load_sample("chicago-2001-2016")
    later = df.copy()
    later.index = later.index + pd.DateOffset(years=16)
    both = pd.concat([df, later])
    full = pd.date_range(both.index[0], both.index[-1], freq="D", name="date")
    out = both.reindex(full)  # the gap between the copies becomes explicit NaN rows
    out.attrs = dict(df.attrs, name="Chicago 2001-2016 twice (31 years, built for benchmarks)")
    return out


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def isolated_step_ms(hidden: int, window: int, n_inputs: int, batch: int, reps: int = 30) -> float:
    """Median ms of one training step (forward, backward, clip, Adam) on random data."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(batch * 4, window, n_inputs)).astype(np.float32)
    y = rng.normal(size=(batch * 4, 1)).astype(np.float32)
    tr = Trainer(ElmanRNN(n_inputs, hidden, 1, "tanh", seed=0, dtype=np.float32), X, y,
                 cfg=TrainConfig(epochs=10**6, batch_size=batch, patience=None,
                                 loss=ExperimentConfig().loss))  # the app's loss, as its epochs
    tr.run(max_epochs=1)  # warm-up
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        tr._step(X[:batch], y[:batch])
        tr.optimizer.step(tr.grad)
        times.append(time.perf_counter() - t0)
    return 1e3 * float(np.median(times))


SIZES = [(h, w) for h in (32, 64, 128, 256) for w in (14, 30, 60)]


def result_cost_by_size(df: pd.DataFrame, epochs: int = 2) -> None:
    """Seconds to build the result at every slider size, in RNN training epochs' worth."""
    print("| hidden | window | RNN epoch s | build the result s | in RNN epochs |")
    print("|---:|---:|---:|---:|---:|")
    for h, w in SIZES:
        runner = ExperimentRunner(ExperimentConfig(hidden=h, window=w, epochs=epochs)).fit(df)
        while not runner.done:
            runner.step(max_seconds=0.25)
        t0 = time.perf_counter()
        runner.result()
        t_result = time.perf_counter() - t0
        epoch = runner.trainers["rnn"].history[-1].seconds
        print(f"| {h} | {w} | {epoch:.2f} | {t_result:.2f} | {t_result / epoch:.1f} |")


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", action="store_true",
                   help="result-building time at every slider size (on --sample or 30 years)")
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--window", type=int, default=60)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--sample", default=None,
                   help="a bundled sample instead of the 30-year series, e.g. chicago-2001-2016")
    args = p.parse_args(argv)
    df = ds.load_sample(args.sample) if args.sample else thirty_years()
    rss_start = peak_rss_mb()  # the interpreter, numpy, pandas and the data
    if args.sizes:
        return result_cost_by_size(df)
    cfg = ExperimentConfig(hidden=args.hidden, window=args.window, epochs=args.epochs)
    t0 = time.perf_counter()
    runner = ExperimentRunner(cfg).fit(df)
    t_prep = time.perf_counter() - t0
    while not runner.done:  # runner.run() would build the result too; it is timed apart
        runner.step(max_seconds=0.25)
    t_train = time.perf_counter() - t0 - t_prep
    t1 = time.perf_counter()
    runner.result()
    t_result = time.perf_counter() - t1
    total = time.perf_counter() - t0
    rss = peak_rss_mb()

    tr = runner.trainers["rnn"]
    n_train, bs = len(tr.X), tr.cfg.batch_size
    step = isolated_step_ms(args.hidden, args.window, tr.X.shape[2], bs)
    predicted = step / 1e3 * -(-n_train // bs)
    later = [log.seconds for log in tr.history[1:]] or [tr.history[0].seconds]
    epoch = float(np.median(later))

    print(f"series: {df.attrs.get('name')}, {len(df)} days ({int(df['temp'].notna().sum())} "
          f"measured); hidden {args.hidden}, window {args.window}, float32, "
          f"{os.environ['OPENBLAS_NUM_THREADS']} BLAS threads")
    print(f"windows: train {n_train}, validation {len(tr.X_val)}, test {len(runner.split.test)}")
    print(f"peak resident memory: {rss:.0f} MB ({rss_start:.0f} MB before the experiment: "
          "interpreter, libraries, data)")
    for name, t in runner.trainers.items():
        secs = [f"{log.seconds:.2f}" for log in t.history]
        print(f"  {name:<13} epochs {t.epoch:>3}: seconds per epoch {', '.join(secs[:8])}"
              + (" ..." if len(secs) > 8 else ""))
    print(f"RNN epoch (median after the first, validation included): {epoch:.2f} s; isolated "
          f"step {step:.1f} ms x {-(-n_train // bs)} batches predicts {predicted:.2f} s "
          f"-> ratio {epoch / predicted:.2f}")
    print(f"run: prepare {t_prep:.2f} s, train {t_train:.2f} s, build the result {t_result:.2f} s "
          f"= {100 * t_result / total:.1f} % of {total:.2f} s")


if __name__ == "__main__":
    main()
