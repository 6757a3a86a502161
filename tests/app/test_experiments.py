"""The guided experiments' definitions: the contract's option values, controls that exist and
validate, and the synthetic experiment on the synthetic sample with a window that spans its echo."""

import ast
from dataclasses import fields
from pathlib import Path

import pytest

import data_sources as ds
from app import experiments as ex
from forecast.config import ExperimentConfig


def test_option_values_are_the_contract():
    assert ex.OPTIONS == ("memory", "lr_high", "saturation", "synthetic", "calendar")
    assert [e.key for e in ex.EXPERIMENTS.values()] == list(ex.OPTIONS)
    assert len({ex.label(k) for k in ex.OPTIONS}) == 5


@pytest.mark.parametrize("key", ex.OPTIONS)
def test_each_sets_every_control_with_a_valid_value(key):
    e = ex.EXPERIMENTS[key]
    config_fields = {f.name for f in fields(ExperimentConfig)}
    assert set(e.settings) == set(ex.CONTROLS) <= config_fields
    cfg = ex.config_for(key)
    cfg.validate()
    assert {name: getattr(cfg, name) for name in ex.CONTROLS} == dict(e.settings)
    assert e.question.endswith("?") and e.lesson  # what look_for points at: the tests below
    assert "seed's" not in (e.question + e.look_for).lower()


@pytest.mark.parametrize("key", ex.OPTIONS)
def test_prose_quotes_no_measured_number(key):
    """Numbers about a run come from that run (app/guided_text.py), never typed here: the only
    numbers allowed are the settings and the echo's lag the experiment is built on."""
    import re

    e = ex.EXPERIMENTS[key]
    prose = e.question + e.look_for + e.lesson
    allowed = {"0", "1", "2", "3", "7", "14", "28", "100", "256", str(ds.samples.ECHO_LAG)}
    allowed |= set(re.findall(r"\d+", e.data))  # the data's own name: 'Seattle 2012–2015'
    numbers = set(re.findall(r"\d+(?:[.,]\d+)?", prose.replace("−1", "1")))
    assert numbers <= allowed, numbers - allowed
    assert "°" not in prose and "%" not in prose


@pytest.mark.parametrize("key", ex.OPTIONS)
def test_look_for_names_tabs_that_exist(key):
    from app import results

    for tab in (ex.TAB_FORECAST, ex.TAB_ERRORS, ex.TAB_INSIDE, ex.TAB_HISTORY):
        assert tab in results.TAB_LABELS  # the tab labels the texts point to are the page's


def test_each_experiment_changes_what_it_is_about():
    lesson = ExperimentConfig()
    assert ex.config_for("lr_high").lr >= 50 * lesson.lr
    sat = ex.config_for("saturation")
    assert (sat.activation, sat.hidden) == ("sigmoid", 256)
    assert ex.config_for("memory") == lesson
    assert ex.EXPERIMENTS["memory"].memory_curve
    assert ex.config_for("calendar").season is False
    assert {k for k in ex.OPTIONS if ex.config_for(k).season is False} == {"calendar"}
    # every experiment loads and names its own data
    samples = {s["id"] for s in ds.list_samples()}
    for key in ex.OPTIONS:
        e = ex.EXPERIMENTS[key]
        assert e.sample in samples and e.data in e.question + e.look_for + e.data
    assert {k for k in ex.OPTIONS if ex.EXPERIMENTS[k].sample == ds.samples.SYNTHETIC_SAMPLE} \
        == {"synthetic"}
    assert "Seattle 2012–2015" in ex.EXPERIMENTS["memory"].question


def test_config_for_keeps_settings_the_experiment_does_not_touch():
    base = ExperimentConfig(target="tmax", patience=3)
    cfg = ex.config_for("saturation", base)
    assert (cfg.target, cfg.patience, cfg.activation) == ("tmax", 3, "sigmoid")


def test_synthetic_experiment_uses_the_synthetic_sample_and_reaches_its_echo():
    e = ex.EXPERIMENTS["synthetic"]
    entry = {s["id"]: s for s in ds.list_samples()}[e.sample]
    assert entry["synthetic"] is True
    assert e.settings["window"] >= ds.samples.ECHO_LAG
    assert "not weather" in e.look_for


def test_settings_cannot_be_changed_by_accident():
    with pytest.raises(TypeError):
        ex.EXPERIMENTS["lr_high"].settings["lr"] = 0.01
    with pytest.raises(ValueError, match="not a control"):
        ex._with(learning_rate=1.0)


def test_no_streamlit_here():
    tree = ast.parse(Path(ex.__file__).read_text(encoding="utf-8"))
    roots = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import)
             for a in n.names}
    roots |= {n.module.split(".")[0] for n in ast.walk(tree)
              if isinstance(n, ast.ImportFrom) and n.module}
    assert "streamlit" not in roots
