"""Plain words on screen (issue 15): no raw keys or Python values, every term defined, English names.

The logic half renders the detail panel, the compare table and the suggestion cards as plain
functions over the bundled seed (real data and its flagged demo layer) and reads their text; the
browser half visits every page of the app for a seeded region in Debian's chromium, opens the map's
detail panel by clicking nodes, and scans what a person sees for the patterns a raw value leaves.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest
from dash import html

from analytics.gaps import GAP_KINDS
from analytics.service import MEASURES
from graph.schema import NODE_SPECS, PHASES
from graph.words import LANGS, STRINGS, calendar_date, reasons_text
from reports.glossary import GLOSSARY, SECTIONS, definition, find, term_name
from tests.app_servers import seed_app, seed_server
from tests.browser_support import open_map, pick_in_dropdown, settle, shot, tap_node
from webapp.components import store_message, technical_detail
from webapp.data import DataSource, node_kind
from webapp.detail import HIDDEN_PROPS, SHOWN_PROPS, detail_panel, property_rows
from webapp.glossary import glossary_sections, help_href, term
from webapp.pages.compare import KEY_INDICATORS, compare_body, indicator_words, region_names
from webapp.pages.suggest import suggestion_cards

#: What a raw value leaves on screen: Python literals, dict/list reprs, float noise, schema keys.
RAW_PATTERNS = {
    # a bare literal, not the English word starting a sentence ("None of the support bodies …")
    "Python None/True/False": re.compile(r"\b(None|True|False)\b(?! [a-z])"),
    "dict or list repr": re.compile(r"\{'|\[\]|\['"),
    "unformatted float": re.compile(r"\d\.\d{5,}"),
    "snake_case key": re.compile(r"\b[a-z]+_[a-z0-9_]+\b"),
}
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def raw_values(text: str) -> list[str]:
    """Every match of :data:`RAW_PATTERNS` in ``text``, named by pattern (empty when clean)."""
    return [f"{name}: {m.group(0)!r}" for name, rx in RAW_PATTERNS.items() for m in rx.finditer(text)]


#: The SVG namespace, as ElementTree names its tags.
SVG = "{http://www.w3.org/2000/svg}"


def visible_text(component: Any) -> str:
    """The text a Dash component tree shows, links' text left out (URLs are cited pages, not keys)."""
    if component is None or isinstance(component, bool):
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return "\n".join(visible_text(c) for c in component)
    if isinstance(component, html.A):
        return ""
    return visible_text(getattr(component, "children", None))


def titles(component: Any) -> list[str]:
    """Every ``title`` (hover text) in a component tree."""
    found: list[str] = []
    if isinstance(component, list | tuple):
        for child in component:
            found += titles(child)
        return found
    if component is None or isinstance(component, str | int | float | bool):
        return found
    if getattr(component, "title", None):
        found.append(component.title)
    return found + titles(getattr(component, "children", None))


@pytest.fixture(scope="module")
def ds(tmp_path_factory: pytest.TempPathFactory) -> DataSource:
    """The data source of the process's shared app over the demo seed (read only), so the page
    functions here and the pages in the browser share one warm analysis cache."""
    source: DataSource = seed_app(tmp_path_factory).server.config["IPECO_DATA"]
    return source


