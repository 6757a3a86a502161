"""Keyboard use: the help icons are not Tab stops, a skip link leads past the data controls to
the model settings, and focus comes back to Train after a run.

Every widget's "?" help icon is a Tab stop of its own: from Train to the Hidden size slider a
keyboard user pressed Tab 54 times (issue 25). The icons are taken out of the Tab order (their
text stays a mouse-over, and each widget keeps its label); a MutationObserver keeps it so as
Streamlit redraws the sidebar. The data controls still take a dozen stops (a date range is six:
year, month, day twice), so the first stop after Train is a skip link to Hidden size.
After a run Streamlit redraws the page and focus falls to
<body>: it is put back on Train (on a phone, where the sidebar has closed, on the results).
Small scripts in the page itself (st.html is not iframed), like app/page.py's.
"""

from __future__ import annotations

import streamlit as st

HELP_ICONS_JS = """<script>
(() => { if (window.rwlHelpIcons) return; window.rwlHelpIcons = true;
  // a widget's "?" is a bare button in its label's tooltip target (buttons with help carry a
  // data-testid of their own and stay Tab stops)
  const calm = () => document.querySelectorAll(
      '[data-testid="stTooltipHoverTarget"] > button:not([data-testid]):not([tabindex="-1"])')
    .forEach(el => el.setAttribute("tabindex", "-1"));
  calm();
  new MutationObserver(calm).observe(document.body, {childList: true, subtree: true});
  // the skip link under Train: straight to the Hidden size slider, past the data controls
  document.addEventListener("click", event => {
    const link = event.composedPath().find(el => el.classList
                                             && el.classList.contains("rwl-skip"));
    if (!link) return;
    event.preventDefault();
    const slider = [...document.querySelectorAll(
        '[data-testid="stSidebar"] [data-testid="stSlider"]')]
      .find(s => s.innerText.trim().startsWith("Hidden size"));
    const thumb = slider && slider.querySelector('input[type="range"], [role="slider"]');
    if (thumb) { thumb.focus({preventScroll: true}); thumb.scrollIntoView({block: "center"}); }
  });
})();
</script>"""
# Visually hidden until focused (the usual skip link): the first Tab stop after Train and Stop.
SKIP_LINK = ('<a class="rwl-skip" href="#model-settings">Skip to the model settings '
             "(Hidden size …)</a>")

FOCUS_JS = """<script>
(() => {  // focus Train once it is drawn and enabled; on a phone (sidebar closed) the results
  const until = Date.now() + 4000;
  const put = () => {
    const bar = document.querySelector('[data-testid="stSidebar"]');
    const open = bar && bar.getAttribute("data-collapsed") === "false"
                 && window.innerWidth > 640;
    const train = [...document.querySelectorAll('[data-testid="stSidebar"] button')]
      .find(b => b.innerText.trim() === "Train");
    const results = document.getElementById("rwl-results");
    if (open && train && !train.disabled) { train.focus({preventScroll: true}); }
    else if (!open && results) { results.setAttribute("tabindex", "-1");
                                 results.focus({preventScroll: true}); }
    const done = document.activeElement === train || document.activeElement === results;
    if (!done && Date.now() < until) setTimeout(put, 200);
  };
  setTimeout(put, 300);
})();
</script><!-- run {run} -->"""


def keyboard_helpers() -> None:
    """The help icons out of the Tab order (sent every run: the script itself runs once)."""
    st.html(HELP_ICONS_JS, unsafe_allow_javascript=True)


def skip_link(container) -> None:
    """The skip link, drawn into ``container`` (the Train row)."""
    container.html(SKIP_LINK)


def focus_after_run(number: int) -> None:
    """Once per run: focus back on Train (or the results on a phone)."""
    ss = st.session_state
    if ss.get("_focused_run") == number:
        return
    ss["_focused_run"] = number
    st.html(FOCUS_JS.replace("{run}", str(number)), unsafe_allow_javascript=True)
