"""Bad inputs, limits and hardening through the real script (AppTest): every wrong input gets a
clear message, never a traceback, and the session stays usable afterwards (issue 7).

Meteostat flows run in a child Python process (``_network_flow``) because meteostat reads its
``MS_*`` settings once, at import, and those must point at a local server.
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import json
import math
import os
import re
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import data_sources as ds
import rnn
from app.settings import OLD_LINK_NAMES
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
    train(at, activation="relu", lr=1.0, epochs=50)
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
    # Hidden 256 x 500 epochs x 30 years of days (longer than any bundled sample): far more
    # than one click may train. The budget is 2 s here (the app's default is 60 s).
    monkeypatch.setenv("RNN_LAB_TRAINING_BUDGET_S", "2")
    days = 30 * 365 + 7
    noise = np.random.default_rng(0).normal(0, 2.5, days)
    temp = (11 + 9 * np.sin(2 * np.pi * (np.arange(days) - 110) / 365.25) + noise).round(1)
    at = upload(new_app(), "thirty-years.csv", csv_bytes(days, start="1990-01-01", temp=temp))
    assert len(at.session_state["data"]) == days
    train(at, hidden=256, epochs=500)
    no_exceptions(at)
    run = at.session_state["last_run"]
    assert run is not None and run.settings.hidden == 256
    assert run.seconds < 30, run.seconds  # ~2 s budget + the epoch in progress + scoring
    assert "time budget" in run.reasons["rnn"]
    assert run.result.train_info["rnn"]["epochs_run"] < 500
    assert math.isfinite(run.metrics["rnn"]["mae"])  # best weights kept, never NaN
    shown(at, "time budget", "best weights")



# ------------------------------------------------------------------------------------ uploads


def _rows(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data)


DAYS_40 = csv_bytes(40)
# name -> (file bytes, words the message must contain). Every way read_csv refuses a file.
BAD_CSVS = {
    "empty file": (b"", "empty"),
    "only blank lines": (b"\n\n  \n", "empty"),
    "gzip inside a .csv": (_gzip(DAYS_40), "compressed"),
    "zip archive": (b"PK\x03\x04" + b"\x00" * 40, "compressed"),
    "binary with NUL bytes": (b"date,temp\n\x00\x01\x02", "binary"),
    "control characters": (b"date,temp\n2020-01-01,\x07\x08\n", "control characters"),
    "no date column": (_rows(["when,temp", "2020-01-01,3"]), "No date column"),
    "no temperature column": (_rows(["date,rain", "2020-01-01,3"]), "No temperature column"),
    "header only": (b"date,temp\n", "no data rows"),
    "empty date": (_rows(["date,temp", "2020-01-01,3", ",4"]), "date in column 'date' is empty"),
    "not a date": (_rows(["date,temp", "2020-01-01,3", "yesterday,4"]), "is not a date"),
    "ambiguous day/month": (_rows(["date,temp"] + [f"{m:02d}/01/2020,{m}" for m in range(1, 13)]),
                            "both as day/month and as month/day"),
    "hourly rows": (_rows(["date,temp", "2020-01-01 10:00,3", "2020-01-01 11:00,4"]),
                    "time of day"),
    "duplicated day": (_rows(["date,temp", "2020-01-01,3", "2020-01-02,3", "2020-01-02,4"]),
                       "appears more than once"),
    "temperature not a number": (_rows(["date,temp", "2020-01-01,warm"]), "is not a number"),
    "infinite temperature": (_rows(["date,temp", "2020-01-01,inf"]), "is not a number"),
    "implausibly cold": (_rows(["date,temp", "2020-01-01,-120"]), "not a plausible"),
    "Fahrenheit read as Celsius": (_rows(["date,temp", "2020-01-01,95"]), "Fahrenheit"),
    "ragged rows": (_rows(["date,temp", "2020-01-01,3,4,5"]), "more values than the header"),
    "unclosed quote": (b'date,temp\n2020-01-01,"3\n2020-01-02,4\n', "not"),
    "too many rows": (csv_bytes(60_001, start="1850-01-01"), "limit is 60,000"),
    "dates spanning 250 years": (
        _rows(["date,temp"] + [f"{1750 + y}-01-01,5" for y in range(0, 250, 8)]), "limit is"),
    "too few days (20)": (csv_bytes(20), "at least 30"),
    "all-missing target": (csv_bytes(60, temp=[""] * 60), "Only 0 days"),
    "over the size cap (11 MB)": (b"date,temp\n" + b"2020-01-01,3\n" * 900_000, "limit is 10 MB"),
}


def test_every_csv_rejection_gets_a_message_and_the_session_stays_usable():
    at = train(new_app(), epochs=2, window=7, hidden=8)
    good = at.session_state["last_run"]
    handled = []
    for case, (data, words) in BAD_CSVS.items():
        upload(at, f"{case}.csv", data)
        no_exceptions(at)
        message = shown(at, "Could not use", words, kinds=("error",))
        assert f"{case}.csv" in message  # names the file, escaped, as given
        assert at.session_state["last_run"] is good, case  # earlier results stay on screen
        assert at.button(key="train").disabled is True, case  # no data: Train disabled
        handled.append(case)
    assert len(handled) == len(BAD_CSVS) == 25
    still_usable(at)


def test_a_file_name_with_markup_is_escaped():
    at = upload(new_app(), "<img src=x onerror=alert(1)>.csv", b"")
    no_exceptions(at)
    message = shown(at, "Could not use", kinds=("error",))
    # every "<" reaches the markdown renderer escaped, so it is shown as text, never a tag
    assert "\\<img" in message
    assert not re.search(r"(?<!\\)<", message)


def test_too_little_data_for_the_window_says_so_on_train():
    # read_csv needs 30 days, so 20 days is refused at upload (above); 40 days pass the reader
    # but cannot fill a 60-day window.
    at = upload(new_app(), "forty-days.csv", DAYS_40)
    no_exceptions(at)
    train(at, window=60, epochs=2)
    no_exceptions(at)
    shown(at, "window (60 days)", "does not fit", kinds=("error",))
    assert at.session_state["last_run"] is None and not at.session_state["training"]
    # Still usable: a shorter window trains on the same upload.
    train(at, window=5, epochs=2, hidden=4)
    no_exceptions(at)
    assert at.session_state["last_run"].settings.window == 5


# ------------------------------------------------------------------------------------ periods

SEATTLE_PERIOD = "period_2012-01-01_2015-12-31"


def test_reversed_and_short_periods_get_messages():
    at = train(new_app(), epochs=2, window=7, hidden=8)
    good = at.session_state["last_run"]
    at.sidebar.date_input(key=SEATTLE_PERIOD).set_value(
        (dt.date(2015, 1, 1), dt.date(2014, 1, 1))).run()
    no_exceptions(at)
    shown(at, "start date is after the end date", kinds=("error",))
    assert at.button(key="train").disabled
    assert at.session_state["last_run"] is good
    # Only a start date picked: a hint, and the whole series is kept.
    at.sidebar.date_input(key=SEATTLE_PERIOD).set_value((dt.date(2014, 1, 1),)).run()
    no_exceptions(at)
    assert "Pick an end date too." in texts(at, "caption")
    # Five days cannot fill a 14-day window: said when training is asked for.
    at.sidebar.date_input(key=SEATTLE_PERIOD).set_value(
        (dt.date(2014, 1, 1), dt.date(2014, 1, 5))).run()
    train(at, window=14)
    no_exceptions(at)
    shown(at, "does not fit in the data (5 days)", kinds=("error",))
    assert at.session_state["last_run"] is good
    at.sidebar.date_input(key=SEATTLE_PERIOD).set_value(
        (dt.date(2012, 1, 1), dt.date(2015, 12, 31))).run()
    still_usable(at)


@pytest.mark.parametrize("period", [
    (dt.date(2030, 1, 1), dt.date(2030, 2, 1)),  # in the future
    (dt.date(1900, 1, 1), dt.date(2015, 12, 31)),  # before the data, over 30 years
    (dt.date(2010, 1, 1), dt.date(2040, 1, 1)),  # around the data
])
def test_periods_outside_the_data_are_refused_by_the_picker(period):
    # The picker has the data's first and last day as its bounds; Streamlit refuses a value
    # outside them (the browser cannot pick one) and keeps the whole series.
    at = new_app()
    at.sidebar.date_input(key=SEATTLE_PERIOD).set_value(period).run()
    no_exceptions(at)
    assert at.session_state[SEATTLE_PERIOD] == (dt.date(2012, 1, 1), dt.date(2015, 12, 31))
    assert any("1,461 days" in m.value for m in at.markdown)


def test_a_period_without_any_temperature_is_refused():
    temp = [10.0 + i % 7 for i in range(40)] + [""] * 60  # measured for 40 days, then nothing
    at = upload(new_app(), "gappy.csv", csv_bytes(100, temp=temp))
    no_exceptions(at)
    key = "period_2020-01-01_2020-04-09"
    at.sidebar.date_input(key=key).set_value((dt.date(2020, 3, 1), dt.date(2020, 4, 9))).run()
    no_exceptions(at)  # was an IndexError in the target picker
    shown(at, "No temperature was recorded", kinds=("error",))
    assert at.button(key="train").disabled
    at.sidebar.date_input(key=key).set_value((dt.date(2020, 1, 1), dt.date(2020, 4, 9))).run()
    train(at, window=5, epochs=2, hidden=4)
    no_exceptions(at)
    assert at.session_state["last_run"] is not None


# ------------------------------------------------------------------------------------ the URL

NUMERIC = ("hidden", "window", "epochs", "seed", "lr")
CHOICES = ("activation", "units", "source", "sample")
RANGES = {"hidden": (1, 256), "window": (3, 60), "epochs": (1, 500), "seed": (0, 2**31 - 1),
          "lr": (1e-4, 1.0)}
SCRIPT = '<script>alert("x")</script>'
IMG = "<img src=x onerror=alert(1)>"


# Each parsing case is a unit test of app/settings.py (tests/app/test_settings.py); these check
# what the page does with them: every one reported, nothing reflected, the session usable.
@pytest.mark.parametrize("label, values", [
    ("junk", dict.fromkeys(NUMERIC + CHOICES, "abc;DROP TABLE")),
    ("old names", {"hidden_size": "-5", "learning_rate": "nan", "inputs": "rhum,<b>x</b>"}),
    ("html", dict.fromkeys(NUMERIC, SCRIPT) | dict.fromkeys(CHOICES, IMG)),
    ("markdown", dict.fromkeys(CHOICES, "[click](javascript:alert(1)) **bold**")),
    ("path", {"sample": "../../etc/passwd", "source": "file:///etc/passwd"}),
])
def test_query_parameters_are_clamped_or_refused_never_reflected(label, values):
    at = new_app(**values)
    no_exceptions(at)
    notes = texts(at, "warning")
    page = all_markup(at)
    for name, raw in values.items():
        assert any(f"`{name}`" in n for n in notes), (name, notes)  # each one is reported
        name = OLD_LINK_NAMES.get(name, name)
        if name in RANGES:
            low, high = RANGES[name]
            value = at.session_state[name]
            assert low <= value <= high and math.isfinite(value), (name, value)
        if len(raw) > 3:
            assert raw not in page, f"{name}: the raw value is reflected into the page"
    for needle in ("<script", "<img", "javascript:", "DROP TABLE", "etc/passwd"):
        assert needle not in page
    assert at.session_state["sample"] == ds.DEFAULT_SAMPLE or "sample" not in values
    if label == "junk":
        still_usable(at)


def test_out_of_range_link_values_are_clamped_to_the_nearest_allowed():
    at = new_app(hidden="100000", window="-3", epochs="0", lr="5",
                 activation="relu", seed="7")
    no_exceptions(at)
    ss = at.session_state
    assert (ss["hidden"], ss["window"], ss["epochs"], ss["lr"]) == (256, 3, 1, 1.0)
    assert (ss["activation"], ss["seed"]) == ("relu", 7)  # valid values are taken as they are
    assert sum("out of range" in n for n in texts(at, "warning")) == 4


# ------------------------------------------------------------------------------------ Meteostat

# meteostat reads MS_* once, at import: each flow runs in a child process whose environment points
# it at a local server (or a closed port). The child replays steps and reports what was shown.
FLOW = r"""
import datetime as dt, json, sys
from streamlit.testing.v1 import AppTest

