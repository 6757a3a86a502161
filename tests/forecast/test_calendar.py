"""ExperimentConfig.season: False means the networks are not told the date — the day-of-year
sine/cosine are really absent from every network's input (the "calendar" experiment)."""

import json

import numpy as np

from forecast import ExperimentConfig, ExperimentRunner
from forecast.__main__ import main
from forecast.check import prepare
from forecast.features import resolve_columns
from tests.helpers.weather import make_weather


def test_without_the_season_no_day_of_year_column_is_resolved(weather):
    assert resolve_columns(weather, None, None, season=False) == ("temp", ["temp"])
    # asked for explicitly, the season is still dropped: season=False wins
    assert resolve_columns(weather, "temp", ["doy_sin", "prcp", "doy_cos"], season=False) == (
        "temp", ["temp", "prcp"])
    assert resolve_columns(weather, "temp", ["doy_sin", "doy_cos"])[1] == [
        "temp", "doy_sin", "doy_cos"]


def test_the_networks_see_only_the_temperature():
    df = make_weather(300)
    with_season = prepare(df, ExperimentConfig(window=5))
    without = ExperimentRunner(ExperimentConfig(window=5, season=False, epochs=1, seeds=1)).fit(df)
    assert with_season.config.n_inputs == 3
    assert without.config.inputs == ["temp"] and without.config.n_inputs == 1
    assert without.X.shape[2] == 1  # (windows, window, inputs): one input per day
    assert without.features.names == ["temp"]
    # the one input is the scaled temperature of each window's days, nothing computed from dates
    scaled = (df["temp"].to_numpy() - without.scaler.mean_[0]) / without.scaler.std_[0]
    np.testing.assert_allclose(without.X[0, :, 0], scaled[:5])
    assert without.models["rnn"].params["W_i"].shape == (1, 32)  # one input weight per unit
    assert without.models["dense"].params["W_i"].shape[0] == 1
    assert without.models["dense_window"].params["W_i"].shape[0] == 5  # 5 days x 1 input


def test_cli_no_season(tmp_path, capsys):
    path = tmp_path / "city.csv"
    make_weather(300).to_csv(path)
    assert main(["--csv", str(path), "--celsius", "--epochs", "1", "--hidden", "4", "--window",
                 "5", "--seeds", "1", "--no-season", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["config"]["season"] is False and out["config"]["inputs"] == ["temp"]
    assert out["config"]["n_inputs"] == 1 and "dense" in out["comparison"]
