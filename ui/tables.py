"""Tables for st.dataframe: metrics, parameter counts, run history."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ._frames import finite_or_nan
from .theme import model_label, ordered_models
from .units import to_display_delta

NETWORK_KEYS = ("rnn", "dense", "dense_window")  # the models trained with repeats (seeds)


def metrics_table(metrics: Mapping[str, Mapping], units: str = "°C") -> pd.DataFrame:
    """One row per model: ranked models best (lowest MAE) first, unavailable ones last.

    Columns: Rank, Model, "MAE (°C)" (the mean over the seeds), "± sd (°C)" (the spread of a
    network's MAE over its seeds; empty for a baseline, which has no seed), "RMSE (°C)",
    "Bias (°C)" (errors converted as differences: ×9/5 for °F, no +32), "Skill vs persistence"
    in percent (12.3 means 12.3 % lower MAE than "tomorrow = today"), and "Note": for a baseline
    that could not be fitted honestly ({"available": False, "reason": ...}) "not available:
    <reason>" — such a row has no numbers and no rank. The model keys, in row order, are in
    `table.attrs["models"]`.
    """
    cols = [
        "Rank",
        "Model",
        f"MAE ({units})",
        f"± sd ({units})",
        f"RMSE ({units})",
        f"Bias ({units})",
        "Skill vs persistence",
        "Note",
    ]
    rows = []
    for key in ordered_models((metrics or {}).keys()):
        m = metrics[key] or {}
        available = m.get("available", True) is not False and "mae" in m
        rows.append(
            {
                "key": key,
                "Model": model_label(key),
                f"MAE ({units})": to_display_delta(finite_or_nan(m.get("mae")), units),
                f"± sd ({units})": to_display_delta(finite_or_nan(m.get("mae_sd")), units)
                if key in NETWORK_KEYS else math.nan,  # a baseline has no seeds to spread
                f"RMSE ({units})": to_display_delta(finite_or_nan(m.get("rmse")), units),
                f"Bias ({units})": to_display_delta(finite_or_nan(m.get("bias")), units),
                "Skill vs persistence": 100.0 * finite_or_nan(m.get("skill")),
                "Note": "" if available else f"not available: {m.get('reason', 'no reason given')}",
                "_ranked": available,
            }
        )
    if not rows:
        table = pd.DataFrame(columns=cols)
        table.attrs["models"] = []
        return table
    table = pd.DataFrame(rows)
    for c in cols[2:7]:  # an unavailable baseline shows no number at all
        table.loc[~table["_ranked"], c] = math.nan
    table = table.sort_values(["_ranked", f"MAE ({units})"], ascending=[False, True],
                              kind="stable", na_position="last")
    table["Rank"] = table[f"MAE ({units})"].where(table["_ranked"]).rank(method="min")
    table["Rank"] = table["Rank"].astype("Int64")  # <NA>: never ranked
    keys = list(table["key"])
    table = table[cols].reset_index(drop=True)
    for c in cols[2:6]:  # three decimals: close models must not read the same
        table[c] = table[c].astype(float).round(3)
    table["Skill vs persistence"] = table["Skill vs persistence"].astype(float).round(1)
    table.attrs["models"] = keys
    return table


VERDICT_WORDS = {"better": "better", "worse": "worse", "tie": "tie (could not be told apart)"}


def comparison_table(comparison: Mapping[str, Mapping], units: str = "°C",
                     unavailable: Mapping[str, str] | None = None) -> pd.DataFrame:
    """"RNN against each model": one row per other model, in the app's model order.

    comparison: model -> {"diff", "low", "high", "verdict"} — the RNN's MAE minus that model's
    (°C, negative = the RNN's errors were smaller) with its 95 % interval, judged by forecast
    (forecast/compare.py). Differences convert by ×9/5 for °F. Columns: Model, "RNN − model
    MAE (°C)", "95 % interval (°C)" as "low to high", "RNN is" (better / worse / tie).
    ``unavailable`` (model -> reason) adds a row "not compared" for each baseline that could not
    be fitted.
    """
    diff_col, int_col = f"RNN − model MAE ({units})", f"95 % interval ({units})"
    cols = ["Model", diff_col, int_col, "RNN is"]
    rows = []
    for key in ordered_models([*(comparison or {}), *(unavailable or {})]):
        c = (comparison or {}).get(key)
        if c is None:
            rows.append({"Model": model_label(key), diff_col: math.nan, int_col: "",
                         "RNN is": "not compared (baseline not available)"})
            continue
        low, high = (to_display_delta(finite_or_nan(c[k]), units) for k in ("low", "high"))
        rows.append({"Model": model_label(key),
                     diff_col: round(float(to_display_delta(finite_or_nan(c["diff"]), units)), 3),
                     int_col: f"{low:+.3f} to {high:+.3f}",
                     "RNN is": c.get("reason")  # one repeat: "cannot tell — use 2 or more"
                     or VERDICT_WORDS.get(str(c.get("verdict")), str(c.get("verdict")))})
    table = pd.DataFrame(rows, columns=cols)
    table[diff_col] = table[diff_col].astype(float)
    return table


def _shape(value) -> tuple[int, ...]:
    if hasattr(value, "shape"):
        return tuple(int(s) for s in value.shape)
    if isinstance(value, int | np.integer):
        return (int(value),)
    return tuple(int(s) for s in value)


def _count(shape: tuple[int, ...]) -> int:
    return int(np.prod(shape)) if shape else 1


_ROLE = {
    "rnn": {
        "W_i": "every step (shared)",
        "W_h": "every step (shared)",
        "b_h": "every step (shared)",
        "W_o": "once, at the last step",
        "b_o": "once, at the last step",
    },
}


def parameter_table(
    rnn_params: Mapping | None,
    dense_params: Mapping | None,
    dense_window_params: Mapping | None,
    window: int,
) -> pd.DataFrame:
    """Weights of the three networks, their shapes and counts, and the total per network.

    Each params argument maps a weight name to an array or a shape (None skips the network).
    The column "Count if window doubled" shows that the RNN's count does not depend on the
    window (W_i, W_h, b_h are reused at every step) while the windowed dense network's first
    layer grows with it (one row of W_i per input per day).
    """
    window = int(window)
    cols = ["Model", "Weight", "Shape", "Count", "Used at every step?", "Count if window doubled"]
    rows: list[dict] = []
    nets = (("rnn", rnn_params), ("dense", dense_params), ("dense_window", dense_window_params))
    for key, params in nets:
        if not params:
            continue
        label = model_label(key)
        total = doubled_total = 0
        first_matrix = True
        for name, value in params.items():
            shape = _shape(value)
            count = _count(shape)
            doubled = count
            if key == "rnn":
                role = _ROLE["rnn"].get(name, "every step (shared)")
            elif key == "dense":
                role = "once (today's inputs only)"
            else:
                role = "once (the whole window, flattened)"
                # its first layer has one row per input per day of the window
                if first_matrix and len(shape) == 2 and shape[0] % max(window, 1) == 0:
                    doubled = count * 2
            if len(shape) == 2:
                first_matrix = False
            total += count
            doubled_total += doubled
            rows.append(
                {
                    "Model": label,
                    "Weight": name,
                    "Shape": " × ".join(str(s) for s in shape) if shape else "scalar",
                    "Count": count,
                    "Used at every step?": role,
                    "Count if window doubled": doubled,
                }
            )
        rows.append(
            {
                "Model": label,
                "Weight": "total",
                "Shape": "",
                "Count": total,
                "Used at every step?": "",
                "Count if window doubled": doubled_total,
            }
        )
    table = pd.DataFrame(rows, columns=cols)
    table["Count"] = table["Count"].astype("int64")
    table["Count if window doubled"] = table["Count if window doubled"].astype("int64")
    return table


_SETTINGS = {"Data": "data", "Target": "target", "Period": "period", "Inputs": "inputs",
             "Window": "window", "Hidden": "hidden", "Activation": "activation", "LR": "lr",
             "Epochs": "epochs", "Seed": "seed", "Repeats": "seeds"}  # column -> row key
_HISTORY_MODELS = ("rnn", "dense", "dense_window", "persistence", "climatology", "linear")


def _mae_text(value, units: str) -> str:
    v = finite_or_nan(value)
    return "n/a" if math.isnan(v) else f"{to_display_delta(v, units):.3f}"


def run_history_table(rows: Sequence[Mapping] | None, units: str = "°C") -> pd.DataFrame:
    """One row per training run, enough to audit two runs against each other.

    Each row: {"run", "time", "data" (a readable label), "target", "period" ("first – last"),
    "inputs" (names, comma-separated), "window", "hidden", "activation", "lr", "epochs", "seed",
    "seeds" (ExperimentConfig's names), "mae": {model: °C, or None when that baseline was not
    available}, "winner": model key or None (a tie)} — judged by forecast
    (ExperimentResult.winner), only shown here. Every model's MAE is a column, as text with
    three decimals in `units` (converted as a difference), "n/a" when unavailable; "Verdict" is
    the winner's name or "tie".
    """
    mae_cols = {m: f"{model_label(m)} MAE ({units})" for m in _HISTORY_MODELS}
    cols = ["Run", "Time", *_SETTINGS, *mae_cols.values(), "Verdict"]
    table = pd.DataFrame(
        [
            {
                "Run": int(row["run"]),
                "Time": str(row.get("time", "")),
                **{col: row.get(key) for col, key in _SETTINGS.items()},
                **{col: _mae_text((row.get("mae") or {}).get(m), units)
                   for m, col in mae_cols.items()},
                "Verdict": model_label(row["winner"]) if row.get("winner") else "tie",
            }
            for row in rows or []
        ],
        columns=cols,
    )
    for c in ("Data", "Target", "Period", "Inputs", "Activation"):
        table[c] = table[c].map(lambda v: "" if v is None or v is pd.NA or v != v
                                else str(v)).astype(object)
    return table
