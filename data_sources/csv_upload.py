"""Read and validate a person's own daily weather CSV into the common shape.

Accepted: a header row; a date column (``date``, or ``time``/``datetime``/``day``); a temperature
column ``temp`` (or Meteostat's export name ``tavg``, or "Temperature (F)", "temp_c",
"Température": data_sources/csv_headers.py reads names and units), or ``tmin`` and ``tmax``
(then ``temp`` is derived as their mean and ``attrs["derived"]`` says so), or ``tmax`` alone
(then the target is ``tmax``). Optional: ``tmin``, ``tmax``, ``rhum``, ``prcp``, ``wspd``,
``pres`` (in Meteostat's units, or in a unit the header names: "Wind (mph)"); other columns are
not used and listed in ``attrs["ignored_columns"]``, with why in ``attrs["ignored_reasons"]``.
Comma, semicolon or tab separated; UTF-8 (or Windows-1252) text.

Numbers may use a decimal comma ("12,5", as European exports do with ``;`` separators).

Units: a unit in a temperature header ("Tmax (°F)", "temp_c") decides; otherwise
``fahrenheit=False`` reads temperatures as °C, ``True`` as °F (converted to °C), ``None``
(the default: not stated) decides from the values — plausible only as °C: read as °C;
plausible as both (e.g. 5–25: a mild spring in °C or a cold winter in °F): ``DataError`` with
``ask_fahrenheit=True`` asking which; plausible only as °F (e.g. a January of 30–57): a
``DataError`` saying so, with ``ask_fahrenheit`` and ``likely_fahrenheit`` True. Anything wrong
raises ``DataError`` with a message naming the line and column; no other exception leaves
``read_csv``.
"""

from __future__ import annotations

import io
import os
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .csv_headers import map_headers
from .csv_units import file_line as _line  # the file line of a data row
from .csv_units import to_celsius, unit_from_values
from .errors import DataError
from .shape import COLUMNS, MIN_DAYS, TEMPERATURE_COLUMNS, common_frame

MAX_BYTES = 10 * 1024 * 1024  # 10 MB: far more than 150 years of daily rows
MAX_ROWS = 60_000  # rows in the file, and calendar days spanned (~164 years)

DATE_FORMATS = ("%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y", "%m-%d-%Y")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_csv(path_or_file, fahrenheit: bool | None = None,
             temperature_column: str | None = None) -> pd.DataFrame:
    """Parse a daily weather CSV (str/Path, bytes, or a binary/text file-like object, e.g.
    Streamlit's UploadedFile) into the common shape, or raise DataError explaining why not.
    ``fahrenheit``: True °F, False °C, None not stated (see the module docstring); a unit in a
    header wins. ``temperature_column``: the header the person picked as the daily mean
    temperature (offered when none is recognised: ``DataError.columns``)."""
    try:
        raw, name = _read_bytes(path_or_file)
        return _parse(raw, name, fahrenheit, temperature_column)
    except DataError:
        raise
    except Exception as error:  # a parser surprise must still reach the person as a message
        raise DataError(
            f"This file could not be read as a daily weather CSV ({type(error).__name__}: "
            f"{error}). Expected a header row with a 'date' column and a 'temp' column."
        ) from error


