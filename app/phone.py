"""Feedback where a phone's user is looking (issue 25).

On a phone (≤ 640 px) the open sidebar covers the page, so a message answering a sidebar input —
"Did you mean Chicago?", "Meteostat cannot be reached", a CSV error — appeared behind it and
nothing seemed to happen. Such a message is drawn with ``say``: on a phone the sidebar closes
and the message scrolls into view; on a wider screen nothing moves. Each message does this once
while it stays on the page (not again on every rerun that keeps drawing it).
"""

from __future__ import annotations

import streamlit as st

PHONE_MAX_PX = 640  # app/page.py's CLOSE_SIDEBAR_JS uses the same width for "a phone"
REVEAL_JS = """<div id="rwl-note-{n}" style="scroll-margin-top: 4.5rem"></div><script>
(() => {{ if (window.innerWidth > {phone}) return;
  const bar = document.querySelector('[data-testid="stSidebar"]');
  const close = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
  if (bar && bar.getAttribute("data-collapsed") === "false" && close) close.click();
  const go = () => document.getElementById("rwl-note-{n}")
    ?.scrollIntoView({{behavior: "instant", block: "start"}});
  setTimeout(go, 400); setTimeout(go, 1000); }})();
</script>"""


def new_run() -> None:
    """At the start of every script run: the messages of the last run are "already shown"."""
    ss = st.session_state
    ss["_said_before"] = ss.pop("_said_now", set())


def reveal(message: str) -> None:
    """Before drawing ``message`` in the main area: on a phone, close the sidebar and bring
    the message into view — once, not on every rerun that draws it again."""
    ss = st.session_state
    ss.setdefault("_said_now", set()).add(message)
    if message in ss.get("_said_before", set()):
        return
    ss["_reveals"] = ss.get("_reveals", 0) + 1
    st.html(REVEAL_JS.format(n=ss["_reveals"], phone=PHONE_MAX_PX),
            unsafe_allow_javascript=True)


def say(kind: str, message: str, **kwargs) -> None:
    """``st.error`` / ``st.warning`` / ``st.info`` (``kind``) of an answer to a sidebar input,
    revealed on a phone."""
    reveal(message)
    getattr(st, kind)(message, **kwargs)
