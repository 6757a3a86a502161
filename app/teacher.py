"""The teacher's page (/teacher): create a class, open it with the teacher key, and see what the
class found — its runs, how many found the RNN better / too close to call / worse than the
network without memory (or could not tell, from one repeat) on which data and settings, the
best settings so far for each data set, a CSV, and a button that deletes the class and all
its runs.

Only the teacher key (192 bits; the database keeps its hash) opens a class here; a student's
class code does not, and the page shows nothing of any class before the key is given.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.database import store
from app.history import data_name
from app.keep import settings_from_record, stored_finding
from app.text import markdown_text
from classroom.store import StorageError, Store
from ui.charts_class import VERDICT_WORDS, verdict_counts_chart

SETTINGS_SHOWN = ("window", "hidden", "activation", "lr", "epochs", "seeds", "seed")
URL_PATH = "teacher"


def page() -> st.Page:
    """This page for st.navigation and for the class box's link to it."""
    return st.Page(main, title="Teacher's page", icon=":material/school:", url_path=URL_PATH)


def main() -> None:
    st.title("Teacher's page")
    db = store()
    if db is None:
        st.error("The class database cannot be reached right now; reload this page in a "
                 "minute.")
        return
    ss = st.session_state
    if ss.get("_teacher_class") is None:
        open_or_create(db)
        return
    try:
        show_class(db, ss["_teacher_class"])
    except StorageError as err:
        st.error(f"The class could not be read: {markdown_text(err)}. Reload in a minute.")


def open_or_create(db: Store) -> None:
    st.caption("Students join from the lab with the class code; this page opens with the "
               "teacher key you got when you created the class.")
    left, right = st.columns(2)
    with left.form("teacher_open"):
        st.markdown("**Open your class**")
        key = st.text_input("Teacher key", type="password", key="teacher_key")
        if st.form_submit_button("Open"):
            try:
                info = db.class_by_teacher_key(key.strip()) if key.strip() else None
            except StorageError as err:
                st.error(f"The class could not be opened: {markdown_text(err)}. Try again in a "
                         "minute.")
            else:
                if info is None:
                    st.error("This is not a teacher key. (A class code, which students use, "
                             "does not open this page.)")
                else:
                    st.session_state["_teacher_class"] = {"id": info.id, "code": info.code,
                                                          "name": info.name}
                    st.rerun()
    with right.form("teacher_create"):
        st.markdown("**Create a class**")
        name = st.text_input("Class name", key="teacher_class_name", max_chars=80,
                             placeholder="e.g. 7B physics, Tuesday")
        if st.form_submit_button("Create the class"):
            try:
                new = db.create_class(name)
            except StorageError as err:
                st.error(f"The class could not be created: {markdown_text(err)}. Try again in "
                         "a minute.")
            else:
                st.session_state["_teacher_class"] = {"id": new.info.id, "code": new.info.code,
                                                      "name": new.info.name}
                st.session_state["_teacher_new_key"] = new.teacher_key
                st.rerun()


def student_link(code: str) -> str:
    """The lab's address with ?class=CODE (this page's own address, /teacher taken off)."""
    try:
        url = str(st.context.url or "")
    except Exception:  # no browser behind this session (AppTest)
        url = ""
    base = url.split("?")[0].rstrip("/")
    if base.endswith("/teacher"):
        base = base[: -len("/teacher")]
    return f"{base}/?class={code}"


def show_class(db: Store, cls: dict) -> None:
    ss = st.session_state
    st.subheader(f"Class {markdown_text(cls['name'])}")
    if key := ss.get("_teacher_new_key"):
        st.warning("Your **teacher key** — keep it somewhere safe: it is the only way back to "
                   "this page, and it is shown only now.", icon=":material/key:")
        st.code(key, language=None)
    st.markdown("**Class code for students** (they type it in the lab's sidebar, under "
                "“Class and saved runs”), or give them this link:")
    st.code(cls["code"], language=None)
    st.code(student_link(cls["code"]), language=None)
    rows = db.class_runs(cls["id"])
    table = runs_table(rows)
    if table.empty:
        st.info("No runs yet: every run a student finishes after joining appears here.")
    else:
        show_findings(table)
    if st.button("Refresh", key="teacher_refresh", icon=":material/refresh:"):
        ss.pop("_teacher_new_key", None)
    delete_box(db, cls)
    if st.button("Close this class's page", key="teacher_close"):
        ss.pop("_teacher_class", None)
        ss.pop("_teacher_new_key", None)
        st.rerun()


