"""Uploads as people make them (issue 13): a file that does not say °C or °F and could be either
is asked about (nothing trained until answered, the answer kept for that file); a file plausible
only in °F says so; a European export (`;` separators, decimal commas) reads as it is meant.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.helpers.app import new_app, no_exceptions, texts, train, upload


def csv_of(temps, start: str, sep: str = ",", decimal: str = ".") -> bytes:
    days = pd.date_range(start, periods=len(temps), freq="D")
    values = [f"{t:.1f}".replace(".", decimal) for t in temps]
    return ("date" + sep + "temp\n" + "".join(
        f"{d:%Y-%m-%d}{sep}{v}\n" for d, v in zip(days, values, strict=True))).encode()


# 240 days from March, between 5 and 25: a mild season in °C, or a cold one in °F.
EITHER = 15 + 10 * np.sin(np.arange(240) / 9.0)
# 220 cold-season days (October to May) between 30 and 57: no such season is that warm in °C;
# in °F it is -1 to 14 °C. (About 210 days give the 30 test days Train needs.)
WINTER_F = 30 + 27 * (np.arange(220) % 10) / 9


def f_to_c(values):
    return (np.asarray(values) - 32) * 5 / 9


def unit_radio(at):
    found = [r for r in at.sidebar.radio if r.key == "csv_unit"]
    return found[0] if found else None


def asked(at) -> list[str]:
    return [w for w in texts(at, "warning") if "Are these temperatures in °F?" in w]


def test_a_file_in_either_unit_is_asked_about_and_nothing_trains_until_answered():
    at = upload(new_app(), "spring.csv", csv_of(EITHER, "2021-03-01"))
    no_exceptions(at)
    (question,) = asked(at)
    assert "spring.csv" in question and "nothing is trained until you answer" in question
    radio = unit_radio(at)
    assert radio.label == "This file is in:" and radio.value is None  # no answer assumed
    assert radio.options == ["°C (Celsius)", ":orange[**°F (Fahrenheit)**]"]  # °F highlighted
    assert at.button(key="train").disabled  # a browser cannot press it
    assert at.session_state["last_run"] is None and not at.session_state["training"]
    # The answer: °F. The values are converted, the question goes, Train works.
    radio.set_value("°F").run()
    no_exceptions(at)
    assert asked(at) == [] and not at.button(key="train").disabled
    np.testing.assert_allclose(at.session_state["data"]["temp"], f_to_c(EITHER.round(1)))
    train(at, epochs=2, window=7, hidden=4)
    no_exceptions(at)
    assert at.session_state["last_run"] is not None
    # Remembered for this file: away to a sample and back, the same file is not asked again.
    at.sidebar.radio(key="source").set_value("sample").run()
    upload(at, "spring.csv", csv_of(EITHER, "2021-03-01"))
    no_exceptions(at)
    assert asked(at) == [] and unit_radio(at).value == "°F"
    np.testing.assert_allclose(at.session_state["data"]["temp"], f_to_c(EITHER.round(1)))
    # Another file is asked about afresh; answering °C reads the values as they are.
    upload(at, "other.csv", csv_of(EITHER + 1, "2021-03-01"))
    assert len(asked(at)) == 1 and unit_radio(at).value is None
    assert at.button(key="train").disabled
    unit_radio(at).set_value("°C").run()
    np.testing.assert_allclose(at.session_state["data"]["temp"], (EITHER + 1).round(1))


def test_a_winter_file_plausible_only_in_fahrenheit_says_so_and_reads_as_fahrenheit():
    at = upload(new_app(), "winter.csv", csv_of(WINTER_F, "2020-10-01"))
    no_exceptions(at)
    (said,) = [w for w in texts(at, "warning") if "look like °F" in w]
    assert "30.0 to 57.0 is no real daily weather in °C" in said
    assert "read as **°F**" in said and "Tick °F" not in said
    assert unit_radio(at).value == "°F"  # preselected: the only plausible reading
    temp = at.session_state["data"]["temp"]
    np.testing.assert_allclose(temp, f_to_c(WINTER_F.round(1)))
    assert -1.2 < temp.min() and temp.max() < 14  # not a "30–57 °C January"
    assert not at.button(key="train").disabled
    # The person knows better: °C it is, as they say.
    unit_radio(at).set_value("°C").run()
    no_exceptions(at)
    np.testing.assert_allclose(at.session_state["data"]["temp"], WINTER_F.round(1))
    assert not [w for w in texts(at, "warning") if "look like °F" in w]


def test_a_european_export_with_semicolons_and_decimal_commas_trains():
    data = csv_of(EITHER, "2021-03-01", sep=";", decimal=",")
    assert data.startswith(b"date;temp\n2021-03-01;15,0\n2021-03-02;16,1\n")  # as "12,5"
    at = upload(new_app(), "export-de.csv", data, unit="°C")
    no_exceptions(at)
    assert not [m for m in texts(at, "error") if "not a number" in m]
    np.testing.assert_allclose(at.session_state["data"]["temp"], EITHER.round(1))
    train(at, epochs=2, window=7, hidden=4)
    no_exceptions(at)
    assert at.session_state["last_run"].settings.data == "export-de.csv"


def test_a_summer_fahrenheit_file_answered_celsius_is_refused_with_a_hint():
    hot = 70 + 25 * (np.arange(220) % 7) / 6  # 70–95: only °F is weather here
    at = upload(new_app(), "summer.csv", csv_of(hot, "2021-03-01"))
    assert unit_radio(at).value == "°F" and not at.button(key="train").disabled
    unit_radio(at).set_value("°C").run()  # the person insists
    no_exceptions(at)
    (refused,) = [m for m in texts(at, "error") if "Could not use" in m]
    assert "summer.csv** in °C" in refused and "not a plausible air temperature" in refused
    assert "If the file is in °F, choose Fahrenheit." in refused
    assert at.button(key="train").disabled
    unit_radio(at).set_value("°F").run()  # and changes their mind
    assert not at.button(key="train").disabled and not texts(at, "error")


# --- Issue 25: headers with units, the display unit, the real minimum, the column picker ------

def fahrenheit_file(days: int) -> bytes:
    dates = pd.date_range("2021-01-01", periods=days, freq="D")
    temps = 50 + 25 * np.sin(np.arange(days) / 58.0)
    return ("Date,Temperature (F),Humidity (%),Station\n" + "".join(
        f"{d:%Y-%m-%d},{t:.1f},70,KORD\n" for d, t in zip(dates, temps, strict=True))).encode()


def test_a_fahrenheit_header_is_read_without_a_question_and_results_show_in_fahrenheit():
    at = upload(new_app(), "ohare.csv", fahrenheit_file(300))
    no_exceptions(at)
    assert unit_radio(at) is None and asked(at) == []  # the header said °F
    assert at.sidebar.radio(key="units").value == "°F"  # the file's unit is the display unit
    (report,) = [t for t in texts(at, "info") if t.startswith("Read 300 days")]
    assert "“Temperature (F)” as daily mean air temperature in °F" in report
    assert "Not used: “Station”" in report and "Training needs" not in report
    assert not at.button(key="train").disabled


def test_a_40_day_file_says_the_real_minimum_in_the_main_area_and_train_is_off():
    from forecast.windows import min_days

    at = upload(new_app(), "short.csv", fahrenheit_file(40))
    no_exceptions(at)
    need = min_days(int(at.session_state["window"]))
    assert need == 211  # the default 14-day window (forecast.windows.min_days)
    assert at.button(key="train").disabled
    main = [str(e.value) for e in at.main.get("warning")]  # not only in the sidebar
    assert any(f"at least {need} days without gaps" in m for m in main), main
    assert any(f"Training needs at least {need} days" in t for t in texts(at, "info"))
    assert not any("Press **Train**" in t for t in texts(at, "info"))


def test_a_file_without_a_recognised_temperature_offers_a_column_picker():
    dates = pd.date_range("2021-01-01", periods=240, freq="D")
    data = ("day,Mittel,Notiz\n" + "".join(
        f"{d:%Y-%m-%d},{-5 + 25 * np.sin(i / 40):.1f},x\n" for i, d in enumerate(dates))).encode()
    at = upload(new_app(), "wetter.csv", data)
    no_exceptions(at)
    assert any("pick the column" in w for w in texts(at, "error"))
    (picker,) = [s for s in at.sidebar.selectbox if s.key == "csv_temperature"]
    assert picker.options == ["Mittel", "Notiz"] and picker.value is None
    picker.set_value("Mittel").run()
    no_exceptions(at)
    assert asked(at)  # -5…20: °C or °F? The usual question follows the pick
    unit_radio(at).set_value("°C").run()
    no_exceptions(at)
    assert at.session_state["data"].attrs["column_map"] == {"temp": "Mittel"}
    assert not at.button(key="train").disabled
