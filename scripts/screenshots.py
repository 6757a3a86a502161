"""Remake the README's screenshots (docs/screenshot-1440.png, -1280.png, -390.png) on request.

    .venv/bin/python scripts/screenshots.py          # all three
    .venv/bin/python scripts/screenshots.py 390      # only the phone's

Serves the app with `streamlit run` on a free port of 127.0.0.1, opens it in the system Chromium
(CHROMIUM_PATH, or Debian's /usr/bin/chromium) at each size, presses Train on the default data
and saves the page once the verdict and its charts are drawn — as a person leaves it: the pointer
off every widget, no focus ring. The browser tests check the same layout but save their
screenshots under artifacts/, so a test run never changes these tracked files.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.browser import (  # noqa: E402
    CHROMIUM_ARGS,
    LAPTOP,
    PHONE,
    ROOT,
    SIDEBAR_OPEN,
    WIDE,
    chromium_path,
    first_chart_seconds,
    open_app,
    save_screenshot,
    start_streamlit,
    stop_process,
    train_button,
    wait_for_verdict,
)

SIZES = {"1440": WIDE, "1280": LAPTOP, "390": PHONE}


def shoot(browser, url: str, name: str) -> Path:
    viewport = SIZES[name]
    context, page = open_app(browser, viewport)
    try:
        first_chart_seconds(page, url)
        phone = viewport is PHONE
        if phone:  # a phone opens on the page: open the sidebar to reach Train
            page.get_by_test_id("stExpandSidebarButton").click()
            page.wait_for_function(SIDEBAR_OPEN, timeout=10_000)
            page.wait_for_timeout(500)
        train_button(page).click()
        wait_for_verdict(page)
        path = ROOT / "docs" / f"screenshot-{name}.png"
        save_screenshot(page, path, leave=not phone)
        return path
    finally:
        context.close()


def main(argv: list[str]) -> int:
    names = argv or list(SIZES)
    unknown = [n for n in names if n not in SIZES]
    if unknown:
        print(f"unknown size {', '.join(unknown)}; choose from {', '.join(SIZES)}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    proc, url, _ = start_streamlit()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), headless=True,
                                         args=CHROMIUM_ARGS)
            for name in names:
                print(f"wrote {shoot(browser, url, name).relative_to(ROOT)}")
            browser.close()
    finally:
        stop_process(proc)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
