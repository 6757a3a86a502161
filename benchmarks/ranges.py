"""How often the likely ranges held: coverage and width of the 80 % and 95 % ranges on every
bundled series of at least four years.

    python benchmarks/ranges.py            # print the table (the app's defaults, 3 seeds)
    python benchmarks/ranges.py --write    # also write docs/results/ranges.md

Each row is what `python -m forecast --sample ID --json` reports under `intervals`: the ranges
are split-conformal, set on the validation days only (forecast/intervals.py); "held" is the
share of the test days whose truth fell inside, ± its standard error (runs of misses and the
calibration's own luck counted); "width" the mean width in °C; "ACI" the adaptive ranges'
share. The targets of issue 24: 75–85 % for the 80 % range, 92–98 % for the 95 % range.

A printed measurement, never a pass/fail test.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import data_sources as ds  # noqa: E402
from benchmarks.no_calendar import long_series  # noqa: E402
from forecast import ExperimentConfig  # noqa: E402
from forecast.intervals import LEVELS, intervals_json  # noqa: E402
from forecast.pipeline import run_experiment  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "docs" / "results" / "ranges.md"
SHOWN = ("rnn", "dense")


def rows(seeds: int) -> list[str]:
    head = ("| series | test days | validation days | by month | model | "
            + " | ".join(f"{lv} % held | {lv} % width °C | {lv} % ACI" for lv in LEVELS) + " |")
    out = [head, "|" + "---|" * (5 + 3 * len(LEVELS))]
    notes = []
    for s in long_series():
        result = run_experiment(ds.load_sample(s["id"]), ExperimentConfig(seeds=seeds))
        iv = intervals_json(result)
        for m in SHOWN:
            cells = []
            for lv in LEVELS:
                c = iv[m][str(lv)]
                cells += [f"{100 * c['coverage']:.1f} ± {100 * c['coverage_se']:.1f} %",
                          f"{c['mean_width']:.2f}", f"{100 * c['adaptive_coverage']:.1f} %"]
                if "note" in c:
                    notes.append(f"- {s['id']}: {c['note']}")
            first = iv[m]["80"]
            out.append(f"| {s['id']} | {result.test_days} | {first['calibration_days']} | "
                       f"{'yes' if first['seasonal'] else 'no'} | {m} | " + " | ".join(cells)
                       + " |")
            print(out[-1], flush=True)
    return out + ([""] + notes if notes else [])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=ExperimentConfig().seeds)
    parser.add_argument("--write", action="store_true", help="write docs/results/ranges.md")
    args = parser.parse_args(argv)
    table = rows(args.seeds)
    text = "\n".join([
        "# Likely ranges: how often they held",
        "",
        f"Written by `python benchmarks/ranges.py --write` (the app's defaults, {args.seeds} "
        "seeds per network; the ranges are for the charted first seed's forecast). RNN = the "
        "RNN, dense = the memoryless network. ± is one standard error.",
        "",
        *table,
        "",
    ])
    if args.write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
