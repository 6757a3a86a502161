import numpy as np
import pytest

from ui import metrics_table, parameter_table, run_history_table


def test_metrics_table_sorted_by_mae_with_rank_and_labels(metrics):
    t = metrics_table(metrics)
    assert list(t.columns) == ["Rank", "Model", "MAE (°C)", "RMSE (°C)", "Bias (°C)",
                               "Skill vs persistence"]  # fmt: skip
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


def test_run_history_shows_one_row_per_run_in_the_chosen_units():
    rows = [
        {"run": 1, "time": "10:00:00", "data": "Berlin", "window": 14, "hidden": 32,
         "activation": "tanh", "lr": 0.01, "epochs": 60, "seed": 0,
         "mae": {"rnn": 1.4, "dense": 1.6}, "best_baseline_mae": 1.55, "winner": "rnn"},
        {"run": 2, "time": "10:05:00", "data": "seattle", "hidden": 8,
         "mae": {"rnn": 2.0, "dense": 1.9}, "best_baseline_mae": 1.7, "winner": "linear"},
    ]  # fmt: skip
    t = run_history_table(rows, "°F")
    assert len(t) == 2 and t["Run"].tolist() == [1, 2]
    first, second = t.iloc[0], t.iloc[1]
    assert first["Data"] == "Berlin" and first["Hidden"] == 32 and first["LR"] == 0.01
    assert first["RNN MAE (°F)"] == pytest.approx(1.4 * 1.8, abs=0.005)
    assert first["Dense MAE (°F)"] == pytest.approx(1.6 * 1.8, abs=0.005)
    assert first["Best baseline MAE (°F)"] == pytest.approx(1.55 * 1.8, abs=0.005)
    assert first["Winner"] == "RNN (memory)" and second["Winner"] == "Linear"
    assert second["Data"] == "seattle" and second["Hidden"] == 8 and second["Activation"] == ""
    assert run_history_table([]).empty
