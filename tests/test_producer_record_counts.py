"""Producer records (source: producer) counted apart on every surface: service, CLI, compare page, report.

The tiny graph: tiny_batch's Aomori (firm A supported twice by body B: one public pair) plus firm D,
whom B has accompanied once — a producer record and the pair's only tie. Public ties: 1 pair; the
record is not one of them, and every surface says "1 producer records not counted".
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from analytics.engagements import public_ties
from analytics.service import AnalysisService
from graph.batch import Batch, NodeRecord, Origin, RelRecord
from graph.embedded import EmbeddedStore
from graph.records import Accompaniment, accompaniment_batch
from graph.store import Store
from ipeco.cli import cli
from tests.conftest import tiny_batch

TODAY = date(2026, 6, 1)


def _firm_d() -> Batch:
    o = Origin("d.csv", 1)
    node = NodeRecord("org:d", ("Organization", "Company"), {"name": "株式会社ディー"}, o)
    return Batch("test", [node], [RelRecord("LOCATED_IN", "org:d", "region:aomori", {}, o)])


def _record(firm: str) -> Batch:
    record = Accompaniment(
        firm=firm,
        body="org:b",
        programme="prog:ipas",
        phase="launch",
        date="2026-05-20",
        outcome="知財総合支援窓口へ同行",
        author="alice",
        evidence="",
    )
    return accompaniment_batch(record, TODAY)


def _fill(store: Store, *, records: bool = True) -> None:
    store.write_batch(tiny_batch())
    store.write_batch(_firm_d())
    if records:
        store.write_batch(_record("org:d"))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    with EmbeddedStore(tmp_path / "ipeco.sqlite") as store:
        _fill(store)
    return tmp_path


def test_public_ties_leave_out_only_the_producer_records() -> None:
    import networkx as nx

    G = nx.MultiDiGraph()  # noqa: N806
    G.add_edge("b", "a", key="p", type="SUPPORTS", source="seed:real")
    G.add_edge("b", "d", key="q", type="SUPPORTS", source="producer")
    assert list(public_ties(G).edges(keys=True)) == [("b", "a", "p")]
    assert G.number_of_edges() == 2  # a view: the records stay in the region view


@pytest.mark.neo4j
def test_the_service_counts_the_records_once_and_apart_from_the_ties(store: Store) -> None:
    _fill(store)
    service = AnalysisService(store)
    assert service.engagements("aomori").records == 1
    counts = service.region_counts("aomori")
    assert (counts.organisations, counts.ties, counts.firms) == (3, 1, 2)  # A–B only; B–D is a record
    assert service.analysis("aomori").nodes["org:d"].degree == 0


def test_without_records_nothing_is_said(tmp_path: Path) -> None:
    from webapp.data import DataSource
    from webapp.pages.compare import producer_notes

    with EmbeddedStore(tmp_path / "ipeco.sqlite") as store:
        _fill(store, records=False)
    assert AnalysisService(EmbeddedStore(tmp_path / "ipeco.sqlite")).engagements("aomori").records == 0
    assert "producer records" not in _run(tmp_path, "stats", "--region", "aomori")
    ds = DataSource(lambda: EmbeddedStore(tmp_path / "ipeco.sqlite"))
    assert producer_notes(ds, ["aomori"], {}, "en", False) == []


def _run(home: Path, *args: str) -> str:
    env = {"IPECO_HOME": str(home), "IPECO_STORE": "embedded"}
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_ipeco_stats_says_how_many_records_it_did_not_count(home: Path) -> None:
    text = _run(home, "stats", "--region", "aomori")
    assert "ties between organisations: 1" in text
    assert "1 producer records not counted (public ties only)" in text
    data = json.loads(_run(home, "stats", "--region", "aomori", "--json"))
    assert data["region_counts"]["ties"] == 1 and data["producer_records"] == 1


def test_ipeco_compare_names_the_region_with_records(home: Path) -> None:
    assert "Aomori: 1 producer records not counted" in _run(home, "compare", "--region", "aomori", "--lang", "en")
    assert "青森県: 自チームの伴走支援の記録 1 件は数えていません" in _run(home, "compare", "--region", "aomori")


def test_the_compare_page_says_it_under_the_table(home: Path) -> None:
    from webapp.data import DataSource
    from webapp.pages.compare import producer_notes

    ds = DataSource(lambda: EmbeddedStore(home / "ipeco.sqlite"))
    (note,) = producer_notes(ds, ["aomori"], {"aomori": "Aomori"}, "en", False)
    assert note.children == "Aomori: 1 producer records not counted (public ties only)"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_regional_report_has_the_line_in_its_sources(home: Path, lang: str) -> None:
    from reports.collect import collect_region
    from reports.render import render_region

    data = collect_region(AnalysisService(EmbeddedStore(home / "ipeco.sqlite")), "aomori", figure=False)
    assert (data.ties, data.producer_records) == (1, 1)
    html = render_region(data, lang=lang, generated_at="2026-06-01", data_version="v")
    sources = html[html.index('class="note producer-records"') :]
    expected = "自チームの伴走支援の記録 1 件は数えていません" if lang == "ja" else "1 producer records not counted"
    assert expected in sources.split("</p>")[0]
