"""The graph as of a Japanese fiscal year: defined here once, beside the region scope (issue 21).

Every surface that draws a region "as of FY Y" (the map's year slider, indicators over time, the
changes between two years, the journeys, ``ipeco changes``, the report) takes
:func:`snapshot` of the whole graph and then the region's view of it
(:func:`graph.scope.region_subgraph`), so a region in a given year is the same everywhere.

The definition (fiscal years run April–March, numbered by the calendar year they start in; a
``date`` of 2025-01-01 falls in FY2024):

* **A tie's start** is the earliest of its ``since`` and ``fiscal_year`` and the fiscal year of its
  ``date``: the first year a page shows it. A tie without any of them is *undated*: it is never
  placed in a year; :attr:`Snapshot.undated_ties` counts and names it.
* **An organisation's start** is its own ``since`` or ``founded`` when a page states one, else
  the start of its earliest dated tie (the year it is first seen); one with neither is undated.
* **An end** is an ``until`` (the fiscal year an end stated by a page takes effect: a merger, a
  closure, the end of an agreement), and for an organisation also a ``SUCCEEDED_BY`` tie's start
  (it merged into its successor that year).
* **FY Y's graph** holds the organisations and ties with start ≤ Y < end, a tie only when both its
  ends are held. Placing ties (``LOCATED_IN``, ``SERVES``) carry no year of their own on most pages:
  they follow their organisation. Region, programme, network, technology-field and IP-right nodes
  are context: they are kept unless their own ``since``/``until`` say otherwise, and the region
  scope keeps only those a held organisation is tied to.

Because an undated item is never placed, the latest year's snapshot plus the undated items is
exactly today's graph (tests/test_snapshots.py checks it on the bundled seed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.scope import PLACING_TYPES

__all__ = [
    "ENDING_TYPES",
    "Snapshot",
    "Span",
    "Spans",
    "TieRef",
    "fiscal_year_of",
    "latest_fiscal_year",
    "node_span",
    "snapshot",
    "spans_of",
    "tie_start",
]

#: Ties that end their source organisation in the year they start (merger, succession).
ENDING_TYPES: tuple[str, ...] = ("SUCCEEDED_BY",)

#: A stand-in "no end" year, later than any fiscal year a page can state.
_NEVER = 10_000


def fiscal_year_of(value: Any) -> int | None:
    """The Japanese fiscal year of a year (``int``), ``YYYY`` or ``YYYY-MM[-DD]`` text; None otherwise.

    >>> fiscal_year_of("2025-01-01"), fiscal_year_of("2025-04-01"), fiscal_year_of(2019), fiscal_year_of("")
    (2024, 2025, 2019, None)
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value or "").strip()
    if len(text) < 4 or not text[:4].isdigit():
        return None
    year = int(text[:4])
    if len(text) >= 7 and text[4] in "-/" and text[5:7].isdigit():
        return year if int(text[5:7]) >= 4 else year - 1
    return year


def tie_start(data: Mapping[str, Any]) -> int | None:
    """A tie's first fiscal year: the earliest of ``since``, ``fiscal_year`` and its ``date``'s FY."""
    years = [y for key in ("since", "fiscal_year", "date") if (y := fiscal_year_of(data.get(key))) is not None]
    return min(years) if years else None


def _own_start(attrs: Mapping[str, Any]) -> int | None:
    years = [y for key in ("since", "founded") if (y := fiscal_year_of(attrs.get(key))) is not None]
    return min(years) if years else None


@dataclass(frozen=True)
class TieRef:
    """One tie of the graph, by its two ends, type and edge key (as in ``read_graph_all``)."""

    source: str
    type: str
    target: str
    key: str


@dataclass(frozen=True)
class Span:
    """When a node or tie is held: from ``start`` (None: undated) until before ``end``."""

    start: int | None
    end: int = _NEVER

    def holds(self, year: int) -> bool:
        return self.start is not None and self.start <= year < self.end


def _is_organisation(attrs: Mapping[str, Any]) -> bool:
    return "Organization" in attrs.get("labels", ())


@dataclass(frozen=True)
class Spans:
    """Every node's and tie's span in one graph: what each fiscal year's snapshot reads (build once)."""

    nodes: Mapping[Any, Span]
    ties: Mapping[tuple[Any, Any, Any], Span]


