"""A process that saves runs as fast as it can and says each one it saved (one line per run,
flushed), until it is killed: `python -m tests.classroom.writer URL`. The crash test kills it
with SIGKILL mid-save and checks every run it reported is in the database."""

from __future__ import annotations

import sys
import uuid

from classroom.store import Store


def record(browser_id: str, number: int) -> dict:
    """A finished run as the app stores it (fields the teacher's page reads)."""
    return {"run_uuid": str(uuid.uuid4()), "browser_id": browser_id, "number": number,
            "source": "sample", "data": "seattle", "station": None,
            "period_start": "2012-01-01", "period_end": "2015-12-31", "target": "temp",
            "mae_rnn": 1.5, "mae_dense": 1.6, "rnn_vs_dense": "tie", "winner": None,
            "verdict": "A tie.", "duration_s": 2.0,
            "settings": {"source": "sample", "data": "seattle-2012-2015",
                         "start": "2012-01-01", "end": "2015-12-31", "target": "temp",
                         "extras": [], "hidden": 20, "activation": "tanh", "lr": 0.01,
                         "window": 14, "epochs": 60, "seed": 0, "seeds": 2},
            "summary": {"metrics": {"rnn": {"mae": 1.5}}}}


def main(url: str) -> None:
    store = Store(url)
    browser = f"writer-{uuid.uuid4().hex[:8]}"
    for number in range(1, 1_000_000):
        rec = record(browser, number)
        store.save_run(rec)
        print(rec["run_uuid"], flush=True)  # only after the commit returned


if __name__ == "__main__":
    main(sys.argv[1])
