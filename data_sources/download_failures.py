"""What meteostat's swallowed download errors were, and what to tell a person about them.

The library logs a failed download as a warning and carries on; data_sources/deadlines.py keeps
those logging records per call, and this module reads them (records in, plain text out). The
decisions — stop the fetch, or note a missing year — are data_sources/meteostat_source.py's.
"""

from __future__ import annotations

import logging
import re
import socket
from http.client import HTTPException
from urllib.error import HTTPError, URLError

# What a failed connection raises (gzip.BadGzipFile is an OSError too, but means a bad file).
# meteostat_source adds requests' base exception: only it may import requests.
NETWORK_ERRORS = (URLError, ConnectionError, TimeoutError, socket.gaierror, HTTPException)


def problems(
    records: list[logging.LogRecord], network_errors: tuple[type, ...] = NETWORK_ERRORS
) -> list[tuple[str, str]]:
    """What meteostat's swallowed errors were, as (kind, reason for a person):
    kind "network" (no connection, timeout), "server" (HTTP 5xx) or "file" (unreadable file).
    A 404 is not a problem: that station simply has no file for that year."""
    found = []
    for record in records:
        errors = [record.exc_info[1]] if record.exc_info and record.exc_info[1] else []
        errors += [a for a in (record.args or ()) if isinstance(a, BaseException)]
        text = " ".join(str(e) for e in errors) or record.getMessage()
        lowered = text.lower()
        if any(isinstance(e, HTTPError) and e.code == 404 for e in errors):
            continue
        status = re.search(r"returned status (\d+)", text)
        if status:
            found.append(("server", f"Meteostat's server answered with an error, HTTP {status[1]}"))
        elif "timed out" in lowered or "timeout" in lowered:
            found.append(("network", "the server did not answer in time"))
        elif any(isinstance(e, HTTPError) for e in errors):
            code = next(e.code for e in errors if isinstance(e, HTTPError))
            found.append(("server", f"Meteostat's server answered with an error, HTTP {code}"))
        elif any(isinstance(e, network_errors) for e in errors) or (
            "request to" in lowered or "could not fetch" in lowered
        ):
            found.append(("network", "no connection to the server"))
        elif errors:
            found.append(("file", f"{type(errors[0]).__name__}: {str(errors[0])[:120]}"))
    return found


def network_failure(
    records: list[logging.LogRecord], network_errors: tuple[type, ...] = NETWORK_ERRORS
) -> str | None:
    """The reason for the first network or server failure meteostat logged, else None."""
    for kind, reason in problems(records, network_errors):
        if kind in ("network", "server"):
            return reason
    return None


def offline_message(reason: str, what: str) -> str:
    """The message for a fetch stopped by ``reason`` (from ``problems``) while doing ``what``."""
    if "HTTP" in reason:
        return (
            f"Meteostat could not serve the data while {what} ({reason}). Try again later, or "
            "pick a bundled sample or upload a CSV instead."
        )
    return (
        f"Could not reach Meteostat while {what} ({reason}). You may be offline: pick a bundled "
        "sample or upload a CSV instead."
    )
