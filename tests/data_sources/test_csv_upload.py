"""read_csv: good files in the common shape; each kind of bad file a DataError naming why."""

import io
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import data_sources as ds


def read(source, fahrenheit=False):
    """Most tests are about parsing: their files state °C (the unit question is tested below)."""
    return ds.read_csv(source, fahrenheit=fahrenheit)


def csv_text(n=40, header="date,temp", row=lambda i, d: f"{d:%Y-%m-%d},{10 + i % 7}"):
    days = pd.date_range("2020-01-01", periods=n, freq="D")
    return header + "\n" + "\n".join(row(i, d) for i, d in enumerate(days)) + "\n"


def test_minimal_file_in_common_shape(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(csv_text())
    df = read(str(path))
    assert list(df.columns) == ["temp"] and len(df) == 40
    assert df.index.name == "date" and df.index.tz is None
    assert df["temp"].dtype == np.float64
    assert df.attrs["source"] == "csv" and df.attrs["name"] == "mine.csv"
    assert df.attrs["target"] == "temp"
    json.dumps(df.attrs)


def test_accepts_bytes_and_file_like_and_keeps_gaps_explicit():
    text = csv_text(header="date,temp", row=lambda i, d: f"{d:%Y-%m-%d},{i}")
    lines = text.splitlines()
    del lines[5:8]  # three days absent from the file
    data = ("\n".join(lines) + "\n").encode()
    for source in (data, io.BytesIO(data), io.StringIO(data.decode())):
        df = read(source)
        assert len(df) == 40 and df["temp"].isna().sum() == 3


def test_meteostat_export_columns_and_tavg_to_temp():
    text = csv_text(
        header="date,tavg,tmin,tmax,prcp,snow,wdir,wspd,wpgt,pres,tsun",
        row=lambda i, d: f"{d:%Y-%m-%d},5.5,1.0,9.0,0.3,,180,12.0,30,1012.5,",
    )
    df = read(text.encode())
    assert list(df.columns) == ["temp", "tmin", "tmax", "prcp", "wspd", "pres"]
    assert df["temp"].iloc[0] == 5.5
    assert set(df.attrs["ignored_columns"]) == {"snow", "wdir", "wpgt", "tsun"}


def test_temp_derived_from_tmin_tmax_is_recorded():
    text = csv_text(header="date,tmin,tmax", row=lambda i, d: f"{d:%Y-%m-%d},2,8")
    df = read(text.encode())
    assert (df["temp"] == 5.0).all()
    assert "mean of tmin and tmax" in df.attrs["derived"]["temp"]


def test_fahrenheit_only_when_asked():
    text = csv_text(row=lambda i, d: f"{d:%Y-%m-%d},20").encode()
    assert (read(text)["temp"] == 20.0).all()
    df = read(text, fahrenheit=True)
    assert df["temp"].iloc[0] == pytest.approx(-20 / 3)
    assert df.attrs["fahrenheit"] is True and "as stated" in df.attrs["units"]


def test_semicolon_separator_and_utf8_bom():
    text = csv_text(header="Date;Temp", row=lambda i, d: f"{d:%Y-%m-%d};{i}")
    df = read(b"\xef\xbb\xbf" + text.encode())
    assert len(df) == 40


# One test per rejection -------------------------------------------------------------------------


# Every refusal's reason: tests/data_sources/test_csv_rejections.py; here, what names the line,
# the column or the header.


def test_rejects_missing_date_column():
    with pytest.raises(ds.DataError, match="No date column.*'when'"):
        read(csv_text(header="when,temp").encode())


def test_rejects_unparsable_date_naming_the_line():
    lines = csv_text().splitlines()
    lines[7] = "not-a-day,12"
    with pytest.raises(ds.DataError, match=r"Line 8: 'not-a-day' in column 'date' is not a date"):
        read("\n".join(lines).encode())


def test_rejects_duplicated_dates_naming_the_lines():
    lines = csv_text().splitlines()
    lines[10] = lines[9]
    with pytest.raises(ds.DataError, match=r"2020-01-09 appears more than once \(lines 10, 11"):
        read("\n".join(lines).encode())


def test_rejects_non_numeric_temperature_naming_line_and_column():
    lines = csv_text().splitlines()
    lines[3] = "2020-01-03,warm"
    with pytest.raises(ds.DataError, match=r"Line 4: 'warm' in column 'temp' is not a number"):
        read("\n".join(lines).encode())


def test_rejects_implausibly_cold_temperature():
    lines = csv_text().splitlines()
    lines[5] = "2020-01-05,-120"
    with pytest.raises(ds.DataError, match=r"Line 6: -120.0 °C in column 'temp'"):
        read("\n".join(lines).encode())


def test_rejects_implausibly_hot_temperature_and_hints_fahrenheit():
    text = csv_text(row=lambda i, d: f"{d:%Y-%m-%d},95").encode()
    with pytest.raises(ds.DataError, match="not a plausible.*Fahrenheit"):
        read(text)  # stated °C: the range check hints at °F
    assert read(text, fahrenheit=True)["temp"].iloc[0] == pytest.approx(35.0)


def test_rejects_too_many_bytes(tmp_path):
    big = b"date,temp\n" + b"2020-01-01,1" + b" " * (ds.MAX_BYTES + 10) + b"\n"
    with pytest.raises(ds.DataError, match="limit is 10 MB"):
        read(big)
    path = tmp_path / "big.csv"
    path.write_bytes(big)
    with pytest.raises(ds.DataError, match="limit is 10 MB"):
        read(path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_give_a_frame_or_data_error(data):
    try:
        df = read(data)
    except ds.DataError as error:
        assert str(error)
    else:
        assert isinstance(df, pd.DataFrame)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["2020-01-01", "2020-02-30", "01/02/2020", "", "x", "2020-01-0"]),
            st.text(alphabet="0123456789.-e,;\"'\n ", max_size=8),
        ),
        max_size=40,
    )
)
def test_csv_like_text_gives_a_frame_or_data_error(rows):
    text = "date,temp\n" + "\n".join(f"{d},{v}" for d, v in rows)
    try:
        read(text.encode())
    except ds.DataError:
        pass


