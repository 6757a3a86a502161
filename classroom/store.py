"""Storage of runs, classes and browsers: one small module, SQLAlchemy Core, two databases.

SQLite by default — a file in the data directory (RNN_LAB_DATA_DIR, else `.rnn-lab/` in the
project), created on first use, in WAL mode with full fsync, so `make run` needs no set-up and a
run reported saved survives a crash. PostgreSQL when RNN_LAB_DATABASE_URL is set (replicas behind
the load balancer share it). Every failure of the database becomes a StorageError with a message
for the person; the caller keeps training and retries later.

    store = open_store()                       # the server's store (one engine per URL)
    new = store.create_class("7B physics")      # new.info.code for students, new.teacher_key
    store.join(browser_id, new.info.code, "Ada")
    store.save_run(record)                     # "stored" | "duplicate" | "class full"
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from classroom.schema import (
    CLASS_NAME_CHARS,
    NAME_CHARS,
    READ_ONLY,
    browsers,
    classes,
    runs,
    upgrade,
)

DATA_DIR_ENV = "RNN_LAB_DATA_DIR"
DATABASE_URL_ENV = "RNN_LAB_DATABASE_URL"
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / ".rnn-lab"  # git-ignored
DB_FILE = "lab.sqlite3"
MAX_RUNS_PER_CLASS = 3000  # a class of 30 doing 100 runs each; beyond it runs stay personal
MAX_RUNS_PER_BROWSER = 1000  # one browser cannot fill the disk
# Class codes: 13 characters of Crockford-like base32 (no 0/O, 1/I/L) = 65 bits from `secrets`.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 13
TEACHER_KEY_BYTES = 24  # 192 bits, URL-safe base64; only its sha256 is stored
SQLITE_BUSY_MS = 20_000  # a writer waits this long for the others before failing
RUN_COLUMNS = ("source", "data", "station", "period_start", "period_end", "target", "mae_rnn",
               "mae_dense", "rnn_vs_dense", "winner", "verdict", "duration_s")


class StorageError(Exception):
    """The database could not do it; the message is for the person (no URL, no password)."""


@dataclass(frozen=True)
class ClassInfo:
    id: int
    code: str
    name: str
    created: float


@dataclass(frozen=True)
class NewClass:
    info: ClassInfo
    teacher_key: str  # shown once to the teacher; the database keeps only its hash


def data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)


def database_url() -> str:
    """RNN_LAB_DATABASE_URL (postgresql://… is given the psycopg driver), else the SQLite file."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if not url:
        return f"sqlite:///{data_dir() / DB_FILE}"
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain):]
    return url


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(code: str) -> str:
    """What a person typed, as stored: upper case, no spaces or dashes."""
    return "".join(ch for ch in str(code).upper() if ch.isalnum())[:CODE_LENGTH + 4]


def key_hash(key: str) -> str:
    return hashlib.sha256(str(key).strip().encode()).hexdigest()


def clean_name(name: str, limit: int = NAME_CHARS) -> str:
    """A chosen name: printable characters, spaces squeezed, at most ``limit`` characters.
    It is still escaped wherever it is shown (markdown, HTML, CSV)."""
    text = " ".join("".join(ch for ch in str(name) if ch.isprintable()).split())
    return text[:limit]


def _engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        path = sa.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000,
                                                     "check_same_thread": False})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # SQLAlchemy's own BEGIN below, not pysqlite's
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
            cur.execute("PRAGMA synchronous=FULL")  # a commit is on disk when it returns
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
            cur.close()

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: sa.Connection) -> None:
            # a writer takes the write lock at the start: two writers never deadlock upgrading
            # a read lock (they queue behind the busy timeout); a reader takes no lock (WAL)
            read_only = conn.get_execution_options().get(READ_ONLY, False)
            conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                            pool_timeout=10, connect_args={"connect_timeout": 5})


def _failure(err: Exception) -> StorageError:
    kind = type(getattr(err, "orig", None) or err).__name__
    return StorageError(f"the database did not answer or refused the write ({kind})")


