"""Where a report gets its numbers: the one seam between ``reports`` and the analysis.

Every figure a report states (measures, gaps, completeness, indicators, suggestions, the data
version) comes through the functions here and nowhere else, so that the reports show what every
other surface shows. They call ``analytics`` directly today; when the one analysis service exists,
these bodies become calls to it and nothing else in ``reports`` changes.

No estimate stands in when analytics fails: a report that quietly printed a second, different
number would be worse than one that is not written, so a failure propagates.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from analytics.compare import compare_regions
from analytics.gaps import find_gaps
from analytics.measures import analyze_region
from analytics.recommend import recommend
from graph.views import region_id, region_subgraph

__all__ = ["RegionNumbers", "data_version", "region_numbers", "region_view", "suggestions_for"]


@dataclass(frozen=True)
class RegionNumbers:
    """The analysis of one region as a report reads it.

    ``measures``: node id → ``analyze_region`` row (degree, betweenness, pagerank, ...);
    ``gaps``: ranked ``find_gaps`` entries; ``completeness``: its data-completeness record;
    ``indicators``: ``compare_regions`` rows (key, values by region, null models).
    """

    region: str
    measures: dict[str, dict[str, Any]]
    gaps: list[dict[str, Any]]
    completeness: dict[str, Any]
    indicators: list[dict[str, Any]]


def region_view(graph: nx.MultiDiGraph, region: str) -> nx.MultiDiGraph:
    """The region's view; ``graph`` may already be it (``region_subgraph`` records its region)."""
    if graph.graph.get("region") == region_id(region):
        return graph
    return region_subgraph(graph, region)


def region_numbers(views: Mapping[str, nx.MultiDiGraph]) -> dict[str, RegionNumbers]:
    """Measures, gaps and one indicator table for the regions of ``views`` (region key → its view).

    The indicator table is computed over all regions at once, as ``ipeco compare`` does, with each
    region's ``analyze_region`` result reused for its brokers and modularity.
    """
    analyses = {key: analyze_region(view, key) for key, view in views.items()}
    table = compare_regions(dict(views), analyses=analyses)
    out = {}
    for key, view in views.items():
        found = find_gaps(view, key)
        out[key] = RegionNumbers(
            region=key,
            measures={str(node): dict(row) for node, row in analyses[key]["nodes"].items()},
            gaps=list(found["gaps"]),
            completeness=dict(found["completeness"]),
            indicators=list(table["indicators"]),
        )
    return out


def suggestions_for(view: nx.MultiDiGraph, org: str) -> dict[str, Any]:
    """Support bodies, partners and programmes ``analytics.recommend`` suggests for ``org`` in ``view``."""
    return recommend(view, org)


def data_version(graph: nx.MultiDiGraph) -> str:
    """Short fingerprint of the stored data: counts and the newest ``loaded_at``.

    The same fingerprint as the web app's caches (a test holds the two equal), so a report printed
    from the CLI and one downloaded from the web app over the same data carry the same version.
    """
    newest = max((str(d.get("loaded_at", "")) for _, d in graph.nodes(data=True)), default="")
    newest_edge = max((str(d.get("loaded_at", "")) for _, _, d in graph.edges(data=True)), default="")
    raw = f"{graph.number_of_nodes()}|{graph.number_of_edges()}|{max(newest, newest_edge)}"
    return hashlib.sha1(raw.encode()).hexdigest()[:12]
