"""Can this data and config be judged at all? The experiment's own data checks, without training.

The app asks before Train is pressed (on every rerun, so it must be fast: no scaling, no
baselines, no networks — only the steps of ExperimentRunner that decide how many test days there
are: columns, gap filling, windows, the chronological split). A failing check raises the same
ForecastError, with the same message, as ExperimentRunner would.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from forecast.config import ExperimentConfig
from forecast.errors import ForecastError
from forecast.features import FeatureTable, build_features, daily_frame, resolve_columns
from forecast.windows import Split, chronological_split, window_ends


@dataclass(frozen=True)
class Prepared:
    """Days -> windows -> split: the part of an experiment that decides what can be judged."""

    config: ExperimentConfig  # resolved: target, inputs and n_inputs filled in
    features: FeatureTable
    ends: np.ndarray  # (n,) last input day of each window; never a filled day
    split: Split

    @property
    def target_dates(self) -> pd.DatetimeIndex:
        """(n,) the day each window predicts."""
        return self.features.dates[self.ends + self.config.horizon]


def prepare(df: pd.DataFrame, config: ExperimentConfig | None = None) -> Prepared:
    """Columns, gap filling, windows and the chronological split (ExperimentRunner starts here);
    ForecastError, worded for a person, when the data cannot be judged."""
    cfg = replace(config) if config is not None else ExperimentConfig()
    cfg.validate()
    frame = daily_frame(df)
    target, inputs = resolve_columns(frame, cfg.target, cfg.inputs, cfg.season)
    cfg = replace(cfg, target=target, inputs=inputs, n_inputs=len(inputs))
    W, h = cfg.window, cfg.horizon
    if W + h >= len(frame):
        raise ForecastError(f"The window ({W} days) plus the forecast day does not fit in the "
                            f"data ({len(frame)} days): use a shorter window or more data.")
    ft = build_features(frame, target, inputs, cfg.max_fill_days)
    # a filled day is never a window's last day (it would know the target)
    ends = window_ends(ft.values, ft.target_observed, W, h, ft.filled)
    split = chronological_split(len(ends), cfg.val_frac, cfg.test_frac, W, h)
    return Prepared(cfg, ft, ends, split)


def check_data(df: pd.DataFrame, config: ExperimentConfig | None = None) -> int:
    """The number of test days the experiment would score; ForecastError (worded for a person,
    saying how much data is needed) when the data cannot give MIN_TEST_DAYS of them."""
    return len(prepare(df, config).split.test)
