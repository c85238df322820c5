# ruff: noqa: N803  (H: graph name as in the literature)
"""python-igraph (C core) for the heavy steps on large graphs, with seeded determinism.

Which library computes what, and why:

- **python-igraph** (``igraph>=0.11``, a runtime dependency) runs Louvain
  (``Graph.community_leiden``, modularity objective: a refined Louvain) and degree-preserving rewiring
  (``Graph.rewire``, Maslov & Sneppen double-edge swaps) on graphs of more than
  :data:`IGRAPH_THRESHOLD` organisations. Both are loops over edges that pure Python runs one
  dictionary operation at a time: on a 5×10^4-organisation region Louvain took about 10 s per run
  and rewiring about 3 s per null model in Python, well under a second each in igraph's C core.
  NetworkX's backend dispatch (nx-cugraph, graphblas) is not installed here.
- Below the threshold the pure-Python implementations in ``communities`` and ``compare`` run, as
  before: the seeded regions and the tiny known-answer tests keep their exact partitions.
- Results always go back as plain dicts and sets keyed by node id.

Garbage collection: :func:`graph.gc_pause.paused_gc` pauses CPython's cyclic garbage collector around the
allocation-heavy entry points (``analyze_region``, ``find_gaps``, ``compare_regions``,
``organisation_graph``, ``PhaseIndex``, ``evaluate_time_split``). A region view of 5×10^4 organisations is a few
million live objects; building 10^5 gap records or node rows triggers repeated full collections,
each of which walks every one of them without freeing anything (reference counting already frees
what these functions drop: they create no reference cycles). Measured on the 5×10^4 bench region:
about 10 s of 45 s were collector passes. The collector's previous state is restored on exit, and
any cyclic garbage is collected by the next regular pass; the pause is process-wide, so two
threads running analytics at once may end one pause early (slower, never wrong).

Seeding: igraph draws from a Python-level random generator (``igraph.set_random_number_generator``);
:func:`seeded` installs a ``random.Random(seed)`` for the duration of one call and puts the previous
generator back, so a seed gives the same result every time and the global ``random`` state is not
touched. (Not thread-safe: two threads calling at once would share the generator.)
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import networkx as nx

from graph.gc_pause import paused_gc

__all__ = ["IGRAPH_THRESHOLD", "paused_gc", "seeded", "to_igraph"]

#: Above this many nodes Louvain and rewiring run in igraph's C core.
IGRAPH_THRESHOLD = 5000


def to_igraph(H: nx.Graph, nodes: list[Any] | None = None, *, weight: str | None = None) -> tuple[Any, list[Any]]:
    """An undirected ``igraph.Graph`` of ``H`` (vertex i = ``nodes[i]``), self-loops dropped, optional weights.

    Edges go in in ``H.edges()`` order (:func:`analytics.orggraph.edge_array`), which seeded
    Leiden and rewiring depend on.
    """
    import igraph as ig

    from analytics.orggraph import edge_array

    nodes = list(H) if nodes is None else nodes
    ends, values = edge_array(H, nodes, weight=weight)
    keep = ends[:, 0] != ends[:, 1]
    g = ig.Graph(n=len(nodes), edges=ends[keep].tolist(), directed=False)
    if weight is not None:
        g.es["weight"] = values[keep].tolist()
    return g, nodes


#: The generator igraph currently draws from (igraph has no getter); ``random`` is its default.
_installed: list[Any] = [random]


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Run igraph's randomised routines from ``random.Random(seed)``, restoring the generator after."""
    import igraph as ig

    previous = _installed[-1]
    rng = random.Random(seed)
    ig.set_random_number_generator(rng)
    _installed.append(rng)
    try:
        yield
    finally:
        _installed.pop()
        ig.set_random_number_generator(previous)
