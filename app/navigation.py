"""The app's two pages: the lab (the default, at /) and the teacher's page (/teacher)."""

from __future__ import annotations

import streamlit as st

import ui
from app import page, teacher


def run() -> None:
    """Navigation without a menu (position hidden): students see the lab as before, and the
    teacher's page is one link away at the bottom of the sidebar's class box."""
    lab = st.Page(page.main, title="RNN Weather Lab", icon="🌦️", default=True)
    st.html(ui.theme.PAGE_CSS)  # readable captions and chart labels on both pages, light and dark
    st.navigation([lab, teacher.page()], position="hidden").run()