def _read_bytes(source) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source[: MAX_BYTES + 1])
        name = "uploaded data"
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise DataError(f"There is no file at {str(path)!r}.")
        if path.stat().st_size > MAX_BYTES:
            raise DataError(_too_big(path.stat().st_size))
        data = path.read_bytes()
        name = path.name
    elif hasattr(source, "read"):
        if hasattr(source, "seek"):
            try:
                source.seek(0)
            except (OSError, ValueError):
                pass
        data = source.read(MAX_BYTES + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(data, (bytes, bytearray)):
            raise DataError("The uploaded object did not give any bytes to read.")
        data = bytes(data)
        name = str(getattr(source, "name", "") or "uploaded file")
    else:
        raise DataError(
            f"Cannot read a {type(source).__name__}: give a file path, bytes or an open file."
        )
    if len(data) > MAX_BYTES:
        raise DataError(_too_big(len(data)))
    return data, Path(name).name or name


def _too_big(n_bytes: int) -> str:
    return (
        f"The file is {n_bytes / 1e6:.1f} MB; the limit is {MAX_BYTES / 1024 / 1024:.0f} MB "
        f"(at most {MAX_ROWS:,} daily rows). Trim it to the years you need."
    )


def _decode(raw: bytes) -> str:
    if not raw.strip():
        raise DataError("The file is empty. Expected a header row and one row per day.")
    if raw[:2] == b"\x1f\x8b" or raw[:4] == b"PK\x03\x04":
        raise DataError("This is a compressed file (gzip or zip). Unpack it and upload the CSV.")
    if b"\x00" in raw:
        raise DataError("This looks like a binary file, not a CSV text file.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DataError("This looks like a binary file: it is not UTF-8 or Windows-1252 text.")
    if len(_CONTROL.findall(text[:10_000])) > 0:
        raise DataError("This looks like a binary file: it contains control characters.")
    return text


def _separator(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=counts.__getitem__) if max(counts.values()) else ","


def _plain(parser_error: str) -> str:
    """pandas' tokenizer message as something a person can act on: which line to look at."""
    detail = parser_error.replace("Error tokenizing data. C error: ", "")
    if m := re.search(r"EOF inside string starting at row (\d+)", detail):  # row 0: line 1
        return (f"a quotation mark (\") on line {int(m[1]) + 1} is never closed, so everything "
                "after it reads as one value. Remove that quotation mark or close it.")
    if m := re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", detail):
        return (f"line {m[2]} has {m[3]} values where the header has {m[1]}; check the "
                "separator and that every row has the same number of values.")
    return detail


def _parse(raw: bytes, name: str, fahrenheit: bool | None,
           temperature_column: str | None) -> pd.DataFrame:
    text = _decode(raw)
    first_line = text.lstrip().splitlines()[0]
    sep = _separator(first_line)
    try:
        with warnings.catch_warnings():
            # index_col=False: a row longer than the header must not shift the columns; pandas
            # only warns about it, so that warning is made an error here.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            table = pd.read_csv(
                io.StringIO(text),
                sep=sep,
                dtype=str,
                index_col=False,
                skip_blank_lines=False,
                skipinitialspace=True,
                engine="c",
            )
    except pd.errors.ParserWarning as error:
        raise DataError(
            "Some rows have more values than the header has column names; check the separator "
            "and that every row has the same number of fields."
        ) from error
    except pd.errors.ParserError as error:
        raise DataError(f"The file is not a well-formed CSV table: {_plain(str(error))}") \
            from error
    except pd.errors.EmptyDataError as error:
        raise DataError("The file has no header row and no data.") from error
    table = table[table.notna().any(axis=1)]
    if len(table) > MAX_ROWS:
        raise DataError(f"The file has {len(table):,} rows; the limit is {MAX_ROWS:,} daily rows.")

    # Map headers to Meteostat names (and the units they state).
    headers = map_headers(table.columns, temperature_column)
    date_col = headers.date
    columns = {col: header.header for col, header in headers.used.items()}
    ignored = [h.header for h in headers.unused]
    found = ", ".join(repr(str(c)) for c in table.columns[:12])
    if date_col is None:
        raise DataError(f"No date column found. Name one of the columns 'date' (found: {found}).")
    if not ({"temp", "tmax"} & set(columns)):
        raise DataError(
            "No temperature column found. Name the daily mean temperature 'temp' (or e.g. "
            "'Temperature (°C)' / 'Temperature (°F)'), or give 'tmin' and 'tmax' — or pick the "
            f"column that holds it (found: {found}).",
            columns=tuple(str(c) for c in table.columns if str(c) != str(date_col)),
        )
    if table.empty:
        raise DataError(f"The file has a header but no data rows; at least {MIN_DAYS} days needed.")

    dates = _parse_dates(table[date_col], date_col)
    duplicated = dates.duplicated(keep=False)
    if duplicated.any():
        day = dates[duplicated].iloc[0]
        lines = [_line(i) for i in dates.index[dates == day][:3]]
        raise DataError(
            f"The date {day:%Y-%m-%d} appears more than once (lines {', '.join(map(str, lines))}"
            f" of column {str(date_col)!r}). The file must have one row per day — hourly data "
            "needs to be averaged to daily first."
        )

    frame = pd.DataFrame(index=pd.DatetimeIndex(dates.to_numpy(), name="date"))
    for col, header in columns.items():
        frame[col] = _parse_numbers(table[header], header) * headers.used[col].factor
    temps = [c for c in TEMPERATURE_COLUMNS if c in columns]
    said = {c: bool(headers.used[c].fahrenheit) for c in temps
            if headers.used[c].fahrenheit is not None}
    units: dict[str, bool]
    if said:  # the headers say: a column that does not follows the file's stated unit
        units = {c: said.get(c, next(iter(said.values()))) for c in temps}
        how = "as the column headers say"
    elif fahrenheit is not None:
        units, how = dict.fromkeys(temps, fahrenheit), "as stated"
    else:
        units, how = {}, "(the only plausible reading of the values)"
    if units:
        to_celsius(frame, columns, table.index, units)

    derived = {}
    if "temp" in frame:
        target = "temp"
    elif "tmin" in frame:
        frame["temp"] = (frame["tmin"] + frame["tmax"]) / 2.0
        derived["temp"] = "mean of tmin and tmax (the file has no daily mean temperature)"
        target = "temp"
    else:
        target = "tmax"

    span = (frame.index.max() - frame.index.min()).days + 1
    if span > MAX_ROWS:
        raise DataError(
            f"The dates run from {frame.index.min():%Y-%m-%d} to {frame.index.max():%Y-%m-%d}, "
            f"{span:,} days; the limit is {MAX_ROWS:,} days."
        )
    n_days = int(frame[target].notna().sum())
    if n_days < MIN_DAYS:
        raise DataError(
            f"Only {n_days} days have a {target} value; at least {MIN_DAYS} are needed to train "
            "and test a forecast."
        )

    # An unstated unit is settled last, so a file with another problem hears of that one
    # first. (tmin + tmax) / 2 above is the same in either scale: the conversion is linear.
    if not units:
        read_as = unit_from_values(frame[temps])
        units = {c: read_as for c in TEMPERATURE_COLUMNS if c in frame}
        to_celsius(frame, columns, table.index, units)
    fahrenheit = units.get(target, units.get("tmax", False))

    attrs = {
        "source": "csv",
        "name": name,
        "latitude": None,
        "longitude": None,
        "target": target,
        "attribution": f"Uploaded file {name!r}",
        "licence": "As supplied by the person who uploaded the file.",
        "fahrenheit": bool(fahrenheit),
        "units": ("°F converted to °C " if fahrenheit else "°C ") + how,
        "derived": derived,
        "column_map": {col: str(header) for col, header in columns.items()},
        "column_units": {col: h.unit or ("°F" if units.get(col) else "°C"
                                          if col in TEMPERATURE_COLUMNS else "")
                         for col, h in headers.used.items()},
        "ignored_columns": ignored,
        "ignored_reasons": {h.header: h.reason for h in headers.unused},
        "stations": [],
    }
    return common_frame(frame[[c for c in COLUMNS if c in frame]], attrs)


def _parse_dates(values: pd.Series, header) -> pd.Series:
    text = values.astype("string").str.strip()
    empty = text.isna() | (text == "")
    if empty.any():
        line = _line(text.index[empty][0])
        raise DataError(f"Line {line}: the date in column {str(header)!r} is empty.")
    best = _to_datetime(text, "ISO8601")
    if best.isna().any():
        # Not ISO: try each common day-first and month-first layout, whole column at once, so
        # one file never mixes the two readings.
        complete = []
        for fmt in DATE_FORMATS:
            parsed = _to_datetime(text, fmt)
            if parsed.notna().all():
                complete.append((fmt, parsed))
            elif parsed.notna().sum() > best.notna().sum():
                best = parsed
        if len(complete) > 1:
            raise DataError(
                f"The dates in column {str(header)!r} read both as day/month and as month/day "
                "(e.g. " + repr(text.iloc[0]) + "). Write them as YYYY-MM-DD."
            )
        if complete:
            best = complete[0][1]
    if best.isna().any():
        label = best.index[best.isna()][0]
        raise DataError(
            f"Line {_line(label)}: {text[label][:40]!r} in column {str(header)!r} is not a date. "
            "Use YYYY-MM-DD."
        )
    best = pd.Series(pd.DatetimeIndex(best).as_unit("ns"), index=text.index)
    if (best.dt.normalize() != best).any():
        label = best.index[best.dt.normalize() != best][0]
        raise DataError(
            f"Line {_line(label)}: {text[label][:40]!r} has a time of day; the file must have one "
            "row per day (average hourly data to daily first)."
        )
    return best


def _to_datetime(text: pd.Series, fmt: str) -> pd.Series:
    """Parse with one format; values that do not fit (or mix time zones) become NaT."""
    try:
        parsed = pd.to_datetime(text, errors="coerce", format=fmt)
    except (ValueError, TypeError, OverflowError):
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed


def _parse_numbers(values: pd.Series, header) -> pd.Series:
    text = values.astype("string").str.strip()
    decimal_comma = text.str.fullmatch(r"[+-]?\d*,\d+").fillna(False)
    readable = text
    if decimal_comma.any() and not text.str.contains(".", regex=False).fillna(False).any():
        readable = text.str.replace(",", ".", regex=False)  # "12,5" as European files write 12.5
    numbers = pd.to_numeric(readable, errors="coerce").astype("float64")
    bad = numbers.isna() & text.notna() & (text != "")
    bad |= ~np.isfinite(numbers.fillna(0.0))
    if bad.any():
        label = numbers.index[bad][0]
        raise DataError(
            f"Line {_line(label)}: {text[label][:40]!r} in column {str(header)!r} is not a number."
        )
    return numbers.to_numpy()
