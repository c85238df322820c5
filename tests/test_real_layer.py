"""The bundled real layer stands on its own (issue 12): sourced, dated, and rich enough per region.

The figures are counted from the seeds themselves, so that they cannot fall silently: a change
that drops sources or ties below the targets fails here. A tie counts for region R when it joins
two real organisations, at least one of them R's (seated in or serving R), and states its source
page (``evidence`` is an http(s) URL) with ``confidence: src``.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pytest

from graph.audit import audit_findings, tie_kind
from graph.batch import Batch
from seeds import real_seed_batch

MODEL_REGIONS_FY2024 = ("aomori", "ishikawa", "kobe")


@dataclass(frozen=True)
class RegionFigures:
    organisations: int
    ties: int
    firms: int
    kinds: frozenset[str]


def batch_graph(batch: Batch) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for node in batch.nodes:
        graph.add_node(node.id, labels=tuple(node.labels), **node.props)
    for rel in batch.relationships:
        graph.add_edge(rel.source, rel.target, type=rel.type, **rel.props)
    return graph


def region_figures(graph: nx.MultiDiGraph, region: str) -> RegionFigures:
    core = {u for u, _, d in graph.in_edges(f"region:{region}", data=True) if d["type"] in ("LOCATED_IN", "SERVES")}

    def is_org(node: str) -> bool:
        return "Organization" in graph.nodes[node]["labels"]

    ties = [
        (u, v, d)
        for u, v, d in graph.edges(data=True)
        if is_org(u)
        and is_org(v)
        and (u in core or v in core)
        and str(d.get("evidence", "")).startswith(("http://", "https://"))
        and d.get("confidence") == "src"
    ]
    organisations = {node for u, v, _ in ties for node in (u, v)}
    firms = {node for node in organisations if "Company" in graph.nodes[node]["labels"]}
    return RegionFigures(len(organisations), len(ties), len(firms), frozenset(tie_kind(d["type"], d) for *_, d in ties))


@pytest.fixture(scope="module")
def real_graph() -> nx.MultiDiGraph:
    return batch_graph(real_seed_batch())


@pytest.mark.parametrize("region", MODEL_REGIONS_FY2024)
def test_each_model_region_meets_the_real_layer_targets(real_graph: nx.MultiDiGraph, region: str) -> None:
    figures = region_figures(real_graph, region)
    assert figures.organisations >= 60, figures
    assert figures.ties >= 120, figures
    assert figures.firms >= 25, figures
    assert len(figures.kinds) >= 4, figures


def test_the_real_layer_passes_the_provenance_audit(real_graph: nx.MultiDiGraph) -> None:
    findings = audit_findings(real_graph)
    assert findings == [], "\n".join(f"{f.kind}: {f.ref}: {f.detail}" for f in findings[:40])
