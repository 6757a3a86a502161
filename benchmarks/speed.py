"""Training speed: the from-scratch NumPy RNN against PyTorch nn.RNN + Linear, same job.

    python benchmarks/speed.py          # a table
    python benchmarks/speed.py --json   # one JSON line, the ratio at 3 inputs
    python benchmarks/speed.py --sweep  # hidden 32..256 x window 14..60 on real data
    python benchmarks/speed.py --sweep --threads 1   # BLAS/torch threads (default 2)
    python benchmarks/speed.py --sweep --threads 1 --cpu-time   # on a busy machine
    python benchmarks/speed.py --sweep --write   # also into docs/results/speed.md

--sweep trains both on the bundled Chicago 2001-2016 series (the app's inputs: temperature and
the season, scaled; the target is tomorrow's change) at every slider size, and times whole
training epochs after the first one, when the gradients are those of a network that has
learned something (on a long window they vanish towards float32's subnormal range: see
rnn/underflow.py). Same interleaving and medians as below.

Both train a many-to-one Elman RNN (tanh, hidden 32) with a linear head on the same random
windows (batch 64, window 14, 1 and 3 inputs, float32) with Adam (lr 1e-2) and global-norm
clipping at 5, on 2 threads. Their runs are interleaved (round by round, alternating who goes
first) so that a noisy machine slows both alike; each figure is the median over rounds.
PyTorch is a reference only: without it this prints the NumPy figure alone.
A printed number, not a pass/fail test.
"""

import os
import sys

# Thread counts must be set before numpy (and its BLAS) is imported.
THREADS = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 2
CPU_TIME = "--cpu-time" in sys.argv  # see clock()
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(THREADS)

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere
from benchmarks.publish import publish  # noqa: E402
from rnn import ElmanRNN  # noqa: E402
from rnn.train import TrainConfig, Trainer  # noqa: E402

try:  # optional reference
    import torch
except ImportError:  # pragma: no cover - depends on the machine
    torch = None

try:  # belt and braces: the environment variables above already ask BLAS for 2 threads
    from threadpoolctl import threadpool_limits
except ImportError:  # pragma: no cover
    threadpool_limits = None

CONFIG = {"batch_size": 64, "window": 14, "hidden": 32, "n_samples": 4096, "epochs_per_round": 2,
          "rounds": 5, "optimizer": "adam", "lr": 0.01, "clip": 5.0, "dtype": "float32",
          "threads": THREADS, "cpu_time": CPU_TIME}


def make_data(n_inputs, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(CONFIG["n_samples"], CONFIG["window"], n_inputs)).astype(np.float32)
    y = rng.normal(size=(CONFIG["n_samples"], 1)).astype(np.float32)
    return X, y


def numpy_trainer(X, y, hidden=CONFIG["hidden"]):
    model = ElmanRNN(X.shape[2], hidden, 1, "tanh", seed=0, dtype=np.float32)
    cfg = TrainConfig(epochs=10**9, batch_size=CONFIG["batch_size"], lr=CONFIG["lr"],
                      clip=CONFIG["clip"], patience=None, seed=0)
    return Trainer(model, X, y, None, None, cfg)  # no validation set: training only


def numpy_round(trainer):
    t0 = clock()
    trainer.run(max_epochs=CONFIG["epochs_per_round"])
    return CONFIG["epochs_per_round"] * len(trainer.X) / (clock() - t0)


