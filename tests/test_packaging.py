"""The project's metadata says what the app really needs and under which licence."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def requirements(name: str) -> list[str]:
    lines = (ROOT / name).read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith(("#", "-r"))]


def test_pyproject_dependencies_match_requirements_txt():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert sorted(project["dependencies"]) == sorted(requirements("requirements.txt"))
    assert project["license"] == "MIT" and (ROOT / project["license-files"][0]).is_file()
    assert (ROOT / project["readme"]).is_file()
    assert project["requires-python"] == ">=3.11"
    assert "MIT License" in (ROOT / "LICENSE").read_text()


def test_the_type_checker_is_pinned_for_make_lint():
    assert any(line.startswith("mypy==") for line in requirements("requirements-dev.txt"))
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert set(config["files"]) == {"rnn", "forecast", "data_sources", "ui", "app", "classroom"}
