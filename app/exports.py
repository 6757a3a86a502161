"""Exports: predictions, weights and settings to download; uploaded weights scored on this run."""

from __future__ import annotations

import io
import json

import streamlit as st

import rnn
import ui
from app.job import Run
from app.text import markdown_text
from forecast.verdict import target_name


def show_exports(run: Run) -> None:
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
    st.download_button("Predictions (CSV)", predictions.to_csv().encode(),
                       file_name=f"{stem}-predictions.csv", mime="text/csv", key="dl_csv")
    buffer = io.BytesIO()
    # everything needed to use the weights again: the settings, the input order, and how
    # inputs were standardised and the output decoded (fitted on this run's training days)
    rnn.save_npz(buffer, result.rnn_model, {
        "settings": settings, "inputs": list(result.config.inputs or []),
        "input_scaling": result.walkthrough["scaler"], "output_decoding":
        result.walkthrough["target"]})
    st.download_button("RNN weights (.npz)", buffer.getvalue(), file_name=f"{stem}-weights.npz",
                       mime="application/octet-stream", key="dl_npz")
    st.download_button("Settings (JSON)", json.dumps(settings, indent=2).encode(),
                       file_name=f"{stem}-settings.json", mime="application/json",
                       key="dl_json")
    st.caption("The page's address now carries these settings: whoever opens it gets the same "
               "data and controls, and pressing Train reproduces these numbers.")
    with st.expander("Load RNN weights (.npz) and score them on this test period"):
        load_weights(run)


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
                 f"this run feeds {', '.join(inputs)}. Pick the same forecast variable and "
                 "extra inputs, train, then load it again.")
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

