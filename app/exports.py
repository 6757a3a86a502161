"""Exports: predictions, weights and settings to download; uploaded weights scored on this run."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pandas as pd
import streamlit as st

import rnn
import ui
from app import built
from app.report import report_download
from app.run import Run
from app.text import markdown_text
from forecast.models import target_name


def show_exports(run: Run) -> None:
    files = built.once("exports:files", run, None, lambda: export_files(run))  # once per run
    for label, (data, name, mime, key) in files.items():
        st.download_button(label, data, file_name=name, mime=mime, key=key)
        if key == "dl_npz":
            report_download(run, st.session_state.get("units", "°C"))  # one page: the verdict
    st.caption("The page's address now carries these settings: whoever opens it gets the same "
               "data and controls, and pressing Train reproduces these numbers.")
    with st.expander("Load RNN weights (.npz) and score them on this test period"):
        load_weights(run)


def export_files(run: Run) -> dict[str, tuple[bytes, str, str, str]]:
    """label -> (bytes, file name, mime type, widget key) of each download, in page order."""
    result, settings = run.result, run.settings.to_dict()
    target = result.target
    # every file names what was forecast and over which days
    stem = f"rnn-weather-run{run.number}-{target}-{run.settings.start}-to-{run.settings.end}"
    test_from, test_to = (d.date().isoformat() for d in result.split["test"])
    settings |= {"target_name": target_name(target), "test_period": [test_from, test_to],
                 "test_days": result.test_days}
    predictions = result.predictions.rename(columns=lambda c: (
        f"observed {target} (°C)" if c == "actual" else f"{c} forecast of {target} (°C)"))
    predictions = predictions.round(3)
    buffer = io.BytesIO()
    # everything needed to use the weights again: the settings, the input order, and how
    # inputs were standardised and the output decoded (fitted on this run's training days)
    rnn.save_npz(buffer, result.rnn_model, {
        "settings": settings, "inputs": list(result.config.inputs or []),
        "input_scaling": result.walkthrough["scaler"], "output_decoding":
        result.walkthrough["target"]})
    return {
        "Predictions (CSV)": (predictions.to_csv().encode(), f"{stem}-predictions.csv",
                              "text/csv", "dl_csv"),
        "RNN weights (.npz)": (buffer.getvalue(), f"{stem}-weights.npz",
                               "application/octet-stream", "dl_npz"),
        "Settings (JSON)": (json.dumps(settings, indent=2).encode(), f"{stem}-settings.json",
                            "application/json", "dl_json"),
    }


def load_weights(run: Run) -> None:
    """Score an uploaded weights file (saved by this app) on the current run's test windows."""
    upload = st.file_uploader(
        "RNN weights (.npz) saved by this app", type=["npz"], key="weights_upload",
        help="Only plain numeric arrays are read (no pickled objects); the shapes must match "
             "this run's RNN (same hidden size and inputs).",
    )
    if upload is None:
        return
    name = markdown_text(upload.name)
    try:
        model, extra = rnn.load_npz(io.BytesIO(upload.getvalue()), with_config=True)
    except rnn.WeightsError as err:
        st.error(f"Could not load **{name}**: {markdown_text(str(err))}.")
        return
    trained = run.result.rnn_model
    want = {k: v.shape for k, v in trained.params.items()}
    got = {k: v.shape for k, v in model.params.items()}
    if type(model) is not type(trained) or got != want:
        shapes = lambda d: ", ".join(f"{k} {'×'.join(map(str, v))}" for k, v in d.items())  # noqa: E731
        st.error(f"**{name}** does not fit this run: it holds a {type(model).__name__} with "
                 f"{shapes(got)}; this run's RNN has {shapes(want)}. Train with the settings the "
                 "file was saved with (hidden size, extra inputs) first.")
        return
    inputs = list(run.result.config.inputs or [])
    saved = extra.get("inputs") if isinstance(extra, dict) else None
    if saved is not None and (not isinstance(saved, list)
                              or not all(isinstance(n, str) for n in saved)):
        st.error(f"Could not load **{name}**: its list of inputs is not a list of names.")
        return
    if saved is not None and saved != inputs:
        st.error(f"**{name}** was trained on the inputs {markdown_text(', '.join(saved))}; "
                 f"this run feeds {', '.join(inputs)}. Pick the same forecast variable, "
                 "extra inputs and “Tell the networks the date”, train, then load it again.")
        return
    mine = run.result.score(model)
    units = st.session_state["units"]
    # the exported weights are the charted seed's: compare like with like, not with the mean
    here = run.result.seed_mae["rnn"][0]
    st.success(f"Loaded **{name}** ({model.activation}, hidden size {model.n_hidden}). On this "
               f"run's {len(run.result.predictions)} test days its MAE is "
               f"{ui.to_display_delta(mine['mae'], units):.2f} {units} (the RNN trained here, "
               f"{run.result.charted}: {ui.to_display_delta(here, units):.2f} {units}). "
               "Its inputs are standardised with this run's training-day statistics.")



