"""Every model forecast scores is drawn the same way everywhere, and told apart from the others."""

import ui
from forecast.models import MODELS
from ui.theme import MODEL_COLORS, MODEL_DASHES, MODEL_LABELS, MODEL_ORDER, MODEL_SHAPES

DRAWN = ("actual", *MODELS)  # the observed line and every scored model


def test_every_model_forecast_scores_has_a_label_a_colour_a_dash_and_a_shape():
    assert set(MODEL_ORDER) == set(DRAWN)
    for table in (MODEL_LABELS, MODEL_COLORS, MODEL_DASHES, MODEL_SHAPES):
        assert set(table) == set(DRAWN), sorted(set(DRAWN) ^ set(table))


def test_no_two_models_look_or_read_alike():
    assert len(set(MODEL_LABELS.values())) == len(DRAWN)
    assert len({c.lower() for c in MODEL_COLORS.values()}) == len(DRAWN)
    # colour is not the only cue: besides the two solid lines (observed, the RNN) every dash differs
    dashes = [tuple(MODEL_DASHES[m]) for m in DRAWN if m not in ("actual", "rnn")]
    assert len(set(dashes)) == len(dashes) and (1, 0) not in dashes


def test_the_package_exports_what_it_lists():
    missing = [name for name in ui.__all__ if not hasattr(ui, name)]
    assert not missing
