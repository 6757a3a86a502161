import altair as alt
import numpy as np
import pandas as pd
import pytest

import ui
from ui.charts_results import LAG_NOTE
from ui.theme import MODEL_COLORS

from ._spec import all_params, color_range_for, datasets, encodings, marks, spec_of, walk

# ---------------------------------------------------------------- history


def test_history_keeps_gaps_and_one_row_per_day(daily):
    spec = spec_of(ui.history_chart(daily, ("temp",), "°C"))
    (rows,) = datasets(spec)
    assert len(rows) == len(daily)  # folded in the browser, not in Python
    assert sum(r["Mean temperature"] is None for r in rows) == 5  # NaN days stay, as gaps
    assert "line" in marks(spec)
    zoom = [p for p in all_params(spec) if p.get("bind") == "scales"]
    assert zoom and zoom[0]["select"]["encodings"] == ["x"]
    tips = [t["field"] for e in encodings(spec, "tooltip") for t in e]
    assert tips == ["date", "Mean temperature"]


def test_history_converts_temperatures_only(daily):
    spec = spec_of(ui.history_chart(daily, ("temp", "tmax"), "°F"))
    rows = datasets(spec)[0]
    expected = daily["tmax"].iloc[0] * 1.8 + 32
    assert rows[0]["Maximum temperature"] == pytest.approx(expected, abs=0.01)
    titles = [e.get("title") for e in encodings(spec, "y")]
    assert "°F" in titles


def test_history_mixed_units_get_panels_sharing_the_zoom(daily):
    chart = ui.history_chart(daily, ("temp", "tmin", "prcp", "rhum", "pres"), "°C")
    spec = spec_of(chart)  # also checks every param's views exist (Altair 6.3 concat quirk)
    assert len(spec["vconcat"]) == 4  # °C, mm, %, hPa
    zoom = [p for p in spec["params"] if p.get("bind") == "scales"]
    assert len(zoom) == 1 and len(zoom[0]["views"]) == 1
    linked = [e for e in encodings(spec, "x") if "param" in str(e.get("scale", {}))]
    assert len(linked) == 3  # the lower panels follow the first one's zoom
    marks_by_view = {d["name"]: d["mark"] for d in walk(spec) if "mark" in d and "name" in d}
    kind = lambda mark: mark["type"] if isinstance(mark, dict) else mark  # noqa: E731
    assert kind(marks_by_view[zoom[0]["views"][0]]) == "line"  # the zoom is on the lines
    hovers = [p for p in spec["params"] if p["name"].startswith("hover_")]
    assert len(hovers) == 4 and all(kind(marks_by_view[v]) == "rule"
                                    for p in hovers for v in p["views"])  # each on its rule


def test_history_long_series_stays_one_row_per_day():
    idx = pd.date_range("2008-01-01", periods=5800, name="date")
    df = pd.DataFrame({"temp": np.sin(np.arange(5800) / 58), "tmin": 0.0, "tmax": 1.0}, index=idx)
    with alt.data_transformers.disable_max_rows():
        spec = spec_of(ui.history_chart(df, ("temp", "tmin", "tmax")))
    assert [len(d) for d in datasets(spec)] == [5800]


def test_history_without_data_or_columns_is_a_valid_message(daily):
    assert "text" in marks(spec_of(ui.history_chart(daily, ("wspd",))))
    assert "text" in marks(spec_of(ui.history_chart(daily.iloc[:0])))
    spec_of(ui.history_chart(daily, "temp"))  # a single name works too


# ---------------------------------------------------------------- training


def test_forecast_legend_selection_zoom_and_units(predictions):
    spec = spec_of(ui.forecast_chart(predictions, "°F"))
    params = all_params(spec)
    legend = [p for p in params if p.get("bind") == "legend"]
    assert legend and legend[0]["select"]["fields"] == ["model"]
    assert any(p.get("bind") == "scales" for p in params)
    rows = datasets(spec)[0]
    assert len(rows) == len(predictions)
    first = predictions.iloc[0]
    assert rows[0]["Observed"] == pytest.approx(first["actual"] * 1.8 + 32, abs=0.01)
    assert rows[0]["RNN (memory)"] == pytest.approx(first["rnn"] * 1.8 + 32, abs=0.01)
    tips = [t for e in encodings(spec, "tooltip") for t in e]
    assert {"date", "Observed", "RNN (memory)"} <= {t["field"] for t in tips}


def _zoom(spec):
    (zoom,) = [p for p in all_params(spec) if p.get("bind") == "scales"]
    return zoom


