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
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page

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
#: The tests' flags: one renderer per site (in each context), kept warm between tests by a parked page
#: (:func:`page`): a test's page then starts in a running renderer instead of a new process that loads
#: its fonts and compiles the app's scripts again (a Kobe map load: 2.7 CPU-s of chromium instead of
#: 4.0). Not the benches' (:data:`CHROMIUM_ARGS`): they time a visitor's first page, in a new renderer
#: as a visitor's browser starts it.
TEST_CHROMIUM_ARGS = [*CHROMIUM_ARGS, "--process-per-site"]
#: Where a finished test's page waits on its site (:func:`page`): a style sheet of the app, shown as
#: text: no script, no callback, nothing drawn after it.
PARK_PATH = "/assets/style.css"

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "DOC_IMAGES",
    "PARK_PATH",
    "SHOTS",
    "TEST_CHROMIUM_ARGS",
    "WRITE_DOC_IMAGES",
    "browser",
    "context",
    "free_port",
    "new_context",
    "node_ids",
    "open_map",
    "page",
    "park_or_close",
    "pick_in_dropdown",
    "serve",
    "settle",
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
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=TEST_CHROMIUM_ARGS)
        yield browser
        browser.close()


#: Counts the page's requests in flight (Dash's callbacks go by fetch, a few components by XHR), so a
#: test waits until the app has answered instead of sleeping a guessed time (:func:`settle`).
IN_FLIGHT = """(() => {
  let busy = 0;
  const done = () => { busy -= 1; };
  window.__ipecoInFlight = () => busy;
  const fetch = window.fetch;
  window.fetch = function (...args) { busy += 1; return fetch.apply(this, args).finally(done); };
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (...args) {
    busy += 1; this.addEventListener("loadend", done, { once: true }); return send.apply(this, args);
  };
})();"""


def new_context(browser: Browser, **options: Any) -> BrowserContext:
    """A context whose pages count their requests in flight (:data:`IN_FLIGHT`, read by :func:`settle`).

    Its pages ask for reduced motion, as a visitor may: the map then jumps to a selection instead of
    animating there (webapp/assets/map.js), so no test pays chromium for frames it does not look at
    and the view is at rest sooner. A test of an animation itself passes ``reduced_motion="no-preference"``.
    """
    options.setdefault("reduced_motion", "reduce")
    context = browser.new_context(**options)
    context.add_init_script(IN_FLIGHT)
    return context


#: The page parked on its site in each module's context (by id of the context), see :func:`park_or_close`.
_PARKED: dict[int, Page] = {}


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    """One 1280×800 context for the module, so the app's scripts are fetched once (cache)."""
    context = new_context(browser, viewport={"width": 1280, "height": 800}, locale="ja-JP", accept_downloads=True)
    yield context
    _PARKED.pop(id(context), None)
    context.close()


def park_or_close(context: BrowserContext, page: Page) -> None:
    """Close a finished test's page, or park it on its site when none of the context is parked there.

    With ``--process-per-site`` the parked page keeps the site's renderer running, so the next test's
    page is drawn by it (warm: fonts read, the app's scripts compiled) rather than by a new process.
    A parked page shows a style sheet (:data:`PARK_PATH`), so it costs nothing while it waits.
    """
    from playwright.sync_api import Error as PlaywrightError

    parts = urlsplit(page.url)
    origin = f"{parts.scheme}://{parts.netloc}"
    parked = _PARKED.get(id(context))
    if parts.scheme not in ("http", "https") or (parked is not None and parked.url.startswith(origin + "/")):
        page.close()
        return
    try:
        page.goto(origin + PARK_PATH, timeout=10_000)
    except PlaywrightError:  # the test's own server has gone already: nothing to keep warm
        page.close()
        return
    _PARKED[id(context)] = page
    if parked is not None:
        parked.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A fresh page that records console errors; each test ends by asserting there were none."""
    page = context.new_page()
    errors: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            errors.append(msg.text)

    def on_error(exc: Exception) -> None:
        errors.append(str(exc))

    page.on("console", on_console)
    page.on("pageerror", on_error)
    yield page
    page.remove_listener("console", on_console)
    page.remove_listener("pageerror", on_error)
    park_or_close(context, page)
    assert errors == [], f"console errors: {errors}"


#: True once the page is at rest: no request in flight, the fonts in, the elements and text unchanged since the
#: last poll and, on the map, no viewport animation and its names placed for the current view (the
#: map places them 60 ms after any move: a poll every 100 ms sees the move, then the new pass).
SETTLED = """() => {
  const cy = window.cy, map = window.ipecoMap;
  const onMap = !!(cy && map && document.querySelector('#map-cyto'));
  if (window.__ipecoInFlight() > 0 || document.fonts.status !== 'loaded') { window.__ipecoRest = null; return false; }
  if (onMap && (!map.passes || cy.animated())) { window.__ipecoRest = null; return false; }
  const view = onMap ? [map.passes, cy.nodes().length, cy.zoom(), cy.pan().x, cy.pan().y, cy.width(), cy.height()] : [];
  const now = [document.getElementsByTagName('*').length, document.body.textContent.length, ...view].join();
  const same = window.__ipecoRest === now;
  window.__ipecoRest = now;
  return same;
}"""


def settle(page: Page, timeout: float = 30_000) -> None:
    """Wait until the page is at rest (:data:`SETTLED`) rather than for a guessed time: before reading
    positions or what a callback writes, and before a screenshot."""
    page.wait_for_function(SETTLED, polling=100, timeout=timeout)


def open_map(page: Page, url: str) -> None:
    """Open a map and wait until it and the page's callbacks are at rest (:func:`settle`).

    Not a fixed pause: in a warm renderer (:func:`page`) the map is drawn before the server has
    answered the page's first callbacks (the demo banner, the detail panel), which a pause of a
    guessed length does not wait for on a loaded machine.
    """
    page.goto(url)
    page.wait_for_function("window.cy && window.cy.nodes().length > 0", timeout=30_000)
    settle(page)


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