class TorchRun:
    """The same job in PyTorch: nn.RNN(tanh) + nn.Linear on the last step, Adam, clipping."""

    def __init__(self, X, y, hidden=CONFIG["hidden"]):
        torch.manual_seed(0)
        self.rnn = torch.nn.RNN(X.shape[2], hidden, nonlinearity="tanh", batch_first=True)
        self.head = torch.nn.Linear(hidden, 1)
        self.params = list(self.rnn.parameters()) + list(self.head.parameters())
        self.opt = torch.optim.Adam(self.params, lr=CONFIG["lr"])
        self.X, self.y = torch.from_numpy(X), torch.from_numpy(y)
        self.gen = torch.Generator().manual_seed(0)

    def round_ftz(self):
        """One round with the CPU flushing subnormals to zero (torch.set_flush_denormal):
        PyTorch's own switch against the slowdown rnn/underflow.py avoids. Switched off again
        afterwards, since it would also change NumPy's arithmetic in this thread."""
        torch.set_flush_denormal(True)
        try:
            return self.round()
        finally:
            torch.set_flush_denormal(False)

    def round(self):
        n, bs = len(self.X), CONFIG["batch_size"]
        t0 = clock()
        for _ in range(CONFIG["epochs_per_round"]):
            order = torch.randperm(n, generator=self.gen)
            for a in range(0, n, bs):
                idx = order[a:a + bs]
                out, _ = self.rnn(self.X[idx])
                loss = torch.nn.functional.mse_loss(self.head(out[:, -1]), self.y[idx])
                self.opt.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(self.params, CONFIG["clip"])
                self.opt.step()
                loss.item()  # like the NumPy trainer, look at every batch's loss
        return CONFIG["epochs_per_round"] * n / (clock() - t0)


def torch_grads(m, X, y, dtype):
    """PyTorch's output and MSE gradients for ElmanRNN ``m``'s weights, in torch ``dtype``."""
    p = {k: torch.tensor(v, dtype=dtype, requires_grad=True) for k, v in m.params.items()}
    rnn = torch.nn.RNN(m.n_inputs, m.n_hidden, batch_first=True).to(dtype)
    with torch.no_grad():  # nn.RNN computes x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh
        rnn.weight_ih_l0.copy_(p["W_i"].T)
        rnn.weight_hh_l0.copy_(p["W_h"].T)
        rnn.bias_ih_l0.copy_(p["b_h"])
        rnn.bias_hh_l0.zero_()
    out, _ = rnn(torch.tensor(X, dtype=dtype))
    y_t = out[:, -1] @ p["W_o"] + p["b_o"]
    torch.nn.functional.mse_loss(y_t, torch.tensor(y, dtype=dtype)).backward()
    ref = {"W_i": rnn.weight_ih_l0.grad.T, "W_h": rnn.weight_hh_l0.grad.T,
           "b_h": rnn.bias_ih_l0.grad, "W_o": p["W_o"].grad, "b_o": p["b_o"].grad}
    return y_t.detach().numpy(), {k: v.detach().numpy() for k, v in ref.items()}


def ours(m, X, y):
    """Our output and MSE gradients (a copy), the same quantities as torch_grads."""
    Y, cache = m.forward(np.asarray(X, dtype=m.dtype))
    e = Y[:, -1] - y
    grads = m.backward(2 * e / e.size, cache)  # d MSE / d y_T
    return Y[:, -1].copy(), {k: v.copy() for k, v in grads.items()}


def rel(a, b):
    """Largest difference relative to the largest reference value."""
    return float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-300))


def max_rel(a, b):
    """Max over the output and every gradient of rel(ours, reference)."""
    return max([rel(a[0], b[0])] + [rel(a[1][k], b[1][k]) for k in b[1]])


