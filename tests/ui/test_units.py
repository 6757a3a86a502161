import numpy as np
import pandas as pd
import pytest

from ui import units
from ui.units import to_display_delta, to_display_temp


def test_temperatures_get_the_offset_differences_do_not():
    assert to_display_temp(0.0, "°F") == pytest.approx(32.0)
    assert to_display_temp(100.0, "°F") == pytest.approx(212.0)
    assert to_display_temp(-40.0, "°F") == pytest.approx(-40.0)
    # an error of 1 °C is an error of 1.8 °F — never 33.8 °F
    assert to_display_delta(1.0, "°F") == pytest.approx(1.8)
    assert to_display_delta(-2.5, "°F") == pytest.approx(-4.5)
    assert to_display_delta(0.0, "°F") == 0.0


def test_difference_of_converted_temperatures_equals_converted_difference():
    a, b = 21.3, 17.9
    diff_f = to_display_temp(a, "°F") - to_display_temp(b, "°F")
    assert diff_f == pytest.approx(to_display_delta(a - b, "°F"))


def test_celsius_is_unchanged_and_types_are_kept():
    s = pd.Series([1.0, np.nan, 3.0])
    assert to_display_temp(s, "°C") is s
    out = to_display_temp(s, "°F")
    assert isinstance(out, pd.Series) and np.isnan(out[1]) and out[2] == pytest.approx(37.4)
    arr = to_display_delta(np.array([1.0, 2.0]), "°F")
    np.testing.assert_allclose(arr, [1.8, 3.6])
    np.testing.assert_allclose(to_display_temp([0, 10], "°F"), [32.0, 50.0])


def test_unknown_units_are_refused():
    with pytest.raises(ValueError):
        to_display_temp(1.0, "K")


def test_temp_columns_and_frame_conversion(daily):
    assert set(units.TEMP_COLUMNS) == {"temp", "tmin", "tmax"}
    out = units.convert_frame(daily, "°F")
    np.testing.assert_allclose(out["tmax"], daily["tmax"] * 9 / 5 + 32)
    pd.testing.assert_series_equal(out["prcp"], daily["prcp"])  # not a temperature
    assert units.column_title("prcp", "°F") == "Precipitation (mm)"
    assert units.column_title("tmin", "°F") == "Minimum temperature (°F)"
