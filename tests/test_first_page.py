"""The map comes drawn with the layout answer (webapp.first_page), and nothing else changes.

In-process: the layout answer holds the map of the region in the page's address (read from the
request's Referer), and only for the map, the app's own host and a page that asks. In Debian
chromium: a first visit draws the map without the pages router's callback; a page reached from it
by a link, and a move back, are fetched as before; and when the layout was made for another address
than the page's (a proxy that shortens the Referer), the browser drops it and the router's callback
brings the right page.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import flask
import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st
from playwright.sync_api import Page, Request, Route
from plotly.io.json import to_json_plotly

from graph.embedded import EmbeddedStore
from tests.app_servers import component_in, seed_app
from tests.browser_support import serve, settle
from tests.conftest import seeded_store_file
from webapp import ids
from webapp.app import create_app
from webapp.bundles import dependencies_preload, layout_preload
from webapp.first_page import CONTENT, LOCATION, FirstPage, first_page, with_first_page


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_store_file(tmp_path_factory, "first-page")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The process's shared app over the demo seed (these tests only read through it)."""
    return seed_app(tmp_path_factory)


@pytest.fixture(scope="module")
def client(app: Any) -> Any:
    client = app.server.test_client()
    client.get("/")  # the first request registers the pages router
    return client


def _layout(client: Any, referrer: str | None) -> dict[str, Any]:
    answer = client.get("/_dash-layout", headers={"Referer": referrer} if referrer else {})
    assert answer.status_code == 200
    return json.loads(answer.get_data(as_text=True))


def _elements(layout: dict[str, Any]) -> list[dict[str, Any]]:
    cyto = component_in(layout, ids.CYTO)
    assert cyto is not None
    return list(cyto["props"]["elements"])


def test_the_layout_answer_holds_the_map_of_the_region_in_the_address(client: Any) -> None:
    for region in ("kobe", "aomori"):
        layout = _layout(client, f"http://localhost/?region={region}&lang=en")
        location = component_in(layout, LOCATION)
        assert location is not None
        assert location["props"]["pathname"] == "/"
        assert location["props"]["search"] == f"?region={region}&lang=en"
        nodes = [e for e in _elements(layout) if "source" not in e["data"]]
        assert nodes, region
        assert all("position" in e for e in nodes)
        region_select = component_in(layout, ids.REGION)
        assert region_select is not None and region_select["props"]["value"] == region
        lang = component_in(layout, ids.LANG)
        assert lang is not None and lang["props"]["data"] == "en"
    kobe = {e["data"]["id"] for e in _elements(_layout(client, "http://localhost/?region=kobe"))}
    aomori = {e["data"]["id"] for e in _elements(_layout(client, "http://localhost/?region=aomori"))}
    assert kobe != aomori


def test_the_layout_answer_is_the_json_dash_would_write(app: Any, client: Any) -> None:
    page = next(p for p in dash.page_registry.values() if p["path"] == "/")
    layout = _layout(client, "http://localhost/?region=ishikawa")
    with app.server.test_request_context("/_dash-layout"):
        own = json.loads(to_json_plotly(with_first_page(app.get_layout(), page, FirstPage("/", "?region=ishikawa"))))
    assert layout == own


@pytest.mark.parametrize(
    "referrer",
    [
        None,
        "http://localhost/gaps?region=kobe",
        "http://localhost/no-such-page",
        "http://elsewhere.example/?region=kobe",
    ],
)
def test_other_pages_hosts_and_no_referrer_get_the_plain_shell(client: Any, referrer: str | None) -> None:
    layout = _layout(client, referrer)
    content = component_in(layout, CONTENT)
    location = component_in(layout, LOCATION)
    assert content is not None and location is not None
    assert content["props"].get("children") is None
    assert "pathname" not in location["props"]


@given(st.text(alphabet="abc=&%?é日 ", max_size=20))
def test_first_page_reads_path_and_query_as_the_browser_has_them(query: str) -> None:
    where = first_page(f"http://h:1/?{query}", "h:1")
    assert where is not None
    assert where.pathname == "/"
    assert where.search == (f"?{query}" if query else "")
    assert first_page(f"http://h:2/?{query}", "h:1") is None


@pytest.mark.parametrize(
    ("path", "preloaded"),
    [("/", True), ("/?region=kobe", True), ("/compare", True), ("/gaps", False), ("/nope", False)],
)
def test_the_map_page_asks_for_its_layout_answer_beside_its_scripts(client: Any, path: str, preloaded: bool) -> None:
    html = client.get(path).get_data(as_text=True)
    assert (layout_preload("") in html) is preloaded
    assert (dependencies_preload("") in html) is preloaded
    assert layout_preload("/app/") == layout_preload("").replace('href="/', 'href="/app/')
    assert dependencies_preload("/app/") == dependencies_preload("").replace('href="/', 'href="/app/')