def test_uploaded_file_object_with_a_name():
    class UploadedFile(io.BytesIO):  # what Streamlit's st.file_uploader hands over
        name = "berlin-2020.csv"

    upload = UploadedFile(csv_text().encode())
    upload.read()  # already read once elsewhere: read_csv rewinds
    df = read(upload)
    assert df.attrs["name"] == "berlin-2020.csv" and len(df) == 40


def test_rejects_missing_path(tmp_path):
    with pytest.raises(ds.DataError, match="no file"):
        read(str(tmp_path / "nope.csv"))


def test_rejects_hourly_rows():
    text = "date,temp\n" + "".join(
        f"2020-01-{d:02d} {h:02d}:00,5\n" for d in range(1, 29) for h in (0, 12)
    )
    with pytest.raises(ds.DataError, match="time of day"):
        read(text.encode())


# Files that do not state their unit (fahrenheit=None, the default).


def january(values) -> bytes:
    days = pd.date_range("2021-01-01", periods=len(values), freq="D")
    rows = "".join(f"{d:%Y-%m-%d},{v}\n" for d, v in zip(days, values, strict=True))
    return ("date,temp\n" + rows).encode()


def year_of(low, high) -> bytes:
    days = pd.date_range("2021-01-01", "2021-12-31", freq="D")
    wave = low + (high - low) * (1 - np.cos(2 * np.pi * (days.day_of_year - 20) / 365)) / 2
    rows = "".join(f"{d:%Y-%m-%d},{v:.1f}\n" for d, v in zip(days, wave, strict=True))
    return ("date,temp\n" + rows).encode()


def test_winter_fahrenheit_file_is_not_read_as_celsius():
    """The issue's case: a January of 30-57 °F was trained as a "30-57 °C January"."""
    data = january([30 + (i * 5) % 28 for i in range(40)])
    with pytest.raises(ds.DataError, match="look like °F") as err:
        ds.read_csv(data)
    assert err.value.ask_fahrenheit is True and err.value.likely_fahrenheit is True
    df = ds.read_csv(data, fahrenheit=True)
    assert df["temp"].max() == pytest.approx((57 - 32) * 5 / 9)


