"""The memory curve is a job like a run (issue 21, item 5), in a real browser: a share link with
``experiment=memory`` trains the run and then the curve in the server's pool; while the curve
trains Train is off and Stop on, and moving a control does not drop it."""

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import assert_no_exception, train_button, wait_for_app

pytestmark = pytest.mark.e2e

CURVE_DONE = "-day window the RNN missed"  # the curve's answer under its chart (app/guided.py)


# One look at the page, so the three agree: the curve's live view and the sidebar's buttons are
# separate elements, and a curve trained in a second can end between two separate checks (the
# next run's buttons arrive before the live view gives way to the results).
CURVE_TRAINING_WITH_STOP_ON = """() => {
  const buttons = [...document.querySelectorAll('[data-testid="stSidebar"] button')];
  const named = name => buttons.find(b => b.innerText.trim() === name);
  const train = named("Train"), stop = named("Stop");
  return document.body.innerText.includes("Memory curve:")  // the live view (app/training.py)
    && train !== undefined && train.disabled && stop !== undefined && !stop.disabled;
}"""


def stop_button(page):
    return page.get_by_test_id("stSidebar").get_by_role("button", name="Stop", exact=True)


def test_a_link_trains_the_curve_and_a_control_moved_meanwhile_keeps_it(streamlit_server,
                                                                        page):
    wait_for_app(page, f"{streamlit_server}/?experiment=memory", timeout_ms=60_000)
    page.wait_for_function(CURVE_TRAINING_WITH_STOP_ON, polling="raf", timeout=240_000)

    # A model control moved while the curve trains: a rerun of the page, the job goes on and
    # the curve lands on the run it was trained for (whose results are now marked stale).
    slider = page.get_by_test_id("stSidebar").get_by_role("slider").first
    slider.focus()
    slider.press("ArrowRight")
    page.get_by_text(CURVE_DONE).first.wait_for(timeout=240_000)
    expect(train_button(page)).to_be_enabled()
    expect(stop_button(page)).to_be_disabled()
    assert page.get_by_text("stale").count()  # the moved control is noticed, the curve kept
    assert_no_exception(page)
