"""Engagement records (伴走支援): a producer's own record, flagged and counted apart, read by the worklist."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from analytics.engagements import engagement_facts, recently_accompanied
from graph.batch import BatchError
from graph.change_logs import change_log
from graph.changes import plan_batch
from graph.embedded import EmbeddedStore
from graph.records import Accompaniment, TieForm, accompaniment_batch, fiscal_year_of, tie_batch
from tests.conftest import tiny_batch
from tests.test_analytics_gaps import region
from tests.test_gap_worklist import worklist_of

TODAY = date(2026, 6, 1)


def _record(**changes: str) -> Accompaniment:
    fields = {
        "firm": "org:a",
        "body": "org:b",
        "programme": "prog:ipas",
        "phase": "launch",
        "date": "2026-05-20",
        "outcome": "知財総合支援窓口へ同行",
        "author": "alice",
        "evidence": "",
    }
    return Accompaniment(**{**fields, **changes})


def test_an_accompaniment_is_a_producer_record_with_author_and_fiscal_year(embedded_store: EmbeddedStore) -> None:
    embedded_store.write_batch(tiny_batch())
    log = change_log(embedded_store)
    log.apply(plan_batch(log, accompaniment_batch(_record(), TODAY), author="alice", summary="", kind="engagement"))
    ties = embedded_store.read_graph().get_edge_data("org:b", "org:a").values()
    (mine,) = [d for d in ties if d.get("kind") == "accompaniment"]
    assert mine["source"] == "producer" and mine["author"] == "alice" and mine["fiscal_year"] == 2026
    assert mine["outcome"] == "知財総合支援窓口へ同行" and mine["synthetic"] is False
    (written,) = log.history()
    assert written.kind == "engagement" and written.author == "alice"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date": "2026-07-01"}, "date"),
        ({"evidence": "ftp://example.org/x"}, "evidence"),
        ({"evidence": "javascript:alert(1)"}, "evidence"),
        ({"author": ""}, "author"),
        ({"date": "2026-13-01"}, "date"),
    ],
)
def test_a_bad_accompaniment_names_the_field(changes: dict[str, str], field: str) -> None:
    with pytest.raises(BatchError) as refused:
        accompaniment_batch(_record(**changes), TODAY)
    assert [v.field for v in refused.value.violations] == [field]


def test_an_unknown_counterpart_is_refused_before_any_write(embedded_store: EmbeddedStore) -> None:
    embedded_store.write_batch(tiny_batch())
    with pytest.raises(BatchError, match="neither in this load nor in the store"):
        embedded_store.validate(accompaniment_batch(_record(firm="org:nobody"), TODAY))


def test_a_tie_between_real_organisations_needs_its_evidence_url() -> None:
    form = TieForm("COLLABORATES_WITH", "org:a", "org:c", {"kind": "joint_research"})
    with pytest.raises(BatchError, match="needs the URL"):
        tie_batch(form, real_ends=True, today=TODAY)
    assert tie_batch(form, real_ends=False, today=TODAY).relationships[0].props["source"] == "workbench"
    ok = TieForm("COLLABORATES_WITH", "org:a", "org:c", {"kind": "joint_research", "evidence": "https://a.example/"})
    assert tie_batch(ok, real_ends=True, today=TODAY).relationships[0].props["evidence"] == "https://a.example/"


def test_fiscal_years_turn_in_april() -> None:
    assert [fiscal_year_of(date(2026, m, 1)) for m in (3, 4)] == [2025, 2026]


def test_producer_records_are_counted_apart_and_a_just_accompanied_firm_gets_no_card() -> None:
    G = region()  # noqa: N806
    before = worklist_of(G)
    assert "F2" in [i.key for i in before.items]
    recent = (date.today() - timedelta(days=10)).isoformat()
    G.add_edge("Y", "F2", key="SUPPORTS|x", type="SUPPORTS", kind="accompaniment", source="producer", date=recent)
    G.add_edge("Y", "F6", key="SUPPORTS|y", type="SUPPORTS", kind="accompaniment", source="producer", date="2019-04-01")
    facts = engagement_facts(G)
    assert (facts.records, facts.public_ties) == (2, G.number_of_edges() - 2)
    assert facts.recent == frozenset({"F2"}) == recently_accompanied(G)
    after = worklist_of(G)
    assert "F2" not in [i.key for i in after.items]
    assert "F6" in [i.key for i in after.items]  # accompanied years ago: still a card


def test_a_producer_record_is_marked_as_the_team_s_own_in_the_tie_sources() -> None:
    import networkx as nx

    from webapp.detail import tie_sources

    G = nx.MultiDiGraph()  # noqa: N806
    G.add_node("b", name="よろず支援拠点", labels=["Organization", "SupportOrganization"])
    G.add_node("f", name="株式会社エフ", labels=["Organization", "Company"])
    G.add_edge("b", "f", key="SUPPORTS|x", type="SUPPORTS", source="producer", author="alice", date="2026-05-20")
    G.add_edge("b", "f", key="SUPPORTS|y", type="SUPPORTS", source="seed:real", evidence="https://example.org/")
    texts = [str(item.children) for item in tie_sources(G, "f", "ja", limit=10)]
    assert len(texts) == 2
    assert sum("自チームの記録（alice）" in text for text in texts) == 1
