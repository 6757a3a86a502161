"""The storage module on SQLite and on a real PostgreSQL server (see conftest.py)."""

from __future__ import annotations

import math
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from classroom import schema
from classroom import store as store_module
from classroom.store import (
    CODE_ALPHABET,
    CODE_LENGTH,
    NAME_CHARS,
    StorageError,
    Store,
)
from tests.classroom.writer import record

ROOT = Path(__file__).resolve().parents[2]


def test_codes_and_keys_are_random_enough_and_never_interchangeable(store):
    assert CODE_LENGTH * math.log2(len(CODE_ALPHABET)) >= 64
    new = store.create_class("7B physics")
    other = store.create_class("7C physics")
    assert new.info.code != other.info.code and new.teacher_key != other.teacher_key
    assert len(new.teacher_key) >= 32  # 192 bits, URL-safe base64
    assert store.class_by_code(new.info.code) == new.info
    assert store.class_by_code(new.info.code.lower()) == new.info  # typed in lower case
    assert store.class_by_teacher_key(new.teacher_key).id == new.info.id
    # a student code never opens the teacher's page, and the key is no student code
    assert store.class_by_teacher_key(new.info.code) is None
    assert store.class_by_code(new.teacher_key) is None
    assert store.class_by_code("") is None and store.class_by_teacher_key("") is None


def test_students_join_by_code_and_runs_join_their_class_only(store):
    a, b = store.create_class("A"), store.create_class("B")
    assert store.join("ada", a.info.code, "Ada") == a.info
    assert store.join("bob", b.info.code, "Bob") == b.info
    assert store.join("eve", "WRONGCODE1234", "Eve") is None
    assert store.membership("eve") == (None, None)
    for browser in ("ada", "bob", "eve"):
        assert store.save_run(record(browser, 1)) == "stored"
    assert [r["display_name"] for r in store.class_runs(a.info.id)] == ["Ada"]
    assert [r["display_name"] for r in store.class_runs(b.info.id)] == ["Bob"]
    assert len(store.browser_runs("eve")) == 1  # kept for its browser, in no class


