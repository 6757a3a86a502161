"""Runs that last and a class, in a real Chromium against `streamlit run` with its own SQLite
database (a temporary RNN_LAB_DATA_DIR): reload, server restart, a teacher and four students.

Training is kept short through the link (epochs=2): what is checked is where runs go, not what
they find.
"""

from __future__ import annotations

import os
import re
import signal

import pytest

from tests.helpers.browser import (
    assert_no_exception,
    start_streamlit,
    stop_process,
    train_button,
    wait_for_app,
    wait_for_verdict,
)

pytestmark = pytest.mark.e2e
QUICK = "epochs=2&seeds=2"


@pytest.fixture
def lab(tmp_path):
    """A server of its own on a fresh database; restart() replaces it on the same database."""
    env = {"RNN_LAB_DATA_DIR": str(tmp_path), "RNN_LAB_DATABASE_URL": ""}

    class Lab:
        def __init__(self):
            self.proc, self.url, _log = start_streamlit(env)

        def restart(self):
            """Kill the server (SIGKILL, no shutdown of any kind), start a new one."""
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
            self.proc, self.url, _log = start_streamlit(env)

    server = Lab()
    yield server
    stop_process(server.proc)


def history_rows(page, nth: int = 0) -> list[list[str]]:
    """The rows of the page's nth table (-1: the last) as text. st.dataframe draws on a canvas;
    its accessible table, in the page though not visible, holds the cells of the columns in
    view (a wide table's right-hand columns may be missing)."""
    table = page.locator('[data-testid="stDataFrame"] table').nth(nth)
    table.wait_for(state="attached", timeout=30_000)
    rows = table.locator("tbody tr")
    return [[c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
            for i in range(rows.count())]


def train_once(page) -> None:
    train_button(page).click()
    wait_for_verdict(page)
    assert_no_exception(page)


def test_runs_survive_a_reload_and_a_killed_server(lab, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    wait_for_app(page, f"{lab.url}/?{QUICK}")
    train_once(page)
    wait_for_app(page, f"{lab.url}/?{QUICK}&hidden=8")  # a link with other settings
    train_once(page)
    for _ in ("reload", "restart"):
        if _ == "reload":
            page.reload()
        else:
            # the verdict was drawn after the run was saved: killed now, the server loses nothing
            lab.restart()  # a new server process on the same database (and a new port)
            page.goto(lab.url)
        page.get_by_role("heading", name="Your runs").wait_for(timeout=60_000)
        rows = history_rows(page)
        assert [r[0] for r in rows] == ["1", "2"], rows  # "Run 1", "Run 2"
        # each run's own settings: "What differs between them" (setting, run 1, run 2)
        page.get_by_text("What differs between them").wait_for(timeout=30_000)
        differ = {r[0]: r[1:] for r in history_rows(page, 1)}
        assert differ["hidden"][1] == "8" and differ["hidden"][0] != "8", differ
    context.close()


def class_code(page) -> str:
    blocks = page.locator('[data-testid="stCode"]')
    blocks.nth(2).wait_for(timeout=30_000)  # the key, the code, the link
    codes = blocks.all_inner_texts()
    return next(c.strip() for c in codes if re.fullmatch(r"[2-9A-Z]{13}", c.strip()))


def join(page, url: str, code: str, name: str) -> None:
    wait_for_app(page, f"{url}/?class={code}&{QUICK}")
    sidebar = page.get_by_test_id("stSidebar")
    box = sidebar.get_by_role("textbox", name="Class code")
    box.wait_for(timeout=30_000)
    assert box.input_value() == code  # the link filled it in
    sidebar.get_by_role("textbox", name="Your name in the class").fill(name)
    sidebar.get_by_role("button", name="Join the class").click()


def test_a_teacher_sees_three_students_runs_and_nobody_else_sees_the_class(lab, browser):
    teacher = browser.new_context(viewport={"width": 1400, "height": 1400}).new_page()
    teacher.goto(f"{lab.url}/teacher")
    teacher.get_by_role("textbox", name="Class name").fill("7B physics")
    teacher.get_by_role("button", name="Create the class").click()
    teacher.get_by_text("Your teacher key").wait_for(timeout=30_000)
    code = class_code(teacher)

    students = []
    for name in ("Ada", "Bob", "<b>Cy</b>"):
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        join(page, lab.url, code, name)
        page.get_by_text("You are in class").wait_for(timeout=30_000)
        train_once(page)
        students.append(page)
    assert students[2].get_by_text("<b>Cy</b>").count() >= 1  # shown as typed, not as markup

    teacher.get_by_role("button", name="Refresh").click()
    teacher.get_by_text("3 runs.").wait_for(timeout=30_000)
    teacher.locator('[data-testid="stMetricValue"]').nth(2).wait_for(timeout=30_000)
    counts = [int(v) for v in teacher.locator('[data-testid="stMetricValue"]').all_inner_texts()]
    assert sum(counts) == 3
    names = {row[0] for row in history_rows(teacher, -1)}
    assert names == {"Ada", "Bob", "<b>Cy</b>"}

    # a fourth browser with a wrong code: no class, no runs
    stranger = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    join(stranger, lab.url, "WRONG" + code[5:], "Eve")
    stranger.get_by_text("No class has this code").wait_for(timeout=30_000)
    assert stranger.get_by_text("You are in class").count() == 0
    assert stranger.get_by_role("heading", name="Your runs").count() == 0

    # a student's link never opens the teacher's page: neither the address nor the code
    spy = students[0]
    spy.goto(f"{lab.url}/teacher?class={code}")
    key = spy.get_by_role("textbox", name="Teacher key")
    key.wait_for(timeout=30_000)
    key.fill(code)
    spy.get_by_role("button", name="Open").click()
    spy.get_by_text("This is not a teacher key").wait_for(timeout=30_000)
    assert spy.locator('[data-testid="stMetricValue"]').count() == 0
    assert spy.get_by_text("Ada").count() == 0

