"""Training that failed, named: a warning with the likely cause and what to try.

Three symptoms, judged per network over its seeds:

- ``diverged``: a loss went non-finite (NaN or inf) — nearly always a learning rate too high;
- ``did_not_learn``: the validation error ended no better than persistence ("tomorrow =
  today", which needs no training at all), or no better (by 5 %) than the same network's before
  training — its loss never fell;
- ``copies_today``: the forecasts are almost exactly today's value — it learned "no change".

The likely cause is read from the settings and the network's state: a learning rate of 0.1 or
more makes Adam overshoot on these small networks (the default 0.01 trains them), 0.0003 or less
moves the weights too little in the epochs given, and hidden units stuck at their limits
(tanh/sigmoid near ±1/0/1, relu units that never fire) pass no gradient back.
"""

from __future__ import annotations

import numpy as np

from forecast.models import NAMES
from forecast.verdict import per_degree

HIGH_LR = 0.1  # Adam at or above this overshoots on these networks (0.01 is the default)
LOW_LR = 3e-4  # at or below this, a few dozen epochs move the weights too little
SATURATED = 0.5  # share of saturated hidden values above which saturation is named
BIG_HIDDEN = 64  # above the default 32: a network this wide may fit noise before it learns
COPY_GAP_C = 0.05  # °C: forecasts closer than this to today's value on average copy it


def saturation(H: np.ndarray, activation: str) -> float:
    """Share of hidden values stuck where the activation is flat. H: (..., hidden)."""
    return Saturation(activation).add(H).share()


class Saturation:
    """``saturation`` over hidden values that arrive a chunk at a time, so a whole split's
    per-step states never need to be held at once. Counts are exact: the share is the same
    whichever way the values are chunked."""

    def __init__(self, activation: str):
        self.activation = activation
        self.stuck = 0  # values at a flat end (tanh, sigmoid)
        self.total = 0
        self.dead: np.ndarray | None = None  # relu: per unit, never fired so far

    def add(self, H: np.ndarray) -> Saturation:
        H = np.asarray(H, dtype=float)
        if self.activation == "relu":
            dead = np.all(H.reshape(-1, H.shape[-1]) <= 0, axis=0)
            self.dead = dead if self.dead is None else self.dead & dead
        elif self.activation == "tanh":
            self.stuck += int(np.count_nonzero(np.abs(H) > 0.99))
        else:  # sigmoid
            self.stuck += int(np.count_nonzero((H < 0.01) | (H > 0.99)))
        self.total += H.size
        return self

    def share(self) -> float:
        if self.activation == "relu":
            return float(np.mean(self.dead)) if self.dead is not None else float("nan")
        return self.stuck / self.total if self.total else float("nan")


def stopped_early(info: dict) -> bool:
    """Early stopping ended every seed's training: more epochs would not change the result."""
    reasons = [str(r or "") for r in info.get("stop_reason") or []]
    return bool(reasons) and all(r.startswith("early stopping") for r in reasons)


def _cause(cfg, info: dict) -> str:
    """The likely cause and what to try, as whole sentences. "More epochs" is offered only when
    training did not end by early stopping (then the validation error had stopped improving,
    and the page says so beside it)."""
    lr = cfg.lr
    early = stopped_early(info)
    if lr >= HIGH_LR:
        return (f"Likely cause: the learning rate ({lr:g}) is too high, so the steps overshoot. "
                "Try 0.01 (the default) or lower.")
    if info["saturated"] > SATURATED:
        return (f"Likely cause: {100 * info['saturated']:.0f} % of its hidden values are "
                f"saturated ({cfg.activation} at its limits), so little gradient flows back. "
                "Try a smaller learning rate or hidden size, or tanh.")
    if lr <= LOW_LR:
        return (f"Likely cause: the learning rate ({lr:g}) is too low, so the weights barely "
                "moved. Try 0.01 (the default)" + ("." if early else " or more epochs."))
    if early:
        tries = "Another seed, a smaller hidden size or a different window" \
            if cfg.hidden > BIG_HIDDEN else "Another seed or a different window"
        return ("No setting stands out as the cause: on some series little beyond today's "
                f"value can be predicted. {tries} may help; more epochs would not, as early "
                "stopping ended training.")
    return ("No setting stands out as the cause: on some series little beyond today's value "
            "can be predicted. Another seed, a different window or more epochs may help.")


def _braces(text: str) -> str:
    """Free text made safe inside a str.format template."""
    return text.replace("{", "{{").replace("}", "}}")


def _warning(model: str, kind: str, template: str, **degrees: float) -> dict:
    """A warning whose temperatures (differences, in °C) are kept as numbers beside the text,
    so the page can say them in the reader's unit (``warning_message``); "message" is °C."""
    return {"model": model, "kind": kind, "template": template, "degrees": degrees,
            "message": warning_message({"template": template, "degrees": degrees}, "°C")}


def warning_message(warning: dict, units: str = "°C") -> str:
    """The warning in words, its temperature differences in ``units`` at two decimals."""
    if "template" not in warning:  # a warning kept before templates (a stored run)
        return str(warning.get("message", ""))
    scale = per_degree(units)  # a difference: no +32
    return warning["template"].format(**{k: f"{scale * v:.2f} {units}"
                                         for k, v in warning["degrees"].items()})


def training_warnings(cfg, diagnostics: dict[str, dict]) -> list[dict]:
    """[{"model", "kind", "message", "template", "degrees"}] for every network whose training
    failed, in MODELS order ("message" in °C; ``warning_message`` in another unit).

    diagnostics: network -> val_mae (per seed, °C), persistence_val_mae, copy_gap (per seed,
    °C), diverged, improved (per seed), saturated (share) — see ExperimentRunner._diagnostics.
    """
    out = []
    for model, info in diagnostics.items():
        name = NAMES[model]
        label = name[0].upper() + name[1:]
        n = len(info["val_mae"])
        of = f" ({sum(info['diverged'])} of {n} seeds)" if n > 1 else ""
        if any(info["diverged"]):
            out.append(_warning(model, "diverged",
                                f"{label}'s training diverged{of}: the loss became non-finite, "
                                f"so it kept its last good weights. {_braces(_cause(cfg, info))}"))
            continue
        val, p_val = float(np.mean(info["val_mae"])), info["persistence_val_mae"]
        if val >= p_val or not any(info["improved"]):
            why = ("its validation error ({val}) ended no better than persistence ({p_val})"
                   if val >= p_val else "its validation loss never fell")
            out.append(_warning(model, "did_not_learn",
                                f"{label} did not learn: {why}. {_braces(_cause(cfg, info))}",
                                val=val, p_val=p_val))
            continue
        gap = float(np.mean(info["copy_gap"]))
        if gap < COPY_GAP_C:
            out.append(_warning(model, "copies_today",
                                f"{label}'s forecasts are almost exactly today's value (they "
                                "differ by {gap} on average): it learned to predict no change. "
                                "A smaller hidden size or learning rate, or another seed, "
                                "usually gets it unstuck.", gap=gap))
    return out
