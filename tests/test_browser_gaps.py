"""The Gaps page as a worklist, in a real browser (Playwright driving Debian's chromium).

Two servers: one over the real layer only (what ``ipeco seed`` loads), one over the real layer with
the flagged demo layer (what ``make run`` shows, 600 findings in Kobe). On both, the first page of
Kobe holds one card per organisation and no large enterprise among the targets; paging, the
filters and the XLSX download are driven as a user would; and no raw Python value reaches the page.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page

from tests.app_servers import seed_server
from tests.browser_support import DOC_IMAGES, SHOTS, WRITE_DOC_IMAGES, pick_in_dropdown, settle, shot

pytestmark = pytest.mark.browser

#: What a Python value looks like when it leaks into a page: a dict or list repr, None/True/False,
#: an empty list, a float with its full binary expansion (0.9607843137254902). ("None of the bodies…"
#: is English, not a value.)
RAW = re.compile(r"\{'|\['|\bNone\b(?! of)|\bTrue\b|\bFalse\b|\[\]|\d\.\d{5,}")
#: Kobe's large enterprises whose size the real layer states (seeds/real/kobe/SOURCES.md).
LARGE = ("株式会社アシックス", "川崎重工業株式会社", "株式会社神戸製鋼所", "シスメックス株式会社")


@pytest.fixture(scope="module")
def real_server(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The process's shared app over the real layer alone (this module only reads it)."""
    return seed_server(tmp_path_factory, demo=False)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The process's shared app over the demo seed (this module only reads it)."""
    return seed_server(tmp_path_factory)


def open_gaps(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".gap-item[data-key]", timeout=30_000)
    settle(page)


def cards(page: Page) -> list[dict[str, str]]:
    """Each card on screen: its key, section, rank and name."""
    return page.eval_on_selector_all(
        ".gap-item[data-key]",
        """els => els.map(e => ({key: e.dataset.key, section: e.dataset.section,
            rank: e.querySelector('.card-rank').textContent,
            name: e.querySelector('.card-head strong').textContent}))""",
    )


def wait_for_first_rank_change(page: Page, before: str) -> None:
    page.wait_for_function(
        "r => { const e = document.querySelector('.card-rank'); return e && e.textContent !== r; }",
        arg=before,
        timeout=15_000,
    )
    settle(page)


@pytest.mark.parametrize("layer", ["real", "demo"])
def test_kobe_first_page_has_one_card_per_organisation_and_no_large_target(
    real_server: str, demo_server: str, page: Page, layer: str
) -> None:
    server = real_server if layer == "real" else demo_server
    open_gaps(page, f"{server}/gaps?region=kobe")
    first = cards(page)
    assert 0 < len(first) <= 20
    keys = [c["key"] for c in first]
    assert len(keys) == len(set(keys)), "one card per organisation"
    assert [c["rank"] for c in first] == [str(n) for n in range(1, len(first) + 1)], "numbers do not skip"
    assert {c["section"] for c in first} <= {"target", "network"}
    assert not any(name in c["name"] for c in first for name in LARGE)
    shot(page, f"gaps-kobe-{layer}")
    if layer == "real" and WRITE_DOC_IMAGES:  # `make docs`: the README's picture of the worklist
        shutil.copyfile(SHOTS / "gaps-kobe-real.png", DOC_IMAGES / "gaps.png")
    # Large enterprises are listed in their own section, labelled as such, which the reader can add.
    total = page.inner_text("#gaps-count")
    page.locator("#gaps-section label", has_text="大企業").click()
    page.wait_for_function("b => document.querySelector('#gaps-count').textContent !== b", arg=total, timeout=15_000)
    open_gaps(page, f"{server}/gaps?region=kobe&section=large")
    large = cards(page)
    assert {c["section"] for c in large} == {"large"}
    assert {c["name"] for c in large} >= set(LARGE)
    assert all("大企業" in page.inner_text(f".gap-item[data-key='{c['key']}']") for c in large)


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("region", ["aomori", "ishikawa", "kobe"])
def test_no_raw_python_value_on_the_page(demo_server: str, page: Page, region: str, lang: str) -> None:
    open_gaps(page, f"{demo_server}/gaps?region={region}&lang={lang}&section=target,network,large")
    page.eval_on_selector_all("details", "els => els.forEach(e => e.open = true)")
    text = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
    leaks = sorted({m.group(0) for m in RAW.finditer(text)})
    assert leaks == [], f"raw values on the {region} page ({lang}): {leaks}"
    if region == "kobe":
        page.locator(".gap-item").first.scroll_into_view_if_needed()
        shot(page, f"gaps-kobe-why-{lang}")


def test_paging_walks_the_list_and_keeps_it_in_the_address(demo_server: str, page: Page) -> None:
    open_gaps(page, f"{demo_server}/gaps?region=kobe")
    assert page.is_disabled("#gaps-prev")
    one = cards(page)
    assert one[0]["rank"] == "1"
    page.click("#gaps-next")
    wait_for_first_rank_change(page, "1")
    two = cards(page)
    assert two[0]["rank"] == "21"
    assert not {c["key"] for c in one} & {c["key"] for c in two}
    assert "page=2" in page.url
    assert "21–40" in page.inner_text("#gaps-count")
    page.click("#gaps-prev")
    wait_for_first_rank_change(page, "21")
    assert cards(page)[0]["rank"] == "1"


def test_filters_narrow_the_cards(demo_server: str, page: Page) -> None:
    open_gaps(page, f"{demo_server}/gaps?region=kobe&page=3")
    before = page.inner_text("#gaps-count")
    pick_in_dropdown(page, "gaps-kind", "孤立", "孤立した主体")
    page.wait_for_function("b => document.querySelector('#gaps-count').textContent !== b", arg=before, timeout=15_000)
    settle(page)
    texts = page.eval_on_selector_all(".gap-item[data-key] .card-head", "els => els.map(e => e.textContent)")
    assert texts and all("孤立した主体" in x for x in texts)
    assert "kind=isolated" in page.url and "page=" not in page.url  # a filter starts again at page 1
    # Isolated firms concern every phase, so a phase keeps them all; the address records it.
    total = len(texts)
    pick_in_dropdown(page, "gaps-phase", "事業拡大", "事業拡大")
    page.wait_for_function("() => location.search.includes('phase=expansion')", timeout=15_000)
    settle(page)
    assert len(cards(page)) == total
    page.keyboard.press("Escape")
    settle(page)
    shot(page, "gaps-kobe-filtered")


def test_the_xlsx_download_is_the_pages_list_with_a_status_dropdown(
    demo_server: str, page: Page, tmp_path: Path
) -> None:
    open_gaps(page, f"{demo_server}/gaps?region=kobe")
    on_page = [c["name"] for c in cards(page)]
    with page.expect_download(timeout=30_000) as info:
        page.click("#gaps-xlsx-btn")
    target = tmp_path / "worklist.xlsx"
    info.value.save_as(target)
    book = load_workbook(target)
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "優先順位" and rows[0][-1] == "状況"
    assert [r[2] for r in rows[1 : len(on_page) + 1]] == on_page
    assert [r[0] for r in rows[1:]] == sorted(r[0] for r in rows[1:])
    assert all(r[-1] is None for r in rows[1:])
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list" and "未着手" in validation.formula1 and "対象外" in validation.formula1
    assert f"J2:J{len(rows)}" in str(validation.sqref)
