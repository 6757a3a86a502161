"""``benchmarks/concurrency.py --server``: K heavy runs and a new visitor through a real
`streamlit run` and Chromium sessions (Playwright), as tests/e2e drives the app. The helpers here
(a low-priority browser, a session that opens a link and presses Train, the clock of the
verdict's arrival) are shared with the class of 30 (benchmarks/concurrency_class.py)."""

import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from forecast import ExperimentConfig
from tests.helpers.browser import (
    CHROMIUM_ARGS,
    VERDICT,
    chromium_path,
    start_streamlit,
    stop_process,
    wait_for_app,
)

SAMPLE = "chicago-2001-2016"




def heavy_link(url: str, cfg: ExperimentConfig, seed: int) -> str:
    from urllib.parse import urlencode

    query = {"source": "sample", "sample": SAMPLE, "hidden": cfg.hidden, "window": cfg.window,
             "epochs": cfg.epochs, "seed": seed}
    return f"{url}/?{urlencode(query)}"


def _open(browser, link: str, on_frame=None):
    """A new session on ``link``; ``on_frame(payload)`` sees every websocket frame received."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    context.set_default_timeout(600_000)  # a loaded machine: navigation takes what it takes
    page = context.new_page()
    if on_frame is not None:
        page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    wait_for_app(page, link, timeout_ms=600_000)
    return context, page


def verdict_clock(sent: list[float]):
    """A frame handler that appends when the first frame carrying the verdict arrived."""
    def on_frame(payload) -> None:
        data = payload if isinstance(payload, bytes) else payload.encode()
        if not sent and VERDICT.encode() in data:
            sent.append(time.perf_counter())
    return on_frame


def _train(page) -> None:
    page.get_by_test_id("stSidebar").get_by_role("button", name="Train", exact=True).click()


def _verdict(page, timeout_ms: int = 1_800_000) -> None:
    page.get_by_text(VERDICT).first.wait_for(timeout=timeout_ms)


def _chromium_pids() -> set[int]:
    pids = set()
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and "chrom" in (entry / "cmdline").read_text():
                pids.add(int(entry.name))
        except OSError:
            pass
    return pids


class Browser:
    """A Chromium of its own: Playwright starts it in a new session, so Linux schedules it as
    its own autogroup, whose niceness ``renice`` sets (per process where there are no
    autogroups; renderers started later may then escape it)."""

    def __init__(self, pw, nice: int = 0):
        before = _chromium_pids()
        self.browser = pw.chromium.launch(executable_path=chromium_path(), headless=True,
                                          args=CHROMIUM_ARGS)
        self.pids = sorted(_chromium_pids() - before)
        self.nice = nice  # what renice(None) restores: the niceness while pages only render

    def renice(self, nice: int | None = None) -> None:
        nice = self.nice if nice is None else nice
        for pid in self.pids:
            try:
                Path(f"/proc/{pid}/autogroup").write_text(str(nice))
            except OSError:
                try:
                    os.setpriority(os.PRIO_PROCESS, pid, nice)
                except OSError:
                    pass

    def __getattr__(self, name):
        return getattr(self.browser, name)


def start_heavy(browser: Browser, url: str, cfg: ExperimentConfig,
                sent_at: list[list[float]], clocks: bool = True) -> tuple[list, float]:
    """len(sent_at) sessions (separate browser contexts) open the heavy link and press Train one
    after the other -> (contexts and pages, when the first Train was pressed); sent_at[i] gets
    when session i's verdict arrived (``clocks``: without them Playwright does not hand this
    process every frame of every session, work a busy server's new visitor would not share).
    The browser runs at normal priority while it opens pages and clicks, at its own niceness
    once every run has started."""
    browser.renice(0)
    opened = [_open(browser, heavy_link(url, cfg, seed=0), verdict_clock(sent) if clocks
                    else None) for sent in sent_at]
    start = time.perf_counter()
    for _, page in opened:
        _train(page)
    for _, page in opened:  # every live view (or verdict) drawn: the click reached the server
        page.locator('[data-testid="stProgress"]').or_(
            page.get_by_text(VERDICT)).first.wait_for(timeout=600_000)
    browser.renice()
    return opened, start


def server_k(browser: Browser, url: str, cfg: ExperimentConfig, k: int) -> tuple[float, float]:
    """K sessions press Train at once -> seconds until all show their verdict, and until the
    server had sent all K verdicts (the server's part alone, without the browsers' drawing)."""
    sent_at: list[list[float]] = [[] for _ in range(k)]
    opened, start = start_heavy(browser, url, cfg, sent_at)
    try:
        for _, page in opened:
            _verdict(page)
        drawn = time.perf_counter() - start
        return drawn, max(sent[0] for sent in sent_at) - start
    finally:
        for context, _ in opened:
            context.close()


VISIT_STEPS = {  # what a new visitor waits for, in order
    "chart_sent": "first chart sent by the server",
    "chart": "first chart drawn",
    "verdict_sent": "Train -> default verdict sent by the server",
    "verdict": "Train -> default verdict drawn",
}


def new_visitor(browser, url: str) -> dict[str, float]:
    """A first visit: seconds to the first chart, then Train -> the default verdict; each both
    as the server sent it (the first websocket frame carrying a chart spec / the verdict) and as
    the browser drew it. "Sent" is the server's part alone; "drawn" adds this browser's
    rendering, which on a real class's devices would not share the server's cores."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    sent: dict[str, float] = {}

    def on_frame(payload) -> None:
        data = payload if isinstance(payload, bytes) else payload.encode()
        now = time.perf_counter()
        if b"vega-lite" in data:
            sent.setdefault("chart", now)
        if VERDICT.encode() in data:
            sent.setdefault("verdict", now)

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_function("() => [...document.querySelectorAll("
                               "'[data-testid=\"stVegaLiteChart\"]')].some("
                               "e => e.querySelector('canvas, svg'))", timeout=600_000)
        out = {"chart": time.perf_counter() - start, "chart_sent": sent["chart"] - start}
        start = time.perf_counter()
        _train(page)
        _verdict(page)
        out["verdict"] = time.perf_counter() - start
        out["verdict_sent"] = sent["verdict"] - start
        return out
    finally:
        context.close()


