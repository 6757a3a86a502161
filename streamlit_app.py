"""RNN Weather Lab — the Streamlit entry point (`streamlit run streamlit_app.py`).

Pick a city, load its real daily weather, train an Elman RNN written from scratch in NumPy and see
whether its memory beats a network that has none. The pages live in the app/ package: the lab
(app/page.py draws it in order) and the teacher's page (app/teacher.py), put together by
app/navigation.py; see docs/design.md for the layout.
"""

import streamlit as st

st.set_page_config(page_title="RNN Weather Lab", page_icon="🌦️", layout="wide")

from app.navigation import run  # noqa: E402 — set_page_config must be the first Streamlit call

run()
