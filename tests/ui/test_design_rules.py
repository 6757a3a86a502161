"""ui's public names (its imports are checked with every package's in
tests/test_dependency_direction.py)."""

import ui


def test_the_app_facing_names_are_exported():
    for name in ("history_chart", "loss_curves_chart", "grad_norm_chart", "forecast_chart",
                 "metrics_table", "skill_chart", "monthly_error_chart", "horizon_error_chart",
                 "future_chart", "hidden_heatmap", "memory_probe_chart", "unrolled_rnn_dot",
                 "dense_dot", "parameter_table", "walkthrough_table", "walkthrough_steps",
                 "run_history_table", "MODEL_COLORS", "MODEL_LABELS"):  # fmt: skip
        assert hasattr(ui, name), name
    assert set(ui.MODEL_LABELS) == set(ui.MODEL_COLORS)
    assert ui.MODEL_LABELS["rnn"] == "RNN (memory)" and ui.MODEL_LABELS["actual"] == "Observed"