steps = json.loads(sys.argv[2])
at = AppTest.from_file(sys.argv[1], default_timeout=120).run()
seen = []
for step, arg in steps:
    if step == "source":
        at.sidebar.radio(key="source").set_value(arg).run()
    elif step == "city":
        at.sidebar.text_input(key="city_query").input(arg).run()
    elif step == "period":
        at.sidebar.date_input(key="city_period").set_value(
            tuple(dt.date.fromisoformat(d) for d in arg)).run()
    elif step == "click":
        at.button(key=arg).click().run()
    elif step == "train":
        for key, value in arg.items():
            at.sidebar.slider(key=key).set_value(value)
        at.run()
        at.button(key="train").click().run()
    ss = at.session_state
    every = lambda kind: [str(e.value) for e in at.get(kind)]
    seen.append({
        "step": step, "arg": arg, "exceptions": every("exception"), "errors": every("error"),
        "warnings": every("warning"), "infos": every("info"),
        "buttons": [b.key for b in at.get("button")], "source": ss["source"],
        "runs": len(ss["runs"]), "has_data": "data" in ss and ss["data"] is not None,
        "data_source": ss["data"].attrs.get("source") if "data" in ss else None,
    })
print(json.dumps(seen))
"""


def run_flow(env: dict, steps: list) -> list[dict]:
    proc = subprocess.run([sys.executable, "-c", FLOW, APP, json.dumps(steps)], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_city_inputs_unknown_no_station_and_bad_periods(tmp_path):
    from tests.data_sources.conftest import ms_env, serve_seattle

    server, _ = serve_seattle(tmp_path)  # one real-format station: SeaTac, 2012–2015
    today = dt.date.today()
    future = [str(today + dt.timedelta(days=10)), str(today + dt.timedelta(days=80))]
    try:
        seen = run_flow(ms_env(server.url, tmp_path), [
            ["train", {"epochs": 2, "hidden": 8, "window": 7}],
            ["source", "city"],
            ["city", "Zzqxvtown"],
            ["city", "Nairobi"],
            ["period", ["2012-01-01", "2015-12-31"]],
            ["click", "fetch"],
            ["city", "Seattle"],
            ["period", ["2015-12-31", "2012-01-01"]],
            ["click", "fetch"],
            ["period", future],
            ["click", "fetch"],
            ["period", ["1960-01-01", "2015-12-31"]],
            ["click", "fetch"],
            ["period", ["2015-01-01", "2015-01-10"]],
            ["click", "fetch"],
            ["period", ["2015-01-01"]],
            ["period", ["2012-01-01", "2015-12-31"]],
            ["click", "fetch"],
            ["train", {"epochs": 2, "hidden": 8, "window": 7}],
        ])
    finally:
        server.close()
    for s in seen:
        assert s["exceptions"] == [], s
        assert s["runs"] >= 1, s  # the first run's results are never lost
    by = lambda i: seen[i]  # noqa: E731
    assert any("No city matches" in w for w in by(2)["warnings"])
    assert any("no weather station within" in e for e in by(5)["errors"]), by(5)
    assert any("range is reversed" in e for e in by(8)["errors"]), by(8)
    assert any("future" in e for e in by(10)["errors"]), by(10)
    assert any("at most 30 years" in e for e in by(12)["errors"]), by(12)
    assert any("at least 30 are needed" in e for e in by(14)["errors"]), by(14)
    assert any("Pick both a start and an end date" in i for i in by(15)["infos"]), by(15)
    # None of these was mistaken for being offline.
    assert all("use_samples" not in s["buttons"] for s in seen[:16])
    # Still usable: the right request fetches SeaTac's files and trains on them.
    assert by(17)["errors"] == [] and by(17)["data_source"] == "meteostat", by(17)
    assert by(18)["runs"] == 2 and by(18)["errors"] == [], by(18)


def test_offline_one_banner_then_the_samples_keep_working(tmp_path):
    from tests.data_sources.conftest import ms_env

    with socket.socket() as sock:  # a port on 127.0.0.1 nothing listens on
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    t0 = time.monotonic()
    seen = run_flow(ms_env(closed, tmp_path), [
        ["train", {"epochs": 2, "hidden": 8, "window": 7}],
        ["source", "city"],
        ["city", "Seattle"],
        ["click", "fetch"],
        ["click", "use_samples"],
        ["train", {"epochs": 2, "hidden": 4, "window": 5}],
    ])
    assert time.monotonic() - t0 < 90  # offline fails fast, no retry storm
    for s in seen:
        assert s["exceptions"] == [], s
    fetched = seen[3]
    banners = [m for m in fetched["errors"] + fetched["warnings"]
               if "meteostat" in m.lower() and "sample" in m.lower()]
    assert len(banners) == 1, fetched  # one clear banner, not one per failed request
    assert "offline" in banners[0].lower()
    assert "use_samples" in fetched["buttons"]  # ... with the offer, at once
    assert fetched["runs"] == 1  # the earlier results are still there
    back = seen[4]
    assert back["source"] == "sample" and back["has_data"] and back["errors"] == []
    assert seen[5]["runs"] == 2 and seen[5]["errors"] == []


# ------------------------------------------------------------------------------------ weights


def _npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _weights(model) -> dict:
    return {"config": np.array(json.dumps({"format": rnn.io.FORMAT, **model.config()})),
            **{k: v.copy() for k, v in model.params.items()}}


def test_weights_upload_refuses_bad_files_and_scores_a_good_one():
    at = train(new_app(), epochs=2, window=7, hidden=8)
    run = at.session_state["last_run"]
    trained = run.result.rnn_model  # ElmanRNN(3 inputs, 8 hidden)
    n_in = trained.n_inputs
    good = _weights(trained)
    wrong_keys = {("W_x" if k == "W_h" else k): v for k, v in good.items()}
    inconsistent = dict(good) | {"W_h": np.zeros((3, 3), np.float32)}
    pickled = dict(good) | {"W_o": np.array([{"evil": 1}], dtype=object)}
    other_hidden = _weights(rnn.ElmanRNN(n_in, 16, 1, seed=1))
    bombs = dict(good) | {"pad": np.zeros(10_000_000)}
    bomb = io.BytesIO()
    np.savez_compressed(bomb, **bombs)
    import pickle

    bad = {
        "wrong keys": (_npz(**wrong_keys), "wrong keys"),
        "inconsistent shapes": (_npz(**inconsistent), "W_h has shape (3, 3)"),
        "pickled objects": (_npz(**pickled), "pickled"),
        "a pickle, not an npz": (pickle.dumps({"W_i": [1, 2]}), "pickled"),
        "not a zip at all": (b"hello", "not an .npz"),
        "no config": (_npz(**{k: v for k, v in good.items() if k != "config"}), "config"),
        "a dense network": (_npz(**_weights(rnn.Dense(n_in, 8, 1))), "does not fit this run"),
        "another hidden size": (_npz(**other_hidden), "does not fit this run"),
        "zip bomb": (bomb.getvalue(), "unpack to"),
    }
    for case, (data, words) in bad.items():
        at.file_uploader(key="weights_upload").upload(f"{case}.npz", data,
                                                      "application/octet-stream")
        at.run()
        no_exceptions(at)
        message = shown(at, words, kinds=("error",))
        assert f"{case}.npz" in message, message
        assert at.session_state["last_run"] is run  # the run on screen is untouched
    # The run's own weights, as the Export tab saves them, load and score exactly like the run.
    buffer = io.BytesIO()
    rnn.save_npz(buffer, trained, {"settings": run.settings.to_dict()})
    at.file_uploader(key="weights_upload").upload("mine.npz", buffer.getvalue(),
                                                  "application/octet-stream")
    at.run()
    no_exceptions(at)
    ok = shown(at, "Loaded", "mine.npz", kinds=("success",))
    assert f"MAE is {run.metrics['rnn']['mae']:.2f} °C" in ok, ok
    assert f"trained here: {run.metrics['rnn']['mae']:.2f} °C" in ok
    still_usable(at)


# ------------------------------------------------------------------------------------ limits


def test_server_settings_are_hardened():
    config = tomllib.loads(CONFIG.read_text())
    server, client = config["server"], config["client"]
    assert client["showErrorDetails"] not in ("full", True, "true")
    assert client["showErrorDetails"] == "none"  # not even the exception's type and message
    assert client["toolbarMode"] == "viewer"
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True
    assert config["browser"]["gatherUsageStats"] is False
    hosts = server["allowedHosts"]
    assert hosts and "*" not in hosts and {"localhost", "127.0.0.1"} <= set(hosts)


def test_upload_row_and_training_limits():
    config = tomllib.loads(CONFIG.read_text())
    assert 0 < config["server"]["maxUploadSize"] <= 10  # MB, enforced by the server
    assert ds.MAX_BYTES == config["server"]["maxUploadSize"] * 1024 * 1024  # and by read_csv
    assert ds.MAX_ROWS == 60_000  # rows and calendar days (~164 years); tested above with 60,001
    assert rnn.io.MAX_UNPACKED_BYTES <= 64 * 2**20 and rnn.io.MAX_UNITS >= 256


def test_one_click_trains_at_most_a_minute_unless_the_server_says_otherwise(monkeypatch):
    from app.settings import training_budget_s

    monkeypatch.delenv("RNN_LAB_TRAINING_BUDGET_S", raising=False)
    assert training_budget_s() == 60.0  # seconds per click, what the timer warning quotes
    monkeypatch.setenv("RNN_LAB_TRAINING_BUDGET_S", "2.5")
    assert training_budget_s() == 2.5
    for raw in ("junk", "-1", "nan", "inf", "0"):
        monkeypatch.setenv("RNN_LAB_TRAINING_BUDGET_S", raw)
        assert training_budget_s() == 60.0, raw


@pytest.mark.parametrize("raw", ["junk", "-1", "nan", "0"])
def test_a_bad_budget_setting_falls_back_to_the_default(monkeypatch, raw):
    monkeypatch.setenv("RNN_LAB_TRAINING_BUDGET_S", raw)
    at = train(new_app(), epochs=2, window=7, hidden=8)
    no_exceptions(at)
    reasons = at.session_state["last_run"].reasons
    assert not any("time budget" in str(r) for r in reasons.values()), reasons


def test_an_uncaught_error_shows_no_details():
    # The project's config redacts exceptions; checked on a script that fails on purpose.
    at = AppTest.from_string("raise ValueError('secret-token-1234 in /srv/app.py')").run()
    assert at.exception
    shown_text = " ".join(str(e.value) + " ".join(e.stack_trace) for e in at.exception)
    assert "secret-token-1234" not in shown_text and "/srv/app.py" not in shown_text


# ------------------------------------------------------------------------------------ sessions


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


APP_FILES = [Path(APP), *sorted((ROOT / "app").glob("*.py"))]


@pytest.mark.parametrize("path", APP_FILES, ids=lambda p: p.name)
def test_no_shared_mutable_state_in_the_app(path):
    # Streamlit imports the app's modules once per server: anything stored at module level is
    # shared by every visitor, so it may only hold constants.
    tree = _tree(path)
    names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert "cache_resource" not in names  # shared by every session: never for per-user models
    assert "experimental_singleton" not in names and "singleton" not in names
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Global | ast.Nonlocal)]
    for node in tree.body:  # module level: constants, imports, functions and the main() call
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                assert isinstance(target, ast.Name) and target.id.isupper(), ast.unparse(node)


def test_two_visitors_never_see_each_others_runs():
    # Per-user things (the model, the runner, the run history) live in each session's state.
    first = train(new_app(), epochs=1, window=7, hidden=4)
    second = new_app()
    no_exceptions(second)
    assert len(first.session_state["runs"]) == 1
    assert second.session_state["runs"] == [] and second.session_state["last_run"] is None
    train(second, epochs=1, window=5, hidden=4)
    assert first.session_state["last_run"].settings.window == 7
    assert second.session_state["last_run"].settings.window == 5
    assert first.session_state["last_run"].result is not second.session_state["last_run"].result


CONFIG_PROBE = r"""
import json, os, sys
os.environ["MS_NETWORK_TIMEOUT"] = "7"  # a caller's own setting, made before the import
import data_sources as ds
from data_sources import meteostat_source as src
out = {"imported_early": "meteostat" in sys.modules,
       "retries_env": os.environ.get("MS_NETWORK_MAX_RETRIES")}
