"""End to end in a real browser: Playwright driving Debian's chromium against a real server.

The app runs on werkzeug in a background thread over an embedded store filled with the project's
seed with its flagged demo layer (``seeds.seed_batch()``).

How a node is "clicked": cytoscape draws on a canvas, so there is no DOM element per node.
dash-cytoscape exposes the cytoscape instance as ``window.cy``; emitting ``tap`` on a node runs the
same handler a mouse click does and fills ``tapNodeData``, which is what the app listens to. The
node list under the map (buttons, for keyboard users) and the search box are the other two ways and
are tested too.
"""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.app_servers import seed_server
from tests.browser_support import (
    DOC_IMAGES,
    SHOTS,
    WRITE_DOC_IMAGES,
    new_context,
    node_ids,
    open_map,
    pick_in_dropdown,
    settle,
    shot,
    tap_node,
    wait_for_nodes_change,
)
from webapp.ids import COMPARE_REAL

pytestmark = pytest.mark.browser

#: The seed's model regions in JIS order: FY2024 (青森県, 石川県, 神戸市) and FY2025 (愛知県, 山口県, 熊本市).
MODEL_REGIONS = {
    "aomori": "青森県",
    "ishikawa": "石川県",
    "aichi": "愛知県",
    "kobe": "神戸市",
    "yamaguchi": "山口県",
    "kumamoto": "熊本市",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The process's shared app over the demo seed (this module only reads it)."""
    return seed_server(tmp_path_factory)


@pytest.mark.parametrize("region", sorted(MODEL_REGIONS))
def test_map_renders_nodes_for_each_region(server: str, page: Page, region: str) -> None:
    open_map(page, f"{server}/?region={region}")
    ids = node_ids(page)
    assert f"region:{region}" in ids
    assert len(ids) > 10
    assert MODEL_REGIONS[region] in page.inner_text("#map-region")
    assert "ノード" in page.inner_text("#map-notice")
    shot(page, f"map-{region}")
    if region == "kobe" and WRITE_DOC_IMAGES:
        shutil.copyfile(SHOTS / "map-kobe.png", DOC_IMAGES / "map.png")


def test_region_picker_lists_the_model_regions(server: str, page: Page) -> None:
    open_map(page, f"{server}/")
    page.click("#map-region")
    options = page.locator("[data-radix-popper-content-wrapper] [role=option]").all_inner_texts()
    assert [o for o in options if o in MODEL_REGIONS.values()] == list(MODEL_REGIONS.values())
    page.keyboard.press("Escape")


def test_synthetic_items_are_marked(server: str, page: Page) -> None:
    open_map(page, f"{server}/?region=kobe")
    assert page.locator("#synthetic-banner").is_visible()
    dashed = page.evaluate("window.cy.nodes('.synthetic').map(n => n.style('border-style'))")
    assert dashed and set(dashed) == {"dashed"}


def test_filter_changes_what_is_drawn(server: str, page: Page) -> None:
    open_map(page, f"{server}/?region=kobe")
    before = node_ids(page)
    assert page.evaluate("window.cy.nodes('.synthetic').length") > 0
    page.get_by_label("実データのみ").check()
    after = wait_for_nodes_change(page, before)
    assert after < before
    assert page.evaluate("window.cy.nodes('.synthetic').length") == 0
    assert "data=real" in page.url
    page.locator("#map-role label", has_text="大学・高専").locator("input").check()
    only_universities = wait_for_nodes_change(page, after)
    kinds = set(page.evaluate("window.cy.nodes().map(n => n.data('kind'))"))
    assert kinds <= {"University", "Region"} and len(only_universities) < len(after)
    shot(page, "map-filtered")


def test_clicking_a_node_opens_its_detail(server: str, page: Page) -> None:
    open_map(page, f"{server}/?region=ishikawa")
    target = page.evaluate("window.cy.nodes('[kind = \"University\"]').first().id()")
    name = page.evaluate(f"window.cy.getElementById({target!r}).data('label')")
    tap_node(page, target)
    page.wait_for_function(
        "name => (document.querySelector('#map-detail h3') || {}).innerText === name",
        arg=name,
        timeout=15_000,
    )
    detail = page.inner_text("#map-detail")
    for heading in ("属性", "根拠", "つながり先", "関係するギャップ"):
        assert heading in detail
    assert f"sel={target}" in page.url
    # a neighbour button in the panel selects that neighbour (the keyboard path)
    page.locator("#map-detail .nbrs button").first.click()
    page.wait_for_function("name => document.querySelector('#map-detail h3').innerText !== name", arg=name)
    shot(page, "map-detail")


def test_search_finds_a_real_organisation_by_japanese_name(server: str, page: Page) -> None:
    open_map(page, f"{server}/?region=aomori")
    pick_in_dropdown(page, "map-search", "弘前大学", "弘前大学")
    page.wait_for_function(
        "() => (document.querySelector('#map-detail h3') || {}).innerText === '弘前大学'", timeout=15_000
    )
    detail = page.inner_text("#map-detail")
    assert "synthetic\nFalse" in detail.replace("\t", "\n") or "デモ" not in detail.split("属性")[0]
    assert "sel=" in page.url


def test_compare_page_shows_every_model_region(server: str, page: Page) -> None:
    page.goto(f"{server}/compare")
    page.wait_for_selector("#compare-table", timeout=120_000)  # six regions, each with null models
    headers = page.locator("#compare-table thead th").all_inner_texts()[1:]
    # each column is headed by its region's name; a region with too few ties says so beneath it
    assert [h.splitlines()[0] for h in headers] == list(MODEL_REGIONS.values())
    assert page.locator(".thumb").count() == len(MODEL_REGIONS)
    # the networks are server-drawn images, each named by its region; no graph canvas starts
    alts = page.locator(".thumb img").evaluate_all("imgs => imgs.map(i => i.alt)")
    assert [a for a, name in zip(alts, MODEL_REGIONS.values(), strict=True) if name in a] == alts
    assert page.locator(".thumb canvas").count() == 0
    page.wait_for_selector(".charts svg.bar-chart", timeout=30_000)
    # one chart drawn on the server, inline (compare.js puts it in place), a panel per key indicator
    assert page.locator(".charts svg.bar-chart").count() == 1
    assert page.locator(".charts svg.bar-chart g.panel").count() >= 3
    assert page.locator(".charts svg.bar-chart rect.bar").count() >= len(MODEL_REGIONS)
    # laid out by the browser with a real size, and its legend names every region
    box = page.locator(".charts svg.bar-chart").bounding_box()
    assert box and box["width"] > 300 and box["height"] > 200
    legend = page.locator(".charts svg.bar-chart .legend-item text").all_text_contents()  # SVG: no innerText
    assert legend == list(MODEL_REGIONS.values())
    # no chart library: plotly.js is neither loaded nor parsed on this page
    loaded = page.evaluate("() => performance.getEntriesByType('resource').map(r => r.name).join(' ')")
    assert "plotly" not in loaded.lower()
    assert page.evaluate("() => typeof window.Plotly") == "undefined"
    definition = page.locator("#compare-table tbody abbr").first.get_attribute("title")
    assert definition
    settle(page)
    shot(page, "compare", doc=True)
    shot(page, "compare-full", full_page=True)  # the charts and networks below the table
    # the "real data only" toggle replaces the page's body: the new chart (other values) takes the old one's place
    before = page.locator(".charts svg.bar-chart").evaluate("svg => svg.outerHTML")
    page.locator(f"#{COMPARE_REAL} input").check()
    page.wait_for_function(
        "old => { const s = document.querySelectorAll('.charts svg.bar-chart');"
        " return s.length === 1 && s[0].outerHTML !== old; }",
        arg=before,
        timeout=60_000,
    )
    page.goto(f"{server}/compare?lang=en")
    page.wait_for_selector(".charts svg.bar-chart", timeout=30_000)
    assert page.locator(".charts svg.bar-chart .legend-item text").count() == len(MODEL_REGIONS)
    shot(page, "compare-full-en", full_page=True)


def test_language_switch(server: str, page: Page) -> None:
    open_map(page, f"{server}/?region=kobe")
    assert page.inner_text("#nav-map") == "マップ"
    page.click("#lang-link")
    page.wait_for_function("() => document.querySelector('#nav-map').innerText === 'Map'", timeout=15_000)
    page.wait_for_function("() => document.querySelector('#map-notice').innerText.includes('Showing')", timeout=15_000)
    assert "lang=en" in page.url and "region=kobe" in page.url
    assert "Kobe City" in page.inner_text("#map-region")
    shot(page, "map-en")
    page.click("#lang-link")
    page.wait_for_function("() => document.querySelector('#nav-map').innerText === 'マップ'", timeout=15_000)
    assert "lang=en" not in page.url


def test_deep_link_restores_the_view(server: str, browser: Browser, page: Page) -> None:
    open_map(page, f"{server}/?region=ishikawa&lang=en")
    page.get_by_label("Real only").check()
    page.wait_for_function("() => location.search.includes('data=real')")
    page.wait_for_timeout(500)
    target = page.evaluate("window.cy.nodes('[kind = \"SupportOrganization\"]').first().id()")
    tap_node(page, target)
    page.wait_for_function("t => location.search.includes('sel=' + t)", arg=target)
    link = page.url
    drawn = node_ids(page)
    heading = page.inner_text("#map-detail h3")

    other = new_context(browser, viewport={"width": 1280, "height": 800}).new_page()
    errors: list[str] = []
    other.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    open_map(other, link)
    other.wait_for_function("h => (document.querySelector('#map-detail h3') || {}).innerText === h", arg=heading)
    assert node_ids(other) == drawn
    assert other.inner_text("#nav-map") == "Map"
    assert other.locator("#map-data input[value=real]").is_checked()
    assert other.url == link
    other.context.close()
    assert errors == []


@pytest.mark.parametrize(
    ("name", "path", "expect"),
    [
        ("gaps", "/gaps?region=kobe", "ギャップ"),
        ("suggest", "/suggest?region=ishikawa", "連携提案"),
        ("query", "/query", "Cypher"),
    ],
)
def test_other_pages_render(server: str, page: Page, name: str, path: str, expect: str) -> None:
    page.goto(server + path)
    page.wait_for_selector("h2", timeout=30_000)
    assert expect in page.inner_text("h2")
    if name == "gaps":
        page.wait_for_selector(".gap-item", timeout=15_000)
        href = page.locator(".gap-item a").first.get_attribute("href")
        assert href and href.startswith("/?region=kobe")
    if name == "suggest":
        page.click("#suggest-org")
        page.locator("[data-radix-popper-content-wrapper] [role=option]").first.click()
        page.wait_for_selector(".suggest-cols", timeout=15_000)
    settle(page)
    shot(page, name)


def test_controls_are_keyboard_reachable(server: str, page: Page) -> None:
    open_map(page, f"{server}/?region=aomori")
    reached: list[Any] = []
    for _ in range(25):
        page.keyboard.press("Tab")
        # the control holding the focus (a tick box's own input has no id; its group has)
        reached.append(
            page.evaluate("(document.activeElement.closest('[id]') || {}).id || document.activeElement.className")
        )
    for control in ("lang-link", "map-region", "map-search", "map-role"):
        assert control in reached, reached


def test_navigation_keeps_the_region(server: str, page: Page) -> None:
    """Map → 地域比較 → 連携提案 (and help, which has no region of its own) stays in Kobe (issue 20)."""
    open_map(page, f"{server}/?region=kobe")
    page.wait_for_function("() => (document.querySelector('#nav-compare') || {}).href?.includes('region=kobe')")
    page.click("#nav-compare")
    page.wait_for_url("**/compare**")
    page.wait_for_function("() => document.querySelector('#nav-suggest').href.includes('region=kobe')")
    page.click("#nav-help")
    page.wait_for_url("**/help**")
    for nav in ("#nav-suggest", "#nav-gaps", "#nav-report", "#nav-map"):
        page.wait_for_function(f"() => document.querySelector('{nav}').href.includes('region=kobe')")
    page.click("#nav-suggest")
    page.wait_for_url("**/suggest?region=kobe**")
    shot(page, "nav-suggest-kobe")
