"""Tables for st.dataframe: metrics, parameter counts, run history."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .theme import model_label, ordered_models
from .units import to_display_delta


def _float(value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return math.nan
    return v if math.isfinite(v) else math.nan


def metrics_table(metrics: Mapping[str, Mapping[str, float]], units: str = "°C") -> pd.DataFrame:
    """One row per model, best (lowest MAE) first.

    Columns: Rank, Model, "MAE (°C)", "RMSE (°C)", "Bias (°C)" (errors converted as differences:
    ×9/5 for °F, no +32), "Skill vs persistence" in percent (12.3 means 12.3 % lower MAE than
    "tomorrow = today"). The model keys, in row order, are in `table.attrs["models"]`.
    """
    cols = [
        "Rank",
        "Model",
        f"MAE ({units})",
        f"RMSE ({units})",
        f"Bias ({units})",
        "Skill vs persistence",
    ]
    rows = []
    for key in ordered_models((metrics or {}).keys()):
        m = metrics[key] or {}
        rows.append(
            {
                "key": key,
                "Model": model_label(key),
                f"MAE ({units})": to_display_delta(_float(m.get("mae")), units),
                f"RMSE ({units})": to_display_delta(_float(m.get("rmse")), units),
                f"Bias ({units})": to_display_delta(_float(m.get("bias")), units),
                "Skill vs persistence": 100.0 * _float(m.get("skill")),
            }
        )
    if not rows:
        table = pd.DataFrame(columns=cols)
        table.attrs["models"] = []
        return table
    table = pd.DataFrame(rows)
    table = table.sort_values(f"MAE ({units})", kind="stable", na_position="last")
    table["Rank"] = table[f"MAE ({units})"].rank(method="min").astype("Int64")
    keys = list(table["key"])
    table = table[cols].reset_index(drop=True)
    for c in cols[2:5]:  # three decimals: close models must not read the same
        table[c] = table[c].astype(float).round(3)
    table["Skill vs persistence"] = table["Skill vs persistence"].astype(float).round(1)
    table.attrs["models"] = keys
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


_SETTINGS = {"Data": "data", "Window": "window", "Hidden": "hidden", "Activation": "activation",
             "LR": "lr", "Epochs": "epochs", "Seed": "seed"}  # column -> row key


def run_history_table(rows: Sequence[Mapping] | None, units: str = "°C") -> pd.DataFrame:
    """One row per training run: settings, the MAE of RNN / Dense / best baseline, the winner.

    Each row: {"run", "time", "data", "window", "hidden", "activation", "lr", "epochs", "seed"
    (ExperimentConfig's names), "mae": {"rnn": °C, "dense": °C}, "best_baseline_mae": °C,
    "winner": model key} — judged by forecast (ExperimentResult.winner / best_baseline), only
    shown here. MAE columns are in `units` (converted as differences).
    """
    cols = [
        "Run",
        "Time",
        *_SETTINGS,
        f"RNN MAE ({units})",
        f"Dense MAE ({units})",
        f"Best baseline MAE ({units})",
        "Winner",
    ]
    table = pd.DataFrame(
        [
            {
                "Run": int(row["run"]),
                "Time": str(row.get("time", "")),
                **{col: row.get(key) for col, key in _SETTINGS.items()},
                f"RNN MAE ({units})": to_display_delta(_float(row["mae"].get("rnn")), units),
                f"Dense MAE ({units})": to_display_delta(_float(row["mae"].get("dense")), units),
                f"Best baseline MAE ({units})": to_display_delta(
                    _float(row.get("best_baseline_mae")), units),
                "Winner": model_label(row["winner"]) if row.get("winner") else "none (a tie)",
            }
            for row in rows or []
        ],
        columns=cols,
    )
    for c in cols[9:12]:
        table[c] = table[c].astype(float).round(3)
    for c in ("Data", "Activation"):
        table[c] = table[c].map(lambda v: "" if pd.isna(v) else str(v)).astype(object)
    return table
