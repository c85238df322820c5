"""Every real tie's source is visible where the tie is used (issue 12): detail panel and gap cards."""

from __future__ import annotations

from typing import Any

import pytest
from dash import html

from graph.embedded import EmbeddedStore
from tests.conftest import seeded_store_file
from webapp.data import DataSource
from webapp.detail import tie_sources
from webapp.pages.gaps import worklist_items


def links(component: Any) -> list[str]:
    """Every link target inside a Dash component tree."""
    found: list[str] = []
    if isinstance(component, html.A):
        found.append(component.href)
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found += links(child)
    return found


@pytest.fixture(scope="module")
def ds(tmp_path_factory: pytest.TempPathFactory) -> DataSource:
    path = seeded_store_file(tmp_path_factory, "evidence", demo=False)
    return DataSource(lambda: EmbeddedStore(path))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_tie_shows_its_page_and_date(ds: DataSource, lang: str) -> None:
    view = ds.region_view("aomori")
    items = tie_sources(view, "org:hirosaki-u", lang, limit=500)
    assert len(items) > 10
    text = " ".join(str(item) for item in items)
    assert "https://www.hirosaki-u.ac.jp/topics/31134/" in text  # 弘前大学 – 青森県信用組合, 2018-01-11
    assert "2018-01-11" in text


def test_a_tie_citing_two_pages_links_each(ds: DataSource) -> None:
    view = ds.region_view("kobe")
    cited = [(u, d["evidence"]) for u, _, d in view.edges(data=True) if len(str(d.get("evidence", "")).split()) > 1]
    assert cited, "some seed rows cite more than one page"
    node, evidence = cited[0]
    hrefs = [h for item in tie_sources(view, node, "en", limit=500) for h in links(item)]
    assert set(evidence.split()) <= set(hrefs)


def test_gap_cards_carry_the_sources_of_their_subject(ds: DataSource) -> None:
    worklist = ds.service.worklist("kobe")
    cards = worklist_items(ds, "kobe", worklist.items, "en")
    with_sources = [card for card in cards if any(h.startswith("https://") for h in links(card))]
    assert with_sources, "gap cards about sourced organisations show their pages"
