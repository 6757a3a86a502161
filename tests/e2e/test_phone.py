"""A phone (390×844) in a real browser (issue 25): what answers a sidebar input — a city
suggestion, the offline message, a CSV error — is on screen when it appears, not behind the open
sidebar (app/phone.py closes it and brings the message into view)."""

from __future__ import annotations

import socket

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.helpers.browser import (
    PHONE,
    SIDEBAR_OPEN,
    assert_no_exception,
    first_chart_seconds,
    open_app,
    start_streamlit,
    stop_process,
)

pytestmark = pytest.mark.e2e

# On screen: inside the viewport, and what is drawn at its centre is the element itself (not the
# sidebar lying over it).
ON_SCREEN = """(el) => { const r = el.getBoundingClientRect();
  if (!(r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight
        && r.right <= window.innerWidth)) return false;
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 20));
  return !!hit && el.contains(hit); }"""


def open_sidebar(page) -> None:
    if not page.evaluate(SIDEBAR_OPEN):
        page.get_by_test_id("stExpandSidebarButton").click()
        page.wait_for_function(SIDEBAR_OPEN, timeout=10_000)
        page.wait_for_timeout(500)  # it slides in


def choose_source(page, label: str) -> None:
    open_sidebar(page)
    page.get_by_test_id("stSidebar").get_by_text(label, exact=True).click()
    page.wait_for_timeout(800)


def search_city(page, name: str) -> None:
    box = page.get_by_test_id("stSidebar").get_by_role("textbox", name="City")
    box.fill(name)
    box.press("Enter")


def assert_on_screen(page, alert, what: str) -> None:
    alert.wait_for(timeout=60_000)
    try:  # the sidebar closes, the page scrolls: a moment on a busy machine
        page.wait_for_function(f"(el) => ({ON_SCREEN})(el)", arg=alert.element_handle(),
                               timeout=10_000)
    except PlaywrightTimeout:
        pytest.fail(f"{what} is not on screen at 390×844")


def alert_with(page, text: str):
    return page.get_by_test_id("stMain").locator('[data-testid="stAlert"]').filter(
        has_text=text).first


def test_phone_city_suggestion_and_csv_error_are_on_screen(streamlit_server, browser):
    context, page = open_app(browser, PHONE)
    first_chart_seconds(page, streamlit_server)
    choose_source(page, "Any city (Meteostat)")
    search_city(page, "Chicgo")
    suggestion = alert_with(page, "Did you mean")
    assert_on_screen(page, suggestion, "the city suggestion")
    assert "Chicago" in suggestion.inner_text()
    assert page.get_by_role("button", name="Chicago", exact=False).first.evaluate(ON_SCREEN)

    choose_source(page, "Upload a CSV")
    page.get_by_test_id("stSidebar").locator('input[type="file"]').set_input_files(
        files=[{"name": "rain.csv", "mimeType": "text/csv",
                "buffer": b"date,rain\n2020-01-01,3\n2020-01-02,0\n"}])
    assert_on_screen(page, alert_with(page, "Could not use"), "the CSV error")
    assert_no_exception(page)
    context.close()


@pytest.fixture
def offline_server(tmp_path):
    from tests.helpers.meteostat import ms_env

    with socket.socket() as sock:  # a port on 127.0.0.1 nothing listens on
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    proc, url, _ = start_streamlit(extra_env=ms_env(closed, tmp_path))
    yield url
    stop_process(proc)


def test_phone_offline_message_is_on_screen(offline_server, browser):
    context, page = open_app(browser, PHONE)
    first_chart_seconds(page, offline_server)
    choose_source(page, "Any city (Meteostat)")
    search_city(page, "Chicago")
    fetch = page.get_by_test_id("stSidebar").get_by_role("button", name="Fetch weather")
    fetch.wait_for(timeout=30_000)
    open_sidebar(page)
    fetch.click()
    offline = alert_with(page, "offline samples still work")
    assert_on_screen(page, offline, "the offline message")
    way_out = page.get_by_role("button", name="Use the offline sample of Chicago")
    assert way_out.evaluate(ON_SCREEN)
    assert_no_exception(page)
    context.close()


# The data grid draws on a canvas; its accessible table lists the columns it has drawn.
DRAWN_COLUMNS = """(grid) => [...grid.querySelectorAll('th, [role="columnheader"]')]
    .map(h => h.textContent.trim())"""
SMALLEST_TEXT = """() => Math.min(...[...document.querySelectorAll(
    '[data-testid="stVegaLiteChart"] svg text, [data-testid="stGraphVizChart"] svg text')]
  .filter(t => t.getClientRects().length && t.textContent.trim()
               && getComputedStyle(t).opacity !== '0')
  .map(t => { const m = t.getScreenCTM();
              return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b); }))"""
CLIPPED_LEGENDS = """() => [...document.querySelectorAll(
    '[data-testid="stVegaLiteChart"] .role-legend-label text')]
  .map(t => t.textContent).filter(t => t.endsWith('…'))"""


def test_phone_verdict_column_legends_and_diagram_text(streamlit_server, browser):
    from tests.helpers.browser import wait_for_verdict

    context, page = open_app(browser, PHONE)
    first_chart_seconds(page, f"{streamlit_server}/?epochs=2&hidden=8")
    open_sidebar(page)
    page.get_by_test_id("stSidebar").get_by_role("button", name="Train", exact=True).click()
    wait_for_verdict(page)
    assert_no_exception(page)
    assert page.evaluate(CLIPPED_LEGENDS) == []
    page.get_by_text("Details: the full verdict").click()
    grid = page.get_by_test_id("stExpander").filter(has_text="RNN against each model") \
        .get_by_test_id("stDataFrame").first
    grid.wait_for(timeout=30_000)
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    columns = grid.evaluate(DRAWN_COLUMNS)
    assert columns[:2] == ["Model", "RNN is"], columns  # the answer in view, beside the model
    page.get_by_role("tab", name="How it works").click()
    page.wait_for_function("""() => [...document.querySelectorAll(
        '[data-testid="stGraphVizChart"] svg')].some(s => s.getClientRects().length)""",
                           timeout=30_000)
    page.wait_for_timeout(1000)
    smallest = page.evaluate(SMALLEST_TEXT)
    print(f"390×844: smallest chart or diagram text {smallest:.1f} px")
    assert smallest >= 12
    context.close()
