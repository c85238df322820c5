"""The map's 知財 layer in a real browser (Playwright + Debian chromium), on the IP fixture region.

With the layer on, the rights are small labelled nodes, IP holders and IP support bodies are marked
(classes ``ip-holder`` / ``ip-body``) and the legend says what the marks mean; with it off the rights
are gone and nothing else moves. A holder's detail panel lists its IP facts, each with its link and
date. Screenshots: ``test-artifacts/screenshots/map-ip-layer*.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from graph.embedded import EmbeddedStore
from loaders.base import LoadContext, LoadOptions
from loaders.canonical import read_canonical
from tests.browser_support import node_ids, open_map, serve, shot, tap_node, wait_for_nodes_change
from tests.conftest import FIXTURES
from webapp.app import create_app

pytestmark = pytest.mark.browser

_MARKS_JS = """() => ({
  holders: window.cy.nodes('.ip-holder').map(n => n.id()).sort(),
  bodies: window.cy.nodes('.ip-body').map(n => n.id()).sort(),
  rights: window.cy.nodes('[kind = "IPRight"]').map(n => ({id: n.id(), label: n.data('label')})),
  positions: Object.fromEntries(window.cy.nodes('[kind != "IPRight"]').map(n => [n.id(), n.position()])),
})"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path: Path = tmp_path_factory.mktemp("browser-ip") / "ipeco.sqlite"
    with EmbeddedStore(path) as store:
        store.write_batch(read_canonical([FIXTURES / "ip" / "region"], LoadOptions(), LoadContext()).batch)
    with serve(create_app(lambda: EmbeddedStore(path), auth="")) as url:
        yield url


def test_the_ip_layer_marks_holders_and_bodies_and_shows_rights(page: Page, server: str) -> None:
    open_map(page, f"{server}/?region=testr&ip=1")
    marks = page.evaluate(_MARKS_JS)
    assert marks["holders"] == ["org:coop", "org:firm-a", "org:firm-b", "org:firm-c", "org:firm-d"]
    assert marks["bodies"] == ["org:hatsumei", "org:jpaa-test", "org:window"]
    labels = {r["id"]: r["label"] for r in marks["rights"]}
    assert labels == {
        "ip:pat-a": "特許第1234567号",
        "ip:rct-b": "地域団体商標：ビー名物",
        "ip:gi-x": "地理的表示（GI）：テスト特産品",
    }
    legend = page.inner_text(".legend")
    assert "知財保有" in legend and "知財支援機関" in legend and "知的財産権" in legend
    shot(page, "map-ip-layer")

    # The layer off: the rights go, the marks go, and nothing else moves.
    before = node_ids(page)
    page.get_by_label("知財").uncheck()
    after = wait_for_nodes_change(page, before)
    assert after == before - set(labels)
    off = page.evaluate(_MARKS_JS)
    assert off["holders"] == [] and off["bodies"] == []
    for node, pos in off["positions"].items():
        assert pos == pytest.approx(marks["positions"][node], abs=0.5), node
    assert "ip=1" not in page.url


def test_a_holder_s_panel_lists_its_ip_facts_with_links_and_dates(page: Page, server: str) -> None:
    open_map(page, f"{server}/?region=testr&ip=1&lang=en")
    tap_node(page, "org:firm-a")
    page.wait_for_selector(".ip-facts li", timeout=15_000)
    facts = page.locator(".ip-facts li")
    assert facts.count() == 4
    text = page.inner_text(".ip-facts")
    assert "Patent" in text and "IP award" in text and "Licence" in text and "IP support" in text
    assert "10 May 2022" in text and "1 Nov 2024" in text
    hrefs = page.eval_on_selector_all(".ip-facts a", "as => as.map(a => a.href)")
    assert "https://example.org/award-2024" in hrefs
    assert "Tied to an IP support body: yes" in page.inner_text(".detail")
    shot(page, "map-ip-layer-panel")
