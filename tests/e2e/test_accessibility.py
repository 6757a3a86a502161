"""Contrast in a real browser (issue 25): axe-core's color-contrast rule, run in Chromium after a
default run, finds nothing in the light and the dark theme (the page follows the system's
preference, emulated here); the text of every drawn chart and diagram, which axe does not read
(SVG), is measured here the same way (WCAG's formula) and must reach 4.5:1 and 12 px.

axe-core is the copy the PyPI package axe-playwright-python ships (requirements-dev.txt), added to
the page with Playwright's add_script_tag.
"""

from __future__ import annotations

import importlib.resources
import json

import pytest

from tests.helpers.browser import (
    LAPTOP,
    assert_no_exception,
    first_chart_seconds,
    open_tab,
    train_button,
    wait_for_verdict,
)

pytestmark = pytest.mark.e2e

AXE = importlib.resources.files("axe_playwright_python") / "axe.min.js"
AA = 4.5  # WCAG 2 AA, normal text
MIN_PX = 12

# Each drawn SVG text of the charts (Vega) and diagrams (Graphviz): its colour after CSS, the
# colour behind it (a filled mark or box under it, else the page), the ratio, its drawn size.
SVG_TEXT = """() => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const over = (fg, a, bg) => [0, 1, 2].map(i => fg[i] * a + bg[i] * (1 - a));
  const pageBg = el => { for (let e = el; e; e = e.parentElement) {
    const v = rgb(getComputedStyle(e).backgroundColor);
    if (v.length === 3 || v[3] > 0) return v.slice(0, 3); } return [255, 255, 255]; };
  const inside = (r, x, y) => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom;
  const out = [];
  const charts = '[data-testid="stVegaLiteChart"], [data-testid="stGraphVizChart"]';
  for (const t of document.querySelectorAll(
      '[data-testid="stVegaLiteChart"] svg text, [data-testid="stGraphVizChart"] svg text')) {
    const cs = getComputedStyle(t);
    const alpha = parseFloat(cs.fillOpacity) * parseFloat(cs.opacity);
    if (!t.textContent.trim() || !t.getClientRects().length || alpha === 0
        || cs.visibility === 'hidden') continue;  // Vega hides overlapping labels: not drawn
    const box = t.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    let bg = pageBg(t.closest(charts));
    // bars and cells (not areas or lines: their clipped paths reach far past what is drawn)
    const shapes = [...t.ownerSVGElement.querySelectorAll('.role-mark [aria-roledescription="bar"],'
      + ' .role-mark [aria-roledescription="rect mark"], .node > path, .node > polygon,'
      + ' .node > ellipse')];
    for (const s of shapes) {  // the topmost filled shape under the text's centre
      const f = rgb(getComputedStyle(s).fill);
      const fa = (f.length > 3 ? f[3] : 1) * parseFloat(getComputedStyle(s).fillOpacity);
      if (getComputedStyle(s).fill !== 'none' && f.length >= 3 && fa > 0
          && inside(s.getBoundingClientRect(), x, y)) bg = over(f, fa, bg);
    }
    const fg = rgb(cs.fill);
    const drawn = over(fg, (fg.length > 3 ? fg[3] : 1) * alpha, bg);
    const [hi, lo] = [lum(drawn), lum(bg)].sort((a, b) => b - a);
    const m = t.getScreenCTM();
    out.push({text: t.textContent.trim().slice(0, 40), fill: cs.fill,
              ratio: Math.round((hi + 0.05) / (lo + 0.05) * 100) / 100,
              px: Math.round(parseFloat(cs.fontSize) * (m ? Math.hypot(m.a, m.b) : 1) * 10) / 10,
              where: t.closest('[data-testid="stGraphVizChart"]') ? 'diagram' : 'chart'});
  }
  return out;
}"""


def contrast_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => (await axe.run(document,
        {runOnly: ['color-contrast']})).violations.flatMap(v => v.nodes.map(n => ({
          html: n.html.slice(0, 120), data: (n.any[0] || {}).data || {}})))""")
    return [f"{v['data'].get('contrastRatio')}:1 {v['data'].get('fgColor')} on "
            f"{v['data'].get('bgColor')}: {v['html']}" for v in found]


def svg_text_problems(page) -> tuple[list[dict], list[str]]:
    rows = page.evaluate(SVG_TEXT)
    bad = [f"{r['where']} {r['text']!r}: {r['ratio']}:1, {r['px']} px ({r['fill']})"
           for r in rows if r["ratio"] < AA or r["px"] < MIN_PX]
    return rows, bad


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_contrast_violation_after_a_default_run(streamlit_server, browser, scheme):
    context = browser.new_context(viewport=LAPTOP, color_scheme=scheme)
    page = context.new_page()
    first_chart_seconds(page, streamlit_server)
    background = page.evaluate(
        "getComputedStyle(document.querySelector('.stApp')).backgroundColor")
    level = sum(int(v) for v in background[4:-1].split(",")[:3]) / 3
    assert (level < 80) if scheme == "dark" else (level > 200), background  # system preference
    train_button(page).click()
    wait_for_verdict(page)
    assert_no_exception(page)
    problems, measured = [], {}
    for label in ("Details: the full verdict", "How often every model's range held"):
        page.get_by_text(label).first.click()  # built when opened (app/lazy.py): checked too
        page.get_by_test_id("stExpander").filter(has_text=label) \
            .get_by_test_id("stDataFrame").first.wait_for(timeout=60_000)
    for tab in (None, "Errors", "Next 7 days", "How it works", "Run history"):  # every tab
        #                                                        with charts (Export has none)
        if tab is not None:
            open_tab(page, tab)
            page.wait_for_timeout(1500)
        problems += [f"[{tab or 'page'}] axe: {v}" for v in contrast_violations(page)]
        rows, bad = svg_text_problems(page)
        problems += [f"[{tab or 'page'}] {b}" for b in bad]
        for where in ("chart", "diagram"):
            ratios = [r["ratio"] for r in rows if r["where"] == where]
            if ratios:
                measured[f"{tab or 'page'} {where}"] = (min(ratios), len(ratios))
    print(f"{scheme}: lowest SVG text contrast (ratio, texts): {json.dumps(measured)}")
    assert any(k.endswith("diagram") for k in measured), "the diagrams were not measured"
    assert not problems, "\n".join(problems[:30])
    context.close()
