"""The tables and their versions: SQLAlchemy Core, one schema for SQLite and PostgreSQL.

A database records its schema version in `schema_version`; `upgrade` applies the missing steps
in order, in place, each in its own transaction, so an older file or server keeps its rows.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

NAME_CHARS = 40  # a display name's longest form (longer ones are cut, never refused)
CLASS_NAME_CHARS = 80
CODE_CHARS = 16
KEY_HASH_CHARS = 64  # sha256, hex
READ_ONLY = "rnn_lab_read_only"  # execution option: this transaction only reads (SQLite: no
#                                  write lock taken, see store.py)

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, nullable=False),
)

classes = sa.Table(
    "classes", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("code", sa.String(CODE_CHARS), nullable=False, unique=True),  # students' code
    sa.Column("teacher_key_hash", sa.String(KEY_HASH_CHARS), nullable=False, unique=True),
    sa.Column("name", sa.String(CLASS_NAME_CHARS), nullable=False),
    sa.Column("created", sa.Float, nullable=False),  # unix seconds
)

def _browser_columns(with_state: bool) -> list[sa.Column]:
    columns: list[sa.Column] = [
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("class_id", sa.Integer, sa.ForeignKey(classes.c.id, ondelete="SET NULL"),
                  nullable=True, index=True),
        sa.Column("display_name", sa.String(NAME_CHARS), nullable=True),
        sa.Column("updated", sa.Float, nullable=False),
    ]
    if with_state:  # version 2: the settings the browser was on (link parameters, JSON)
        columns.append(sa.Column("state", sa.Text, nullable=True))
    return columns


# one row per browser (a random id in a cookie): its class, its chosen name, its settings
browsers = sa.Table("browsers", metadata, *_browser_columns(with_state=True))

runs = sa.Table(
    "runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_uuid", sa.String(36), nullable=False, unique=True),  # stored once: retries
    sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id", ondelete="CASCADE"),
              nullable=True, index=True),
    sa.Column("browser_id", sa.String(64), nullable=False, index=True),
    sa.Column("display_name", sa.String(NAME_CHARS), nullable=True),
    sa.Column("number", sa.Integer, nullable=False),  # "Run 1", "Run 2" within the browser
    sa.Column("created", sa.Float, nullable=False),
    # the data's identity
    sa.Column("source", sa.String(16), nullable=False),
    sa.Column("data", sa.String(200), nullable=True),  # sample id or dataset / city name
    sa.Column("station", sa.String(64), nullable=True),
    sa.Column("period_start", sa.String(10), nullable=False),
    sa.Column("period_end", sa.String(10), nullable=False),
    sa.Column("target", sa.String(8), nullable=False),
    # what it found
    sa.Column("mae_rnn", sa.Float, nullable=True),
    sa.Column("mae_dense", sa.Float, nullable=True),
    sa.Column("rnn_vs_dense", sa.String(8), nullable=True),  # better | tie | worse | 1-repeat
    sa.Column("winner", sa.String(32), nullable=True),  # None: a tie
    sa.Column("verdict", sa.Text, nullable=True),
    sa.Column("duration_s", sa.Float, nullable=False),
    sa.Column("settings", sa.Text, nullable=False),  # Settings.to_dict(), JSON
    sa.Column("summary", sa.Text, nullable=False),  # every model's metrics, comparisons, ...
)


def _v1(conn: Connection) -> None:
    classes.create(conn, checkfirst=True)
    sa.Table("browsers", sa.MetaData(), *_browser_columns(with_state=False)).create(conn)
    runs.create(conn, checkfirst=True)


def _v2(conn: Connection) -> None:
    """The settings a browser was on, so a reload brings them back with the history."""
    conn.execute(sa.text("ALTER TABLE browsers ADD COLUMN state TEXT"))


# version -> the step that brings a database from version - 1 to it
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _v1, 2: _v2}
CURRENT = max(MIGRATIONS)


def current_version(conn: Connection) -> int:
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return int(conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0)


def upgrade(engine: sa.Engine, to: int = CURRENT) -> int:
    """Bring the database to version ``to`` (creating it when empty); returns the version.

    Several replicas may start at once: on PostgreSQL an advisory lock lets one migrate while
    the others wait and then find nothing left to do; SQLite's BEGIN IMMEDIATE does the same."""
    with engine.connect() as conn:  # already current (every start but the first): no lock
        conn = conn.execution_options(**{READ_ONLY: True})
        with conn.begin():
            version = current_version(conn)
    if version >= to:
        return version
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(2323)"))
        version = current_version(conn)
        if version == 0:
            schema_version.create(conn, checkfirst=True)
        for step in range(version + 1, to + 1):
            MIGRATIONS[step](conn)
        if to > version:
            conn.execute(sa.delete(schema_version))
            conn.execute(sa.insert(schema_version).values(version=to))
        return max(version, to)
