"""The map as a producer meets it, in a real browser (Playwright + Debian chromium) on the seeded regions.

What is checked is what a person sees: the graph fills the canvas, the support bodies are named at
the opening zoom and no two names overlap (label boxes read from cytoscape itself), a wheel notch
zooms gently, a search and a "show on map" link centre and highlight their node (at once when the
visitor asks for reduced motion, as the test contexts do; with an animation otherwise), the PNG export
is print-sized, and the SVG export (drawn on the server from what the map shows) holds the title,
the legend and one mark per node. Screenshots go to ``test-artifacts/screenshots/map-<region>.png``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.app_servers import seed_server
from tests.browser_support import pick_in_dropdown, shot, tap_node

pytestmark = pytest.mark.browser

REGIONS = ("aomori", "ishikawa", "kobe")
_SVG = "{http://www.w3.org/2000/svg}"

#: Label boxes of the named nodes, the canvas size and the drawn graph's box (rendered pixels).
_LABELS_JS = """() => {
  const cy = window.cy;
  const named = cy.nodes().filter(n => n.visible() && !n.hasClass('nolabel'));
  const box = n => {
    const b = n.renderedBoundingBox({includeLabels: true, includeNodes: false, includeEdges: false});
    return {id: n.id(), kind: n.data('kind'), x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2};
  };
  const all = cy.nodes().renderedBoundingBox();
  return {
    labels: named.map(box),
    support: cy.nodes('[kind = "SupportOrganization"]').map(n => ({id: n.id(), named: !n.hasClass('nolabel')})),
    width: cy.width(), height: cy.height(),
    graph: {x1: all.x1, y1: all.y1, x2: all.x2, y2: all.y2},
  };
}"""

_POSITION_JS = """id => {
  const n = window.cy.getElementById(id);
  const p = n.renderedPosition();
  return {x: p.x, y: p.y, width: window.cy.width(), height: window.cy.height(),
          focus: n.hasClass('focus'), named: !n.hasClass('nolabel'),
          faded: window.cy.nodes('.faded').length, neighbours_faded: n.neighborhood('node.faded').length};
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The process's shared app over the demo seed (this module only reads it)."""
    return seed_server(tmp_path_factory)


def open_labelled_map(page: Page, url: str) -> None:
    """Open a map and wait until the label script has placed the names (and the view is still)."""
    page.goto(url)
    page.wait_for_function("window.cy && window.cy.nodes().length > 0", timeout=60_000)
    page.wait_for_function("window.ipecoMap && window.ipecoMap.passes > 0", timeout=20_000)
    page.wait_for_timeout(700)


def overlapping(boxes: list[dict[str, Any]], tolerance: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of boxes that overlap by more than ``tolerance`` pixels in both directions."""
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            dx = min(a["x2"], b["x2"]) - max(a["x1"], b["x1"])
            dy = min(a["y2"], b["y2"]) - max(a["y1"], b["y1"])
            if dx > tolerance and dy > tolerance:
                out.append((a["id"], b["id"]))
    return out


@pytest.mark.parametrize("region", REGIONS)
def test_map_opens_readable(server: str, page: Page, region: str) -> None:
    open_labelled_map(page, f"{server}/?region={region}")
    info = page.evaluate(_LABELS_JS)
    graph, width, height = info["graph"], info["width"], info["height"]
    # fitted: the drawn graph spans most of the canvas in its limiting direction, and all of it is inside
    covered = max((graph["x2"] - graph["x1"]) / width, (graph["y2"] - graph["y1"]) / height)
    assert covered > 0.8, info["graph"]
    assert graph["x1"] >= -1 and graph["y1"] >= -1 and graph["x2"] <= width + 1 and graph["y2"] <= height + 1
    # support bodies are named at the opening zoom (in a dense region one in twenty may wait for the
    # first zoom rather than overlap another name), and no two names overlap
    unnamed = [s for s in info["support"] if not s["named"]]
    assert info["support"] and len(unnamed) <= len(info["support"]) // 20, unnamed
    assert len(info["labels"]) >= len(info["support"])
    assert overlapping(info["labels"]) == []
    # names are readable (on-screen font ≥ 11 px) and the firms are not all named (no wall of text)
    fonts = page.evaluate("window.cy.nodes().not('.nolabel').map(n => parseFloat(n.renderedStyle('font-size')))")
    assert min(fonts) >= 11
    assert len(info["labels"]) < page.evaluate("window.cy.nodes().length") / 2
    shot(page, f"map-{region}")


#: How many nodes are drawn inside the canvas now.
_ON_SCREEN_JS = (
    "window.cy.nodes(':visible').filter(n => { const p = n.renderedPosition(); "
    "return p.x >= 0 && p.y >= 0 && p.x <= window.cy.width() && p.y <= window.cy.height(); }).length"
)


def test_wheel_zooms_gently_and_names_more(server: str, page: Page) -> None:
    open_labelled_map(page, f"{server}/?region=kobe")
    before = page.evaluate(f"[window.cy.zoom(), window.ipecoMap.labelled / ({_ON_SCREEN_JS})]")
    box = page.locator("#map-cyto").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -100)  # one notch
    page.wait_for_timeout(500)
    one = page.evaluate("window.cy.zoom()")
    assert 1.02 < one / before[0] < 1.6  # gentle: not the ×3 of cytoscape's default
    for _ in range(6):
        page.mouse.wheel(0, -100)
        page.wait_for_timeout(120)
    page.wait_for_timeout(600)
    info = page.evaluate(_LABELS_JS)
    assert overlapping(info["labels"]) == []
    # more names as there is room: a larger share of the nodes on screen is named (zooming in also
    # moves named nodes off the screen, so the count alone may fall)
    assert page.evaluate(f"window.ipecoMap.labelled / ({_ON_SCREEN_JS})") > before[1]


def _assert_centred(page: Page, node: str, *, slack: float = 0.12) -> None:
    page.wait_for_function("id => window.cy.getElementById(id).hasClass('focus')", arg=node, timeout=20_000)
    # the centring animation: wait until the viewport stops moving (a loaded machine slows it down)
    page.wait_for_function(
        """id => { const cy = window.cy; if (cy.animated()) { window.__still = 0; return false; }
             window.__still = (window.__still || 0) + 1; return window.__still > 10; }""",
        arg=node,
        timeout=20_000,
    )
    pos = page.evaluate(_POSITION_JS, node)
    assert abs(pos["x"] - pos["width"] / 2) < slack * pos["width"], pos
    assert abs(pos["y"] - pos["height"] / 2) < slack * pos["height"], pos
    assert pos["focus"] and pos["named"], pos
    assert pos["faded"] > 0 and pos["neighbours_faded"] == 0, pos  # the neighbourhood stands out


@pytest.mark.parametrize("region", REGIONS)
def test_search_centres_the_node(server: str, page: Page, region: str) -> None:
    open_labelled_map(page, f"{server}/?region={region}")
    # a firm far from the centre of the picture: the last-placed company
    node, name = page.evaluate(
        """() => { const cy = window.cy; const c = cy.width() / 2, m = cy.height() / 2;
          const firms = cy.nodes('[kind = "Company"]').not('.synthetic').sort((a, b) => {
            const pa = a.renderedPosition(), pb = b.renderedPosition();
            return Math.hypot(pb.x - c, pb.y - m) - Math.hypot(pa.x - c, pa.y - m); });
          return [firms[0].id(), firms[0].data('label')]; }"""
    )
    pick_in_dropdown(page, "map-search", name[:6], name)
    _assert_centred(page, node)


#: Counts the map's animated moves: the cytoscape instance's own ``animate``, wrapped.
_COUNT_ANIMATIONS_JS = """() => { const cy = window.cy, animate = cy.animate.bind(cy); window.__animations = 0;
  cy.animate = (...args) => { window.__animations += 1; return animate(...args); }; }"""


def test_a_selection_is_framed_at_once_with_reduced_motion_and_animated_without(server: str, page: Page) -> None:
    """With reduced motion asked for, a selection is centred in the step that marks it, with no animation;
    without, the view glides there (the same page, its media preference changed in between)."""
    open_labelled_map(page, f"{server}/?region=kobe")
    first, second = page.evaluate("window.cy.nodes('[kind = \"SupportOrganization\"]').map(n => n.id()).slice(0, 2)")
    page.evaluate(_COUNT_ANIMATIONS_JS)
    tap_node(page, first)
    page.wait_for_function("id => window.cy.getElementById(id).hasClass('focus')", arg=first, timeout=20_000)
    pos = page.evaluate(_POSITION_JS, first)
    assert page.evaluate("[window.__animations, window.cy.animated()]") == [0, False]
    assert abs(pos["x"] - pos["width"] / 2) < 0.12 * pos["width"], pos
    assert abs(pos["y"] - pos["height"] / 2) < 0.12 * pos["height"], pos
    page.emulate_media(reduced_motion="no-preference")
    tap_node(page, second)
    page.wait_for_function("id => window.cy.getElementById(id).hasClass('focus')", arg=second, timeout=20_000)
    assert page.evaluate("window.__animations") >= 1
    _assert_centred(page, second)


def test_gaps_link_lands_on_its_target(server: str, page: Page) -> None:
    page.goto(f"{server}/gaps?region=kobe")
    link = page.locator("a[href*='sel=']").first
    link.wait_for(timeout=30_000)
    href = link.get_attribute("href") or ""
    node = href.split("sel=")[1].split("&")[0].replace("%3A", ":")
    link.click()
    page.wait_for_function("window.cy && window.cy.nodes().length > 0", timeout=60_000)
    _assert_centred(page, node, slack=0.15)
    shot(page, "map-from-gaps")


def test_path_link_frames_both_ends(server: str, page: Page) -> None:
    """A Suggest card's link (``sel=`` and ``path=``) shows the path with both ends in view."""
    open_labelled_map(page, f"{server}/?region=kobe")
    a, b = page.evaluate(
        """() => { const s = window.cy.nodes('[kind = "SupportOrganization"]')
            .filter(n => n.neighborhood('node[kind = "Company"]').length > 0).first();
          const f = s.neighborhood('node[kind = "Company"]').first(); return [f.id(), s.id()]; }"""
    )
    open_labelled_map(page, f"{server}/?region=kobe&sel={a}&path={b}")
    page.wait_for_function("id => window.cy.getElementById(id).hasClass('focus')", arg=a, timeout=20_000)
    page.wait_for_timeout(900)
    for node in (a, b):
        pos = page.evaluate(_POSITION_JS, node)
        assert 0 < pos["x"] < pos["width"] and 0 < pos["y"] < pos["height"], (node, pos)
        assert pos["named"], node
    assert f"path={b}" in page.url


def test_png_export_is_print_sized(server: str, page: Page) -> None:
    open_labelled_map(page, f"{server}/?region=ishikawa")
    with page.expect_download() as download:
        page.click("#map-png-btn")
    assert download.value.suggested_filename == "ipeco-ishikawa.png"
    size = page.evaluate("window.ipecoLastExport")
    assert size["width"] >= 2400 and size["height"] >= 1200, size


#: The export's title per region and language (graph.words ``map.export_title``).
_TITLES = {
    ("kobe", "en"): "IP ecosystem of Kobe City",
    ("kobe", "ja"): "神戸市の知財エコシステム",
    ("aomori", "en"): "IP ecosystem of Aomori Prefecture",
    ("aomori", "ja"): "青森県の知財エコシステム",
}


@pytest.mark.parametrize(("region", "lang"), sorted(_TITLES))
def test_svg_export_is_drawn_by_the_server_from_the_map_shown(
    server: str, page: Page, tmp_path: Path, region: str, lang: str
) -> None:
    """The SVG download: well-formed, the region's title, the legend, one mark per node on the map."""
    open_labelled_map(page, f"{server}/?region={region}&lang={lang}")
    shot(page, f"map-{region}-{lang}")
    shown = set(page.evaluate("window.cy.nodes(':visible').map(n => n.id())"))
    legend = page.locator("#map-legend .legend-list li").all_inner_texts()
    with page.expect_download(timeout=60_000) as download:
        page.click("#map-svg-btn")
    assert download.value.suggested_filename == f"ipeco-{region}.svg"
    target = tmp_path / f"{region}.svg"
    download.value.save_as(target)
    root = ET.parse(target).getroot()  # well-formed, or this raises
    assert root.tag == f"{_SVG}svg" and root.get("width") == "2400"
    texts = [e.text or "" for e in root.iter(f"{_SVG}text")]
    assert texts[0] == _TITLES[(region, lang)]
    marks = [e.get("data-id") for e in root.iter() if e.get("class") == "node"]
    assert sorted(marks) == sorted(shown)
    legend_words = [e.text for g in root.iter(f"{_SVG}g") if g.get("class") == "legend" for e in g.iter(f"{_SVG}text")]
    assert legend_words[0] == ("Legend" if lang == "en" else "凡例") and set(legend[:3]) <= set(legend_words)
    # the names placed on the map are the names printed
    names = [e for e in root.iter(f"{_SVG}text") if e.get("text-anchor")]
    assert len(names) >= page.evaluate("window.ipecoMap.labelled") // 2
    # as a person sees it: the file opened in the browser
    page.goto(target.as_uri())
    page.set_viewport_size({"width": 2400, "height": int(float(root.get("height") or 1600))})
    shot(page, f"map-export-svg-{region}-{lang}")
