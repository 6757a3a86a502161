"""Every bundled sample loads in the common shape with plausible values and its stated span."""

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

import data_sources as ds

EXPECTED_IDS = [
    "seattle-2012-2015",
    "chicago-2001-2016",
    "melbourne-1981-1990",
    "auckland-2016-2017",
    "beijing-2016-2017",
    "chicago-2016-2017",
    "mumbai-2016-2017",
    "san-diego-2016-2017",
    "synthetic-echo-2000-2003",
]
PLAUSIBLE = {
    "temp": (-40, 45),
    "tmin": (-45, 40),
    "tmax": (-35, 50),
    "rhum": (0, 100),
    "prcp": (0, 500),
    "wspd": (0, 150),
    "pres": (900, 1080),
}


def assert_common_shape(df: pd.DataFrame) -> None:
    assert isinstance(df.index, pd.DatetimeIndex)
    assert df.index.name == "date"
    assert df.index.tz is None
    assert df.index.is_monotonic_increasing and df.index.is_unique
    assert (df.index == df.index.normalize()).all()
    full = pd.date_range(df.index[0], df.index[-1], freq="D")
    assert len(df) == len(full) and (df.index == full).all(), "not gap-explicit"
    assert set(df.columns) <= set(ds.COLUMNS)
    assert all(dtype == np.float64 for dtype in df.dtypes)
    json.dumps(df.attrs)  # only plain JSON values
    for key in ("source", "name", "latitude", "longitude", "attribution", "licence", "target"):
        assert key in df.attrs, key
    assert df.attrs["target"] in df.columns


def test_sample_ids_are_exactly_the_issue_list():
    assert [s["id"] for s in ds.list_samples()] == EXPECTED_IDS
    assert ds.DEFAULT_SAMPLE == "seattle-2012-2015"


def test_list_samples_entries_have_contract_keys():
    for s in ds.list_samples():
        for key in (
            "id",
            "city",
            "country",
            "lat",
            "lon",
            "start",
            "end",
            "variables",
            "source",
            "licence",
            "target",
            "n_days",
            "note",
        ):
            assert key in s, (s["id"], key)
        if s["synthetic"]:  # not a place: no coordinates rather than made-up ones
            assert s["lat"] is None and s["lon"] is None
        else:
            assert -90 <= s["lat"] <= 90 and -180 <= s["lon"] <= 180


def test_every_file_matches_its_manifest_checksum():
    for s in ds.list_samples():
        data = (ds.samples.SAMPLES_DIR / s["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == s["sha256"], s["id"]


def test_only_the_echo_series_is_synthetic_and_it_says_so():
    flags = {s["id"]: s["synthetic"] for s in ds.list_samples()}
    assert all(type(v) is bool for v in flags.values())
    assert [i for i, v in flags.items() if v] == [ds.samples.SYNTHETIC_SAMPLE]
    entry = {s["id"]: s for s in ds.list_samples()}[ds.samples.SYNTHETIC_SAMPLE]
    assert "not weather" in entry["city"] and "not weather" in entry["note"]
    assert "x[t − 7]" in entry["generator"]
    df = ds.load_sample(ds.samples.SYNTHETIC_SAMPLE)
    assert df.attrs["synthetic"] is True and "Synthetic" in df.attrs["attribution"]
    assert "Extracted" not in df.attrs["attribution"]
    assert ds.load_sample(ds.DEFAULT_SAMPLE).attrs["synthetic"] is False


def test_echo_series_is_reproducible_from_its_generator():
    stored = ds.load_sample(ds.samples.SYNTHETIC_SAMPLE)
    regenerated = ds.samples.echo_series()
    assert (stored.index == regenerated.index).all()
    np.testing.assert_array_equal(stored["temp"].to_numpy(), regenerated["temp"].to_numpy())
    other_seed = ds.samples.echo_series(seed=ds.samples.ECHO_SEED + 1)
    assert not np.allclose(other_seed["temp"], regenerated["temp"])


def test_echo_series_remembers_a_week_and_nothing_closer():
    temp = ds.load_sample(ds.samples.SYNTHETIC_SAMPLE)["temp"]
    lag = ds.samples.ECHO_LAG
    assert temp.autocorr(lag) > 0.85  # the echo: gain 0.9
    for near in range(1, lag):  # yesterday says (almost) nothing about today
        assert abs(temp.autocorr(near)) < 0.15, near


@pytest.mark.parametrize("sample_id", EXPECTED_IDS)
def test_every_sample_loads_in_common_shape(sample_id):
    entry = {s["id"]: s for s in ds.list_samples()}[sample_id]
    df = ds.load_sample(sample_id)
    assert_common_shape(df)
    assert df.attrs["source"] == "sample"
    assert df.index[0] == pd.Timestamp(entry["start"])
    assert df.index[-1] == pd.Timestamp(entry["end"])
    assert len(df) == entry["n_days"]
    assert list(df.columns) == entry["variables"]
    first_year, last_year = (int(y) for y in sample_id.rsplit("-", 2)[-2:])
    assert df.index[0].year == first_year and df.index[-1].year == last_year
    for col, (lo, hi) in PLAUSIBLE.items():
        if col in df:
            values = df[col].dropna()
            assert values.between(lo, hi).all(), (col, values.min(), values.max())
    target = df[df.attrs["target"]]
    assert target.notna().mean() > 0.99
    if {"tmin", "tmax"} <= set(df.columns):
        both = df[["tmin", "tmax"]].dropna()
        assert (both["tmin"] <= both["tmax"] + 1e-9).all()


def test_melbourne_has_only_tmax_and_leap_days_are_nan_rows():
    df = ds.load_sample("melbourne-1981-1990")
    assert list(df.columns) == ["tmax"]
    assert df.attrs["target"] == "tmax"
    assert len(df) == 3652
    assert np.isnan(df.loc["1984-02-29", "tmax"]) and np.isnan(df.loc["1988-02-29", "tmax"])
    # The 8 February 1983 dust storm: 43.2 °C, a well-known record day pins the date alignment.
    assert df.loc["1983-02-08", "tmax"] == pytest.approx(43.2)


def test_seattle_temp_is_mean_of_extremes():
    df = ds.load_sample("seattle-2012-2015")
    assert len(df) == 1461
    np.testing.assert_allclose(df["temp"], (df["tmin"] + df["tmax"]) / 2, atol=0.006)
    assert "mean" in df.attrs["note"]


def test_conversions_from_fahrenheit_and_inches():
    df = ds.load_sample("chicago-2016-2017")
    # mosaicData/Weather, Chicago 2016-01-01: high 32 °F → 0 °C; sea-level pressure around 1 atm.
    assert df["pres"].median() == pytest.approx(1016, abs=8)
    assert "prcp" in df and df["prcp"].min() >= 0


def test_load_sample_returns_independent_copies():
    a = ds.load_sample(ds.DEFAULT_SAMPLE)
    a.iloc[0, 0] = -999.0
    a.attrs["name"] = "changed"
    b = ds.load_sample(ds.DEFAULT_SAMPLE)
    assert b.iloc[0, 0] != -999.0 and b.attrs["name"] != "changed"


def test_unknown_sample_is_a_data_error():
    with pytest.raises(ds.DataError, match="no bundled sample"):
        ds.load_sample("atlantis-1900-1901")


def test_the_offline_sample_of_a_city_is_its_longest_nearby_real_series():
    assert ds.sample_near(41.85, -87.65) == "chicago-2001-2016"  # of Chicago's two, the longer
    assert ds.sample_near(47.61, -122.33) == "seattle-2012-2015"
    assert ds.sample_near(52.52, 13.40) is None  # Berlin has none
