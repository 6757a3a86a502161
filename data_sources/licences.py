"""The licence and attribution of Meteostat data, built from the providers' records.

Plain data in, plain text out (no meteostat, no network): data_sources/meteostat_source.py asks
the library which providers the fetched data came from (``TimeSeries.providers``) and each
provider's record (its name and ``License``, as ``TimeSeries.licenses`` / ``.attribution`` /
``.commercial`` read them); this module keeps them per provider in ``df.attrs["licences"]`` and
writes ``df.attrs["licence"]`` and ``df.attrs["attribution"]``. Meteostat itself shares its data
under CC BY 4.0 (the meteostat 2.x package notice).
"""

from __future__ import annotations

from typing import Any

ATTRIBUTION = "Meteorological data: Meteostat (https://meteostat.net)"
# The meteostat 2.x package notice: "Meteorological data provided by Meteostat ... under the
# terms of the Creative Commons Attribution 4.0 International License". Each provider's own
# licence is reported with the data (see provider_licences).
METEOSTAT_LICENCE = "CC BY 4.0"
METEOSTAT_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def provider_licences(providers: list[tuple[str, Any]]) -> tuple[list[dict], str, bool | None]:
    """Per provider of the fetched data — ``providers`` is (provider id, the library's provider
    record or None if it has none) — what the library says of it (name, licence, url,
    attribution, commercial use). Also the attribution string (``TimeSeries.attribution``'s
    form: Meteostat, then each provider's required credit) and whether commercial use is allowed
    for all of it (None if a provider's terms are unknown)."""
    rows = []
    for provider_id, spec in providers:
        licence = spec.license if spec is not None else None
        rows.append(
            {
                "provider": provider_id,
                "name": spec.name if spec is not None else provider_id,
                "licence": (licence.name or "") if licence else "",
                "url": (licence.url or "") if licence else "",
                "attribution": (licence.attribution or "") if licence else "",
                "commercial": licence.commercial if licence else None,
            }
        )
    credits = sorted({r["attribution"] for r in rows if r["attribution"]})
    attribution = ", ".join(["Meteostat", *credits])
    known = [r["commercial"] for r in rows]
    commercial = None if (not known or None in known) else all(known)
    return rows, attribution, commercial


def station_attribution(attribution: str, station: dict) -> str:
    """df.attrs["attribution"]: ATTRIBUTION names Meteostat; the library's string
    (``provider_licences``) adds each provider's credit; then the station used."""
    return (
        ATTRIBUTION
        + attribution.removeprefix("Meteostat")
        + f"; station {station['name']} ({station['id']})."
    )


def licence_text(licences: list[dict], commercial: bool | None) -> str:
    """The licence paragraph shown with (and exported beside) Meteostat data."""
    parts = [
        f"Meteostat shares its data under {METEOSTAT_LICENCE} ({METEOSTAT_LICENCE_URL}): "
        "credit Meteostat. Each original provider's terms apply as well:"
    ]
    for r in licences:
        terms = r["licence"] or "terms not stated by the library"
        credit = f", credit {r['attribution']}" if r["attribution"] else ""
        use = {
            True: "commercial use allowed",
            False: "no commercial use",
            None: "commercial use unknown",
        }[r["commercial"]]
        parts.append(f"{r['name']} ({r['provider']}): {terms}{credit}; {use}.")
    if not licences:
        parts.append("no provider was reported for these data.")
    verdict = {
        True: "Commercial use: allowed by every provider.",
        False: "Commercial use: not allowed by at least one provider.",
        None: "Commercial use: unknown for at least one provider.",
    }[commercial]
    return " ".join(parts + [verdict])
