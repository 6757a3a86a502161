"""Keyboard only, in a real browser (issue 25): Tab to Train, Enter, and after the run the focus
is back on Train (not dropped to <body>), from where the Hidden size slider is at most ten Tab
presses away: the widgets' "?" help icons are no Tab stops and a skip link right after Train
leads past the data controls (app/keyboard.py)."""

from __future__ import annotations

import pytest

from tests.helpers.browser import (
    LAPTOP,
    assert_no_exception,
    first_chart_seconds,
    open_app,
    wait_for_verdict,
)

pytestmark = pytest.mark.e2e

MAX_TABS = 10
FOCUSED = """() => { const el = document.activeElement; if (!el || el === document.body) return '';
  const slider = el.closest('[data-testid="stSlider"]');
  if (slider) return 'slider: ' + slider.innerText.split('\\n')[0].trim();
  return (el.innerText || el.getAttribute('aria-label') || el.tagName).trim().slice(0, 60); }"""
TRAIN_READY = """() => [...document.querySelectorAll('[data-testid="stSidebar"] button')]
    .some(b => b.innerText.trim() === 'Train' && !b.disabled)"""


def tab_until(page, wanted: str, limit: int, follow: str = "") -> tuple[int, list[str]]:
    """Press Tab until the focused element reads ``wanted`` (Enter on a link reading ``follow``,
    as a keyboard user takes a skip link); the key presses and what was passed."""
    passed: list[str] = []
    while page.evaluate(FOCUSED) != wanted:
        assert len(passed) < limit, f"{wanted!r} not reached in {limit} key presses: {passed}"
        key = "Enter" if follow and page.evaluate(FOCUSED).startswith(follow) else "Tab"
        page.keyboard.press(key)
        passed.append(f"{key}: {page.evaluate(FOCUSED)}")
    return len(passed), passed


def test_keyboard_train_then_hidden_size_in_at_most_ten_presses(streamlit_server, browser):
    context, page = open_app(browser, LAPTOP)
    first_chart_seconds(page, streamlit_server)
    page.wait_for_function(TRAIN_READY, timeout=60_000)
    page.wait_for_timeout(500)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    to_train, _ = tab_until(page, "Train", MAX_TABS)
    page.keyboard.press("Enter")
    wait_for_verdict(page)
    assert_no_exception(page)
    # focus comes back to Train once the run has ended and the page is drawn again
    page.wait_for_function(f"() => ({FOCUSED})() === 'Train'", timeout=10_000)
    to_hidden, passed = tab_until(page, "slider: Hidden size", MAX_TABS,
                                  follow="Skip to the model settings")
    print(f"Key presses: top -> Train {to_train}; after the run, Train -> Hidden size "
          f"{to_hidden} ({' | '.join(passed)})")
    context.close()
