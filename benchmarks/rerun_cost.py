"""What a slider move costs the server once results are on screen (issue 22: ≤ 0.15 s of CPU).

    python benchmarks/rerun_cost.py                       # this checkout
    python benchmarks/rerun_cost.py --compare ../main-old # and another checkout, same run

Each checkout runs in its own child process: the real page script (streamlit_app.py) through
Streamlit's AppTest, one default Train, then ``--moves`` moves of the hidden-size slider. Each
move is one full script run; its cost is the CPU time of the thread that runs the script
(time.thread_time around app.page.main: the page build, chart specs, tables, the messages to
the browser — what a served page spends per rerun, without the test harness's own parsing).
Printed: the median and the max over the moves, and, with --compare, the ratio. Also the cost
of a rerun before any Train (the data panel only) for reference. The machine may be shared:
compare the two checkouts within one run, not with numbers from another day.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(root: str, moves: int) -> dict:
    """In this process: train once with the defaults, then move the slider ``moves`` times."""
    sys.path.insert(0, root)
    from streamlit.testing.v1 import AppTest

    import app.page

    page_main, cpu = app.page.main, []

    def timed_main() -> None:  # streamlit_app.py imports main from app.page on every run
        start = time.thread_time()
        try:
            page_main()
        finally:
            cpu.append(time.thread_time() - start)

    app.page.main = timed_main
    at = AppTest.from_file(str(Path(root) / "streamlit_app.py"), default_timeout=600).run()
    sizes = (16, 24)
    for i in range(3):
        at.sidebar.slider(key="hidden").set_value(sizes[i % 2]).run()
    before_train = statistics.median(cpu[-3:])
    at.sidebar.slider(key="hidden").set_value(32).run()  # back to the default
    at.button(key="train").click().run()
    t0 = time.monotonic()
    while at.session_state["training"]:
        if time.monotonic() - t0 > 600:
            raise TimeoutError("training did not finish in 10 minutes")
        time.sleep(0.5)
        at.run()
    if at.session_state["last_run"] is None:
        raise RuntimeError("no results after Train: " + repr([e.value for e in at.exception]))
    at.run()
    cpu.clear()
    for i in range(moves):
        at.sidebar.slider(key="hidden").set_value(sizes[i % 2]).run()
    return {"root": root, "moves": moves, "median_s": statistics.median(cpu), "max_s": max(cpu),
            "no_results_s": before_train}


def run_child(root: str, moves: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", root, "--moves", str(moves)],
                         capture_output=True, text=True, cwd=root, check=False)
    if out.returncode != 0:
        raise SystemExit(f"measuring {root} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=8, help="slider moves measured")
    parser.add_argument("--compare", metavar="CHECKOUT", help="another checkout to measure too")
    parser.add_argument("--child", metavar="CHECKOUT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.moves)))
        return
    rows = [("this checkout", run_child(str(ROOT), args.moves))]
    if args.compare:
        rows.insert(0, ("--compare", run_child(str(Path(args.compare).resolve()), args.moves)))
    print(f"Server CPU per slider move with results on screen ({args.moves} moves, "
          "script thread, AppTest)")
    print(f"{'checkout':<16}{'median s':>10}{'max s':>9}{'no results s':>14}  path")
    for name, r in rows:
        print(f"{name:<16}{r['median_s']:>10.3f}{r['max_s']:>9.3f}{r['no_results_s']:>14.3f}  "
              f"{r['root']}")
    if args.compare:
        print(f"ratio this / compared: {rows[1][1]['median_s'] / rows[0][1]['median_s']:.2f}")


if __name__ == "__main__":
    main()
