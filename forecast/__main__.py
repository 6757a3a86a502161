"""CLI: run the experiment on a bundled sample or a CSV and print the scores.

    python -m forecast --sample seattle-2012-2015
    python -m forecast --csv my_city.csv --window 21 --seeds 5 --json
    python -m forecast --sample chicago-2001-2016 --backtest 5   # 5 rolling-origin folds
    python -m forecast --sample seattle-2012-2015 --no-season    # not told the date

--json prints one object: config, n_days, split, target, test_days, seeds, metrics (mean over
seeds with mae_sd; {"available": false, "reason"} for a baseline that cannot be fitted),
train, comparison (RNN minus each other available model: diff, low, high, verdict, and "reason"
when one repeat cannot tell two networks apart), warnings, the verdict sentence, and intervals:
per model and level ("80", "95") the conformal range's coverage on the test days, mean_width,
tomorrow {low, high}, half_width_by_lead (the next 7 days), seasonal (widths by month), the
adaptive (ACI) coverage, and a note when the coverage is off by more than sampling error
(forecast/intervals.py).

Bad input exits with status 2 and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys

from forecast.config import ExperimentConfig
from forecast.errors import ForecastError
from forecast.models import MODELS

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, status 2 (argparse's default prints the usage too)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def parse_args(argv=None) -> argparse.Namespace:
    d = ExperimentConfig()
    p = _Parser(prog="python -m forecast",
                description="Train the from-scratch RNN on daily weather and compare it with a "
                            "memoryless network and baselines (next-day forecast).")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--csv", metavar="FILE", help="a daily weather CSV (date, temp, ...)")
    src.add_argument("--sample", metavar="ID", help="a bundled sample, e.g. seattle-2012-2015")
    unit = p.add_mutually_exclusive_group()
    unit.add_argument("--fahrenheit", dest="fahrenheit", action="store_true", default=None,
                      help="the CSV's temperatures are °F (default: judged from the values; "
                           "a file plausible in both scales must say which)")
    unit.add_argument("--celsius", dest="fahrenheit", action="store_false",
                      help="the CSV's temperatures are °C")
    p.add_argument("--target", default=None, help="column to forecast (default: temp, else tmax)")
    p.add_argument("--window", type=int, default=d.window, help="days per input window")
    p.add_argument("--hidden", type=int, default=d.hidden, help="hidden units")
    p.add_argument("--activation", default=d.activation, help="tanh, sigmoid or relu")
    p.add_argument("--lr", type=float, default=d.lr, help="learning rate")
    p.add_argument("--epochs", type=int, default=d.epochs, help="maximum training epochs")
    p.add_argument("--seed", type=int, default=d.seed, help="random seed (of the first repeat)")
    p.add_argument("--seeds", type=int, default=d.seeds,
                   help="repeats: each network is trained with seeds seed .. seed+K-1")
    p.add_argument("--no-season", dest="season", action="store_false",
                   help="do not feed the day of year (sine/cosine): temperature (and nothing "
                        "about the date) is the only input — the calendar experiment")
    p.add_argument("--json", action="store_true", help="print exactly one JSON object")
    p.add_argument("--backtest", type=int, metavar="K", default=None,
                   help="rolling-origin backtest: K folds, each trained only on earlier days")
    return p.parse_args(argv)


def load(args: argparse.Namespace):
    """The DataFrame to run on; data_sources is imported here only (forecast never needs it)."""
    import data_sources as ds

    try:
        if args.sample:
            return ds.load_sample(args.sample)
        return ds.read_csv(args.csv, fahrenheit=args.fahrenheit)
    except ds.DataError as e:
        hint = " Pass --fahrenheit or --celsius." if getattr(e, "ask_fahrenheit", False) else ""
        raise ForecastError(f"{e}{hint}") from e


def table(result) -> str:
    cfg = result.config
    lines = [
        f"target {cfg.target}, inputs {', '.join(cfg.inputs)}; window {cfg.window}, "
        f"hidden {cfg.hidden}, {cfg.activation}, lr {cfg.lr}",
        f"{result.n_days} days ({result.filled_days} filled), {result.n_windows} windows; "
        + "; ".join(f"{k} {a.date()}..{b.date()}" for k, (a, b) in result.split.items()),
        "",
        f"test: {result.test_days} days; scores are means over {result.seeds} seed(s), charts "
        f"would draw {result.charted}; RNN − model: MAE difference, 95 % interval",
        "",
        f"{'model':<14}{'MAE °C':>8}{'± sd':>7}{'RMSE':>8}{'bias':>8}{'skill':>8}"
        f"  {'RNN − model [95 % interval]':<34}{'epochs':>6}{'sec':>7}",
    ]
    for m in MODELS:
        s, info = result.metrics[m], result.train_info.get(m)
        if not result.available(m):
            lines.append(f"{m:<14}unavailable: {s['reason']}")
            continue
        c = result.comparison.get(m)
        vs = (f"{c['diff']:+.3f} [{c['low']:+.3f}, {c['high']:+.3f}] {c['verdict']:<6}" if c
              else "")
        extra = f"{info['epochs_run']:>6}{info['seconds']:>7.2f}" if info else ""
        lines.append(f"{m:<14}{s['mae']:>8.3f}{s['mae_sd']:>7.3f}{s['rmse']:>8.3f}"
                     f"{s['bias']:>+8.3f}{s['skill']:>+8.3f}  {vs:<34}{extra}")
    lines += ["", result.verdict(), "", *ranges_lines(result)]
    lines += [f"warning ({w['model']}, {w['kind']}): {w['message']}" for w in result.warnings]
    return "\n".join(lines + result.notes)


def ranges_lines(result) -> list[str]:
    """The likely ranges: coverage on the test days and mean width per model and level."""
    from forecast.intervals import LEVELS, coverage, future_band

    if result.ranges is None:
        return []
    lines = [f"likely ranges (split conformal on {result.ranges.calibration_days} validation "
             "days): share of test days inside, mean width °C, adaptive (ACI) share; tomorrow"]
    for m in result.ranges.quantile:
        cells = []
        for lv in LEVELS:
            c, a = coverage(result, m, lv), coverage(result, m, lv, adaptive=True)
            day1 = future_band(result, m, lv).iloc[0]
            cells.append(f"{lv} %: {100 * c['coverage']:5.1f} % {c['mean_width']:5.2f} "
                         f"(ACI {100 * a['coverage']:5.1f} %) [{day1['low']:.1f}, "
                         f"{day1['high']:.1f}]")
        lines.append(f"{m:<14}" + "   ".join(cells))
    return lines + [coverage(result, m, lv)["words"] for m in result.ranges.quantile
                    for lv in LEVELS if coverage(result, m, lv)["off"]]


def main(argv=None) -> int:
    args = parse_args(argv)
    from forecast.pipeline import run_experiment

    try:
        df = load(args)
        cfg = ExperimentConfig(target=args.target, window=args.window, hidden=args.hidden,
                               activation=args.activation, lr=args.lr, epochs=args.epochs,
                               seed=args.seed, seeds=args.seeds, season=args.season)
        if args.backtest is not None:
            return _backtest(df, cfg, args)
        result = run_experiment(df, cfg)
    except ForecastError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(json.dumps(result.to_json_dict()) if args.json else table(result))
    return 0


def _backtest(df, cfg: ExperimentConfig, args: argparse.Namespace) -> int:
    from forecast.backtest import backtest, backtest_json, report

    folds = backtest(df, cfg, args.backtest)
    print(json.dumps(backtest_json(folds)) if args.json else report(folds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
