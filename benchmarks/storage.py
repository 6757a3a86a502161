"""A class finishing runs at once: S sessions each saving R runs, all started together.

    python benchmarks/storage.py                     # 30 sessions x 20 runs, SQLite and PostgreSQL
    python benchmarks/storage.py --sessions 30 --runs 20 --write   # also docs/results/storage.md
    python benchmarks/storage.py --processes         # sessions as processes (replicas) not threads

Each session is a thread of one process sharing the server's Store (as Streamlit's sessions
share one server), or with --processes a process with a Store of its own (as replicas behind a
load balancer share one database). A barrier starts them together; each saves its runs one
after another, as fast as it can — far harder than a class, where a run takes seconds to train.
Then every run is counted back: the figure is how many of S x R were stored (none may be lost)
and the save latency (median, p95, max) as the sessions saw it.

SQLite is a file in a temporary folder (WAL, full fsync, the app's settings). PostgreSQL is a
throwaway cluster started for the benchmark with Debian's binaries (tests/classroom/pg.py), or
the server in RNN_LAB_DATABASE_URL. Latencies depend on the disk and on the machine's load; the
printed load average says how busy it was.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.report import publish  # noqa: E402
from classroom.store import Store  # noqa: E402
from tests.classroom.writer import record  # noqa: E402


def session(url: str, name: str, runs: int, start: threading.Barrier | None,
            store: Store | None = None) -> tuple[list[str], list[float]]:
    """Save ``runs`` runs as one browser; (their UUIDs, each save's seconds)."""
    store = store or Store(url)
    if start is not None:
        start.wait()
    saved, seconds = [], []
    for number in range(1, runs + 1):
        rec = record(name, number)
        began = time.perf_counter()
        store.save_run(rec)
        seconds.append(time.perf_counter() - began)
        saved.append(rec["run_uuid"])
    return saved, seconds


def _process_session(args: tuple) -> tuple[list[str], list[float]]:
    url, name, runs, when = args
    store = Store(url)
    time.sleep(max(0.0, when - time.time()))  # every process starts at the same moment
    return session(url, name, runs, None, store)


def measure(url: str, sessions: int, runs: int, processes: bool) -> dict:
    Store(url).engine.dispose()  # the schema exists before the rush
    began = time.perf_counter()
    names = [f"bench-{uuid.uuid4().hex[:8]}-{i}" for i in range(sessions)]
    if processes:
        when = time.time() + 3.0  # time for every process to start and open its store
        with mp.get_context("spawn").Pool(sessions) as pool:
            results = pool.map(_process_session, [(url, n, runs, when) for n in names])
        began = when
        wall = time.time() - when
    else:
        store = Store(url)
        start = threading.Barrier(sessions)
        results = [([], [])] * sessions

        def work(i: int) -> None:
            results[i] = session(url, names[i], runs, start, store)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(sessions)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - began
    saved = {u for uuids, _ in results for u in uuids}
    latencies = sorted(s for _, seconds in results for s in seconds)
    check = Store(url)
    stored = {u for n in names for u in (r["run_uuid"] for r in check.browser_runs(n))}
    check.engine.dispose()
    return {"expected": sessions * runs, "reported": len(saved), "stored": len(stored & saved),
            "lost": len(saved - stored), "wall_s": wall,
            "median_ms": 1000 * statistics.median(latencies),
            "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
            "max_ms": 1000 * latencies[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--processes", action="store_true",
                        help="each session a process with its own store (replicas)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--write", action="store_true",
                        help="also write the table to docs/results/storage.md")
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory(prefix="rnn-lab-bench-") as folder:
        targets = []
        if args.only in (None, "sqlite"):
            targets.append(("SQLite (WAL file)", f"sqlite:///{Path(folder) / 'lab.sqlite3'}",
                            None))
        if args.only in (None, "postgresql"):
            url = os.environ.get("RNN_LAB_DATABASE_URL")
            cluster = None
            if not url:
                from tests.classroom.pg import Cluster, pg_bin

                bindir = pg_bin()
                if bindir is None:
                    sys.exit("PostgreSQL is not installed (apt-get install postgresql) and "
                             "RNN_LAB_DATABASE_URL is not set")
                cluster = Cluster(bindir)
                url = cluster.start()
            targets.append(("PostgreSQL 15 (local server)" if cluster else "PostgreSQL",
                            url, cluster))
        for label, url, cluster in targets:
            try:
                result = measure(url, args.sessions, args.runs, args.processes)
            finally:
                if cluster is not None:
                    cluster.remove()
            rows.append((label, result))
            print(f"{label}: {result}", file=sys.stderr)

    kind = "processes" if args.processes else "threads of one server"
    table = (f"{args.sessions} sessions ({kind}) × {args.runs} runs each, all at once. "
             "Each session saves as fast as it can (a class's runs take seconds to train): "
             "the latencies are a worst case, and they grow with the machine's load.\n\n"
             "| database | runs stored / expected | lost | wall (s) | median save (ms) | "
             "p95 save (ms) | max save (ms) |\n|---|---:|---:|---:|---:|---:|---:|\n")
    for label, r in rows:
        table += (f"| {label} | {r['stored']} / {r['expected']} | {r['lost']} | "
                  f"{r['wall_s']:.2f} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | "
                  f"{r['max_ms']:.1f} |\n")
    publish("storage", "Saving runs: a class finishing at once", table, args.write)
    if any(r["lost"] or r["stored"] != r["expected"] for _, r in rows):
        sys.exit("runs were lost")


if __name__ == "__main__":
    main()