# --- the glossary -----------------------------------------------------------------------------
class TestGlossary:
    def test_every_term_has_a_name_a_sentence_and_a_method_in_both_languages(self) -> None:
        for item in GLOSSARY:
            assert item.section in SECTIONS and bool(item.method) != bool(item.method_key)
            for lang in LANGS:
                assert item.name(lang).strip() and item.meaning(lang).strip() and item.cite(lang).strip()
            assert not _JAPANESE.search(item.cite("en")), item.key
            assert _JAPANESE.search(item.meaning("ja")), item.key
            assert not _JAPANESE.search(item.meaning("en")), item.key

    def test_the_terms_a_producer_meets_are_all_defined(self) -> None:
        keys = {item.key for item in GLOSSARY}
        assert {*MEASURES, "community", "broker", "triple_helix", "confidence", "synthetic"} <= keys
        assert {f"phase.{p}" for p in PHASES} <= keys
        assert {f"gap.{k}" for k in GAP_KINDS} <= keys

    def test_names_are_the_labels_the_app_already_uses(self) -> None:
        assert term_name("degree", "ja") == STRINGS["measure.degree"]["ja"] == "つながりの数"
        assert term_name("constraint", "ja").startswith("制約度")
        assert term_name("phase.launch", "ja") == "事業立上"
        assert term_name("gap.isolated", "en") == STRINGS["gapkind.isolated"]["en"]
        assert "T(UIG)" in term_name("triple_helix", "en")

    def test_a_definition_says_what_high_and_low_mean_and_cites_its_method(self) -> None:
        text = definition("constraint", "en")
        assert "high means" in text and "low means" in text and "Burt 1992" in text
        assert "大学・産業・行政" in definition("triple_helix", "ja")
        assert "Leydesdorff" not in definition("triple_helix", "ja", method=False)

    def test_an_unknown_term_is_an_error_not_an_empty_tooltip(self) -> None:
        with pytest.raises(KeyError):
            find("centrality")
        with pytest.raises(KeyError):
            term("no_such_term", "ja")

    def test_term_renders_an_abbr_with_the_definition_on_hover(self) -> None:
        abbr = term("betweenness", "ja")
        assert isinstance(abbr, html.Abbr) and abbr.children == "媒介中心性"
        assert abbr.title == definition("betweenness", "ja") and abbr.className == "term"
        own = term("gap.isolated", "en", "isolated firms")
        assert own.children == "isolated firms" and "no recorded support" in own.title

    def test_the_help_page_lists_every_term_with_an_anchor(self) -> None:
        body = glossary_sections("en")
        text = visible_text(body)
        for item in GLOSSARY:
            assert item.name("en") in text and item.meaning("en") in text
        assert help_href("en", "phase.launch") == "/help?lang=en#term-phase-launch"
        assert help_href("ja") == "/help"

    def test_calendar_dates_read_as_dates(self) -> None:
        assert calendar_date("2026-11-28T11:00:05.123+00:00", "ja") == "2026年11月28日"
        assert calendar_date("2025-04-08", "en") == "8 Apr 2025"
        assert calendar_date("not a date", "en") == "not a date"


# --- the detail panel -------------------------------------------------------------------------
class TestDetailPanel:
    def test_every_schema_property_is_either_shown_in_words_or_deliberately_hidden(self) -> None:
        props = {p.name for spec in NODE_SPECS.values() for p in spec.all_props}
        assert sorted(props - set(SHOWN_PROPS) - HIDDEN_PROPS) == []
        assert not set(SHOWN_PROPS) & HIDDEN_PROPS

    @pytest.mark.parametrize("lang", LANGS)
    def test_no_node_shows_a_raw_key_or_value(self, ds: DataSource, lang: str) -> None:
        graph, _ = ds.graph()
        problems = []
        for node, attrs in graph.nodes(data=True):
            for label, value in property_rows(attrs, lang):
                text = f"{visible_text(label)}\t{visible_text(value)}"
                found = raw_values(text)
                if found:
                    problems.append((node, text, found))
                if lang == "en":
                    assert not _JAPANESE.search(visible_text(label)), (node, label)
        assert problems == []

    def test_provenance_reads_as_words_and_the_demo_flag_is_a_badge_only_when_true(self, ds: DataSource) -> None:
        sections = detail_panel(ds, "aomori", "org:hirosaki-u", "ja")
        text = visible_text(sections)
        assert "出典の確からしさ" in text and "出典のページで確認済み" in text
        assert "公開ページから収集した同梱データ" in text and "データ取得日" in text
        for raw in ("confidence", "loaded_at", "synthetic", "seed:real", "src", "org:hirosaki-u"):
            assert raw not in text
        assert "デモ" not in visible_text(sections[:2])
        assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", text)
        demo = next(n for n in ds.region_view("aomori") if n.startswith("org:syn-"))
        header = visible_text(detail_panel(ds, "aomori", demo, "en")[:2])
        assert "demo" in header

    def test_measures_are_plain_terms_with_definitions_and_rounded_values(self, ds: DataSource) -> None:
        sections = detail_panel(ds, "kobe", "org:kobe-u", "ja")
        hover = titles(sections)
        assert any("Burt 1992" in h for h in hover) and any("Freeman 1977" in h for h in hover)
        text = visible_text(sections)
        assert "つながりの数" in text and "制約度（Burt）" in text and "次数" not in text
        assert not re.search(r"\d\.\d{4,}", text)

    def test_english_mode_names_organisations_in_english_where_known(self, ds: DataSource) -> None:
        graph, _ = ds.graph()
        sections = detail_panel(ds, "aomori", "org:hirosaki-u", "en")
        text = visible_text(sections)
        assert sections[0].children == "Hirosaki University"
        assert "Japanese name\n弘前大学" in text
        for other in graph.successors("org:hirosaki-u"):
            attrs = graph.nodes[other]
            if attrs.get("name_en") and node_kind(attrs) != "TechField" and other in ds.region_view("aomori"):
                assert attrs["name_en"] in text, other


