"""The graph as of a fiscal year (issue 21): known snapshots of a tiny dated graph, and one truth on the seed.

One-truth check: the latest year's snapshot plus what no year can hold (undated ties and
organisations) plus what ended before it is exactly today's view, on every model region of the
bundled seed, and the latest year's indicators count the same organisations.
"""

from __future__ import annotations

from datetime import date

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.orggraph import organisation_graph, organisations
from analytics.service import AnalysisService
from analytics.timeline import Timeline
from graph.embedded import EmbeddedStore
from graph.scope import region_subgraph
from graph.snapshots import fiscal_year_of, latest_fiscal_year, node_span, snapshot, spans_of, tie_start
from tests.conftest import seeded_store_file
from tests.timeline_graphs import graph, org, tie


def dated() -> nx.MultiDiGraph:
    """a (founded 2010) supports b (2015); a–d since 2012, d merged into e on 2020-01-01 (FY2019);
    a finances b in FY2016 until FY2018; a refers to c with no date (c has nothing dated)."""
    g = graph()
    org(g, "a", "SupportOrganization", founded="2010-05-01")
    org(g, "b")
    org(g, "c", "SupportOrganization")
    org(g, "d")
    org(g, "e", founded="2019-10-01")
    tie(g, "a", "SUPPORTS", "b", since=2015)
    tie(g, "a", "REFERS_TO", "c")
    tie(g, "a", "COLLABORATES_WITH", "d", since=2012)
    tie(g, "d", "SUCCEEDED_BY", "e", date="2020-01-01")
    tie(g, "a", "FINANCES", "b", fiscal_year=2016, until=2018)
    return g


def orgs_of(g: nx.MultiDiGraph) -> set[str]:
    return {n for n, d in g.nodes(data=True) if "Organization" in d.get("labels", ())}


