"""Streamlit's bundles from memory (app/bundles.py): what the middleware answers itself, and
that everything else still reaches Streamlit — on the ASGI interface, then on the real server."""

from __future__ import annotations

import asyncio
import gzip
import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from app.bundles import CACHE_CONTROL, StaticBundles

JS = b"const greeting = 'hello';\n" * 400  # compressible, like a bundle


class Downstream:
    """Stands for Streamlit's own stack: answers 418 and counts the requests it saw."""

    def __init__(self):
        self.paths: list[str] = []

    async def __call__(self, scope, receive, send):
        self.paths.append(scope["path"])
        await send({"type": "http.response.start", "status": 418, "headers": []})
        await send({"type": "http.response.body", "body": b"streamlit"})


def request(app, path: str, method: str = "GET", **headers: str) -> tuple[int, dict, bytes]:
    scope = {"type": "http", "method": method, "path": path,
             "headers": [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]}
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    # In a thread of its own: the e2e tests' session-wide Playwright keeps an event loop running
    # in the main thread, where asyncio.run() would refuse to start.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, app(scope, receive, send)).result()
    head = {k.decode(): v.decode() for k, v in sent[0].get("headers", [])}
    return sent[0]["status"], head, b"".join(m.get("body", b"") for m in sent[1:])


@pytest.fixture
def served(tmp_path):
    root = tmp_path / "static"
    (root / "js").mkdir(parents=True)
    (root / "js" / "index.abc123.js").write_bytes(JS)
    (root / "media").mkdir()
    (root / "media" / "font.woff2").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "secret.txt").write_text("not a bundle")
    streamlit = Downstream()
    return StaticBundles(streamlit, root), streamlit, root


def test_a_bundle_is_sent_gzipped_and_kept_for_a_year(served):
    app, streamlit, _ = served
    status, head, body = request(app, "/static/js/index.abc123.js", accept_encoding="gzip, br")
    assert status == 200 and head["content-encoding"] == "gzip"
    assert gzip.decompress(body) == JS and len(body) < len(JS) / 10
    assert head["content-length"] == str(len(body))
    assert head["cache-control"] == CACHE_CONTROL.decode()
    assert head["content-type"].startswith(("text/javascript", "application/javascript"))
    assert streamlit.paths == []


def test_a_browser_without_gzip_gets_the_plain_file_and_a_head_no_body(served):
    app, _, _ = served
    status, head, body = request(app, "/static/js/index.abc123.js")
    assert status == 200 and "content-encoding" not in head and body == JS
    status, head, body = request(app, "/static/js/index.abc123.js", "HEAD")
    assert status == 200 and body == b"" and head["content-length"] == str(len(JS))


def test_a_font_is_not_compressed(served):
    app, _, root = served
    status, head, body = request(app, "/static/media/font.woff2", accept_encoding="gzip")
    assert status == 200 and "content-encoding" not in head
    assert body == (root / "media" / "font.woff2").read_bytes()


def test_it_reads_each_file_once(served):
    app, _, root = served
    request(app, "/static/js/index.abc123.js")
    (root / "js" / "index.abc123.js").write_bytes(b"changed on disk")  # a hashed name never is
    assert request(app, "/static/js/index.abc123.js")[2] == JS


@pytest.mark.parametrize("path", [
    "/",  # the page itself
    "/_stcore/health",  # Streamlit's routes
    "/static/js/missing.js",  # not a bundle: Streamlit's own answer (its index fallback)
    "/static/../secret.txt",  # outside the folder
    "/static/js/../../secret.txt",
    "/static/",
    "/static/js",  # a folder
])
def test_everything_else_goes_on_to_streamlit(served, path):
    app, streamlit, _ = served
    assert request(app, path)[0] == 418
    assert streamlit.paths == [path]


def test_a_range_request_and_a_post_go_on_to_streamlit(served):
    app, streamlit, _ = served
    request(app, "/static/js/index.abc123.js", range="bytes=0-9")
    request(app, "/static/js/index.abc123.js", "POST")
    assert streamlit.paths == ["/static/js/index.abc123.js"] * 2


def test_the_real_server_sends_streamlits_bundles_from_memory(streamlit_server):
    """`streamlit run serve.py`: the page, a bundle it loads, and a path that is not one."""
    from serve import BUNDLES

    with urllib.request.urlopen(streamlit_server + "/", timeout=30) as r:
        page = r.read().decode()
    name = re.search(r"static/(js/index\.[\w-]+\.js)", page).group(1)
    ask = urllib.request.Request(f"{streamlit_server}/static/{name}",
                                 headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(ask, timeout=30) as r:
        assert r.headers["Content-Encoding"] == "gzip"
        assert r.headers["Cache-Control"] == CACHE_CONTROL.decode()
        assert gzip.decompress(r.read()) == (Path(BUNDLES) / name).read_bytes()
    with urllib.request.urlopen(streamlit_server + "/static/js/missing.js", timeout=30) as r:
        assert b"<html" in r.read().lower()  # Streamlit's own answer: its index page
