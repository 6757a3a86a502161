"""Runs that last, and the class a student joins: the page's side of classroom/store.py.

A browser is known by a random id in a cookie (128 bits from `secrets`, nothing personal); its
finished runs, its class and the settings it was on are kept in the database, so a reload or a
server restart brings them back. Saving never stands in training's way: a run that could not be
saved stays in the session's history, with a message, and is saved again on a later script run
(at most every RETRY_S seconds) once the database is back — under the same UUID, so once.
"""

from __future__ import annotations

import re
import secrets
import time
from typing import Any

import streamlit as st

from app.database import RETRY_S, store
from app.history import show_history
from app.keep import run_record, summary_from_record
from app.loaders import sample_catalogue
from app.settings import Settings, link_params, settings_from_query
from app.text import markdown_text
from classroom.schema import NAME_CHARS
from classroom.store import StorageError, normal_code

COOKIE = "rnn_lab_browser"
COOKIE_DAYS = 365
ID_PATTERN = re.compile(r"[0-9a-f]{32}")
SET_COOKIE_JS = """<script>document.cookie = "{name}={value}; path=/; max-age={age}; \
SameSite=Lax";</script><!-- {value} -->"""


def browser_id() -> str:
    """This browser's random id: from its cookie, else a new one (the cookie is set by
    set_cookie_once, so the next visit — a reload, tomorrow — finds the same history)."""
    ss = st.session_state
    if "_browser_id" not in ss:
        try:
            cookie = str(st.context.cookies.get(COOKIE) or "")
        except Exception:  # no browser behind this session (AppTest): a new id
            cookie = ""
        if ID_PATTERN.fullmatch(cookie):
            ss["_browser_id"] = cookie
        else:
            ss["_browser_id"] = secrets.token_hex(16)
            ss["_set_cookie"] = True
    return str(ss["_browser_id"])


def set_cookie_once() -> None:
    if st.session_state.pop("_set_cookie", False):
        st.html(SET_COOKIE_JS.format(name=COOKIE, value=browser_id(),
                                     age=COOKIE_DAYS * 86400), unsafe_allow_javascript=True)


def restore_session() -> None:
    """At a session's start: the runs this browser finished before, its class, and the settings
    it was on (unless the address carries another link's settings: then the link wins)."""
    ss = st.session_state
    bid = browser_id()
    params = st.query_params.to_dict()
    if params.get("class"):  # a class link: the join form opens with its code
        ss["_class_link_code"] = normal_code(params["class"])
    ss["_recorded"] = 0
    db = store()
    if db is None:
        return
    try:
        rows = db.browser_runs(bid)
        info, name = db.membership(bid)
        state = db.state(bid)
    except StorageError as err:
        ss["_save_error"] = str(err)
        return
    ss["runs"] = [summary_from_record(row, n) for n, row in enumerate(rows, start=1)]
    ss["_recorded"] = len(ss["runs"])
    if len(ss["runs"]) >= 2:
        ss["compare_a"], ss["compare_b"] = len(ss["runs"]) - 1, len(ss["runs"])
    if info is not None:
        ss["_class"] = {"id": info.id, "code": info.code, "name": info.name, "me": name}
    link = {k: v for k, v in params.items() if k != "class"}
    if state and (not link or link == state.get("url")):
        values, _notes = settings_from_query(state.get("settings") or {},
                                             [s["id"] for s in sample_catalogue()])
        ss.update(values)


def remember_settings(settings: Settings | None, units: str, df: Any = None) -> None:
    """Keep the settings this browser is on (when they change), for the next reload; and the
    data's description with them (the report names a run's source and licence from it)."""
    ss = st.session_state
    if settings is None:
        return
    ss["_data_described"] = (settings, dict(getattr(df, "attrs", {}) or {}))
    kept = link_params(settings, units, ss.get("city_query", ""), ss.get("city_pick", 0))
    if kept == ss.get("_kept_settings"):
        return
    db = store()
    if db is None:
        return
    url = {k: v for k, v in st.query_params.to_dict().items() if k != "class"}
    try:
        db.save_state(browser_id(), {"settings": kept, "url": url})
        ss["_kept_settings"] = kept
    except StorageError as err:
        ss["_save_error"] = str(err)


def keep_finished_runs() -> None:
    """After a job's Run joined the history: queue its record and save what is waiting."""
    ss = st.session_state
    runs = ss.get("runs") or []
    last = ss.get("last_run")
    data = ss.get("data")
    stations = (getattr(data, "attrs", {}) or {}).get("stations") or []
    station = str(stations[0].get("id")) if stations and isinstance(stations[0], dict) else None
    for summary in runs[ss.get("_recorded", 0):]:
        run = last if last is not None and last.number == summary.number else None
        ss.setdefault("_unsaved", []).append(run_record(summary, run, browser_id(), station))
    ss["_recorded"] = len(runs)
    save_waiting()


