"""Work done only for what is on screen: tabs and expanders whose content runs only when open.

By default Streamlit runs the content of every tab and every expander on every script run, shown
or not: with results on screen that was six tabs of charts and tables built for one visible tab.
With state tracking (``on_change="rerun"``) a tab or an expander knows whether it is open; the
content of a closed one is not built at all, and opening it reruns the page, which builds it then
(once per run: app/built.py keeps what it built). Its key holds the state, so a test opens one
with ``at.session_state[key] = label`` (tabs) or ``= True`` (an expander).

A widget that is not drawn in a run loses its state in Streamlit, so the choices made inside a
closed tab (the models drawn, the range level, the runs compared) are re-saved by ``keep`` on
every run: a trip to another tab and back finds them as they were.

    for (tab, shown), draw in zip(lazy.tabs(["A", "B"], key="results_tab"), (draw_a, draw_b)):
        with tab:
            if shown:
                draw()
    with lazy.expander("Details", key="details") as shown:
        if shown:
            ...
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import streamlit as st


def tabs(labels: Sequence[str], key: str) -> list[tuple[Any, bool]]:
    """Each tab with whether it is the one shown (the first until a person picks another)."""
    return [(tab, bool(tab.open)) for tab in st.tabs(list(labels), key=key, on_change="rerun")]


@contextmanager
def expander(label: str, key: str, where: Any = None, **kwargs: Any) -> Iterator[bool]:
    """An expander (in ``where``: the sidebar, a column; None: here) that says whether it is
    open; build its content only then."""
    box = (st if where is None else where).expander(label, key=key, on_change="rerun", **kwargs)
    with box:
        yield bool(box.open)


def keep(*keys: str) -> None:
    """Re-save these widgets' values, so they survive runs in which they are not drawn (a closed
    tab, another data source: Streamlit's documented pattern for widgets not always drawn)."""
    ss = st.session_state
    for key in keys:
        if key in ss:
            ss[key] = ss[key]
