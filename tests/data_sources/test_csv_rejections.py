"""Every way a CSV is refused gets its own clear message (the page shows it: two of these go
through the real script in tests/app/test_reliability.py)."""

import pytest

import data_sources as ds
from tests.helpers.bad_csvs import BAD_CSVS


@pytest.mark.parametrize("case", BAD_CSVS)
def test_each_bad_file_is_refused_with_its_reason(case):
    data, words = BAD_CSVS[case]
    with pytest.raises(ds.DataError) as refused:
        ds.read_csv(data)
    message = str(refused.value)
    assert words.lower() in message.lower(), message
    assert "Traceback" not in message
