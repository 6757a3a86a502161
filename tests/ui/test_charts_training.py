"""The live training charts: loss per epoch (log scale) and the gradient norm with its clip."""

import pytest

import ui
from ui.theme import MODEL_COLORS, MODEL_LABELS

from ._spec import color_range_for, datasets, encodings, marks, spec_of

# ---------------------------------------------------------------- history


def test_loss_curves_log_scale_dash_and_both_log_kinds(histories):
    spec = spec_of(ui.loss_curves_chart(histories))
    assert any(e.get("scale", {}).get("type") == "log" for e in encodings(spec, "y"))
    assert encodings(spec, "strokeDash")
    rows = datasets(spec)[0]
    assert {r["model"] for r in rows} == {"rnn", "dense", "dense_window"}
    assert len(rows) == 2 * (12 + 9 + 10)
    assert color_range_for(spec, MODEL_LABELS["rnn"]) == MODEL_COLORS["rnn"]


@pytest.mark.parametrize("hist", [None, {}, {"rnn": []}, {"rnn": [], "dense": None}])
def test_loss_curves_empty_histories(hist):
    spec_of(ui.loss_curves_chart(hist))
    spec_of(ui.grad_norm_chart(hist, clip=5.0))


def test_loss_curves_guard_zero_and_nan():
    logs = [{"epoch": 1, "train_loss": 0.0, "val_loss": float("nan")},
            {"epoch": 2, "train_loss": 0.5, "val_loss": float("inf")}]  # fmt: skip
    spec = spec_of(ui.loss_curves_chart({"rnn": logs}))
    losses = [r["loss"] for r in datasets(spec)[0]]
    assert len(losses) == 2 and all(v > 0 for v in losses)


def test_grad_norm_has_labelled_clip_rule(histories):
    spec = spec_of(ui.grad_norm_chart(histories, clip=5.0))
    assert "rule" in marks(spec) and "text" in marks(spec)
    assert any(r.get("clip") == 5.0 for d in datasets(spec) for r in d)
    assert any("clip at 5" in str(r.get("text")) for d in datasets(spec) for r in d)
    assert "rule" not in marks(spec_of(ui.grad_norm_chart(histories, clip=None)))


def _y_domain_scale(spec):
    scales = [e["scale"] for e in encodings(spec, "y") if "domain" in e.get("scale", {})]
    assert scales and all(s == scales[0] for s in scales)
    return scales[0]


@pytest.mark.parametrize("norm", [1.45796589909, 40.0])
def test_grad_norm_y_domain_spans_data_and_clip_with_readable_ticks(norm):
    logs = {"rnn": [{"epoch": 1, "grad_norm": norm, "clipped": norm > 5}]}
    spec = spec_of(ui.grad_norm_chart(logs, clip=5.0))
    scale = _y_domain_scale(spec)
    lo, hi = scale["domain"]
    assert scale["type"] == "log" and lo < min(norm, 5.0) and hi > max(norm, 5.0)
    assert hi / lo >= 10  # several ticks, never one raw float
    ys = [e for e in encodings(spec, "y") if e.get("field") == "grad_norm"]
    assert ys and all(y["axis"]["format"] == "~g" for y in ys)
    assert spec["autosize"]["type"] == "fit-x"  # height is the plot's, not squashed by legends
    assert spec["title"]["text"] and spec["title"]["subtitle"]
    legends = [e["legend"] for e in encodings(spec, "color") if e.get("legend")]
    assert legends and all(lg["orient"] == "bottom" for lg in legends)
    assert all(e.get("legend") is None for e in encodings(spec, "shape"))


def test_grad_norm_without_data_still_shows_the_clip_line():
    spec = spec_of(ui.grad_norm_chart({"rnn": []}, clip=5.0))
    scale = _y_domain_scale(spec)
    assert scale["domain"][0] < 5.0 < scale["domain"][1]


def test_grad_norm_marks_the_epochs_that_were_clipped(histories):
    from ui.charts_training import grad_frame

    logs = list(histories["rnn"])
    logs[0] = type(logs[0])(**{**vars(logs[0]), "clipped": True})
    frame = grad_frame({"rnn": logs})
    assert frame["clipped"].tolist()[0] == "clipped"
    assert set(frame["clipped"].tolist()[1:]) == {"not clipped"}


# ---------------------------------------------------------------- results


def test_training_charts_tell_models_apart_by_marker_or_dash_too(histories):
    loss = spec_of(ui.loss_curves_chart(histories))
    shape = [e for e in encodings(loss, "shape") if e.get("field") == "label"][0]
    grad = spec_of(ui.grad_norm_chart(histories, 5.0))
    dash = [e for e in encodings(grad, "strokeDash") if e.get("field") == "label"][0]
    for spec, cue in ((loss, shape), (grad, dash)):
        color = [e for e in encodings(spec, "color") if e.get("field") == "label"][0]
        assert cue["scale"]["domain"] == color["scale"]["domain"]
        assert len({str(r) for r in cue["scale"]["range"]}) == len(cue["scale"]["domain"]) > 1
