"""Every way read_csv refuses a file: name -> (file bytes, words its message must contain).
Checked one by one in tests/data_sources/test_csv_rejections.py, two of them through the page."""

from __future__ import annotations

import gzip

from tests.helpers.weather import csv_bytes


def _rows(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data)


DAYS_40 = csv_bytes(40)
# name -> (file bytes, words the message must contain). Every way read_csv refuses a file.
BAD_CSVS = {
    "empty file": (b"", "empty"),
    "only blank lines": (b"\n\n  \n", "empty"),
    "gzip inside a .csv": (_gzip(DAYS_40), "compressed"),
    "zip archive": (b"PK\x03\x04" + b"\x00" * 40, "compressed"),
    "binary with NUL bytes": (b"date,temp\n\x00\x01\x02", "binary"),
    "control characters": (b"date,temp\n2020-01-01,\x07\x08\n", "control characters"),
    "no date column": (_rows(["when,temp", "2020-01-01,3"]), "No date column"),
    "no temperature column": (_rows(["date,rain", "2020-01-01,3"]), "No temperature column"),
    "header only": (b"date,temp\n", "no data rows"),
    "empty date": (_rows(["date,temp", "2020-01-01,3", ",4"]), "date in column 'date' is empty"),
    "not a date": (_rows(["date,temp", "2020-01-01,3", "yesterday,4"]), "is not a date"),
    "ambiguous day/month": (_rows(["date,temp"] + [f"{m:02d}/01/2020,{m}" for m in range(1, 13)]),
                            "both as day/month and as month/day"),
    "hourly rows": (_rows(["date,temp", "2020-01-01 10:00,3", "2020-01-01 11:00,4"]),
                    "time of day"),
    "duplicated day": (_rows(["date,temp", "2020-01-01,3", "2020-01-02,3", "2020-01-02,4"]),
                       "appears more than once"),
    "temperature not a number": (_rows(["date,temp", "2020-01-01,warm"]), "is not a number"),
    "infinite temperature": (_rows(["date,temp", "2020-01-01,inf"]), "is not a number"),
    # 40 days, so the values are judged (a file too short hears of that first); -130 is no
    # weather in °C nor in °F (-90 °C). A °F file answered as °C: tests/app/test_upload_units.py.
    "implausibly cold": (csv_bytes(40, temp=[-130] + [3] * 39), "not a plausible"),
    "ragged rows": (_rows(["date,temp", "2020-01-01,3,4,5"]), "more values than the header"),
    "unclosed quote": (b'date,temp\n2020-01-01,"3\n2020-01-02,4\n',
                       'quotation mark (") on line 2 is never closed'),
    "too many rows": (csv_bytes(60_001, start="1850-01-01"), "limit is 60,000"),
    "dates spanning 250 years": (
        _rows(["date,temp"] + [f"{1750 + y}-01-01,5" for y in range(0, 250, 8)]), "limit is"),
    "too few days (20)": (csv_bytes(20), "at least 30"),
    "all-missing target": (csv_bytes(60, temp=[""] * 60), "Only 0 days"),
    "over the size cap (11 MB)": (b"date,temp\n" + b"2020-01-01,3\n" * 900_000, "limit is 10 MB"),
}
