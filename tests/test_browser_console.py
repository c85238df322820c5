"""The analyst console, map exports and report page in a real browser, over the real local Neo4j.

The app runs as in ``ipeco --store neo4j serve``: ``create_app`` over a factory that opens a new
Neo4j connection per read, against the test database loaded with the project's seed. Fixtures
(``browser``, ``context``, ``page``: Debian's chromium, no console errors) come from
``tests/browser_support.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from graph.neo4j_store import Neo4jStore
from graph.server import LocalNeo4j
from tests.browser_support import open_map, serve, shot
from tests.conftest import open_test_neo4j
from webapp.app import create_app

pytestmark = [pytest.mark.browser, pytest.mark.neo4j]

NODE_QUERY = "MATCH (o:Organization)-[r:SUPPORTS]->(f:Company)\nWHERE f.name IS NOT NULL\nRETURN o, r, f\nLIMIT 15"


@pytest.fixture
def neo4j_app(neo4j_seeded: Neo4jStore, neo4j_server: LocalNeo4j) -> Iterator[str]:
    """The web app served over the test Neo4j holding the seed (loaded once for these read-only tests),
    told its store's kind as ``ipeco --store neo4j serve`` tells it."""
    with serve(create_app(lambda: open_test_neo4j(neo4j_server), auth="", store_kind="neo4j")) as url:
        yield url


def open_console(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#query-editor", timeout=30_000)
    page.wait_for_selector("#query-highlight .tok-kw", timeout=15_000)


def run_and_wait(page: Page) -> None:
    page.click("#query-run")
    page.wait_for_function(
        "() => document.querySelector('#query-status').innerText.trim() !== ''"
        " || !document.querySelector('#query-error').hidden",
        timeout=30_000,
    )


def test_console_runs_a_typed_query(neo4j_app: str, page: Page, tmp_path: Path) -> None:
    open_console(page, f"{neo4j_app}/query?lang=en")
    assert page.inner_text("#nav-query") == "Query"
    assert page.locator(".console-switch").count() == 0  # on Neo4j: no "switch" instructions
    page.fill(
        "#query-editor", "MATCH (r:Region) WHERE r.model_region_fy IS NOT NULL\nRETURN r.id AS id, r.name AS name"
    )
    page.wait_for_function("() => document.querySelector('#query-highlight').innerText.includes('model_region_fy')")
    keywords = page.locator("#query-highlight .tok-kw").all_inner_texts()
    assert {"MATCH", "WHERE", "RETURN", "AS"} <= set(keywords)
    assert page.locator("#query-highlight .tok-label").first.inner_text() == ":Region"
    run_and_wait(page)
    assert page.locator("#query-error").is_hidden()
    table = page.inner_text("#query-table")
    assert "region:kobe" in table and "神戸市" in table
    assert "6 rows" in page.inner_text("#query-status")  # the FY2024 and FY2025 model regions
    with page.expect_download() as info:
        page.click("#query-csv-btn")
    download = info.value
    assert download.suggested_filename == "ipeco-query.csv"
    target = tmp_path / "result.csv"
    download.save_as(target)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "id,name" and len(lines) == 7  # six model regions

    # nodes and relationships: the table and the graph
    page.fill("#query-editor", NODE_QUERY)
    run_and_wait(page)
    page.wait_for_selector("#query-graph-box:not([hidden])", timeout=15_000)
    page.wait_for_function(
        "() => document.querySelectorAll('#query-table tbody tr').length > 1"
        " && document.querySelector('#query-table').innerText.includes('[:SUPPORTS]')",
        timeout=15_000,
    )
    page.wait_for_timeout(1200)  # the cose layout
    shot(page, "console", full_page=True)

    # a write is refused in one sentence, shown in the page
    page.fill("#query-editor", "CREATE (n:Evil) RETURN n")
    page.click("#query-run")
    page.wait_for_selector("#query-error:not([hidden])", timeout=15_000)
    error = page.inner_text("#query-error")
    assert error.startswith("Refused:") and "\n" not in error.strip() and "Traceback" not in error


def test_console_row_cap_notice(neo4j_app: str, page: Page) -> None:
    open_console(page, f"{neo4j_app}/query?lang=en")
    page.fill("#query-editor", "UNWIND range(1, 50) AS i RETURN i")
    page.fill("#query-row-limit", "20")
    run_and_wait(page)
    page.wait_for_selector("#query-notice:not([hidden])", timeout=15_000)
    assert "first 20 rows" in page.inner_text("#query-notice")


def test_pick_a_saved_query(neo4j_app: str, page: Page) -> None:
    open_console(page, f"{neo4j_app}/query")
    page.locator(".saved-button", has_text="支援が届いていない企業").click()
    page.wait_for_function(
        "() => document.querySelector('#query-editor').value.includes('PARTICIPATES_IN')", timeout=15_000
    )
    # the address bar follows the view (the shell's clientside URL sync runs after the pick)
    page.wait_for_function("() => location.search.includes('saved=firms_without_phase_support')", timeout=15_000)
    inputs = page.locator("#query-params input")
    assert inputs.count() == 3
    assert inputs.nth(0).input_value() == "kobe" and inputs.nth(1).input_value() == "launch"
    assert "is-selected" in (
        page.locator(".saved-button", has_text="支援が届いていない企業").get_attribute("class") or ""
    )
    run_and_wait(page)
    assert page.locator("#query-error").is_hidden()
    page.wait_for_function("() => document.querySelectorAll('#query-table tbody tr').length > 1", timeout=15_000)
    headers = page.locator("#query-table th").all_inner_texts()
    assert "id" in headers and "name" in headers


def test_map_has_export_buttons(neo4j_app: str, page: Page, tmp_path: Path) -> None:
    open_map(page, f"{neo4j_app}/?region=kobe&lang=en")
    for button in ("#map-png-btn", "#map-svg-btn", "#map-export-btn"):
        assert page.locator(button).is_visible()
    assert page.inner_text("#map-png-btn") == "PNG image"
    with page.expect_download() as info:
        page.click("#map-png-btn")
    assert info.value.suggested_filename == "ipeco-kobe.png"
    with page.expect_download() as info:
        page.click("#map-svg-btn")
    svg = tmp_path / "kobe.svg"
    info.value.save_as(svg)
    assert info.value.suggested_filename == "ipeco-kobe.svg" and "<svg" in svg.read_text(encoding="utf-8")[:2000]
    with page.expect_download() as info:
        page.click("#map-export-btn")
    download = info.value
    assert download.suggested_filename == "ipeco-kobe.graphml"
    target = tmp_path / "kobe.graphml"
    download.save_as(target)
    assert "<graphml" in target.read_text(encoding="utf-8")


def test_report_page_downloads_an_html_report(neo4j_app: str, page: Page, tmp_path: Path) -> None:
    page.goto(f"{neo4j_app}/report?region=kobe&lang=en")
    page.wait_for_selector("#report-btn", timeout=30_000)
    assert page.inner_text("#nav-report") == "Report"
    assert "Kobe" in page.inner_text("#report-region")
    with page.expect_download(timeout=60_000) as info:
        page.click("#report-btn")
    download = info.value
    assert download.suggested_filename == "ipeco-report-kobe-en.html"
    target = tmp_path / "report.html"
    download.save_as(target)
    text = target.read_text(encoding="utf-8")
    assert "<html" in text.lower() and "Kobe" in text
    page.wait_for_function("() => document.querySelector('#report-status').innerText.includes('Built')")
    shot(page, "report")
