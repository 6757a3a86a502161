"""Every storage test runs twice: on SQLite (a file in a temporary folder) and on a real
PostgreSQL server started for the session (tests/classroom/pg.py), each test in a fresh database.

A missing PostgreSQL fails under CI=true (make test installs it); elsewhere its half is skipped
with the reason, so a laptop without it still runs the SQLite half.
"""

from __future__ import annotations

import itertools
import os

import pytest
import sqlalchemy as sa

from classroom.store import Store
from tests.classroom.pg import Cluster, pg_bin

_databases = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster():
    bindir = pg_bin()
    if bindir is None:
        message = ("PostgreSQL is not installed (Debian: apt-get install postgresql; make test "
                   "does it as root)")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    cluster = Cluster(bindir)
    cluster.start()
    yield cluster
    cluster.remove()


def fresh_pg_database(cluster: Cluster) -> str:
    name = f"lab_test_{os.getpid()}_{next(_databases)}"
    admin = sa.create_engine(cluster.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return cluster.url.rsplit("/", 1)[0] + "/" + name


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
