"""Two apps in one process each draw their pages from their own store.

Dash keeps one page registry per process. Before the fix, the layouts registered by the app built
last answered for every app of the process: after an app over the real layer alone was built, the
app over the seed with its demo layer drew Kobe's map without a synthetic node while its banner
(a callback of its own) said the demo layer was there, and its compare page was computed again
from the other store. Both apps here are the process's shared seed apps (``tests.app_servers``),
so the test costs no store and no app of its own.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.app_servers import component_in, seed_app, seed_server
from tests.browser_support import open_map
from webapp import ids


def _synthetic_nodes(app: Any) -> list[str]:
    """The synthetic nodes of Kobe's map as the app's layout answer draws it (the map's first page)."""
    client = app.server.test_client()
    answer = client.get("/_dash-layout", headers={"Referer": "http://localhost/?region=kobe"})
    assert answer.status_code == 200
    cyto = component_in(json.loads(answer.get_data(as_text=True)), ids.CYTO)
    assert cyto is not None
    elements = cyto["props"]["elements"]
    assert any("source" not in e["data"] for e in elements)
    return [e["data"]["id"] for e in elements if "source" not in e["data"] and "synthetic" in e.get("classes", "")]


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    """The process's app over the demo seed and its app over the real layer alone, both built."""
    return seed_app(tmp_path_factory), seed_app(tmp_path_factory, demo=False)


def test_each_app_draws_the_first_page_from_its_own_store(apps: tuple[Any, Any]) -> None:
    demo, real = apps
    assert _synthetic_nodes(demo)
    assert _synthetic_nodes(real) == []
    assert _synthetic_nodes(demo)  # and again after the other app answered


@pytest.mark.browser
def test_a_visitor_sees_the_demo_layer_where_the_banner_says_it_is(
    tmp_path_factory: pytest.TempPathFactory, apps: tuple[Any, Any], page: Page
) -> None:
    demo = seed_server(tmp_path_factory)
    real = seed_server(tmp_path_factory, demo=False)
    for url, synthetic in ((demo, True), (real, False), (demo, True)):
        open_map(page, f"{url}/?region=kobe")
        banner = expect(page.locator("#synthetic-banner"))
        banner.to_be_visible() if synthetic else banner.to_be_hidden()
        drawn = page.evaluate("window.cy.nodes('.synthetic').length")
        assert (drawn > 0) is synthetic, url
