"""The app in a real browser: served by `streamlit run`, opened in headless Chromium."""

import time

import pytest

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e


def wait_for_app(page, url: str, timeout_ms: int = 30_000) -> float:
    """Open the app and wait until its title is drawn; returns seconds to first render."""
    t0 = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("heading", name="RNN Weather Lab").wait_for(timeout=timeout_ms)
    return time.perf_counter() - t0


def assert_no_exception(page) -> None:
    boxes = page.locator('[data-testid="stException"]')
    assert boxes.count() == 0, "the app shows an exception box: " + boxes.first.inner_text()


def test_page_opens_without_errors(streamlit_server, page):
    seconds = wait_for_app(page, streamlit_server)
    print(f"first render: {seconds:.2f} s")
    assert_no_exception(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "first-render.png"), full_page=True)


def test_train_shows_verdict_and_charts(streamlit_server, page):
    wait_for_app(page, streamlit_server)
    # The history chart is drawn on the first visit, with no click.
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=30_000)
    t0 = time.perf_counter()
    page.get_by_role("button", name="Train").click()
    verdict = page.get_by_text("won: its MAE of").first
    verdict.wait_for(timeout=120_000)
    seconds = time.perf_counter() - t0
    print(f"Train -> verdict drawn: {seconds:.2f} s")
    assert_no_exception(page)
    # Results: the metrics table and the forecast chart (a canvas drawn by Vega) are on screen.
    assert page.locator('[data-testid="stDataFrame"]').count() >= 1
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    assert charts.count() >= 2
    charts.nth(1).locator("canvas, svg").first.wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "after-training.png"), full_page=True)
