"""This run against the last one, in Chromium at 1280×720: after a second run the change is said
above the result tabs, and the run history's columns fit the page (no sideways scrolling to
reach the misses and the verdict)."""

import pytest

from tests.helpers.browser import (
    LAPTOP,
    assert_no_exception,
    first_chart_seconds,
    open_app,
    train_button,
    wait_for_verdict,
)

pytestmark = pytest.mark.e2e

# The data grid's own scroller: wider content than its box means columns are off-screen.
OVERFLOW = """(grid) => { const s = grid.querySelector('.dvn-scroller') || grid;
    return s.scrollWidth - s.clientWidth; }"""


def test_second_run_is_compared_and_the_history_fits_at_1280(streamlit_server, browser):
    context, page = open_app(browser, LAPTOP)
    first_chart_seconds(page, f"{streamlit_server}/?epochs=2&hidden=8&seeds=1")
    train_button(page).click()
    wait_for_verdict(page)
    # the second run: the date taken away (a setting that changes the inputs, not the days)
    page.get_by_test_id("stSidebar").get_by_text("Tell the networks the date").click()
    page.wait_for_timeout(500)
    train_button(page).click()
    change = page.locator(".st-key-run_change")
    change.wait_for(timeout=120_000)
    assert_no_exception(page)
    text = change.inner_text()
    assert "run 1 → run 2" in text and "temp, season → temp" in text
    assert "Average miss" in text and "Did memory help?" in text
    tabs = page.get_by_role("tab", name="Run history")
    assert change.bounding_box()["y"] < tabs.bounding_box()["y"]  # above the result tabs
    tabs.click()
    panel = page.get_by_role("tabpanel").filter(has_text="Memory helped?")
    grid = panel.get_by_test_id("stDataFrame").first
    grid.wait_for(timeout=30_000)
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    assert grid.evaluate(OVERFLOW) <= 1, "the history's columns do not fit at 1280 px"
    context.close()
