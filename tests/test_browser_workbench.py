"""The producer's workbench in a real browser (Playwright driving Debian's chromium): issue 22's "Done when".

As the local editor: an upload with three errors is refused line by line and writes nothing; the
fixed sheet is previewed and committed; the map and the worklist show the new firms; the upload is
undone from the history and they go again. With logins: a viewer sees no write control, and a
forged write request (a viewer's, or an editor's without the page's token) is refused with 403.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from graph.change_logs import change_log
from graph.embedded import EmbeddedStore
from tests.browser_support import new_context, pick_in_dropdown, serve, settle
from tests.conftest import tiny_batch
from webapp.app import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

HEADER = "id,label,name,region,evidence,founded\n"
BAD = HEADER + (
    "org:new1,Company,新規一株式会社,aomori,javascript:alert(1),\n"
    "org:new2,Company,,aomori,,\n"
    "org:new3,Company,新規三株式会社,aomori,,2999-01-01\n"
)
GOOD = HEADER + (
    "org:new1,Company,新規一株式会社,aomori,https://example.org/new1,\n"
    "org:new2,Company,新規二株式会社,aomori,,\n"
    "org:new3,Company,新規三株式会社,aomori,,2001-01-01\n"
)


def _store(path: Path) -> EmbeddedStore:
    return EmbeddedStore(path)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("workbench") / "ipeco.sqlite"
    with EmbeddedStore(path) as store:
        store.write_batch(tiny_batch())
    return path


@pytest.fixture(scope="module")
def local_server(home: Path) -> Iterator[str]:
    with serve(create_app(lambda: _store(home), auth="", ttl=0.5)) as url:
        yield url


def _upload(page: Page, text: str) -> None:
    files = [{"name": "nodes.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8")}]
    page.set_input_files("#wb-upload input[type=file]", files=files)


def _gap_keys(page: Page, url: str) -> set[str]:
    page.goto(f"{url}/gaps?region=aomori")
    page.wait_for_selector(".gap-item[data-key], .page-message, .gaps-empty", timeout=30_000)
    settle(page)
    return set(page.eval_on_selector_all(".gap-item[data-key]", "els => els.map(e => e.dataset.key)"))


def _map_nodes(page: Page, url: str) -> set[str]:
    page.goto(f"{url}/?region=aomori")
    page.wait_for_function("window.cy && window.cy.nodes().length > 0", timeout=30_000)
    return set(page.evaluate("window.cy.nodes().map(n => n.id())"))


def _add_tie_in_panel(page: Page, url: str) -> None:
    page.goto(f"{url}/?region=aomori&sel=org:b")
    page.wait_for_selector("#edit-panel", timeout=30_000)
    page.click("#ep-open")
    page.wait_for_selector("#ep-tie-save")
    pick_in_dropdown(page, "ep-tie-other", "新規一", "新規一株式会社")
    page.fill("#ep-tie-kind", "supported_firm")
    page.fill("#ep-tie-date", "2025-05-01")
    page.click("#ep-tie-save")  # no evidence URL: refused, nothing written
    page.wait_for_selector("#ep-result .banner-error")
    assert "evidence" in page.inner_text("#ep-result")
    page.fill("#ep-tie-url", "https://example.org/tie")
    page.click("#ep-tie-save")
    page.wait_for_selector("#ep-saved")


def test_upload_errors_preview_commit_and_undo_as_the_local_editor(local_server: str, home: Path, page: Page) -> None:
    url = local_server
    assert "org:new1" not in _map_nodes(page, url)
    page.goto(f"{url}/workbench?region=aomori")
    page.wait_for_selector("#wb-upload")
    assert "編集者" in page.inner_text("#wb-role-notice")  # the single local user is an editor, said once
    with page.expect_download() as download:
        page.click("#wb-template-region")  # the region as a filled template
    assert download.value.suggested_filename == "ipeco-aomori.xlsx"
    # A sheet with three errors: each reported with its line and field, nothing written.
    _upload(page, BAD)
    page.wait_for_selector("#wb-violations")
    rows = page.eval_on_selector_all(
        "#wb-violations tr.wb-violation", "rs => rs.map(r => [...r.cells].map(c => c.innerText))"
    )
    assert sorted((r[2], r[3]) for r in rows) == [("2", "evidence"), ("3", "name"), ("4", "founded")]
    assert "http(s) の URL ではありません" in page.inner_text("#wb-violations")
    assert page.is_disabled("#wb-commit")
    with EmbeddedStore(home) as store:
        assert "org:new1" not in store.read_graph() and change_log(store).history() == []
    # The fixed sheet: a preview of what would change, then one commit.
    _upload(page, GOOD)
    page.wait_for_selector("#wb-preview")
    assert "追加 6件" in page.inner_text("#wb-preview")  # three firms and their seats
    page.click("#wb-commit")
    page.wait_for_selector("#wb-committed")
    assert "変更セット 1" in page.inner_text("#wb-committed")
    # The map and the worklist follow.
    assert {"org:new1", "org:new2", "org:new3"} <= _map_nodes(page, url)
    assert {"org:new1", "org:new2", "org:new3"} & _gap_keys(page, url)  # firms in one situation share a card
    # Add a tie from the map's detail panel: the support body org:b supports org:new1, with its source.
    _add_tie_in_panel(page, url)
    with EmbeddedStore(home) as store:
        tie = store.read_graph().get_edge_data("org:b", "org:new1")
        assert [d["evidence"] for d in tie.values()] == ["https://example.org/tie"]
        assert [s.kind for s in change_log(store).history()] == ["edit", "upload"]
    assert "org:new1" not in _gap_keys(page, url)  # supported now: no longer an isolated firm
    # The upload cannot be undone while the tie depends on its firm; undo the tie first.
    page.goto(f"{url}/history")
    page.wait_for_selector("#history-row-1")
    page.click("#history-row-1 button")
    page.wait_for_selector("#history-result .banner-error")
    assert "後の変更セット 2" in page.inner_text("#history-result")
    page.click("#history-row-2 button")
    page.wait_for_selector("#history-row-3")
    # Undo the upload from the history page.
    page.wait_for_selector("#history-row-1 button")
    assert "local" in page.inner_text("#history-row-1")
    page.click("#history-row-1 button")
    page.wait_for_selector("#history-row-4")
    assert "取消済" in page.inner_text("#history-row-1")
    assert "org:new1" not in _map_nodes(page, url)
    assert not {"org:new1", "org:new2", "org:new3"} & _gap_keys(page, url)


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("workbench-auth") / "ipeco.sqlite"
    with EmbeddedStore(path) as store:
        store.write_batch(tiny_batch())
    app = create_app(lambda: _store(path), auth="alice:pw-a,bob:pw-b", roles="alice:editor:aomori", ttl=0.5)
    with serve(app) as url:
        yield url


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _forged_commit(url: str, user: str, password: str, token: str) -> int:
    body = {
        "output": "..wb-commit-result.children...wb-commit.disabled..",
        "outputs": [],
        "inputs": [{"id": "wb-commit", "property": "n_clicks", "value": 1}],
        "state": [{"id": "wb-csrf", "property": "data", "value": token}],
        "changedPropIds": ["wb-commit.n_clicks"],
    }
    request = urllib.request.Request(
        f"{url}/_dash-update-component",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": _basic(user, password)},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def test_a_viewer_sees_no_write_control_and_forged_writes_are_refused(auth_server: str, browser: Browser) -> None:
    context = new_context(browser, http_credentials={"username": "bob", "password": "pw-b"}, locale="ja-JP")
    try:
        page = context.new_page()
        page.goto(f"{auth_server}/workbench?lang=en")
        page.wait_for_selector("#wb-role-notice")
        assert "view only" in page.inner_text("#wb-role-notice")
        assert page.query_selector("#wb-upload") is None and page.query_selector("#wb-commit") is None
        page.goto(f"{auth_server}/history")
        page.wait_for_selector(".history-page")
        assert page.query_selector("button[id*='history-undo']") is None
    finally:
        context.close()
    assert _forged_commit(auth_server, "bob", "pw-b", "anything") == 403  # a viewer
    assert _forged_commit(auth_server, "alice", "pw-a", "not-the-token") == 403  # an editor, forged token
