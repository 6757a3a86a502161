"""RNN Weather Lab — the Streamlit UI (placeholder until the dashboard lands)."""

import streamlit as st

st.set_page_config(page_title="RNN Weather Lab", page_icon="🌦️", layout="wide")
st.title("RNN Weather Lab")
st.caption("Does memory beat a network that has none? Train a from-scratch RNN on real weather.")
