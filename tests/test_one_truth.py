"""One truth on every surface (issue 11): the same organisation has the same numbers everywhere.

For every organisation of every seeded model region, degree, betweenness and community are read
from each surface a user sees them on and compared with ``ipeco analyze --json`` (the command
run in-process, with an analysis service of its own over the same embedded store; that the numbers
do not depend on the process is ``test_cli``'s two-hash-seed test):

* the map: the node elements the web app sends to the browser (sized by betweenness, coloured by
  community) and the detail panel of a sample of organisations;
* the Gaps page: the degree each gap's evidence states (fragile bridges, isolated actors) and the
  organisations it counts.

The reports join through :func:`surface_numbers`: a report-side test adds its own reader to
:data:`SURFACES` (``"report": lambda home, region: {node: (degree, betweenness, community)}``)
and :func:`test_every_surface_shows_the_analysis_numbers` compares it too.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from dash import html

from analytics.service import AnalysisService
from graph.embedded import EmbeddedStore
from graph.words import t
from reports.formatting import number
from tests.cli_support import ipeco
from tests.conftest import seed_home
from webapp.data import DataSource
from webapp.detail import detail_panel
from webapp.pages.map import map_result
from webapp.state import MapState

REGIONS = ("aomori", "ishikawa", "kobe")

#: A surface's numbers: node → (degree, betweenness, community); None where it does not show one.
Numbers = dict[str, tuple[int | None, float | None, int | None]]


@pytest.fixture(scope="module")
def seeded_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An IPECO_HOME whose embedded store holds the bundled seeds (real skeleton + synthetic layer)."""
    return seed_home(tmp_path_factory, "one-truth")


@pytest.fixture(scope="module")
def ds(seeded_home: Path) -> DataSource:
    return DataSource(lambda: EmbeddedStore(seeded_home / "ipeco.sqlite"))


def cli_numbers(home: Path, region: str) -> Numbers:
    """``ipeco analyze --region R --json`` run as a user runs it."""
    env = {**os.environ, "IPECO_HOME": str(home), "IPECO_STORE": "embedded"}
    result = ipeco("analyze", "--region", region, "--json", env=env)
    assert result.returncode == 0, result.stderr
    nodes = json.loads(result.stdout)["nodes"]
    return {node: (row["degree"], row["betweenness"], row["community"]) for node, row in nodes.items()}


def map_numbers(ds: DataSource, region: str) -> Numbers:
    """What the map's node elements carry when sized by betweenness and coloured by community."""
    result = map_result(ds, MapState(region=region, size="betweenness", color="community"))
    assert not result.aggregated and not result.truncated, "the seeded regions fit on one map"
    return {
        e["data"]["id"]: (e["data"].get("degree"), e["data"].get("betweenness"), e["data"].get("community"))
        for e in result.elements
        if "source" not in e["data"] and e["data"].get("degree") is not None
    }


def default_map_degrees(ds: DataSource, region: str) -> dict[str, int]:
    """The default map (sized by degree) does not wait for the analysis: its degree must still agree."""
    result = map_result(ds, MapState(region=region))
    return {e["data"]["id"]: e["data"]["degree"] for e in result.elements if "degree" in e["data"]}


def gaps_degrees(ds: DataSource, region: str) -> dict[str, int]:
    """The degree the Gaps page's evidence states for a node (``degree`` or ``ties``)."""
    out: dict[str, int] = {}
    for gap in ds.gaps(region).gaps:
        for item in gap.evidence:
            value = item.get("degree", item.get("ties"))
            if "node" in item and value is not None:
                out[str(item["node"])] = int(value)
    return out


#: Readers of surfaces beyond the web app (the reports add theirs): ``(home, region) -> Numbers``.
SURFACES: dict[str, Callable[[Path, str], Numbers]] = {}


def surface_numbers(name: str, reader: Callable[[Path, str], Numbers]) -> None:
    """Register a surface (e.g. the regional report) for :func:`test_every_surface_shows_the_analysis_numbers`."""
    SURFACES[name] = reader