def test_values_plausible_in_both_scales_ask_the_person():
    data = january([5 + i % 20 for i in range(40)])  # a mild spell in °C, a cold one in °F
    with pytest.raises(ds.DataError, match=r"in °F\?") as err:
        ds.read_csv(data)
    assert err.value.ask_fahrenheit is True and err.value.likely_fahrenheit is False
    assert ds.read_csv(data, fahrenheit=False)["temp"].iloc[0] == 5.0
    assert ds.read_csv(data, fahrenheit=True)["temp"].iloc[0] == pytest.approx(-15.0)


def test_whole_year_in_celsius_is_read_without_asking():
    """-5...28 over a whole year: as °F it would never thaw yet be far too mild for an ice sheet."""
    df = ds.read_csv(year_of(-5, 28))
    assert df["temp"].max() == pytest.approx(28.0, abs=0.1)
    assert df.attrs["fahrenheit"] is False and "only plausible" in df.attrs["units"]


def test_whole_year_in_fahrenheit_says_so():
    with pytest.raises(ds.DataError, match="look like °F") as err:
        ds.read_csv(year_of(20, 85))
    assert err.value.likely_fahrenheit


def test_unit_question_comes_after_other_problems():
    with pytest.raises(ds.DataError, match=f"at least {ds.MIN_DAYS}") as err:
        ds.read_csv(january([10] * 5))
    assert err.value.ask_fahrenheit is False


def test_european_export_with_decimal_commas_and_semicolons():
    days = pd.date_range("2021-03-01", periods=40, freq="D")
    text = "date;temp;prcp\n" + "".join(f"{d:%d.%m.%Y};12,5;-0,0\n" for d in days)
    df = read(text.encode())
    assert (df["temp"] == 12.5).all() and (df["prcp"] == 0.0).all()
    with pytest.raises(ds.DataError, match="'12,5x' in column 'temp' is not a number"):
        read(text.replace("12,5;", "12,5x;", 1).encode())


WHOLE_YEARS = [
    s["id"]
    for s in ds.list_samples()
    if (pd.Timestamp(s["end"]) - pd.Timestamp(s["start"])).days >= 364
]


@pytest.mark.parametrize("sample", WHOLE_YEARS)
def test_real_whole_years_are_read_in_their_unit_without_asking(sample):
    """Every bundled real series (whole years, °C) is read as °C as it is, and the same series
    written in °F is recognised as °F, not asked about and never read as °C."""
    df = ds.load_sample(sample)
    df.attrs = {}
    assert ds.read_csv(df.to_csv().encode()).attrs["fahrenheit"] is False
    temps = [c for c in ("temp", "tmin", "tmax") if c in df]
    in_f = df.assign(**{c: df[c] * 9 / 5 + 32 for c in temps})
    with pytest.raises(ds.DataError, match="look like °F") as err:
        ds.read_csv(in_f.to_csv().encode())
    assert err.value.likely_fahrenheit


# --- Headers as people write them (issue 25): names and units read, the rest named ------------

DAYS_40 = pd.date_range("2021-01-01", periods=40, freq="D")


def file_with(header: str, values, extra: str = "") -> bytes:
    rows = "".join(f"{d:%Y-%m-%d},{v}{',' + extra if extra else ''}\n"
                   for d, v in zip(DAYS_40, values, strict=True))
    return (f"Date,{header}{',Humidity (%),Station' if extra else ''}\n" + rows).encode()


@pytest.mark.parametrize(("header", "column", "fahrenheit"), [
    ("Temperature (F)", "temp", True),
    ("temp_c", "temp", False),
    ("Tmax (°F)", "tmax", True),
    ("Température", "temp", None),
    ("Temperature", "temp", None),
    ("TAVG [degC]", "temp", False),
    ("tmin_f", None, True),  # tmin alone is no target: refused below, but read as °F
])
def test_unit_bearing_headers_are_read_with_their_unit(header, column, fahrenheit):
    """A unit in the header decides, without a question; no unit: the values decide (here
    5-24, plausible both ways, so the person is asked)."""
    values = [5 + i % 20 for i in range(40)]
    if column is None:
        with pytest.raises(ds.DataError, match="No temperature column"):
            ds.read_csv(file_with(header, values))
        return
    if fahrenheit is None:
        with pytest.raises(ds.DataError, match=r"in °F\?"):
            ds.read_csv(file_with(header, values))
        df = ds.read_csv(file_with(header, values), fahrenheit=False)
        assert df.attrs["column_map"] == {column: header}
        return
    df = ds.read_csv(file_with(header, values), fahrenheit=not fahrenheit)  # the header wins
    assert df.attrs["target"] == column and df.attrs["column_map"] == {column: header}
    assert df.attrs["fahrenheit"] is fahrenheit and "headers say" in df.attrs["units"]
    expected = (5 - 32) * 5 / 9 if fahrenheit else 5.0
    assert df[column].iloc[0] == pytest.approx(expected)


