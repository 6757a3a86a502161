"""Bad inputs, limits and hardening through the real script (AppTest): every wrong input gets a
clear message, never a traceback, and the session stays usable afterwards (issue 7).

Meteostat flows are in test_meteostat_flows.py; weights, limits and sessions in
test_hardening.py.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pytest

import data_sources as ds
from app.settings import OLD_LINK_NAMES
from tests.helpers.app import (
    all_markup,
    csv_bytes,
    new_app,
    no_exceptions,
    shown,
    still_usable,
    texts,
    train,
    upload,
)
from tests.helpers.bad_csvs import BAD_CSVS

# ------------------------------------------------------------------------------------ training


def test_learning_rate_one_with_relu_diverges_and_keeps_the_previous_run():
    # Checked first: these settings really do diverge on the default sample (a ReLU state of 256
    # units, stepped by 1.0, overflows in epoch 1 even under the Huber loss's bounded gradient),
    # so the app's handling is exercised, not assumed.
    at = train(new_app(), epochs=3)
    no_exceptions(at)
    good = at.session_state["last_run"]
    train(at, activation="relu", lr=1.0, hidden=256, epochs=50)
    no_exceptions(at)
    message = shown(at, "diverged", "smaller learning rate", kinds=("error",))
    assert "infinite or NaN" in message and "previous results stay on screen" in message
    assert at.session_state["last_run"] is good  # the previous good run is still the one shown
    assert len(at.session_state["runs"]) == 1
    assert at.session_state["training"] is False
    assert len(at.get("vega_lite_chart")) >= 2  # its charts are still drawn
    # Training stopped at the first non-finite loss: the network is not trained on after it.
    still_usable(at)


def test_time_budget_ends_a_huge_run_and_keeps_the_best_weights(monkeypatch):
    # Hidden 256 x 500 epochs x 30 years of days (longer than any bundled sample): far more
    # than one click may train. The budget is 2 s here (the app's default is 60 s).
    monkeypatch.setenv("RNN_LAB_TRAINING_BUDGET_S", "2")
    days = 30 * 365 + 7
    noise = np.random.default_rng(0).normal(0, 2.5, days)
    temp = (11 + 9 * np.sin(2 * np.pi * (np.arange(days) - 110) / 365.25) + noise).round(1)
    at = upload(new_app(), "thirty-years.csv", csv_bytes(days, start="1990-01-01", temp=temp))
    assert len(at.session_state["data"]) == days
    train(at, hidden=256, epochs=500)
    no_exceptions(at)
    run = at.session_state["last_run"]
    assert run is not None and run.settings.hidden == 256
    assert run.seconds < 30, run.seconds  # ~2 s budget + the epoch in progress + scoring
    assert "time budget" in run.reasons["rnn"]
    assert run.result.train_info["rnn"]["epochs_run"] < 500
    assert math.isfinite(run.metrics["rnn"]["mae"])  # best weights kept, never NaN
    shown(at, "time budget", "best weights")



# ------------------------------------------------------------------------------------ uploads


def test_a_rejected_csv_gets_a_message_and_the_session_stays_usable():
    """Two of tests/data_sources/test_csv_rejections.py's files, end to end: the page names the
    file and the reason, keeps the earlier results and disables Train until good data comes."""
    at = train(new_app(), epochs=2, window=7, hidden=8)
    good = at.session_state["last_run"]
    for case in ("no temperature column", "over the size cap (11 MB)"):
        data, words = BAD_CSVS[case]
        upload(at, f"{case}.csv", data)
        no_exceptions(at)
        message = shown(at, "Could not use", words, kinds=("error",))
        assert f"{case}.csv" in message  # names the file, escaped, as given
        assert at.session_state["last_run"] is good, case  # earlier results stay on screen
        assert at.button(key="train").disabled is True, case  # no data: Train disabled
    still_usable(at)


def test_a_file_name_with_markup_is_escaped():
    at = upload(new_app(), "<img src=x onerror=alert(1)>.csv", b"")
    no_exceptions(at)
    message = shown(at, "Could not use", kinds=("error",))
    # every "<" reaches the markdown renderer escaped, so it is shown as text, never a tag
    assert "\\<img" in message
    assert not re.search(r"(?<!\\)<", message)


def refused_before_train(at, *needles: str, **settings) -> str:
    """Set the sidebar widgets; the page must refuse before Train (disabled) with a message."""
    for key, value in settings.items():
        widgets = [w for kind in ("slider", "select_slider", "selectbox", "number_input")
                   for w in at.sidebar.get(kind) if w.key == key]
        assert widgets, f"no widget with key {key!r}"
        widgets[0].set_value(value)
    at.run()
    no_exceptions(at)
    assert at.button(key="train").disabled
    return shown(at, "Train is off", *needles, kinds=("warning",))


def test_too_little_data_for_the_window_says_so_before_train():
    # read_csv needs 30 days, so 20 days is refused at upload (above); 40 days pass the reader
    # but cannot fill a 60-day window, and no window leaves the 30 test days a verdict needs.
    # Said before Train is pressed, with Train off (forecast.check_data, the runner's own rule).
    at = upload(new_app(), "forty-days.csv", csv_bytes(40), unit="°C")
    no_exceptions(at)
    refused_before_train(at, "window (60 days)", "does not fit", window=60, epochs=2)
    assert at.session_state["last_run"] is None and not at.session_state["training"]
    refused_before_train(at, "at least 30 test days", "longer date range", window=5, hidden=4)
    assert at.session_state["last_run"] is None and not at.session_state["training"]
    # Still usable: a longer upload trains with the same settings.
    upload(at, "a-year.csv", csv_bytes(365), unit="°C")
    train(at, window=5, epochs=2, hidden=4)
    no_exceptions(at)
    assert at.session_state["last_run"].settings.window == 5


# ------------------------------------------------------------------------------------ periods

SEATTLE_PERIOD = "period_2012-01-01_2015-12-31"


def test_reversed_and_short_periods_get_messages():
    at = train(new_app(), epochs=2, window=7, hidden=8)
    good = at.session_state["last_run"]
    at.sidebar.date_input(key=SEATTLE_PERIOD).set_value(
        (dt.date(2015, 1, 1), dt.date(2014, 1, 1))).run()
    no_exceptions(at)
    shown(at, "start date is after the end date", kinds=("error",))
    assert at.button(key="train").disabled
    assert at.session_state["last_run"] is good
    # Only a start date picked: a hint, and the whole series is kept.
    at.sidebar.date_input(key=SEATTLE_PERIOD).set_value((dt.date(2014, 1, 1),)).run()
    no_exceptions(at)
    assert "Pick an end date too." in texts(at, "caption")
    # Five days cannot fill a 14-day window: said before Train, which is off.
    at.sidebar.date_input(key=SEATTLE_PERIOD).set_value(
        (dt.date(2014, 1, 1), dt.date(2014, 1, 5))).run()
    refused_before_train(at, "does not fit in the data (5 days)", window=14)
    assert at.session_state["last_run"] is good
    at.sidebar.date_input(key=SEATTLE_PERIOD).set_value(
        (dt.date(2012, 1, 1), dt.date(2015, 12, 31))).run()
    still_usable(at)


@pytest.mark.parametrize("period", [
    (dt.date(2030, 1, 1), dt.date(2030, 2, 1)),  # in the future
    (dt.date(1900, 1, 1), dt.date(2015, 12, 31)),  # before the data, over 30 years
    (dt.date(2010, 1, 1), dt.date(2040, 1, 1)),  # around the data
])
def test_periods_outside_the_data_are_refused_by_the_picker(period):
    # The picker has the data's first and last day as its bounds; Streamlit refuses a value
    # outside them (the browser cannot pick one) and keeps the whole series.
    at = new_app()
    at.sidebar.date_input(key=SEATTLE_PERIOD).set_value(period).run()
    no_exceptions(at)
    assert at.session_state[SEATTLE_PERIOD] == (dt.date(2012, 1, 1), dt.date(2015, 12, 31))
    assert any("1,461 days" in m.value for m in at.markdown)


def test_a_period_without_any_temperature_is_refused():
    temp = [10.0 + i % 7 for i in range(240)] + [""] * 60  # measured for 240 days, then nothing
    at = upload(new_app(), "gappy.csv", csv_bytes(300, temp=temp), unit="°C")
    no_exceptions(at)
    key = "period_2020-01-01_2020-10-26"
    at.sidebar.date_input(key=key).set_value((dt.date(2020, 9, 1), dt.date(2020, 10, 26))).run()
    no_exceptions(at)  # was an IndexError in the target picker
    shown(at, "No temperature was recorded", kinds=("error",))
    assert at.button(key="train").disabled
    at.sidebar.date_input(key=key).set_value((dt.date(2020, 1, 1), dt.date(2020, 10, 26))).run()
    train(at, window=5, epochs=2, hidden=4)
    no_exceptions(at)
    assert at.session_state["last_run"] is not None


# ------------------------------------------------------------------------------------ the URL

NUMERIC = ("hidden", "window", "epochs", "seed", "lr")
CHOICES = ("activation", "units", "source", "sample")
RANGES = {"hidden": (1, 256), "window": (3, 60), "epochs": (1, 500), "seed": (0, 2**31 - 1),
          "lr": (1e-4, 1.0)}
SCRIPT = '<script>alert("x")</script>'
IMG = "<img src=x onerror=alert(1)>"


# The app's own small scripts (st.html in app/page.py, app/keyboard.py, app/classroom.py), each
# known by a marker in its code; a link's value must never add another.
OWN_SCRIPT_MARKERS = ("window.rwlHelpIcons", "rwl-results", "stSidebarCollapseButton",
                      "focus Train once", 'document.cookie = "rnn_lab_browser=')


def without_own_scripts(markup: str) -> str:
    return re.sub(r"<script>.*?</script>",
                  lambda m: "" if any(k in m.group(0) for k in OWN_SCRIPT_MARKERS) else m.group(0),
                  markup, flags=re.S)


# Each parsing case is a unit test of app/settings.py (tests/app/test_settings.py); these check
# what the page does with them: every one reported, nothing reflected, the session usable.
@pytest.mark.parametrize("label, values", [
    ("junk", dict.fromkeys(NUMERIC + CHOICES, "abc;DROP TABLE")),
    ("old names", {"hidden_size": "-5", "learning_rate": "nan", "inputs": "rhum,<b>x</b>"}),
    ("html", dict.fromkeys(NUMERIC, SCRIPT) | dict.fromkeys(CHOICES, IMG)),
    ("markdown", dict.fromkeys(CHOICES, "[click](javascript:alert(1)) **bold**")),
    ("path", {"sample": "../../etc/passwd", "source": "file:///etc/passwd"}),
])
def test_query_parameters_are_clamped_or_refused_never_reflected(label, values):
    at = new_app(**values)
    no_exceptions(at)
    notes = texts(at, "warning")
    page = all_markup(at)
    for name, raw in values.items():
        assert any(f"`{name}`" in n for n in notes), (name, notes)  # each one is reported
        name = OLD_LINK_NAMES.get(name, name)
        if name in RANGES:
            low, high = RANGES[name]
            value = at.session_state[name]
            assert low <= value <= high and math.isfinite(value), (name, value)
        if len(raw) > 3:
            assert raw not in page, f"{name}: the raw value is reflected into the page"
    page = without_own_scripts(page)
    for needle in ("<script", "<img", "javascript:", "DROP TABLE", "etc/passwd"):
        assert needle not in page
    assert at.session_state["sample"] == ds.DEFAULT_SAMPLE or "sample" not in values
    if label == "junk":
        still_usable(at)


def test_out_of_range_link_values_are_clamped_to_the_nearest_allowed():
    at = new_app(hidden="100000", window="-3", epochs="0", lr="5",
                 activation="relu", seed="7")
    no_exceptions(at)
    ss = at.session_state
    assert (ss["hidden"], ss["window"], ss["epochs"], ss["lr"]) == (256, 3, 1, 1.0)
    assert (ss["activation"], ss["seed"]) == ("relu", 7)  # valid values are taken as they are
    assert sum("out of range" in n for n in texts(at, "warning")) == 4
