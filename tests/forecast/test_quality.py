"""The data-quality report: coverage, the longest gap, and what gap filling would do."""

import numpy as np
import pandas as pd
import pytest

from forecast.features import build_features
from forecast.quality import FILL_LIMIT_DAYS, data_quality


def test_data_quality_reports_coverage_gaps_and_fill():
    idx = pd.date_range("2020-01-01", periods=20, freq="D", name="date")
    temp = pd.Series(np.arange(20, dtype=float), index=idx)
    temp.iloc[3:5] = np.nan  # 2-day gap → filled
    temp.iloc[10:15] = np.nan  # 5-day gap → stays missing
    report = data_quality(pd.DataFrame({"temp": temp}))
    row = report.loc["temp"]
    assert row["missing"] == 7
    assert row["coverage_pct"] == pytest.approx(65.0)
    assert row["longest_gap_days"] == 5
    assert row["longest_gap_from"] == "2020-01-11" and row["longest_gap_to"] == "2020-01-15"
    assert row["filled_by_interpolation"] == 2
    assert row["missing_after_fill"] == 5
    # the report applies the experiment's own rule: the features it would train on agree
    features = build_features(pd.DataFrame({"temp": temp}), "temp", ["temp"], FILL_LIMIT_DAYS)
    assert int(features.filled.sum()) == row["filled_by_interpolation"]
    assert int(np.isnan(features.values[:, 0]).sum()) == row["missing_after_fill"]
