"""Take away the calendar: the RNN against the memoryless network with and without the day of
year as an input, on every bundled series of at least four years (the "calendar" experiment).

    python benchmarks/no_calendar.py                 # print the table (3 seeds per network)
    python benchmarks/no_calendar.py --write         # also write docs/results/no_calendar.md

Each row is the same experiment `python -m forecast --sample ID [--no-season] --json` runs: the
app's defaults, only ExperimentConfig.season changed. "RNN − memoryless" is the difference of the
two networks' test MAEs (°C, mean over seeds) with its 95 % interval (forecast/compare.py: paired
block bootstrap over the test days plus the seed spread); below zero the RNN's misses were smaller.

A printed measurement, never a pass/fail test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import data_sources as ds  # noqa: E402
from forecast import ExperimentConfig  # noqa: E402
from forecast.pipeline import run_experiment  # noqa: E402

MIN_YEARS = 4  # the series long enough for the calendar to matter (issue 21)
OUT = Path(__file__).resolve().parents[1] / "docs" / "results" / "no_calendar.md"


def long_series() -> list[dict]:
    """Every bundled sample spanning at least MIN_YEARS years, longest first."""
    def years(s: dict) -> float:
        return (dt.date.fromisoformat(s["end"]) - dt.date.fromisoformat(s["start"])).days / 365.25

    return sorted((s for s in ds.list_samples() if years(s) >= MIN_YEARS - 0.1),
                  key=years, reverse=True)


def measure(sample: str, season: bool, seeds: int) -> dict:
    result = run_experiment(ds.load_sample(sample), ExperimentConfig(season=season, seeds=seeds))
    c = result.comparison["dense"]
    return {"rnn": result.metrics["rnn"]["mae"], "dense": result.metrics["dense"]["mae"],
            "diff": c["diff"], "low": c["low"], "high": c["high"], "verdict": c["verdict"],
            "test": f"{result.split['test'][0].date()} – {result.split['test'][1].date()}"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=ExperimentConfig().seeds)
    parser.add_argument("--write", action="store_true", help="write docs/results/no_calendar.md")
    args = parser.parse_args(argv)
    lines = [
        "| series | day of year fed | RNN MAE °C | memoryless MAE °C | RNN − memoryless °C "
        "[95 % interval] | verdict | test days |",
        "|---|---|---|---|---|---|---|",
    ]
    began = time.perf_counter()
    for sample in long_series():
        for season in (True, False):
            m = measure(sample["id"], season, args.seeds)
            lines.append(f"| {sample['id']} | {'yes' if season else 'no'} | {m['rnn']:.3f} | "
                         f"{m['dense']:.3f} | {m['diff']:+.3f} [{m['low']:+.3f}, "
                         f"{m['high']:+.3f}] | {m['verdict']} | {m['test']} |")
            print(lines[-1], flush=True)
    text = "\n".join([
        "# Take away the calendar", "",
        f"Written by `python benchmarks/no_calendar.py --write` ({args.seeds} seeds per network, "
        f"{dt.date.today()}, {time.perf_counter() - began:.0f} s). Defaults of "
        "forecast/config.py; only `season` changes. Below zero: the RNN missed by less.", "",
        *lines, ""])
    if args.write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(text, encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