@pytest.mark.parametrize("region", REGIONS)
def test_every_surface_shows_the_analysis_numbers(seeded_home: Path, ds: DataSource, region: str) -> None:
    cli = cli_numbers(seeded_home, region)
    assert len(cli) > 50, "every seeded region has its organisations analysed"
    on_map = map_numbers(ds, region)
    assert on_map == cli  # every organisation, every number, nothing extra
    assert default_map_degrees(ds, region) == {node: numbers[0] for node, numbers in cli.items()}
    stated = gaps_degrees(ds, region)
    assert stated, "the gaps of a seeded region state some degrees"
    assert {node: cli[node][0] for node in stated} == stated
    assert ds.gaps(region).completeness["organisations"] == len(cli)
    for name, reader in SURFACES.items():
        assert reader(seeded_home, region) == cli, name


def text_of(component: Any) -> str:
    """The text a component shows (a header may be a glossary term: an ``<abbr>`` around its name)."""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return "".join(text_of(child) for child in component)
    children = getattr(component, "children", None)
    return "" if children is None else text_of(children)


def panel_rows(component: Any) -> dict[str, Any]:
    """Every table row of a rendered panel: header text → cell value."""
    rows: dict[str, Any] = {}
    if isinstance(component, list | tuple):
        for child in component:
            rows.update(panel_rows(child))
        return rows
    if isinstance(component, html.Tr):
        th, td = component.children
        rows[text_of(th)] = td.children
        return rows
    children = getattr(component, "children", None)
    return rows | panel_rows(children) if children is not None and not isinstance(children, str) else rows


@pytest.mark.parametrize("region", REGIONS)
def test_detail_panel_shows_the_analysis_numbers(ds: DataSource, region: str) -> None:
    analysis = ds.analysis(region)
    hubs = sorted(analysis.nodes.values(), key=lambda m: (-m.degree, m.id))[:3]
    for measures in hubs:
        sections = detail_panel(ds, region, measures.id, "en")
        rows = panel_rows(sections)
        shown = tuple(rows[t(f"measure.{m}", "en")] for m in ("degree", "betweenness", "community"))
        # the service's numbers, formatted as every surface formats them (reports.formatting.number)
        expected = (measures.degree, measures.betweenness, measures.community)
        assert shown == tuple(number(v, "en") for v in expected), measures.id


def links(component: Any) -> list[Any]:
    """Every ``html.A`` of a rendered panel."""
    if isinstance(component, list | tuple):
        return [a for child in component for a in links(child)]
    if isinstance(component, html.A):
        return [component]
    children = getattr(component, "children", None)
    return links(children) if children is not None and not isinstance(children, str) else []


def test_detail_panel_links_each_tie_source_with_its_date(ds: DataSource) -> None:
    """Issue 12 item 6: each sourced tie shows its source as a link and its date, in words."""
    sections = detail_panel(ds, "kobe", "org:jpo", "en")
    text = str(sections)
    url = "https://www.jpo.go.jp/support/chusho/chizai-shien_model_area.html"
    assert url in {a.href for a in links(sections)}
    assert "Serves — Kobe City: " in text and "FY2024" in text
    assert "SERVES" not in text  # the tie type is shown in words, never as its key


def picks(component: Any) -> list[str]:
    """Nodes a rendered panel links to (its neighbour and suggestion buttons)."""
    if isinstance(component, list | tuple):
        return [n for child in component for n in picks(child)]
    found = [component.id["node"]] if isinstance(getattr(component, "id", None), dict) else []
    children = getattr(component, "children", None)
    return found + (picks(children) if children is not None and not isinstance(children, str) else [])


def test_a_national_body_s_panel_names_only_the_region_s_organisations(ds: DataSource) -> None:
    """INPIT serves all three regions; on the Kobe map its panel lists Kobe's ties only."""
    sections = detail_panel(ds, "kobe", "org:inpit", "ja")
    named = picks(sections)
    view = ds.region_view("kobe")
    assert len(named) > 5
    assert set(named) <= set(view), sorted(set(named) - set(view))


def test_comparison_shows_the_analysis_numbers(seeded_home: Path) -> None:
    """The comparison's top brokers and modularity, computed before any analysis, are the analysis's."""
    service = AnalysisService(EmbeddedStore(seeded_home / "ipeco.sqlite"))
    comparison = service.comparison(REGIONS)  # cold: no analysis cached yet
    for region in REGIONS:
        analysis = service.analysis(region)
        for broker in comparison.indicator("top_brokers").values[region]:
            assert broker["betweenness"] == analysis.nodes[broker["id"]].betweenness
        assert comparison.indicator("modularity").values[region] == analysis.indicators["modularity"]
