"""The compare page's body travels as one HTML string (issue 23: the first visit near an empty page's time).

As Dash components the body was some 370 React components, and mounting them was most of what the
page's first visit spent beyond the 404 page's. These tests hold what replaced them: the same table,
chart, notes and networks as one ``data-html`` string put in place by ``assets/compare.js``, its
in-app links still navigating without a reload, and the networks as text-encoded SVG addresses.
"""

from __future__ import annotations

import base64
import gzip
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

import pytest
from dash.development.base_component import Component

from graph.words import LANGS
from tests.app_servers import component_in, seed_app, seed_server
from webapp import ids
from webapp.data import DataSource
from webapp.first_page import CONTENT
from webapp.pages.compare import compare_body, layout, page_body, region_names, svg_data_uri


class _Elements(HTMLParser):
    """Every start tag of an HTML string with its attributes, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def find(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def _parsed(text: str) -> _Elements:
    parser = _Elements()
    parser.feed(text)
    parser.close()
    return parser


def _components(node: Any) -> int:
    """How many Dash components a layout holds (what the browser's renderer mounts one by one)."""
    if isinstance(node, list | tuple):
        return sum(_components(child) for child in node)
    if isinstance(node, Component):
        return 1 + _components(getattr(node, "children", None))
    return 0


@pytest.fixture(scope="module")
def ds(tmp_path_factory: pytest.TempPathFactory) -> DataSource:
    """The process's shared app over the demo seed (read only), as in the other page tests."""
    source: DataSource = seed_app(tmp_path_factory).server.config["IPECO_DATA"]
    return source


def test_a_drawing_travels_as_text_that_decodes_to_itself() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><title>神戸市 #1 &amp; 50%</title><circle fill="#0072B2"/></svg>'
    uri = svg_data_uri(svg)
    prefix, payload = uri.split(",", 1)
    assert prefix == "data:image/svg+xml;charset=utf-8"
    assert unquote(payload) == svg
    # a '#' would end the address (the rest a fragment); quotes and brackets would end an attribute
    assert not set('#"<>&') & set(payload)


@pytest.mark.parametrize("lang", LANGS)
def test_the_networks_compress_better_than_base64(ds: DataSource, lang: str) -> None:
    cards = compare_body(ds, lang, real_only=False)[-1].children
    sources = [card.children[1].src for card in cards]
    drawings = [unquote(src.split(",", 1)[1]) for src in sources]
    sent = len(gzip.compress("".join(sources).encode()))
    as_base64 = "".join("data:image/svg+xml;base64," + base64.b64encode(d.encode()).decode() for d in drawings)
    assert sent < 0.8 * len(gzip.compress(as_base64.encode()))


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_sends_its_body_as_one_html_string(ds: DataSource, lang: str) -> None:
    body = page_body(ds, lang, real_only=False)
    assert len(body) == 1 and body[0].className == "compare-body"
    page = _parsed(vars(body[0])["data-html"])
    regions = ds.compare()["regions"]
    names = region_names(ds, lang)
    # the table, each indicator's definition on hover, a column per region
    (table,) = [a for a in page.find("table") if a.get("id") == "compare-table"]
    assert table["class"] == "compare-table"
    components = compare_body(ds, lang, real_only=False)
    rows = components[1].children[1].children
    assert [a["title"] for a in page.find("abbr")] == [r.children[0].children.title for r in rows]
    # the chart inline (nothing left to unpack), one image per region named by its region
    assert len([a for a in page.find("svg") if "bar-chart" in (a.get("class") or "")]) == 1
    assert not [a for _, a in page.tags if "data-svg" in a]
    images = page.find("img")
    assert [a["class"] for a in images] == ["thumb-img"] * len(regions)
    sources = [(a["src"] or "").split(",", 1) for a in images]
    assert all(kind == "data:image/svg+xml;charset=utf-8" and unquote(svg).startswith("<svg") for kind, svg in sources)
    assert all(names[r] in (a["alt"] or "") for r, a in zip(regions, images, strict=True))
    # in-app links keep navigating as dcc.Link did (assets/compare.js)
    links = page.find("a")
    assert links and all("data-dash-link" in a for a in links)


def test_the_layout_mounts_a_handful_of_components(ds: DataSource) -> None:
    """The old layout was some 370 components, one React component each; the new one under ten."""
    assert _components(layout(ds)) < 10
    assert _components(compare_body(ds, "ja", real_only=False)) > 100  # what the string stands for


@pytest.mark.parametrize("lang", LANGS)
def test_the_layout_answer_holds_the_page(tmp_path_factory: pytest.TempPathFactory, ds: DataSource, lang: str) -> None:
    """A first visit of /compare gets its body with Dash's layout answer (webapp.first_page), so it
    waits for no router callback: the 404 page's one round trip more."""
    client = seed_app(tmp_path_factory).server.test_client()
    query = "?lang=en" if lang == "en" else ""
    answer = client.get("/_dash-layout", headers={"Referer": f"http://localhost/compare{query}"}).get_json()
    content = component_in(answer, CONTENT)
    assert content is not None and content["props"]["children"] is not None
    holder = component_in(answer, ids.COMPARE_CHARTS)
    assert holder is not None
    (body,) = holder["props"]["children"]
    assert body["props"]["data-html"] == vars(page_body(ds, lang, real_only=False)[0])["data-html"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> str:
    return seed_server(tmp_path_factory)


@pytest.mark.browser
def test_a_link_in_the_body_navigates_without_a_reload(server: str, page: Any) -> None:
    page.goto(f"{server}/compare?lang=en")
    page.wait_for_selector("#compare-table abbr", timeout=120_000)
    page.evaluate("() => { window.__samePage = true; }")
    page.click(".compare-body a.help-link")
    page.wait_for_selector("dl.glossary", timeout=30_000)
    assert "/help" in page.url and "lang=en" in page.url
    assert page.evaluate("() => window.__samePage") is True  # no reload: Dash's router drew the page


@pytest.mark.browser
def test_a_network_links_to_its_map(server: str, page: Any) -> None:
    """A thumbnail's heading opens its region's map (a full load that brings the graph bundle)."""
    page.goto(f"{server}/compare")
    page.wait_for_selector(".thumb h3 a", timeout=120_000)
    href = page.locator(".thumb h3 a").first.get_attribute("href")
    assert href and href.startswith("/?region=")
    page.click(".thumb h3 a")
    page.wait_for_function("window.cy && window.cy.nodes().length > 0", timeout=60_000)
    assert href in page.url
