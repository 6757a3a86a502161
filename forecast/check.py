"""Can this data and config be judged at all? The experiment's own data checks, without training.

The app asks before Train is pressed (on every rerun, so it must be fast: no scaling, no
baselines, no networks — only the steps of ExperimentRunner that decide how many test days there
are: columns, gap filling, windows, the chronological split). A failing check raises the same
ForecastError, with the same message, as ExperimentRunner would.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from forecast.config import ExperimentConfig
from forecast.errors import ForecastError
from forecast.features import build_features, daily_frame, resolve_columns
from forecast.windows import chronological_split, window_ends


def check_data(df: pd.DataFrame, config: ExperimentConfig | None = None) -> int:
    """The number of test days the experiment would score; ForecastError (worded for a person,
    saying how much data is needed) when the data cannot give MIN_TEST_DAYS of them."""
    cfg = replace(config) if config is not None else ExperimentConfig()
    cfg.validate()
    frame = daily_frame(df)
    target, inputs = resolve_columns(frame, cfg.target, cfg.inputs)
    W, h = cfg.window, cfg.horizon
    if W + h >= len(frame):  # the same words as ExperimentRunner
        raise ForecastError(f"The window ({W} days) plus the forecast day does not fit in the "
                            f"data ({len(frame)} days): use a shorter window or more data.")
    ft = build_features(frame, target, inputs, cfg.max_fill_days)
    ends = window_ends(ft.values, ft.target_observed, W, h, ft.filled)
    return len(chronological_split(len(ends), cfg.val_frac, cfg.test_frac).test)
