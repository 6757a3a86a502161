"""Peak resident memory of one training job, phase by phase, at the slider extremes.

    python -m benchmarks.memory                      # 31 years, every extreme (minutes)
    python -m benchmarks.memory --csv clemson.csv    # a real record (benchmarks/held_out.py)
    python -m benchmarks.memory --write docs/results/memory.md

Each setting runs in a fresh Python process (as a pool job does) and reports its peak resident
set size (VmHWM, the high-water mark) after each phase: prepare (data -> windows ->
networks), train (``--epochs`` epochs: memory does not grow with epochs) and result (predictions,
metrics, probes, diagnostics). "imports" is the process with numpy, pandas and forecast loaded.

Without ``--csv`` the series is benchmarks/long_run.py's 31 years (the bundled Chicago
2001-2016 record twice, the copy 16 years on): memory depends on the number of days and the
settings, not on the weather.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

PHASES = ("imports", "prepare", "train", "result")
# (hidden, window, repeats, extras): the app's limits are in app/settings.py (NUMERIC)
ALL_EXTRAS = "tmin,tmax,rhum,wspd,pres"  # what the Chicago record has of forecast's EXTRAS


def settings_rows() -> list[tuple[int, int, int, str]]:
    from app.settings import NUMERIC

    h, w, s = NUMERIC["hidden"], NUMERIC["window"], NUMERIC["seeds"]
    lo_h, hi_h, lo_w, hi_w = int(h.low), int(h.high), int(w.low), int(w.high)
    d = int(s.default)  # repeats: the default at every corner, then the most
    return [(lo_h, lo_w, d, ""), (lo_h, hi_w, d, ""), (hi_h, lo_w, d, ""), (hi_h, hi_w, d, ""),
            (hi_h, hi_w, int(s.high), ""), (hi_h, hi_w, d, ALL_EXTRAS)]


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: per address space, so unlike ru_maxrss it
    does not carry over the launching process's peak across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def one(hidden: int, window: int, seeds: int, extras: str, epochs: int,
        csv: str | None) -> dict:
    """In this (fresh) process: the peak after each phase of one job, in MB."""
    import pandas as pd

    from forecast import ExperimentConfig, ExperimentRunner
    from forecast.config import SEASON

    out = {"imports": peak_mb()}
    if csv:
        df = pd.read_csv(csv, index_col="date", parse_dates=True)
    else:
        from benchmarks.long_run import thirty_years  # noqa: PLC0415 - sets BLAS threads first

        df = thirty_years()
    inputs = ["temp", *SEASON, *[e for e in extras.split(",") if e]]
    cfg = ExperimentConfig(hidden=hidden, window=window, seeds=seeds, epochs=epochs,
                           inputs=inputs)
    runner = ExperimentRunner(cfg).fit(df)
    out["prepare"] = peak_mb()
    while not runner.done:
        runner.step(max_seconds=1.0)
    out["train"] = peak_mb()
    runner.result()
    out["result"] = peak_mb()
    out["days"] = len(df)
    return out


def measure(row, epochs: int, csv: str | None) -> dict:
    hidden, window, seeds, extras = row
    cmd = [sys.executable, "-m", "benchmarks.memory", "--one",
           json.dumps([hidden, window, seeds, extras]), "--epochs", str(epochs)] + (
               ["--csv", csv] if csv else [])
    done = subprocess.run(cmd, capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[1])
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(results: list[tuple[tuple, dict]], epochs: int, source: str) -> str:
    lines = [f"Peak resident memory (MB, high-water mark after each phase) of one job on "
             f"{source}; {epochs} epoch(s) of training, each setting in a fresh process "
             f"(`python -m benchmarks.memory`).", "",
             "| hidden | window | repeats | extra inputs | " + " | ".join(PHASES) + " |",
             "|---:|---:|---:|---|" + "---:|" * len(PHASES)]
    for (hidden, window, seeds, extras), res in results:
        cells = " | ".join(f"{res[p]:.0f}" for p in PHASES)
        lines.append(f"| {hidden} | {window} | {seeds} | {extras or '—'} | {cells} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--csv", help="a long daily record (date, temp, ...) instead of Chicago x N")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--write", help="also write the table to this markdown file")
    p.add_argument("--one", help=argparse.SUPPRESS)  # internal: one setting, JSON out
    args = p.parse_args(argv)
    if args.one:
        hidden, window, seeds, extras = json.loads(args.one)
        print(json.dumps(one(hidden, window, seeds, extras, args.epochs, args.csv)))
        return 0
    results = []
    for row in settings_rows():  # the table is rewritten after every row: a long run that is
        res = measure(row, args.epochs, args.csv)  # cut short still leaves its rows
        results.append((row, res))
        print(row, {k: round(v) for k, v in res.items()}, flush=True)
        days = results[0][1]["days"]
        source = (f"{args.csv} ({days} days)" if args.csv else
                  f"31 years ({days} days: benchmarks/long_run.py's Chicago 2001-2016 twice)")
        text = table(results, args.epochs, source)
        if args.write:
            Path(args.write).parent.mkdir(parents=True, exist_ok=True)
            Path(args.write).write_text("# Memory per job\n\n" + text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