def test_forecast_first_view_is_the_last_days_and_labels_name_the_year():
    idx = pd.date_range("2015-03-01", periods=540, name="date")  # ~1.5 years, like Chicago
    preds = pd.DataFrame({"actual": np.sin(np.arange(540) / 30), "rnn": 0.0}, index=idx)
    spec = spec_of(ui.forecast_chart(preds))
    assert len(datasets(spec)[0]) == 540  # every day is there to pan or zoom out to
    start, end = _zoom(spec)["value"]["x"]
    assert (start["year"], start["month"], start["date"]) == (2016, 5, 24)  # 90 days incl. end
    assert (end["year"], end["month"], end["date"]) == (2016, 8, 21)
    assert any(p.get("bind") == "legend" for p in all_params(spec))  # legend click still works
    exprs = [e["axis"]["labelExpr"] for e in encodings(spec, "x") if "axis" in e]
    assert exprs and all("%Y" in e for e in exprs)
    assert any(isinstance(m, dict) and m.get("clip") for m in _mark_defs(spec))
    assert "value" not in _zoom(spec_of(ui.forecast_chart(preds, initial_days=None)))
    assert "value" not in _zoom(spec_of(ui.forecast_chart(preds.iloc[:60])))  # short: all shown


def test_forecast_models_restricts_columns(predictions):
    spec = spec_of(ui.forecast_chart(predictions, models=["rnn", "dense"]))
    assert set(datasets(spec)[0][0]) == {"date", "Observed", "RNN (memory)", "Dense (today only)"}


def test_model_colors_are_the_same_everywhere(predictions, metrics, histories):
    monthly = pd.DataFrame({m: np.linspace(1, 2, 12) for m in metrics}, index=range(1, 13))
    charts = [
        ui.forecast_chart(predictions),
        ui.loss_curves_chart(histories),
        ui.skill_chart(metrics),
        ui.monthly_error_chart(monthly),
        ui.memory_probe_chart(pd.DataFrame({"rnn": [0.8, 0.2], "dense_window": [0.7, 0.1]},
                                           index=[1, 2])),  # fmt: skip
    ]
    for chart in charts:
        spec = spec_of(chart)
        assert color_range_for(spec, "RNN (memory)") == MODEL_COLORS["rnn"]


def test_skill_chart_percent_bars_with_zero_line(metrics):
    spec = spec_of(ui.skill_chart(metrics))
    assert "bar" in marks(spec) and "rule" in marks(spec)
    rows = {r["key"]: r for r in datasets(spec)[0] if "key" in r}
    assert rows["rnn"]["skill_pct"] == pytest.approx(100 * (1 - 1.4 / 1.8), abs=0.05)
    assert rows["persistence"]["skill_pct"] == 0


def test_skill_axis_is_clamped_but_labels_tell_the_true_value(metrics):
    spec = spec_of(ui.skill_chart(metrics))  # climatology: 1 − 2.9 / 1.8 = −61.1 %
    scales = [e["scale"] for e in encodings(spec, "x") if "domain" in e.get("scale", {})]
    assert scales and all(sc["domain"][0] == -20 and sc["clamp"] is True for sc in scales)
    rows = {r["key"]: r for r in datasets(spec)[0] if "key" in r}
    assert rows["climatology"]["cut"] and "−61.1 %" in rows["climatology"]["skill_text"]
    assert not rows["rnn"]["cut"] and rows["rnn"]["skill_text"] == "+22.2 %"
    assert "rule" in marks(spec)  # the zero line stays
    assert all(t["field"] == "skill_text" for t in encodings(spec, "text"))
    free = spec_of(ui.skill_chart(metrics, min_skill_pct=None))
    lows = [e["scale"]["domain"][0] for e in encodings(free, "x") if "domain" in e.get("scale", {})]
    assert lows and all(lo < -61 for lo in lows)


def test_skill_axis_is_not_cut_when_no_bar_is_far_off(metrics):
    mild = {k: {**v, "skill": max(v["skill"], -0.05)} for k, v in metrics.items()}
    spec = spec_of(ui.skill_chart(mild))
    rows = datasets(spec)[0]
    assert not any(r["cut"] for r in rows)
    lows = [e["scale"]["domain"][0] for e in encodings(spec, "x") if "domain" in e.get("scale", {})]
    assert all(lo < -5 for lo in lows)  # padded for the label left of the bar


