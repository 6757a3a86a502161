"""Runs that last and a class, through AppTest: the real pages against a real SQLite file.

A browser is known by the id in its cookie; AppTest has no cookies, so a test gives a session
the same id a reloaded tab would read (session_state["_browser_id"] before the first run).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import app.classroom
from app.teacher import best_settings, runs_table
from classroom.store import StorageError, Store, open_store
from tests.classroom.pg import fresh_pg_database
from tests.classroom.writer import record
from tests.helpers.app import APP, TIMEOUT, no_exceptions, train

BROWSER = "ab" * 16


@pytest.fixture(autouse=True)
def database(tmp_path, monkeypatch) -> Store:
    monkeypatch.setenv("RNN_LAB_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("RNN_LAB_DATABASE_URL", raising=False)
    return open_store()


def tab(browser: str = BROWSER, **query) -> AppTest:
    """A browser tab opening the lab (a reload is a new one with the same browser id)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["_browser_id"] = browser
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def teacher_tab() -> AppTest:
    def teacher():
        from app.teacher import main

        main()

    return AppTest.from_function(teacher, default_timeout=TIMEOUT).run()


def test_a_reload_brings_back_every_run_and_the_settings_it_was_on(database):
    at = train(tab(), epochs=2)
    train(at, hidden=8, epochs=2)
    no_exceptions(at)
    at.sidebar.slider(key="hidden").set_value(12).run()  # changed after the last run
    again = tab()
    no_exceptions(again)
    runs = again.session_state["runs"]
    assert [(r.number, r.settings.hidden, r.settings.epochs) for r in runs] == \
        [(1, runs[0].settings.hidden, 2), (2, 8, 2)]
    assert runs[1].metrics["rnn"]["mae"] == at.session_state["runs"][1].metrics["rnn"]["mae"]
    assert again.session_state["hidden"] == 12
    assert "Your runs" in [s.value for s in again.subheader]
    assert tab(browser="cd" * 16).session_state["runs"] == []  # another browser: nothing


def test_saving_fails_without_failing_training_and_resumes(pg_cluster, monkeypatch):
    """A real PostgreSQL server stopped while a student trains, then started again."""
    url = fresh_pg_database(pg_cluster)
    monkeypatch.setenv("RNN_LAB_DATABASE_URL", url)
    monkeypatch.setattr(app.classroom, "RETRY_S", 0.0)  # retry on the very next page update
    at = tab()
    pg_cluster.stop()
    try:
        train(at, epochs=2)
        no_exceptions(at)
        assert at.session_state["last_run"] is not None  # training worked
        assert len(at.session_state["runs"]) == 1  # and so does the session's history
        assert any("Saving failed" in w.value for w in at.warning)
    finally:
        pg_cluster.restart()
    at.run()
    assert any("every waiting run is saved" in s.value for s in at.success)
    database = Store(url)
    assert len(database.browser_runs(BROWSER)) == 1
    at.run()
    assert len(database.browser_runs(BROWSER)) == 1  # once
    database.engine.dispose()


def test_a_class_link_joins_the_class_and_runs_join_it(database):
    new = database.create_class("7B")
    at = tab(**{"class": new.info.code})
    assert at.text_input(key="class_code").value == new.info.code
    at.text_input(key="class_name").set_value("Ada <b>")
    submit = [b for b in at.button if b.label == "Join the class"]
    submit[0].click().run()
    no_exceptions(at)
    assert at.session_state["_class"]["name"] == "7B"
    train(at, epochs=2)
    (row,) = database.class_runs(new.info.id)
    assert row["display_name"] == "Ada <b>" and row["browser_id"] == BROWSER
    assert row["rnn_vs_dense"] in ("better", "tie", "worse") and row["verdict"]


def test_a_wrong_code_joins_nothing(database):
    new = database.create_class("7B")
    at = tab(browser="ef" * 16, **{"class": "WRONG" + new.info.code[5:]})
    at.text_input(key="class_name").set_value("Eve")
    [b for b in at.button if b.label == "Join the class"][0].click().run()
    assert any("No class has this code" in e.value for e in at.error)
    assert "_class" not in at.session_state
    assert database.membership("ef" * 16) == (None, None)


