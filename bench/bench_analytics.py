# ruff: noqa: N803, N806  (G, H, A, P: graph and matrix names as in the literature)
"""Benchmark of the full analytics on synthetic regions, with python-igraph as the baseline.

Usage: ``.venv/bin/python bench/bench_analytics.py [--sizes 10000,50000,200000] [--json PATH]``

For each size a seeded synthetic region (``seeds.synthetic_region.synthetic_region``, about 5 ties per
organisation) is analysed in full — ``analyze_region``, ``find_gaps``, ``compare_regions`` on that
one region, and the partner time-split evaluation — and each part is timed. python-igraph then
computes the comparable measures on the same organisation graph in the same run: betweenness from
the same number of sources (igraph has no source sampling, so it runs ``k`` single-source
betweenness passes via ``sources=``), PageRank, Leiden (modularity) communities, coreness,
articulation points and bridges. The target is 5×10^4 organisations fully analysed in under 30 s.
The defaults are the sizes of issue 4: 10^4, 5×10^4 and 2×10^5 organisations.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics.compare import compare_regions
from analytics.gaps import find_gaps
from analytics.measures import LARGE_GRAPH, analyze_region
from analytics.orggraph import organisation_graph
from analytics.phases import PhaseIndex
from analytics.recommend import evaluate_time_split
from seeds.synthetic_region import synthetic_region

K = 500
EXACT = 5000


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def igraph_baseline(H, k: int, seed: int) -> dict[str, float]:
    import igraph as ig

    nodes = list(H)
    index = {v: i for i, v in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in H.edges()], directed=False)
    out: dict[str, float] = {}
    sources = None if len(nodes) <= EXACT else [index[s] for s in random.Random(seed).sample(nodes, k)]
    _, out["betweenness"] = timed(g.betweenness, directed=False, sources=sources)
    _, out["pagerank"] = timed(g.pagerank, damping=0.85, directed=False)
    # The same community step the analytics run above 5000 organisations (Leiden, modularity objective).
    _, out["louvain"] = timed(g.community_leiden, objective_function="modularity", n_iterations=2)
    _, out["coreness"] = timed(g.coreness)
    _, out["cut_points"] = timed(lambda: (g.articulation_points(), g.bridges()))
    _, out["clustering"] = timed(g.transitivity_avglocal_undirected, mode="zero")
    out["total"] = sum(out.values())
    return out


def run(n: int, seed: int) -> dict[str, object]:
    G, t_gen = timed(synthetic_region, n, seed=seed, region="bench")
    parts: dict[str, float] = {}
    # One organisation graph, built once (and counted in the analyze time), shared by all three.
    H, t_build = timed(organisation_graph, G)
    analysis, parts["analyze_region"] = timed(analyze_region, G, "bench", exact_threshold=EXACT, k=K, seed=seed, H=H)
    parts["analyze_region"] += t_build
    # One phase index, built once (counted in gaps), shared with compare: it memoises firm coverage.
    index, t_index = timed(PhaseIndex, G)
    gaps, parts["find_gaps"] = timed(find_gaps, G, "bench", H=H, index=index)
    parts["find_gaps"] += t_index
    _, parts["compare_regions"] = timed(
        compare_regions,
        {"bench": G},
        seed=seed,
        null_models=20,
        bootstrap=200,
        analyses={"bench": analysis},
        org_graphs={"bench": H},
        phase_indexes={"bench": index},
    )
    evaluation, parts["evaluate_time_split"] = timed(evaluate_time_split, G, max_firms=200, seed=seed)
    total = parts["analyze_region"] + parts["find_gaps"] + parts["compare_regions"]
    base = igraph_baseline(H, K, seed)
    return {
        "organisations": H.number_of_nodes(),
        "ties": H.number_of_edges(),
        "generate_s": t_gen,
        "parts_s": parts,
        "total_s": total,
        "igraph_s": base,
        "gaps": gaps["counts"],
        "betweenness": analysis["indicators"]["betweenness_method"],
        "stability_seeds": len(analysis["indicators"]["community_stability"]["seeds"]),
        "reduced_nulls": H.number_of_nodes() > LARGE_GRAPH,
        "time_split": evaluation.get("scores"),
        "peak_rss_mb": _peak_rss_mb(),
    }


def _peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports kB): with sizes run in
    increasing order, the peak of the largest size run so far (the time-split step included)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000,200000", help="comma-separated organisation counts")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", help="also write the results as JSON to this path")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    rows = []
    print(f"ipeco analytics bench — betweenness exact up to {EXACT} organisations, k={K} sampled sources above;")
    print(f"above {LARGE_GRAPH} organisations: 2 Louvain stability seeds (10 below), 20 brokerage permutations (100),")
    print("null models: 20 rewired graphs x 5 swaps/edge up to 5000, 5 x 2 up to 20000, 3 x 1 above; modularity null")
    print("only up to 5000. Times in seconds; full = analyze + gaps + compare; ratio = full / igraph on the")
    print("comparable measures; split = partner time-split evaluation (200 firms), reported apart. The organisation")
    print(
        "graph is built once (counted in analyze), the phase index once (counted in gaps), both shared; above 5000\n"
        "Louvain is igraph Leiden (modularity), and rewiring, cores and null measures run in igraph. peakMB = peak\n"
        "resident memory of the process so far (sizes run in increasing order)."
    )
    header = (
        f"{'orgs':>8} {'ties':>8} {'analyze':>8} {'gaps':>7} {'compare':>8} {'full':>8} "
        f"{'igraph':>7} {'ratio':>6} {'split':>7} {'peakMB':>7}  target (full < 30 s at 5e4)"
    )
    print(header)
    for n in sizes:
        row = run(n, args.seed)
        rows.append(row)
        p = row["parts_s"]
        ratio = row["total_s"] / row["igraph_s"]["total"] if row["igraph_s"]["total"] else float("inf")
        target = ("OK" if row["total_s"] < 30 else "MISSED") if 40_000 <= n <= 60_000 else ""
        print(
            f"{row['organisations']:>8} {row['ties']:>8} {p['analyze_region']:>8.1f} {p['find_gaps']:>7.1f} "
            f"{p['compare_regions']:>8.1f} {row['total_s']:>8.1f} "
            f"{row['igraph_s']['total']:>7.1f} {ratio:>6.1f} {p['evaluate_time_split']:>7.1f} "
            f"{row['peak_rss_mb']:>7.0f}  {target}",
            flush=True,
        )
        ig = ", ".join(f"{k} {v:.2f}" for k, v in row["igraph_s"].items() if k != "total")
        print(f"{'':>8} igraph parts (s): {ig}; betweenness {row['betweenness']}")
        if row["time_split"]:
            blend = row["time_split"]["blend"]
            print(
                f"{'':>8} partner ranking (hide FY2024): AUC {blend['auc']:.3f}, "
                f"precision@10 {blend['precision_at_10']:.3f}"
            )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
