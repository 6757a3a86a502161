"""The layout in a real browser at a laptop (1280×720) and a phone (390×844): Train in view
without scrolling and a few Tab presses away, the verdict in view after training, the phone's
sidebar closing after Train. Screenshots of the three sizes go to artifacts/layout/ (the README's
are made on request by scripts/screenshots.py)."""

import time

import pytest

from tests.helpers.browser import (
    ANSWER,
    ARTIFACTS,
    IN_VIEWPORT,
    LAPTOP,
    PHONE,
    SIDEBAR_OPEN,
    WIDE,
    assert_no_exception,
    first_chart_seconds,
    open_app,
    save_screenshot,
    train_button,
    verdict_in_view,
    wait_for_verdict,
)

pytestmark = pytest.mark.e2e

MAX_TABS = 10
SHOTS = ARTIFACTS / "layout"  # docs/screenshot-*.png are made by scripts/screenshots.py

FOCUSED_LABEL = "() => (document.activeElement && document.activeElement.innerText || '').trim()"


def wait_for_train_ready(page) -> None:
    """The page as a person meets it: Train drawn and enabled (the script's first run ended).

    Counting Tab presses before that would count a half-drawn page: while a run is in progress
    the sidebar's buttons can be missing for a moment, and every press lands past them.
    """
    page.wait_for_function("""() => [...document.querySelectorAll(
        '[data-testid="stSidebar"] button')].some(b => b.innerText.trim() === 'Train'
        && !b.disabled)""", timeout=60_000)
    page.wait_for_timeout(300)  # let a rerun the first run asked for settle too


def test_laptop_train_in_view_verdict_in_view(streamlit_server, browser):
    context, page = open_app(browser, LAPTOP)
    seconds = first_chart_seconds(page, streamlit_server)
    train = train_button(page)
    assert train.evaluate(IN_VIEWPORT), "Train is below the fold at 1280×720"
    assert page.get_by_role("button", name="Stop", exact=True).evaluate(IN_VIEWPORT)
    assert page.get_by_text("at the top of the sidebar").count() >= 1  # the page says where
    # the person has scrolled down to the data before pressing Train
    page.get_by_test_id("stMain").hover()
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(300)
    t0 = time.perf_counter()
    train.click()
    wait_for_verdict(page)
    verdict_s = time.perf_counter() - t0
    print(f"1280×720: first chart {seconds:.2f} s, Train -> verdict {verdict_s:.2f} s")
    assert_no_exception(page)
    assert verdict_in_view(page), "the verdict is not in view after training"
    assert train.evaluate(IN_VIEWPORT)
    save_screenshot(page, SHOTS / "screenshot-1280.png")
    context.close()


def test_train_is_at_most_ten_tab_presses_from_the_top(streamlit_server, browser):
    context, page = open_app(browser, LAPTOP)
    first_chart_seconds(page, streamlit_server)
    wait_for_train_ready(page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    presses = 0
    while page.evaluate(FOCUSED_LABEL) != "Train":
        assert presses < MAX_TABS, f"Train not reached in {MAX_TABS} Tab presses"
        page.keyboard.press("Tab")
        presses += 1
    print(f"Tab presses from the top of the page to Train: {presses}")
    page.keyboard.press("Enter")  # and the keyboard can train
    page.locator(ANSWER).wait_for(timeout=120_000)
    assert_no_exception(page)
    context.close()


def test_phone_sidebar_closes_after_train_and_verdict_in_view(streamlit_server, browser):
    context, page = open_app(browser, PHONE)
    seconds = first_chart_seconds(page, streamlit_server)
    assert not page.evaluate(SIDEBAR_OPEN)  # a phone opens on the page, not the sidebar
    page.get_by_test_id("stExpandSidebarButton").click()
    page.wait_for_function(SIDEBAR_OPEN, timeout=10_000)
    train = train_button(page)
    page.wait_for_timeout(500)  # the sidebar slides in
    assert train.evaluate(IN_VIEWPORT), "Train is below the fold in the phone's sidebar"
    t0 = time.perf_counter()
    train.click()
    page.wait_for_function(f"() => !({SIDEBAR_OPEN})()", timeout=15_000)
    wait_for_verdict(page)
    verdict_s = time.perf_counter() - t0
    print(f"390×844: first chart {seconds:.2f} s, Train -> verdict {verdict_s:.2f} s")
    assert_no_exception(page)
    assert not page.evaluate(SIDEBAR_OPEN)
    assert verdict_in_view(page), "the verdict is not in view on the phone after training"
    save_screenshot(page, SHOTS / "screenshot-390.png", leave=False)
    context.close()


def test_wide_screenshot_after_training(streamlit_server, browser):
    context, page = open_app(browser, WIDE)
    first_chart_seconds(page, streamlit_server)
    train_button(page).click()
    wait_for_verdict(page)
    assert verdict_in_view(page)
    save_screenshot(page, SHOTS / "screenshot-1440.png")
    context.close()


def test_memory_experiment_in_the_browser(streamlit_server, browser):
    context, page = open_app(browser, LAPTOP)
    first_chart_seconds(page, streamlit_server)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Guided experiments").click()
    run = sidebar.get_by_role("button", name="Run this experiment")
    assert run.evaluate(IN_VIEWPORT)  # the default pick is "Does memory help?"
    t0 = time.perf_counter()
    run.click()
    page.get_by_text("-day window the RNN missed").wait_for(timeout=180_000)
    print(f"1280×720: Run this experiment (memory) -> memory curve answered "
          f"{time.perf_counter() - t0:.2f} s")
    assert_no_exception(page)
    question = page.get_by_text("Guided experiment: Does memory help?")
    assert question.evaluate(IN_VIEWPORT), "the experiment's question is not in view"
    page.wait_for_function("""() => [...document.querySelectorAll(
        '[data-testid="stVegaLiteChart"]')].some(c => c.innerText.includes('Error by window')
        || c.querySelector('svg, canvas'))""", timeout=30_000)
    context.close()
