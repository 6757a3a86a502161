"""Plain words on the page (AppTest): the lesson is never 'the seed', inputs carry names and
units, Train is pointed to where it is, the parameter table has every network."""

from dataclasses import replace

from app.inside import loss_caption
from app.results import RESULTS_TAB, TAB_INSIDE
from forecast import ExperimentConfig
from tests.helpers.app import all_markup, new_app, no_exceptions, reveal, train


def test_trained_page_says_lesson_not_seed_and_names_inputs_with_units():
    at = new_app(sample="chicago-2001-2016")
    extras = at.multiselect(key="extras")
    assert "Daily minimum temperature (°C)" in extras.options
    assert not any(o in ("tmin", "tmax", "rhum", "wspd", "pres", "prcp") for o in extras.options)
    extras.set_value(["tmin"]).run()
    train(at, epochs=2, window=7, hidden=8)
    reveal(at, RESULTS_TAB, TAB_INSIDE)
    no_exceptions(at)
    markup = all_markup(at)
    assert "seed's" not in markup.lower() and "unlike the seed" not in markup.lower()
    assert "RNN-from-scratch lesson" in markup
    assert "Daily minimum temperature (°C)" in markup  # the walkthrough names the extra input
    params = [d for d in at.dataframe if "Count if window doubled" in d.value.columns]
    assert params, "the parameter table is drawn"
    assert "Dense (window)" in set(params[0].value["Model"])  # the windowed dense rows too
    assert "Huber loss" in markup and "scored by MAE" in markup  # what the loss curves measure


def test_before_training_the_page_says_where_train_is():
    at = new_app()
    assert any("top of the sidebar" in i.value for i in at.info)
    assert at.sidebar.button(key="train")  # Train is in the sidebar


def test_the_loss_caption_follows_the_loss_setting():
    huber = loss_caption(ExperimentConfig())
    assert "Huber" in huber and "up to 1 standard deviation" in huber
    assert "day-to-day change" in huber and huber.endswith("MAE in °C.")
    assert "up to 0.5 standard" in loss_caption(replace(ExperimentConfig(), huber_delta=0.5))
    mse = loss_caption(replace(ExperimentConfig(), loss="mse", predict_change=False), "°F")
    assert "mean squared error on the standardised temperature" in mse
    assert mse.endswith("MAE in °F.")
