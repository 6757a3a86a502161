"""The app's two pages: the lab (the default, at /) and the teacher's page (/teacher)."""

from __future__ import annotations

import streamlit as st

import ui
from app import page, teacher


def run() -> None:
    """Navigation without a menu (position hidden): students see the lab as before, and the
    teacher's page is one link away at the bottom of the sidebar's class box. The lab is given
    the teacher's page for that link, so neither page imports the other."""
    teacher_page = teacher.page()

    def lab() -> None:
        page.main(teacher_page)

    home = st.Page(lab, title="RNN Weather Lab", icon="🌦️", default=True)
    st.html(ui.theme.PAGE_CSS)  # readable captions and chart labels on both pages, light and dark
    st.navigation([home, teacher_page], position="hidden").run()
