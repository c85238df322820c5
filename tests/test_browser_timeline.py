"""The region in time in a real browser (issue 21): the map's fiscal-year slider and the 地域の変化 page.

Checked as a person would see it: moving the slider redraws the region as of that year, the nodes
that stay do not move (positions come from today's view), ties new in that year are highlighted,
the address keeps the year, and the undated ties are counted on screen; for every listed model
region the year's map opens. The changes page shows the indicators over time with the model-region
year, the sourced changes and the journeys' Sankey. Screenshots go to ``test-artifacts/screenshots``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.app_servers import seed_server
from tests.browser_support import node_ids, open_map, shot, wait_for_nodes_change

pytestmark = pytest.mark.browser

_POSITIONS_JS = "() => Object.fromEntries(window.cy.nodes().map(n => [n.id(), [n.position('x'), n.position('y')]]))"


def pick_year(page: Page, year: int) -> None:
    """Click the slider's track where ``year`` sits, as a mouse would (only every fifth year is labelled,
    so the place is found from the slider's own range, not from a label)."""
    handle = page.locator("#map-time-year [role=slider]").first
    low = int(handle.get_attribute("aria-valuemin") or 0)
    high = int(handle.get_attribute("aria-valuemax") or 0)
    track = page.locator("#map-time-year .dash-slider-track").bounding_box()
    assert track is not None and high > low
    x = track["x"] + track["width"] * (year - low) / (high - low)
    page.mouse.click(x, track["y"] + track["height"] / 2)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The process's shared app over the demo seed (this module only reads it)."""
    return seed_server(tmp_path_factory)


def test_slider_redraws_the_year_without_moving_the_nodes_that_stay(server: str, page: Page) -> None:
    open_map(page, f"{server}/?region=kobe&lang=en")
    page.wait_for_selector("#map-time-year .dash-slider-track", timeout=15_000)
    today = node_ids(page)
    before = page.evaluate(_POSITIONS_JS)
    page.wait_for_function("document.querySelector('#map-time-undated').textContent.includes('undated')")
    assert "undated tie(s)" in page.inner_text("#map-time-undated")
    pick_year(page, 2023)
    then = wait_for_nodes_change(page, today)
    page.wait_for_function("window.location.search.includes('year=2023')", timeout=10_000)
    assert then < today
    after = page.evaluate(_POSITIONS_JS)
    moved = [n for n in then if n in before and before[n] != after[n]]
    assert moved == []
    assert page.evaluate("window.cy.edges('.time-new').length") > 0
    assert "FY2023" in page.inner_text("#map-time-undated")
    shot(page, "map-timeline-kobe-2023")


@pytest.mark.parametrize("region", ["aomori", "ishikawa", "kobe", "aichi", "yamaguchi", "kumamoto"])
def test_a_year_link_opens_that_year(server: str, page: Page, region: str) -> None:
    open_map(page, f"{server}/?region={region}&year=2024")
    page.wait_for_selector("#map-time-year .dash-slider-track", timeout=15_000)  # an async chunk of Dash's
    assert "year=2024" in page.evaluate("window.location.search")
    assert "年度" in page.inner_text("#map-time-undated")


def test_changes_page(server: str, page: Page) -> None:
    page.goto(f"{server}/changes?region=kobe&from=2023&to=2025&lang=en")
    page.wait_for_selector("#changes-table a[href^='http']", timeout=60_000)
    page.wait_for_selector("#journeys-sankey .sankey", timeout=30_000)
    page.wait_for_selector("#changes-timeline .main-svg", timeout=30_000)
    assert "Model region" in page.inner_text("#changes-timeline")
    assert "undated tie(s)" in page.inner_text("#changes-undated")
    assert "went through more than one phase" in page.inner_text("#journeys-count")
    assert page.locator("#changes-table tbody tr").count() > 10
    shot(page, "changes-kobe", full_page=True)
