"""The memory-curve chart: both networks, one point per window, told apart without colour."""

import pandas as pd
import pytest

from ui.charts_memory import memory_curve_chart
from ui.theme import MODEL_COLORS, MODEL_LABELS

from ._spec import color_range_for, datasets, encodings, marks, spec_of

CURVE = [{"window": w, "rnn": r, "dense": 2.70}
         for w, r in ((1, 2.69), (2, 2.70), (3, 2.75), (7, 1.20), (14, 1.22), (28, 1.30))]


def test_one_row_per_window_and_network_in_window_order():
    spec = spec_of(memory_curve_chart(list(reversed(CURVE))))
    (rows,) = datasets(spec)
    assert len(rows) == 12
    rnn = [r for r in rows if r["model"] == MODEL_LABELS["rnn"]]
    assert [r["window"] for r in rnn] == [1, 2, 3, 7, 14, 28]
    assert [r["mae"] for r in rnn] == [2.69, 2.70, 2.75, 1.20, 1.22, 1.30]
    assert {r["mae"] for r in rows if r["model"] == MODEL_LABELS["dense"]} == {2.70}
    x = encodings(spec, "x")[0]
    assert x["type"] == "ordinal" and x["sort"] == [1, 2, 3, 7, 14, 28]


def test_lines_and_markers_differ_by_dash_and_shape_as_well_as_colour():
    spec = spec_of(memory_curve_chart(CURVE))
    assert sorted(marks(spec)) == ["line", "point"]
    labels = [MODEL_LABELS["rnn"], MODEL_LABELS["dense"]]
    (dash,) = encodings(spec, "strokeDash")
    (shape,) = encodings(spec, "shape")
    assert dash["scale"]["domain"] == labels == shape["scale"]["domain"]
    solid, dashed = dash["scale"]["range"]
    assert solid != dashed
    assert len(set(shape["scale"]["range"])) == 2
    for key in ("rnn", "dense"):
        assert color_range_for(spec, MODEL_LABELS[key]) == MODEL_COLORS[key]
    # one merged legend: colour and marker share the legend settings; the dash is in the subtitle
    legends = [e["legend"] for c in ("color", "shape") for e in encodings(spec, c)]
    assert all(leg == legends[0] for leg in legends) and dash["legend"] is None
    assert "Dashed, squares" in " ".join(spec["title"]["subtitle"])
    assert encodings(spec, "y")[0]["scale"]["zero"] is True  # an error is a size: from 0


def test_fahrenheit_scales_the_error_without_offset_and_says_so():
    spec = spec_of(memory_curve_chart(pd.DataFrame(CURVE), units="°F"))
    (rows,) = datasets(spec)
    first = next(r for r in rows if r["window"] == 1 and r["model"] == MODEL_LABELS["rnn"])
    assert first["mae"] == pytest.approx(2.69 * 1.8)
    assert "°F" in encodings(spec, "y")[0]["title"]


@pytest.mark.parametrize("curve", [[], pd.DataFrame(), [{"window": 1, "rnn": 1.0}]])
def test_missing_curve_is_an_empty_chart_that_says_why(curve):
    spec = spec_of(memory_curve_chart(curve))
    assert marks(spec) == ["text"]
    assert "memory experiment" in datasets(spec)[0][0]["message"]