def ties_of(g: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    return {(u, d["type"], v) for u, v, d in g.edges(data=True) if d["type"] != "LOCATED_IN"}


class TestFiscalYear:
    def test_april_starts_the_year(self) -> None:
        assert fiscal_year_of("2025-03-31") == 2024
        assert fiscal_year_of("2025-04-01") == 2025
        assert fiscal_year_of("2019") == 2019
        assert fiscal_year_of(None) is None
        assert fiscal_year_of("unknown") is None

    @given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
    def test_any_date(self, day: date) -> None:
        assert fiscal_year_of(day.isoformat()) == (day.year if day.month >= 4 else day.year - 1)

    def test_a_tie_starts_at_its_earliest_stated_year(self) -> None:
        assert tie_start({"since": 2016, "date": "2015-06-01"}) == 2015
        assert tie_start({"fiscal_year": 2023}) == 2023
        assert tie_start({"kind": "contract"}) is None


class TestSnapshot:
    @pytest.mark.parametrize(
        ("year", "orgs", "ties"),
        [
            (2011, {"a"}, set()),
            (2012, {"a", "d"}, {("a", "COLLABORATES_WITH", "d")}),
            (2015, {"a", "b", "d"}, {("a", "COLLABORATES_WITH", "d"), ("a", "SUPPORTS", "b")}),
            (
                2017,
                {"a", "b", "d"},
                {("a", "COLLABORATES_WITH", "d"), ("a", "SUPPORTS", "b"), ("a", "FINANCES", "b")},
            ),
            (2018, {"a", "b", "d"}, {("a", "COLLABORATES_WITH", "d"), ("a", "SUPPORTS", "b")}),
            (2019, {"a", "b", "e"}, {("a", "SUPPORTS", "b")}),
        ],
    )
    def test_known_years(self, year: int, orgs: set[str], ties: set[tuple[str, str, str]]) -> None:
        snap = snapshot(dated(), year)
        assert orgs_of(snap.graph) == orgs
        assert ties_of(snap.graph) == ties
        assert snap.graph.graph["fiscal_year"] == year

    def test_undated_items_are_named_and_never_placed(self) -> None:
        g = dated()
        for year in range(2000, 2030):
            snap = snapshot(g, year)
            assert [(r.source, r.type, r.target) for r in snap.undated_ties] == [("a", "REFERS_TO", "c")]
            assert snap.undated_organisations == ("c",)
            assert "c" not in snap.graph

    def test_placing_ties_follow_their_organisation(self) -> None:
        g = dated()
        assert not snapshot(g, 2014).graph.has_edge("b", "region:r")
        assert snapshot(g, 2015).graph.has_edge("b", "region:r")
        view = region_subgraph(snapshot(g, 2015).graph, "r")
        assert set(organisations(view)) == {"a", "b", "d"}

    def test_merged_organisation_ends_in_the_year_of_its_successor(self) -> None:
        span = node_span(dated(), "d")
        assert (span.start, span.end) == (2012, 2019)

    def test_latest_year(self) -> None:
        assert latest_fiscal_year(dated()) == 2019
        assert latest_fiscal_year(graph()) is None


@st.composite
def dated_graphs(draw: st.DrawFn) -> nx.MultiDiGraph:
    g = graph()
    names = [f"o{i}" for i in range(draw(st.integers(2, 6)))]
    years = st.one_of(st.none(), st.integers(2000, 2010))
    for name in names:
        founded = draw(years)
        org(g, name, **({"founded": str(founded)} if founded is not None else {}))
    for i in range(draw(st.integers(0, 10))):
        u, v = draw(st.sampled_from(names)), draw(st.sampled_from(names))
        props = {k: y for k, y in (("since", draw(years)), ("until", draw(years))) if y is not None}
        tie(g, u, "COLLABORATES_WITH", v, key=str(i), **props)
    return g


@settings(max_examples=60, deadline=None)
@given(dated_graphs(), st.integers(1999, 2011))
def test_a_held_tie_started_and_has_not_ended(g: nx.MultiDiGraph, year: int) -> None:
    snap = snapshot(g, year)
    undated = {(r.source, r.target, r.key) for r in snap.undated_ties}
    for u, v, key, data in snap.graph.edges(keys=True, data=True):
        if data["type"] == "LOCATED_IN":
            continue
        assert (u, v, key) not in undated
        assert (tie_start(data) or 0) <= year < data.get("until", 10_000)
        spans = spans_of(g).nodes
        assert spans[u].holds(year) and spans[v].holds(year)


# --- one truth on the bundled seed ---------------------------------------------------------------
@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> AnalysisService:
    store = EmbeddedStore(seeded_store_file(tmp_path_factory, "snapshots"))
    return AnalysisService(store)


@pytest.mark.parametrize("region", ["aomori", "ishikawa", "kobe"])
def test_latest_snapshot_is_todays_view(service: AnalysisService, region: str) -> None:
    timeline = Timeline(service)
    latest = timeline.latest_year()
    assert latest is not None
    today = service.region_view(region)
    then = timeline.view(region, latest)
    full = service.graph()
    spans = spans_of(full).nodes
    ended = {n for n in organisations(today) if spans[n].end <= latest}
    undated_orgs = set(snapshot(full, latest).undated_organisations)
    assert set(organisations(then)) | ended | (undated_orgs & set(organisations(today))) == set(organisations(today))
    assert not set(organisations(then)) & (ended | undated_orgs)
    undated = {(r.source, r.target, r.key) for r in timeline.undated(region)}
    today_ties = {
        (u, v, k) for u, v, k, d in today.edges(keys=True, data=True) if d["type"] not in ("LOCATED_IN", "SERVES")
    }
    then_ties = {
        (u, v, k) for u, v, k, d in then.edges(keys=True, data=True) if d["type"] not in ("LOCATED_IN", "SERVES")
    }
    gone = {(u, v, k) for u, v, k in today_ties - then_ties if u in ended or v in ended}
    assert then_ties | undated | gone | {e for e in today_ties if _ended(today, e, latest)} == today_ties
    # The latest year's indicators count the organisations of that view.
    assert timeline.indicators(region, [latest]).values("n") == (float(organisation_graph(then).number_of_nodes()),)


def _ended(view: nx.MultiDiGraph, edge: tuple[str, str, str], year: int) -> bool:
    until = view.edges[edge].get("until")
    return until is not None and int(until) <= year
