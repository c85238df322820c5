"""Firm journeys through 構想 → 立上 → 拡大 (issue 21): a tiny dated graph with known journeys and
flows, the demo layer's plausible (phase-ordered, synthetic) journeys, the real layer's count."""

from __future__ import annotations

import networkx as nx
import pytest

from analytics.journeys import JourneyFlow, RegionJourneys, region_journeys
from analytics.service import AnalysisService
from analytics.timeline import Timeline
from graph.embedded import EmbeddedStore
from graph.schema import PHASES
from graph.scope import region_subgraph
from reports.timeline import journey_summary, sankey_data
from seeds import real_seed_batch, seed_batch
from tests.timeline_graphs import graph, org, tie


def supported() -> nx.MultiDiGraph:
    """f1: ideation FY2020 (IPAS), launch FY2022 (two bodies), expansion FY2023 (overseas filing);
    f2: launch only; f3: ideation dated, launch undated (no journey); f4: launch FY2021 then ideation FY2024
    through a programme serving ideation only (its phase is the programme's)."""
    g = graph()
    g.add_node("prog:ipas", labels=("Programme",), name="IPAS", phases=["ideation"])
    g.add_node("prog:overseas", labels=("Programme",), name="海外出願支援", phases=["expansion"])
    for body in ("s1", "s2"):
        org(g, body, "SupportOrganization", founded="2000")
    for firm in ("f1", "f2", "f3", "f4"):
        org(g, firm, founded="2000")
    tie(g, "s1", "SUPPORTS", "f1", "a", phase="ideation", programme="prog:ipas", fiscal_year=2020)
    tie(g, "s1", "SUPPORTS", "f1", "b", phase="launch", fiscal_year=2022)
    tie(g, "s2", "SUPPORTS", "f1", "c", phase="launch", fiscal_year=2022)
    tie(g, "s2", "SUPPORTS", "f1", "d", phase="expansion", programme="prog:overseas", fiscal_year=2023)
    tie(g, "s1", "SUPPORTS", "f2", "a", phase="launch", fiscal_year=2021)
    tie(g, "s1", "SUPPORTS", "f3", "a", phase="ideation", fiscal_year=2021)
    tie(g, "s1", "SUPPORTS", "f3", "b", phase="launch")
    tie(g, "s2", "SUPPORTS", "f4", "a", phase="launch", fiscal_year=2021)
    tie(g, "s2", "SUPPORTS", "f4", "b", programme="prog:ipas", fiscal_year=2024)
    return g


def journeys(g: nx.MultiDiGraph) -> RegionJourneys:
    return region_journeys(region_subgraph(g, "r"), "r", g)


def test_known_journeys() -> None:
    result = journeys(supported())
    assert (result.supported_firms, result.phased_firms) == (4, 4)
    paths = {j.firm: j.path for j in result.journeys}
    assert paths == {"f1": ("ideation", "launch", "expansion"), "f4": ("launch", "ideation")}
    f1 = next(j for j in result.journeys if j.firm == "f1")
    assert [(s.year, s.bodies, s.programmes) for s in f1.steps] == [
        (2020, ("s1",), ("ipas",)),
        (2022, ("s1", "s2"), ()),
        (2023, ("s2",), ("overseas",)),
    ]
    assert f1.steps[0].evidence == ("https://example.org/s1-f1",)
    assert not f1.synthetic


def test_known_flows_and_sankey() -> None:
    result = journeys(supported())
    assert set(result.flows) == {
        JourneyFlow(0, "ideation", "launch", "", 1),
        JourneyFlow(1, "launch", "expansion", "overseas", 1),
        JourneyFlow(0, "launch", "ideation", "ipas", 1),
    }
    sankey = sankey_data(result, "en", {"ipas": "IPAS"})
    assert sankey.labels[0] == "Step 1: Ideation"
    assert sum(sankey.values) == 3
    assert "IPAS" in sankey.link_labels and "no programme named" in sankey.link_labels
    trace = sankey.plotly({"ideation": "#111"})
    assert trace["type"] == "sankey" and len(trace["node"]["color"]) == len(sankey.labels)


def test_summary_says_how_many() -> None:
    text = journey_summary(journeys(supported()), "en")
    assert text.startswith("Of 4 supported firm(s), 4 have dated support in a known phase and 2 went through")


@pytest.fixture(scope="module")
def timelines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Timeline]:
    out = {}
    for name, batch in (("demo", seed_batch()), ("real", real_seed_batch())):
        store = EmbeddedStore(tmp_path_factory.mktemp(f"journeys-{name}") / "ipeco.sqlite")
        store.write_batch(batch)
        out[name] = Timeline(AnalysisService(store))
    return out


@pytest.mark.parametrize("region", ["aomori", "ishikawa", "kobe"])
def test_demo_layer_has_plausible_synthetic_journeys(timelines: dict[str, Timeline], region: str) -> None:
    result = timelines["demo"].journeys(region)
    assert len(result.journeys) >= 10
    for journey in result.journeys:
        if journey.synthetic:
            # The demo hands a firm's support years out in phase order: 構想 before 立上 before 拡大.
            assert list(journey.path) == sorted(journey.path, key=PHASES.index)
    assert result.synthetic_journeys >= 10


@pytest.mark.parametrize("region", ["aomori", "ishikawa", "kobe"])
def test_real_layer_counts_what_there_is(timelines: dict[str, Timeline], region: str) -> None:
    result = timelines["real"].journeys(region)
    assert result.supported_firms > 0
    assert result.synthetic_journeys == 0
    assert str(result.supported_firms) in journey_summary(result, "ja")