def torch_agreement(n_inputs=3, seed=0):
    """Max relative difference between our and PyTorch's outputs and gradients (float64)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(8, CONFIG["window"], n_inputs))
    y = rng.normal(size=(8, 1))
    m = ElmanRNN(n_inputs, CONFIG["hidden"], 1, "tanh", seed=seed, dtype=np.float64)
    return max_rel(ours(m, X, y), torch_grads(m, X, y, torch.float64))


def float32_agreement_after_training(hidden=256, window=60):
    """After one epoch on the real series (gradients vanishing into float32's subnormal range):
    max relative difference to PyTorch float64 of our float32 (flushed) and of PyTorch float32.
    """
    X, y = real_windows(window)
    tr = numpy_trainer(X, y, hidden)
    tr.run(max_epochs=1)
    m32 = tr.model
    m64 = ElmanRNN(m32.n_inputs, hidden, 1, "tanh", dtype=np.float64)
    m64.theta[...] = m32.theta
    Xb, yb = X[:CONFIG["batch_size"]], y[:CONFIG["batch_size"]]
    exact = torch_grads(m64, Xb.astype(np.float64), yb.astype(np.float64), torch.float64)
    return (max_rel(ours(m32, Xb, yb), exact),
            max_rel(torch_grads(m32, Xb, yb, torch.float32), exact))


def measure(n_inputs):
    """Median samples/s of each side over interleaved rounds (after one warm-up round)."""
    return interleaved(*make_data(n_inputs), CONFIG["hidden"], CONFIG["rounds"])


def interleaved(X, y, hidden, rounds_after_warmup, torch_ftz=False):
    """Median samples/s of NumPy and PyTorch training on (X, y), rounds alternating who starts.

    ``torch_ftz`` adds a third contender: PyTorch with the CPU's flush-to-zero switched on.
    """
    runs = {"numpy": numpy_trainer(X, y, hidden)}
    rounds = {"numpy": lambda: numpy_round(runs["numpy"])}
    if torch is not None:
        runs["torch"] = TorchRun(X, y, hidden)
        rounds["torch"] = runs["torch"].round
        if torch_ftz and torch.set_flush_denormal(False):  # True where the CPU supports it
            runs["torch_ftz"] = TorchRun(X, y, hidden)
            rounds["torch_ftz"] = runs["torch_ftz"].round_ftz
    speeds = {name: [] for name in rounds}
    for r in range(rounds_after_warmup + 1):
        order = list(rounds) if r % 2 == 0 else list(reversed(rounds))
        for name in order:
            s = rounds[name]()
            if r > 0:  # round 0 warms caches and allocators up
                speeds[name].append(s)
    return {name: statistics.median(v) for name, v in speeds.items()}


def clock():
    """Wall time, or with --cpu-time this process's CPU time: on a machine shared with other
    jobs, CPU seconds of a 1-thread run measure the work itself, not the wait for a core."""
    return time.process_time() if CPU_TIME else time.perf_counter()


SWEEP = {"hidden": (32, 64, 128, 256), "window": (14, 30, 60), "sample": "chicago-2001-2016",
         "epochs_per_round": 1, "rounds": 3}


def real_windows(window):
    """The training windows the app builds from the bundled Chicago series: X, y float32."""
    import data_sources as ds
    from forecast.config import ExperimentConfig
    from forecast.pipeline import ExperimentRunner

    runner = ExperimentRunner(ExperimentConfig(window=window)).fit(ds.load_sample(SWEEP["sample"]))
    tr = runner.split.train
    return runner.X[tr].astype(np.float32), runner.y[tr].astype(np.float32)


def sweep():
    """{(hidden, window): {"numpy": samples/s, "torch": samples/s}} on the real series.

    Round 0 (one epoch each) is the warm-up that is not counted: the timed epochs start from a
    network that has trained for an epoch, so their gradients are realistic.
    """
    CONFIG["epochs_per_round"] = SWEEP["epochs_per_round"]
    out = {}
    for window in SWEEP["window"]:
        X, y = real_windows(window)
        for hidden in SWEEP["hidden"]:
            out[(hidden, window)] = r = interleaved(X, y, hidden, SWEEP["rounds"], True)
            print(f"  hidden {hidden:>3}, window {window:>2}: "
                  + "  ".join(f"{k} {v:,.0f}" for k, v in r.items()), file=sys.stderr)
    return out, len(X)


def sweep_table(results):
    """Markdown, one row per cell: samples/s of each contender and NumPy's ratio to each."""
    has_torch = any("torch" in r for r in results.values())
    has_ftz = any("torch_ftz" in r for r in results.values())
    head = ["hidden", "window", "NumPy"]
    head += ["PyTorch", "NumPy / PyTorch"] if has_torch else []
    head += ["PyTorch, flush-to-zero on", "NumPy / that"] if has_ftz else []
    lines = ["| " + " | ".join(head) + " |", "|" + "---:|" * len(head)]
    for (h, w), r in results.items():
        row = [f"{h}", f"{w}", f"{r['numpy']:,.0f}"]
        for k in ("torch", "torch_ftz"):
            if k in r:
                row += [f"{r[k]:,.0f}", f"**{r['numpy'] / r[k]:.1f}×**"]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--sweep", action="store_true",
                        help="hidden 32-256 x window 14-60 on the bundled Chicago series")
    parser.add_argument("--threads", type=int, default=THREADS,
                        help="BLAS and torch threads (read before numpy is imported)")
    parser.add_argument("--write", action="store_true",
                        help="with --sweep: also write the table to docs/results/speed.md")
    parser.add_argument("--cpu-time", action="store_true",
                        help="samples per CPU second instead of per wall second (use with "
                             "--threads 1 on a busy machine)")
    args = parser.parse_args(argv)
    if torch is not None:
        torch.set_num_threads(THREADS)
    if threadpool_limits is not None:
        threadpool_limits(THREADS)
    if args.sweep:
        t0 = time.perf_counter()
        results, n = sweep()
        text = (f"samples/s training on {SWEEP['sample']} ({n:,} training windows at window "
                f"{SWEEP['window'][-1]}), batch {CONFIG['batch_size']}, float32, {THREADS} "
                f"thread(s), Adam, {'CPU' if CPU_TIME else 'wall'} time; median of "
                f"{SWEEP['rounds']} interleaved epochs after the first; "
                f"NumPy / PyTorch = ratio ({time.perf_counter() - t0:.0f} s, load "
                f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)\n\n"
                + sweep_table(results))
        if torch is not None:
            ours32, torch32 = float32_agreement_after_training()
            text += (f"\n\nfloat32 gradients after one epoch at hidden 256, window 60, against "
                     f"PyTorch float64: ours (flushed) {ours32:.1e}, PyTorch float32 "
                     f"{torch32:.1e} (max relative difference)")
        publish("speed", "Training speed: NumPy against PyTorch", text, args.write, argv)
        return
    results = {n: measure(n) for n in (1, 3)}
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    busy = load is not None and load > (os.cpu_count() or 1)
    if args.json:
        r3 = results[3]
        line = {"numpy_samples_per_s": round(r3["numpy"]),
                "torch_samples_per_s": round(r3["torch"]) if torch is not None else None,
                "ratio": round(r3["numpy"] / r3["torch"], 2) if torch is not None else None,
                "config": {**CONFIG, "n_inputs": 3,
                           "load_avg_1min": load, "numpy": np.__version__,
                           "torch": torch.__version__ if torch is not None else None}}
        print(json.dumps(line))
        return
    if busy:
        print(f"warning: the machine is busy (load {load:.1f} on {os.cpu_count()} cores); "
              "2-thread PyTorch suffers most from contention, so the ratio is unreliable")
    if torch is None:
        print("PyTorch is not installed: showing the NumPy figure only "
              "(pip install torch to compare).")
    print(f"samples/s, batch {CONFIG['batch_size']}, window {CONFIG['window']}, "
          f"hidden {CONFIG['hidden']}, float32, {THREADS} threads, Adam, "
          f"{'CPU' if CPU_TIME else 'wall'} time, median of "
          f"{CONFIG['rounds']} interleaved rounds")
    for n, r in results.items():
        row = f"  {n} input{'s' if n > 1 else ' '}: numpy {r['numpy']:>10,.0f}"
        if torch is not None:
            row += f"   torch {r['torch']:>10,.0f}   ratio {r['numpy'] / r['torch']:.2f}x"
        print(row)
    if torch is not None:
        print(f"outputs and gradients vs PyTorch (float64): max relative difference "
              f"{torch_agreement():.1e}")


if __name__ == "__main__":
    main()
