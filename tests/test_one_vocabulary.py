"""One vocabulary (issue 24, item 1): every user-facing word lives in ``graph.words``; a page speaks one language.

Two halves. The source scan reads every string literal of the product's modules (docstrings and
comments are for developers and are not scanned) and fails on Japanese script outside
``graph/words``: a word in a table or a sentence elsewhere is a second vocabulary. The render half
builds the main pages as plain Dash layouts and the HTML reports over the real seed, in both
languages, and checks that the English render holds no Japanese script and the Japanese render no
English words, once data values (organisation and programme names, the sources' own words) and a
short list of proper names and formats are set aside.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import networkx as nx
import pytest
from dash import dcc, html

from analytics.service import AnalysisService
from graph.embedded import EmbeddedStore
from graph.words import LANGS, STRINGS, t
from reports.files import build_comparison_report, build_region_report
from reports.glossary import GLOSSARY
from tests.conftest import real_seed_home
from webapp.data import DataSource
from webapp.elements import LEGAL_FORMS
from webapp.pages import compare, gaps, help, query, report, suggest
from webapp.pages import map as map_page

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("graph", "loaders", "analytics", "reports", "webapp", "ipeco", "bench")
#: Japanese script: kana, kanji, CJK punctuation and full-width forms.
JAPANESE = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")

#: Literals that are data about the Japanese language, not words for a reader, each with why.
NOT_WORD_LITERALS: dict[tuple[str, str], str] = {
    ("webapp/detail.py", "ぁ"): "first hiragana of the search box's kana folding",
    ("webapp/detail.py", "ゖ"): "last hiragana of the search box's kana folding",
    ("webapp/elements.py", LEGAL_FORMS.pattern): "the legal forms (株式会社, 公益財団法人, ...) cut from map labels",
    ("webapp/elements.py", " \u3000"): "the ideographic space stripped from map labels",
}
#: Files whose Japanese is data, not words for a reader, each with why.
NOT_WORDS: dict[str, str] = {
    "bench/bench_houjin.py": "synthetic corporate-number rows: a benchmark's input data, not output",
    "bench/bench_ingest.py": "synthetic organisation names of a benchmark's input data",
    "bench/bench_workbench.py": "synthetic organisation names of a benchmark's input data, and the page's name",
    "bench/bench_stall.py": "the server's own Japanese message the benchmark waits for",
    "loaders/": "the sources' own Japanese: column headers, legal forms, role keywords (input formats)",
    "analytics/name_patterns.py": "legal forms, kana ranges and keywords matched in names and fields, and the "
    "worklist sheet's status values read back on import: data about the input, not words for a reader",
}


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def japanese_literals(path: Path) -> Iterator[tuple[int, str]]:
    """``(line, text)`` of every string literal in ``path`` that holds Japanese script (docstrings aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    constants = (n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str))
    for node in constants:
        if id(node) not in docs and JAPANESE.search(text := str(node.value)):
            yield node.lineno, text


def _excused(rel: str) -> bool:
    return any(rel == key or (key.endswith("/") and rel.startswith(key)) for key in NOT_WORDS)


def test_no_japanese_literal_outside_the_vocabulary() -> None:
    found = [
        f"{rel}:{line}: {text[:60]!r}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if not (rel := path.relative_to(ROOT).as_posix()).startswith("graph/words/") and not _excused(rel)
        for line, text in japanese_literals(path)
        if (rel, text) not in NOT_WORD_LITERALS
    ]
    assert found == [], "put the words in a graph/words submodule and render them with graph.words.t"


def test_every_excused_literal_is_still_there() -> None:
    for rel, literal in NOT_WORD_LITERALS:
        assert literal in {text for _, text in japanese_literals(ROOT / rel)}, f"{rel}: drop {literal!r}"


def test_every_excuse_still_holds() -> None:
    """An entry whose file no longer holds Japanese is removed, so the lists only shrink."""
    for key in NOT_WORDS:
        paths = sorted((ROOT / key).rglob("*.py")) if key.endswith("/") else [ROOT / key]
        assert any(any(japanese_literals(p)) for p in paths if p.exists()), f"{key} is clean: drop its entry"


def test_scan_sees_a_sentence() -> None:
    code = 'X = "支援機関"\ndef f():\n    """説明"""\n    return "ok"\n'
    tree = ast.parse(code)
    docs = _docstrings(tree)
    found = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and id(n) not in docs]
    assert "支援機関" in found and "説明" not in found


