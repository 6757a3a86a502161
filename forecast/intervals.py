"""Every model's forecast with a likely range (80 % and 95 %), and how often the ranges held.

Calibration: the validation days only (after the training days, before the test days). Each
model's absolute next-day errors there give its range's half-width by split conformal
prediction (forecast/conformal.py), so no test day touches a range. Multi-day forecasts get a
half-width per lead time, from the recursive forecasts made from every validation origin whose
k-th day still falls in the validation period (day 3's range is wider than day 1's). A network's
range is for the forecast the charts draw (its first seed's).

The validation days also chose each network's early-stopping epoch, so their errors are a
little smaller than fresh days' would be; and a validation period of another season than the
test period gives ranges of the wrong size. Coverage on the test days is therefore measured and
said, never assumed: overall, by season, as a rolling 60-day share, with adaptive (ACI) ranges
beside the fixed ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecast.conformal import adaptive_half_widths, coverage_se, half_width, inside
from forecast.models import NAMES
from forecast.recursive import recursive_forecasts

LEVELS = (80, 95)  # percent
ROLLING_DAYS = 60
SEASONS = {12: "Dec–Feb", 1: "Dec–Feb", 2: "Dec–Feb", 3: "Mar–May", 4: "Mar–May", 5: "Mar–May",
           6: "Jun–Aug", 7: "Jun–Aug", 8: "Jun–Aug", 9: "Sep–Nov", 10: "Sep–Nov", 11: "Sep–Nov"}
Z_OFF = 1.96  # coverage further than this many standard errors from nominal is "off"


SEASONAL_MIN_TRAIN_DAYS = 3 * 365  # training days before the misses' size is told by month
#   Measured (seed 0, RNN, share of test days inside the 80 % / 95 % range and mean width):
#   Chicago 2001-16 one size all year 86.4 % / 97.5 %, widths 9.4 / 16.6 °C -> by month
#   84.3 % / 95.8 %, 8.8 / 13.9 °C; Melbourne 80.4 / 93.8 %, 8.9 / 16.0 -> 77.4 / 92.3 %,
#   8.1 / 12.7. On two-year series the monthly sizes come from one or two months of training
#   days each and hurt (Beijing 77.8 % -> 87.0 % at 80 %), so there the size is one all year.


@dataclass(frozen=True)
class Ranges:
    """Conformal quantiles per model and level; coverage is measured from them on demand.

    A range's half-width on a day is its quantile times the model's size of miss for that
    day's calendar month (``scale``; all ones when the training days are too few to tell the
    months apart), so winter's ranges are wider than summer's where the weather is.
    """

    calibration_days: int  # validation days with a next-day truth
    seasonal: bool  # whether the half-widths follow the month
    scale: dict[str, np.ndarray]  # model -> (12,) size of its misses by month, mean 1
    quantile: dict[str, dict[int, float]]  # model -> level -> next-day quantile (× scale = °C)
    lead_quantile: dict[str, dict[int, np.ndarray]]  # model -> level -> (7,) by lead time
    adaptive: dict[str, dict[int, np.ndarray]]  # model -> level -> (test days,) ACI, °C

    def half_width(self, model: str, level: int, dates, lead: int = 1) -> np.ndarray:
        """°C half-widths of ``model``'s ``level`` % range on ``dates`` (forecast days)."""
        q = self.quantile[model][level] if lead == 1 else self.lead_quantile[model][level][
            lead - 1]
        return q * self.scale[model][pd.DatetimeIndex(dates).month.to_numpy() - 1]


def month_scale(abs_err: np.ndarray, dates, min_days: int = 10) -> np.ndarray:
    """(12,) mean |error| by calendar month, smoothed with the neighbouring months (1-2-1),
    divided by its mean; a month with fewer than ``min_days`` days takes the overall mean."""
    months = pd.DatetimeIndex(dates).month.to_numpy()
    ok = np.isfinite(abs_err)
    overall = float(np.mean(abs_err[ok]))
    per = np.array([float(np.mean(abs_err[ok & (months == k)]))
                    if (ok & (months == k)).sum() >= min_days else overall for k in range(1, 13)])
    smooth = (np.roll(per, 1) + 2 * per + np.roll(per, -1)) / 4  # December next to January
    return smooth / smooth.mean()


def build_ranges(runner, models: list[str]) -> Ranges:
    """Conformal quantiles of ``models`` from the runner's validation days (charted seed)."""
    tr, va, test = runner.split.train, runner.split.val, runner.split.test
    last_val_day = runner.ends[va[-1]] + runner.config.horizon  # index of the last val target
    forecasts, truth = recursive_forecasts(runner, va)  # (n_val, 7) each
    lead_day = runner.ends[va][:, None] + np.arange(1, truth.shape[1] + 1)[None, :]
    truth = np.where(lead_day <= last_val_day, truth, np.nan)  # never a test day
    day_month = pd.DatetimeIndex(runner.features.dates).month.to_numpy()  # (days,)
    lead_month = day_month[np.minimum(lead_day, len(day_month) - 1)]  # (n_val, 7)
    test_month = pd.DatetimeIndex(runner.target_dates[test]).month.to_numpy()
    seasonal = len(tr) >= SEASONAL_MIN_TRAIN_DAYS
    scale, quantile, lead, adaptive = {}, {}, {}, {}
    for m in models:
        scale[m] = (month_scale(np.abs(runner._levels(m, tr) - runner.actual[tr]),
                                runner.target_dates[tr]) if seasonal else np.ones(12))
        # scores in units of the month's size of miss: (n_val, 7), NaN beyond the val days
        scores = np.abs(forecasts[m] - truth) / scale[m][lead_month - 1]
        lead[m] = {lv: np.array([half_width(scores[:, k], 1 - lv / 100)
                                 for k in range(scores.shape[1])]) for lv in LEVELS}
        quantile[m] = {lv: float(lead[m][lv][0]) for lv in LEVELS}
        test_scores = np.abs(runner._levels(m, test) - runner.actual[test]) / scale[m][
            test_month - 1]
        adaptive[m] = {lv: adaptive_half_widths(scores[:, 0], test_scores, 1 - lv / 100)
                       * scale[m][test_month - 1] for lv in LEVELS}
    return Ranges(calibration_days=int(np.isfinite(truth[:, 0]).sum()), seasonal=seasonal,
                  scale=scale, quantile=quantile, lead_quantile=lead, adaptive=adaptive)


