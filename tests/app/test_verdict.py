"""Issue 10 on the page (AppTest, the real script): repeats, the verdict with its intervals,
unavailable baselines, named training failures, the guard before Train, the target reset, and
last_run speaking the CLI's JSON names."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

import data_sources as ds
from app.results import RESULTS_TAB, TAB_HISTORY
from forecast import ExperimentConfig, run_experiment
from tests.helpers.app import (
    ROOT,
    csv_bytes,
    new_app,
    no_exceptions,
    reveal,
    shown,
    texts,
    train,
    upload,
)


def frame_with(at, *columns: str) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert found, f"no table with the columns {columns!r}"
    return found[0]


def test_repeats_sit_next_to_the_seed_and_travel_in_the_link():
    at = new_app()
    no_exceptions(at)
    repeats = at.sidebar.number_input(key="seeds")
    assert repeats.label == "Repeats" and repeats.value == 3  # ExperimentConfig's default
    assert "same result" in repeats.help
    assert new_app(hidden="8").sidebar.number_input(key="seeds").value == 3  # an old link
    at = new_app(seeds="2", seed="4")
    assert at.sidebar.number_input(key="seeds").value == 2
    train(at, epochs=2, hidden=8)
    no_exceptions(at)
    run = at.session_state["last_run"]
    assert run.settings.seeds == 2 and run.result.seeds == 2
    assert len(run.result.seed_mae["rnn"]) == 2
    assert at.query_params["seeds"] in ("2", ["2"])
    # the page says which seed's forecast the charts draw (under Details)
    reveal(at, "results_details")
    assert any("charts draw the networks trained with seed 4" in c for c in texts(at, "caption"))
    assert any("2 repeats" in c for c in texts(at, "caption"))


def test_seattle_defaults_give_a_tie_said_as_a_tie():
    at = train(new_app())  # every default: 3 repeats, 60 epochs
    no_exceptions(at)
    result = at.session_state["last_run"].result
    assert result.winner is None
    reveal(at, "results_details")
    verdict = shown(at, "could not be told apart", kinds=("info",))
    assert verdict.startswith("Forecasting the daily mean temperature on the ")
    table = frame_with(at, "RNN is")
    assert "tie (could not be told apart)" in set(table["RNN is"])
    assert set(table["Model"]) == {"Dense (today only)", "Dense (window)", "Persistence",
                                   "Climatology", "Linear"}
    assert any(c.startswith("**How to read this.**") and "block bootstrap" in c
               for c in texts(at, "caption"))
    metrics = frame_with(at, "± sd (°C)").set_index("Model")
    assert float(metrics.loc["RNN (memory)", "± sd (°C)"]) == pytest.approx(
        result.metrics["rnn"]["mae_sd"], abs=1e-3)
    assert metrics.loc["Persistence", "± sd (°C)"] == "—"  # a baseline has no seeds


def test_a_one_year_upload_shows_climatology_as_not_available_with_its_reason():
    at = upload(new_app(), "one-year.csv", csv_bytes(365))
    no_exceptions(at)
    train(at, epochs=2, hidden=8, seeds=1)
    no_exceptions(at)
    result = at.session_state["last_run"].result
    assert "climatology" in result.unavailable
    reason = result.unavailable["climatology"]
    reveal(at, "results_details")
    table = frame_with(at, "Model", "Note").set_index("Model")  # not data quality's Note
    assert table.loc["Climatology", "Note"] == f"not available: {reason}"
    assert pd.isna(table.loc["Climatology", "Rank"])  # never ranked
    assert pd.isna(table.loc["Climatology", "MAE (°C)"])
    shown(at, "Climatology is not available", "cannot win", kinds=("caption",))
    compared = frame_with(at, "RNN is").set_index("Model")
    assert compared.loc["Climatology", "RNN is"] == "not compared (baseline not available)"
    reveal(at, RESULTS_TAB, TAB_HISTORY)
    history = frame_with(at, "Verdict")  # the run joins the history; no baseline is ranked there
    assert len(history) == 1 and not any("Climatology" in c for c in history.columns)


def test_learning_rate_one_is_warned_about_by_name():
    at = train(new_app(), lr=1.0)
    no_exceptions(at)
    warnings = at.session_state["last_run"].result.warnings
    assert warnings, "no warning at learning rate 1"
    for w in warnings:  # every warning is on the page, with its message
        shown(at, w["message"][:60], kinds=("warning",))
    shown(at, "learning rate (1) is too high", kinds=("warning",))


def test_a_short_period_turns_train_off_with_how_much_data_is_needed():
    at = new_app(start="2015-11-01", end="2015-12-31")  # 7 test days on Seattle
    no_exceptions(at)
    assert at.button(key="train").disabled
    message = shown(at, "Train is off", kinds=("warning",))
    assert "only 7 test days" in message and "at least 30 test days" in message
    assert "complete windows" in message
    assert at.session_state["last_run"] is None
    # widening the period turns Train back on, with no message
    at.date_input(key="period_2012-01-01_2015-12-31").set_value(
        (pd.Timestamp("2015-01-01").date(), pd.Timestamp("2015-12-31").date())).run()
    no_exceptions(at)
    assert not at.button(key="train").disabled
    assert not any("Train is off" in t for t in texts(at, "warning"))


def test_melbourne_then_auckland_forecasts_auckland_daily_mean():
    at = new_app()
    at.sidebar.selectbox(key="sample").set_value("melbourne-1981-1990").run()
    assert at.sidebar.selectbox(key="target").value == "tmax"  # Melbourne has only maxima
    train(at, epochs=1, seeds=1)
    at.sidebar.selectbox(key="sample").set_value("auckland-2016-2017").run()
    no_exceptions(at)
    assert at.sidebar.selectbox(key="target").value == "temp"
    train(at, epochs=3, seeds=1)
    no_exceptions(at)
    run = at.session_state["last_run"]
    assert run.target == "temp" and run.settings.target == "temp"
    fresh = run_experiment(ds.load_sample("auckland-2016-2017"),
                           ExperimentConfig(epochs=3, seeds=1))
    assert fresh.target == "temp"
    assert run.metrics["rnn"]["mae"] == pytest.approx(fresh.metrics["rnn"]["mae"], abs=1e-9)
    reveal(at, RESULTS_TAB, TAB_HISTORY)
    history = frame_with(at, "Verdict")
    assert history["Target"].tolist() == ["tmax", "temp"]
    assert history["Data"].tolist() == ["Melbourne 1981–1990", "Auckland 2016–2017"]
    assert history["Inputs"].tolist() == ["tmax, season", "temp, season"]
    differ = frame_with(at, "run 1")  # the two runs compared: readable, not raw ids or lists
    assert differ.loc["data"].tolist() == ["Melbourne 1981–1990", "Auckland 2016–2017"]
    assert differ.loc["target"].tolist() == ["tmax", "temp"]
    assert differ.loc["inputs"].tolist() == ["tmax, season", "temp, season"]
    assert "period" in differ.index and "epochs" in differ.index


def test_last_run_carries_the_clis_comparison_warnings_target_and_test_days():
    at = train(new_app(), epochs=3, seeds=1)
    no_exceptions(at)
    run = at.session_state["last_run"]
    cli = subprocess.run(
        [sys.executable, "-m", "forecast", "--sample", "seattle-2012-2015", "--epochs", "3",
         "--seeds", "1", "--json"], cwd=ROOT, capture_output=True, text=True, check=True)
    printed = json.loads(cli.stdout)
    assert run.target == printed["target"] == "temp"
    assert run.test_days == printed["test_days"]
    assert run.warnings == printed["warnings"]
    assert run.comparison.keys() == printed["comparison"].keys()
    for model, c in printed["comparison"].items():
        mine = run.comparison[model]
        assert mine["verdict"] == c["verdict"], model
        for k in ("diff", "low", "high"):
            assert round(mine[k], 4) == c[k], (model, k)
