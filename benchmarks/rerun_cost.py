"""What a slider move costs the server once results are on screen (issue 22: ≤ 0.15 s of CPU).

    python benchmarks/rerun_cost.py                       # this checkout
    python benchmarks/rerun_cost.py --compare ../main-old # and another checkout, same run
    python benchmarks/rerun_cost.py --server              # through `streamlit run` + Chromium

Each checkout runs in its own child process: the real page script (streamlit_app.py) through
Streamlit's AppTest, one default Train, then ``--moves`` moves of the hidden-size slider. Each
move is one full script run; its cost is the CPU time of the thread that runs the script
(time.thread_time around app.page.main: the page build, chart specs, tables, the messages to
the browser — what a served page spends per rerun, without the test harness's own parsing).
Printed: the median and the max over the moves, and, with --compare, the ratio. Also the cost
of a rerun before any Train (the data panel only) for reference. The machine may be shared:
compare the two checkouts within one run, not with numbers from another day.

--server measures the real thing: each checkout's `streamlit run` on 127.0.0.1 and a headless
Chromium (low priority, as a student's browser runs on their own device) pressing Train with the
defaults, then moving the "Hidden size" slider with the keyboard; a move's cost is the server
process's own CPU time (/proc/<pid>/stat: utime + stime over all its threads — the script run,
the websocket, Tornado; the training workers are other processes) from the key press until the
page has been idle for a second, minus the idle server's CPU over the same time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
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


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of one process, all its threads, not its children."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


IDLE_JS = """() => !document.querySelector('[data-testid="stStatusWidget"] button')"""


def measure_server(root: str, moves: int) -> dict:
    """Through `streamlit run` from ``root`` and Chromium: CPU of the server per slider move."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    entry = Path(root) / "serve.py"  # the app as launched (an older checkout: the page script)
    entry = entry if entry.exists() else Path(root) / "streamlit_app.py"
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(entry),
         "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port",
         str(port), "--browser.gatherUsageStats", "false"], cwd=root, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
            for pid in chromium_pids():  # the browser stands for a student's own device
                with contextlib.suppress(OSError):
                    os.setpriority(os.PRIO_PROCESS, pid, 19)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            wait_until(lambda: healthy(port), 60)
            page.goto(f"http://127.0.0.1:{port}", wait_until="domcontentloaded")
            train = page.get_by_test_id("stSidebar").get_by_role("button", name="Train",
                                                                 exact=True)
            page.wait_for_function("""() => [...document.querySelectorAll(
                '[data-testid="stSidebar"] button')].some(b => b.innerText.trim() === 'Train'
                && !b.disabled)""", timeout=120_000)
            train.click()
            page.get_by_text("Did memory help?").or_(page.get_by_text("Forecasting the")).first \
                .wait_for(timeout=600_000)
            settle(page)
            idle_rate = idle_cpu_rate(server.pid)
            slider = page.get_by_test_id("stSidebar").get_by_role("slider").first
            cpu = []
            for i in range(moves):
                start, t0 = process_cpu(server.pid), time.monotonic()
                slider.focus()
                page.keyboard.press("ArrowLeft" if i % 2 == 0 else "ArrowRight")
                page.wait_for_timeout(300)  # the slider sends its value after a short debounce
                settle(page)
                cpu.append(process_cpu(server.pid) - start - idle_rate * (time.monotonic() - t0))
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return {"root": root, "moves": moves, "median_s": statistics.median(cpu), "max_s": max(cpu),
            "no_results_s": float("nan")}


def settle(page) -> None:
    """Until the script run has ended and the page has been idle for a second."""
    page.wait_for_function(IDLE_JS, timeout=120_000)
    page.wait_for_timeout(1000)
    page.wait_for_function(IDLE_JS, timeout=120_000)


def idle_cpu_rate(pid: int, seconds: float = 3.0) -> float:
    """The idle server's CPU seconds per second (its own timers), subtracted from each move."""
    start = process_cpu(pid)
    time.sleep(seconds)
    return (process_cpu(pid) - start) / seconds


def chromium_pids() -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()
            and "chromium" in (p / "comm").read_text(errors="ignore") if (p / "comm").exists()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def wait_until(ok, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not ok():
        if time.monotonic() > deadline:
            raise TimeoutError("the server did not start")
        time.sleep(0.25)


def run_child(root: str, moves: int, server: bool = False) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", root, "--moves", str(moves),
                          *(["--server"] if server else [])],
                         capture_output=True, text=True, cwd=root, check=False)
    if out.returncode != 0:
        raise SystemExit(f"measuring {root} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=8, help="slider moves measured")
    parser.add_argument("--compare", metavar="CHECKOUT", help="another checkout to measure too")
    parser.add_argument("--server", action="store_true",
                        help="through `streamlit run` and Chromium: the server process's CPU")
    parser.add_argument("--child", metavar="CHECKOUT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        how = measure_server if args.server else measure
        print(json.dumps(how(args.child, args.moves)))
        return
    rows = [("this checkout", run_child(str(ROOT), args.moves, args.server))]
    if args.compare:
        rows.insert(0, ("--compare", run_child(str(Path(args.compare).resolve()), args.moves,
                                               args.server)))
    where = "server process, streamlit run + Chromium" if args.server else \
        "script thread, AppTest"
    print(f"Server CPU per slider move with results on screen ({args.moves} moves, {where})")
    print(f"{'checkout':<16}{'median s':>10}{'max s':>9}{'no results s':>14}  path")
    for name, r in rows:
        before = r["no_results_s"]  # not measured through the server
        before_text = "—" if before != before else f"{before:.3f}"
        print(f"{name:<16}{r['median_s']:>10.3f}{r['max_s']:>9.3f}{before_text:>14}  {r['root']}")
    if args.compare:
        print(f"ratio this / compared: {rows[1][1]['median_s'] / rows[0][1]['median_s']:.2f}")


if __name__ == "__main__":
    main()
