"""The IP layer (issue 19): facts, profiles, indicators, worklist cards, audit, loaders and ``ipeco ip``.

``tests/fixtures/ip/region/`` is a hand-written region in the seeds' layout (``ip/`` sub-folder) with
known answers:

* テスト県 (``testr``) seats an IP window operator, a 発明協会, a university and six firms; 日本弁理士会
  テスト会 serves it from よそ県 (``other``), where 株式会社エックス sits;
* patent ``ip:pat-a`` is co-held by エー, ビー (テスト県) and エックス (よそ県); ビー holds a 地域団体商標
  and the cooperative a GI;
* the window supports エー (``ip_support``), the 発明協会 awards エー and シー (``ip_award``), エー licenses
  to ディー; エー and ディー research with the university; イー has no IP fact.

So テスト県 has 9 IP facts on 5 organisations in 6 kinds; 5 of its 6 firms are IP-active; only エー is
reached by IP support (シー's tie to the 発明協会 is its award); 2 regional brands; 2 awards / 6 firms.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from analytics.ip import ip_counts, ip_facts, ip_findings, ip_profiles, is_ip_support_body
from analytics.service import AnalysisService
from graph.audit import audit_findings
from graph.embedded import EmbeddedStore
from graph.exports import export_graph
from graph.scope import region_subgraph
from graph.store import Store
from graph.words import t
from ipeco.cli import cli
from loaders.base import LoadContext, LoadOptions
from loaders.canonical import read_canonical
from loaders.gbiz import read_gbiz_patent
from loaders.iprights import ip_right_id
from loaders.jplatpat import read_jplatpat
from reports.collect import collect_comparison, collect_region
from tests.conftest import FIXTURES
from tests.test_loader_gbiz import houjin_context as gbiz_context
from tests.test_loader_jplatpat import LIST_1, LIST_2, houjin_context

REGION = FIXTURES / "ip" / "region"
IP_KEYS = ("ip_active_orgs", "ip_active_firm_share", "ip_support_reach_share", "regional_brands")
IP_KEYS += ("ip_awards_per_100_firms",)


def fixture_graph(tmp_path: Path) -> nx.MultiDiGraph:
    with EmbeddedStore(tmp_path / "ip.sqlite") as store:
        store.write_batch(read_canonical([REGION], LoadOptions(), LoadContext()).batch)
        return store.read_graph_all()


@pytest.fixture
def graph(tmp_path: Path) -> nx.MultiDiGraph:
    return fixture_graph(tmp_path)


@pytest.fixture
def view(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    return region_subgraph(graph, "testr")


# --- facts and counts ----------------------------------------------------------------------------
class TestFacts:
    def test_counts_of_the_fixture_region(self, view: nx.MultiDiGraph) -> None:
        counts = ip_counts(ip_facts(view, "testr"))
        assert (counts.facts, counts.organisations) == (9, 5)
        assert counts.by_kind == {
            "geographical_indication": 1,
            "ip_award": 2,
            "ip_support": 1,
            "licence": 2,
            "patent": 2,
            "regional_collective_trademark": 1,
        }

    def test_each_fact_carries_its_page_and_date(self, view: nx.MultiDiGraph) -> None:
        facts = ip_facts(view, "testr")
        assert all(f.evidence.startswith("https://") and f.date for f in facts)
        patent = next(f for f in facts if f.org == "org:firm-a" and f.kind == "patent")
        assert (patent.number, patent.date, patent.detail) == ("特許第1234567号", "2022-05-10", "テスト装置")
        award = next(f for f in facts if f.org == "org:firm-c")
        assert (award.kind, award.subject, award.detail, award.date) == (
            "ip_award",
            "org:hatsumei",
            "テスト県発明表彰",
            "2024-11-01",
        )

    def test_a_co_held_right_is_in_each_holder_s_region(self, graph: nx.MultiDiGraph) -> None:
        """The right belongs to a region's view when a holder does; each region counts its own holders."""
        other = region_subgraph(graph, "other")
        assert "ip:pat-a" in other and "ip:pat-a" in region_subgraph(graph, "testr")
        assert [(f.org, f.kind) for f in ip_facts(other, "other")] == [("org:firm-x", "patent")]
        assert not other.has_edge("org:firm-a", "ip:pat-a")

    def test_profiles_and_reach(self, view: nx.MultiDiGraph) -> None:
        profiles = ip_profiles(view, "testr")
        assert profiles["org:firm-b"].rights == {"patent": 1, "regional_collective_trademark": 1}
        assert profiles["org:firm-a"].support_bodies == ("org:window",)
        # An award is recognition, not support: シー's only tie to the 発明協会 does not reach it.
        assert not profiles["org:firm-c"].reached and profiles["org:firm-c"].awards == 1
        assert not profiles["org:firm-e"].active
        assert "org:window" not in profiles  # a support body without IP facts has no profile

    def test_ip_support_bodies(self, view: nx.MultiDiGraph) -> None:
        bodies = {n for n in view if is_ip_support_body(view, n)}
        assert bodies == {"org:window", "org:hatsumei", "org:jpaa-test"}