def band_on_test_days(result, model: str, level: int, adaptive: bool = False) -> pd.DataFrame:
    """Per test day: forecast, low, high, actual, inside (the charted seed's forecast)."""
    pred = result.predictions
    half = (result.ranges.adaptive[model][level] if adaptive
            else result.ranges.half_width(model, level, pred.index))
    f, y = pred[model].to_numpy(float), pred["actual"].to_numpy(float)
    return pd.DataFrame({"forecast": f, "low": f - half, "high": f + half, "actual": y,
                         "inside": inside(y, f, half)}, index=pred.index)


def future_band(result, model: str, level: int) -> pd.DataFrame:
    """The days after the data: forecast, low, high by lead time."""
    f = result.future[model].to_numpy(float)
    r, dates = result.ranges, result.future.index
    half = np.array([r.half_width(model, level, dates[k:k + 1], lead=k + 1)[0]
                     for k in range(len(f))])
    return pd.DataFrame({"forecast": f, "low": f - half, "high": f + half},
                        index=result.future.index)


def coverage(result, model: str, level: int, adaptive: bool = False) -> dict:
    """How the range did on the test days: share inside, its standard error, mean width, the
    share by season and whether it is off by more than sampling error (with words)."""
    band = band_on_test_days(result, model, level, adaptive)
    hits = band["inside"].to_numpy()
    nominal = level / 100
    share = float(hits.mean())
    se = coverage_se(hits, nominal, result.ranges.calibration_days)
    width = band["high"] - band["low"]
    by_season = band["inside"].groupby(band.index.month.map(SEASONS)).agg(["mean", "size"])
    off = abs(share - nominal) > Z_OFF * se
    return {"coverage": share, "se": se, "mean_width": float(width.mean()),
            "by_season": {s: {"coverage": float(r["mean"]), "days": int(r["size"])}
                          for s, r in by_season.iterrows()},
            "off": bool(off), "words": coverage_words(model, level, share, se, off, adaptive)}


def coverage_words(model: str, level: int, share: float, se: float, off: bool,
                   adaptive: bool = False) -> str:
    kind = "adaptive " if adaptive else ""
    held = (f"{NAMES[model][0].upper()}{NAMES[model][1:]}'s {kind}{level} % range held on "
            f"{100 * share:.0f} % of test days")
    if not off:
        return f"{held}, as expected within sampling error (±{200 * se:.0f} points)."
    if share < level / 100:
        return (f"{held} — fewer than sampling error allows: the test period was less "
                "predictable than the validation period the range was set on.")
    return (f"{held} — more than sampling error allows: the test period was calmer than the "
            "validation period, so the range is wider than it needed to be.")


def rolling_coverage(result, model: str, level: int, days: int = ROLLING_DAYS,
                     adaptive: bool = False) -> pd.Series:
    """The share of the last ``days`` test days inside the range (from day ``days`` on)."""
    hits = band_on_test_days(result, model, level, adaptive)["inside"].astype(float)
    return hits.rolling(days, min_periods=min(days, len(hits))).mean().dropna()


def _num(x: float, digits: int) -> float | None:
    return round(float(x), digits) if np.isfinite(x) else None  # inf: too few calibration days


def intervals_json(result) -> dict:
    """model -> "80" / "95" -> coverage, mean_width, tomorrow {low, high}, adaptive coverage,
    the calibration days, and a note when coverage is off by more than sampling error."""
    out: dict = {}
    for m in result.ranges.quantile:
        out[m] = {}
        for lv in LEVELS:
            c = coverage(result, m, lv)
            a = coverage(result, m, lv, adaptive=True)
            days = future_band(result, m, lv)
            day1 = days.iloc[0]
            out[m][str(lv)] = {
                "coverage": round(c["coverage"], 4), "mean_width": _num(c["mean_width"], 4),
                "tomorrow": {"low": _num(day1["low"], 2), "high": _num(day1["high"], 2)},
                "half_width_by_lead": [_num(x, 3) for x in (days["high"] - days["low"]) / 2],
                "coverage_se": round(c["se"], 4),
                "calibration_days": result.ranges.calibration_days,
                "seasonal": result.ranges.seasonal,
                "adaptive_coverage": round(a["coverage"], 4),
                "adaptive_mean_width": _num(a["mean_width"], 4),
                **({"note": c["words"]} if c["off"] else {}),
            }
    return out
