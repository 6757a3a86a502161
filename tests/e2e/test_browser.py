"""The app in a real browser: served by `streamlit run`, opened in headless Chromium."""

import time

import pytest

from tests.helpers.browser import (
    ARTIFACTS,
    VISIBLE_CHARTS_DRAWN,
    assert_no_exception,
    verdict_box,
    wait_for_app,
)

pytestmark = pytest.mark.e2e


def test_page_opens_without_errors(streamlit_server, page):
    seconds = wait_for_app(page, streamlit_server)
    print(f"first render: {seconds:.2f} s")
    assert_no_exception(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "first-render.png"), full_page=True)


def test_train_shows_verdict_and_charts(streamlit_server, browser):
    # A tall window, so the screenshot shows the verdict, the table and the first charts.
    context = browser.new_context(viewport={"width": 1400, "height": 2000})
    page = context.new_page()
    wait_for_app(page, streamlit_server)
    # The history chart is drawn on the first visit, with no click.
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=30_000)
    t0 = time.perf_counter()
    page.get_by_test_id("stSidebar").get_by_role("button", name="Train", exact=True).click()
    page.mouse.move(1390, 10)  # away from the button: no tooltip in the screenshot
    verdict_box(page).wait_for(timeout=120_000)
    verdict_s = time.perf_counter() - t0
    # Every chart on screen (history, forecast vs actual) has drawn its canvas or svg;
    # charts in tabs not yet opened are drawn when their tab is.
    page.wait_for_function(VISIBLE_CHARTS_DRAWN, timeout=60_000)
    charts_s = time.perf_counter() - t0
    print(f"Train -> verdict {verdict_s:.2f} s, all charts drawn {charts_s:.2f} s")
    assert_no_exception(page)
    # the tables are one click below the answer, built when opened (app/lazy.py)
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    page.get_by_text("Details: the full verdict").first.click()
    page.get_by_test_id("stExpander").filter(has_text="RNN against each model") \
        .get_by_test_id("stDataFrame").first.wait_for(timeout=30_000)
    # Training is over: Stop is disabled again, Train is ready for the next run.
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("button", name="Stop", exact=True).wait_for()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stSidebar\"] button')]"
        ".some(b => b.innerText.trim() === 'Stop' && b.disabled)", timeout=10_000)
    page.get_by_text("Forecast vs actual").first.wait_for()
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.screenshot(path=str(ARTIFACTS / "after-training.png"))
    context.close()


def test_stop_button_ends_a_long_training(streamlit_server, page):
    # A long run from a shared link: the longest sample, a big network, many epochs, and a small
    # learning rate, so that early stopping cannot end it before the Stop click on a fast machine
    # (at 0.01 the whole run took 21 CPU s here).
    wait_for_app(page, streamlit_server
                 + "/?sample=chicago-2001-2016&hidden_size=128&epochs=500&lr=0.0001")
    page.get_by_test_id("stSidebar").get_by_role("button", name="Train", exact=True).click()
    stop = page.get_by_test_id("stSidebar").get_by_role("button", name="Stop", exact=True)
    page.wait_for_function(
        "() => [...document.querySelectorAll('button')].some("
        "b => b.innerText.trim() === 'Stop' && !b.disabled)", timeout=30_000)
    page.get_by_text("RNN epoch").first.wait_for(timeout=30_000)  # live progress is drawn
    stop.click()
    page.get_by_text("stopped by user").first.wait_for(timeout=60_000)
    assert_no_exception(page)
    verdict_box(page).wait_for(timeout=30_000)