# --- indicators and worklist ---------------------------------------------------------------------
class TestIndicatorsAndWorklist:
    def test_indicators_in_the_comparison(self, tmp_path: Path) -> None:
        with EmbeddedStore(tmp_path / "s.sqlite") as store:
            store.write_batch(read_canonical([REGION], LoadOptions(), LoadContext()).batch)
            comparison = AnalysisService(store).comparison(["testr"])
        values = {key: comparison.indicator(key).values["testr"] for key in IP_KEYS}
        assert values["ip_active_orgs"] == 5
        assert values["ip_active_firm_share"] == pytest.approx(5 / 6)
        assert values["ip_support_reach_share"] == pytest.approx(1 / 5)
        assert values["regional_brands"] == 2
        assert values["ip_awards_per_100_firms"] == pytest.approx(200 / 6)
        for key in IP_KEYS:
            definition = {lang: t(f"indicator.{key}.def", lang) for lang in ("ja", "en")}
            assert "recorded" in definition["en"] and "記録" in definition["ja"]  # the coverage caveat, in words

    def test_findings_name_the_ip_window(self, view: nx.MultiDiGraph) -> None:
        findings = ip_findings(view, "testr")
        unreached = sorted(f["subjects"][0] for f in findings if f["kind"] == "ip_no_support")
        assert unreached == ["org:coop", "org:firm-b", "org:firm-c", "org:firm-d"]
        partnerless = [f["subjects"][0] for f in findings if f["kind"] == "ip_award_no_partner"]
        assert partnerless == ["org:firm-c"]  # エー won an award too, but researches with the university
        assert all(f["subjects"][1] == "org:window" for f in findings)

    def test_worklist_cards_carry_the_ip_kinds_and_words(self, tmp_path: Path) -> None:
        from reports.worklist import next_step_text, reason_text

        with EmbeddedStore(tmp_path / "s.sqlite") as store:
            store.write_batch(read_canonical([REGION], LoadOptions(), LoadContext()).batch)
            worklist = AnalysisService(store).worklist("testr")
        cards = {item.key: item for item in worklist.items}
        assert "ip_award_no_partner" in cards["org:firm-c"].kinds
        assert {"ip_no_support"} <= set(cards["org:firm-b"].kinds)
        ip_cards = worklist.filtered(kinds=["ip_no_support"])
        assert {c.key for c in ip_cards} == {"org:coop", "org:firm-b", "org:firm-c", "org:firm-d"}
        for card in ip_cards:
            for lang in ("ja", "en"):
                assert "{" not in reason_text(card, lang) and "{" not in next_step_text(card, lang)


# --- audit ---------------------------------------------------------------------------------------
class TestAudit:
    def test_the_fixture_is_clean(self, graph: nx.MultiDiGraph) -> None:
        assert audit_findings(graph) == []

    @pytest.mark.parametrize(
        ("rows_file", "old", "new", "kinds"),
        [
            (
                "relationships.csv",
                "2024-11-01,2024,https://example.org/award-2024",
                "2024-11-01,2024,",
                ["no_evidence"],
            ),
            ("relationships.csv", "prefectural,2024-11-01,2024,", "prefectural,,,", ["no_date"]),
            ("nodes.csv", "2010-01-15,,https://example.org/rct-b", ",,https://example.org/rct-b", []),
            ("nodes.csv", "2020-04-01,2022-05-10,A23L", ",,A23L", ["no_date"] * 3),
            (
                "relationships.csv",
                "2025-01-20,2024,https://example.org/licence",
                ",,https://example.org/licence",
                ["no_date"],
            ),
        ],
    )
    def test_an_ip_row_without_url_or_date_fails(
        self, tmp_path: Path, rows_file: str, old: str, new: str, kinds: list[str]
    ) -> None:
        """A right undated by its row and by its holders' rows is a finding per holder; a dated HOLDS row suffices."""
        region = tmp_path / "region"
        shutil.copytree(REGION, region)
        path = region / "ip" / rows_file
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        with EmbeddedStore(tmp_path / "s.sqlite") as store:
            store.write_batch(read_canonical([region], LoadOptions(), LoadContext()).batch)
            findings = audit_findings(store.read_graph_all())
        assert [f.kind for f in findings] == kinds, findings


# --- loaders -------------------------------------------------------------------------------------
def _ip_of(result: Any) -> tuple[dict[str, dict[str, Any]], set[tuple[str, str]]]:
    rights = {n.id: n.props for n in result.batch.nodes if n.labels == ("IPRight",)}
    holds = {(r.source, r.target) for r in result.batch.relationships if r.type == "HOLDS"}
    return rights, holds