def test_the_teacher_page_opens_only_with_the_key_and_shows_the_class(database):
    new = database.create_class("7B physics")
    for n, (browser, verdict) in enumerate([("a1", "better"), ("a2", "tie"), ("a3", "tie"),
                                            ("a4", "1-repeat")]):
        database.join(browser, new.info.code, f"Student {n}")
        database.save_run({**record(browser, 1), "rnn_vs_dense": verdict})
    # stored before "1-repeat" existed: a tie whose comparison says why (one repeat)
    database.join("a5", new.info.code, "Student 4")
    database.save_run({**record("a5", 1), "summary": {"versus_memoryless": {
        "verdict": "tie", "reason": "one repeat: cannot tell — use 2 or more"}}})
    other = database.create_class("other")
    database.join("x1", other.info.code, "Outsider")
    database.save_run(record("x1", 1))

    at = teacher_tab()
    at.text_input(key="teacher_key").set_value(new.info.code)  # a student's code
    [b for b in at.button if b.label == "Open"][0].click().run()
    assert any("not a teacher key" in e.value for e in at.error)
    assert "_teacher_class" not in at.session_state or at.session_state["_teacher_class"] is None
    assert not at.dataframe

    at.text_input(key="teacher_key").set_value(new.teacher_key)
    [b for b in at.button if b.label == "Open"][0].click().run()
    no_exceptions(at)
    counts = {m.label: m.value for m in at.metric}
    assert counts == {"RNN better": "1", "Too close to call": "2", "RNN worse": "0",
                      "Cannot tell (1 repeat)": "2"}
    everything = at.dataframe[-1].value
    assert sorted(everything["Student"]) == [f"Student {n}" for n in range(5)]
    assert everything["RNN vs memoryless"].tolist().count("cannot tell (1 repeat)") == 2
    assert "Outsider" not in everything["Student"].tolist()


def test_a_teacher_creates_a_class_and_deletes_it(database):
    at = teacher_tab()
    at.text_input(key="teacher_class_name").set_value("Tuesday")
    [b for b in at.button if b.label == "Create the class"][0].click().run()
    no_exceptions(at)
    cls = at.session_state["_teacher_class"]
    key = at.session_state["_teacher_new_key"]
    assert database.class_by_teacher_key(key).id == cls["id"]
    assert any(cls["code"] in c.value for c in at.code)
    database.join("s1", cls["code"], "Sam")
    database.save_run(record("s1", 1))
    at.button(key="teacher_delete").click().run()
    at.button(key="teacher_delete_yes").click().run()
    assert database.class_by_code(cls["code"]) is None
    assert database.class_runs(cls["id"]) == []


def test_a_browser_deletes_its_saved_runs_after_confirming(database):
    database.save_run(record(BROWSER, 1))
    database.save_run(record("cd" * 16, 1))  # someone else's
    at = tab()
    no_exceptions(at)
    assert len(at.session_state["runs"]) == 1
    at.button(key="forget_me").click().run()
    assert len(database.browser_runs(BROWSER)) == 1  # not before the confirmation
    at.button(key="forget_me_yes").click().run()
    no_exceptions(at)
    assert database.browser_runs(BROWSER) == [] and at.session_state["runs"] == []
    assert len(database.browser_runs("cd" * 16)) == 1
    assert tab().session_state["runs"] == []  # a reload finds nothing


def test_a_class_link_says_where_to_join(database):
    new = database.create_class("7B")
    at = tab(**{"class": new.info.code})
    assert any("You opened a class link" in i.value for i in at.info)


def test_a_database_failure_on_the_teacher_page_is_a_message(database, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise StorageError("the database did not answer or refused the write (OperationalError)")

    monkeypatch.setattr(Store, "class_by_teacher_key", refuse)
    monkeypatch.setattr(Store, "create_class", refuse)
    at = teacher_tab()
    at.text_input(key="teacher_key").set_value("some-key")
    [b for b in at.button if b.label == "Open"][0].click().run()
    no_exceptions(at)
    assert any("could not be opened" in e.value for e in at.error)
    at.text_input(key="teacher_class_name").set_value("Tuesday")
    [b for b in at.button if b.label == "Create the class"][0].click().run()
    no_exceptions(at)
    assert any("could not be created" in e.value for e in at.error)
    assert "_teacher_class" not in at.session_state


def test_the_best_settings_are_ranked_within_each_data_set_only():
    rows = []
    for n, (data, start, mae) in enumerate([("seattle", "2012-01-01", 1.6),
                                            ("seattle", "2012-01-01", 1.4),
                                            ("seattle", "2014-01-01", 1.5),
                                            ("tropics", "2012-01-01", 0.5)]):
        rec = record(f"b{n}", 1)
        rows.append({**rec, "display_name": f"S{n}", "data": data, "period_start": start,
                     "mae_rnn": mae, "settings": {**rec["settings"], "data": data,
                                                  "start": start, "hidden": 10 + n}})
    best = best_settings(runs_table(rows))
    assert sorted(best["Student"]) == ["S1", "S2", "S3"]  # one per data and period
    assert "S0" not in best["Student"].tolist()  # beaten on the same data and period


def test_the_lab_links_to_the_teachers_page_without_importing_it():
    """docs/design.md: neither page imports the other; navigation.py gives the lab the link."""
    import ast
    from pathlib import Path

    root = Path(app.classroom.__file__).resolve().parent
    for source, other in (("classroom.py", "app.teacher"), ("page.py", "app.teacher"),
                          ("teacher.py", "app.classroom"), ("teacher.py", "app.page")):
        tree = ast.parse((root / source).read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
            a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert other not in imported, f"app/{source} imports {other}"
    links = tab().get("page_link")
    assert [link.proto.label for link in links] == ["Teacher's page"]
    assert links[0].proto.page == "teacher"