# --- compare and suggest ----------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_compare_cells_are_formatted_and_brokers_named_in_the_page_language(ds: DataSource, lang: str) -> None:
    body = compare_body(ds, lang, real_only=False)
    table = body[1]
    text = visible_text(table)
    assert raw_values(text) == []
    assert "%" in text  # shares read as percentages
    if lang == "en":
        assert "Hirosaki University" in text or "21 Aomori Industrial Support Center" in text
        assert "、" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_compare_thumbnails_are_images_named_by_region_and_charts_one_svg(ds: DataSource, lang: str) -> None:
    """The networks are server-drawn SVG images (no graph canvas in the browser), each with alt text
    naming its region and its counts; the key indicators are one server-drawn SVG, a panel each."""
    body = compare_body(ds, lang, real_only=False)
    table = ds.compare()
    names = region_names(ds, lang)
    cards = body[-1].children
    assert len(cards) == len(table["regions"])
    for region, card in zip(table["regions"], cards, strict=True):
        image = card.children[1]
        assert isinstance(image, html.Img)
        assert image.alt.startswith(names[region]) or names[region] in image.alt
        view = ds.service.organisation_graph(region)
        counts = (f"{view.number_of_nodes()}", f"{view.number_of_edges()}")
        assert all(c in image.alt for c in counts), image.alt
        assert image.src.startswith("data:image/svg+xml;charset=utf-8,")
        svg = unquote(image.src.split(",", 1)[1])
        assert svg.startswith("<svg") and svg.count("<circle") >= view.number_of_nodes()
    chart = body[3].children
    svg = ElementTree.fromstring(chart.to_plotly_json()["props"]["data-svg"])  # well-formed, one drawing
    charted = [r for r in table["indicators"] if r["key"] in KEY_INDICATORS]  # a missing value is no bar
    panels = svg.findall(f"{SVG}g[@class='panel']")
    assert len(panels) == len(charted) >= 3
    # one name per indicator: the shared string table's, as the table, the CLI and the PDF say it
    assert [p.find(f"{SVG}text[@class='panel-title']").text for p in panels] == [
        indicator_words(r, lang)[0] for r in charted
    ]
    # a legend entry per region, named in the page's language
    legend = [g.find(f"{SVG}text").text for g in svg.iter(f"{SVG}g") if g.get("class") == "legend-item"]
    assert legend == [names[r] for r in table["regions"]]


@pytest.mark.parametrize("lang", LANGS)
def test_suggestions_name_partners_and_programmes_in_the_page_language(ds: DataSource, lang: str) -> None:
    firm = next(n for n in ds.region_view("kobe") if n.startswith("org:syn-kobe-"))
    cards = suggestion_cards(ds, "kobe", firm, lang)
    text = visible_text(cards)
    assert raw_values(text) == []
    hover = titles(cards)
    assert any("Jaccard 1901" in h for h in hover)
    rec = ds.recommend(firm, "kobe")
    for item in (*rec.partners, *rec.programmes):
        if lang == "en" and item.name_en:
            assert item.name_en in text
            said = reasons_text(item.reasons, "en")
            assert item.name not in said or item.name == item.name_en, said


# --- messages in one language ------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_a_store_error_speaks_the_page_language_and_folds_the_raw_message(lang: str) -> None:
    """The library's own (English) message is kept for a bug report, labelled and closed."""
    message = store_message(lang, "sqlite3.OperationalError: database is locked")
    sentences, details = message.children[:2], message.children[2]
    assert all(bool(_JAPANESE.search(p.children)) == (lang == "ja") for p in sentences)
    assert isinstance(details, html.Details) and details.children[0].children == STRINGS["common.details"][lang]
    assert "database is locked" in details.children[1].children
    assert technical_detail("", lang) == ""


