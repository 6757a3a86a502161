"""Work done once per run, not once per rerun.

Every widget a person moves reruns the whole script, and with results on screen most of a
rerun's CPU went into building the same Altair charts again: Altair validates each chart against
the Vega-Lite JSON schema when it turns it into a spec (about 0.06 s a chart, ten charts on the
results page). Here a chart is built and turned into its Vega-Lite spec once — its data already
packed as Arrow, exactly what ``st.altair_chart`` would send — and kept in the session for as long
as the same thing is on screen; a rerun only sends the kept spec (``st.vega_lite_chart``).

The spec is made without Altair's schema validation, which was half of building a results page
(measured with AppTest, the default run's results page: 0.90 s of CPU validated, 0.46 s not):
the charts are fixed code, and tests/ui validates every one of them against the schema.

``once(slot, owner, key, make)`` keeps one value per slot: it is rebuilt when the slot's owner
(compared by identity: a Run, a DataFrame) or its key (units, target, ...) changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

import ui

TO_SPEC: Callable[[Any], dict] | None
try:  # the converter st.altair_chart itself calls (streamlit is pinned in requirements.txt)
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec as TO_SPEC
except ImportError:  # pragma: no cover - another Streamlit: draw the Altair chart each time
    TO_SPEC = None

ui.skip_part_checks()  # nor each part of a chart as it is made (Altair's "debug mode")

MEMO = "_built_once"  # session-state key: slot -> (owner, key, value)


def once(slot: str, owner: object, key: object, make: Callable[[], Any]) -> Any:
    """make() the first time for this owner and key, the kept value after that."""
    memo = st.session_state.setdefault(MEMO, {})
    held = memo.get(slot)
    if held is None or held[0] is not owner or held[1] != key:
        held = memo[slot] = (owner, key, make())
    return held[2]


def fingerprint(df: pd.DataFrame) -> tuple:
    """Stands for a DataFrame's content (a loader hands out a fresh copy on every rerun)."""
    return (int(pd.util.hash_pandas_object(df).to_numpy().sum()), tuple(df.columns),
            str(df.attrs.get("name")))


class _Unvalidated:
    """Hands Streamlit's converter the chart's spec without schema validation."""

    def __init__(self, chart: Any):
        self.chart = chart

    def to_dict(self) -> dict:
        return self.chart.to_dict(validate=False)


def frozen(chart: Any) -> Any:
    """An Altair chart as the Vega-Lite spec Streamlit sends (built once, drawn many times)."""
    return TO_SPEC(_Unvalidated(chart)) if TO_SPEC is not None else chart


def draw(spec: Any, where: Any = None, **kwargs: Any) -> None:
    """Draw a kept spec (or, without the converter, the Altair chart itself) into ``where``
    (a column or container; None: the current one)."""
    where = st if where is None else where
    kwargs.setdefault("width", "stretch")
    if isinstance(spec, dict):
        where.vega_lite_chart(spec, **kwargs)
    else:  # pragma: no cover - see TO_SPEC
        where.altair_chart(spec, **kwargs)


def chart(slot: str, owner: object, key: object, make: Callable[[], Any], where: Any = None,
          **kwargs: Any) -> None:
    """Build the chart once for this owner and key, draw it on every rerun."""
    draw(once(slot, owner, key, lambda: frozen(make())), where, **kwargs)
