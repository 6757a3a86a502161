"""Many visitors training at once: threads (how sessions train today) against the worker pool.

    python benchmarks/concurrency.py                       # K = 1 2 4 8, both ways, a table
    python benchmarks/concurrency.py --epochs 10 --k 1 2 4 # shorter runs on a busy machine
    python benchmarks/concurrency.py --json                # one JSON line

K identical heavy runs (Chicago 2001–2016, hidden 256, window 30, same seed, so each does the same
work) start at the same moment; the figure is the wall time until all K have their result, as a
ratio to one run alone (measured the same way just before) and to the ideal max(1, K / cores).

- threads: K ExperimentRunner.run() in K threads of this process (Streamlit gives each session a
  script thread; that is what training in the session does today).
- pool: K jobs submitted to app.pool.TrainingPool, one per session id, polled like a page does.

BLAS runs at one thread in both (the pool's workers set it themselves). A printed number, not a
pass/fail test; ratios measured in one run are what carry over between machines — on a quiet
machine. When other work keeps the cores busy (the printed load average well above the cores),
the scheduler shares CPU per runnable thread: K training threads then take a bigger slice of the
machine than 2 worker processes do, and neither figure measures scaling any more.

Through the server (``--server``): the same K, but each run started by a browser session
(Playwright + the system Chromium, as tests/e2e does) of a real `streamlit run` whose training
goes to its worker pool, timed from the K Train clicks to "every page shows its verdict"; plus a
new visitor's time to the first chart and to a default verdict while 4 heavy runs train, as a
ratio to the same on the idle server (the median of ``--visitors`` visits each).

The browsers run on the same cores as the server and its workers, which a real class's browsers
do not: each visitor's page renders on their own device. Rendering the K live views takes about a
core here, and Linux shares CPU between sessions (autogroups) before it looks at niceness, so the
browsers would take that core from the training and the server. The K "other visitors" therefore
get their own browser whose session runs at autogroup niceness ``--others-nice`` (default 19:
they render on idle cycles only); the measured new visitor gets a separate browser at normal
priority, idle and busy alike. ``--others-nice 0`` puts everything on equal terms (the
distorted figure). Every heavy session trains the same seed, so each does the same work.

    python benchmarks/concurrency.py --server --epochs 3     # K = 1 2 4 8 through the app
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy is imported

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere
from app.pool import TrainingPool, usable_cores  # noqa: E402
from data_sources.samples import load_sample  # noqa: E402
from forecast import ExperimentConfig, ExperimentRunner  # noqa: E402

SAMPLE = "chicago-2001-2016"


def heavy_config(args) -> ExperimentConfig:
    cfg = ExperimentConfig(hidden=args.hidden, window=args.window, seed=0)
    if args.epochs is not None:  # a fixed number of epochs: every run does exactly that work
        cfg.epochs, cfg.patience = args.epochs, args.epochs
    return cfg


def in_threads(df, cfg, k: int) -> float:
    errors = []

    def one():
        try:
            ExperimentRunner(cfg).fit(df).run()
        except Exception as err:  # reported after the timing, never swallowed
            errors.append(err)

    threads = [threading.Thread(target=one) for _ in range(k)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - start


def in_pool(pool: TrainingPool):
    def run(df, cfg, k: int) -> float:
        start = time.perf_counter()
        jobs = [pool.submit(f"visitor-{i}", df, cfg) for i in range(k)]
        pending = list(jobs)
        while pending:  # poll every job like k pages would, so none looks idle
            pending = [job for job in pending if not job.poll().finished]
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        for job in jobs:
            status = job.poll()
            if status.state != "done":
                raise RuntimeError(f"a pool job ended {status.state}: {status.error}")
        return seconds
    return run


def measure(modes: dict, df, cfg, ks: list[int], cores: int, progress=None) -> list[dict]:
    """For each K and mode: one run alone, then K at once, back to back.

    Measuring "one alone" again right before each K keeps a shared machine's changing load from
    skewing the ratio (other people's work comes and goes over minutes).
    """
    rows = []
    warm_up = replace(cfg, epochs=1, patience=1)
    for run in modes.values():  # first-use costs (imports, caches) stay out of the figures
        run(df, warm_up, 1)
    for k in ks:
        row = {"k": k, "ideal": max(1.0, k / cores)}
        for name, run in modes.items():
            alone = run(df, cfg, 1)
            seconds = alone if k == 1 else run(df, cfg, k)
            row[f"{name}_one_s"] = alone
            row[f"{name}_s"] = seconds
            row[f"{name}_x_one"] = seconds / alone
            row[f"{name}_x_ideal"] = seconds / alone / row["ideal"]
        rows.append(row)
        if progress is not None:
            progress(row)
    return rows


def table(rows: list[dict], modes: list[str]) -> str:
    cols = ("one s", "K s", "× one", "× ideal")
    head = ["K", "ideal ×"] + [f"{m} {col}" for m in modes for col in cols]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [str(r["k"]), f"{r['ideal']:.1f}"]
        for m in modes:
            cells += [f"{r[f'{m}_one_s']:.1f}", f"{r[f'{m}_s']:.1f}", f"{r[f'{m}_x_one']:.2f}",
                      f"{r[f'{m}_x_ideal']:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# ------------------------------------------------------------------ through the real server

VERDICT = "Did memory help?"  # how the headline begins, whatever the answer (tests/e2e too)


def heavy_link(url: str, cfg: ExperimentConfig, seed: int) -> str:
    from urllib.parse import urlencode

    query = {"source": "sample", "sample": SAMPLE, "hidden": cfg.hidden, "window": cfg.window,
             "epochs": cfg.epochs, "seed": seed}
    return f"{url}/?{urlencode(query)}"


def _open(browser, link: str, on_frame=None):
    """A new session on ``link``; ``on_frame(payload)`` sees every websocket frame received."""
    from tests.e2e.test_browser import wait_for_app

    context = browser.new_context(viewport={"width": 1200, "height": 800})
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
        from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path

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


def through_server(args, cfg: ExperimentConfig, cores: int) -> None:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import start_streamlit, stop_process

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
    print(f"Through the server: {SAMPLE}, hidden {cfg.hidden}, window {cfg.window}, "
          f"{cfg.epochs} epochs × {cfg.seeds} seeds per run, browser sessions (other visitors' "
          f"browser at autogroup nice {args.others_nice}); {cores} usable cores, workers "
          f"{args.workers or 'one per core'}; load average at start {load_start:.1f}, after the "
          f"idle visits {load['idle']:.1f}, after the busy visits {load['busy']:.1f}, at end "
          f"{os.getloadavg()[0]:.1f}")
    print("| K | ideal × | one alone s | K at once s | × one | × ideal | verdicts sent: one "
          "s | K s | × ideal |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['k']} | {r['ideal']:.1f} | {r['one_s']:.1f} | {r['k_s']:.1f} | "
              f"{r['x_one']:.2f} | {r['x_ideal']:.2f} | {r['one_sent_s']:.1f} | "
              f"{r['k_sent_s']:.1f} | {r['x_ideal_sent']:.2f} |")
    print(f"\n| new visitor (median of {args.visitors}) | idle s | 4 heavy runs training s "
          "| ratio |")
    print("|---|---|---|---|")
    for step, words in VISIT_STEPS.items():
        idle, busy = visitor["idle"][step], visitor["busy"][step]
        print(f"| {words} | {idle:.2f} | {busy:.2f} | {busy / idle:.2f} |")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--k", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--modes", nargs="+", default=["threads", "pool"],
                        choices=["threads", "pool"])
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--window", type=int, default=30)
    parser.add_argument("--epochs", type=int, default=None,
                        help="fixed epochs per run (default: the app's 60 with early stopping)")
    parser.add_argument("--workers", type=int, default=None,
                        help="pool size (default: RNN_LAB_WORKERS, else the usable cores)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--others-nice", type=int, default=19,
                        help="--server: autogroup niceness of the other visitors' browser "
                             "(0: it competes with the server and the new visitor's browser)")
    parser.add_argument("--visitor-only", action="store_true",
                        help="--server: only the new visitor, idle and busy (no K runs)")
    parser.add_argument("--visitors", type=int, default=3,
                        help="--server: new visitors measured idle and busy (the median)")
    parser.add_argument("--server", action="store_true",
                        help="through a real `streamlit run` with browser sessions")
    args = parser.parse_args(argv)

    df, cfg = load_sample(SAMPLE), heavy_config(args)
    cores = usable_cores()
    if args.server:
        through_server(args, cfg, cores)
        return
    load_start = os.getloadavg()[0]
    pool = TrainingPool(args.workers) if "pool" in args.modes else None
    try:
        available = {"threads": in_threads, "pool": in_pool(pool) if pool else None}
        modes = {m: available[m] for m in args.modes}
        def report(row):  # a row as soon as it is measured: the big K take long on small machines
            if not args.json:
                print(json.dumps({k: round(v, 3) for k, v in row.items()}), file=sys.stderr,
                      flush=True)

        rows = measure(modes, df, cfg, sorted(set(args.k) | {1}), cores, report)
    finally:
        if pool is not None:
            pool.close()
    setup = {"sample": SAMPLE, "hidden": cfg.hidden, "window": cfg.window,
             "epochs": cfg.epochs, "patience": cfg.patience, "cores": cores,
             "workers": pool.n_workers if pool else None,
             "load_start": load_start, "load_end": os.getloadavg()[0]}
    if args.json:
        print(json.dumps({"setup": setup, "rows": rows}))
        return
    print(f"{SAMPLE}, hidden {cfg.hidden}, window {cfg.window}, epochs ≤ {cfg.epochs} "
          f"(patience {cfg.patience}); {cores} usable cores, pool of {setup['workers']} workers; "
          f"load average at start {setup['load_start']:.1f}, at end {setup['load_end']:.1f}"
          + (" (above the cores: other work shares them and the ratios mean little)"
             if setup["load_end"] > cores else ""))
    print(table(rows, list(modes)))


if __name__ == "__main__":
    main()
