"""Many visitors training at once: threads in one process against the pool (a process per job).

    python benchmarks/concurrency.py                       # K = 1 2 4 8, both ways, a table
    python benchmarks/concurrency.py --epochs 10 --k 1 2 4 # shorter runs on a busy machine
    python benchmarks/concurrency.py --json                # one JSON line

K identical heavy runs (Chicago 2001–2016, hidden 256, window 30, same seed, so each does the same
work) start at the same moment; the figure is the wall time until all K have their result, as a
ratio to one run alone (measured the same way just before) and to the ideal max(1, K / cores).

- threads: K ExperimentRunner.run() in K threads of this process (what training in each
  session's script thread would do).
- pool: K jobs submitted to app.pool.TrainingPool, one per session id, polled like a page does.

BLAS runs at one thread in both (the pool's processes set it themselves). A printed number, not a
pass/fail test; ratios measured in one run are what carry over between machines — on a quiet
machine. When other work keeps the cores busy (the printed load average well above the cores),
the scheduler shares CPU per runnable thread: K training threads then take a bigger slice of the
machine than 2 worker processes do, and neither figure measures scaling any more.

Through the server (``--server``): the same K, but each run started by a browser session
(Playwright + the system Chromium, as tests/e2e does) of a real `streamlit run` whose training
goes to its worker pool, timed from the K Train clicks to "every page shows its verdict"; plus a
new visitor's time to the first chart and to a default verdict while 4 heavy runs train, as a
ratio to the same on the idle server (the median of ``--visitors`` visits each).

The browsers run on the same cores as the server and its workers, which a real class's browsers
do not: each visitor's page renders on their own device. Rendering the K live views takes about a
core here, and Linux shares CPU between sessions (autogroups) before it looks at niceness, so the
browsers would take that core from the training and the server. The K "other visitors" therefore
get their own browser whose session runs at autogroup niceness ``--others-nice`` (default 19:
they render on idle cycles only); the measured new visitor gets a separate browser at normal
priority, idle and busy alike. ``--others-nice 0`` puts everything on equal terms (the
distorted figure). Every heavy session trains the same seed, so each does the same work.

    python benchmarks/concurrency.py --server --epochs 3     # K = 1 2 4 8 through the app
    python benchmarks/concurrency.py --class 30              # a class (concurrency_class.py)
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy is imported

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere
from app.cores import usable_cores  # noqa: E402
from app.pool import TrainingPool  # noqa: E402
from benchmarks.publish import publish  # noqa: E402
from data_sources.samples import load_sample  # noqa: E402
from forecast import ExperimentConfig, ExperimentRunner  # noqa: E402

SAMPLE = "chicago-2001-2016"


def heavy_config(args) -> ExperimentConfig:
    cfg = ExperimentConfig(hidden=args.hidden, window=args.window, seed=0)
    if args.epochs is not None:  # a fixed number of epochs: every run does exactly that work
        cfg.epochs, cfg.patience = args.epochs, args.epochs
    return cfg


def in_threads(df, cfg, k: int) -> float:
    errors = []

    def one():
        try:
            ExperimentRunner(cfg).fit(df).run()
        except Exception as err:  # reported after the timing, never swallowed
            errors.append(err)

    threads = [threading.Thread(target=one) for _ in range(k)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - start


def in_pool(pool: TrainingPool):
    def run(df, cfg, k: int) -> float:
        start = time.perf_counter()
        jobs = [pool.submit(f"visitor-{i}", df, cfg) for i in range(k)]
        pending = list(jobs)
        while pending:  # poll every job like k pages would, so none looks idle
            pending = [job for job in pending if not job.poll().finished]
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        for job in jobs:
            status = job.poll()
            if status.state != "done":
                raise RuntimeError(f"a pool job ended {status.state}: {status.error}")
        return seconds
    return run


def measure(modes: dict, df, cfg, ks: list[int], cores: int, progress=None) -> list[dict]:
    """For each K and mode: one run alone, then K at once, back to back.

    Measuring "one alone" again right before each K keeps a shared machine's changing load from
    skewing the ratio (other people's work comes and goes over minutes).
    """
    rows = []
    warm_up = replace(cfg, epochs=1, patience=1)
    for run in modes.values():  # first-use costs (imports, caches) stay out of the figures
        run(df, warm_up, 1)
    for k in ks:
        row = {"k": k, "ideal": max(1.0, k / cores)}
        for name, run in modes.items():
            alone = run(df, cfg, 1)
            seconds = alone if k == 1 else run(df, cfg, k)
            row[f"{name}_one_s"] = alone
            row[f"{name}_s"] = seconds
            row[f"{name}_x_one"] = seconds / alone
            row[f"{name}_x_ideal"] = seconds / alone / row["ideal"]
        rows.append(row)
        if progress is not None:
            progress(row)
    return rows


def table(rows: list[dict], modes: list[str]) -> str:
    cols = ("one s", "K s", "× one", "× ideal")
    head = ["K", "ideal ×"] + [f"{m} {col}" for m in modes for col in cols]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [str(r["k"]), f"{r['ideal']:.1f}"]
        for m in modes:
            cells += [f"{r[f'{m}_one_s']:.1f}", f"{r[f'{m}_s']:.1f}", f"{r[f'{m}_x_one']:.2f}",
                      f"{r[f'{m}_x_ideal']:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--k", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--modes", nargs="+", default=["threads", "pool"],
                        choices=["threads", "pool"])
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--window", type=int, default=30)
    parser.add_argument("--epochs", type=int, default=None,
                        help="fixed epochs per run (default: the app's 60 with early stopping)")
    parser.add_argument("--workers", type=int, default=None,
                        help="pool size (default: RNN_LAB_WORKERS, else the usable cores)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--others-nice", type=int, default=19,
                        help="--server: autogroup niceness of the other visitors' browser "
                             "(0: it competes with the server and the new visitor's browser)")
    parser.add_argument("--visitor-only", action="store_true",
                        help="--server: only the new visitor, idle and busy (no K runs)")
    parser.add_argument("--visitors", type=int, default=3,
                        help="--server: new visitors measured idle and busy (the median)")
    parser.add_argument("--server", action="store_true",
                        help="through a real `streamlit run` with browser sessions")
    parser.add_argument("--class", dest="class_size", type=int, default=None, metavar="N",
                        help="a class of N browser sessions pressing Train within --spread s "
                             "(benchmarks/concurrency_class.py)")
    parser.add_argument("--spread", type=float, default=30.0)
    parser.add_argument("--curves", type=int, default=10,
                        help="--class: sessions running the memory curve at once (0: none)")
    parser.add_argument("--write", action="store_true",
                        help="--server: write docs/results/concurrency.md; --class: "
                             "docs/results/class.md")
    args = parser.parse_args(argv)
    if args.class_size:
        from benchmarks.concurrency_class import class_of

        publish("class", f"A class of {args.class_size} on one server", class_of(args),
                args.write)
        return

    df, cfg = load_sample(SAMPLE), heavy_config(args)
    cores = usable_cores()
    if args.server:
        from benchmarks.concurrency_server import through_server

        publish("concurrency", "Many visitors training at once",
                through_server(args, cfg, cores), args.write)
        return
    load_start = os.getloadavg()[0]
    pool = TrainingPool(args.workers) if "pool" in args.modes else None
    try:
        available = {"threads": in_threads, "pool": in_pool(pool) if pool else None}
        modes = {m: available[m] for m in args.modes}
        def report(row):  # a row as soon as it is measured: the big K take long on small machines
            if not args.json:
                print(json.dumps({k: round(v, 3) for k, v in row.items()}), file=sys.stderr,
                      flush=True)

        rows = measure(modes, df, cfg, sorted(set(args.k) | {1}), cores, report)
    finally:
        if pool is not None:
            pool.close()
    setup = {"sample": SAMPLE, "hidden": cfg.hidden, "window": cfg.window,
             "epochs": cfg.epochs, "patience": cfg.patience, "cores": cores,
             "workers": pool.n_workers if pool else None,
             "load_start": load_start, "load_end": os.getloadavg()[0]}
    if args.json:
        print(json.dumps({"setup": setup, "rows": rows}))
        return
    print(f"{SAMPLE}, hidden {cfg.hidden}, window {cfg.window}, epochs ≤ {cfg.epochs} "
          f"(patience {cfg.patience}); {cores} usable cores, pool of {setup['workers']} workers; "
          f"load average at start {setup['load_start']:.1f}, at end {setup['load_end']:.1f}"
          + (" (above the cores: other work shares them and the ratios mean little)"
             if setup["load_end"] > cores else ""))
    print(table(rows, list(modes)))


if __name__ == "__main__":
    main()
