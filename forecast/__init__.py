"""The honest next-day experiment: windows, baselines, three networks, metrics.

    from forecast import ExperimentConfig, ExperimentRunner, run_experiment, ExperimentResult

``forecast`` takes a DataFrame and never imports ``data_sources`` (only the CLI does, lazily).
"""

from forecast.check import check_data
from forecast.config import ExperimentConfig
from forecast.errors import ForecastError
from forecast.models import MODELS
from forecast.pipeline import ExperimentRunner, run_experiment
from forecast.result import ExperimentResult

__all__ = ["MODELS", "ExperimentConfig", "ExperimentResult", "ExperimentRunner", "ForecastError",
           "check_data", "run_experiment"]
