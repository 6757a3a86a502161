"""The steps a live fetch reports while it runs, and their labels.

``fetch_meteostat(..., on_step=...)`` calls ``on_step(label, k, n)`` before each bounded step:
k of n for counted steps (a station's years), else None and None. The app shows the label.
"""

from __future__ import annotations

from collections.abc import Callable

# Progress: on_step(label, k, n) before each bounded step; k of n for counted steps, else None.
OnStep = Callable[[str, "int | None", "int | None"], None]

FINDING_STATIONS = "Finding weather stations near the place"
READING_INVENTORY = "Reading the stations' inventory"


def no_progress(label: str, k: int | None, n: int | None) -> None:
    """The ``on_step`` of a caller that does not show progress."""


def downloading_year(station_name: str, station_id: str, k: int, n: int) -> str:
    return f"Downloading {station_name} ({station_id}): year {k} of {n}"


def filling_gaps(year: int, station_name: str) -> str:
    return f"Filling gaps of {year} from {station_name}'s hourly observations"