def save_waiting() -> None:
    ss = st.session_state
    waiting: list[dict[str, Any]] = ss.get("_unsaved") or []
    if not waiting:
        return
    db = store()
    if db is None:
        return
    try:
        while waiting:
            outcome = db.save_run(waiting[0])
            waiting.pop(0)
            if outcome == "class full":
                ss["_class_note"] = ("Your class has reached its limit of saved runs: this run "
                                     "is kept for you, not for the class.")
    except StorageError as err:
        ss["_save_error"] = str(err)
        ss["_store_retry_at"] = time.monotonic() + RETRY_S
        return
    if ss.pop("_save_error", None):
        ss["_saved_again"] = True


def show_save_status() -> None:
    ss = st.session_state
    waiting = len(ss.get("_unsaved") or [])
    if ss.get("_save_error") and waiting:
        runs = "run is" if waiting == 1 else f"{waiting} runs are"
        st.warning(f"Saving failed: {markdown_text(ss['_save_error'])}. Training still works; "
                   f"the {runs} kept in this session's history and will be saved as soon as "
                   "the database is back.", icon=":material/cloud_off:")
    elif ss.pop("_saved_again", False):
        st.success("The database is back: every waiting run is saved.",
                   icon=":material/cloud_done:")
    if note := ss.pop("_class_note", None):
        st.info(note)
    if ss.get("_class_link_code") and not ss.get("_class"):
        st.info("You opened a class link: type your name under **Class and saved runs** at the "
                "bottom of the sidebar and press **Join the class**; every run you finish then "
                "joins your class.", icon=":material/school:")


def class_panel(teacher_page: st.Page | None = None) -> None:
    """The sidebar's class box: join with a code and a name, or who you are in which class;
    a link to ``teacher_page`` (given by app/navigation.py, so this page never imports it)."""
    ss = st.session_state
    joined = ss.get("_class")
    link_code = ss.get("_class_link_code", "")
    with st.sidebar.expander("Class and saved runs", expanded=bool(link_code)):
        if joined:
            st.markdown(f"You are in class **{markdown_text(joined['name'])}** as "
                        f"**{markdown_text(joined['me'] or '')}**: every run you finish "
                        "joins it.")
            if st.button("Leave the class", key="class_leave"):
                leave_class()
        else:
            with st.form("class_join", border=False):
                code = st.text_input("Class code", value=link_code, key="class_code",
                                     max_chars=20, help="From your teacher's link or board.")
                name = st.text_input("Your name in the class", key="class_name",
                                     max_chars=NAME_CHARS,
                                     help="Any name your teacher will recognise; nothing else "
                                          "about you is kept.")
                if st.form_submit_button("Join the class") and join_class(code, name):
                    st.rerun()  # the box now says which class, under which name
            if err := ss.get("_join_error"):
                st.error(err)
        st.caption("Your finished runs and settings are kept on this server under a random id "
                   "in a cookie of this browser, so a reload brings them back.")
        if not ss.get("_confirm_forget"):
            if st.button("Delete my saved runs", key="forget_me"):
                ss["_confirm_forget"] = True
                st.rerun()
        else:
            st.warning("Delete every run this browser saved (in your class too) and its "
                       "settings? This cannot be undone.")
            yes, no = st.columns(2)
            if yes.button("Delete", key="forget_me_yes", type="primary"):
                forget_me()
                ss.pop("_confirm_forget", None)
                st.rerun()
            if no.button("Cancel", key="forget_me_no"):
                ss.pop("_confirm_forget", None)
                st.rerun()
        if teacher_page is not None:
            st.page_link(teacher_page, label="Teacher's page", icon=":material/school:")


def join_class(code: str, name: str) -> bool:
    """Join the class of ``code``; False with the reason kept for the box."""
    ss = st.session_state
    ss.pop("_join_error", None)
    if not name.strip():
        ss["_join_error"] = "Type a name your teacher will recognise."
        return False
    db = store()
    if db is None:
        ss["_join_error"] = "The class cannot be reached right now; try again in a minute."
        return False
    try:
        info = db.join(browser_id(), code, name)
        member = db.membership(browser_id())[1] if info is not None else None
    except StorageError as err:
        ss["_join_error"] = f"Joining failed: {err}."
        return False
    if info is None:
        ss["_join_error"] = "No class has this code: check it with your teacher."
        return False
    ss["_class"] = {"id": info.id, "code": info.code, "name": info.name, "me": member}
    return True


def leave_class() -> None:
    ss = st.session_state
    db = store()
    try:
        if db is not None:
            db.leave(browser_id())
            ss.pop("_class", None)
    except StorageError as err:
        ss["_join_error"] = f"Leaving failed: {err}."


def forget_me() -> None:
    ss = st.session_state
    db = store()
    try:
        if db is not None:
            db.forget_browser(browser_id())
    except StorageError as err:
        ss["_join_error"] = f"Deleting failed: {err}."
        return
    ss.update(runs=[], last_run=None, _recorded=0, _unsaved=[])
    ss.pop("_class", None)


def show_earlier_runs() -> None:
    """The history kept from before a reload or a restart (no charts: those need a new run)."""
    st.subheader("Your runs")
    st.caption("Kept from before: the settings you were on are back in the sidebar; press "
               "**Train** to see a run's charts again.")
    show_history()