# ------------------------------------------------------------------ the data, with its licence

COMMERCIAL = {True: "yes", False: "no", None: "unknown"}  # a provider's commercial-use flag


def provider_rows(df: pd.DataFrame) -> list[dict]:
    """Per provider of the fetched data (df.attrs["licences"], as the library reports them):
    the rows of the licence table shown with the data and written to LICENCE.txt."""
    return [{"Provider": f"{r.get('name') or r.get('provider')} ({r.get('provider')})",
             "Licence": r.get("licence") or "not stated by the library",
             "Credit": r.get("attribution") or "—",
             "Commercial use": COMMERCIAL.get(r.get("commercial"), "unknown"),
             "Terms": r.get("url") or "—"}
            for r in df.attrs.get("licences") or []]


def licence_file(df: pd.DataFrame) -> str:
    """LICENCE.txt for the exported data: what it is, where it came from, its licence per
    provider and the credit to give — all from df.attrs, as the data source reported them."""
    attrs = df.attrs
    lines = [f"{attrs.get('name', 'Daily weather')}: daily weather, "
             f"{df.index.min():%Y-%m-%d} to {df.index.max():%Y-%m-%d} ({len(df):,} days), "
             "exported by RNN Weather Lab.",
             "Units: temp, tmin, tmax °C; rhum %; prcp mm; wspd km/h; pres hPa. Empty cells are "
             "days without a value.", ""]
    station = attrs.get("station")
    if station:
        lines.append(f"Weather station: {station.get('name')} ({station.get('id')}), "
                     f"{station.get('distance_km')} km from the place asked for; daily "
                     f"temperature on {station.get('temp_coverage_pct')} % of the days; last "
                     f"observed day {station.get('last_observed') or 'none'}.")
    if attrs.get("method"):
        lines.append(f"Method: {attrs['method']}.")
    lines += ["", f"Licence: {attrs.get('licence') or 'not stated by the source.'}"]
    rows = provider_rows(df)
    if rows:
        lines.append("Per provider (as the meteostat library reports them):")
        lines += [f"  - {r['Provider']}: {r['Licence']}; credit: {r['Credit']}; commercial use: "
                  f"{r['Commercial use']}; terms: {r['Terms']}" for r in rows]
        lines.append("Commercial use of these data as a whole: "
                     + COMMERCIAL.get(attrs.get("commercial"), "unknown") + ".")
    lines += ["", f"Attribution (give this credit when you share the data): "
                  f"{attrs.get('attribution') or 'none stated'}"]
    derived = attrs.get("derived") or {}
    if derived:
        lines += ["", "Derived values (not read directly from the source):"]
        lines += [f"  - {col}: {text}" for col, text in derived.items()]
    notes = attrs.get("notes") or []
    if notes:
        lines += ["", "Notes:"] + [f"  - {note}" for note in notes]
    return "\n".join(lines) + "\n"


def data_archive(df: pd.DataFrame) -> bytes:
    """A zip with data.csv (a plain CSV this app reads back) and LICENCE.txt beside it: the
    licence travels with the data, and the CSV stays a valid CSV."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.csv", df.round(3).to_csv(index_label="date"))
        archive.writestr("LICENCE.txt", licence_file(df))
    return buffer.getvalue()


def data_download(df: pd.DataFrame) -> None:
    """The "Download the data (CSV)" button; the zip is built only when it is clicked."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", str(df.attrs.get("name", "data"))).strip("-").lower()
    st.download_button(
        "Download the data (CSV)", lambda: data_archive(df), key="dl_data",
        file_name=f"{stem or 'data'}-{df.index.min():%Y%m%d}-{df.index.max():%Y%m%d}.zip",
        mime="application/zip", on_click="ignore", icon=":material/download:",
        help="A .zip with data.csv (the days shown, °C) and LICENCE.txt: the source, its "
             "licence per provider, the credit to give and which values were derived.")
