"""Shared by the AppTest tests: open the real script, train, read what the page showed, upload a
file, check that a session is still usable after a bad input."""

from __future__ import annotations

import math
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.helpers.weather import csv_bytes  # noqa: F401 — the AppTest modules upload it

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")
CONFIG = ROOT / ".streamlit" / "config.toml"
TIMEOUT = 120  # training runs inside the script; the machine is small and shared


def new_app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def metrics_of(at: AppTest) -> dict:
    return at.session_state["last_run"].metrics


def train(at: AppTest, **settings) -> AppTest:
    for key, value in settings.items():
        widget = at.sidebar.get("slider") + at.sidebar.get("select_slider") + \
            at.sidebar.get("selectbox") + at.sidebar.get("number_input") + at.sidebar.get("radio")
        match = [w for w in widget if w.key == key]
        assert match, f"no widget with key {key!r}"
        match[0].set_value(value)
    at.run()
    at.button(key="train").click().run()
    return at


def reveal(at: AppTest, key: str, value: object = True) -> AppTest:
    """Open a panel built only when shown (app/lazy.py): an expander (True) or a result tab
    (its label, e.g. "Errors"), then rerun as the click would."""
    at.session_state[key] = value
    return at.run()


def texts(at: AppTest, *kinds: str) -> list[str]:
    """Every message of the given element kinds (default: error, warning, info, caption)."""
    kinds = kinds or ("error", "warning", "info", "caption", "success")
    return [str(e.value) for kind in kinds for e in at.get(kind)]


def shown(at: AppTest, *needles: str, kinds: tuple[str, ...] = ("error", "warning")) -> str:
    """The one message (of ``kinds``) containing every needle (case-insensitive)."""
    found = [t for t in texts(at, *kinds) if all(n.lower() in t.lower() for n in needles)]
    assert found, f"no {kinds} message with {needles}; shown: {texts(at)}"
    return found[0]


def _strings(message):
    """Every string field of a protobuf message, recursively (markdown bodies, labels, specs)."""
    for field, value in message.ListFields():
        items = value if field.is_repeated else [value]
        if field.type == field.TYPE_MESSAGE:
            for item in items:
                yield from _strings(item)
        elif field.type == field.TYPE_STRING:
            yield from items


def all_markup(at: AppTest) -> str:
    """Every string the script sent to the page (to look for reflected markup)."""
    out = []

    def walk(node) -> None:
        if getattr(node, "proto", None) is not None:
            out.extend(_strings(node.proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)  # the element tree is the only complete view AppTest gives
    return "\n".join(out)


def still_usable(at: AppTest) -> AppTest:
    """After a bad input: the default sample still loads and trains in the same session."""
    if at.session_state["source"] != "sample":
        at.sidebar.radio(key="source").set_value("sample").run()
    no_exceptions(at)
    runs = len(at.session_state["runs"])
    train(at, epochs=2, window=7, hidden=8, activation="tanh", lr=0.01)
    no_exceptions(at)
    assert len(at.session_state["runs"]) == runs + 1, texts(at)
    assert math.isfinite(at.session_state["last_run"].metrics["rnn"]["mae"])
    return at


def upload(at: AppTest, name: str, data: bytes, mime: str = "text/csv",
           unit: str | None = None) -> AppTest:
    """Upload a file; ``unit`` ("°C" or "°F") answers the app's question "This file is in:"
    when it asks (values plausible in both scales), as a person would."""
    if at.session_state["source"] != "upload":
        at.sidebar.radio(key="source").set_value("upload").run()
    at.file_uploader(key="upload").upload(name, data, mime)
    at.run()
    asked = [r for r in at.sidebar.radio if r.key == "csv_unit"]
    if unit is not None and asked:
        asked[0].set_value(unit).run()
    return at
