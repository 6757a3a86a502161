"""The project's import graph, read from the source: every import statement, including those
under TYPE_CHECKING and inside functions, resolved to the project module it names."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_PROJECT = {"tests", "docs", "deploy", "artifacts"}  # folders of the repository, not its code


def packages(root: Path = ROOT) -> list[str]:
    """The project's top-level folders of Python code (a package, benchmarks/, scripts/)."""
    return sorted(p.name for p in root.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and p.name not in NOT_PROJECT
                  and any(p.glob("*.py")))


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name -> file, for the entry points and every package's modules."""
    modules = {name: root / f"{name}.py" for name in ("streamlit_app", "serve")
               if (root / f"{name}.py").is_file()}
    for package in packages(root):
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _imports(tree: ast.AST, module: str, is_package: bool, modules: dict) -> set[str]:
    """The project modules one module imports: a name that is a module counts as that module,
    `from package import name` as the package unless name is one of its modules."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: counted from the module's own package
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                parent = ".".join(base + ([node.module] if node.module else []))
            else:
                parent = node.module or ""
            for alias in node.names:
                child = f"{parent}.{alias.name}"
                found.add(child if child in modules else parent)
    return {name for name in found if name in modules} - {module}


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the project modules it imports."""
    modules = project_modules(root)
    return {module: _imports(ast.parse(path.read_text(encoding="utf-8")), module,
                             path.name == "__init__.py", modules)
            for module, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)
