"""Meteostat through the real app: unknown cities, stations without data, bad periods, being
offline, and how meteostat is configured (issue 7).

meteostat reads its ``MS_*`` settings once, at import, so each flow runs in a child Python
process whose environment points it at a local server (or a closed port).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys

from tests.helpers.app import ROOT
from tests.helpers.flow import run_flow

# ------------------------------------------------------------------------------------ Meteostat


def test_city_inputs_unknown_no_station_and_bad_periods(tmp_path):
    from tests.helpers.meteostat import ms_env, serve_seattle

    server, _ = serve_seattle(tmp_path)  # one real-format station: SeaTac, 2012–2015
    today = dt.date.today()
    future = [str(today + dt.timedelta(days=10)), str(today + dt.timedelta(days=80))]
    try:
        seen = run_flow(ms_env(server.url, tmp_path), timeout=240, steps=[
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
    from tests.helpers.meteostat import ms_env

    with socket.socket() as sock:  # a port on 127.0.0.1 nothing listens on
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    seen = run_flow(ms_env(closed, tmp_path), timeout=240, steps=[
        ["train", {"epochs": 2, "hidden": 8, "window": 7}],
        ["source", "city"],
        ["city", "Chicago"],
        ["click", "fetch"],
        ["click", "use_samples"],
        ["train", {"epochs": 2, "hidden": 4, "window": 5}],
    ])
    # offline fails fast, no retry storm (meteostat's own retries sleep 1 + 2 + 4 s a request,
    # which no machine's speed shortens): the Fetch click's page run timed alone (0.2 s here),
    # not the whole flow, whose start-up and two trainings a slow machine stretches
    assert seen[3]["seconds"] < 6, seen[3]["seconds"]
    for s in seen:
        assert s["exceptions"] == [], s
    fetched = seen[3]
    banners = [m for m in fetched["errors"] + fetched["warnings"]
               if "meteostat" in m.lower() and "sample" in m.lower()]
    assert len(banners) == 1, fetched  # one clear banner, not one per failed request
    assert "offline" in banners[0].lower()
    assert "use_samples" in fetched["buttons"]  # ... with the offer, at once
    assert fetched["runs"] == 1  # the earlier results are still there
    assert "including one of chicago" in banners[0].lower()
    back = seen[4]
    assert back["source"] == "sample" and back["has_data"] and back["errors"] == []
    assert back["attrs"]["sample_id"] == "chicago-2001-2016"  # the asked city's, not Seattle
    assert seen[5]["runs"] == 2 and seen[5]["errors"] == []


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