def visits(browser, url: str, n: int) -> dict[str, float]:
    """The median of each step over n new visitors, one after the other."""
    from statistics import median

    seen = [new_visitor(browser, url) for _ in range(n)]
    return {step: median(v[step] for v in seen) for step in VISIT_STEPS}


def through_server(args, cfg: ExperimentConfig, cores: int) -> str:
    from playwright.sync_api import sync_playwright

    env = {"RNN_LAB_TRAINING_BUDGET_S": "3600"}  # the figures time whole runs, not the budget
    if args.workers:
        env["RNN_LAB_WORKERS"] = str(args.workers)
    proc, url, _log = start_streamlit(env)
    load_start = os.getloadavg()[0]
    rows, visitor, load = [], {}, {}
    try:
        with sync_playwright() as pw:
            browser = Browser(pw, args.others_nice)  # the K other visitors
            own = Browser(pw)  # the new visitor's own device
            warm = replace(cfg, epochs=1)
            server_k(browser, url, warm, 1)  # imports, caches, the pool's first workers
            new_visitor(own, url)  # the browser's own first-use costs
            visitor["idle"] = visits(own, url, args.visitors)
            load["idle"] = os.getloadavg()[0]
            for k in [] if args.visitor_only else sorted(set(args.k) | {1}):
                alone, alone_sent = server_k(browser, url, cfg, 1)
                seconds, sent = (alone, alone_sent) if k == 1 else server_k(browser, url, cfg, k)
                ideal = max(1.0, k / cores)
                rows.append({"k": k, "ideal": ideal, "one_s": alone, "k_s": seconds,
                             "x_one": seconds / alone, "x_ideal": seconds / alone / ideal,
                             "one_sent_s": alone_sent, "k_sent_s": sent,
                             "x_ideal_sent": sent / alone_sent / ideal})
                print(json.dumps({key: round(v, 3) for key, v in rows[-1].items()}),
                      file=sys.stderr, flush=True)
            # A new visitor while 4 heavy runs train (started just before, kept polling).
            # the app's 60 epochs whatever --epochs says: they must outlast the visits
            busy_cfg = replace(cfg, epochs=ExperimentConfig().epochs)
            busy, _ = start_heavy(browser, url, busy_cfg, [[] for _ in range(4)], clocks=False)
            time.sleep(2)
            visitor["busy"] = visits(own, url, args.visitors)
            load["busy"] = os.getloadavg()[0]
            for context, _ in busy:
                context.close()
            own.close()
            browser.close()
    finally:
        stop_process(proc)
    lines = [
        f"Through the server: {SAMPLE}, hidden {cfg.hidden}, window {cfg.window}, "
        f"{cfg.epochs} epochs × {cfg.seeds} seeds per run, browser sessions (other visitors' "
        f"browser at autogroup nice {args.others_nice}); {cores} usable cores, workers "
        f"{args.workers or 'one per core'}; load average at start {load_start:.1f}, after the "
        f"idle visits {load['idle']:.1f}, after the busy visits {load['busy']:.1f}, at end "
        f"{os.getloadavg()[0]:.1f}", "",
        "| K | ideal × | one alone s | K at once s | × one | × ideal | verdicts sent: one "
        "s | K s | × ideal |", "|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r['k']} | {r['ideal']:.1f} | {r['one_s']:.1f} | {r['k_s']:.1f} | "
              f"{r['x_one']:.2f} | {r['x_ideal']:.2f} | {r['one_sent_s']:.1f} | "
              f"{r['k_sent_s']:.1f} | {r['x_ideal_sent']:.2f} |" for r in rows]
    lines += ["", f"| new visitor (median of {args.visitors}) | idle s | 4 heavy runs training "
              "s | ratio |", "|---|---|---|---|"]
    for step, words in VISIT_STEPS.items():
        idle, busy = visitor["idle"][step], visitor["busy"][step]
        lines.append(f"| {words} | {idle:.2f} | {busy:.2f} | {busy / idle:.2f} |")
    return "\n".join(lines)
