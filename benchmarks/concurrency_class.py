"""``benchmarks/concurrency.py --class 30``: a class on one server.

N Chromium sessions (one browser at low priority: students' browsers render on their own
devices) open the default page; each presses Train at a random moment within ``--spread``
seconds. Printed: answered / failed, Train -> verdict (p50, p95; when the server's message with
the verdict reached the browser) against one session on the idle server, the CPU seconds of the
server and its job processes per student (opening the page, training, the results), and their
peak memory together. Then ``--curves`` sessions open the memory experiment's link at once and
wait for their memory curves.

CPU is read from /proc: for every process in the server's tree (the server, the fork server,
the jobs) its own and its reaped children's user + system time, so a job that has ended still
counts (in the fork server's). Memory is sampled every 0.5 s as the sum of the tree's
proportional set sizes (PSS: pages shared by forked jobs counted once) and resident sizes (RSS,
shared pages counted in every process).
"""

import random
import statistics
import sys
import threading
import time
from pathlib import Path

from benchmarks.concurrency_server import Browser, _open, verdict_clock
from tests.helpers.browser import start_streamlit, stop_process, train_button

TICK = 100.0  # clock ticks per second (os.sysconf("SC_CLK_TCK") on Linux: 100)
CURVE_DONE = "-day window the RNN missed by"  # the curve's answer (app/guided.py memory_answer)


def tree(root: int) -> list[int]:
    """``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def cpu_seconds(root: int) -> float:
    """User + system CPU of the tree, reaped children included."""
    total = 0.0
    for pid in tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15]) / TICK  # utime stime cutime cstime
    return total


def memory_mb(root: int) -> tuple[float, float]:
    """(PSS, RSS) of the tree in MB."""
    pss = rss = 0.0
    for pid in tree(root):
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1]) / 1024
                elif line.startswith("Rss:"):
                    rss += int(line.split()[1]) / 1024
        except OSError:
            continue
    return pss, rss


class PeakMemory:
    """Samples the tree's memory every 0.5 s in a thread; ``peak`` = (PSS, RSS) maxima."""

    def __init__(self, root: int):
        self.root, self.peak, self._stop = root, (0.0, 0.0), threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            pss, rss = memory_mb(self.root)
            self.peak = (max(self.peak[0], pss), max(self.peak[1], rss))

    def stop(self) -> tuple[float, float]:
        self._stop.set()
        self._thread.join()
        return self.peak


