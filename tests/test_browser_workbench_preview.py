"""The upload preview's map in a real browser (Playwright driving Debian's chromium), and its graph on a tiny store.

An upload that adds a firm in Aomori and renames 株式会社エー shows, above the preview table, the
map of Aomori after the commit: the new firm carries ``wb-added``, the renamed one ``wb-changed``,
and the legend names both. Nothing is written by the preview.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import pytest

from graph.changes import ChangeDraft, RecordChange, RecordRef, RecordState
from graph.embedded import EmbeddedStore
from tests.browser_support import serve
from tests.conftest import tiny_batch
from webapp.app import create_app
from webapp.workbench_preview import preview_graph

if TYPE_CHECKING:
    from playwright.sync_api import Page

SHEET = "id,label,name,region\norg:new9,Company,新規九株式会社,aomori\norg:a,Company,株式会社エー改,aomori\n"
SHOTS = Path(__file__).parent / ".." / ".test-home" / "screenshots"


def _draft() -> ChangeDraft:
    firm = RecordState(("Organization", "Company"), {"name": "新規九株式会社"})
    seat = RecordRef("rel", "org:new9", "LOCATED_IN", "region:aomori", "LOCATED_IN")
    tie = RecordRef("rel", "org:b", "SUPPORTS", "org:new9", "SUPPORTS|n")
    renamed = RecordState(("Organization", "Company"), {"name": "株式会社エー改"})
    before = RecordState(("Organization", "Company"), {"name": "株式会社エー"})
    return ChangeDraft(
        "upload",
        "alice",
        "t",
        (
            RecordChange(RecordRef("node", "org:new9"), None, firm),
            RecordChange(seat, None, RecordState((), {})),
            RecordChange(tie, None, RecordState((), {"phase": "launch"})),
            RecordChange(RecordRef("node", "org:a"), before, renamed),
        ),
    )


def _graph(tmp_path: Path) -> nx.MultiDiGraph:
    with EmbeddedStore(tmp_path / "ipeco.sqlite") as store:
        store.write_batch(tiny_batch())
        return store.read_graph()


def test_the_preview_graph_is_the_touched_region_after_the_commit(tmp_path: Path) -> None:
    graph = _graph(tmp_path)
    shown = preview_graph(graph, _draft())
    assert shown.regions == ("aomori",)
    assert set(shown.graph) == {"org:a", "org:b", "org:new9"}  # Kobe's university is not drawn
    assert shown.marks["org:new9"] == "wb-added" and shown.marks["org:a"] == "wb-changed"
    assert shown.marks["org:b|SUPPORTS|org:new9"] == "wb-added"
    assert shown.total == 3
    assert "org:new9" not in graph  # the store's graph is not touched


def test_the_preview_graph_is_capped_touched_ones_first(tmp_path: Path) -> None:
    shown = preview_graph(_graph(tmp_path), _draft(), limit=2)
    assert set(shown.graph) == {"org:a", "org:new9"} and shown.total == 3


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("wbmap") / "ipeco.sqlite"
    with EmbeddedStore(path) as store:
        store.write_batch(tiny_batch())
    with serve(create_app(lambda: EmbeddedStore(path), auth="", ttl=0.5)) as url:
        yield url


CLASSES = """el => { const cy = el._cyreg.cy;
  return Object.fromEntries(cy.elements().map(e => [e.id(), e.classes().join(' ')])); }"""


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_upload_preview_draws_the_region_with_the_additions_marked(server: str, page: Page, lang: str) -> None:
    page.goto(f"{server}/workbench?region=aomori&lang={lang}")
    files = [{"name": "nodes.csv", "mimeType": "text/csv", "buffer": SHEET.encode("utf-8")}]
    page.set_input_files("#wb-upload input[type=file]", files=files)
    page.wait_for_selector("#wb-preview-map")
    page.wait_for_function("document.getElementById('wb-preview-map')._cyreg?.cy?.nodes().length > 0")
    classes = page.eval_on_selector("#wb-preview-map", CLASSES)
    assert "wb-added" in classes["org:new9"].split()
    assert "wb-changed" in classes["org:a"].split()
    assert not {"wb-added", "wb-changed"} & set(classes["org:b"].split())
    legend = page.inner_text(".wb-map-legend")
    assert ("追加される機関" if lang == "ja" else "Added organisations") in legend
    assert ("青森県" if lang == "ja" else "Aomori") in page.inner_text("#wb-map-caption")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".wb-preview-map").screenshot(path=str(SHOTS / f"workbench-preview-{lang}.png"))