def test_a_run_is_stored_once_whatever_retries_happen(store):
    rec = record("ada", 1)
    outcomes = []
    threads = [threading.Thread(target=lambda: outcomes.append(store.save_run(rec)))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["duplicate"] * 7 + ["stored"]
    assert store.save_run(rec) == "duplicate"
    assert [r["run_uuid"] for r in store.browser_runs("ada")] == [rec["run_uuid"]]


def test_a_stored_run_reads_back_as_it_was_saved(store):
    rec = record("ada", 3)
    store.save_run(rec)
    (row,) = store.browser_runs("ada")
    for key in ("number", "source", "data", "period_start", "period_end", "target", "mae_rnn",
                "rnn_vs_dense", "verdict", "settings", "summary"):
        assert row[key] == rec[key], key


def test_display_names_are_limited_and_printable(store):
    new = store.create_class("<script>alert(1)</script>" * 10)
    assert len(new.info.name) <= schema.CLASS_NAME_CHARS
    store.join("ada", new.info.code, "A\x00d\na  " + "x" * 500)
    _info, name = store.membership("ada")
    assert len(name) == NAME_CHARS and "\x00" not in name and "\n" not in name
    assert name.startswith("Ada x")  # control characters dropped


def test_a_full_class_keeps_further_runs_personal(store, monkeypatch):
    monkeypatch.setattr(store_module, "MAX_RUNS_PER_CLASS", 2)
    new = store.create_class("A")
    store.join("ada", new.info.code, "Ada")
    assert [store.save_run(record("ada", n)) for n in (1, 2, 3)] == \
        ["stored", "stored", "class full"]
    assert len(store.class_runs(new.info.id)) == 2
    assert len(store.browser_runs("ada")) == 3


def test_one_browser_cannot_fill_the_database(store, monkeypatch):
    monkeypatch.setattr(store_module, "MAX_RUNS_PER_BROWSER", 2)
    store.save_run(record("ada", 1))
    store.save_run(record("ada", 2))
    with pytest.raises(StorageError, match="already keeps 2 runs"):
        store.save_run(record("ada", 3))


def test_a_retry_of_a_stored_run_succeeds_at_the_caps(store, monkeypatch):
    """The retry after a lost answer: already stored, so "duplicate" (the banner clears),
    never the cap's error, whether the browser or the class is full."""
    monkeypatch.setattr(store_module, "MAX_RUNS_PER_BROWSER", 2)
    monkeypatch.setattr(store_module, "MAX_RUNS_PER_CLASS", 2)
    new = store.create_class("A")
    store.join("ada", new.info.code, "Ada")
    first, second = record("ada", 1), record("ada", 2)
    assert [store.save_run(first), store.save_run(second)] == ["stored", "stored"]
    assert [store.save_run(second), store.save_run(first)] == ["duplicate", "duplicate"]
    assert len(store.class_runs(new.info.id)) == 2


def test_deleting_a_class_deletes_its_runs_and_nothing_else(store):
    a, b = store.create_class("A"), store.create_class("B")
    store.join("ada", a.info.code, "Ada")
    store.join("bob", b.info.code, "Bob")
    store.save_run(record("ada", 1))
    store.save_run(record("bob", 1))
    assert store.delete_class(a.info.id) == 1
    assert store.class_by_code(a.info.code) is None
    assert store.class_by_teacher_key(a.teacher_key) is None
    assert store.membership("ada") == (None, None)
    assert store.browser_runs("ada") == []
    assert len(store.class_runs(b.info.id)) == 1


def test_forgetting_a_browser_deletes_its_runs_and_settings(store):
    store.save_state("ada", {"hidden": "30"})
    store.save_run(record("ada", 1))
    store.save_run(record("bob", 1))
    assert store.forget_browser("ada") == 1
    assert store.browser_runs("ada") == [] and store.state("ada") is None
    assert len(store.browser_runs("bob")) == 1


def test_the_settings_a_browser_was_on_come_back(store):
    assert store.state("ada") is None
    store.save_state("ada", {"hidden": "30", "sample": "seattle"})
    store.save_state("ada", {"hidden": "40", "sample": "seattle"})
    assert store.state("ada") == {"hidden": "40", "sample": "seattle"}


def test_an_older_database_is_upgraded_in_place(db_url):
    engine = sa.create_engine(db_url)
    assert schema.upgrade(engine, to=1) == 1
    columns = {c["name"] for c in sa.inspect(engine).get_columns("browsers")}
    assert "state" not in columns
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO browsers (id, updated) VALUES ('ada', 0)"))
    engine.dispose()
    upgraded = Store(db_url)  # opening it upgrades it
    with upgraded.engine.connect() as conn:
        assert schema.current_version(conn) == schema.CURRENT == 2
    upgraded.save_state("ada", {"hidden": "30"})  # the new column, on the old row
    assert upgraded.state("ada") == {"hidden": "30"}
    assert Store(db_url).state("ada") == {"hidden": "30"}  # a second open changes nothing
    upgraded.engine.dispose()


def test_sqlite_is_a_wal_file_created_on_first_use(tmp_path, monkeypatch):
    folder = tmp_path / "not" / "yet"
    monkeypatch.setenv("RNN_LAB_DATA_DIR", str(folder))
    monkeypatch.delenv("RNN_LAB_DATABASE_URL", raising=False)
    s = Store()
    assert (folder / "lab.sqlite3").exists()
    with s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    s.engine.dispose()


def test_a_plain_postgresql_url_gets_the_psycopg_driver(monkeypatch):
    monkeypatch.setenv("RNN_LAB_DATABASE_URL", "postgresql://u:p@db:5432/lab")
    assert store_module.database_url() == "postgresql+psycopg://u:p@db:5432/lab"


def test_a_database_that_is_not_there_is_a_message_without_the_password():
    with pytest.raises(StorageError) as err:
        Store("postgresql+psycopg://lab:secret-pw@127.0.0.1:1/none")
    assert "secret-pw" not in str(err.value) and "database" in str(err.value)


def test_saving_resumes_when_postgresql_is_back(pg_cluster):
    url = pg_cluster.url
    s = Store(url)
    assert s.save_run(record("down", 1)) == "stored"
    pg_cluster.stop()
    try:
        with pytest.raises(StorageError):
            s.save_run(record("down", 2))
    finally:
        pg_cluster.restart()
    assert s.save_run(record("down", 3)) == "stored"  # the pool reconnects by itself
    assert [r["number"] for r in s.browser_runs("down")] == [1, 3]
    s.engine.dispose()


def test_every_run_reported_saved_survives_a_kill_mid_save(db_url):
    Store(db_url).engine.dispose()  # the schema exists before the writer races to create it
    writer = subprocess.Popen([sys.executable, "-m", "tests.classroom.writer", db_url],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    reported = []
    assert writer.stdout is not None
    for line in writer.stdout:  # kill it while it is saving its 40th-odd run
        reported.append(line.strip())
        if len(reported) == 40:
            writer.send_signal(signal.SIGKILL)
            break
    writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    reported += [line.strip() for line in writer.stdout if line.strip()]
    after = Store(db_url)  # "after restart": a new process's view of the same database
    assert set(reported) <= after.run_uuids()
    after.engine.dispose()


def _open(url: str) -> int:
    from classroom import schema as s
    from classroom.store import Store as S

    store = S(url)
    with store.engine.connect() as conn:
        version = s.current_version(conn)
    store.engine.dispose()
    return version


def test_replicas_starting_together_all_open_the_database(db_url):
    import multiprocessing as mp

    with mp.get_context("spawn").Pool(6) as pool:  # the first creates it, the others wait
        assert pool.map(_open, [db_url] * 6) == [schema.CURRENT] * 6
