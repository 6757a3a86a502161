"""The Streamlit layer of the RNN Weather Lab: widgets wired to data_sources, forecast, rnn and
ui. Only app/ (and streamlit_app.py) import streamlit; app/settings.py does not (see
docs/design.md)."""
