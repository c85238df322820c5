"""The one network layout (analytics.layout): seeded, the same for every surface, stretched to fit.

Tiny graphs with known answers, and a property test for the unit-square stretch whose inputs are
open-ended. The surfaces' own scaling (pixels on the map, the unit square of the printed figure) is
tested with them; here only that they all start from the same positions.
"""

from __future__ import annotations

import doctest

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

import analytics.layout
from analytics.layout import LARGE, spring_positions, unit_square
from webapp.layout import spring_positions as map_force_positions


def test_the_docstring_examples_run() -> None:
    assert doctest.testmod(analytics.layout).failed == 0


def test_same_seed_same_picture_and_every_node_placed() -> None:
    g = nx.karate_club_graph()
    first, again = spring_positions(g, seed=7), spring_positions(g, seed=7)
    assert first == again
    assert set(first) == set(g)
    assert spring_positions(g, seed=8) != first


def test_it_is_networkx_spring_layout_with_the_stated_steps() -> None:
    g = nx.path_graph(6)
    expected = nx.spring_layout(g, seed=3, iterations=50, weight="weight")
    assert spring_positions(g, seed=3) == {n: (float(p[0]), float(p[1])) for n, p in expected.items()}
    big = nx.empty_graph(LARGE + 1)
    halved = nx.spring_layout(big, seed=3, iterations=25, weight="weight")
    assert spring_positions(big, seed=3) == {n: (float(p[0]), float(p[1])) for n, p in halved.items()}


def test_the_map_force_view_starts_from_the_shared_layout() -> None:
    """The map's 力学 positions are the shared layout scaled by 45·√n (a surface's own canvas)."""
    g = nx.cycle_graph(5)
    nx.set_node_attributes(g, {n: ["Organization", "Company"] for n in g}, "labels")
    g = nx.relabel_nodes(g, {n: f"org:{n}" for n in g})
    shared = spring_positions(g, seed=7)
    spread = 45 * 5**0.5
    drawn = map_force_positions(g, seed=7)
    for node, (x, y) in shared.items():
        assert drawn[str(node)] == (round(x * spread, 1), round(y * spread, 1))


def test_unit_square_of_a_known_pair_and_of_a_flat_line() -> None:
    assert unit_square({"a": (-1.0, 2.0), "b": (1.0, 4.0)}) == {"a": (0.0, 0.0), "b": (1.0, 1.0)}
    assert unit_square({"a": (0.0, 5.0), "b": (2.0, 5.0)}) == {"a": (0.0, 0.0), "b": (1.0, 0.0)}
    assert unit_square({}) == {}


coordinates = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(st.dictionaries(st.integers(), st.tuples(coordinates, coordinates), min_size=1, max_size=30))
def test_unit_square_keeps_every_node_inside_and_touches_the_edges(pos: dict[int, tuple[float, float]]) -> None:
    out = unit_square(pos)
    assert set(out) == set(pos)
    xs = [p[0] for p in out.values()]
    ys = [p[1] for p in out.values()]
    assert all(-1e-9 <= c <= 1 + 1e-9 for c in (*xs, *ys))
    assert min(xs) == 0.0 and min(ys) == 0.0
