"""Bench the map's server-side layouts (webapp.layout) against the spring layout they replace.

Run ``python bench/bench_map_layout.py [--orgs 3000]``. It loads the seed with its demo layer and one
synthetic region of ``--orgs`` organisations into an embedded store in a temporary folder, then
prints, per view, the seconds of the new layout (median of 3) and of the old one in the same
process (``networkx.spring_layout`` as ``webapp.elements`` ran it before: 50 iterations up to 500
nodes, 25 above):

* each seeded model region (what the map lays out once per region and data version);
* the drill-down into the synthetic region's largest group (firms), capped at the element budget as
  the map draws it: the case that waited about 20 s.

Target (issue 15): a drill-down lays out in under 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx as nx

from graph.embedded import EmbeddedStore
from seeds import seed_batch
from seeds.synthetic_region import synthetic_region_batch
from webapp.data import DataSource, org_tie_graph
from webapp.elements import MAX_ELEMENTS, _cap, filter_view
from webapp.layout import positions_for
from webapp.state import MapState


def seconds(run: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def old_spring(graph: nx.MultiDiGraph) -> object:
    simple = org_tie_graph(graph)
    return nx.spring_layout(simple, seed=7, iterations=50 if simple.number_of_nodes() <= 500 else 25)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ipeco-bench-layout-") as tmp:
        path = Path(tmp) / "ipeco.sqlite"
        with EmbeddedStore(path) as store:
            store.write_batch(seed_batch())
            store.write_batch(synthetic_region_batch(args.orgs, key="big"))
        ds = DataSource(lambda: EmbeddedStore(path))
        rows = []
        for region in ("aomori", "ishikawa", "kobe"):
            view = filter_view(ds.region_view(region), MapState(region=region))
            degree = dict(ds.degrees(region))
            rows.append(
                (
                    f"{region} ({view.number_of_nodes()} nodes)",
                    seconds(lambda v=view, d=degree: positions_for(v, "fcose", d)),
                    seconds(lambda v=view: positions_for(v, "breadthfirst")),
                    seconds(lambda v=view: old_spring(v), repeat=1),
                )
            )
        big = filter_view(ds.region_view("big"), MapState(region="big"))
        firms = big.subgraph([n for n, d in big.nodes(data=True) if "Company" in d.get("labels", ())]).copy()
        group = _cap(firms, MAX_ELEMENTS)
        rows.append(
            (
                f"drill-down: big/Company ({group.number_of_nodes()} nodes)",
                seconds(lambda: positions_for(group, "fcose")),
                seconds(lambda: positions_for(group, "breadthfirst")),
                seconds(lambda: old_spring(group), repeat=1),
            )
        )
    print(f"{'view':48} {'clusters s':>11} {'hierarchy s':>12} {'old spring s':>13}")
    for name, new, layered, old in rows:
        print(f"{name:48} {new:11.3f} {layered:12.3f} {old:13.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