def test_first_page_params_are_the_routers() -> None:
    assert FirstPage("/", "?region=kobe&ties=a&ties=b&sel=").params() == {
        "region": "kobe",
        "ties": ["a", "b"],
        "sel": "",
    }
    assert FirstPage("/", "").params() == {}


# --- in the browser ---------------------------------------------------------------------------------


#: The Referer of each layout request the test server answered.
layout_answers: list[str] = []
#: The ``_dash-dependencies`` requests the test server answered.
dependency_answers: list[str] = []


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[str]:
    app = create_app(lambda: EmbeddedStore(db), auth="")

    @app.server.before_request
    def count() -> None:
        if flask.request.path.endswith("/_dash-layout"):
            layout_answers.append(flask.request.referrer or "")
        if flask.request.path.endswith("/_dash-dependencies"):
            dependency_answers.append(flask.request.referrer or "")

    with serve(app) as url:
        yield url


def _router_calls(page: Page) -> list[str]:
    calls: list[str] = []

    def seen(request: Request) -> None:
        if "_dash-update-component" in request.url and CONTENT in (request.post_data or ""):
            calls.append(request.post_data or "")

    page.on("request", seen)
    return calls


def _drawn(page: Page) -> list[str]:
    page.wait_for_function("window.cy && window.cy.nodes().length > 0", timeout=30_000)
    return list(page.evaluate("() => window.cy.nodes().map(n => n.id())"))


@pytest.mark.browser
def test_a_first_visit_draws_the_map_without_the_routers_callback(page: Page, server: str) -> None:
    calls = _router_calls(page)
    layout_answers.clear()
    page.goto(f"{server}/?region=kobe")
    nodes = _drawn(page)
    assert len(nodes) > 20
    page.wait_for_timeout(500)
    assert calls == []
    # the preloaded answer is the one the renderer uses: the server made one
    assert layout_answers == [f"{server}/?region=kobe"]
    assert page.title().startswith("ipeco")
    # a link to another page is followed by the router as before, and back brings the map again
    page.click(f"#{ids.NAV_LINKS[3]}")
    page.wait_for_selector("#map-cyto", state="detached", timeout=30_000)
    assert len(calls) == 1
    page.go_back()
    assert set(_drawn(page)) == set(nodes)


@pytest.mark.browser
def test_the_first_visit_takes_the_callbacks_from_the_preload(page: Page, server: str) -> None:
    """The renderer's ``_dash-dependencies`` request is answered by the page's preload, asked for
    beside the scripts: the browser and the server see that one request, not a second from the renderer."""
    dependency_answers.clear()
    page.goto(f"{server}/?region=kobe")
    _drawn(page)
    settle(page)  # every request the first visit makes has ended
    entries = page.evaluate(
        "() => performance.getEntriesByType('resource')"
        ".filter(e => e.name.endsWith('/_dash-dependencies')).map(e => e.initiatorType)"
    )
    assert entries == ["link"]
    assert dependency_answers == [f"{server}/?region=kobe"]


@pytest.mark.browser
def test_a_layout_made_for_another_address_is_dropped_and_the_router_fetches_the_page(page: Page, server: str) -> None:
    other = requests.get(f"{server}/_dash-layout", headers={"Referer": f"{server}/?region=aomori"}, timeout=60)

    def elsewhere(route: Route) -> None:  # the layout a proxy's shortened or rewritten Referer would bring
        route.fulfill(status=200, content_type="application/json", body=other.content)

    page.route("**/_dash-layout", elsewhere)
    calls = _router_calls(page)
    page.goto(f"{server}/?region=kobe")
    page.wait_for_function("window.cy && window.cy.getElementById('net:kobe-regional').length > 0", timeout=30_000)
    assert len(calls) == 1
    assert set(_drawn(page)) == _layout_nodes(server, "kobe")
    assert "net:kobe-regional" not in _layout_nodes(server, "aomori")


def _layout_nodes(server: str, region: str) -> set[str]:
    answer = requests.get(f"{server}/_dash-layout", headers={"Referer": f"{server}/?region={region}"}, timeout=60)
    layout = answer.json()
    return {e["data"]["id"] for e in _elements(layout) if "source" not in e["data"]}