def test_other_units_are_converted_and_unused_columns_are_named_in_the_message():
    rows = "".join(f"{d:%Y-%m-%d},{50 + i % 9},1.0,10,80,STN-1\n" for i, d in enumerate(DAYS_40))
    text = "Date,Temperature (F),Precipitation (in),Wind speed [mph],Humidity (%),Station\n"
    df = ds.read_csv((text + rows).encode())
    assert df["prcp"].iloc[0] == pytest.approx(25.4) and df["wspd"].iloc[0] == pytest.approx(
        16.09344) and df["rhum"].iloc[0] == 80.0
    assert df.attrs["ignored_columns"] == ["Station"]
    message = ds.describe_upload(df, needed_days=211, window=14)
    assert "Not used: “Station” (not a daily weather column the app reads)" in message
    assert "“Temperature (F)” as daily mean air temperature in °F" in message
    assert "results are shown in °F" in message


def test_a_column_in_an_unknown_unit_is_not_used_and_says_why():
    rows = "".join(f"{d:%Y-%m-%d},{10 + i % 5},283\n" for i, d in enumerate(DAYS_40))
    df = read(("date,temp,Tmax (K)\n" + rows).encode())
    assert "tmax" not in df and df.attrs["ignored_columns"] == ["Tmax (K)"]
    assert "'k' is not one the app converts" in df.attrs["ignored_reasons"]["Tmax (K)"]


def test_a_40_day_file_is_told_the_real_minimum():
    """The rule is forecast.windows.min_days (211 days for the default 14-day window), not the
    "window + 30" the tooltip used to say."""
    from forecast import ExperimentConfig
    from forecast.windows import min_days

    window = ExperimentConfig().window
    need = min_days(window)
    assert need > window + 30
    df = read(file_with("temp", [10 + i % 5 for i in range(40)]))
    message = ds.describe_upload(df, needed_days=need, window=window)
    assert f"Training needs at least {need} days without gaps with the {window}-day window; " \
           "this file has 40" in message
    assert "Training needs" not in ds.describe_upload(df, needed_days=40, window=window)


def test_the_readme_states_the_same_minimum():
    from pathlib import Path

    from forecast import ExperimentConfig
    from forecast.windows import min_days

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    cfg = ExperimentConfig()
    assert f"at least {min_days(cfg.window, cfg.horizon, cfg.test_frac)} days" in readme
    assert "window + 30" not in readme


def test_no_recognised_temperature_offers_the_columns_to_pick_from():
    rows = "".join(f"{d:%Y-%m-%d},{10 + i % 5},x\n" for i, d in enumerate(DAYS_40))
    data = ("day,Mittel,Notes\n" + rows).encode()
    with pytest.raises(ds.DataError, match="pick the column") as err:
        read(data)
    assert err.value.columns == ("Mittel", "Notes")
    df = ds.read_csv(data, fahrenheit=False, temperature_column="Mittel")
    assert df["temp"].iloc[0] == 10.0 and df.attrs["column_map"] == {"temp": "Mittel"}
    assert df.attrs["ignored_columns"] == ["Notes"]


def test_the_template_reads_back_without_a_question_and_can_train():
    from forecast.windows import min_days

    template = ds.template_csv(ds.load_sample("chicago-2001-2016"), days=400)
    assert template.decode().startswith("date,temp (°C),tmin (°C),tmax (°C)\n")
    df = ds.read_csv(template)
    assert len(df) == 400 >= min_days(14) and df.attrs["ignored_columns"] == []
