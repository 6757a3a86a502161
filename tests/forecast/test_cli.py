import json
import subprocess
import sys
from pathlib import Path

import pytest

from forecast.__main__ import main
from tests.helpers.weather import make_weather

ROOT = Path(__file__).resolve().parents[2]
MODELS = {"rnn", "dense", "dense_window", "persistence", "climatology", "linear"}


def write_csv(tmp_path, n_days=300):
    path = tmp_path / "city.csv"
    make_weather(n_days).to_csv(path)
    return path


def test_json_has_exactly_the_documented_keys(tmp_path, capsys):
    assert main(["--csv", str(write_csv(tmp_path)), "--celsius", "--epochs", "2", "--hidden",
                 "4", "--window", "5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"config", "n_days", "split", "metrics", "train", "target", "test_days",
                        "seeds", "comparison", "warnings", "verdict", "intervals"}
    assert out["target"] == "temp" and out["seeds"] == 3 and out["test_days"] > 30
    assert set(out["comparison"]) == MODELS - {"rnn"} - {m for m, s in out["metrics"].items()
                                                          if s.get("available") is False}
    assert all(set(c) == {"diff", "low", "high", "verdict"} for c in out["comparison"].values())
    assert isinstance(out["warnings"], list) and "test days" in out["verdict"]
    assert out["config"]["n_inputs"] == 3 and out["config"]["window"] == 5
    assert set(out["split"]) == {"train", "val", "test"}
    assert all(len(v) == 2 for v in out["split"].values())
    assert set(out["metrics"]) == MODELS
    assert all(set(v) == {"mae", "mae_sd", "rmse", "bias", "skill"}
               or set(v) == {"available", "reason"} for v in out["metrics"].values())
    assert set(out["train"]) == {"rnn", "dense", "dense_window"}
    for v in out["train"].values():  # per repeat: epochs × windows / seconds is a speed
        assert set(v) == {"epochs_run", "n_train_windows", "seconds", "seed_epochs",
                          "seed_seconds"}
        assert len(v["seed_epochs"]) == len(v["seed_seconds"]) == out["seeds"]
        assert v["epochs_run"] == v["seed_epochs"][0]  # the charted repeat's
        assert v["seconds"] == pytest.approx(sum(v["seed_seconds"]), abs=0.01)
    assert out["n_days"] == 300


def test_table_output(tmp_path, capsys):
    assert main(["--csv", str(write_csv(tmp_path)), "--celsius", "--epochs", "1",
                 "--hidden", "4"]) == 0
    out = capsys.readouterr().out
    assert "persistence" in out and "test days" in out and "± sd" in out


def test_bad_input_exits_2_with_one_line_and_no_traceback(tmp_path):
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("hello,world\n1,2\n")
    cases = [["--sample", "atlantis"], ["--csv", str(bad_csv)],
             ["--csv", str(write_csv(tmp_path, 60)), "--window", "500"],
             ["--csv", str(write_csv(tmp_path, 60)), "--activation", "softmax"], []]
    for args in cases:
        proc = subprocess.run([sys.executable, "-m", "forecast", *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert proc.stdout == ""


def test_a_csv_plausible_in_both_scales_must_say_which(tmp_path, capsys):
    path = write_csv(tmp_path)
    assert main(["--csv", str(path), "--epochs", "1", "--hidden", "4"]) == 2
    assert "--fahrenheit or --celsius" in capsys.readouterr().err


def test_json_intervals_per_model_and_level_and_one_repeat_said(tmp_path, capsys):
    assert main(["--csv", str(write_csv(tmp_path, 400)), "--celsius", "--epochs", "2", "--hidden",
                 "4", "--window", "5", "--seeds", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    available = {m for m, s in out["metrics"].items() if s.get("available") is not False}
    assert set(out["intervals"]) == available
    for model, levels in out["intervals"].items():
        assert set(levels) == {"80", "95"}, model
        for lv in levels.values():
            assert {"coverage", "mean_width", "tomorrow", "adaptive_coverage",
                    "half_width_by_lead", "calibration_days"} <= set(lv)
            assert 0 <= lv["coverage"] <= 1 and lv["mean_width"] > 0
            assert lv["tomorrow"]["low"] < lv["tomorrow"]["high"]
            assert len(lv["half_width_by_lead"]) == 7
        # the 95 % range is never narrower than the 80 % one
        assert levels["95"]["mean_width"] >= levels["80"]["mean_width"]
    one = "one repeat: cannot tell — use 2 or more"
    assert out["comparison"]["dense"]["verdict"] == "tie"
    assert out["comparison"]["dense"]["reason"] == one and one in out["verdict"]