class TestLoaders:
    def test_jplatpat_writes_rights_and_holders(self) -> None:
        result = read_jplatpat([LIST_1, LIST_2], LoadOptions(), houjin_context())
        rights, holds = _ip_of(result)
        right = rights["ip:pat-jp7123456"]  # 登録番号 特許7123456 in the full list
        assert right["kind"] == "patent" and right["number"] == "特許7123456"
        assert right["title"] == "ホタテ貝柱の加工方法" and right["filed_on"] == "2021-07-01"
        assert right["tech_fields"] == ["A23B", "A23L"]
        assert right["evidence"].startswith("https://www.j-platpat.inpit.go.jp/")
        assert {h for h in holds if h[1] == "ip:pat-jp7123456"} == {
            ("org:6442001006802", "ip:pat-jp7123456"),
            ("org:1342005003579", "ip:pat-jp7123456"),
        }
        # a document without a registration number is named by its document number
        assert "ip:pat-jp-kokai-2021-099999" in rights
        assert result.report["ip_rights"] == len(rights)
        assert all(target in rights for _, target in holds)

    def test_gbiz_patent_writes_rights_and_co_holders(self) -> None:
        result = read_gbiz_patent([FIXTURES / "gbiz" / "Tokkyojoho_current.csv"], LoadOptions(), gbiz_context())
        rights, holds = _ip_of(result)
        right = rights["ip:pat-jp7123456"]
        assert right["kind"] == "patent" and right["filed_on"] == "2021-07-01"
        assert right["title"] == "ホタテ貝柱の加工方法" and "A23L" in right["tech_fields"]
        holders = {h for h, r in holds if r == "ip:pat-jp7123456"}
        assert len(holders) == 2  # co-held: both holders, one right
        assert {r["kind"] for r in rights.values()} <= {"patent", "design", "trademark", "utility_model"}

    def test_the_id_and_kind_examples_hold(self) -> None:
        import doctest

        import loaders.iprights

        assert doctest.testmod(loaders.iprights).failed == 0

    def test_both_loaders_name_one_right_alike(self) -> None:
        assert ip_right_id("patent", "特許7123456") == ip_right_id("patent", "7123456") == "ip:pat-jp7123456"

    @pytest.mark.neo4j
    def test_loaded_rights_read_back_from_both_stores(self, store: Store) -> None:
        store.write_batch(read_canonical([REGION], LoadOptions(), LoadContext()).batch)
        graph = store.read_graph_all()
        assert graph.nodes["ip:pat-a"]["kind"] == "patent"
        assert graph.nodes["ip:pat-a"]["tech_fields"] == ["A23L", "B65D"]
        holders = sorted(u for u, _, d in graph.in_edges("ip:pat-a", data=True) if d["type"] == "HOLDS")
        assert holders == ["org:firm-a", "org:firm-b", "org:firm-x"]
        assert ip_counts(ip_facts(region_subgraph(graph, "testr"), "testr")).facts == 9


# --- saved Cypher queries ------------------------------------------------------------------------
@pytest.mark.neo4j
def test_saved_queries_name_what_the_analysis_names(neo4j_store: Any) -> None:
    """The console's two IP queries agree with the service: unreached holders, rights by kind."""
    from graph.query import run_saved

    neo4j_store.write_batch(read_canonical([REGION], LoadOptions(), LoadContext()).batch)
    view = region_subgraph(neo4j_store.read_graph_all(), "testr")
    unreached = {o for o, p in ip_profiles(view, "testr").items() if p.active and not p.reached}
    # a generous deadline: the guard parses in a JVM helper, slow on a loaded machine (speed lives in bench/)
    rows = run_saved(neo4j_store, "ip_holders_without_ip_support", {"region": "testr"}, timeout=120).records()
    assert {r["id"] for r in rows} == unreached == {"org:coop", "org:firm-b", "org:firm-c", "org:firm-d"}
    assert next(r for r in rows if r["id"] == "org:firm-b")["rights"] == 2
    kinds = {
        (r["region"], r["kind"]): (r["rights"], r["holders"])
        for r in run_saved(neo4j_store, "ip_rights_by_kind", timeout=120).records()
    }
    assert kinds == {
        ("region:testr", "patent"): (1, 2),
        ("region:testr", "regional_collective_trademark"): (1, 1),
        ("region:testr", "geographical_indication"): (1, 1),
        ("region:other", "patent"): (1, 1),
    }


