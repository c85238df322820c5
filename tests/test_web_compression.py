"""The app's answers go compressed as the browser accepts them; bundles are compressed once a process.

In-process (Flask's test client) on the seeded store: a bundle and a callback answer, asked for with
the encodings Chromium sends, with gzip only, and with none.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from backports import zstd

from graph.embedded import EmbeddedStore
from tests.conftest import seeded_store_file
from webapp.app import create_app
from webapp.bundles import CYTOSCAPE_SUITE
from webapp.compression import MAX_KEPT, FixedAnswers

CHROMIUM_ACCEPTS = "gzip, deflate, br, zstd"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_store_file(tmp_path_factory, "compression")


def _bundle(page: str) -> str:
    return next(src for src in re.findall(r'src="([^"]+)"', page) if CYTOSCAPE_SUITE in src)


def test_bundles_go_compressed_as_the_browser_accepts(db: Path) -> None:
    app = create_app(lambda: EmbeddedStore(db), auth="")
    client = app.server.test_client()
    src = _bundle(client.get("/?region=kobe").get_data(as_text=True))
    plain = client.get(src, headers={"Accept-Encoding": ""})
    assert plain.headers.get("Content-Encoding") is None
    best = client.get(src, headers={"Accept-Encoding": CHROMIUM_ACCEPTS})
    assert best.headers["Content-Encoding"] == "zstd"
    assert "Accept-Encoding" in best.headers["Vary"]
    assert zstd.decompress(best.data) == plain.data
    assert len(best.data) < len(plain.data) / 2
    old = client.get(src, headers={"Accept-Encoding": "gzip"})
    assert old.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(old.data) == plain.data


def test_a_bundle_is_compressed_once_and_a_callback_answer_never_kept(db: Path) -> None:
    app = create_app(lambda: EmbeddedStore(db), auth="")
    client = app.server.test_client()
    src = _bundle(client.get("/?region=kobe").get_data(as_text=True))
    kept = app.server.extensions["compress"].cache
    assert isinstance(kept, FixedAnswers)
    first = client.get(src, headers={"Accept-Encoding": CHROMIUM_ACCEPTS}).data
    assert client.get(src, headers={"Accept-Encoding": CHROMIUM_ACCEPTS}).data == first
    assert [k for k in kept.data if src in k] == [f"zstd;{src}?"]
    layout = client.get("/_dash-layout", headers={"Accept-Encoding": CHROMIUM_ACCEPTS})
    assert layout.headers["Content-Encoding"] == "zstd"
    assert json.loads(zstd.decompress(layout.data))["type"] == "Div"
    assert not [k for k in kept.data if "_dash-layout" in k]


def test_fixed_answers_keep_only_bundles_and_assets_and_at_most_max_kept() -> None:
    cache = FixedAnswers()
    cache.set("zstd;/_dash-update-component?", b"x")
    cache.set("zstd;/_dash-layout?", b"x")
    assert cache.data == {}
    for n in range(MAX_KEPT + 10):
        cache.set(f"br;/assets/map.js?m={n}", b"y")
    assert len(cache.data) == MAX_KEPT
    assert cache.get("br;/assets/map.js?m=0") == b"y"
    assert cache.get("br;/assets/map.js?m=9999") is None
