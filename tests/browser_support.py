"""Shared pieces of the browser tests: Debian's chromium through Playwright, a real server, helpers.

The fixtures (``browser``, ``context``, ``page``) reach every test module through ``tests/conftest.py``;
modules import the helpers from here. Every browser test thus runs the same chromium with the same
flags and fails on any console error. A missing chromium is a failure, not a skip (``make test``
installs it); Playwright is imported only when a browser fixture is used, so tests that do not
drive a browser do not load it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from werkzeug.serving import make_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "test-artifacts" / "screenshots"
DOC_IMAGES = ROOT / "docs" / "img"
#: README pictures are rewritten only by `make docs`, so that `make test` leaves a clone clean.
WRITE_DOC_IMAGES = os.environ.get("IPECO_WRITE_DOC_IMAGES") == "1"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "DOC_IMAGES",
    "SHOTS",
    "WRITE_DOC_IMAGES",
    "browser",
    "context",
    "free_port",
    "node_ids",
    "open_map",
    "page",
    "pick_in_dropdown",
    "serve",
    "shot",
    "tap_node",
    "wait_for_nodes_change",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve(app: Any) -> Iterator[str]:
    """A Dash app on a free loopback port, served by a real werkzeug server in a thread."""
    http = make_server("127.0.0.1", free_port(), app.server, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{http.server_port}"
    finally:
        http.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One chromium per test process (each xdist worker): a launch costs seconds of CPU on a loaded
    machine, and each module still gets a context of its own (:func:`context`), so no cookies, storage
    or cache cross modules."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: `make test` installs it (apt-get install chromium fonts-noto-cjk)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    """One 1280×800 context for the module, so the app's scripts are fetched once (cache)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ja-JP", accept_downloads=True)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A fresh page that records console errors; each test ends by asserting there were none."""
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    page.close()
    assert errors == [], f"console errors: {errors}"


def open_map(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("window.cy && window.cy.nodes().length > 0", timeout=30_000)
    page.wait_for_timeout(800)  # let the layout settle before reading positions or taking screenshots


def tap_node(page: Page, node: str) -> None:
    """Tap a node as a mouse click would (see test_browser_app's module docstring).

    The script returns nothing on purpose: returning cytoscape's element collection would make
    Playwright serialise the whole cytoscape object graph, which takes tens of seconds.
    """
    page.evaluate("id => { window.cy.getElementById(id).emit('tap'); }", node)


def node_ids(page: Page) -> set[str]:
    return set(page.evaluate("window.cy.nodes().map(n => n.id())"))


def wait_for_nodes_change(page: Page, before: set[str]) -> set[str]:
    page.wait_for_function(
        "([n, ids]) => window.cy.nodes().length !== n || window.cy.nodes().some(x => !ids.includes(x.id()))",
        arg=[len(before), sorted(before)],
        timeout=15_000,
    )
    page.wait_for_timeout(300)
    return node_ids(page)


def shot(page: Page, name: str, *, doc: bool = False, full_page: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    target = SHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=full_page)
    if doc and WRITE_DOC_IMAGES:
        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, DOC_IMAGES / f"{name}.png")


def pick_in_dropdown(page: Page, dropdown_id: str, text: str, option: str) -> None:
    """Type into a Dash 4 dropdown's search box and click the option containing ``option``."""
    page.click(f"#{dropdown_id}")
    search = page.locator("[data-radix-popper-content-wrapper] input").first
    search.fill(text)
    page.locator("[data-radix-popper-content-wrapper] [role=option]", has_text=option).first.click()