def spans_of(graph: nx.MultiDiGraph) -> Spans:
    """The spans of ``graph``'s nodes and ties, in one pass over the ties (see the module docstring).

    An organisation without a start of its own starts with its earliest dated tie (placing ties
    aside); a ``SUCCEEDED_BY`` tie ends its source in its year. :func:`snapshot` of several years
    can share one result.
    """
    starts = {(u, v, k): tie_start(d) for u, v, k, d in graph.edges(keys=True, data=True)}
    seen: dict[Any, int] = {}
    ended: dict[Any, int] = {}
    for u, v, k, data in graph.edges(keys=True, data=True):
        year = starts[(u, v, k)]
        if year is None or data.get("type") in PLACING_TYPES:
            continue
        for end in {u, v}:
            seen[end] = min(seen.get(end, year), year)
        if data.get("type") in ENDING_TYPES:
            ended[u] = min(ended.get(u, year), year)
    nodes = {node: _node_span(attrs, seen.get(node), ended.get(node)) for node, attrs in graph.nodes(data=True)}
    ties = {}
    for u, v, k, data in graph.edges(keys=True, data=True):
        if data.get("type") in PLACING_TYPES and starts[(u, v, k)] is None:
            ties[(u, v, k)] = nodes[u]
        else:
            ties[(u, v, k)] = Span(starts[(u, v, k)], fiscal_year_of(data.get("until")) or _NEVER)
    return Spans(nodes, ties)


def _node_span(attrs: Mapping[str, Any], first_seen: int | None, merged: int | None) -> Span:
    end = fiscal_year_of(attrs.get("until")) or _NEVER
    start = _own_start(attrs)
    if not _is_organisation(attrs):
        return Span(start if start is not None else -_NEVER, end)
    if merged is not None:
        end = min(end, merged)
    return Span(start if start is not None else first_seen, end)


def node_span(graph: nx.MultiDiGraph, node: Any) -> Span:
    """The years one node is held (:func:`spans_of` gives every node's at once, far cheaper per node)."""
    return spans_of(graph).nodes[node]


@dataclass(frozen=True)
class Snapshot:
    """The graph as of one fiscal year, with what could not be placed in any year.

    ``graph`` is a new graph (the nodes' and ties' attributes are shared with the source: read
    only); ``undated_ties`` lists every tie of the source without a year (placing ties excepted,
    which follow their organisation), ``undated_organisations`` every organisation without one.
    """

    fiscal_year: int
    graph: nx.MultiDiGraph
    undated_ties: tuple[TieRef, ...]
    undated_organisations: tuple[str, ...]


def snapshot(graph: nx.MultiDiGraph, fiscal_year: int, spans: Spans | None = None) -> Snapshot:
    """``graph`` as of the end of ``fiscal_year`` (the module docstring gives the definition).

    ``spans`` are :func:`spans_of` ``graph`` when the caller keeps them for several years. The result
    keeps the source's ``graph.graph`` attributes, adding ``fiscal_year``.
    """
    spans = spans if spans is not None else spans_of(graph)
    held = {node for node, span in spans.nodes.items() if span.holds(fiscal_year)}
    view = nx.MultiDiGraph()
    view.graph.update(graph.graph, fiscal_year=fiscal_year)
    view.add_nodes_from((node, graph.nodes[node]) for node in graph if node in held)
    undated: list[TieRef] = []
    kept = []
    for u, v, key, data in graph.edges(keys=True, data=True):
        span = spans.ties[(u, v, key)]
        if span.start is None and data.get("type") not in PLACING_TYPES:
            undated.append(TieRef(str(u), str(data.get("type", "")), str(v), str(key)))
        elif u in held and v in held and span.holds(fiscal_year):
            kept.append((u, v, key, data))
    view.add_edges_from(kept)
    orphans = sorted(
        str(n) for n, span in spans.nodes.items() if span.start is None and _is_organisation(graph.nodes[n])
    )
    return Snapshot(fiscal_year, view, tuple(undated), tuple(orphans))


def latest_fiscal_year(graph: nx.MultiDiGraph) -> int | None:
    """The latest fiscal year any tie of ``graph`` starts in (None for a graph without dated ties)."""
    years = [y for _, _, data in graph.edges(data=True) if (y := tie_start(data)) is not None]
    return max(years) if years else None
