"""Replay steps through the real app in a child process and report what each step showed.

meteostat reads its ``MS_*`` settings once, at import, so every Meteostat flow runs in a child
Python process whose environment points it at a local server (or a closed port). The child drives
the app with AppTest, one step at a time, and prints one JSON report per step:

    seen = run_flow(ms_env(server.url, tmp_path), [
        ["source", "city"], ["city", "Seattle"], ["period", ["2013-01-01", "2014-12-31"]],
        ["click", "fetch"], ["train", {"epochs": 2, "hidden": 8}]])

Steps: ``source`` (the source radio), ``city`` (the search box), ``period`` (the date range),
``click`` (a button by key), ``reveal`` (open a panel built only when shown: [key, value]),
``train`` (set sliders, then press Train). Each report has the step's ``seconds``: the wall time
of its page runs in the child.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.helpers.app import APP, ROOT

FLOW = r"""
import base64, datetime as dt, json, sys, time
from streamlit.testing.v1 import AppTest
from streamlit.elements.lib.mutable_status_container import StatusContainer
from streamlit.runtime.media_file_manager import MediaFileManager

# Pass-through recorders (the real methods still run): the labels a status box showed while
# the fetch ran, and the bytes behind each download button (built when the file is asked for).
labels = []
_update = StatusContainer.update
def update(self, **kwargs):
    if kwargs.get("label"):
        labels.append(kwargs["label"])
    return _update(self, **kwargs)
StatusContainer.update = update
files = {}
_add_deferred = MediaFileManager.add_deferred
def add_deferred(self, data, mimetype, coordinates, file_name=None, **kwargs):
    files[file_name] = data
    return _add_deferred(self, data, mimetype, coordinates, file_name, **kwargs)
MediaFileManager.add_deferred = add_deferred

steps = json.loads(sys.argv[2])
at = AppTest.from_file(sys.argv[1], default_timeout=120).run()
seen = []
for step, arg in steps:
    labels.clear()
    files.clear()
    began = time.monotonic()
    if step == "source":
        at.sidebar.radio(key="source").set_value(arg).run()
    elif step == "city":
        at.sidebar.text_input(key="city_query").input(arg).run()
    elif step == "period":
        at.sidebar.date_input(key="city_period").set_value(
            tuple(dt.date.fromisoformat(d) for d in arg)).run()
    elif step == "click":
        at.button(key=arg).click().run()
    elif step == "reveal":  # a panel built only when open (app/lazy.py): [key, value]
        at.session_state[arg[0]] = arg[1]
        at.run()
    elif step == "train":
        for key, value in arg.items():
            at.sidebar.slider(key=key).set_value(value)
        at.run()
        at.button(key="train").click().run()
    seconds = time.monotonic() - began
    every = lambda kind: [str(e.value) for e in at.get(kind)]
    statuses = [{"label": s.label, "state": s.state,
                 "lines": [str(m.value) for m in s.get("markdown")]} for s in at.status]
    tables = [d.value.reset_index().astype(str).to_dict("records") for d in at.dataframe]
    zips = {name: base64.b64encode(make()).decode() for name, make in files.items()}
    buttons = {b.key: b for b in at.get("button")}
    ss = at.session_state
    data = ss["data"] if "data" in ss else None
    seen.append({
        "step": step, "arg": arg, "seconds": seconds, "exceptions": every("exception"),
        "errors": every("error"),
        "warnings": every("warning"), "infos": every("info"), "captions": every("caption"),
        "markdown": every("markdown"), "statuses": statuses, "labels": list(labels),
        "tables": tables, "downloads": zips, "buttons": list(buttons),
        "train_disabled": buttons["train"].disabled if "train" in buttons else None,
        "source": ss["source"], "runs": len(ss["runs"]), "has_data": data is not None,
        "data_source": data.attrs.get("source") if data is not None else None,
        "attrs": data.attrs if data is not None else None,
    })
print(json.dumps(seen, default=str))
"""


def run_flow(env: dict, steps: list, timeout: float = 300) -> list[dict]:
    """Replay ``steps`` in a child process with environment ``env``; one report per step."""
    proc = subprocess.run([sys.executable, "-c", FLOW, APP, json.dumps(steps)], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])
