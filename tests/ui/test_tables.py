import numpy as np
import pandas as pd
import pytest

from ui import comparison_table, metrics_table, parameter_table, run_history_table


def test_metrics_table_sorted_by_mae_with_rank_and_labels(metrics):
    t = metrics_table(metrics)
    assert list(t.columns) == ["Rank", "Model", "MAE (°C)", "± sd (°C)", "RMSE (°C)",
                               "Bias (°C)", "Skill vs persistence", "Note"]  # fmt: skip
    assert list(t["MAE (°C)"]) == sorted(t["MAE (°C)"])
    assert t["Model"].iloc[0] == "RNN (memory)" and list(t["Rank"]) == [1, 2, 3, 4, 5, 6]
    assert t.attrs["models"][0] == "rnn"
    rnn = t.iloc[0]
    assert rnn["Skill vs persistence"] == pytest.approx(100 * (1 - 1.4 / 1.8), abs=0.05)


def test_metrics_table_fahrenheit_converts_errors_as_differences(metrics):
    t = metrics_table(metrics, "°F").set_index("Model")
    assert t.loc["RNN (memory)", "MAE (°F)"] == pytest.approx(1.4 * 1.8, abs=0.005)
    assert t.loc["RNN (memory)", "RMSE (°F)"] == pytest.approx(1.4 * 1.3 * 1.8, abs=0.005)
    assert t.loc["Persistence", "Bias (°F)"] == pytest.approx(0.1 * 1.8, abs=0.005)  # no +32
    skill_c = metrics_table(metrics, "°C")["Skill vs persistence"].tolist()
    assert metrics_table(metrics, "°F")["Skill vs persistence"].tolist() == skill_c


def test_metrics_table_empty():
    assert metrics_table({}).empty


def _dense(n_in, n_h):
    return {"W_i": (n_in, n_h), "b_h": (n_h,), "W_o": (n_h, 1), "b_o": (1,)}


def test_parameter_counts_match_shapes_and_rnn_does_not_grow(rnn_params):
    n_in, n_h, window = 3, 8, 14
    dense_window = {k: np.zeros(s) for k, s in _dense(window * n_in, n_h).items()}
    t = parameter_table(rnn_params, _dense(n_in, n_h), dense_window, window)
    for _, row in t[t["Weight"] != "total"].iterrows():
        dims = [int(s) for s in row["Shape"].split(" × ")]
        assert row["Count"] == int(np.prod(dims))
    totals = t[t["Weight"] == "total"].set_index("Model")
    rnn_total = n_in * n_h + n_h * n_h + n_h + n_h + 1
    assert totals.loc["RNN (memory)", "Count"] == rnn_total
    assert totals.loc["RNN (memory)", "Count if window doubled"] == rnn_total  # shared weights
    assert totals.loc["Dense (today only)", "Count if window doubled"] == n_in * n_h + 2 * n_h + 1
    dw = window * n_in * n_h + 2 * n_h + 1
    assert totals.loc["Dense (window)", "Count"] == dw
    assert totals.loc["Dense (window)", "Count if window doubled"] == dw + window * n_in * n_h
    shared = t[(t["Model"] == "RNN (memory)") & (t["Weight"].isin(["W_i", "W_h"]))]
    assert (shared["Used at every step?"] == "every step (shared)").all()


def test_rnn_parameter_count_is_window_independent(rnn_params):
    a = parameter_table(rnn_params, None, None, window=7)
    b = parameter_table(rnn_params, None, None, window=60)
    assert a["Count"].tolist() == b["Count"].tolist()
    assert set(a["Model"]) == {"RNN (memory)"}


def test_metrics_table_shows_the_seed_spread_of_networks_only(metrics):
    metrics = {m: {**v, "mae_sd": 0.02} for m, v in metrics.items()}
    t = metrics_table(metrics, "°F").set_index("Model")
    assert t.loc["RNN (memory)", "± sd (°F)"] == pytest.approx(0.036, abs=1e-6)
    assert np.isnan(t.loc["Persistence", "± sd (°F)"])  # a baseline has no seeds


def test_an_unavailable_baseline_has_its_reason_no_numbers_and_no_rank(metrics):
    metrics = {**metrics, "climatology": {"available": False, "reason": "no training day "
                                          "in the season of the test days"}}
    t = metrics_table(metrics)
    last = t.iloc[-1]
    assert last["Model"] == "Climatology" and t.attrs["models"][-1] == "climatology"
    assert last["Note"] == "not available: no training day in the season of the test days"
    assert last["Rank"] is pd.NA and np.isnan(last["MAE (°C)"])
    assert list(t["Rank"].iloc[:-1]) == [1, 2, 3, 4, 5]  # the others ranked without it
    assert (t["Note"].iloc[:-1] == "").all()


def test_comparison_table_converts_differences_and_names_ties():
    comparison = {"dense": {"diff": -0.004, "low": -0.03, "high": 0.02, "verdict": "tie"},
                  "persistence": {"diff": -0.1, "low": -0.15, "high": -0.05,
                                  "verdict": "better"}}  # fmt: skip
    t = comparison_table(comparison, "°F", unavailable={"climatology": "too short"})
    assert list(t["Model"]) == ["Dense (today only)", "Persistence", "Climatology"]
    assert t["RNN − model MAE (°F)"].iloc[0] == pytest.approx(-0.004 * 1.8, abs=1e-3)
    assert t["95 % interval (°F)"].iloc[1] == "-0.270 to -0.090"
    assert list(t["RNN is"]) == ["tie (could not be told apart)", "better",
                                 "not compared (baseline not available)"]


def test_run_history_names_data_target_period_inputs_and_every_mae():
    rows = [
        {"run": 1, "time": "10:00:00", "data": "Seattle 2012–2015", "target": "temp",
         "period": "2012-01-01 – 2015-12-31", "inputs": "temp, season, rhum", "window": 14,
         "hidden": 32, "activation": "tanh", "lr": 0.01, "epochs": 60, "seed": 0, "seeds": 3,
         "mae": {"rnn": 1.4, "dense": 1.6, "dense_window": 1.5, "persistence": 1.8,
                 "climatology": None, "linear": 1.55}, "winner": "rnn"},
        {"run": 2, "time": "10:05:00", "data": "my.csv", "hidden": 8,
         "mae": {"rnn": 2.0}, "winner": None},
    ]  # fmt: skip
    t = run_history_table(rows, "°F")
    assert len(t) == 2 and t["Run"].tolist() == [1, 2]
    first, second = t.iloc[0], t.iloc[1]
    assert (first["Data"], first["Target"], first["Period"], first["Inputs"]) == (
        "Seattle 2012–2015", "temp", "2012-01-01 – 2015-12-31", "temp, season, rhum")
    assert first["Repeats"] == 3 and first["Hidden"] == 32 and first["LR"] == 0.01
    assert first["RNN (memory) MAE (°F)"] == f"{1.4 * 1.8:.3f}"
    assert first["Dense (window) MAE (°F)"] == f"{1.5 * 1.8:.3f}"
    assert first["Climatology MAE (°F)"] == "n/a"
    assert first["Verdict"] == "RNN (memory)" and second["Verdict"] == "tie"
    assert second["Linear MAE (°F)"] == "n/a" and second["Activation"] == ""
    assert run_history_table([]).empty
