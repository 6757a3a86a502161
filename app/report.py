"""The one-page report of the run on screen, as a download (ui/report.py draws it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

import ui
from app import built
from app.history import data_name, inputs_text
from app.run import Run
from forecast.headline import headline
from forecast.verdict import target_name
from ui.report import report_html


def _num(value: Any, units: str, fmt: str = "{:.3f}") -> str:
    try:
        number = float(ui.to_display_delta(float(value), units))
    except (TypeError, ValueError):
        return "n/a"
    return fmt.format(number) if number == number else "n/a"


def source_lines(attrs: Mapping[str, Any] | None) -> list[str]:
    """Where the data came from and under which licence (the data's own attrs)."""
    if not attrs:
        return ["Data: see the lab's “Data quality and source” panel for its source and licence."]
    lines = [f"Data: {attrs.get('name', 'your data')}"
             + (f" — {attrs['dataset']}" if attrs.get("dataset") else "")]
    stations = attrs.get("stations") or []
    if isinstance(stations, list):
        lines += [f"Station {s.get('name', '?')} ({s.get('id', '?')})" for s in stations
                  if isinstance(s, dict)]
    for key, label in (("attribution", "Source"), ("licence", "Licence")):
        if attrs.get(key):
            lines.append(f"{label}: {attrs[key]}")
    return lines


def run_report(run: Run, data_attrs: Mapping[str, Any] | None, units: str = "°C") -> str:
    """The report of ``run`` as HTML; ``data_attrs``: the run's data's attrs (None: unknown)."""
    result, s = run.result, run.settings
    first, last = (d.date() for d in result.split["test"])
    settings = {"Data": data_name(s), "Period": f"{s.start} – {s.end}",
                "Forecasts": target_name(s.target), "Inputs": inputs_text(s),
                "Window (days)": s.window, "Hidden units": s.hidden,
                "Activation": s.activation, "Learning rate": f"{s.lr:g}",
                "Epochs (at most)": s.epochs, "Seed": s.seed, "Repeats": s.seeds}
    scores = [(ui.model_label(m), _num(result.metrics[m].get("mae"), units),
               _num(result.metrics[m].get("rmse"), units),
               f"{100 * float(result.metrics[m].get('skill', float('nan'))):+.1f} %")
              for m in result.models]
    comparison = []
    for m, c in result.comparison.items():
        verdict = c.get("reason") or {"better": "RNN better", "worse": "RNN worse",
                                      "tie": "too close to call"}.get(c["verdict"], "")
        comparison.append((ui.model_label(m), _num(c["diff"], units, "{:+.3f}"),
                           f"{_num(c['low'], units, '{:+.3f}')} to "
                           f"{_num(c['high'], units, '{:+.3f}')}", verdict))
    return report_html(
        title=f"RNN Weather Lab — run {run.number}: {data_name(s)}",
        subtitle=(f"Forecasting the {target_name(s.target)} one day ahead · test days {first} "
                  f"to {last} ({result.test_days} days) · trained in {run.seconds:.1f} s, "
                  f"finished at {run.time}"),
        headline=f"{headline(result, units).text} {result.verdict(units=units)}",
        predictions=result.predictions,
        settings=settings, scores=scores, comparison=comparison,
        source=source_lines(data_attrs), units=units)


def report_download(run: Run, units: str) -> None:
    described = st.session_state.get("_data_described")  # (settings, the data's attrs)
    attrs = described[1] if described and described[0] == run.settings else None
    st.download_button(
        "One-page report (HTML, prints on one page)",
        built.once(f"exports:report:{attrs is not None}", run, (units, attrs),
                   lambda: run_report(run, attrs, units).encode()),
        file_name=f"rnn-weather-run{run.number}-report.html", mime="text/html",
        key="dl_report", help="The verdict, the picture, the settings and the data's source "
                              "and licence: open it and print, or keep the file.")
