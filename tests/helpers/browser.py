"""Shared by the browser tests and scripts/screenshots.py: a real `streamlit run` on 127.0.0.1,
the system Chromium, and what a page shows.

`playwright install` cannot download a browser on our machines, so Playwright drives the system
Chromium through `executable_path`. A missing browser is a failure, never a skip: the README's
test command installs it (scripts/ensure_chromium.sh).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"

# Chromium's background services try to reach Google; on a closed network that only adds noise.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    candidates = (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser")
    for candidate in candidates:
        if candidate and shutil.which(candidate):
            return candidate
    pytest.fail(
        "No Chromium found: install Debian's `chromium` (make test does it as root) "
        "or set CHROMIUM_PATH."
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"streamlit did not become healthy at {url} within {timeout}s")


def start_streamlit(extra_env: dict | None = None) -> tuple[subprocess.Popen, str, Path]:
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"streamlit-{port}.log"
    env = {**os.environ, **(extra_env or {})}
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"),
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
    ]
    log = open(log_path, "w")  # noqa: SIM115 — closed with the process
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
    except Exception:
        stop_process(proc)
        raise
    return proc, url, log_path


def stop_process(proc: subprocess.Popen) -> None:
    """Stop the server by its PID (its whole process group), politely first."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


VISIBLE_CHARTS_DRAWN = """() => {
  const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
    .filter(e => e.offsetParent !== null);
  return charts.length >= 2 && charts.every(e => e.querySelector('canvas, svg'));
}"""


VERDICT = "Did memory help?"  # how the headline starts, whatever the answer (app/answer.py)
ANSWER = ".st-key-verdict"  # the answer's container: headline and picture (app/answer.py)


def verdict_box(page):
    """The headline's alert box (success, info or warning, by the answer)."""
    return page.locator('[data-testid="stAlert"]').filter(has_text=VERDICT).first


def wait_for_app(page, url: str, timeout_ms: int = 30_000) -> float:
    """Open the app and wait until its title is drawn; returns seconds to first render."""
    t0 = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("heading", name="RNN Weather Lab").wait_for(timeout=timeout_ms)
    return time.perf_counter() - t0


def assert_no_exception(page) -> None:
    boxes = page.locator('[data-testid="stException"]')
    assert boxes.count() == 0, "the app shows an exception box: " + boxes.first.inner_text()


# The layout as a person meets it (tests/e2e/test_layout.py, scripts/screenshots.py)

LAPTOP = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1440, "height": 900}
IN_VIEWPORT = """(el) => { const r = el.getBoundingClientRect();
  return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight
         && r.right <= window.innerWidth && r.height > 0; }"""
SIDEBAR_OPEN = """() => { const s = document.querySelector('[data-testid="stSidebar"]');
  return !!s && s.getAttribute('data-collapsed') === 'false'; }"""


def open_app(browser, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    return context, page


def first_chart_seconds(page, url: str) -> float:
    """Open the app; seconds until the history chart has drawn."""
    t0 = time.perf_counter()
    wait_for_app(page, url)
    page.wait_for_function("""() => !!document.querySelector(
        '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg')""",
                           timeout=60_000)
    return time.perf_counter() - t0


def train_button(page):
    return page.get_by_test_id("stSidebar").get_by_role("button", name="Train", exact=True)


def save_screenshot(page, path: Path, leave: bool = True) -> None:
    """The page as a person leaves it (leave: the pointer off every widget, no focus ring)."""
    if leave:
        size = page.viewport_size
        page.mouse.move(size["width"] - 10, size["height"] - 10)
        page.evaluate("document.activeElement && document.activeElement.blur()")
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


def wait_for_verdict(page) -> None:
    page.locator(ANSWER).wait_for(timeout=120_000)
    page.wait_for_function(VISIBLE_CHARTS_DRAWN, timeout=60_000)
    page.wait_for_timeout(800)  # the scroll runs again once the results below have drawn


SHOWN_TAB_FILLED = """() => { const panel = [...document.querySelectorAll('[role="tabpanel"]')]
  .find(p => p.getClientRects().length);
  return !!panel && !!panel.querySelector('[data-testid="stElementContainer"]'); }"""


def open_tab(page, name: str) -> None:
    """Click a result tab and wait until its content has arrived: only the tab on screen is
    built (app/lazy.py), so a click reruns the page and the panel fills a moment later."""
    page.get_by_role("tab", name=name).click()
    page.wait_for_function(SHOWN_TAB_FILLED, timeout=60_000)
    page.wait_for_function(VISIBLE_CHARTS_DRAWN, timeout=60_000)


def verdict_in_view(page) -> bool:
    return page.locator(ANSWER).locator('[data-testid="stAlert"]').first.evaluate(IN_VIEWPORT)