def runs_table(rows: list[dict]) -> pd.DataFrame:
    """One row per run, in words; shown by st.dataframe (text, never markup) and exported."""
    out = []
    for row in rows:
        settings = settings_from_record(row["settings"])
        out.append({
            "Student": row["display_name"] or "",
            "Run": row["number"],
            "Data": data_name(settings),
            "Target": row["target"],
            "Period": f"{row['period_start']} – {row['period_end']}",
            **{name.capitalize() if name != "lr" else "Learning rate": getattr(settings, name)
               for name in SETTINGS_SHOWN},
            "RNN MAE (°C)": row["mae_rnn"],
            "Memoryless MAE (°C)": row["mae_dense"],
            "RNN vs memoryless": VERDICT_WORDS.get(stored_finding(row) or "", "not compared"),
            "Seconds": round(float(row["duration_s"]), 1),
            "verdict": stored_finding(row),
        })
    return pd.DataFrame(out)


def group_label(row: pd.Series) -> str:
    return (f"{row['Data']} · {row['Target']} · window {row['Window']}, hidden {row['Hidden']}, "
            f"{row['Activation']}, lr {row['Learning rate']:g}, {row['Epochs']} epochs")


def show_findings(table: pd.DataFrame) -> None:
    counts = table["verdict"].value_counts()
    cols = st.columns(len(VERDICT_WORDS))
    for col, (verdict, words) in zip(cols, VERDICT_WORDS.items(), strict=True):
        col.metric(words[0].upper() + words[1:], int(counts.get(verdict, 0)))
    st.caption(f"{len(table)} runs. Each compares the RNN with the network without memory on "
               "the same test days: better or worse only when the whole 95 % interval of the "
               "difference is on one side of zero; from one repeat it cannot tell.")
    grouped = table.assign(group=table.apply(group_label, axis=1))
    st.altair_chart(verdict_counts_chart(grouped), width="stretch")
    st.markdown("**Best settings so far** for each data set (lowest RNN error on the same data, "
                "target and period)")
    st.dataframe(best_settings(table).drop(columns=["verdict"]), hide_index=True,
                 width="stretch")
    st.caption("Errors on different data or periods do not compare: a mild, steady climate "
               "gives small errors whatever the settings. Compare rows only within a data set.")
    st.markdown("**Every run**")
    shown = table.drop(columns=["verdict"])
    st.dataframe(shown, hide_index=True, width="stretch")
    st.download_button("Download the runs (CSV)", csv_bytes(shown), file_name="class-runs.csv",
                       mime="text/csv", key="teacher_csv")


def best_settings(table: pd.DataFrame) -> pd.DataFrame:
    """The run with the lowest RNN MAE in each (data, target, period): the same weather and
    about the same test days, so their errors compare; never one ranking across data sets."""
    return (table.dropna(subset=["RNN MAE (°C)"]).sort_values("RNN MAE (°C)", kind="stable")
            .groupby(["Data", "Target", "Period"], sort=False).head(1)
            .sort_values(["Data", "Target", "Period"], kind="stable"))


def csv_bytes(table: pd.DataFrame) -> bytes:
    """CSV with names that a spreadsheet would read as formulas (=, +, -, @) made text."""
    safe = table.copy()
    for column in safe.columns:
        safe[column] = safe[column].map(
            lambda v: "'" + v if isinstance(v, str) and v[:1] in "=+-@\t\r" else v)
    return safe.to_csv(index=False).encode()


def delete_box(db: Store, cls: dict) -> None:
    ss = st.session_state
    if not ss.get("_teacher_confirm_delete"):
        if st.button("Delete this class and all its runs", key="teacher_delete",
                     icon=":material/delete:"):
            ss["_teacher_confirm_delete"] = True
            st.rerun()
        return
    st.error(f"Delete class **{markdown_text(cls['name'])}** and every run in it? This cannot "
             "be undone; students keep their own runs' history only in their open tabs.")
    yes, no = st.columns(2)
    if yes.button("Yes, delete the class", key="teacher_delete_yes", type="primary"):
        gone = db.delete_class(cls["id"])
        for key in ("_teacher_class", "_teacher_new_key", "_teacher_confirm_delete"):
            ss.pop(key, None)
        st.success(f"Class deleted with its {gone} runs.")
    if no.button("Cancel", key="teacher_delete_no"):
        ss.pop("_teacher_confirm_delete", None)
        st.rerun()
