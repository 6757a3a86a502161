import numpy as np
import pandas as pd
import pytest

from ui import walkthrough_steps, walkthrough_table


def _reference(params, X, act):
    """Straightforward forward pass, written independently of ui.walkthrough."""
    f = {"tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
         "relu": lambda z: np.where(z > 0, z, 0.0)}[act]  # fmt: skip
    h = np.zeros(params["W_h"].shape[0])
    for x in X:
        h = f(np.dot(x, params["W_i"]) + np.dot(h, params["W_h"]) + params["b_h"])
    return float((np.dot(h, params["W_o"]) + params["b_o"])[0]), h


@pytest.mark.parametrize("act", ["tanh", "sigmoid", "relu"])
def test_final_output_equals_an_independent_forward_pass(rnn_params, act):
    X = np.random.default_rng(4).normal(0, 1, (10, 3))
    dates = pd.date_range("2022-01-01", periods=10)
    steps = walkthrough_steps(rnn_params, X, act, dates, ["temp", "sin", "cos"])
    y, h = _reference(rnn_params, X, act)
    assert len(steps) == 10 and steps[-1]["is_last"]
    assert steps[-1]["y"] == pytest.approx(y, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(steps[-1]["h"], h, rtol=1e-12)
    # and a batched (1, time, n_in) window gives the same
    assert walkthrough_steps(rnn_params, X[None], act)[-1]["y"] == pytest.approx(y)


def test_each_step_follows_the_seed_order(rnn_params):
    X = np.random.default_rng(5).normal(0, 1, (4, 3))
    steps = walkthrough_steps(rnn_params, X, "tanh")
    assert steps[0]["hWh"] == [0.0] * 8  # h_0 = 0
    for prev, s in zip([None, *steps[:-1]], steps, strict=True):
        np.testing.assert_allclose(s["xWi"], np.asarray(s["x"]) @ rnn_params["W_i"])
        h_prev = np.zeros(8) if prev is None else np.asarray(prev["h"])
        np.testing.assert_allclose(s["hWh"], h_prev @ rnn_params["W_h"])
        np.testing.assert_allclose(s["z"], np.add(s["xWi"], s["hWh"]) + rnn_params["b_h"])
        np.testing.assert_allclose(s["h"], np.tanh(s["z"]))


def test_matches_the_project_rnn_when_available(rnn_params):
    rnn = pytest.importorskip("rnn")
    model = rnn.ElmanRNN(n_inputs=3, n_hidden=8, activation="sigmoid", seed=0)
    for k, v in rnn_params.items():
        model.params[k][...] = v
    X = np.random.default_rng(6).normal(0, 1, (1, 6, 3))
    Y, _ = model.forward(X)
    steps = walkthrough_steps(model.params, X, "sigmoid")
    np.testing.assert_allclose([s["y"] for s in steps], Y[0, :, 0], rtol=1e-10)


def test_table_is_readable(rnn_params):
    X = np.random.default_rng(7).normal(0, 1, (5, 3))
    dates = pd.date_range("2022-03-01", periods=5)
    steps = walkthrough_steps(rnn_params, X, "relu", dates, ["temp", "sin", "cos"])
    t = walkthrough_table(steps, n_units=2)
    assert len(t) == 5 and t["Date"].iloc[0] == "2022-03-01"
    assert list(t.columns[:5]) == ["Step", "Date", "x: temp", "x: sin", "x: cos"]
    assert list(t.columns[5:9]) == ["h1: x·W_i", "h1: h_prev·W_h", "h1: sum + b_h", "h1: relu(sum)"]
    assert t.columns[-1] == "ŷ = h·W_o + b_o"
    assert t["ŷ = h·W_o + b_o"].iloc[-1] == pytest.approx(steps[-1]["y"], abs=1e-3)
    assert walkthrough_table([]).empty
    plain = walkthrough_steps(rnn_params, X, "tanh")
    renamed = walkthrough_table(plain, input_names=["a", "b", "c"])
    assert list(renamed.columns[2:5]) == ["x: a", "x: b", "x: c"]


def test_bad_inputs_are_refused(rnn_params):
    with pytest.raises(ValueError):
        walkthrough_steps(rnn_params, np.zeros((4, 5)), "tanh")
    with pytest.raises(ValueError):
        walkthrough_steps(rnn_params, np.zeros((4, 3)), "gelu")