# --- in the browser ---------------------------------------------------------------------------
def _screen_text(page: Any) -> str:
    """The text a person sees: visible text nodes outside links, code and the Cypher editor."""
    return page.evaluate(
        """() => {
            const skip = new Set(['A', 'SCRIPT', 'STYLE', 'NOSCRIPT', 'CODE', 'PRE', 'TEXTAREA']);
            const out = [];
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode;
                let el = node.parentElement, ok = !!el;
                for (let e = el; e && ok; e = e.parentElement) { if (skip.has(e.tagName)) ok = false; }
                if (!ok || !node.textContent.trim()) continue;
                const box = el.getBoundingClientRect();
                if (box.width === 0 && box.height === 0) continue;
                out.push(node.textContent.trim());
            }
            return out.join('\\n');
        }"""
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The process's shared app over the demo seed (this module only reads it)."""
    return seed_server(tmp_path_factory)


def _open_detail(page: Any, node: str) -> None:
    tap_node(page, node)
    page.wait_for_function(
        "id => location.search.includes('sel=' + id) && document.querySelector('#map-detail h3')",
        arg=node,
        timeout=20_000,
    )
    page.wait_for_selector("#map-detail .kv", timeout=20_000)


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_map_detail_panel_shows_no_raw_value(server: str, page: Any, lang: str) -> None:
    query = "&lang=en" if lang == "en" else ""
    open_map(page, f"{server}/?region=kobe{query}")
    kinds = ("SupportOrganization", "University", "Company", "Region")
    nodes = [page.evaluate(f"window.cy.nodes('[kind = \"{k}\"]').first().id()") for k in kinds]
    for node in [n for n in nodes if n]:
        _open_detail(page, node)
        text = page.inner_text("#map-detail")
        assert raw_values(_screen_text(page)) == [], node
        assert ("出典の確からしさ" if lang == "ja" else "Source confidence") in text or node.startswith("org:syn")
        if lang == "en":
            heading = page.inner_text("#map-detail h3")
            assert not _JAPANESE.search(heading) or node.startswith("org:"), heading
    hover = page.locator("#map-detail abbr.term").first.get_attribute("title")
    assert hover and len(hover) > 20
    shot(page, f"plain-detail-{lang}")


@pytest.mark.browser
@pytest.mark.parametrize(
    ("name", "path", "ready"),
    [
        ("compare", "/compare", "#compare-table"),
        ("gaps", "/gaps?region=kobe", ".gap-item"),
        ("report", "/report?region=kobe", "h2"),
        ("help", "/help", "dl.glossary"),
    ],
)
@pytest.mark.parametrize("lang", LANGS)
def test_pages_show_no_raw_value(server: str, page: Any, name: str, path: str, ready: str, lang: str) -> None:
    sep = "&" if "?" in path else "?"
    page.goto(server + path + (f"{sep}lang=en" if lang == "en" else ""))
    page.wait_for_selector(ready, timeout=120_000)
    settle(page)
    assert raw_values(_screen_text(page)) == []
    if name == "help":
        assert page.locator("dl.glossary dt").count() == len(GLOSSARY)
        shot(page, f"plain-help-{lang}", full_page=True)


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_suggest_page_shows_no_raw_value(server: str, ds: DataSource, page: Any, lang: str) -> None:
    """A firm picked in the menu, then one with a phase no support reaches (named, defined on hover)."""
    en = "&lang=en" if lang == "en" else ""
    page.goto(f"{server}/suggest?region=kobe{en}")
    pick_in_dropdown(page, "suggest-org", "Demo" if lang == "en" else "デモ", "Demo" if lang == "en" else "デモ")
    page.wait_for_selector(".suggest-cols .card", timeout=30_000)
    assert raw_values(_screen_text(page)) == []
    firm = next(
        n
        for n in sorted(ds.region_view("kobe"))
        if n.startswith("org:syn-kobe-") and ds.recommend(n, "kobe").uncovered_phases
    )
    page.goto(f"{server}/suggest?region=kobe&org={firm}{en}")
    page.wait_for_selector(".suggest-phases abbr.term", timeout=30_000)
    assert raw_values(_screen_text(page)) == []
    hover = page.locator(".suggest-phases abbr.term").last.get_attribute("title")
    assert hover in {definition(f"phase.{p}", lang) for p in PHASES}
    shot(page, f"plain-suggest-{lang}")


@pytest.mark.browser
def test_the_help_page_is_in_the_menu(server: str, page: Any) -> None:
    open_map(page, f"{server}/?region=aomori&lang=en")
    page.wait_for_function("() => document.querySelector('#nav-help').innerText === 'Terms'", timeout=15_000)
    page.click("#nav-help")
    page.wait_for_selector("dl.glossary", timeout=15_000)
    assert "lang=en" in page.url and page.inner_text("h2") == "What the terms mean"
