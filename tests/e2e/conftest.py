"""Browser-test fixtures: a real `streamlit run` on 127.0.0.1 and a headless Debian Chromium
(the helpers behind them: tests/helpers/browser.py)."""

from __future__ import annotations

import pytest

from tests.helpers.browser import CHROMIUM_ARGS, chromium_path, start_streamlit, stop_process


@pytest.fixture(scope="session")
def streamlit_server():
    proc, url, log_path = start_streamlit()
    yield url
    stop_process(proc)
    assert proc.poll() is not None, "streamlit server still running after stop"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    p = context.new_page()
    yield p
    context.close()