def test_each_word_is_defined_once_and_in_both_languages() -> None:
    for key, words in STRINGS.items():
        assert set(words) == set(LANGS), key
        assert not JAPANESE.search(words["en"]) or key in ENGLISH_WITH_JAPANESE, key
    by_text: dict[tuple[str, str], list[str]] = {}
    for key, words in STRINGS.items():
        if len(words["en"]) > 40:  # a definition: two keys saying the same sentence define a term twice
            by_text.setdefault((words["ja"], words["en"]), []).append(key)
    assert [keys for keys in by_text.values() if len(keys) > 1] == []


#: English words whose Japanese is part of them, each with why.
ENGLISH_WITH_JAPANESE: dict[str, str] = {
    "lang.endonym.ja": "a language is named in its own script in the language menu",
    "lang.switch": "the link to the Japanese page names it in Japanese",
    "lang.switch_label": "the link to the Japanese page says so in Japanese",
    "doc.attribution.gbiz": "gBizINFO's terms ask for the Japanese credit line 出典：gBizINFO（経済産業省）",
    "worklist.status_prompt": "the worklist sheet's status values are typed in Japanese in both languages",
    "worklist.why.ip_finance": "names the programme 知財金融 by its name in the data",
    "gapexp.role.ip_finance_bank": "names the programme 知財金融 by its name in the data",
    "gapexp.why.yorozu.ip_window": "quotes the JPO deck's names of the two bodies",
    "gapexp.why.ip_window.invention_association": "names 発明協会 as the deck does",
}


# --- renders ----------------------------------------------------------------------------------------
#: Proper names, acronyms and formats a Japanese page writes in Latin letters (as Japanese writers do).
PROPER: frozenset[str] = frozenset(
    {
        # bodies, programmes and schemes known by their acronym
        *("IP", "JPO", "INPIT", "JETRO", "METI", "IPC", "FI", "GI", "UIG", "FY", "ID", "URL"),
        # file formats
        *("CSV", "PDF", "HTML", "XLSX", "PNG", "SVG", "JSON", "GraphML", "GEXF", "graphml", "gexf"),
        *("cytoscape-json", "node-link-json", "csv", "xlsx"),
        # products and the query language
        *("Neo4j", "Cypher", "Chromium", "Excel", "ipeco", "Gephi", "Bolt", "gBizINFO", "PlatPat", "J-PlatPat"),
        # a method's own name or its author, a unit and a key on the keyboard
        *("PageRank", "Jaccard", "Louvain", "Burt", "bits", "Tab"),
    }
)
#: Bibliographic citations (author year), written as published in both languages.
CITATION = re.compile(r"[A-Z][\w\u00c0-\u017f]+(?:,? (?:&|and) [A-Z][\w\u00c0-\u017f]+| et al\.)? \d{4}")
#: Code a page shows as code: identifiers, commands, parameters, relationship types.
CODE = re.compile(
    r"`[^`]*`|\$\w+|\b[A-Z][A-Z_]{2,}\b|\b\w+_\w+\b|\b\w+=\w+\b|https?://\S+"
    r"|\bFY\d{4}\b|\b[A-H]\d{2}[A-Z]\b|\b[0-9a-f]{12}:\d+\b"  # fiscal years; IPC subclasses; data versions
)
#: A word in Latin letters (``Neo4j`` is one; the hex of a data version, ``4c03cd…``, is none).
WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9\-]*[A-Za-z0-9]")
#: A fiscal year shows its 令和 year in English too, by design (graph.words.fiscal_year).
ERA_YEAR = re.compile(r"\((?:令和|平成)[元\d]+年度\)")


def data_values(graph: nx.MultiDiGraph) -> re.Pattern[str]:
    """Every text value of the graph's nodes and ties (names, numbers, costs, the sources' words) as one pattern.

    Longest first, and never inside a longer word, so that a short value (``university``) cannot
    break up a word or an identifier the checks must see whole.
    """
    values: set[str] = set()
    for attrs in [a for _, a in graph.nodes(data=True)] + [a for _, _, a in graph.edges(data=True)]:
        values |= {v for v in attrs.values() if isinstance(v, str)}
        values |= {x for v in attrs.values() if isinstance(v, list) for x in v if isinstance(x, str)}
    ordered = sorted((v.strip() for v in values if len(v.strip()) > 1), key=len, reverse=True)
    return re.compile(r"(?<![A-Za-z0-9_])(?:" + "|".join(map(re.escape, ordered)) + r")(?![A-Za-z0-9_])")


def texts(component: Any) -> Iterator[str]:
    """Every text a layout shows: children, hover titles, placeholders and menu labels (code aside)."""
    if component is None or isinstance(component, bool):
        return
    if isinstance(component, str | int | float):
        yield str(component)
    elif isinstance(component, list | tuple):
        for child in component:
            yield from texts(child)
    elif isinstance(component, dict):
        for key in ("label", "title", "children"):
            yield from texts(component.get(key))
    elif not isinstance(component, html.Code | html.Pre | dcc.Store):
        for prop in ("title", "placeholder", "alt"):
            value = getattr(component, prop, None)
            if isinstance(value, str):
                yield value
        yield from svg_texts(component.to_plotly_json()["props"].get("data-svg"))
        yield from texts(getattr(component, "options", None))
        yield from texts(getattr(component, "children", None))


