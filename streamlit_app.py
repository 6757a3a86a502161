"""RNN Weather Lab — the Streamlit entry point (`streamlit run streamlit_app.py`).

Pick a city, load its real daily weather, train an Elman RNN written from scratch in NumPy and see
whether its memory beats a network that has none. The page itself lives in the app/ package
(app/page.py draws it in order); see docs/design.md for the layout.
"""

import streamlit as st

st.set_page_config(page_title="RNN Weather Lab", page_icon="🌦️", layout="wide")

from app.page import main  # noqa: E402 — set_page_config must be the first Streamlit call

main()
