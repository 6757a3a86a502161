"""Saving and loading weights: round trip and clear refusals."""

import io
import json

import numpy as np
import pytest

import rnn
from rnn import Dense, ElmanRNN, WeightsError


def roundtrip(model, extra=None):
    buf = io.BytesIO()
    rnn.save_npz(buf, model, extra)
    buf.seek(0)
    return rnn.load_npz(buf, with_config=True)


@pytest.mark.parametrize("model", [
    ElmanRNN(3, 8, 2, "relu", seed=1, dtype=np.float32),
    Dense(14, 8, 1, "sigmoid", seed=2, dtype=np.float64)])
def test_round_trip(model, tmp_path):
    model.params["b_o"][...] = 0.25
    loaded, extra = roundtrip(model, {"window": 14, "mean": [1.5]})
    assert type(loaded) is type(model) and loaded.config() == model.config()
    np.testing.assert_array_equal(loaded.theta, model.theta)
    assert loaded.theta.dtype == model.theta.dtype
    assert extra == {"window": 14, "mean": [1.5]} and loaded.extra_config == extra
    path = tmp_path / "w.npz"  # a path works too
    rnn.save_npz(path, model)
    np.testing.assert_array_equal(rnn.load_npz(path).theta, model.theta)


def npz(**arrays):
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    buf.seek(0)
    return buf


def good_arrays(model=None):
    model = model or ElmanRNN(2, 4, 1, seed=0)
    arrays = {k: v.copy() for k, v in model.params.items()}
    arrays["config"] = np.array(json.dumps(model.config()))
    return arrays


def test_refuses_missing_and_unexpected_keys():
    a = good_arrays()
    a["W_hh"] = a.pop("W_h")
    with pytest.raises(WeightsError, match="missing W_h; unexpected W_hh"):
        rnn.load_npz(npz(**a))


def test_refuses_wrong_shapes():
    a = good_arrays()
    a["W_h"] = np.zeros((5, 5))
    with pytest.raises(WeightsError, match=r"W_h has shape \(5, 5\).*needs \(4, 4\)"):
        rnn.load_npz(npz(**a))


def test_refuses_pickled_object_arrays():
    a = good_arrays()
    a["W_o"] = np.array([{"evil": 1}], dtype=object)
    buf = io.BytesIO()
    np.savez(buf, **a)  # savez pickles object arrays
    buf.seek(0)
    with pytest.raises(WeightsError, match="pickled"):
        rnn.load_npz(buf)


def test_refuses_a_pickle_file():
    import pickle

    buf = io.BytesIO(pickle.dumps({"W_i": [1, 2]}))
    with pytest.raises(WeightsError, match="pickled"):
        rnn.load_npz(buf)


def test_refuses_non_finite_weights_and_garbage():
    a = good_arrays()
    a["b_h"] = np.full(4, np.nan)
    with pytest.raises(WeightsError, match="b_h contains NaN"):
        rnn.load_npz(npz(**a))
    with pytest.raises(WeightsError, match="not an .npz"):
        rnn.load_npz(io.BytesIO(b"hello, not a zip"))
    a = good_arrays()
    del a["config"]
    with pytest.raises(WeightsError, match="config"):
        rnn.load_npz(npz(**a))


def test_weights_error_is_a_value_error():
    assert issubclass(WeightsError, ValueError)


def test_refuses_arrays_that_unpack_too_large():
    # ~80 MB of zeros compress to well under 1 MB: refused before anything is unpacked.
    buf = io.BytesIO()
    np.savez_compressed(buf, **good_arrays(), pad=np.zeros(10_500_000))
    assert buf.tell() < 1_000_000
    buf.seek(0)
    with pytest.raises(WeightsError, match="unpack to 80 MB"):
        rnn.load_npz(buf)


@pytest.mark.parametrize("n_hidden", [10**6, 0, -3, 2.5, "8", None])
def test_refuses_config_sizes_out_of_bounds_before_building(n_hidden):
    # A config asking for a million hidden units would allocate 10^12 weights: refused first.
    a = good_arrays()
    config = json.loads(str(a["config"]))
    config["n_hidden"] = n_hidden
    a["config"] = np.array(json.dumps(config))
    with pytest.raises(WeightsError, match="whole numbers from 1 to 2048"):
        rnn.load_npz(npz(**a))