# --- exports -------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["graphml", "gexf", "cytoscape-json", "csv", "xlsx"])
def test_exports_carry_rights_and_holders(graph: nx.MultiDiGraph, tmp_path: Path, fmt: str) -> None:
    paths = export_graph(graph, fmt, tmp_path / ("out.xlsx" if fmt == "xlsx" else f"out-{fmt}"))
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(paths[0], read_only=True)
        text = " ".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row)
    else:
        text = " ".join(p.read_text(encoding="utf-8") for p in paths)
    assert "ip:pat-a" in text and "HOLDS" in text and "regional_collective_trademark" in text
    if fmt == "csv":
        names = {p.name for p in paths}
        assert any("IPRight" in n for n in names) and any("HOLDS" in n for n in names)


# --- CLI and one truth ---------------------------------------------------------------------------
@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    with EmbeddedStore(home / "ipeco.sqlite") as store:
        store.write_batch(read_canonical([REGION], LoadOptions(), LoadContext()).batch)
    return home


def run(home: Path, *args: str) -> str:
    # a wide table, so words are not wrapped whatever terminal (or none) runs the tests
    env = {"IPECO_HOME": str(home), "IPECO_STORE": "embedded", "COLUMNS": "240"}
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_ipeco_ip_prints_the_facts(home: Path) -> None:
    data = json.loads(run(home, "ip", "--region", "testr", "--json"))
    assert data["counts"]["facts"] == 9 and data["counts"]["organisations"] == 5
    assert {f["org"] for f in data["facts"]} == {"org:firm-a", "org:firm-b", "org:firm-c", "org:firm-d", "org:coop"}
    table = run(home, "ip", "--region", "testr", "--lang", "en")
    assert "Regional collective trademark" in table and "https://example.org/rct-b" in table
    assert "regional_collective_trademark" not in table  # kinds in words, never the key
    assert "地域団体商標" in run(home, "ip", "--region", "testr")


def test_ip_indicators_are_one_number_on_every_surface(home: Path) -> None:
    """``ipeco compare --json``, the compare page's table and the reports show the service's numbers."""
    from webapp.data import comparison_table

    cli_rows = {
        r["key"]: r["values"]["testr"]
        for r in json.loads(run(home, "compare", "--region", "testr", "--json"))["indicators"]
    }
    with EmbeddedStore(home / "ipeco.sqlite") as store:
        service = AnalysisService(store)
        comparison = service.comparison(["testr"])
        web_rows = {r["key"]: r["values"]["testr"] for r in comparison_table(comparison)["indicators"]}
        report_rows = {
            r.key: r.values["testr"] for r in collect_comparison(service, ["testr"], figure=False).indicators
        }
        brief_rows = {r.key: r.values["testr"] for r in collect_region(service, "testr", figure=False).indicators}
        truth = {key: comparison.indicator(key).values["testr"] for key in IP_KEYS}
    for key, value in truth.items():
        for surface in (cli_rows, web_rows, report_rows, brief_rows):
            shown = surface[key]
            shown = getattr(shown, "ja", shown) if not isinstance(shown, int | float) else shown
            assert shown == value or (isinstance(value, float) and math.isclose(float(shown), value)), (key, shown)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_regional_brief_has_an_ip_section(home: Path, lang: str) -> None:
    """The brief (HTML, and so the PDF) and its spreadsheet list the facts ``ipeco ip`` lists, with pages and dates."""
    from reports.render import render_region
    from reports.sheets import region_sheets

    with EmbeddedStore(home / "ipeco.sqlite") as store:
        service = AnalysisService(store)
        data = collect_region(service, "testr", figure=False)
        facts = service.ip("testr").facts
    html = render_region(data, lang=lang, generated_at="2026-12-07", data_version="v")
    assert ("知財" if lang == "ja" else "Intellectual property") in html
    assert ("地域団体商標" if lang == "ja" else "Regional collective trademark") in html
    for fact in facts:
        assert fact.evidence in html and fact.date in html
    sheet = region_sheets(data, lang=lang, generated_at="2026-12-07", data_version="v")["ip"]
    assert len(sheet) == 1 + len(facts) == 10
    assert {row[-1] for row in sheet[1:]} == {f.evidence for f in facts}


def test_the_compare_page_counts_what_ipeco_ip_lists(home: Path) -> None:
    """The compare page's 知財 section states the counts ``ipeco ip --json`` prints, and links the map's layer."""
    from webapp.data import DataSource
    from webapp.pages.compare import compare_body

    counts = json.loads(run(home, "ip", "--region", "testr", "--json"))["counts"]
    body = str(compare_body(DataSource(lambda: EmbeddedStore(home / "ipeco.sqlite")), "en", False))
    facts, orgs, kinds = counts["facts"], counts["organisations"], len(counts["kinds"])
    assert f"Test Prefecture: {facts} IP facts on {orgs} organisations, {kinds} kinds" in body
    assert "/?region=testr&ip=1&lang=en" in body
