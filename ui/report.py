"""A one-page report of one run: a self-contained HTML file with a print stylesheet.

The headline (the verdict), the picture (forecasts against what happened over the test days, an
inline SVG drawn here), the settings, the scores and the data source with its licence — no
sidebar, no tables cut at the page's edge. Everything is sized to print on one A4 or Letter page
(tests/e2e/test_report.py prints it in Chromium and counts the pages). Every text from outside
(a dataset's name, a licence) is HTML-escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .theme import MODEL_COLORS, model_label
from .units import to_display_temp

SVG_W, SVG_H = 680, 190  # the picture's drawing units (it scales to the page's width)
PAD_L, PAD_B, PAD_T = 38, 20, 8
LINES = {"actual": "", "rnn": "", "dense": "5 3"}  # model -> stroke-dasharray
MAX_POINTS = 400  # longer test periods are thinned for the picture (every k-th day)

STYLE = """
@page { margin: 12mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #262730;
       max-width: 186mm; margin: 0 auto; }
h1 { font-size: 15pt; margin: 0 0 2mm; }
.sub { color: #555; margin: 0 0 3mm; }
.headline { border-left: 4px solid #e4572e; background: #fdf1ec; padding: 2mm 3mm;
            margin: 0 0 3mm; font-size: 10.5pt; }
h2 { font-size: 11pt; margin: 3mm 0 1.5mm; }
svg { width: 100%; height: auto; display: block; }
.legend span { margin-right: 4mm; white-space: nowrap; }
.legend i { display: inline-block; width: 8mm; height: 0; border-top: 2px solid;
            vertical-align: middle; margin-right: 1mm; }
.cols { display: flex; gap: 5mm; }
.cols > div { flex: 1 1 0; min-width: 0; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; table-layout: auto; }
th, td { border-bottom: 1px solid #ddd; padding: 0.8mm 1.5mm; text-align: left;
         overflow-wrap: anywhere; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.source { font-size: 8.5pt; color: #444; margin-top: 3mm; overflow-wrap: anywhere; }
@media print { body { max-width: none; } section, table, svg { break-inside: avoid; } }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def forecast_svg(predictions: pd.DataFrame, units: str = "°C") -> str:
    """Observed, the RNN and the memoryless network over the test days, as inline SVG."""
    frame = predictions[[c for c in LINES if c in predictions]].astype(float)
    if len(frame) > MAX_POINTS:
        frame = frame.iloc[:: int(np.ceil(len(frame) / MAX_POINTS))]
    frame = to_display_temp(frame, units)
    values = frame.to_numpy()
    finite = values[np.isfinite(values)]
    if frame.empty or finite.size == 0:
        return ""
    low, high = float(finite.min()), float(finite.max())
    span = (high - low) or 1.0
    n = max(len(frame) - 1, 1)

    def x(i: int) -> float:
        return PAD_L + (SVG_W - PAD_L - 4) * i / n

    def y(v: float) -> float:
        return PAD_T + (SVG_H - PAD_T - PAD_B) * (1 - (v - low) / span)

    parts = [f'<svg viewBox="0 0 {SVG_W} {SVG_H}" xmlns="http://www.w3.org/2000/svg" '
             f'role="img" aria-label="Forecasts against what happened over the test days">']
    for tick in np.linspace(low, high, 4):
        parts.append(f'<line x1="{PAD_L}" x2="{SVG_W - 4}" y1="{y(tick):.1f}" '
                     f'y2="{y(tick):.1f}" stroke="#eee"/><text x="{PAD_L - 3}" '
                     f'y="{y(tick) + 3:.1f}" font-size="9" text-anchor="end">{tick:.0f}</text>')
    dates = frame.index
    for i in (0, len(frame) - 1):
        anchor = "start" if i == 0 else "end"
        parts.append(f'<text x="{x(i):.1f}" y="{SVG_H - 5}" font-size="9" '
                     f'text-anchor="{anchor}">{_e(pd.Timestamp(dates[i]).date())}</text>')
    for model, dash in LINES.items():
        if model not in frame:
            continue
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(frame[model])
                          if np.isfinite(v))
        width = 1.6 if model == "rnn" else 1.0
        parts.append(f'<polyline fill="none" stroke="{MODEL_COLORS.get(model, "#000")}" '
                     f'stroke-width="{width}" stroke-dasharray="{dash}" points="{points}"/>')
    parts.append(f'<text x="2" y="{PAD_T + 8}" font-size="9">{_e(units)}</text></svg>')
    return "".join(parts)


def _table(header: Sequence[str], rows: Sequence[Sequence[object]],
           numeric: Sequence[int] = ()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(
        f'<td class="num">{_e(v)}</td>' if j in numeric else f"<td>{_e(v)}</td>"
        for j, v in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def report_html(*, title: str, subtitle: str, headline: str, predictions: pd.DataFrame,
                settings: Mapping[str, object], scores: Sequence[Sequence[object]],
                comparison: Sequence[Sequence[object]], source: Sequence[str],
                units: str = "°C") -> str:
    """The report as one HTML document.

    settings: label -> value; scores: rows of (model, MAE, RMSE, skill); comparison: rows of
    (model, RNN minus it, 95 % interval, verdict); source: lines about the data and its licence.
    """
    legend = "".join(f'<span><i style="border-color:{MODEL_COLORS.get(m, "#000")};'
                     f'{"border-top-style:dashed;" if d else ""}"></i>{_e(model_label(m))}'
                     "</span>" for m, d in LINES.items() if m in predictions)
    settings_rows = [(k, v) for k, v in settings.items()]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>
<style>{STYLE}</style></head><body>
<h1>{_e(title)}</h1>
<p class="sub">{_e(subtitle)}</p>
<p class="headline">{_e(headline)}</p>
<section><h2>Forecasts against what happened (test days, no model saw them in training)</h2>
{forecast_svg(predictions, units)}
<div class="legend">{legend}</div></section>
<div class="cols">
<section><h2>RNN against each model ({_e(units)})</h2>
{_table(["Model", "RNN − it", "95 % interval", "Verdict"], comparison, numeric=(1, 2))}
<h2>Test error ({_e(units)})</h2>
{_table(["Model", "MAE", "RMSE", "Skill"], scores, numeric=(1, 2, 3))}</section>
<section><h2>Settings</h2>{_table(["Setting", "Value"], settings_rows)}</section>
</div>
<div class="source">{"<br>".join(_e(line) for line in source)}</div>
</body></html>
"""