class Store:
    """Runs, classes and browsers in one database (see the module's docstring)."""

    def __init__(self, url: str | None = None):
        self.url = url or database_url()
        try:
            self.engine = _engine(self.url)
            upgrade(self.engine)
        except (sa.exc.SQLAlchemyError, OSError) as err:
            raise _failure(err) from err

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def _write(self, work: Any) -> Any:
        try:
            with self.engine.begin() as conn:
                return work(conn)
        except (sa.exc.SQLAlchemyError, OSError) as err:
            raise _failure(err) from err

    def _read(self, work: Any) -> Any:
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(**{READ_ONLY: True})
                with conn.begin():
                    return work(conn)
        except (sa.exc.SQLAlchemyError, OSError) as err:
            raise _failure(err) from err

    # classes -------------------------------------------------------------------------------
    def create_class(self, name: str) -> NewClass:
        title = clean_name(name, CLASS_NAME_CHARS) or "My class"
        key = secrets.token_urlsafe(TEACHER_KEY_BYTES)
        created = time.time()
        for _attempt in range(5):  # a code already taken (65 bits: practically never)
            code = new_code()
            try:
                row = self._write(lambda c, code=code: c.execute(
                    sa.insert(classes).values(code=code, teacher_key_hash=key_hash(key),
                                              name=title, created=created)
                    .returning(classes.c.id)).one())
            except StorageError:
                if self.class_by_code(code) is None:
                    raise
                continue
            return NewClass(ClassInfo(int(row.id), code, title, created), key)
        raise StorageError("could not find a free class code")

    def _class(self, where: Any) -> ClassInfo | None:
        row = self._read(lambda c: c.execute(sa.select(classes).where(where)).first())
        return None if row is None else ClassInfo(row.id, row.code, row.name, row.created)

    def class_by_code(self, code: str) -> ClassInfo | None:
        """The class a student code opens (never a teacher's page: that takes the key)."""
        return self._class(classes.c.code == normal_code(code)) if code else None

    def class_by_teacher_key(self, key: str) -> ClassInfo | None:
        return self._class(classes.c.teacher_key_hash == key_hash(key)) if key else None

    def delete_class(self, class_id: int) -> int:
        """The class and every run in it; its students stay, without a class. Returns runs."""
        def work(c: sa.Connection) -> int:
            gone = c.execute(sa.delete(runs).where(runs.c.class_id == class_id)).rowcount
            c.execute(sa.update(browsers).where(browsers.c.class_id == class_id)
                      .values(class_id=None))
            c.execute(sa.delete(classes).where(classes.c.id == class_id))
            return int(gone)
        return int(self._write(work))

    # browsers ------------------------------------------------------------------------------
    def _upsert_browser(self, c: sa.Connection, browser_id: str, **values: Any) -> None:
        values["updated"] = time.time()
        insert = (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(browsers)
        c.execute(insert.values(id=browser_id, **values)
                  .on_conflict_do_update(index_elements=[browsers.c.id], set_=values))

    def join(self, browser_id: str, code: str, display_name: str) -> ClassInfo | None:
        """Put a browser in the class of ``code`` under a chosen name; None: no such class."""
        info = self.class_by_code(code)
        if info is None:
            return None
        name = clean_name(display_name) or "Student"
        self._write(lambda c: self._upsert_browser(c, browser_id, class_id=info.id,
                                                   display_name=name))
        return info

    def leave(self, browser_id: str) -> None:
        self._write(lambda c: self._upsert_browser(c, browser_id, class_id=None))

    def membership(self, browser_id: str) -> tuple[ClassInfo | None, str | None]:
        row = self._read(lambda c: c.execute(
            sa.select(browsers.c.class_id, browsers.c.display_name)
            .where(browsers.c.id == browser_id)).first())
        if row is None or row.class_id is None:
            return None, None
        return self._class(classes.c.id == row.class_id), row.display_name

    def save_state(self, browser_id: str, state: Mapping[str, Any]) -> None:
        text = json.dumps(dict(state), sort_keys=True)
        self._write(lambda c: self._upsert_browser(c, browser_id, state=text))

    def state(self, browser_id: str) -> dict[str, Any] | None:
        text = self._read(lambda c: c.execute(
            sa.select(browsers.c.state).where(browsers.c.id == browser_id)).scalar())
        return json.loads(text) if text else None

    def forget_browser(self, browser_id: str) -> int:
        """Everything kept for one browser: its runs (in a class too) and its row."""
        def work(c: sa.Connection) -> int:
            gone = c.execute(sa.delete(runs).where(runs.c.browser_id == browser_id)).rowcount
            c.execute(sa.delete(browsers).where(browsers.c.id == browser_id))
            return int(gone)
        return int(self._write(work))

    # runs ----------------------------------------------------------------------------------
    def save_run(self, record: Mapping[str, Any]) -> str:
        """Store one finished run, once: a second save of the same ``run_uuid`` (a retry) is a
        "duplicate". The run joins the browser's class, unless the class is full ("class full":
        stored for the browser only). Raises StorageError; the caller keeps it and retries."""
        def work(c: sa.Connection) -> str:
            if c.execute(sa.select(runs.c.id)
                         .where(runs.c.run_uuid == str(record["run_uuid"]))).first():
                return "duplicate"  # before the caps: a retry of a stored run always succeeds
            browser_id = str(record["browser_id"])
            member = c.execute(sa.select(browsers.c.class_id, browsers.c.display_name)
                               .where(browsers.c.id == browser_id)).first()
            class_id = member.class_id if member is not None else None
            name = member.display_name if member is not None else None
            mine = c.execute(sa.select(sa.func.count()).select_from(runs)
                             .where(runs.c.browser_id == browser_id)).scalar_one()
            if mine >= MAX_RUNS_PER_BROWSER:
                raise OverflowError
            outcome = "stored"
            if class_id is not None and c.execute(
                    sa.select(sa.func.count()).select_from(runs)
                    .where(runs.c.class_id == class_id)).scalar_one() >= MAX_RUNS_PER_CLASS:
                class_id, outcome = None, "class full"
            insert = (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(runs)
            row = {k: record.get(k) for k in RUN_COLUMNS}
            result = c.execute(insert.values(
                run_uuid=str(record["run_uuid"]), class_id=class_id, browser_id=browser_id,
                display_name=name if class_id is not None else None,
                number=int(record["number"]), created=float(record.get("created") or
                                                            time.time()),
                settings=json.dumps(record["settings"], sort_keys=True),
                summary=json.dumps(record.get("summary") or {}, sort_keys=True), **row,
            ).on_conflict_do_nothing(index_elements=[runs.c.run_uuid]).returning(runs.c.id))
            return outcome if result.first() is not None else "duplicate"
        try:
            return str(self._write(work))
        except OverflowError:
            raise StorageError(f"this browser already keeps {MAX_RUNS_PER_BROWSER} runs; "
                               "delete them to keep more") from None

    def _runs(self, where: Any) -> list[dict[str, Any]]:
        rows = self._read(lambda c: c.execute(
            sa.select(runs).where(where).order_by(runs.c.created, runs.c.id)).mappings().all())
        out = []
        for row in rows:
            item = dict(row)
            item["settings"] = json.loads(item["settings"])
            item["summary"] = json.loads(item["summary"])
            out.append(item)
        return out

    def browser_runs(self, browser_id: str) -> list[dict[str, Any]]:
        return self._runs(runs.c.browser_id == browser_id)

    def class_runs(self, class_id: int) -> list[dict[str, Any]]:
        return self._runs(runs.c.class_id == class_id)

    def run_uuids(self) -> set[str]:
        """Every stored run's key (the crash test and the benchmark count them)."""
        return set(self._read(lambda c: c.execute(sa.select(runs.c.run_uuid)).scalars().all()))


_STORES: dict[str, Store] = {}
_LOCK = threading.Lock()


def open_store(url: str | None = None) -> Store:
    """The server's Store for this URL (one engine and connection pool per process). Raises
    StorageError when the database cannot be opened; the next call tries again."""
    url = url or database_url()
    with _LOCK:
        if url not in _STORES:
            _STORES[url] = Store(url)
        return _STORES[url]
