"""Compressed answers: the JavaScript bundles, the stylesheets and Dash's JSON, as the browser accepts them.

Dash serves its bundles (1.2–1.8 MB of JavaScript a page) and every callback answer as they are;
its own ``compress=True`` switch is flask-compress with the library's defaults, which compresses
every answer again on every request. Here flask-compress (zstd, brotli or gzip, whichever the
browser asks for first; ``Vary`` and ETag handled by the library) is installed with a cache that
keeps only the answers that never change under one address in a running process: Dash's component
bundles (fingerprinted, or fixed by the installed package) and the app's assets. A bundle is then
compressed once per worker, and a callback's answer, which differs on every call, is compressed
each time and never kept.
"""

from __future__ import annotations

import flask
from flask_compress import Compress

__all__ = ["FIXED_PREFIXES", "FixedAnswers", "install_compression"]

#: Addresses whose answer is the same for the process's life: compressed once, then served from memory.
FIXED_PREFIXES = ("/_dash-component-suites/", "/assets/")
#: At most this many compressed answers are kept (the app has about forty bundles and assets); an
#: address past it is compressed on every request, so no request can grow the memory.
MAX_KEPT = 128


class FixedAnswers:
    """flask-compress's cache backend (``get``/``set``) that keeps only the fixed answers."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self.data.get(key)

    def set(self, key: str, value: bytes) -> None:
        # the key is "<algorithm>;<address>" (flask-compress), the address from cache_key below
        if any(prefix in key for prefix in FIXED_PREFIXES) and len(self.data) < MAX_KEPT:
            self.data[key] = value


def _cache_key(request: flask.Request) -> str:
    # with the query string: an asset's "?m=<mtime>" (Dash) changes when its file does
    return request.full_path


def install_compression(server: flask.Flask) -> Compress:
    """Compress ``server``'s answers (see the module's docstring); returns the installed extension."""
    server.config.setdefault("COMPRESS_CACHE_BACKEND", FixedAnswers)
    server.config.setdefault("COMPRESS_CACHE_KEY", _cache_key)
    compress = Compress(server)
    server.extensions["compress"] = compress  # flask-compress registers nothing itself
    return compress
