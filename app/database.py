"""The server's class database as a page sees it: open, or None while it is down.

Both the lab's class box (app/classroom.py) and the teacher's page (app/teacher.py) read it
from here, so neither page imports the other.
"""

from __future__ import annotations

import time

import streamlit as st

from classroom.store import StorageError, Store, open_store

RETRY_S = 10.0  # a database that failed is asked again at most this often (a down server may
#                 take its connect timeout to answer, and every script run would wait for it)


def store() -> Store | None:
    """The server's store, or None (with the reason kept for the page) while it is down."""
    ss = st.session_state
    if time.monotonic() < ss.get("_store_retry_at", 0.0):
        return None
    try:
        return open_store()
    except StorageError as err:
        ss["_save_error"] = str(err)
        ss["_store_retry_at"] = time.monotonic() + RETRY_S
        return None
