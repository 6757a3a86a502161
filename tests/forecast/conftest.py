import pandas as pd
import pytest

from tests.helpers.weather import make_weather


@pytest.fixture
def weather() -> pd.DataFrame:
    return make_weather()
