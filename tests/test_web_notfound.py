"""Links the app cannot honour: a real 404 page (HTTP status 404, ja/en) and a visible notice for
unknown query-string values, against ``ipeco serve`` (gunicorn) and in Debian's chromium."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import pytest

from graph.embedded import EmbeddedStore
from tests.browser_support import free_port, new_context, settle, shot
from tests.conftest import seed_home
from tests.test_web_server import wait_for_port
from webapp.data import DataSource
from webapp.notices import query_notices

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_home(tmp_path_factory, "notfound-home")


@pytest.fixture(scope="module")
def server(home: Path) -> Iterator[str]:
    """``ipeco serve`` as a user starts it: gunicorn with two workers, on a free loopback port."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("IPECO_AUTH", "IPECO_STORE")}
    env["IPECO_HOME"] = str(home)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ipeco.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


# --- HTTP ---------------------------------------------------------------------------------------------
def test_unknown_paths_answer_404_and_pages_200(server: str) -> None:
    for path in ("/", "/compare", "/gaps", "/suggest", "/query", "/report", "/gaps/", "/?region=nowhere"):
        assert status(server + path) == 200, path
    for path in ("/nonexistent", "/gaps/extra", "/maps", "/404", "/nonexistent?lang=en"):
        assert status(server + path) == 404, path
    # the app's own resources are untouched by the 404 rule
    assert status(server + "/assets/notices.css") == 200
    assert status(server + "/_dash-layout") == 200
    assert status(server + "/assets/no-such-file.css") == 404


# --- what a link's values produce -----------------------------------------------------------------------
def test_valid_links_have_no_notice_and_each_bad_value_one(home: Path) -> None:
    ds = DataSource(lambda: EmbeddedStore(home / "ipeco.sqlite"))
    valid = {
        "/": {"region": "kobe", "lang": "en", "layout": "concentric", "size": "pagerank", "color": "community"},
        "/gaps": {"region": "region:aomori", "kind": "isolated", "phase": "launch"},
        "/suggest": {"region": "kobe", "org": "org:foodpict"},
        "/report": {"region": "ishikawa", "kind": "comparison", "format": "pdf", "report_lang": "en"},
        "/compare": {"real": "1"},
        "/query": {"saved": "isolated_actors"},
    }
    for path, params in valid.items():
        assert query_notices(ds, path, params) == [], path
    assert query_notices(ds, "/", {"region": "nowhere"}) == ["地域「nowhere」はありません — 青森県を表示しています。"]
    assert query_notices(ds, "/gaps", {"region": "nowhere", "lang": "en"}) == [
        "There is no region “nowhere” — showing Aomori Prefecture instead."
    ]
    bad = query_notices(ds, "/", {"lang": "xx", "sel": "org:none", "layout": "spiral", "roles": "Company,Pirate"})
    assert len(bad) == 4 and all(b for b in bad)
    assert any("xx" in b for b in bad) and any("org:none" in b for b in bad)
    assert any("spiral" in b for b in bad) and any("Pirate" in b and "Company" not in b for b in bad)
    assert query_notices(ds, "/nonexistent", {"region": "nowhere"}) == []  # a 404 page, not a map


# --- in the browser --------------------------------------------------------------------------------------
@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    """A page that fails on any console error except the one a 404 document itself logs."""
    context = new_context(browser, viewport={"width": 1280, "height": 800}, locale="ja-JP")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    unexpected = [e for e in errors if "status of 404 (NOT FOUND)" not in e]
    assert unexpected == [], f"console errors: {unexpected}"


@pytest.mark.browser
def test_the_404_page_speaks_the_links_language_and_leads_back(server: str, tab: Page) -> None:
    tab.goto(server + "/nonexistent")
    heading = tab.locator("#not-found h2")
    heading.wait_for(timeout=30_000)
    assert heading.inner_text() == "ページが見つかりません（404）"
    assert "「/nonexistent」というページはありません" in tab.locator("#not-found").inner_text()
    assert tab.locator("#nav-map").inner_text() == "マップ"  # the app's own header and menu
    shot(tab, "not-found-ja")
    tab.goto(server + "/nonexistent?lang=en")
    tab.locator("#not-found h2").filter(has_text="Page not found (404)").wait_for(timeout=30_000)
    tab.locator("#nav-map").filter(has_text="Map").wait_for(timeout=30_000)  # the header's own callback
    assert tab.locator("#nav-map").inner_text() == "Map"
    tab.get_by_role("link", name="Back to the map").click()
    tab.wait_for_function("window.cy && window.cy.nodes().length > 0", timeout=30_000)
    url = urlparse(tab.url)
    assert url.path == "/" and "lang=en" in url.query and tab.locator("#not-found").count() == 0


@pytest.mark.browser
def test_an_unknown_region_is_named_in_a_visible_notice(server: str, tab: Page) -> None:
    tab.goto(server + "/?region=nowhere")
    notice = tab.locator("#link-notice")
    notice.wait_for(state="visible", timeout=30_000)
    assert notice.inner_text().startswith("地域「nowhere」はありません — 青森県を表示しています。")
    tab.wait_for_function("window.cy && window.cy.nodes().length > 0", timeout=30_000)
    box = notice.bounding_box()
    assert box is not None and box["height"] >= 20 and box["y"] < 120  # under the header, above the page
    shot(tab, "link-notice-ja")
    tab.locator("#link-notice-close").click()
    notice.wait_for(state="hidden", timeout=10_000)

    tab.goto(server + "/report?region=nowhere&format=docx&lang=en")
    notice.wait_for(state="visible", timeout=30_000)
    text = notice.inner_text()
    assert "There is no region “nowhere” — showing Aomori Prefecture instead." in text
    assert "“docx” is not a choice for" in text
    shot(tab, "link-notice-en")
    tab.goto(server + "/compare?lang=en")
    tab.wait_for_selector("#compare-table", timeout=30_000)
    settle(tab)  # every callback of the page answered: a notice would be shown by now
    assert not notice.is_visible()  # a valid link has no notice