def test_monthly_and_horizon_errors_convert_as_differences():
    monthly = pd.DataFrame({"rnn": np.arange(1.0, 13.0), "dense": 2.0}, index=range(1, 13))
    monthly.loc[7, "rnn"] = np.nan  # a month without test days
    spec = spec_of(ui.monthly_error_chart(monthly, "°F"))
    rows = datasets(spec)[0]
    assert rows[0]["month_name"] == "Jan" and rows[0]["RNN (memory)"] == pytest.approx(1.8)
    assert rows[6]["RNN (memory)"] is None
    horizon = pd.DataFrame({"rnn": [1.0, 1.5, 2.0], "linear": [1.1, 1.6, 2.2]}, index=[1, 2, 3])
    spec = spec_of(ui.horizon_error_chart(horizon, "°F"))
    assert datasets(spec)[0][2]["Linear"] == pytest.approx(2.2 * 1.8)
    assert any(e.get("title") == "Days ahead" for e in encodings(spec, "x"))


def test_monthly_error_leaves_out_months_without_test_days():
    monthly = pd.DataFrame({"rnn": np.arange(1.0, 13.0), "dense": 2.0}, index=range(1, 13))
    monthly.loc[1:4] = np.nan  # a test period starting in May
    spec = spec_of(ui.monthly_error_chart(monthly))
    rows = datasets(spec)[0]
    assert [r["month_name"] for r in rows][:2] == ["May", "Jun"] and len(rows) == 8
    (x,) = [e for e in encodings(spec, "x") if e.get("field") == "month_name"]
    assert x["sort"] == ["May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert "test_days" not in rows[0]


def test_monthly_error_counts_go_in_the_tooltip_and_zero_months_drop():
    monthly = pd.DataFrame({"rnn": np.arange(1.0, 13.0)}, index=range(1, 13))
    counts = pd.Series([31, 28, 0] + [30] * 9, index=range(1, 13))
    spec = spec_of(ui.monthly_error_chart(monthly, counts=counts))
    rows = datasets(spec)[0]
    assert "Mar" not in [r["month_name"] for r in rows]
    assert rows[0]["test_days"] == 31 and rows[1]["test_days"] == 28
    tips = [t for e in encodings(spec, "tooltip") for t in e]
    assert any(t["field"] == "test_days" and t["title"] == "Test days" for t in tips)
    spec_of(ui.monthly_error_chart(monthly, counts={5: 12}))  # a plain mapping works too
    nothing = spec_of(ui.monthly_error_chart(monthly, counts={}))
    assert "text" in marks(nothing)


def test_future_chart_dashed_forecast_and_last_day_rule(predictions):
    future = pd.DataFrame(
        {"rnn": np.arange(7.0), "dense": np.arange(7.0) + 1},
        index=pd.date_range(predictions.index[-1] + pd.Timedelta(days=1), periods=7, name="date"),
    )
    spec = spec_of(ui.future_chart(predictions["actual"], future, "°C", days_of_history=20))
    rows = [r for d in datasets(spec) for r in d if "kind" in r]
    assert sum(r["kind"] == "observed" for r in rows) == 20
    assert sum(r["kind"] == "forecast" for r in rows) == 14
    assert any(isinstance(m, dict) and m.get("strokeDash") for m in _mark_defs(spec))
    assert "rule" in marks(spec)
    # a DataFrame history and a Series forecast work too
    spec_of(ui.future_chart(predictions, future["rnn"], "°F"))
    assert "text" in marks(spec_of(ui.future_chart(predictions["actual"], future.iloc[:0])))


def test_future_chart_defaults_to_two_weeks_and_one_legend_below(predictions):
    future = pd.DataFrame(
        {m: np.arange(7.0) + i for i, m in enumerate(("rnn", "dense", "linear"))},
        index=pd.date_range(predictions.index[-1] + pd.Timedelta(days=1), periods=7, name="date"),
    )
    spec = spec_of(ui.future_chart(predictions["actual"], future))
    rows = [r for d in datasets(spec) for r in d if "kind" in r]
    assert sum(r["kind"] == "observed" for r in rows) == 14
    legends = [e["legend"] for e in encodings(spec, "color") if e.get("legend")]
    assert legends and all(lg["orient"] == "bottom" for lg in legends)
    # one legend only (it cannot be cut off at the right): the marker shape merges into it
    shape, *others = encodings(spec, "shape")
    assert all(o == shape for o in others)  # the same encoding on every layer
    assert shape["legend"] == legends[0] and shape["scale"]["domain"] == legends_domain(spec)
    shapes = dict(zip(shape["scale"]["domain"], shape["scale"]["range"], strict=True))
    assert len(set(shapes.values())) == len(shapes) == 4  # observed + one shape per model
    assert shapes["RNN (memory)"] == "diamond"
    assert any(p.get("bind") == "legend" for p in all_params(spec))
    assert spec["autosize"]["type"] == "fit-x"
    only = spec_of(ui.future_chart(predictions["actual"], future, models=["rnn"]))
    kinds = {r["model"] for d in datasets(only) for r in d if r.get("kind") == "forecast"}
    assert kinds == {"RNN (memory)"}


def legends_domain(spec):
    (color,) = {str(e["scale"]["domain"]): e for e in encodings(spec, "color")}.values()
    return color["scale"]["domain"]


def test_forecast_models_differ_by_dash_too_and_one_legend_shows_both(predictions):
    spec = spec_of(ui.forecast_chart(predictions))
    (dash,) = encodings(spec, "strokeDash")
    (color,) = [e for e in encodings(spec, "color") if e.get("field") == "model"]
    assert dash["scale"]["domain"] == color["scale"]["domain"]
    assert dash["legend"] == color["legend"] and color["legend"]["columns"] == 2
    patterns = dict(zip(dash["scale"]["domain"], dash["scale"]["range"], strict=True))
    models = [m for m in patterns if m != "Observed"]
    assert len({str(patterns[m]) for m in models}) == len(models)  # every model its own dash


def test_forecast_subtitle_says_which_days_are_shown():
    idx = pd.date_range("2015-03-01", periods=540, name="date")
    preds = pd.DataFrame({"actual": np.sin(np.arange(540) / 30), "rnn": 0.0}, index=idx)
    sub = spec_of(ui.forecast_chart(preds))["title"]["subtitle"]
    assert sub[:2] == LAG_NOTE and "lags the truth by about a day" in sub[0]  # what lines show
    assert sub[2] == "The last 90 of 540 test days: 24 May 2016 – 21 Aug 2016."
    assert "Drag or scroll" in sub[3]
    sub = spec_of(ui.forecast_chart(preds.iloc[:60]))["title"]["subtitle"]
    assert sub == [*LAG_NOTE, "All 60 test days: 1 Mar 2015 – 29 Apr 2015."]
    assert all(len(line) <= 60 for line in sub)  # fits a phone


def test_forecast_bands_shade_the_range_and_cross_the_days_outside():
    idx = pd.date_range("2016-01-01", periods=30, name="date")
    actual = np.zeros(30)
    actual[[3, 17]] = [5.0, -4.0]  # two days far outside a ±1 range
    preds = pd.DataFrame({"actual": actual, "rnn": 0.0, "dense": 0.5, "persistence": 0.0},
                         index=idx)
    band = pd.DataFrame({"low": -1.0, "high": 1.0}, index=idx)
    spec = spec_of(ui.forecast_chart(preds, "°F", models=["rnn", "dense"],
                                     bands={"rnn": band, "persistence": band}, level=95))
    assert "area" in marks(spec) and "point" in marks(spec)
    rows = [r for d in datasets(spec) for r in d]
    areas = [r for r in rows if "low" in r]
    assert len(areas) == 30 and {r["model"] for r in areas} == {"RNN (memory)"}  # drawn only
    assert areas[0]["low"] == pytest.approx(-1 * 1.8 + 32) and areas[0]["high"] == pytest.approx(
        1 * 1.8 + 32)
    outside = [r for r in rows if "what" in r]
    assert [r["value"] for r in outside] == [pytest.approx(41.0), pytest.approx(24.8)]
    assert {r["date"][:10] for r in outside} == {"2016-01-04", "2016-01-18"}
    sub = spec["title"]["subtitle"]
    assert "Shaded: the 95 % likely range; × a day outside it." in sub
    assert all(len(line) <= 60 for line in sub)
    plain = spec_of(ui.forecast_chart(preds, models=["dense"], bands={"rnn": band}))
    assert "area" not in marks(plain)  # no band for a model not drawn


def _mark_defs(spec):
    return [d["mark"] for d in walk(spec) if "mark" in d]


# ---------------------------------------------------------------- inside the RNN


def test_hidden_heatmap_title_says_which_units_it_draws():
    idx = pd.date_range("2019-01-01", periods=30, name="date")
    hidden = pd.DataFrame(np.zeros((30, 256)), index=idx, columns=[f"h{i}" for i in range(1, 257)])
    spec = spec_of(ui.hidden_heatmap(hidden))
    assert spec["title"]["text"] == "Hidden state h_t, units h1–h32 of 256"
    assert "first 32 of 256" in spec["title"]["subtitle"][0]
    spec = spec_of(ui.hidden_heatmap(hidden, max_units=None))
    assert spec["title"]["text"] == "Hidden state h_t, all 256 units"
    assert len([k for k in datasets(spec)[0][0] if k.startswith("h")]) == 256
    assert spec_of(ui.hidden_heatmap(hidden.iloc[:, :8]))["title"]["text"].endswith("all 8 units")


def test_hidden_heatmap_downsamples_and_centres_at_zero():
    rng = np.random.default_rng(3)
    idx = pd.date_range("2019-01-01", periods=900, name="date")
    hidden = pd.DataFrame(np.tanh(rng.normal(0, 1, (900, 40))), index=idx,
                          columns=[f"h{i}" for i in range(1, 41)])  # fmt: skip
    spec = spec_of(ui.hidden_heatmap(hidden, max_units=16))
    rows = datasets(spec)[0]
    assert len(rows) <= 400
    assert len([k for k in rows[0] if k.startswith("h")]) == 16
    (color,) = encodings(spec, "color")
    lo, hi = color["scale"]["domain"]
    assert lo == -hi and "rect" in marks(spec)
    small = spec_of(ui.hidden_heatmap(hidden.iloc[:30, :4]))
    assert len(datasets(small)[0]) == 30
    assert "text" in marks(spec_of(ui.hidden_heatmap(hidden.iloc[:0])))


def test_memory_probe_is_a_ratio_so_units_do_not_change_it():
    probe = pd.DataFrame({"rnn": [0.9, 0.3, 0.1], "dense_window": [0.8, 0.2, 0.05]},
                         index=pd.Index([1, 2, 3], name="lag"))  # fmt: skip
    c = datasets(spec_of(ui.memory_probe_chart(probe, "°C")))[0]
    f = datasets(spec_of(ui.memory_probe_chart(probe, "°F")))[0]
    assert c == f and c[0]["lag"] == 1 and c[0]["RNN (memory)"] == 0.9
    assert any("Days back" in str(e.get("title")) for e in encodings(spec_of(
        ui.memory_probe_chart(probe)), "x"))  # fmt: skip


def test_memory_probe_fits_a_narrow_column():
    probe = pd.DataFrame({"rnn": [0.9, 0.3], "dense_window": [0.8, 0.2]}, index=[1, 2])
    spec = spec_of(ui.memory_probe_chart(probe, "°F"))
    assert spec["autosize"]["type"] == "fit-x"
    assert len(spec["title"]["text"]) <= 50 and spec["title"]["subtitle"]
    (y,) = encodings(spec, "y")
    assert len(y["title"]) <= 30 and "°F" in y["title"]
    (color,) = encodings(spec, "color")
    assert color["legend"]["orient"] == "bottom"


@pytest.mark.parametrize("build", ["loss", "heatmap"])
def test_column_charts_keep_titles_short_and_legends_below(build, histories):
    if build == "loss":
        spec = spec_of(ui.loss_curves_chart(histories))
        assert all(e.get("legend") is None for e in encodings(spec, "strokeDash"))
        assert all(e["legend"]["orient"] == "bottom" for e in encodings(spec, "color"))
    else:
        idx = pd.date_range("2019-01-01", periods=30, name="date")
        spec = spec_of(ui.hidden_heatmap(pd.DataFrame({"h1": np.zeros(30)}, index=idx)))
    assert spec["autosize"]["type"] == "fit-x"
    assert len(spec["title"]["text"]) <= 50 and spec["title"]["subtitle"]


@pytest.mark.parametrize("build", [ui.horizon_error_chart, ui.monthly_error_chart])
def test_error_lines_differ_by_dash_and_marker_too(build):
    table = pd.DataFrame({"rnn": [1.0, 1.2], "dense": [1.1, 1.3], "persistence": [1.5, 1.6]},
                         index=[1, 2])
    spec = spec_of(build(table))
    (color,) = [e for e in encodings(spec, "color") if e.get("field") == "model"]
    (dash,) = encodings(spec, "strokeDash")
    (shape,) = encodings(spec, "shape")
    for cue in (dash, shape):  # one legend entry per model shows colour and marker
        assert cue["scale"]["domain"] == color["scale"]["domain"]
        assert cue is dash or cue["legend"] == color["legend"]
        assert len({str(r) for r in cue["scale"]["range"]}) == 3
