"""Bad inputs, limits and hardening through the real script (AppTest): every wrong input gets a
clear message, never a traceback, and the session stays usable afterwards (issue 7).

Meteostat flows run in a child Python process (``_network_flow``) because meteostat reads its
``MS_*`` settings once, at import, and those must point at a local server.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

import data_sources as ds
from tests.app.test_dashboard import APP, new_app, no_exceptions, train

ROOT = Path(APP).parent
CONFIG = ROOT / ".streamlit" / "config.toml"


# ------------------------------------------------------------------------------------ helpers


def texts(at: AppTest, *kinds: str) -> list[str]:
    """Every message of the given element kinds (default: error, warning, info, caption)."""
    kinds = kinds or ("error", "warning", "info", "caption", "success")
    return [str(e.value) for kind in kinds for e in at.get(kind)]


def shown(at: AppTest, *needles: str, kinds: tuple[str, ...] = ("error", "warning")) -> str:
    """The one message (of ``kinds``) containing every needle (case-insensitive)."""
    found = [t for t in texts(at, *kinds) if all(n.lower() in t.lower() for n in needles)]
    assert found, f"no {kinds} message with {needles}; shown: {texts(at)}"
    return found[0]


def all_markup(at: AppTest) -> str:
    """Everything the script sent to the page, as text (to look for reflected markup)."""
    return str(at._tree)  # noqa: SLF001 - the element tree is the only full view AppTest gives


def still_usable(at: AppTest) -> AppTest:
    """After a bad input: the default sample still loads and trains in the same session."""
    if at.session_state["source"] != "sample":
        at.sidebar.radio(key="source").set_value("sample").run()
    no_exceptions(at)
    runs = len(at.session_state["runs"])
    train(at, epochs=2, window=7, hidden_size=8, activation="tanh", learning_rate=0.01)
    no_exceptions(at)
    assert len(at.session_state["runs"]) == runs + 1, texts(at)
    assert math.isfinite(at.session_state["last_run"]["metrics"]["rnn"]["mae"])
    return at


def csv_bytes(days: int, start: str = "2020-01-01", temp=None) -> bytes:
    dates = pd.date_range(start, periods=days, freq="D")
    values = temp if temp is not None else 10 + 8 * np.sin(np.arange(days) / 58.0)
    frame = pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "temp": values})
    return frame.to_csv(index=False).encode()


def upload(at: AppTest, name: str, data: bytes, mime: str = "text/csv") -> AppTest:
    if at.session_state["source"] != "upload":
        at.sidebar.radio(key="source").set_value("upload").run()
    at.file_uploader(key="upload").upload(name, data, mime)
    return at.run()


# ------------------------------------------------------------------------------------ training


def test_learning_rate_one_with_relu_diverges_and_keeps_the_previous_run():
    # Checked first: these settings really do diverge on the default sample (the RNN's loss
    # becomes non-finite in epoch 1), so the app's handling is exercised, not assumed.
    at = train(new_app(), epochs=3)
    no_exceptions(at)
    good = at.session_state["last_run"]
    train(at, activation="relu", learning_rate=1.0, epochs=50)
    no_exceptions(at)
    message = shown(at, "diverged", "smaller learning rate", kinds=("error",))
    assert "infinite or NaN" in message and "previous results stay on screen" in message
    assert at.session_state["last_run"] is good  # the previous good run is still the one shown
    assert len(at.session_state["runs"]) == 1
    assert at.session_state["training"] is False
    assert len(at.get("vega_lite_chart")) >= 2  # its charts are still drawn
    # Training stopped at the first non-finite loss: the network is not trained on after it.
    still_usable(at)


def test_time_budget_ends_a_huge_run_and_keeps_the_best_weights(monkeypatch):
    monkeypatch.setenv("RNN_LAB_TRAINING_BUDGET_S", "2")
    at = new_app()
    span = lambda s: pd.Timestamp(s["end"]) - pd.Timestamp(s["start"])  # noqa: E731
    longest = max(ds.list_samples(), key=span)
    at.sidebar.selectbox(key="sample").set_value(longest["id"]).run()
    train(at, hidden_size=256, epochs=500)
    no_exceptions(at)
    run = at.session_state["last_run"]
    assert run is not None and run["settings"]["hidden_size"] == 256
    assert run["seconds"] < 30, run["seconds"]  # ~2 s budget + the epoch in progress + scoring
    assert "time budget" in run["reasons"]["rnn"]
    assert run["result"].train_info["rnn"]["epochs_run"] < 500
    assert math.isfinite(run["metrics"]["rnn"]["mae"])  # best weights kept, never NaN
    shown(at, "time budget", "best weights")

