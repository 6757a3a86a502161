"""Where a benchmark's table goes: printed, and with --write also into docs/results/NAME.md.

The docs link to those files instead of copying numbers, so one command regenerates what they
show (`make results`). Each file says which command wrote it, when, and on how loaded a machine.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[1] / "docs" / "results"


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{os.cpu_count()} cores, load {load:.1f} when it finished"


def publish(name: str, title: str, table: str, write: bool, argv: list[str] | None = None) -> None:
    """Print the table; with write, also save it as docs/results/NAME.md under a header naming
    the command that made it (argv: the benchmark's arguments, sys.argv[1:] by default)."""
    print(table)
    if not write:
        return
    args = sys.argv[1:] if argv is None else argv
    script = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else name
    command = " ".join(["python", f"benchmarks/{script}", *map(shlex.quote, args)])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.md").write_text(
        f"# {title}\n\nWritten by `{command}` on {dt.date.today().isoformat()} "
        f"({machine()}); regenerate it rather than edit it.\n\n{table}\n", encoding="utf-8")
    print(f"wrote {RESULTS / f'{name}.md'}", file=sys.stderr)
