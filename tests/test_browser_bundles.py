"""What each page loads (dash-cytoscape's plain bundle, only where a graph is drawn) and the map's panel as HTML.

The HTTP checks read the page's HTML from the app in-process; the browser checks (Debian chromium)
move between pages with and without the bundle, as a visitor does, and use the detail panel's
links and buttons, which reach the browser as one HTML string (webapp.static_html).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from graph.embedded import EmbeddedStore
from tests.app_servers import seed_server
from tests.browser_support import open_map, shot, tap_node
from tests.conftest import seeded_store_file
from webapp.app import create_app
from webapp.bundles import CYTOSCAPE_SUITE, DROPDOWN, SLIDER, page_preloads, page_scripts

_SCRIPTS = "\n".join(
    [
        '<script src="/_dash-component-suites/dash/deps/react@18.js"></script>',
        f'<script src="{CYTOSCAPE_SUITE}dash_cytoscape_extra.v1.min.js"></script>',
        '<script src="/assets/map.js"></script>',
    ]
)


def test_page_scripts_leave_the_graph_bundle_to_graph_pages() -> None:
    assert page_scripts(_SCRIPTS, "/", ["/", "/query"]) == _SCRIPTS
    other = page_scripts(_SCRIPTS, "/compare", ["/", "/query"])
    assert CYTOSCAPE_SUITE not in other
    assert "react@18" in other and "/assets/map.js" in other
    assert 'window.ipecoGraphPages = ["/", "/query"]' in other


_PRELOAD = '<link rel="preload" as="script" href="'


def test_page_preloads_name_exactly_the_pages_chunks() -> None:
    chunks = {"/": DROPDOWN + SLIDER + DROPDOWN, "/query": ("a/t.js",)}
    assert page_preloads("/", "", chunks).split("\n") == [
        f'{_PRELOAD}/_dash-component-suites/dash/dcc/async-dropdown.js">',
        f'{_PRELOAD}/_dash-component-suites/dash/dcc/async-slider.js">',
    ]
    assert page_preloads("/query", "/app/", chunks) == f'{_PRELOAD}/app/a/t.js">'
    assert page_preloads("/nope", "", chunks) == ""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = seeded_store_file(tmp_path_factory, "bundles")
    return path


@pytest.mark.parametrize(
    ("path", "graph"),
    [("/", True), ("/?region=kobe", True), ("/query", True), ("/compare", False), ("/gaps", False), ("/nope", False)],
)
def test_each_page_names_the_bundle_only_where_it_draws_a_graph(db: Path, path: str, graph: bool) -> None:
    app = create_app(lambda: EmbeddedStore(db), auth="")
    page = app.server.test_client().get(path).get_data(as_text=True)
    assert (CYTOSCAPE_SUITE in page) is graph
    assert ("ipecoGraphPages" in page) is not graph


def test_graph_pages_load_the_plain_cytoscape_bundle(db: Path) -> None:
    """No page needs the extra bundle (1.4 MB: layouts drawn on the server, the SVG export too)."""
    app = create_app(lambda: EmbeddedStore(db), auth="")
    for path in ("/?region=kobe", "/query", "/workbench"):
        page = app.server.test_client().get(path).get_data(as_text=True)
        assert f"{CYTOSCAPE_SUITE}dash_cytoscape.v" in page, path
        assert "dash_cytoscape_extra" not in page, path


@pytest.mark.parametrize(
    ("path", "chunks"),
    [
        ("/?region=kobe", ["dcc/async-dropdown.js", "dcc/async-slider.js"]),
        ("/query", ["dash_table/async-highlight.js", "dash_table/async-table.js"]),
        ("/workbench", ["dcc/async-dropdown.js", "dcc/async-upload.js"]),
        ("/compare", []),
        ("/nope", []),
    ],
)
def test_each_page_preloads_only_the_lazy_chunks_it_uses(db: Path, path: str, chunks: list[str]) -> None:
    app = create_app(lambda: EmbeddedStore(db), auth="")
    page = app.server.test_client().get(path).get_data(as_text=True)
    listed = [line.strip() for line in page.split("\n") if _PRELOAD in line]
    assert listed == [f'{_PRELOAD}/_dash-component-suites/dash/{chunk}">' for chunk in chunks]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The process's shared app over the demo seed (this module only reads it)."""
    return seed_server(tmp_path_factory)


@pytest.mark.browser
def test_a_page_without_the_bundle_leads_to_the_map(server: str, page: Page) -> None:
    page.goto(f"{server}/compare?region=kobe")
    page.wait_for_selector("#compare-table", timeout=60_000)
    assert page.evaluate("!window.dash_cytoscape")
    page.click("#nav-gaps")  # between pages without a graph, Dash's own navigation
    page.wait_for_url("**/gaps**")
    page.click("#nav-map")  # to the map: a full load brings the bundle
    page.wait_for_function("window.cy && window.cy.nodes().length > 0", timeout=60_000)
    page.click("#nav-compare")
    page.wait_for_selector("#compare-table", timeout=60_000)
    page.go_back()
    page.wait_for_function("window.cy && window.cy.nodes().length > 0", timeout=60_000)


@pytest.mark.browser
def test_the_panels_buttons_and_links_work(server: str, page: Page) -> None:
    open_map(page, f"{server}/?region=kobe")
    node = page.evaluate("window.cy.nodes('[kind = \"SupportOrganization\"]').max(n => n.degree()).ele.id()")
    tap_node(page, node)
    page.wait_for_selector("#map-detail h3", timeout=20_000)
    name = page.inner_text("#map-detail h3")
    page.wait_for_selector("#map-detail-suggest h4", timeout=20_000)
    shot(page, "map-selected")
    # a neighbour's button selects it: the panel, the address and the highlight follow
    page.evaluate("window.__samePage = true")
    page.locator("#map-detail .nbrs button").first.click()
    page.wait_for_function("name => document.querySelector('#map-detail h3').innerText !== name", arg=name)
    picked = page.evaluate("new URLSearchParams(location.search).get('sel')")
    assert picked and picked != node
    page.wait_for_function("id => window.cy.getElementById(id).hasClass('focus')", arg=picked, timeout=20_000)
    # the glossary link goes to the help page without reloading the app
    page.locator("#map-detail a.help-link").first.click()
    page.wait_for_url("**/help**")
    assert page.evaluate("window.__samePage === true")


@pytest.mark.browser
def test_the_map_fetches_its_chunks_once_before_its_content(server: str, page: Page) -> None:
    """The preloaded chunks are asked for before the page's first callback, and webpack reuses them."""
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url.removeprefix(server)))
    open_map(page, f"{server}/?region=kobe")
    # the map comes with the layout answer (webapp.first_page): on a loaded machine it may be drawn
    # before the shell's callbacks are asked, and then every chunk was asked for before any callback
    first_call = next((i for i, url in enumerate(asked) if url.startswith("/_dash-update-component")), len(asked))
    for chunk in DROPDOWN + SLIDER:
        where = [i for i, url in enumerate(asked) if url == f"/{chunk}"]
        assert len(where) == 1, (chunk, asked)
        assert where[0] < first_call, (chunk, asked)
    assert not [url for url in asked if "/async-" in url and url.removeprefix("/") not in DROPDOWN + SLIDER]