def svg_texts(svg: str | None) -> Iterator[str]:
    """The labels and tooltips of a server-drawn chart (``data-svg``, put in place by the page's script)."""
    if svg:
        yield from (e.text for e in ElementTree.fromstring(svg).iter() if e.text and e.tag.endswith(("text", "title")))


def _without(text: str, values: Iterable[str]) -> str:
    for value in values:
        if value in text:
            text = text.replace(value, " ")
    return text


def other_language(fragments: Iterable[str], lang: str, values: re.Pattern[str]) -> list[str]:
    """The fragments that hold the other language once data values and allowed forms are taken out."""
    wrong = []
    for fragment in fragments:
        if lang == "en" and JAPANESE.search(fragment):
            rest = _without(ERA_YEAR.sub(" ", fragment), (STRINGS[k]["en"] for k in ENGLISH_WITH_JAPANESE))
            rest = values.sub(" ", _without(rest, PENDING_TEXT))
            if JAPANESE.search(rest):
                wrong.append(fragment)
        elif lang == "ja" and WORD.search(fragment):
            rest = values.sub(" ", _without(fragment, (*CITED, *ENDONYMS, *PENDING_TEXT)))
            rest = CODE.sub(" ", CITATION.sub(" ", rest))
            if [w for w in WORD.findall(rest) if w not in PROPER]:
                wrong.append(fragment)
    return wrong


#: The glossary's bare citations (a book's title among them), shown as published.
CITED: tuple[str, ...] = tuple(term.method for term in GLOSSARY if term.method)
#: Languages named in their own script in the language menus.
ENDONYMS: tuple[str, ...] = (STRINGS["lang.endonym.en"]["ja"], STRINGS["lang.switch_label"]["ja"])
#: Words of sentences the analytics branch of this issue moves into graph.words (remove when merged).
PENDING_TEXT: tuple[str, ...] = (
    "producerチーム",  # analytics/gaps.py, the missing-role explanation
    "(知財金融)",  # analytics/gaps.py, the English name of the IP-finance role
    "発明協会 runs",  # analytics/gaps.py, a liaison pair's reason
)
PAGES = (map_page, compare, gaps, suggest, query, report, help)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return real_seed_home(tmp_path_factory, "one-vocabulary")


@pytest.fixture(scope="module")
def ds(home: Path) -> DataSource:
    return DataSource(lambda: EmbeddedStore(home / "ipeco.sqlite"))


@pytest.fixture(scope="module")
def values(ds: DataSource) -> re.Pattern[str]:
    graph, _ = ds.graph()
    return data_values(graph)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.__name__.rsplit(".", 1)[-1])
def test_a_page_speaks_one_language(ds: DataSource, values: re.Pattern[str], page: Any, lang: str) -> None:
    fragments = list(texts(page.layout(ds, region="kobe", lang=lang)))
    assert fragments, "the page rendered nothing to read"
    assert other_language(fragments, lang, values) == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_html_reports_speak_one_language(home: Path, values: re.Pattern[str], tmp_path: Path, lang: str) -> None:
    service = AnalysisService(EmbeddedStore(home / "ipeco.sqlite"))
    paths = [
        build_region_report(service, "kobe", lang, "html", tmp_path / f"kobe-{lang}.html"),
        build_comparison_report(service, lang, "html", tmp_path / f"compare-{lang}.html"),
    ]
    for path in paths:
        body = path.read_text(encoding="utf-8")
        body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
        # The title's second line is the title in the other language, by design (a bilingual heading).
        body = re.sub(r'<span class="en">.*?</span>', " ", body, flags=re.S)
        fragments = [html_unescape(f) for f in re.split(r"<[^>]+>", body) if f.strip()]
        assert other_language(fragments, lang, values) == [], path.name


def html_unescape(text: str) -> str:
    import html as html_lib

    return html_lib.unescape(text).strip()


def test_the_checks_catch_the_other_language(values: re.Pattern[str]) -> None:
    assert other_language(["Skip to content"], "ja", values) == ["Skip to content"]
    assert other_language(["支援機関がありません"], "en", values) == ["支援機関がありません"]
    assert other_language([f"{t('kind.Company', 'ja')}（CSV）"], "ja", values) == []
    assert other_language(["FY2024 (令和6年度)"], "en", values) == []
