"""A real `streamlit run serve.py` for the server tests (tests/helpers/browser.py)."""

from __future__ import annotations

import pytest

from tests.helpers.browser import start_streamlit, stop_process


@pytest.fixture(scope="module")
def streamlit_server():
    proc, url, _log = start_streamlit()
    yield url
    stop_process(proc)
