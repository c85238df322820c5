"""Changes between two fiscal years (issue 21): known changes of tiny dated graphs, and ``ipeco changes``."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from analytics.changes import CHANGE_KINDS, RegionChanges, region_changes
from graph.scope import region_subgraph
from graph.snapshots import snapshot
from ipeco.cli import cli
from tests.conftest import real_seed_home
from tests.timeline_graphs import graph, org, tie


def view(g: nx.MultiDiGraph, year: int) -> nx.MultiDiGraph:
    return region_subgraph(snapshot(g, year).graph, "r")


def changes(g: nx.MultiDiGraph, start: int, end: int) -> RegionChanges:
    return region_changes(view(g, start), view(g, end), region="r", from_year=start, to_year=end)


def two_triangles() -> nx.MultiDiGraph:
    """s, f1, x and u, y, z: two triangles since 2010; f1–u collaborate from FY2021; f1–u's earlier
    contract ran FY2015–FY2020 (until 2021); s first supports f2 in FY2021."""
    g = graph()
    for name, role in (("s", "SupportOrganization"), ("f1", "Company"), ("x", "Company")):
        org(g, name, role, founded="2000")
    for name in ("u", "y", "z"):
        org(g, name, "University", founded="2000")
    org(g, "f2")
    for a, b in (("s", "f1"), ("f1", "x"), ("x", "s"), ("u", "y"), ("y", "z"), ("z", "u")):
        tie(g, a, "COLLABORATES_WITH", b, since=2010)
    tie(g, "f1", "COLLABORATES_WITH", "y", key="contract", kind="contract", since=2015, until=2021)
    tie(g, "f1", "COLLABORATES_WITH", "u", key="joint", kind="joint_research", since=2021)
    tie(g, "s", "SUPPORTS", "f2", key="2021", fiscal_year=2021)
    return g


class TestRegionChanges:
    def test_known_changes(self) -> None:
        result = changes(two_triangles(), 2020, 2022)
        found = {k: [item.subjects for item in result.of_kind(k)] for k in CHANGE_KINDS}
        assert found["new_organisation"] == [("f2",)]
        assert sorted(found["new_tie"]) == [("f1", "u"), ("s", "f2")]
        assert found["ended_tie"] == [("f1", "y")]
        assert found["new_bridge"] == [("f1", "u")]
        # f1 already held the triangles together in FY2020 (through its contract with y): only u is new.
        assert found["new_broker"] == [("u",)]
        assert found["first_support"] == [("f2",)]

    def test_every_item_has_its_page(self) -> None:
        result = changes(two_triangles(), 2020, 2022)
        pages = {item.kind: item.evidence for item in result.items}
        assert pages["new_organisation"] == ("https://example.org/f2",)
        assert pages["ended_tie"] == ("https://example.org/f1-y",)
        assert pages["new_bridge"] == ("https://example.org/f1-u",)
        assert pages["first_support"] == ("https://example.org/s-f2",)
        new_tie = next(i for i in result.of_kind("new_tie") if i.subjects == ("f1", "u"))
        assert (new_tie.tie_type, new_tie.tie_kind, new_tie.year) == ("COLLABORATES_WITH", "joint_research", 2021)

    def test_no_change_between_equal_years(self) -> None:
        result = changes(two_triangles(), 2022, 2022)
        assert sum(result.counts().values()) == 0

    def test_communities_merge_and_split(self) -> None:
        g = graph()
        for name in ("a1", "a2", "a3", "b1", "b2", "b3"):
            org(g, name, founded="2000")
        for group in (("a1", "a2", "a3"), ("b1", "b2", "b3")):
            for i, u in enumerate(group):
                for v in group[i + 1 :]:
                    tie(g, u, "COLLABORATES_WITH", v, since=2010)
        for u in ("a1", "a2", "a3"):
            for v in ("b1", "b2", "b3"):
                tie(g, u, "COLLABORATES_WITH", v, since=2020, until=2023)
        merged = changes(g, 2019, 2020).of_kind("communities_merged")
        assert [item.subjects for item in merged] == [("a1", "a2", "a3", "b1", "b2", "b3")]
        assert "https://example.org/a1-b1" in merged[0].evidence
        split = changes(g, 2022, 2023).of_kind("community_split")
        assert [item.subjects for item in split] == [("a1", "a2", "a3", "b1", "b2", "b3")]

    def test_json_document(self) -> None:
        doc = changes(two_triangles(), 2020, 2022).as_dict()
        assert (doc["from"], doc["to"], doc["counts"]["new_tie"]) == (2020, 2022, 2)
        assert list(doc["counts"]) == list(CHANGE_KINDS)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_kind_has_its_words(lang: str) -> None:
    from graph.words import change_kind_name

    names = [change_kind_name(kind, lang) for kind in CHANGE_KINDS]
    assert all(names) and len(set(names)) == len(CHANGE_KINDS)


# --- ipeco changes -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return real_seed_home(tmp_path_factory, "changes")


def run(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["changes", *args], env={"IPECO_HOME": str(home), "IPECO_STORE": "embedded"})
    return result.exit_code, result.output


@pytest.mark.parametrize("region", ["aomori", "ishikawa", "kobe"])
def test_cli_json_lists_sourced_changes_for_each_model_region(home: Path, region: str) -> None:
    code, out = run(home, "--region", region, "--from", "2023", "--json")
    assert code == 0, out
    doc = json.loads(out)
    assert doc["items"], "a model region changed between FY2023 and the latest year"
    assert all(item["evidence"] and item["evidence"][0].startswith("http") for item in doc["items"])
    assert doc["to"] >= 2025


def test_cli_table(home: Path) -> None:
    code, out = run(home, "--region", "kobe", "--from", "2022", "--to", "2025", "--lang", "en")
    assert code == 0, out
    assert "Changes from FY2022" in out and "New organisation" in out and "https://" in out
    assert "undated tie(s)" in out


@pytest.mark.parametrize("region", ["kobe", "kumamoto"])
def test_regional_report_has_the_section(home: Path, region: str, tmp_path: Path) -> None:
    """The brief's section: indicators by year, the changes with their pages, the journeys' count."""
    from analytics.service import AnalysisService
    from graph.embedded import EmbeddedStore
    from reports.files import build_region_report

    with EmbeddedStore(home / "ipeco.sqlite") as store:
        html = build_region_report(AnalysisService(store), region, "en", "html", tmp_path / "r.html").read_text()
    assert "How the region changed" in html
    assert "undated tie(s)" in html and "supported firm(s)" in html
    if region == "kobe":  # a model region since FY2024: the changes since FY2023, each with its page
        assert "Changes from FY2023" in html and "Model region (FY2024" in html
        assert 'href="https://www.city.kobe.lg.jp/a31812/press/20240410.html"' in html


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--region", "kobe", "--from", "2025", "--to", "2022"), "--from 2025 must be earlier than --to 2022"),
        (("--region", "nowhere", "--from", "2022"), "unknown region 'nowhere'"),
    ],
)
def test_cli_bad_input_is_one_clear_error(home: Path, args: tuple[str, ...], words: str) -> None:
    code, out = run(home, *args)
    assert code == 1
    assert words in out and "Traceback" not in out
