"""Save and load a network's weights with its configuration as a plain .npz file.

The file holds one array per parameter (W_i, W_h, ...) and ``config``: a JSON string (a numpy
unicode array, not a pickled object) with the network's shape, activation and dtype plus any
``extra_config`` the caller wants to keep (e.g. the scaler and the window length). Loading uses
``allow_pickle=False`` and checks every key and shape before building the model.
"""

import json
import zipfile

import numpy as np

from .dense import Dense
from .elman import ElmanRNN

FORMAT = "rnn-weather-lab/weights/1"
KINDS = {"ElmanRNN": ElmanRNN, "Dense": Dense}
# Bounds for files from strangers: a tiny compressed file must not make us allocate gigabytes.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # all arrays together, uncompressed (hidden 256: ~0.6 MB)
MAX_UNITS = 2048  # per layer size in 'config' (the app trains hidden <= 256, inputs <= 540)


class WeightsError(ValueError):
    """A weights file that cannot be loaded; the message says what is wrong."""


def save_npz(file, model, extra_config=None):
    """Write ``model``'s weights and configuration to ``file`` (a path or a binary file-like)."""
    config = {"format": FORMAT, **model.config(), "extra": extra_config or {}}
    try:
        text = json.dumps(config)
    except TypeError as e:
        raise ValueError(f"extra_config must be JSON-serialisable: {e}") from None
    np.savez(file, config=np.array(text), **{k: np.array(v) for k, v in model.params.items()})


def _read(file):
    try:
        with np.load(file, allow_pickle=False) as data:
            if not isinstance(data, np.lib.npyio.NpzFile):
                raise WeightsError("this is a single .npy array, not an .npz weights file")
            unpacked = sum(info.file_size for info in data.zip.infolist())  # sizes zipfile enforces
            if unpacked > MAX_UNPACKED_BYTES:
                raise WeightsError(f"its arrays unpack to {unpacked / 2**20:.0f} MB; weights files "
                                   f"are at most {MAX_UNPACKED_BYTES // 2**20} MB")
            arrays = {}
            for key in data.files:
                try:
                    arrays[key] = data[key]
                except ValueError:
                    raise WeightsError(
                        f"array {key!r} holds pickled Python objects; weights files may only "
                        "contain plain numeric arrays, so it was not loaded") from None
            return arrays
    except WeightsError:
        raise
    except FileNotFoundError:
        raise
    except ValueError as e:
        if "pickle" in str(e):
            raise WeightsError("not an .npz archive of plain arrays: numpy could only read it "
                               "as pickled Python objects, which are refused for safety") from None
        raise WeightsError(f"not an .npz weights file ({e})") from None
    except (OSError, EOFError, zipfile.BadZipFile) as e:
        raise WeightsError(f"not an .npz weights file ({e})") from None


def load_npz(file, *, with_config=False):
    """Read a file written by ``save_npz`` and return the model.

    With ``with_config=True`` returns ``(model, extra_config)``. The extra configuration is also
    kept on the model as ``model.extra_config``. Raises WeightsError saying what is wrong.
    """
    arrays = _read(file)
    if "config" not in arrays:
        raise WeightsError("no 'config' entry: this .npz was not written by rnn.save_npz")
    cfg_arr = arrays.pop("config")
    if cfg_arr.shape != () or cfg_arr.dtype.kind != "U":
        raise WeightsError("'config' must be a single JSON string")
    try:
        config = json.loads(str(cfg_arr))
    except json.JSONDecodeError as e:
        raise WeightsError(f"'config' is not valid JSON ({e})") from None
    if not isinstance(config, dict):
        raise WeightsError("'config' must be a JSON object")
    kind = config.get("kind")
    if kind not in KINDS:
        raise WeightsError(f"unknown network kind {kind!r}; expected one of {sorted(KINDS)}")
    sizes = [config.get(k) for k in ("n_inputs", "n_hidden", "n_outputs")]
    if not all(isinstance(n, int) and 1 <= n <= MAX_UNITS for n in sizes):
        raise WeightsError(f"'config' sizes n_inputs, n_hidden, n_outputs must be whole numbers "
                           f"from 1 to {MAX_UNITS} (got {sizes})")
    try:
        model = KINDS[kind](n_inputs=config["n_inputs"], n_hidden=config["n_hidden"],
                            n_outputs=config["n_outputs"], activation=config["activation"],
                            seed=config.get("seed", 0), dtype=config.get("dtype", "float32"))
    except KeyError as e:
        raise WeightsError(f"'config' lacks {e.args[0]!r}") from None
    except ValueError as e:
        raise WeightsError(f"bad configuration: {e}") from None

    expected = {k: v.shape for k, v in model.params.items()}
    missing = sorted(set(expected) - set(arrays))
    unknown = sorted(set(arrays) - set(expected))
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if unknown:
            parts.append(f"unexpected {', '.join(unknown)}")
        raise WeightsError(f"{kind} weights have the wrong keys: {'; '.join(parts)} "
                           f"(expected exactly {', '.join(expected)})")
    for k, shape in expected.items():
        a = arrays[k]
        if a.shape != shape:
            raise WeightsError(
                f"{k} has shape {a.shape} but this {kind} (n_inputs={model.n_inputs}, "
                f"n_hidden={model.n_hidden}, n_outputs={model.n_outputs}) needs {shape}")
        if a.dtype.kind not in "fiu":
            raise WeightsError(f"{k} has dtype {a.dtype}; expected floating-point numbers")
        if not np.isfinite(a).all():
            raise WeightsError(f"{k} contains NaN or infinite values")
        model.params[k][...] = a
    model.extra_config = config.get("extra", {})
    return (model, model.extra_config) if with_config else model
