"""ui/theme.py's contrast helpers and the page CSS that makes captions and chart text readable
(the browser measures the result: tests/e2e/test_accessibility.py)."""

import pytest

from ui.theme import MODEL_COLORS, ON_BACKGROUND_TEXT, PAGE_CSS, contrast, text_on


def test_contrast_is_wcags_formula():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast("#808495", "#ffffff") == pytest.approx(3.72, abs=0.01)  # the grey


@pytest.mark.parametrize("key", [k for k in MODEL_COLORS if k != "persistence"])
def test_text_inside_a_bar_reads_at_least_4_5_to_1(key):
    # (persistence's skill is 0 by definition: it never has a cut bar to write in)
    assert contrast(text_on(MODEL_COLORS[key]), MODEL_COLORS[key]) >= 4.5


def test_the_page_css_reaches_every_fixed_grey_and_the_observed_line():
    assert PAGE_CSS.startswith("<style>") and PAGE_CSS.endswith("</style>")
    for colour in (*ON_BACKGROUND_TEXT, MODEL_COLORS["actual"]):
        assert f'"{colour}"' in PAGE_CSS
    for part in ("stCaptionContainer", "role-axis-label", "role-legend-label",
                 "stGraphVizChart", 'font-size="11px"'):
        assert part in PAGE_CSS
