"""What a CSV's column headers mean: which daily variable, in which unit.

People name columns as their spreadsheet or weather service does: "Temperature (F)", "temp_c",
"Tmax (°F)", "Température", "Humidity (%)", "Wind speed [mph]". A header is read as a *name*
and an optional *unit*: accents and degree signs are dropped, the unit is what stands in a
trailing "(…)" or "[…]" or, failing that, a trailing word after "_" or a space ("temp_c",
"tmax f"). The name is looked up in ALIASES (Meteostat's column names and common synonyms); the
unit must be one the column can be converted from, else the column is not used and the reason
is kept for the message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .shape import INCH_TO_MM, INHG_TO_HPA, MPH_TO_KMH, MS_TO_KMH, TEMPERATURE_COLUMNS

DATE_NAMES = ("date", "time", "datetime", "day", "timestamp", "fecha", "datum", "data", "jour")
# Header name (lower-case ASCII, words joined by "_") → Meteostat column.
ALIASES = {
    **dict.fromkeys(("temp", "tavg", "tmean", "temperature", "temperatur", "temperatura",
                     "mean_temperature", "average_temperature", "avg_temperature", "mean_temp",
                     "avg_temp", "average_temp", "temperature_mean", "temperature_avg",
                     "daily_mean_temperature", "t_mean", "t_avg"), "temp"),
    **dict.fromkeys(("tmin", "temp_min", "min_temp", "temperature_min", "min_temperature",
                     "minimum_temperature", "low", "t_min"), "tmin"),
    **dict.fromkeys(("tmax", "temp_max", "max_temp", "temperature_max", "max_temperature",
                     "maximum_temperature", "high", "t_max"), "tmax"),
    **dict.fromkeys(("rhum", "humidity", "relative_humidity", "rh"), "rhum"),
    **dict.fromkeys(("prcp", "precipitation", "precip", "rain", "rainfall"), "prcp"),
    **dict.fromkeys(("wspd", "wind", "wind_speed", "windspeed"), "wspd"),
    **dict.fromkeys(("pres", "pressure", "sea_level_pressure", "slp", "air_pressure"), "pres"),
}
# A temperature unit → True for °F, False for °C ("deg"/"degrees" prefixes are dropped first).
TEMPERATURE_UNITS = {"c": False, "celsius": False, "centigrade": False,
                     "f": True, "fahrenheit": True}
# Other columns: unit → factor to Meteostat's unit (%, mm, km/h, hPa).
UNIT_FACTORS: dict[str, dict[str, float]] = {
    "rhum": {"%": 1.0, "pct": 1.0, "percent": 1.0},
    "prcp": {"mm": 1.0, "cm": 10.0, "in": INCH_TO_MM, "inch": INCH_TO_MM, "inches": INCH_TO_MM},
    "wspd": {"km/h": 1.0, "kmh": 1.0, "kph": 1.0, "mph": MPH_TO_KMH, "m/s": MS_TO_KMH,
             "ms": MS_TO_KMH, "kn": 1.852, "kt": 1.852, "knots": 1.852},
    "pres": {"hpa": 1.0, "mb": 1.0, "mbar": 1.0, "millibar": 1.0, "kpa": 10.0,
             "inhg": INHG_TO_HPA},
}
NOT_WEATHER = "not a daily weather column the app reads"


@dataclass(frozen=True)
class Header:
    """One header as understood. ``column`` is a Meteostat name, "date", or None (not used)."""

    header: str
    column: str | None
    fahrenheit: bool | None = None  # a temperature's unit as the header states it (None: not)
    factor: float = 1.0  # other columns: multiply by this for Meteostat's unit
    unit: str = ""  # the unit as written, for the message ("°F", "mph"); "" when not stated
    reason: str = ""  # why the column is not used (column None)


@dataclass
class Headers:
    """A file's headers: the date column, the columns used, the ones not used (with why)."""

    date: str | None = None
    used: dict[str, Header] = field(default_factory=dict)  # Meteostat column → its header
    unused: list[Header] = field(default_factory=list)


def _plain(text: str) -> str:
    """Lower-case ASCII: "Température (°F)" → "temperature (f)"; "℃" → "c"."""
    text = unicodedata.normalize("NFKD", str(text).replace("º", "°"))
    return text.encode("ascii", "ignore").decode().strip().lower()


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9/%]+", "_", text).strip("_")


def _unit_key(text: str) -> str:
    return re.sub(r"^deg(rees?)?_?", "", re.sub(r"[\s.]+", "", text))


def read_header(header) -> Header:
    """What one header names, and in which unit."""
    text = str(header)
    plain = _plain(text)
    bracket = re.fullmatch(r"(.*?)\s*[(\[]\s*([^)\]]*?)\s*[)\]]\s*", plain)
    if bracket:
        return _named(text, _key(bracket[1]), _unit_key(bracket[2]))
    key = _key(plain)
    if key in ALIASES or key in DATE_NAMES:
        return _named(text, key, "")
    parts = key.split("_")
    for cut in range(len(parts) - 1, 0, -1):  # "temp_c", "tmax_deg_f", "temperature_in_f"
        name, unit = "_".join(parts[:cut]), "_".join(parts[cut:])
        name = name.removesuffix("_in")
        if name in ALIASES and _converts(ALIASES[name], _unit_key(unit)):
            return _named(text, name, _unit_key(unit))
    return Header(text, None, reason=NOT_WEATHER)


def _converts(column: str, unit: str) -> bool:
    if column in TEMPERATURE_COLUMNS:
        return unit in TEMPERATURE_UNITS
    return unit in UNIT_FACTORS.get(column, {})


def _named(text: str, name: str, unit: str) -> Header:
    if name in DATE_NAMES and name not in ALIASES:
        return Header(text, "date")
    column = ALIASES.get(name)
    if column is None:
        return Header(text, None, reason=NOT_WEATHER)
    if not unit:
        return Header(text, column)
    if column in TEMPERATURE_COLUMNS and unit in TEMPERATURE_UNITS:
        fahrenheit = TEMPERATURE_UNITS[unit]
        return Header(text, column, fahrenheit=fahrenheit, unit="°F" if fahrenheit else "°C")
    if unit in UNIT_FACTORS.get(column, {}):
        return Header(text, column, factor=UNIT_FACTORS[column][unit], unit=unit)
    known = ("°C, °F" if column in TEMPERATURE_COLUMNS
             else ", ".join(UNIT_FACTORS.get(column, {})))
    return Header(text, None, reason=f"its unit {unit!r} is not one the app converts "
                                     f"(it reads {known})")


def map_headers(headers, temperature_column: str | None = None) -> Headers:
    """Each header understood; the first header of each column is used, later ones are not.
    ``temperature_column``: the header the person picked as the daily mean temperature."""
    out = Headers()
    for raw in headers:
        header = read_header(raw)
        if temperature_column is not None and str(raw) == temperature_column:
            header = Header(str(raw), "temp", header.fahrenheit, unit=header.unit
                            if header.column in TEMPERATURE_COLUMNS else "")
        elif temperature_column is not None and header.column == "temp":
            header = Header(str(raw), None, reason=f"{temperature_column!r} was picked instead")
        if header.column == "date":
            if out.date is None:
                out.date = header.header
                continue
            header = Header(header.header, None, reason=f"the dates are read from {out.date!r}")
        elif header.column in out.used:
            first = out.used[header.column].header
            header = Header(header.header, None, reason=f"already read from {first!r}")
        if header.column is None:
            out.unused.append(header)
        else:
            out.used[header.column] = header
    return out
