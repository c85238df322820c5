"""The map's server-side layouts (webapp.layout) and how the map page caches and uses them.

On the project's seed (the three FY2024 model regions with the demo layer) and on a synthetic
region; no browser. Speed is a benchmark (bench/bench_map_layout.py), not a timed test.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import networkx as nx
import pytest

from graph.embedded import EmbeddedStore
from seeds import seed_batch
from seeds.synthetic_region import synthetic_region_batch
from tests.conftest import seeded_store_file
from webapp.data import DataSource, node_kind
from webapp.elements import build_map, filter_view, short_label
from webapp.layout import (
    LABELLED_KINDS,
    clustered_positions,
    label_ranks,
    layered_positions,
    positions_for,
)
from webapp.pages.map import map_positions, map_result
from webapp.state import LAYOUTS, MapState


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> DataSource:
    path = seeded_store_file(tmp_path_factory, "layout")
    return DataSource(lambda: EmbeddedStore(path))


def _view(ds: DataSource, region: str) -> nx.MultiDiGraph:
    return filter_view(ds.region_view(region), MapState(region=region))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_places_every_node_deterministically(seeded: DataSource, layout: str) -> None:
    view = _view(seeded, "kobe")
    first = positions_for(view, layout, seeded.degrees("kobe"))
    again = positions_for(view.copy(), layout, seeded.degrees("kobe"))
    assert set(first) == set(view.nodes)
    assert first == again
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in first.values())
    assert len(set(first.values())) == len(first)  # no two nodes on one spot


@pytest.mark.parametrize("layout", ["fcose", "breadthfirst", "cose"])
def test_isolates_are_packed_in_a_grid_under_the_picture(seeded: DataSource, layout: str) -> None:
    view = nx.MultiDiGraph(_view(seeded, "aomori"))
    for i in range(9):
        view.add_node(f"org:lonely-{i}", labels=["Organization", "Company"], name=f"孤立{i}")
    pos = positions_for(view, layout)
    lonely = [pos[f"org:lonely-{i}"] for i in range(9)]
    connected_bottom = max(y for n, (_, y) in pos.items() if not n.startswith("org:lonely") and view.degree(n))
    assert min(y for _, y in lonely) > connected_bottom  # below, not drifting at the edge
    assert len({y for _, y in lonely}) <= 2  # in rows
    # evenly spaced: on one grid of columns (a row may wrap, so the gaps are multiples of one step)
    xs = sorted({round(x, 1) for x, _ in lonely})
    gaps = [b - a for a, b in itertools.pairwise(xs)]
    step = min(gaps)
    assert step > 1 and all(abs(g / step - round(g / step)) < 1e-3 for g in gaps), gaps


def test_hierarchy_has_rows_not_one_line(seeded: DataSource) -> None:
    view = _view(seeded, "ishikawa")
    pos = layered_positions(view)
    rows = {y for _, y in pos.values()}
    assert len(rows) >= 5
    width = max(x for x, _ in pos.values()) - min(x for x, _ in pos.values())
    height = max(rows) - min(rows)
    assert height > width / 8  # not collapsed into one line
    kinds = {n: node_kind(d) for n, d in view.nodes(data=True)}
    gov = [pos[n][1] for n, k in kinds.items() if k == "GovernmentBody" and view.degree(n)]
    firms = [pos[n][1] for n, k in kinds.items() if k == "Company" and view.degree(n)]
    assert max(gov) < min(firms)  # government above the firms


def test_firms_sit_in_their_support_bodys_cluster(seeded: DataSource) -> None:
    view = _view(seeded, "kobe")
    pos = clustered_positions(view)
    kinds = {n: node_kind(d) for n, d in view.nodes(data=True)}
    simple = nx.Graph(view.to_undirected())
    hubs = [n for n in view if kinds[n] not in ("Company", "Organization") and simple.degree(n)]
    near = 0
    firms = [n for n in view if kinds[n] == "Company" and simple.degree(n)]
    for firm in firms:
        closest = min(hubs, key=lambda h: math.dist(pos[h], pos[firm]))
        near += closest in simple[firm]
    assert near / len(firms) > 0.8  # a firm's nearest hub is one it is tied to


def test_support_bodies_keep_room_for_their_names(seeded: DataSource) -> None:
    view = _view(seeded, "aomori")
    pos = clustered_positions(view)
    bodies = [n for n, d in view.nodes(data=True) if node_kind(d) == "SupportOrganization" and view.degree(n)]
    closest = min(math.dist(pos[a], pos[b]) for i, a in enumerate(bodies) for b in bodies[i + 1 :])
    assert closest > 150


def test_label_ranks_put_support_bodies_first_and_top_firms_in_tier_zero(seeded: DataSource) -> None:
    view = _view(seeded, "kobe")
    degree = dict(seeded.degrees("kobe"))
    ranks = label_ranks(view, degree, top_firms=5)
    kinds = {n: node_kind(d) for n, d in view.nodes(data=True)}
    first = min(ranks, key=lambda n: ranks[n][0])
    assert kinds[first] == "SupportOrganization"
    tier0 = {n for n, (_, tier) in ranks.items() if tier == 0}
    assert {n for n, k in kinds.items() if k in LABELLED_KINDS} < tier0
    firms0 = [n for n in tier0 if kinds[n] == "Company"]
    assert len(firms0) == 5
    best = sorted((n for n, k in kinds.items() if k == "Company"), key=lambda n: (-degree.get(n, 0), n))[:5]
    assert set(firms0) == set(best)  # ranked by the service's measure


def test_positions_are_cached_per_data_version(tmp_path: Path) -> None:
    path = tmp_path / "ipeco.sqlite"
    with EmbeddedStore(path) as store:
        store.write_batch(seed_batch())
    ds = DataSource(lambda: EmbeddedStore(path), ttl=0)
    state = MapState(region="ishikawa")
    first = map_positions(ds, state)
    assert first is not None
    assert map_positions(ds, state) is first  # the same object: not laid out again
    with EmbeddedStore(path) as store:
        store.write_batch(synthetic_region_batch(20, key="ishikawa-extra"))
    ds.refresh(force=True)
    assert map_positions(ds, state) is not first  # a new data version lays out again


def test_filters_hide_nodes_without_moving_the_others(seeded: DataSource) -> None:
    full = map_result(seeded, MapState(region="aomori"))
    only = map_result(seeded, MapState(region="aomori", roles=["University", "SupportOrganization"]))
    where = {e["data"]["id"]: e["position"] for e in full.elements if "position" in e}
    kept = [e for e in only.elements if "position" in e]
    assert kept and len(kept) < len(where)
    assert all(e["position"] == where[e["data"]["id"]] for e in kept)
    assert full.layout["name"] == only.layout["name"] == "preset"


def test_every_node_carries_its_label_rank(seeded: DataSource) -> None:
    result = build_map(_view(seeded, "kobe"), MapState(region="kobe"), {})
    nodes = [e for e in result.elements if "source" not in e["data"]]
    assert all(isinstance(e["data"]["rank"], int) and e["data"]["tier"] in (0, 1, 2) for e in nodes)
    assert len({e["data"]["rank"] for e in nodes}) == len(nodes)


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("公益財団法人ひょうご産業活性化センター", "ひょうご産業活性化センター"),
        ("独立行政法人工業所有権情報・研修館", "工業所有権情報・研修館"),
        ("株式会社みなと銀行", "みなと銀行"),
        ("弘前大学", "弘前大学"),
        ("株式会社", "株式会社"),
    ],
)
def test_short_labels_drop_the_legal_form(name: str, short: str) -> None:
    assert short_label(name) == short
