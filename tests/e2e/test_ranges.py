"""The likely ranges where people look, in a real Chromium at 1280×720 and 390×844: the forecast
chart with its shaded range and the coverage in words, then "Next 7 days" opening with tomorrow's
forecast and its likely range. Screenshots go to artifacts/ (untracked)."""

import re

import pytest

from tests.helpers.browser import (
    ARTIFACTS,
    IN_VIEWPORT,
    LAPTOP,
    PHONE,
    SIDEBAR_OPEN,
    assert_no_exception,
    first_chart_seconds,
    open_app,
    save_screenshot,
    train_button,
)

pytestmark = pytest.mark.e2e

TOMORROW = re.compile(r"Tomorrow \(.+\): -?\d+\.\d °C \(likely -?\d+\.\d to -?\d+\.\d\)")
SVG_TEXT = "(el) => (el.querySelector('svg') || {}).textContent || ''"
ROLES = """(el) => [...new Set([...el.querySelectorAll('[aria-roledescription]')].map(
  e => e.getAttribute('aria-roledescription')))]"""
CHART_DRAWN = """(el) => !!el.querySelector('canvas, svg') && el.getBoundingClientRect().width > 300
  && el.getBoundingClientRect().right <= window.innerWidth + 1"""


def visible_chart_titled(page, text: str):
    """The drawn chart whose accessible summary (Vega's aria label) names ``text``."""
    return page.locator('[data-testid="stVegaLiteChart"]').filter(
        has=page.locator(f'[aria-label*="{text}"]')).first


def train_and_wait(page, phone: bool) -> None:
    if phone:
        page.get_by_test_id("stExpandSidebarButton").click()
        page.wait_for_function(SIDEBAR_OPEN, timeout=10_000)
        page.wait_for_timeout(500)  # the sidebar slides in
    train_button(page).click()
    page.get_by_text("Forecasts drawn").wait_for(timeout=180_000)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280x720", "390x844"])
def test_forecast_panel_and_chart_show_the_ranges(streamlit_server, browser, viewport):
    context, page = open_app(browser, viewport)
    first_chart_seconds(page, streamlit_server)
    train_and_wait(page, phone=viewport is PHONE)
    assert_no_exception(page)
    # "Forecast vs actual" (the first tab): the chart says what the lines and the shading show
    chart = visible_chart_titled(page, "Next-day forecasts on the test days")
    chart.scroll_into_view_if_needed()
    page.wait_for_function(f"() => {{ const el = [...document.querySelectorAll("
                           f"'[data-testid=\"stVegaLiteChart\"]')].find(e => e.querySelector("
                           f"'[aria-label*=\"Next-day forecasts\"]')); return el && "
                           f"({CHART_DRAWN})(el); }}", timeout=60_000)
    summary = chart.evaluate(SVG_TEXT)
    assert "likely range" in summary and "lags the truth" in summary, summary
    assert "area mark" in chart.evaluate(ROLES)  # the shaded range
    crosses = chart.locator('[aria-roledescription="point"]')  # the test days outside it
    assert crosses.count() > 0
    held = page.get_by_text(re.compile(r"The RNN's 80 % range held on \d+ % of test days"))
    held.scroll_into_view_if_needed()
    assert held.evaluate(IN_VIEWPORT)
    save_screenshot(page, ARTIFACTS / f"ranges-forecast-{viewport['width']}.png")
    # "Next 7 days": tomorrow with its likely range, in view once the tab is opened
    page.get_by_role("tab", name="Next 7 days").click()
    tomorrow = page.get_by_text(TOMORROW).first
    tomorrow.wait_for(timeout=30_000)
    tomorrow.scroll_into_view_if_needed()
    assert tomorrow.evaluate(IN_VIEWPORT), "tomorrow's range is not in view"
    future = visible_chart_titled(page, "The next days, beyond the data")
    future.scroll_into_view_if_needed()
    assert future.evaluate(CHART_DRAWN)
    assert "likely range" in future.evaluate(SVG_TEXT)
    assert "area mark" in future.evaluate(ROLES)
    no_overflow = "() => document.documentElement.scrollWidth <= window.innerWidth + 1"
    assert page.evaluate(no_overflow), "the page scrolls sideways"
    assert_no_exception(page)
    save_screenshot(page, ARTIFACTS / f"ranges-next-days-{viewport['width']}.png")
    context.close()
