"""'How it works': the networks drawn, one forecast fed forward step by step, what the RNN
remembers, its parameters and its training curves."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import ui
from app import built
from app.run import Run
from app.text import input_title, input_titles, short_input_title
from forecast import ExperimentConfig


def show_inside(run: Run, units: str) -> None:
    result, window = run.result, run.settings.window
    model = result.rnn_model
    params = model.params
    n_in, n_h = params["W_i"].shape
    st.markdown(
        f"**The RNN unrolled over your {window}-day window.** The same three weight "
        f"matrices — W_i ({n_in}×{n_h}), W_h ({n_h}×{n_h}) and W_o ({n_h}×1) — are reused at "
        f"every step; the hidden state h carries what it has seen forward."
    )
    # "tall": one short line per legend entry and the steps top to bottom, readable on a phone
    diagram_inputs = None if result.config.inputs is None else [
        short_input_title(c) for c in result.config.inputs]
    st.graphviz_chart(ui.unrolled_rnn_dot(window, n_in, n_h, input_names=diagram_inputs,
                                          layout="tall"))
    st.markdown("**The network without memory** sees only today: no W_h, no h carried over. "
                "It is the dense network of the RNN-from-scratch lesson, trained on the same "
                "days.")
    st.graphviz_chart(ui.dense_dot(n_in, n_h, input_names=diagram_inputs, layout="tall"))
    walk = result.walkthrough
    scaler = walk["scaler"]
    spreads = ", ".join(f"{input_title(name)} {mean:.2f} ± {std:.2f}" for name, mean, std in
                        zip(walk["input_names"], scaler["mean"], scaler["std"], strict=True))
    st.markdown(
        "**Feeding forward, in the order of the RNN-from-scratch lesson, on this city's last "
        "days.** Each input is first standardised, x = (value − mean) / std, with the mean and "
        f"std of the training days ({spreads}). The table shows every step for the first hidden "
        "units: x·W_i, h_prev·W_h, their sum with b_h, and the activation, which becomes h_prev "
        "for the next day.")
    steps = built.once("inside:walkthrough", run, None, lambda: ui.walkthrough_table(
        ui.walkthrough_steps(params, walk["X"], run.settings.activation, walk["dates"]),
        input_names=input_titles(walk["input_names"])))
    st.dataframe(steps, hide_index=True,
                 width="stretch", height=min(36 * (len(steps) + 1) + 4, 760))
    with st.expander("The same days before standardising"):
        raw = ui.units.convert_frame(walk["raw"], units)
        st.dataframe(raw.rename(columns=lambda c: ui.units.column_title(c, units)
                                if c in ui.units.COLUMN_INFO else input_title(c)),
                     width="stretch")
    y, coder, today = walk["rnn_output"], walk["target"], walk["today"]
    day = f"{pd.Timestamp(walk['forecast_date']):%d %b %Y}"
    if coder.get("predict_change"):
        st.markdown(
            f"After the last day the output layer reads the final hidden state: "
            f"**y = h_{window}·W_o + b_o = {y:.3f}**. Unlike the RNN-from-scratch lesson, "
            "whose network outputs "
            "the temperature itself, these networks output *tomorrow's change from today*, "
            "standardised (measured to forecast better; the forecast is still a temperature). "
            f"Undoing it: {today:.1f} °C + ({y:.3f} × {coder['std']:.2f} + {coder['mean']:.3f}) °C "
            f"= **{walk['rnn_forecast']:.1f} °C** — the RNN's forecast for {day}"
            + (f" ({ui.to_display_temp(walk['rnn_forecast'], units):.1f} °F)."
               if units == "°F" else "."))
    else:
        st.markdown(
            f"After the last day the output layer reads the final hidden state: "
            f"**y = h_{window}·W_o + b_o = {y:.3f}** (standardised). Undoing it: "
            f"{y:.3f} × {coder['std']:.2f} + {coder['mean']:.2f} = "
            f"**{walk['rnn_forecast']:.1f} °C**, the RNN's forecast for {day}.")
    left, right = st.columns(2)
    built.chart("inside:hidden", run, None, lambda: ui.hidden_heatmap(result.hidden_states),
                where=left)
    built.chart("inside:probe", run, units,
                lambda: ui.memory_probe_chart(result.memory_probe, units), where=right)
    right.caption("Each bar: how many degrees tomorrow's forecast moves when the temperature "
                  "k days back is 1 degree higher. The RNN reaches back through W_h; the "
                  "windowed dense network through its wide input layer.")
    st.markdown("**Parameters: shared across steps**")
    table = built.once("inside:parameters", run, None, lambda: ui.parameter_table(
        params, result.dense_model.params, result.dense_window_model.params, window))
    st.dataframe(table, hide_index=True, width="stretch",
                 height=35 * (len(table) + 1) + 3)  # every row in view: no inner scrolling
    st.markdown("**Training: loss and gradient norm per epoch** (before clipping)")
    left, right = st.columns(2)
    built.chart("inside:loss", run, None, lambda: ui.loss_curves_chart(result.histories),
                where=left)
    left.caption(loss_caption(result.config, units))
    built.chart("inside:grad", run, None,
                lambda: ui.grad_norm_chart(result.histories, result.config.clip), where=right)


def loss_caption(config: ExperimentConfig, units: str = "°C") -> str:
    """What the loss curves measure, in words (the loss is a setting of ExperimentConfig)."""
    target = ("the standardised day-to-day change" if config.predict_change
              else "the standardised temperature")
    scored = f"Results are scored by MAE in {units}."
    if config.loss == "huber":
        return (f"The loss is a Huber loss on {target}: ½·error² for errors up to "
                f"{config.huber_delta:g} standard deviation, growing only linearly beyond, so a "
                "rare front that moves the temperature 10 °C overnight does not pull the fit "
                f"as hard as the squared error would. {scored}")
    return f"The loss is the mean squared error on {target}. {scored}"
