"""The verdict: one sentence that never claims more than the intervals show, and the winner.

The sentence names the target, the test period and its number of days; compares the RNN with
its strongest rival (the available model with the lowest MAE besides it), then with the
memoryless network (the question the lab asks), then with persistence (the bar any forecast
must clear) — each as better, worse, or "could not be told apart" from forecast/compare.py's
95 % intervals. Unavailable baselines are never named, ranked or a winner.
"""

from __future__ import annotations

import numpy as np

from forecast.compare import block_indices, compare
from forecast.models import NAMES, NETWORKS, target_name

TIE = "could not be told apart"


def abs_errors(result) -> dict[str, np.ndarray]:
    """Available model -> (seeds, test days) absolute errors (°C); one row for a baseline."""
    actual = result.predictions["actual"].to_numpy()
    out = {}
    for m in result.models:
        preds = result.seed_predictions.get(m)
        preds = np.asarray(preds) if preds is not None else result.predictions[m].to_numpy()[None]
        out[m] = np.abs(preds - actual[None, :])
    return out


def winner(result) -> str | None:
    """The model with the lowest MAE when its interval against every other available model
    lies below zero; None when the best cannot be told apart from some other model (a tie)."""
    models = result.models
    best = min(models, key=result.mae)
    errors = abs_errors(result)
    idx = block_indices(result.test_days)
    for m in models:
        if m == best:
            continue
        if m == "rnn" and best in result.comparison:  # already computed, RNN minus best
            if result.comparison[best]["verdict"] != "worse":
                return None
        elif compare(errors[best], errors[m], idx,
                     networks=best in NETWORKS and m in NETWORKS)["verdict"] != "better":
            return None
    return best


def per_degree(units: str) -> float:
    """A difference of 1 °C in ``units``: 1.8 °F (a difference, so no +32), else 1."""
    return 1.8 if units == "°F" else 1.0


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def sentence(result, units: str = "°C") -> str:
    """Plain English, one sentence; units "°F" states errors in Fahrenheit degrees (× 9/5)."""
    if units not in ("°C", "°F"):
        raise ValueError(f"units must be '°C' or '°F', got {units!r}")
    k = per_degree(units)

    def deg(x: float) -> str:
        return f"{k * x:.3f} {units}"

    def interval(c: dict) -> str:
        if c.get("reason"):  # one repeat: no interval can separate two networks
            return str(c["reason"])
        return (f"RNN minus it {k * c['diff']:+.3f} {units}, 95 % interval "
                f"{k * c['low']:+.3f} to {k * c['high']:+.3f}")

    a, b = result.split["test"]
    n_seeds = result.seeds
    rnn_mae = deg(result.mae("rnn"))
    if n_seeds > 1:
        rnn_mae = (f"{k * result.mae('rnn'):.3f} ± {k * result.metrics['rnn']['mae_sd']:.3f} "
                   f"{units} over {n_seeds} seeds")
    head = (f"Forecasting the {target_name(result.target)} on the {result.test_days} test days "
            f"{a.date()} to {b.date()}, ")
    rivals = [m for m in result.models if m != "rnn"]
    rival = min(rivals, key=result.mae)
    c = result.comparison[rival]
    gap = abs(c["diff"])
    rival_label = ("the best other model, " if rival != "dense" else "") + NAMES[rival]
    if c["verdict"] == "tie":
        comma = "," if rival != "dense" else ""
        main = (f"the RNN (MAE {rnn_mae}) and {rival_label} ({deg(result.mae(rival))}){comma} "
                f"{TIE} ({interval(c)})")
    elif c["verdict"] == "better":
        won = "won" if winner(result) == "rnn" else "came first"  # "won": better than every one
        main = (f"the RNN {won}: its MAE of {rnn_mae} beat {rival_label} "
                f"({deg(result.mae(rival))}) by {deg(gap)} ({interval(c)})")
    else:
        main = (f"{NAMES[rival]} beat the RNN: {deg(result.mae(rival))} against the RNN's "
                f"{rnn_mae}, by {deg(gap)} ({interval(c)})")

    def versus(m: str, note: str = "") -> str:
        cm = result.comparison[m]
        where = f"against {NAMES[m]} ({deg(result.mae(m))}){note}, "
        if cm["verdict"] == "tie":
            why = f" ({cm['reason']})" if cm.get("reason") else ""
            return (f"the RNN and {NAMES[m]} ({deg(result.mae(m))}){note}{',' if note else ''} "
                    f"{TIE}{why}")
        word = "better" if cm["verdict"] == "better" else "worse"
        return where + f"the RNN was {word} by {deg(abs(cm['diff']))}"

    extra = []
    if rival != "dense" and "dense" in result.comparison:
        extra.append(versus("dense"))
    if rival != "persistence":
        extra.append(versus("persistence", ", the bar any forecast must clear"))
    elif c["verdict"] != "better":
        main += ", so the RNN did not clear persistence, the bar any forecast must clear"
    return _cap(head + main + ("; " + "; ".join(extra) if extra else "")) + "."


def network_seed_note(result) -> str:
    """Which forecast the charts draw, for a caption beside them."""
    if result.seeds == 1:
        return f"Charts show the networks trained with {result.charted}."
    others = ", ".join(f"{NAMES[m]} " + " / ".join(f"{x:.3f}" for x in result.seed_mae[m])
                       for m in NETWORKS if m in result.seed_mae)
    return (f"Scores are means over {result.seeds} seeds; the charts draw the networks trained "
            f"with {result.charted} (MAE per seed, °C: {others}).")
