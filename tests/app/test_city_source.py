"""The 'Any city' source end to end: AppTest drives the app, the real meteostat library fetches
from a local HTTP server serving Meteostat-format files (the Seattle sample as station SeaTac).

meteostat reads its MS_* settings once, when imported, so the flow runs in a subprocess whose
environment points it at the local server.
"""

import json
import subprocess
import sys

from tests.helpers.meteostat import ROOT, ms_env, serve_seattle

FLOW = r"""
import datetime as dt, json, sys
from streamlit.testing.v1 import AppTest

at = AppTest.from_file(sys.argv[1], default_timeout=120).run()
at.sidebar.radio(key="source").set_value("city").run()
at.sidebar.text_input(key="city_query").input("Seattle").run()
at.sidebar.date_input(key="city_period").set_value((dt.date(2012, 1, 1), dt.date(2015, 12, 31)))
at.run()
at.sidebar.button(key="fetch").click().run()
out = {"exceptions": [str(e.value) for e in at.exception],
       "errors": [e.value for e in at.error], "markdown": [m.value for m in at.markdown]}
data = at.session_state["data"] if "data" in at.session_state else None
out["days"] = None if data is None else len(data)
out["source"] = None if data is None else data.attrs.get("source")
at.button(key="train").click().run()
run = at.session_state["last_run"]
out["exceptions"] += [str(e.value) for e in at.exception]
out["trained_source"] = run and run.settings.source
out["rnn_mae"] = run and run.metrics["rnn"]["mae"]
# Another city: Seattle's download must not be reused under its name.
at.sidebar.text_input(key="city_query").input("Portland").run()
out["exceptions"] += [str(e.value) for e in at.exception]
out["other_city_asks_to_fetch"] = any("Fetch weather" in i.value for i in at.info)
out["other_city_train_disabled"] = at.button(key="train").disabled
print(json.dumps(out))
"""


def test_any_city_fetches_from_meteostat_and_trains(tmp_path):
    server, sample = serve_seattle(tmp_path)
    try:
        proc = subprocess.run(
            [sys.executable, "-c", FLOW, str(ROOT / "streamlit_app.py")],
            env=ms_env(server.url, tmp_path), cwd=ROOT, capture_output=True, text=True,
            timeout=300,
        )
    finally:
        server.close()
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["exceptions"] == [] and out["errors"] == []
    assert out["source"] == "meteostat"
    assert out["days"] == len(sample)  # every day of 2012–2015, from the station's files
    assert any("Seattle" in m for m in out["markdown"])
    assert out["trained_source"] == "city"
    assert 0 < out["rnn_mae"] < 5
    assert any(path.startswith("/daily/2015/") for path in server.requests)
    assert out["other_city_asks_to_fetch"] and out["other_city_train_disabled"]
