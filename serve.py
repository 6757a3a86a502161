"""The lab's server: `streamlit run serve.py` serves the page script streamlit_app.py, with
Streamlit's own JavaScript bundles sent from memory and compressed once (app/bundles.py): a
page opened costs the server about a third of the CPU it did."""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from streamlit import file_util

from app.bundles import StaticBundles

# Streamlit's frontend: index.html at the top, the hashed bundles under static/
BUNDLES = Path(file_util.get_static_dir()) / "static"

BASE = st.get_option("server.baseUrlPath").strip("/")  # a lab served under a path prefix
PREFIX = f"/{BASE}/static/" if BASE else "/static/"

app = st.App("streamlit_app.py",
             middleware=[Middleware(StaticBundles, root=BUNDLES, prefix=PREFIX)])
