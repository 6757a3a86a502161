"""The answer first, in a real browser after a default Train: at 1280×720 the headline and the
picture are in view without scrolling, at 390×844 after one scroll; the headline answers "did
memory help?" in words within 30 words; nothing above the first chart shows a number with more
than two decimals."""

import re

import pytest

from tests.helpers.browser import (
    IN_VIEWPORT,
    LAPTOP,
    PHONE,
    SIDEBAR_OPEN,
    first_chart_seconds,
    open_app,
    train_button,
    wait_for_verdict,
)

pytestmark = pytest.mark.e2e

ANSWERS = ("Yes:", "Not here:", "Too close to call:", "It did worse:")
DRAWN = "(el) => !!el.querySelector('canvas, svg')"
# The main area's visible text that lies above the top of the first chart (y in page pixels).
TEXT_ABOVE = """(y) => {
  const main = document.querySelector('[data-testid="stMain"]');
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const out = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const r = document.createRange(); r.selectNodeContents(n);
    const box = r.getBoundingClientRect();
    if (box.height > 0 && box.bottom <= y + 1 && n.textContent.trim()) out.push(n.textContent);
  }
  return out.join(' '); }"""


def headline_and_picture(page):
    verdict = page.locator(".st-key-verdict")
    headline = verdict.locator('[data-testid="stAlert"] [data-testid="stMarkdownContainer"]').first
    picture = verdict.locator('[data-testid="stVegaLiteChart"]').first
    page.wait_for_function(f"() => ({DRAWN})(document.querySelector("
                           "'.st-key-verdict [data-testid=\"stVegaLiteChart\"]'))",
                           timeout=60_000)
    return headline, picture


def check_answer(page, headline, picture) -> str:
    text = headline.inner_text().strip()
    assert text.startswith("Did memory help?"), text
    assert any(a in text for a in ANSWERS), text
    words = [w for w in text.split() if w not in ("—", "–")]
    assert len(words) <= 30, (len(words), text)
    top = picture.evaluate("(el) => el.getBoundingClientRect().top")
    above = page.evaluate(TEXT_ABOVE, top)
    assert "Did memory help?" in above  # the headline is above the picture
    long = re.findall(r"\d+\.\d{3,}", above)
    assert not long, f"numbers with more than two decimals above the first chart: {long}"
    return text


def test_laptop_answer_and_picture_in_view_without_scrolling(streamlit_server, browser):
    context, page = open_app(browser, LAPTOP)
    first_chart_seconds(page, streamlit_server)
    train_button(page).click()
    wait_for_verdict(page)
    headline, picture = headline_and_picture(page)
    page.wait_for_timeout(800)  # the page scrolls to the results once they have drawn
    assert headline.evaluate(IN_VIEWPORT), "the headline is not in view at 1280×720"
    assert picture.evaluate(IN_VIEWPORT), "the picture is not in view at 1280×720"
    print("1280×720 headline:", check_answer(page, headline, picture))
    context.close()


def test_phone_answer_and_picture_in_view_after_one_scroll(streamlit_server, browser):
    context, page = open_app(browser, PHONE)
    first_chart_seconds(page, streamlit_server)
    page.get_by_test_id("stExpandSidebarButton").click()
    page.wait_for_function(SIDEBAR_OPEN, timeout=10_000)
    page.wait_for_timeout(500)  # the sidebar slides in
    train_button(page).click()
    page.wait_for_function(f"() => !({SIDEBAR_OPEN})()", timeout=15_000)
    wait_for_verdict(page)
    headline, picture = headline_and_picture(page)
    page.wait_for_timeout(800)
    if not (headline.evaluate(IN_VIEWPORT) and picture.evaluate(IN_VIEWPORT)):
        # one scroll: a single swipe that brings the headline to the top of the screen
        header = page.evaluate("""() => document.querySelector('[data-testid="stHeader"]')
                                         ?.getBoundingClientRect().bottom || 0""")
        distance = headline.evaluate("(el) => el.getBoundingClientRect().top") - header - 8
        page.get_by_test_id("stMain").hover()
        page.mouse.wheel(0, distance)
        page.wait_for_timeout(500)
    assert headline.evaluate(IN_VIEWPORT), "the headline is not in view at 390×844"
    assert picture.evaluate(IN_VIEWPORT), "the picture is not in view at 390×844"
    print("390×844 headline:", check_answer(page, headline, picture))
    context.close()
