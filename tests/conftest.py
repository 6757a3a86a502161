"""Every test run keeps its database (runs, classes) in a temporary folder, never in the
project's own `.rnn-lab/` or a developer's RNN_LAB_DATA_DIR / RNN_LAB_DATABASE_URL: the app
and the browser tests' servers read them.

pg_cluster: a real PostgreSQL server for the session (tests/classroom/pg.py). A missing
PostgreSQL fails under CI=true (make test installs it); elsewhere the tests that need it are
skipped with the reason, so a laptop without it still runs the SQLite half.
"""

import os
import tempfile

import pytest

from tests.classroom.pg import Cluster, pg_bin


def pytest_configure(config):
    # always: a developer's own RNN_LAB_DATA_DIR or RNN_LAB_DATABASE_URL holds real runs (the
    # PostgreSQL tests set the URL themselves, to a database of their own)
    os.environ["RNN_LAB_DATA_DIR"] = tempfile.mkdtemp(prefix="rnn-lab-test-data-")
    os.environ.pop("RNN_LAB_DATABASE_URL", None)


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
