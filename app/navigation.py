"""The app's two pages: the lab (the default, at /) and the teacher's page (/teacher)."""

from __future__ import annotations

import streamlit as st

TEACHER_PATH = "teacher"


def lab_page() -> st.Page:
    from app.page import main

    return st.Page(main, title="RNN Weather Lab", icon="🌦️", default=True)


def teacher_page() -> st.Page:
    from app.teacher import main

    return st.Page(main, title="Teacher's page", icon=":material/school:",
                   url_path=TEACHER_PATH)


def run() -> None:
    """Navigation without a menu (position hidden): students see the lab as before, and the
    teacher's page is one link away at the bottom of the sidebar's class box."""
    st.navigation([lab_page(), teacher_page()], position="hidden").run()
