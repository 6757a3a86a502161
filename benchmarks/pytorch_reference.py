"""PyTorch's nn.RNN on the app's exact task: the accuracy yardstick of docs/experiment.md.

    pip install torch                      # only this script needs it; the app never imports it
    python benchmarks/pytorch_reference.py                           # the three long samples
    python benchmarks/pytorch_reference.py --csv clemson-1991-2020.csv --level

The project's own windows, split, scaling and target coding (forecast.ExperimentRunner), so the
numbers compare with benchmarks/accuracy.py day for day; the network and its training follow the
reference protocol of the project's anchors: torch.nn.RNN (tanh, hidden 32) + a linear output on
the last step, Adam 1e-2, batch 64, gradient clip 5, 60 full epochs with **MSE**, the epoch with
the best validation loss kept. No Huber loss, no weight averaging, no early stopping: this is the
plain recipe the lab's own is measured against. ``--level`` trains on the standardised
temperature instead of the day-to-day change (the anchors' own protocol).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.accuracy import load  # noqa: E402
from forecast import ExperimentConfig, ExperimentRunner  # noqa: E402

LONG_SAMPLES = ("seattle-2012-2015", "chicago-2001-2016", "melbourne-1981-1990")


def reference_mae(df, seed: int, level: bool = False, epochs: int = 60) -> float:
    """Test MAE (°C) of one PyTorch RNN trained with the reference protocol."""
    import torch

    torch.set_num_threads(1)
    r = ExperimentRunner(ExperimentConfig(seed=seed, seeds=1, predict_change=not level)).fit(df)
    sp = r.split
    X = torch.tensor(r.X, dtype=torch.float32)
    y = torch.tensor(r.y, dtype=torch.float32)
    torch.manual_seed(seed)
    rnn = torch.nn.RNN(X.shape[2], 32, batch_first=True)
    out = torch.nn.Linear(32, 1)
    params = [*rnn.parameters(), *out.parameters()]

    def forward(x):
        return out(rnn(x)[0][:, -1])

    opt = torch.optim.Adam(params, lr=1e-2)
    train, val, test = (torch.tensor(i) for i in (sp.train, sp.val, sp.test))
    gen = torch.Generator().manual_seed(seed)
    best, kept = float("inf"), None
    for _ in range(epochs):
        order = train[torch.randperm(len(train), generator=gen)]
        for i in range(0, len(order), 64):
            b = order[i:i + 64]
            opt.zero_grad()
            loss = torch.mean((forward(X[b]) - y[b]) ** 2)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 5.0)
            opt.step()
        with torch.no_grad():
            v = torch.mean((forward(X[val]) - y[val]) ** 2).item()
        if v < best:
            best, kept = v, [p.detach().clone() for p in params]
    with torch.no_grad():
        for p, k in zip(params, kept, strict=True):
            p.copy_(k)
        pred = forward(X[test])[:, 0].numpy().astype(float)
    levels = r.coder.decode(r.today[sp.test], pred)
    return float(np.mean(np.abs(levels - r.actual[sp.test])))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sample", action="append", help="bundled sample ids (default: the long ones)")
    p.add_argument("--csv", action="append", default=[], metavar="FILE", help="a daily .csv")
    p.add_argument("--seeds", type=int, default=3, help="seeds 0..N-1 (default 3)")
    p.add_argument("--level", action="store_true", help="target the level, not the change")
    args = p.parse_args(argv)
    try:
        import torch  # noqa: F401
    except ImportError:
        print("This benchmark needs PyTorch: pip install torch (CPU is enough).", file=sys.stderr)
        return 2
    series = [*(args.sample or ([] if args.csv else LONG_SAMPLES)), *args.csv]
    print("| series | " + " | ".join(f"seed {s}" for s in range(args.seeds)) + " | mean |")
    print("|---|" + "---|" * (args.seeds + 1))
    for name in series:
        df = load(name)
        maes = [reference_mae(df, s, args.level) for s in range(args.seeds)]
        print(f"| {Path(name).stem} | " + " | ".join(f"{m:.3f}" for m in maes)
              + f" | **{np.mean(maes):.3f}** |", flush=True)
    print(f"\nTest MAE in °C, PyTorch nn.RNN, MSE, 60 epochs, best validation epoch; target: "
          f"{'level' if args.level else 'day-to-day change'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