def pctl(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def one_session(browser: Browser, url: str) -> float:
    """Open the default page, press Train, seconds until the verdict was sent."""
    sent: list[float] = []
    context, page = _open(browser, url, verdict_clock(sent))
    try:
        clicked = time.perf_counter()
        train_button(page).click()
        deadline = clicked + 600
        while not sent and time.perf_counter() < deadline:
            page.wait_for_timeout(100)
        return sent[0] - clicked if sent else float("nan")
    finally:
        context.close()


def a_class(browser: Browser, url: str, n: int, spread_s: float, root: int) -> dict:
    """N sessions open the page, then press Train at random moments within spread_s."""
    cpu0 = cpu_seconds(root)
    memory = PeakMemory(root)
    clocks: list[list[float]] = [[] for _ in range(n)]
    browser.renice(0)
    opened = []
    for i in range(n):
        opened.append(_open(browser, url, verdict_clock(clocks[i])))
        print(f"session {i + 1} of {n} open", file=sys.stderr, flush=True)
    opened_cpu = cpu_seconds(root) - cpu0
    browser.renice()  # from here on they render at low priority, as on students' own devices
    rng = random.Random(0)
    plan = sorted((rng.uniform(0, spread_s), i) for i in range(n))
    start, clicked = time.perf_counter(), {}
    for at, i in plan:
        while time.perf_counter() - start < at:
            opened[0][1].wait_for_timeout(50)  # lets Playwright deliver frames meanwhile
        train_button(opened[i][1]).click()
        clicked[i] = time.perf_counter()
    deadline = time.perf_counter() + 900
    while any(not c for c in clocks) and time.perf_counter() < deadline:
        opened[0][1].wait_for_timeout(200)
    failed = sum(1 for _, page in opened
                 if page.locator('[data-testid="stException"], [data-testid="stAlert"]')
                 .filter(has_text="stopped unexpectedly").count())
    time.sleep(2)  # the pages' last reruns (results drawn, live view closed)
    cpu = cpu_seconds(root) - cpu0
    for context, _ in opened:
        context.close()
    waits = [clocks[i][0] - clicked[i] for i in range(n) if clocks[i]]
    return {"n": n, "answered": len(waits), "failed": failed + (n - len(waits)),
            "p50": pctl(waits, 0.5) if waits else float("nan"),
            "p95": pctl(waits, 0.95) if waits else float("nan"),
            "cpu_per_student": cpu / n, "open_cpu_per_student": opened_cpu / n,
            "peak": memory.stop()}


def curves_at_once(browser: Browser, url: str, n: int, root: int) -> dict:
    """N sessions open the memory experiment's link (it trains the run, then the curve)."""
    cpu0 = cpu_seconds(root)
    memory = PeakMemory(root)
    start = time.perf_counter()
    browser.renice(0)
    opened = [_open(browser, f"{url}/?experiment=memory") for _ in range(n)]
    browser.renice()
    done: dict[int, float] = {}
    deadline = start + 1800
    while len(done) < n and time.perf_counter() < deadline:
        for i, (_, page) in enumerate(opened):
            if i not in done and page.get_by_text(CURVE_DONE).count():
                done[i] = time.perf_counter() - start
        opened[0][1].wait_for_timeout(500)
    cpu = cpu_seconds(root) - cpu0
    for context, _ in opened:
        context.close()
    times = list(done.values())
    return {"n": n, "finished": len(done), "p50": statistics.median(times) if times else 0.0,
            "last": max(times) if times else 0.0, "cpu_per_session": cpu / n,
            "peak": memory.stop()}


def class_of(args) -> str:
    """Run both measurements through one fresh server; the report as markdown."""
    from playwright.sync_api import sync_playwright

    proc, url, _log = start_streamlit({})
    root = proc.pid
    try:
        with sync_playwright() as pw:
            students = Browser(pw, args.others_nice)  # normal priority while pages open
            one_session(students, url)  # first use: imports, the fork server, caches
            idle = statistics.median(one_session(students, url) for _ in range(3))
            klass = a_class(students, url, args.class_size, args.spread, root)
            print(report(klass, None, idle, args), flush=True)  # before the curves: hours later
            curves = curves_at_once(students, url, args.curves, root) if args.curves else None
            students.close()
    finally:
        stop_process(proc)
    return report(klass, curves, idle, args)


def report(klass: dict, curves: dict | None, idle: float, args) -> str:
    lines = [f"A class of {klass['n']}: the default page, Train pressed at a random moment "
             f"within {args.spread:g} s; one browser at autogroup nice {args.others_nice} on the "
             "same cores as the server.", "",
             "| answered | failed | Train -> verdict sent p50 | p95 | idle (one session) | "
             "p50 / idle | p95 / idle | CPU s per student (server + jobs) | of which opening "
             "the page | peak PSS MB (RSS) |", "|" + "---|" * 10,
             f"| {klass['answered']}/{klass['n']} | {klass['failed']} | {klass['p50']:.1f} s | "
             f"{klass['p95']:.1f} s | {idle:.1f} s | {klass['p50'] / idle:.1f}× | "
             f"{klass['p95'] / idle:.1f}× | {klass['cpu_per_student']:.2f} | "
             f"{klass['open_cpu_per_student']:.2f} | {klass['peak'][0]:.0f} "
             f"({klass['peak'][1]:.0f}) |"]
    if curves is not None:
        lines += ["", f"{curves['n']} sessions open the memory experiment's link at once "
                      "(each trains the run, then its memory curve, in the pool):", "",
                  "| finished | median s to the curve | last s | CPU s per session | "
                  "peak PSS MB (RSS) |", "|---|---|---|---|---|",
                  f"| {curves['finished']}/{curves['n']} | {curves['p50']:.0f} | "
                  f"{curves['last']:.0f} | {curves['cpu_per_session']:.2f} | "
                  f"{curves['peak'][0]:.0f} ({curves['peak'][1]:.0f}) |"]
    return "\n".join(lines) + "\n"
