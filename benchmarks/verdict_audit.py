"""A/A audit of the verdict: how often two *identical* configurations are called different.

    python benchmarks/verdict_audit.py                       # every bundled series, 400 seeds
    python benchmarks/verdict_audit.py --pool 100 --series seattle-2012-2015
    python benchmarks/verdict_audit.py --size-only           # the 108-day size check alone
    python benchmarks/verdict_audit.py --write         # also write docs/results/verdict_audit.md

What is measured. Per series, the RNN is trained ``--pool`` times with the app's default
settings, seeds 1000, 1001, ... (one network at a time, exactly as a run trains it), and its
absolute errors on the run's test days are kept. For every repeat count K the app allows
(1 .. app.settings.MAX_REPEATS) the pool is shuffled into disjoint pairs of seed sets of K
seeds each — configuration A and configuration B, identical but for their seeds — and each pair
is compared with forecast/compare.py exactly as the app compares two networks
(``compare(..., networks=True)``: same bootstrap, same seed term, same one-repeat rule). A pair
called better or worse is a false difference; the nominal rate is 5 %.

Monte-Carlo error. One shuffle gives floor(pool / 2K) pairs with no seed in common:
independent draws. The rate printed is the mean over ``--shuffles`` shuffles, whose variance is
at most one shuffle's, so ± is sqrt(p (1 − p) / floor(pool / 2K)) with p the rate (at least
the nominal 5 % is used, so a 0 % row still shows how far it could be from 5 %). The test days
are the series' own single test period: the rate is over seeds, given these days.

Size check. The day part of the interval alone, on simulated loss differentials with mean zero
at 108 test days (the Beijing / two-year test length): the bootstrap's percentiles against the
t(blocks − 1) quantile on the bootstrap's standard deviation (forecast/compare.py).

A printed measurement, never a pass/fail test. With ``--write`` (or ``--out FILE``) the tables
are also written to docs/results/verdict_audit.md (or FILE), the run's settings in its text.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import data_sources as ds  # noqa: E402
from app.settings import MAX_REPEATS  # noqa: E402
from forecast import ExperimentConfig, ExperimentRunner  # noqa: E402
from forecast.compare import N_BOOT, Z95, block_indices, compare, day_quantile  # noqa: E402

NOMINAL = 0.05
OUT = Path(__file__).resolve().parents[1] / "docs" / "results" / "verdict_audit.md"
FIRST_SEED = 1000  # well away from the seeds the app and the tests use


def all_series() -> list[str]:
    return [s["id"] for s in ds.list_samples()] if hasattr(ds, "list_samples") else [
        "seattle-2012-2015", "chicago-2001-2016", "melbourne-1981-1990", "auckland-2016-2017",
        "beijing-2016-2017", "chicago-2016-2017", "mumbai-2016-2017", "san-diego-2016-2017",
        "synthetic-echo-2000-2003"]


def rnn_errors(series: str, pool: int, cfg: ExperimentConfig) -> np.ndarray:
    """(pool, test days) absolute errors (°C) of the RNN trained with ``pool`` seeds."""
    runner = ExperimentRunner(cfg).fit(ds.load_sample(series))
    test = runner.split.test
    rows = []
    for k in range(pool):
        seed = FIRST_SEED + k
        models = {"rnn": runner._networks(seed)["rnn"]}  # only the network the audit compares
        trainer = runner._trainers(models, seed)["rnn"]
        while not trainer.done:
            trainer.run(max_seconds=5.0)
        rows.append(np.abs(runner._levels("rnn", test, models) - runner.actual[test]))
    return np.stack(rows)


def cached_errors(series: str, pool: int, cfg: ExperimentConfig, cache: Path | None):
    """rnn_errors, kept in ``cache`` (the training is the slow part; the rule is cheap). A
    series already kept with another pool size is reused as it is (the table says its pool)."""
    path = cache / f"{series}-{pool}.npy" if cache else None
    kept = sorted(cache.glob(f"{series}-*.npy")) if cache and cache.exists() else []
    if kept:
        return np.load(path if path in kept else kept[-1])
    errors = rnn_errors(series, pool, cfg)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, errors)
    return errors


def audit(errors: np.ndarray, repeats: int, shuffles: int, rng: np.random.Generator,
          idx: np.ndarray, guarded: bool = True) -> tuple[float, int]:
    """(false-difference rate, independent pairs per shuffle) for seed sets of ``repeats``."""
    pool = len(errors)
    pairs = pool // (2 * repeats)
    called = []
    for _ in range(shuffles):
        order = rng.permutation(pool)
        for p in range(pairs):
            a = errors[order[2 * p * repeats: (2 * p + 1) * repeats]]
            b = errors[order[(2 * p + 1) * repeats: (2 * p + 2) * repeats]]
            called.append(compare(a, b, idx, networks=guarded)["verdict"] != "tie")
    return float(np.mean(called)), pairs


def mc_error(rate: float, pairs: int) -> float:
    p = max(rate, NOMINAL)
    return math.sqrt(p * (1 - p) / max(pairs, 1))


# ---------------------------------------------------------------- the 108-day size check
# The measured lag-1 autocorrelation of real differentials (RNN against the memoryless network,
# the windowed one, persistence, linear; Seattle, Beijing, Chicago 2016-17, Melbourne) lies
# between -0.26 and +0.21, mostly within ±0.1; against climatology it reaches +0.43.
KINDS = ("white noise", "AR(1) 0.1", "AR(1) 0.3", "abs-error difference, t4 errors, AR(1) 0.3")


def _differentials(kind: str, sims: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """(sims, n) daily loss differentials with mean exactly zero in the population."""
    if kind == "white noise":
        return rng.normal(size=(sims, n))
    if kind.startswith("AR(1)"):
        phi = float(kind.split()[-1])
        e = rng.normal(size=(sims, n))
        for t in range(1, n):
            e[:, t] += phi * e[:, t - 1]
        return e
    # |e1| − |e2| of two forecasts with heavy-tailed (t4), correlated (ρ 0.9), AR(1) 0.3 errors:
    # the shape of real differences between two close models; exchangeable, so mean zero
    common = rng.standard_t(4, size=(sims, n))
    own = rng.standard_t(4, size=(2, sims, n))
    e = 0.95 * common[None] + 0.31 * own  # ρ ≈ 0.9
    for t in range(1, n):
        e[:, :, t] += 0.3 * e[:, :, t - 1]
    return np.abs(e[0]) - np.abs(e[1])


def size_check(n: int = 108, sims: int = 4000, seed: int = 0) -> list[dict]:
    """False-difference rate of the day part alone: percentiles vs t(blocks − 1) × sd."""
    rng = np.random.default_rng(seed)
    idx = block_indices(n)  # the app's fixed resampling
    counts = np.zeros((N_BOOT, n))
    np.add.at(counts, (np.arange(N_BOOT)[:, None], idx), 1.0)  # (boot, n) day multiplicities
    rows = []
    for kind in KINDS:
        d = _differentials(kind, sims, n, rng)
        diff = d.mean(axis=1)
        reps = d @ counts.T / n  # (sims, boot): each replicate's mean difference
        lo, hi = np.percentile(reps, [2.5, 97.5], axis=1)
        pct = np.mean((lo > 0) | (hi < 0))  # the percentile interval misses zero
        half = day_quantile(n) * reps.std(axis=1, ddof=1)
        t_rule = np.mean(np.abs(diff) > half)
        z_rule = np.mean(np.abs(diff) > Z95 * reps.std(axis=1, ddof=1))
        rows.append({"kind": kind, "percentile": float(pct), "t": float(t_rule),
                     "z": float(z_rule), "mc": math.sqrt(NOMINAL * (1 - NOMINAL) / sims)})
    return rows


def size_table(rows: list[dict], n: int, sims: int) -> str:
    lines = [f"Size of the day part alone at {n} test days ({sims} simulated null series each, "
             f"t({-(-n // 7) - 1}) = {day_quantile(n):.3f}; nominal 5 %):", "",
             "| differential | bootstrap percentiles | 1.96 × sd | t(blocks − 1) × sd (used) |"
             " ± MC |", "|---|---|---|---|---|"]
    lines += [f"| {r['kind']} | {100 * r['percentile']:.1f} % | {100 * r['z']:.1f} % | "
              f"{100 * r['t']:.1f} % | {100 * r['mc']:.1f} |" for r in rows]
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--series", nargs="*", default=None, help="bundled sample ids (default: all)")
    p.add_argument("--pool", type=int, default=400, help="RNN seeds trained per series")
    p.add_argument("--shuffles", type=int, default=10, help="shuffles of the pool per repeat")
    p.add_argument("--size-sims", type=int, default=4000, help="simulations of the size check")
    p.add_argument("--size-only", action="store_true")
    p.add_argument("--out", type=Path, default=None, help="also write the tables here")
    p.add_argument("--write", action="store_true", help=f"write {OUT}")
    p.add_argument("--cache", type=Path, default=None,
                   help="keep each series' trained errors here (SERIES-POOL.npy) and reuse them")
    args = p.parse_args(argv)
    if args.write:
        args.out = OUT
    out = [f"# Verdict audit (benchmarks/verdict_audit.py, {time.strftime('%Y-%m-%d')})", ""]

    rows = size_check(sims=args.size_sims)
    out += [size_table(rows, 108, args.size_sims), ""]
    print(out[-2], flush=True)
    if not args.size_only:
        cfg = ExperimentConfig(seeds=1)  # the app's defaults; the seeds come from the pool
        repeats = list(range(1, MAX_REPEATS + 1))
        head = ("| series | test days | pool | " + " | ".join(f"K={k}" for k in repeats)
                + " | K=1 without the rule |")
        table = [head, "|" + "---|" * (len(repeats) + 4)]
        pooled: dict[int, list] = {k: [] for k in repeats}
        for series in args.series or all_series():
            t0 = time.perf_counter()
            errors = cached_errors(series, args.pool, cfg, args.cache)
            rng = np.random.default_rng(0)
            idx = block_indices(errors.shape[1])
            cells = []
            for k in repeats:
                rate, pairs = audit(errors, k, args.shuffles, rng, idx)
                pooled[k].append((rate, pairs))
                cells.append(f"{100 * rate:.1f} ± {100 * mc_error(rate, pairs):.1f}")
            raw, pairs = audit(errors, 1, args.shuffles, rng, idx, guarded=False)
            cells.append(f"{100 * raw:.1f} ± {100 * mc_error(raw, pairs):.1f}")
            table.append(f"| {series} | {errors.shape[1]} | {len(errors)} | " + " | ".join(cells)
                         + " |")
            print(table[-1], f"({time.perf_counter() - t0:.0f} s)", flush=True)
        cells = []
        for k in repeats:  # series are independent: their errors add in quadrature
            rates = np.array([r for r, _ in pooled[k]])
            ses = np.array([mc_error(r, n) for r, n in pooled[k]])
            se = np.sqrt((ses ** 2).sum()) / len(ses)
            cells.append(f"{100 * rates.mean():.1f} ± {100 * se:.1f}")
        table.append("| all series (mean) | | | " + " | ".join(cells) + " | |")
        out += ["False-difference rate, % (± one Monte-Carlo standard error): two RNNs with the "
                "app's default settings and disjoint seed sets of K seeds each, compared as the "
                f"app compares two networks (nominal 5 %; {args.shuffles} shuffles of each "
                "pool into disjoint pairs; at K=1 the rule 'one repeat: cannot tell' applies).",
                "", *table, ""]
        print("\n".join(table[-1:]))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
