"""Fixtures for the live Meteostat tests: the stand-in server (tests/helpers/meteostat.py)."""

from __future__ import annotations

import socket

import pytest

from tests.helpers.meteostat import serve_seattle


@pytest.fixture
def seattle_server(tmp_path):
    server, sample = serve_seattle(tmp_path)
    yield server, sample
    server.close()


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_server():
    """Accepts TCP connections (kernel backlog) but never reads or answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()
