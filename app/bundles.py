"""Streamlit's own JavaScript bundles, served from memory and compressed once (serve.py).

Opening the page fetches about a hundred of Streamlit's content-hashed files (3.3 MB). Its
Starlette server streams each one from disk through worker threads (a stat, an open and every
64 KB read is a hop to a thread) and, by design, does not compress them, as it would compress
them again on every request. Measured on our 2-core machine: 0.25 CPU s of the server for each
visitor's page, a quarter of what a whole student costs. This middleware runs before Streamlit's
own: it reads and gzips each bundle once per server and then sends it from memory. That is
0.09 CPU s per page, and a third of the bytes over a classroom's Wi-Fi.

Everything else goes on to Streamlit unchanged: the page itself, any other route, a file that is
not a bundle, and a range request.
"""

from __future__ import annotations

import asyncio
import gzip
import mimetypes
from dataclasses import dataclass
from pathlib import Path

COMPRESSIBLE = {".js", ".css", ".json", ".svg", ".map", ".txt", ".html"}
# The names carry the content's hash: a changed file is a new name, so browsers may keep it.
CACHE_CONTROL = b"public, immutable, max-age=31536000"


@dataclass(frozen=True)
class Bundle:
    body: bytes
    gzipped: bytes | None  # None: compressing does not pay (fonts, images)
    content_type: bytes


def read_bundle(path: Path) -> Bundle:
    body = path.read_bytes()
    packed = gzip.compress(body, 6, mtime=0) if path.suffix in COMPRESSIBLE else None
    kind, _ = mimetypes.guess_type(path.name)
    if kind and (kind.startswith("text/") or kind.endswith("javascript")):
        kind += "; charset=utf-8"
    return Bundle(body, packed if packed is not None and len(packed) < len(body) else None,
                  (kind or "application/octet-stream").encode())


class StaticBundles:
    """ASGI middleware: a GET or HEAD of ``{prefix}<name>``, a file under ``root``, answered
    from memory; each file is read on its first request (hits only: bounded by the folder)."""

    def __init__(self, app, root: str | Path, prefix: str = "/static/"):
        self.app, self.root, self.prefix = app, Path(root).resolve(), prefix
        self.bundles: dict[str, Bundle] = {}

    async def __call__(self, scope, receive, send) -> None:
        if (scope["type"] != "http" or scope["method"] not in ("GET", "HEAD")
                or not scope["path"].startswith(self.prefix)):
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        name = scope["path"][len(self.prefix):]
        bundle = self.bundles.get(name)
        if bundle is None and b"range" not in headers:
            bundle = await asyncio.to_thread(self._read, name)  # once: disk and gzip off the loop
            if bundle is not None:
                self.bundles[name] = bundle
        if bundle is None or b"range" in headers:
            return await self.app(scope, receive, send)
        out = [(b"content-type", bundle.content_type), (b"cache-control", CACHE_CONTROL),
               (b"vary", b"accept-encoding")]
        body = bundle.body
        if bundle.gzipped is not None and b"gzip" in headers.get(b"accept-encoding", b""):
            body = bundle.gzipped
            out.append((b"content-encoding", b"gzip"))
        out.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": out})
        await send({"type": "http.response.body",
                    "body": b"" if scope["method"] == "HEAD" else body})

    def _read(self, name: str) -> Bundle | None:
        """The bundle for ``name``, or None when it is not a file inside the root."""
        if not name or "\\" in name or "\0" in name:
            return None
        path = (self.root / name).resolve()  # "..", symlinks: resolved, then checked
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return read_bundle(path)
