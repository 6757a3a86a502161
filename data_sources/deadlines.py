"""Library calls that cannot hold a visitor: each runs in a worker thread with a deadline.

data_sources/meteostat_source.py hands every meteostat call to ``run_bounded``; this module only
runs the callable it is given (it imports no library and opens no connection).
  - the caller waits at most ``deadline_s``, even if a server trickles bytes.
  - one file (a station's year, the station database) is fetched by one thread at a time, as
    the library's file cache is not written atomically; other files are not held up. There is
    no global lock, so two visitors fetching different files take about as long as one.
  - the library logs and swallows download errors: the warnings logged in the worker thread are
    kept (``keep``) and returned with the result, which is how a fetch learns it was offline.
  - ``inside_bounded_call`` tells meteostat_source's urllib handler which requests to give a
    timeout (those of a worker thread; other threads are untouched).
"""

from __future__ import annotations

import logging
import threading

from .errors import DataError

_records = threading.local()  # per thread: meteostat's warnings, and "inside a bounded fetch"
_locks_guard = threading.Lock()
_locks: dict[str, threading.Lock] = {}


def _lock_for(key: str) -> threading.Lock:
    """One lock per station-year (or "stations.db"): its cache file is written by one thread,
    and a second visitor asking for the same file then reads it from the cache."""
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def inside_bounded_call() -> bool:
    """True in a worker thread of ``run_bounded``."""
    return getattr(_records, "bounded", False)


def keep(record: logging.LogRecord) -> None:
    """Keep a library warning for the bounded call of this thread (elsewhere it is dropped)."""
    bucket = getattr(_records, "items", None)
    if bucket is not None:
        bucket.append(record)


def run_bounded(func, deadline_s: float, what: str, lock_key: str | None = None):
    """Run ``func()`` in a worker thread; return (result, meteostat warnings) or raise DataError
    if it is still running after ``deadline_s`` seconds (waiting for ``lock_key``'s lock, held
    by another visitor fetching the same station, counts too). An error ``func`` raised is
    raised here, carrying the warnings (``records_of``)."""
    box: dict = {}

    def work() -> None:
        _records.items = []
        _records.bounded = True  # urllib requests of this thread get a timeout
        lock = _lock_for(lock_key) if lock_key else None
        try:
            if lock is not None and not lock.acquire(timeout=deadline_s):
                return
            try:
                box["result"] = func()
            finally:
                if lock is not None:
                    lock.release()
        except BaseException as error:  # handed to the caller's thread below
            box["error"] = error
        box["records"] = _records.items

    worker = threading.Thread(target=work, name=f"meteostat {what}", daemon=True)
    worker.start()
    worker.join(deadline_s)
    if worker.is_alive() or "records" not in box:
        raise DataError(
            f"Meteostat did not answer within {deadline_s:.0f} s while {what}. The connection "
            "may be very slow — try again later, or use a bundled sample.",
            unreachable=True,
        )
    if "error" in box:
        error = box["error"]
        try:
            error.meteostat_records = box.get("records", [])
        except AttributeError:
            pass
        raise error
    return box.get("result"), box.get("records", [])


def records_of(error: BaseException) -> list:
    """The warnings logged by the bounded call that raised ``error``."""
    return getattr(error, "meteostat_records", [])
