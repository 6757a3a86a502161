"""Every storage test runs twice: on SQLite (a file in a temporary folder) and on a real
PostgreSQL server started for the session (tests/conftest.py's pg_cluster), each test in a
fresh database."""

from __future__ import annotations

import pytest

from classroom.store import Store
from tests.classroom.pg import fresh_pg_database


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'lab.sqlite3'}"
    return fresh_pg_database(request.getfixturevalue("pg_cluster"))


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.engine.dispose()
