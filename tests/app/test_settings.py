"""app/settings.py without a page: the table of limits, the Settings record and the shareable
URL (every link case: clamped, refused with a note, or taken; old links still understood)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.settings import (
    CHOICES,
    LEARNING_RATES,
    NUMERIC,
    OLD_LINK_NAMES,
    Settings,
    link_params,
    settings_from_query,
    smaller_learning_rate,
)
from forecast import ExperimentConfig

SAMPLES = ["seattle-2012-2015", "chicago-2016-2017"]


def parse(**params: str) -> tuple[dict, list[str]]:
    return settings_from_query(params, SAMPLES)


def settings(**changes) -> Settings:
    base = dict(source="sample", data="chicago-2016-2017", start="2016-03-01", end="2017-12-31",
                target="temp", extras=("rhum",), hidden=8, activation="sigmoid", lr=0.0032,
                window=7, epochs=3, seed=5)
    return Settings(**(base | changes))


def test_defaults_are_the_experiments_own():
    config = ExperimentConfig()
    for name, limit in NUMERIC.items():
        assert limit.default == getattr(config, name), name
        assert limit.low <= limit.default <= limit.high
    assert CHOICES["activation"][1] == config.activation
    assert NUMERIC["lr"].low == LEARNING_RATES[0] and NUMERIC["lr"].high == LEARNING_RATES[-1]


@pytest.mark.parametrize("raw", ["abc;DROP TABLE", "", "nan", "-inf", "1e400x", "<b>1</b>"])
@pytest.mark.parametrize("name", list(NUMERIC))
def test_a_number_that_is_not_one_is_refused_with_a_note(name, raw):
    values, notes = parse(**{name: raw})
    assert name not in values
    assert notes == [f"ignored `{name}` from the link: not a number"]


@pytest.mark.parametrize("name", list(NUMERIC))
def test_numbers_out_of_range_are_clamped_with_a_note(name):
    limit = NUMERIC[name]
    huge = "5" if name == "lr" else "99999999999999999999999"
    for raw, expected in (("-5", limit.low), (huge, limit.high)):
        values, notes = parse(**{name: raw})
        assert values[name] == expected, (raw, values)
        assert len(notes) == 1 and f"`{name}` from the link was out of range" in notes[0]


def test_valid_numbers_are_taken_and_learning_rates_snap_to_the_slider():
    values, notes = parse(hidden="8", window="7", epochs="3.0", seed="7", lr="0.003")
    assert notes == []
    assert values == {"hidden": 8, "window": 7, "epochs": 3, "seed": 7, "lr": 0.0032}
    assert all(isinstance(values[k], int) for k in ("hidden", "window", "epochs", "seed"))


def test_old_link_names_are_understood_and_reported_by_the_name_used():
    values, notes = parse(hidden_size="16", learning_rate="0.01", inputs="prcp,rhum")
    assert values == {"hidden": 16, "lr": 0.01, "extras": ["prcp", "rhum"]}
    assert notes == []
    _, notes = parse(hidden_size="x")
    assert notes == ["ignored `hidden_size` from the link: not a number"]
    values, _ = parse(hidden="4", hidden_size="16")  # both given: the current name wins
    assert values["hidden"] == 4
    assert set(OLD_LINK_NAMES.values()) <= {*NUMERIC, "extras"}


@pytest.mark.parametrize("name", list(CHOICES))
def test_choices_outside_the_list_are_refused(name):
    choices, _default = CHOICES[name]
    values, notes = parse(**{name: "[click](javascript:alert(1))"})
    assert name not in values
    assert notes == [f"ignored `{name}` from the link: not one of {', '.join(choices)}"]
    values, notes = parse(**{name: choices[-1]})
    assert values == {name: choices[-1]} and notes == []


def test_samples_targets_and_extras():
    assert parse(sample="chicago-2016-2017") == ({"sample": "chicago-2016-2017"}, [])
    assert parse(sample="../../etc/passwd") == (
        {}, ["ignored `sample` from the link: no such bundled sample"])
    assert parse(target="tmax") == ({"target": "tmax"}, [])
    assert parse(target="rhum")[1] == [
        "ignored `target` from the link: not one of temp, tmax, tmin"]
    values, notes = parse(extras="prcp,prcp,,evil")
    assert values == {"extras": ["prcp"]}  # repeated once, unknown dropped
    assert len(notes) == 1 and notes[0].startswith("ignored unknown `extras` from the link")


@pytest.mark.parametrize("start, end, ok", [
    ("2016-03-01", "2017-12-31", True),
    ("2016-03-01", "2016-03-01", True),
    ("2017-01-01", "2016-01-01", False),  # reversed
    ("2016-03-01", None, False),  # only one
    ("yesterday", "2017-01-01", False),
])
def test_a_period_is_two_dates_oldest_first(start, end, ok):
    params = {k: v for k, v in (("start", start), ("end", end)) if v is not None}
    values, notes = parse(**params)
    if ok:
        assert values == {"_link_period": (dt.date.fromisoformat(start),
                                           dt.date.fromisoformat(end))} and notes == []
    else:
        assert values == {} and len(notes) == 1 and "`start`/`end`" in notes[0]


def test_a_city_and_which_match():
    assert parse(city="Berlin", pick="3") == ({"city_query": "Berlin", "city_pick": 3}, [])
    assert parse(city="Berlin", pick="99")[0]["city_pick"] == 9
    assert parse(city="B" * 500)[0] == {"city_query": "B" * 100, "city_pick": 0}
    values, notes = parse(city="Berlin", pick="first")
    assert values == {"city_query": "Berlin"} and "`pick`" in notes[0]


def test_notes_never_echo_the_raw_value():
    raw = "<script>alert(1)</script>"
    _, notes = parse(**dict.fromkeys([*NUMERIC, *CHOICES, "sample", "target", "pick"], raw),
                     city="x", extras=raw, start=raw, end=raw)
    assert notes and not any("<script" in n for n in notes)


def test_a_link_reproduces_the_settings_it_was_made_from():
    run = settings()
    link = link_params(run, units="°F")
    assert link["extras"] == "rhum" and link["hidden"] == "8" and link["lr"] == "0.0032"
    assert all(isinstance(v, str) for v in link.values())
    values, notes = parse(**link)
    assert notes == []
    for name in (*NUMERIC, "activation", "source", "target"):
        assert values[name] == getattr(run, name), name
    assert values["sample"] == run.data and values["units"] == "°F"
    assert values["extras"] == list(run.extras)
    assert values["_link_period"] == (dt.date(2016, 3, 1), dt.date(2017, 12, 31))
    city = link_params(settings(source="city", data="Berlin", extras=()), "°C", "Berlin", 2)
    assert (city["city"], city["pick"]) == ("Berlin", "2") and "extras" not in city
    assert "sample" not in city


def test_settings_build_the_experiments_config():
    config = settings().experiment_config()
    assert config.inputs == ["temp", "doy_sin", "doy_cos", "rhum"]
    assert (config.target, config.hidden, config.lr, config.window, config.epochs,
            config.seed, config.activation) == ("temp", 8, 0.0032, 7, 3, 5, "sigmoid")
    assert config.time_budget_s is None  # the training job holds one budget per click
    assert settings().to_dict()["extras"] == ["rhum"]


def test_after_a_divergence_a_tenth_of_the_rate_is_suggested():
    assert smaller_learning_rate(1.0) == 0.1
    assert smaller_learning_rate(0.01) == 0.001
    assert smaller_learning_rate(LEARNING_RATES[0]) == LEARNING_RATES[0]


def test_repeats_are_a_setting_with_a_link_and_old_links_keep_the_default():
    assert NUMERIC["seeds"].default == ExperimentConfig().seeds == 3
    assert (NUMERIC["seeds"].low, NUMERIC["seeds"].high) == (1, 10)
    assert parse(seeds="5") == ({"seeds": 5}, [])
    assert parse(seeds="50")[0] == {"seeds": 10}
    assert "seeds" not in parse(hidden="8")[0]  # a link made before repeats: the default stays
    old = Settings(**{k: v for k, v in settings().to_dict().items() if k != "seeds"}
                   | {"extras": ("rhum",)})
    assert old.seeds == 3 and old.experiment_config().seeds == 3
    run = settings(seeds=2)
    assert run.experiment_config().seeds == 2 and link_params(run, "°C")["seeds"] == "2"


def test_the_season_is_a_setting_with_a_link():
    told = settings()
    assert told.season is True and "season" not in link_params(told, "°C")  # the default
    untold = settings(season=False)
    config = untold.experiment_config()
    assert config.season is False and config.inputs == ["temp", "rhum"]  # no doy_sin / doy_cos
    link = link_params(untold, "°C")
    assert link["season"] == "off"
    values, notes = parse(**link)
    assert values["season"] is False and notes == []
    assert parse(season="on")[0] == {"season": True}
    values, notes = parse(season="maybe")
    assert "season" not in values and "not on or off" in notes[0]


def test_a_link_names_a_guided_experiment():
    assert parse(experiment="calendar") == ({"experiment": "calendar"}, [])
    values, notes = parse(experiment="<b>x</b>")
    assert values == {} and "calendar" in notes[0] and "<b>" not in notes[0]
    assert link_params(settings(), "°C", experiment="calendar")["experiment"] == "calendar"
    assert "experiment" not in link_params(settings(), "°C")
