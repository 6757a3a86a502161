"""The forecast panels with their likely ranges, through Streamlit's AppTest (the real script)."""

import re

from app.results import RESULTS_TAB, TAB_FORECAST, TAB_HISTORY, TAB_NEXT
from tests.helpers.app import new_app, no_exceptions, reveal, train


def texts(at) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "caption", "warning")
                     for e in at.get(kind))


def test_tomorrow_has_a_likely_range_and_the_chart_choices_work():
    at = train(new_app(), epochs=5)
    no_exceptions(at)
    assert "held on" in texts(at) and "Narrower is better, at equal coverage" in texts(at)
    assert not at.get("dataframe"), "the coverage table is built only when opened"
    page = texts(reveal(at, RESULTS_TAB, TAB_NEXT))
    # "Tomorrow (...): 14.2 °C (likely 12.9 to 15.5) from the RNN"
    m = re.search(r"Tomorrow\*\* \(.*?\): \*\*(-?\d+\.\d) °C \(likely (-?\d+\.\d) to "
                  r"(-?\d+\.\d)\)\*\* from the RNN", page)
    assert m, page
    mid, low, high = (float(x) for x in m.groups())
    assert low < mid < high
    reveal(at, RESULTS_TAB, TAB_FORECAST)
    (shown,) = [w for w in at.get("multiselect") if w.key == "ranges_models"]
    assert shown.value == ["rnn", "dense"]  # the lab's two networks by default
    shown.set_value(["rnn", "dense", "persistence"]).run()
    no_exceptions(at)
    (level,) = [w for w in at.get("radio") if w.key == "ranges_level"]
    level.set_value(95).run()
    no_exceptions(at)
    assert "95 % range held on" in texts(at)
    at.toggle(key="ranges_adaptive").set_value(True).run()
    reveal(at, "ranges_detail")  # the table, the rolling share, the seasons
    no_exceptions(at)
    assert any("80 % held" in d.value.columns for d in at.dataframe)
    assert "adaptive 95 % range" in texts(at) or any(
        "adaptive 95 %" in str(c.value) for c in at.get("vega_lite_chart"))


def test_choices_inside_a_tab_survive_a_trip_to_another_tab():
    """Only the tab on screen is built (app/lazy.py), yet what a person picked in one tab is
    there when they come back: the models drawn, the range, the details opened, the runs
    compared."""
    at = train(new_app(), epochs=2, seeds=1)
    train(at, epochs=2, seeds=1, hidden=8)
    train(at, epochs=2, seeds=1, hidden=4)
    no_exceptions(at)
    at.multiselect(key="ranges_models").set_value(["rnn", "persistence"]).run()
    at.radio(key="ranges_level").set_value(95).run()
    at.toggle(key="ranges_adaptive").set_value(True).run()
    reveal(at, "ranges_detail")
    reveal(at, RESULTS_TAB, TAB_HISTORY)
    at.selectbox(key="compare_a").set_value(1).run()
    reveal(at, RESULTS_TAB, TAB_NEXT)  # both tabs closed now
    at.sidebar.slider(key="hidden").set_value(16).run()  # and a rerun meanwhile
    reveal(at, RESULTS_TAB, TAB_FORECAST)
    no_exceptions(at)
    assert at.multiselect(key="ranges_models").value == ["rnn", "persistence"]
    assert at.radio(key="ranges_level").value == 95
    assert at.toggle(key="ranges_adaptive").value is True
    assert any("80 % held" in d.value.columns for d in at.dataframe)  # the details still open
    reveal(at, RESULTS_TAB, TAB_HISTORY)
    assert (at.selectbox(key="compare_a").value, at.selectbox(key="compare_b").value) == (1, 3)
