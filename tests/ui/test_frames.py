"""The chart plumbing that skips Altair's own (ui/_frames.py): ``layer`` lifts the layers'
selections by hand and ``props`` copies without rebuilding — each must give Altair's spec."""

from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd

from ui._frames import independent_legend, layer, props

DATA = pd.DataFrame({"day": [1, 2, 3], "value": [1.0, 3.0, 2.0], "model": ["a", "b", "a"]})


def names_out(spec: dict) -> str:
    """The spec with its generated view and parameter names made alike."""
    text = json.dumps(spec, sort_keys=True)
    text = re.sub(r"\b(view_|lift)[0-9a-f_]+", "VIEW", text)
    return re.sub(r"\bparam_[0-9a-f]+", "PARAM", text)


def charts():
    pick = alt.selection_point(fields=["model"], bind="legend")
    zoom = alt.selection_interval(encodings=["x"], bind="scales")
    hover = alt.selection_point(on="pointerover", fields=["day"], nearest=True)
    base = alt.Chart(DATA).encode(x="day:Q", y="value:Q", color="model:N")
    lines = base.mark_line().add_params(pick, zoom)
    points = base.mark_point().encode(opacity=alt.when(pick).then(alt.value(1.0))
                                      .otherwise(alt.value(0.1))).add_params(hover)
    rule = base.mark_rule()
    return lines, points, rule


def test_layer_gives_altairs_spec_but_the_names():
    ours = layer(*charts()).to_dict()  # validated against the Vega-Lite schema
    theirs = alt.layer(*charts()).to_dict()
    assert names_out(ours) == names_out(theirs)
    assert {p["name"] for p in ours["params"]} == {p["name"] for p in theirs["params"]}
    views = {layer_["name"] for layer_ in ours["layer"] if "name" in layer_}
    assert len(views) == 2 and all(set(p["views"]) <= views for p in ours["params"])
    assert not any("params" in layer_ for layer_ in ours["layer"])


def test_a_selection_on_two_layers_names_both_and_a_plain_layer_is_untouched():
    pick = alt.selection_point(fields=["model"], bind="legend")
    one = alt.Chart(DATA).mark_line().encode(x="day:Q", y="value:Q").add_params(pick)
    two = alt.Chart(DATA).mark_point().encode(x="day:Q", y="value:Q").add_params(pick)
    spec = layer(one, two).to_dict()
    assert len(spec["params"]) == 1 and len(set(spec["params"][0]["views"])) == 2
    plain = alt.Chart(DATA).mark_bar().encode(x="day:Q", y="value:Q")
    assert layer(plain, plain).to_dict() == alt.layer(plain, plain).to_dict()


def test_props_and_independent_legend_are_altairs_and_leave_the_original_alone():
    chart = layer(*charts())
    ours = independent_legend(props(chart, height=200, title="T"), fill="independent")
    theirs = alt.layer(*charts()).properties(height=200, title="T").resolve_legend(
        fill="independent")
    assert names_out(ours.to_dict()) == names_out(theirs.to_dict())
    assert chart.height is alt.Undefined and chart.resolve is alt.Undefined
    scaled = independent_legend(chart.resolve_scale(y="independent"), color="independent")
    assert scaled.to_dict()["resolve"] == {"scale": {"y": "independent"},
                                           "legend": {"color": "independent"}}
