"""The one force layout of a region's network, for every surface that draws one.

Why here: the map's 力学 view, the map's positions for a graph without stored ones and the printed
figure all drew the same network with their own call to ``networkx.spring_layout``, so a change of
seed or step count reached one surface and not the others. This module computes positions and
nothing else (no I/O, no pixels): each surface scales them to its own canvas.

The layout is Fruchterman–Reingold (Fruchterman & Reingold 1991, doi:10.1002/spe.4380211102) as
networkx implements it, always seeded so the same data draws the same picture. Fifty steps settle a
region of a few hundred organisations; above :data:`LARGE` nodes half as many keep a page fast.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Final

import networkx as nx

__all__ = ["LARGE", "Point", "spring_positions", "unit_square"]

Point = tuple[float, float]

#: Graphs larger than this are laid out in half the steps.
LARGE: Final = 500
STEPS: Final = 50


def spring_positions(
    graph: nx.Graph,
    *,
    seed: int,
    iterations: int | None = None,
    weight: str | None = "weight",
) -> dict[Hashable, Point]:
    """Seeded spring-layout positions of ``graph``'s nodes, about the origin in [-1, 1].

    ``iterations`` defaults to :data:`STEPS` (half that above :data:`LARGE` nodes); ``weight`` names
    the edge attribute that pulls harder (None: every tie alike).

    >>> pos = spring_positions(nx.path_graph(3), seed=1)
    >>> sorted(pos) == [0, 1, 2] and all(-1.0 <= c <= 1.0 for p in pos.values() for c in p)
    True
    """
    if iterations is None:
        iterations = STEPS if graph.number_of_nodes() <= LARGE else STEPS // 2
    raw = nx.spring_layout(graph, seed=seed, iterations=iterations, weight=weight)
    return {n: (float(p[0]), float(p[1])) for n, p in raw.items()}


def unit_square(pos: Mapping[Hashable, Point]) -> dict[Hashable, Point]:
    """Positions stretched to fill the unit square (a flat axis is kept at 0: nothing to stretch).

    >>> unit_square({"a": (-1.0, 2.0), "b": (1.0, 4.0)})
    {'a': (0.0, 0.0), 'b': (1.0, 1.0)}
    """
    if not pos:
        return {}
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    return {n: ((x - min(xs)) / span_x, (y - min(ys)) / span_y) for n, (x, y) in pos.items()}