first, second = src._meteostat(), src._meteostat()
out["same_module"] = first is second is sys.modules["meteostat"]
cfg = first.config
out.update(timeout=cfg.network_timeout, retries=cfg.network_max_retries,
           model_data=cfg.include_model_data, cache=cfg.cache_directory,
           handlers=len([h for h in __import__("logging").getLogger("meteostat").handlers
                         if type(h).__name__ == "_Collect"]))
print(json.dumps(out, default=str))
"""


def test_meteostat_is_configured_once_with_the_apps_settings_and_the_callers_win(tmp_path):
    # meteostat reads MS_* once, at import: data_sources must set them before importing it,
    # import it only when a fetch needs it, and only once (one log handler, not one per fetch).
    env = {k: v for k, v in os.environ.items() if not k.startswith("MS_")}
    env["MS_CACHE_DIRECTORY"] = str(tmp_path / "cache")
    proc = subprocess.run([sys.executable, "-c", CONFIG_PROBE], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["imported_early"] is False  # importing data_sources does not import meteostat
    assert out["retries_env"] == "0" and out["same_module"] is True
    assert float(out["timeout"]) == 7  # the caller's value won over the app's default (10)
    assert int(out["retries"]) == 0  # the app's: no retry storm when offline
    assert out["model_data"] in (False, "false")  # observations only
    assert str(tmp_path / "cache") in str(out["cache"])
    assert out["handlers"] == 1
