"""The one-page report, printed by Chromium (page.pdf): one A4 page and one Letter page, for a
short and for the longest bundled period, with the data's source and licence and no markup from
a dataset's name."""

from __future__ import annotations

import html
import re

import pytest

import data_sources as ds
from app.report import run_report
from app.settings import Settings
from forecast.headline import headline
from tests.helpers.pool import train_run

pytestmark = pytest.mark.e2e


def quick_run(sample: str):
    df = ds.load_sample(sample)
    df.attrs["name"] = "<script>alert('name')</script> " + str(df.attrs.get("name"))
    settings = Settings(source="sample", data=sample, start=str(df.index.min().date()),
                        end=str(df.index.max().date()), target="temp", extras=(), hidden=8,
                        activation="tanh", lr=0.01, window=7, epochs=2, seed=0, seeds=2)
    return train_run(df, settings, number=3, budget_s=120), df.attrs


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.mark.parametrize("sample", [ds.DEFAULT_SAMPLE, "chicago-2001-2016"])
def test_the_report_prints_on_one_page(browser, sample, tmp_path):
    run, attrs = quick_run(sample)
    report = run_report(run, attrs, units="°F")
    assert "<script>" not in report  # the dataset's name is text, not markup
    assert "&lt;script&gt;" in report
    assert html.escape(headline(run.result, "°F").text) in report  # the page's headline first
    assert run.result.verdict(units="°F")[:40] in report  # then the full sentence
    assert str(attrs["licence"])[:30] in report.replace("&#x27;", "'")
    assert "<svg" in report and "<polyline" in report  # the picture
    page = browser.new_page()
    page.set_content(report, wait_until="load")
    assert page.locator('[data-testid="stSidebar"]').count() == 0
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper, print_background=True)
        (tmp_path / f"report-{paper}.pdf").write_bytes(pdf)
        assert pdf_pages(pdf) == 1, f"{sample} on {paper}: {pdf_pages(pdf)} pages"
    # no table wider than the page: nothing is cut at its edge
    widest = page.evaluate("""() => Math.max(...[...document.querySelectorAll('table, svg')]
        .map(e => e.getBoundingClientRect().right))""")
    assert widest <= page.evaluate("document.body.getBoundingClientRect().right") + 1
    page.set_content(report.replace("</body>", "<p>more</p>" * 300 + "</body>"))
    assert pdf_pages(page.pdf(format="A4")) > 1  # the page count sees a second page
    page.close()
