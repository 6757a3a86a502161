"""Pure chart and table builders for the dashboard: DataFrame in, altair.Chart / DataFrame /
DOT string out. No streamlit here (see docs/design.md): only pandas, numpy, altair."""

from . import units
from ._frames import skip_part_checks
from .charts_data import history_chart
from .charts_days import day_to_day_correlation, today_tomorrow_chart
from .charts_errors import horizon_error_chart, monthly_error_chart, skill_chart
from .charts_history import run_misses_chart
from .charts_inside import hidden_heatmap, memory_probe_chart
from .charts_memory import memory_curve_chart
from .charts_ranges import coverage_chart
from .charts_results import forecast_chart, future_chart
from .charts_training import grad_norm_chart, loss_curves_chart
from .charts_verdict import miss_chart
from .diagram import dense_dot, unrolled_rnn_dot
from .tables import comparison_table, metrics_table, parameter_table, run_history_table
from .theme import MODEL_COLORS, MODEL_LABELS, MODEL_ORDER, model_label
from .units import to_display_delta, to_display_temp
from .walkthrough import walkthrough_steps, walkthrough_table

__all__ = [
    "skip_part_checks",
    "MODEL_COLORS",
    "MODEL_LABELS",
    "MODEL_ORDER",
    "comparison_table",
    "coverage_chart",
    "day_to_day_correlation",
    "dense_dot",
    "forecast_chart",
    "future_chart",
    "grad_norm_chart",
    "hidden_heatmap",
    "history_chart",
    "horizon_error_chart",
    "loss_curves_chart",
    "memory_curve_chart",
    "memory_probe_chart",
    "metrics_table",
    "miss_chart",
    "model_label",
    "monthly_error_chart",
    "parameter_table",
    "run_history_table",
    "run_misses_chart",
    "skill_chart",
    "to_display_delta",
    "to_display_temp",
    "today_tomorrow_chart",
    "units",
    "unrolled_rnn_dot",
    "walkthrough_steps",
    "walkthrough_table",
]
