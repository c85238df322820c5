# ruff: noqa: N803, N806  (G, H, A, P: graph and matrix names as in the literature)
"""Region comparison: one table of indicators, with rewired null models for size-sensitive ones.

Regions differ in size by an order of magnitude (Kobe vs Aomori), and clustering, path length,
modularity and the like move with n and m alone. Each of those is therefore also given against
degree-preserving rewired null models (Maslov & Sneppen 2002, doi:10.1126/science.1065103) as
observed, null mean, null sd and z, with n, m and mean degree in the same table.

Which library computes what: up to ``exact_threshold`` (and :data:`analytics.fast.IGRAPH_THRESHOLD`)
organisations the rewiring and the null measures are this module's numpy/scipy/NetworkX code (the
seeded regions' known answers). Above, one python-igraph copy of the organisation graph is measured
and rewired (``Graph.rewire`` on ``copy()``) and every null is measured in igraph's C core
(:func:`_igraph_measures`): rebuilding each rewired copy as a NetworkX graph and re-deriving its
sparse matrix cost more than the measures themselves (about 13 s of a 5×10^4-organisation run).
Path lengths there come from igraph's closeness of the sampled sources (1 / closeness is a
source's integer distance sum, recovered exactly by rounding) rather than from the full distance
rows, which igraph hands to Python as lists (about 1 s per graph, four graphs per region). The
firms' phase coverage is read from the :class:`~analytics.phases.PhaseIndex` that ``find_gaps``
built and memoised when one is passed.

Triple-helix synergy T(UIG) (Leydesdorff 2003, doi:10.1023/A:1026276308287) — the choices made:

* **Sectors.** U = University + ResearchInstitute; I = Company, plus FinancialInstitution and
  ProfessionalBody (private, fee- or profit-earning firms); G = GovernmentBody, plus
  SupportOrganization. Support bodies go to G because in these networks they are public
  instruments: INPIT windows, JETRO, 中小機構 and the よろず拠点 are government programmes, the
  prefectural SME centres and 発明協会 run on prefectural mandates and funds; chambers of commerce
  are statutory (商工会議所法). Putting them in I would make most of the state's activity look like
  industry.
* **Events.** One event per organisation with at least one tie: the set of its tie partners (its
  open neighbourhood), the analogue of a paper's address list in Leydesdorff's bibliometric
  events: which sectors meet around one actor. The event's U, I, G are 1 when a partner of that
  sector is in it. The organisation itself is left out: firms are most organisations and are tied
  to nearly every node, so counting the centre would put I in almost every event and T would be
  near 0 by construction (T = 0 whenever one dimension is constant). T = H_U + H_I + H_G − H_UI − H_UG −
  H_IG + H_UIG in bits; negative T is synergy (less uncertainty than the bilateral relations imply).
* **Interval.** Percentile bootstrap over events (``bootstrap`` resamples, seeded); resampling n
  events with replacement is a multinomial draw over the 8 event types.
"""

from __future__ import annotations

import math
import random
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any, Final

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components, shortest_path

from analytics.brokerage import triangles
from analytics.centrality import path_centralities
from analytics.communities import louvain, modularity
from analytics.fast import IGRAPH_THRESHOLD, paused_gc, seeded, to_igraph
from analytics.ip import ip_indicator_rows
from analytics.measures import LARGE_GRAPH, clean, region_view
from analytics.orggraph import adjacency_matrix, organisation_graph, shared_edge_arrays
from analytics.phases import PhaseIndex
from graph.schema import PHASES, ROLE_LABELS

__all__ = [
    "INDICATORS",
    "SECTOR_OF_ROLE",
    "THIN_DATA_TIES",
    "average_clustering",
    "compare_regions",
    "degree_centralisation",
    "mean_path_length",
    "rewire",
    "role_assortativity",
    "thin_data",
    "triple_helix",
]

SECTOR_OF_ROLE: dict[str, str] = {
    "University": "U",
    "ResearchInstitute": "U",
    "Company": "I",
    "FinancialInstitution": "I",
    "ProfessionalBody": "I",
    "GovernmentBody": "G",
    "SupportOrganization": "G",
}


def average_clustering(H: nx.Graph) -> float:
    """Mean local clustering coefficient (Watts & Strogatz 1998), nodes of degree < 2 counting 0.

    Equals ``networkx.average_clustering``; computed from one triangle listing.
    """
    n = H.number_of_nodes()
    if n == 0:
        return 0.0
    tri = triangles(H)
    counts = np.bincount(tri.ravel(), minlength=n).astype(float)
    deg = np.array([d for _, d in H.degree()], dtype=float)
    possible = deg * (deg - 1) / 2
    local = np.divide(counts, possible, out=np.zeros(n), where=possible > 0)
    return float(local.mean())


def mean_path_length(H: nx.Graph, *, exact_threshold: int = 5000, sources: int = 200, seed: int = 42) -> float | None:
    """Mean shortest-path length within the largest connected component.

    Exact up to ``exact_threshold`` nodes in the component; above, the mean over ``sources``
    seeded random sources (unbiased for the mean). None for a component of one node.
    """
    if H.number_of_nodes() == 0:
        return None
    A = adjacency_matrix(H)
    _, label = connected_components(A, directed=False)
    sizes = np.bincount(label)
    members = np.flatnonzero(label == sizes.argmax())
    if len(members) < 2:
        return None
    idx = members
    if len(members) > exact_threshold:
        idx = np.sort(np.array(random.Random(seed).sample(list(members), sources)))
    total, count = 0.0, 0
    for start in range(0, len(idx), 500):
        dist = shortest_path(A, method="D", unweighted=True, indices=idx[start : start + 500])
        total += float(dist[:, members].sum())
        count += dist.shape[0] * (len(members) - 1)
    return total / count


def degree_centralisation(H: nx.Graph) -> float:
    """Freeman's (1978) degree centralisation, doi:10.1016/0378-8733(78)90021-7.

    ``Σ_v (d_max − d_v) / ((n − 1)(n − 2))``: 1 for a star, 0 when all degrees are equal; 0.0 for
    fewer than 3 nodes.
    """
    n = H.number_of_nodes()
    if n < 3:
        return 0.0
    deg = np.array([d for _, d in H.degree()], dtype=float)
    return float((deg.max() - deg).sum() / ((n - 1) * (n - 2)))


def role_assortativity(H: nx.Graph, attribute: str = "role") -> float | None:
    """Newman's (2003) assortativity coefficient by a categorical attribute, doi:10.1103/PhysRevE.67.026126.

    ``r = (Σ_i e_ii − Σ_i a_i b_i) / (1 − Σ_i a_i b_i)`` over the role-mixing matrix: > 0 when ties
    stay within a role, < 0 when they cross roles (firm–support ties push it negative). Equals
    ``networkx.attribute_assortativity_coefficient``; None when undefined (one role, no edges).
    """
    if H.number_of_edges() == 0:
        return None
    lookup: dict[Any, int] = {}
    label = {node: lookup.setdefault(H.nodes[node].get(attribute), len(lookup)) for node in H}
    k = len(lookup)
    e = np.zeros((k, k))
    for u, v in H.edges():
        e[label[u], label[v]] += 1
        e[label[v], label[u]] += 1
    e /= e.sum()
    a, b = e.sum(axis=1), e.sum(axis=0)
    expected = float((a * b).sum())
    if math.isclose(expected, 1.0):
        return None
    return float((np.trace(e) - expected) / (1 - expected))


def rewire(H: nx.Graph, *, swaps_per_edge: float = 5.0, seed: int = 42) -> tuple[nx.Graph, int]:
    """Degree-preserving rewiring by double edge swaps (Maslov & Sneppen 2002).

    Picks two edges a–b, c–d at random and rewires them to a–d, c–b unless that would make a
    self-loop or a parallel edge (the test ``networkx.double_edge_swap`` applies), for
    ``swaps_per_edge × m`` attempts. Node attributes are kept. Returns the graph and the number of
    successful swaps (a star cannot be rewired at all: 0).
    """
    R = nx.Graph()
    R.add_nodes_from(H.nodes(data=True))
    edges = [(u, v) for u, v in H.edges() if u != v]
    m = len(edges)
    if m < 2:
        R.add_edges_from(edges)
        return R, 0
    if H.number_of_nodes() > IGRAPH_THRESHOLD:
        return _rewire_igraph(H, R, edges, swaps_per_edge=swaps_per_edge, seed=seed)
    adj = {node: set(H[node]) - {node} for node in H}
    rng = np.random.default_rng(seed)
    attempts = int(swaps_per_edge * m)
    picks = rng.integers(0, m, size=(attempts, 2))
    flips = rng.random(attempts) < 0.5
    done = 0
    for t in range(attempts):
        i, j = picks[t]
        if i == j:
            continue
        a, b = edges[i]
        c, d = edges[j]
        if flips[t]:
            c, d = d, c
        if a == d or c == b or d in adj[a] or b in adj[c]:
            continue
        adj[a].discard(b)
        adj[b].discard(a)
        adj[c].discard(d)
        adj[d].discard(c)
        adj[a].add(d)
        adj[d].add(a)
        adj[c].add(b)
        adj[b].add(c)
        edges[i] = (a, d)
        edges[j] = (c, b)
        done += 1
    R.add_edges_from(edges)
    return R, done


def _rewire_igraph(
    H: nx.Graph, R: nx.Graph, edges: list[tuple[Any, Any]], *, swaps_per_edge: float, seed: int
) -> tuple[nx.Graph, int]:
    """:func:`rewire` by igraph's ``Graph.rewire`` (C core; simple mode: no loops, no parallel edges).

    igraph does not report how many swaps succeeded; the count returned is the lower bound
    ``(edges not in H) / 2`` (every successful swap replaces two edges; a later swap may undo one).
    """
    nodes = list(H)
    g, _ = to_igraph(H, nodes)
    with seeded(seed):
        g.rewire(n=int(swaps_per_edge * len(edges)), mode="simple")
    new_edges = [(nodes[a], nodes[b]) for a, b in g.get_edgelist()]
    R.add_edges_from(new_edges)
    changed = sum(1 for u, v in new_edges if not H.has_edge(u, v))
    return R, changed // 2


def triple_helix(H: nx.Graph, *, bootstrap: int = 200, seed: int = 42) -> dict[str, Any]:
    """Leydesdorff's (2003) T(UIG) in bits over closed-neighbourhood events, with a bootstrap CI.

    See the module docstring for the sector assignment and the event definition.
    """
    nodes = list(H)
    n = len(nodes)
    sectors = ("U", "I", "G")
    if n == 0:
        return {"t_bits": None, "ci95": [None, None], "events": 0, "event_counts": {}}
    own = np.array([sectors.index(SECTOR_OF_ROLE.get(H.nodes[v].get("role"), "I")) for v in nodes])
    onehot = sp.csr_array((np.ones(n), (np.arange(n), own)), shape=(n, 3))
    A = adjacency_matrix(H, nodes)
    present = (A @ onehot).toarray() > 0
    present = present[present.any(axis=1)]  # organisations without ties give no event
    n = len(present)
    if n == 0:
        return {"t_bits": None, "ci95": [None, None], "events": 0, "event_counts": {}}
    codes = present[:, 0] * 4 + present[:, 1] * 2 + present[:, 2]
    counts = np.bincount(codes, minlength=8).astype(float)
    observed = _t_from_counts(counts)
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n, counts / n, size=bootstrap) if bootstrap else np.empty((0, 8))
    boot = np.array([_t_from_counts(row.astype(float)) for row in draws])
    ci = [float(np.percentile(boot, 2.5)), float(np.percentile(boot, 97.5))] if len(boot) else [None, None]
    names = [f"{'U' if c & 4 else '-'}{'I' if c & 2 else '-'}{'G' if c & 1 else '-'}" for c in range(8)]
    return {
        "t_bits": observed,
        "ci95": ci,
        "events": n,
        "event_counts": {name: int(c) for name, c in zip(names, counts, strict=True)},
        "bootstrap": bootstrap,
    }


def _t_from_counts(counts: np.ndarray) -> float:
    p = counts / counts.sum()
    cube = p.reshape(2, 2, 2)  # axes: U, I, G

    def h(q: np.ndarray) -> float:
        q = q[q > 0]
        return float(-(q * np.log2(q)).sum())

    hu, hi, hg = h(cube.sum(axis=(1, 2))), h(cube.sum(axis=(0, 2))), h(cube.sum(axis=(0, 1)))
    hui, hug, hig = h(cube.sum(axis=2).ravel()), h(cube.sum(axis=1).ravel()), h(cube.sum(axis=0).ravel())
    t = hu + hi + hg - hui - hug - hig + h(cube.ravel())
    return 0.0 if abs(t) < 1e-12 else float(t)


#: Below this many ties between a region's organisations, network measures describe too little to
#: read or compare: one tie more or less visibly moves density, centralisation or modularity. The
#: numbers are still shown, with a notice beside them (issue 12), never hidden or padded.
THIN_DATA_TIES: Final = 30


def thin_data(ties: int | None) -> bool:
    """True when a region's measures rest on fewer than :data:`THIN_DATA_TIES` organisation ties."""
    return ties is not None and ties < THIN_DATA_TIES


#: The comparison's indicators, in table order. Their names and definitions are words of the one
#: vocabulary (``indicator.<key>`` and ``indicator.<key>.def`` in :mod:`graph.words`): the analysis
#: returns keys and values, the surfaces say them.
INDICATORS: Final[tuple[str, ...]] = (
    "size_by_role",
    "n",
    "m",
    "mean_degree",
    "density",
    "components",
    "largest_component_share",
    "clustering",
    "mean_path_length",
    "degree_centralisation",
    "role_assortativity",
    "modularity",
    "supported_firm_share",
    "phase_coverage",
    "top_brokers",
    "triple_helix",
)


#: Indicators whose value depends on how much was collected for a region (every surface shows a
#: coverage caveat beside each of their values): counts, and shares of firms with a recorded tie.
COLLECTION_DEPENDENT: frozenset[str] = frozenset(
    {
        "size_by_role",
        "n",
        "m",
        "mean_degree",
        "components",
        "largest_component_share",
        "supported_firm_share",
        "phase_coverage",
    }
)

#: Indicators also reported against rewired null models (observed, null mean, sd, z).
NULL_COMPARED: tuple[str, ...] = (
    "clustering",
    "mean_path_length",
    "largest_component_share",
    "role_assortativity",
    "modularity",
)


def _null_measures(R: nx.Graph, *, with_modularity: bool, seed: int, exact_threshold: int) -> dict[str, float | None]:
    n = R.number_of_nodes()
    lcc = max((len(c) for c in nx.connected_components(R)), default=0)
    out: dict[str, float | None] = {
        "clustering": average_clustering(R),
        "mean_path_length": mean_path_length(R, exact_threshold=exact_threshold, seed=seed),
        "largest_component_share": lcc / n if n else 0.0,
        "role_assortativity": role_assortativity(R),
        "modularity": None,
    }
    if with_modularity:
        out["modularity"] = modularity(R, louvain(R, seed=seed))
    return out


def _igraph_measures(g: Any, roles: list[int], *, exact_threshold: int, seed: int, sources: int = 200) -> dict:
    """The null-compared measures of an igraph graph (C core), for regions above ``IGRAPH_THRESHOLD``.

    Same definitions and the same seeded source sample as :func:`average_clustering`,
    :func:`mean_path_length` and :func:`role_assortativity`, computed by igraph
    (``transitivity_avglocal_undirected(mode="zero")``, ``connected_components``, ``distances`` from
    the sampled sources, ``assortativity_nominal``) so that each rewired copy is measured without
    being rebuilt as a NetworkX graph. Modularity is not compared at these sizes.
    """
    n = g.vcount()
    out: dict[str, float | None] = dict.fromkeys(NULL_COMPARED)
    if n == 0:
        out["largest_component_share"] = 0.0
        return out
    out["clustering"] = float(g.transitivity_avglocal_undirected(mode="zero"))
    label = np.asarray(g.connected_components().membership)
    sizes = np.bincount(label)
    out["largest_component_share"] = float(sizes.max() / n)
    members = np.flatnonzero(label == sizes.argmax())
    if len(members) >= 2:
        idx = members
        if len(members) > exact_threshold:
            idx = np.sort(np.array(random.Random(seed).sample(list(members), sources)))
        # Each source's distance sum inside its component is 1 / closeness (igraph >= 0.10 counts
        # only reachable vertices; unnormalised). The sums are integers, so rounding recovers them
        # exactly (relative error ~1e-16 on sums < 10^9): the same total as summing ``distances``
        # row by row, without igraph handing 200 × n distances to Python as lists (about 1 s per
        # graph at 5×10^4 organisations, four graphs per region).
        closeness = np.asarray(g.closeness(vertices=idx.tolist(), normalized=False), dtype=float)
        total = float(np.rint(1.0 / closeness).sum())
        out["mean_path_length"] = total / (len(idx) * (len(members) - 1))
    if g.ecount():
        r = g.assortativity_nominal(types=roles, directed=False)
        out["role_assortativity"] = float(r) if math.isfinite(r) else None
    return out


def _changed_edges(g: Any, r: Any) -> int:
    """Edges of igraph graph ``r`` not in ``g`` (same vertices), by sorted integer edge keys."""
    n = g.vcount()

    def keys(x: Any) -> np.ndarray:
        e = np.asarray(x.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        return np.sort(e, axis=1) @ np.array([n, 1], dtype=np.int64)

    return int((~np.isin(keys(r), keys(g))).sum())


def _null_plan(n: int, requested: int, exact_threshold: int) -> tuple[int, float, str]:
    """How many rewired graphs, and swap attempts per edge, a region of ``n`` organisations gets."""
    if n <= exact_threshold:
        return requested, 5.0, "degree-preserving double-edge-swap rewiring, 5 swap attempts per edge"
    if n <= LARGE_GRAPH:
        return min(requested, 5), 2.0, "reduced for size: at most 5 rewired graphs, 2 swap attempts per edge"
    return min(requested, 3), 1.0, "reduced for size: at most 3 rewired graphs, 1 swap attempt per edge"


@paused_gc()
def compare_regions(
    graphs: dict[str, nx.MultiDiGraph],
    *,
    seed: int = 42,
    null_models: int = 20,
    bootstrap: int = 200,
    exact_threshold: int = 5000,
    k: int = 500,
    analyses: dict[str, dict[str, Any]] | None = None,
    org_graphs: dict[str, nx.Graph] | None = None,
    phase_indexes: dict[str, PhaseIndex] | None = None,
) -> dict[str, Any]:
    """Compare regions on one table of indicators.

    Parameters
    ----------
    graphs
        ``{region: graph}``: each the stored graph or that region's view.
    seed
        Seed of Louvain, rewiring, path sampling and the bootstrap.
    null_models
        Rewired graphs per region, fewer for large regions (:func:`_null_plan`); modularity is
        null-compared up to ``exact_threshold`` organisations; the result's ``null_models`` says what was done.
    bootstrap
        Resamples for the T(UIG) interval.
    exact_threshold, k
        Sampling of betweenness (top brokers) and path length, as in ``analyze_region``.
    analyses
        ``analyze_region`` results by region, reused for top brokers and modularity when given.
    org_graphs
        Prebuilt (unweighted) organisation graphs by region, shared with ``analyze_region`` and
        ``find_gaps``; a region missing here is built from its view.
    phase_indexes
        Prebuilt :class:`~analytics.phases.PhaseIndex` of each region's view, shared with
        ``find_gaps`` (whose firm coverage it has memoised); one built on another graph than the
        region's view, or missing, is built here.

    Returns
    -------
    dict
        ``{"regions": [...], "indicators": [{"key", "values": {region: value}, "null": {region:
        {"observed", "null_mean", "null_sd", "z"}}}],
        "null_models": {region: {"count", "swaps_per_edge", "swaps_done", "modularity_compared"}},
        "triple_helix": {"sectors", "events", "note"}, "seed"}``.
    """
    regions = list(graphs)
    params = _Params(seed, null_models, bootstrap, exact_threshold, k)
    given = _Given(analyses or {}, org_graphs or {}, phase_indexes or {})
    values, nulls, null_info = _measure_all(graphs, params, given)
    table = _table(values, nulls)
    table += ip_indicator_rows({r: region_view(graphs[r], r) for r in regions})  # the IP layer (issue 19)
    return clean(
        {
            "regions": regions,
            "indicators": table,
            "null_models": null_info,
            "triple_helix": _TRIPLE_HELIX_NOTE,
            "seed": seed,
        }
    )


#: How the comparison reads T(UIG): the sector of each role, what an event is, and what a sign means.
_TRIPLE_HELIX_NOTE: Final = {
    "sectors": SECTOR_OF_ROLE,
    "events": "one per organisation with ties: the sectors among its tie partners (open neighbourhood)",
    "note": (
        "Support organisations count as G (public instruments: INPIT windows, JETRO, SMRJ, Yorozu centres, "
        "prefectural SME centres); banks and professional bodies as I. T < 0 means synergy."
    ),
}


@dataclass(frozen=True)
class _Given:
    """What the caller has already computed per region (see :func:`compare_regions`)."""

    analyses: dict[str, dict[str, Any]]
    org_graphs: dict[str, nx.Graph]
    phase_indexes: dict[str, PhaseIndex]


def _measure_all(
    graphs: dict[str, nx.MultiDiGraph], params: _Params, given: _Given
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], dict[str, Any]]:
    """Indicator values and null statistics by indicator and region, and each region's null-model note."""
    values: dict[str, dict[str, Any]] = {key: {} for key in INDICATORS}
    nulls: dict[str, dict[str, Any]] = {key: {} for key in NULL_COMPARED}
    null_info: dict[str, Any] = {}
    with ExitStack() as shared:
        for region in graphs:
            view = region_view(graphs[region], region)
            H = given.org_graphs.get(region)
            H = organisation_graph(view) if H is None else H
            shared.enter_context(shared_edge_arrays(H))  # H is only read: one edge listing for all below
            index = _index_of(view, given.phase_indexes.get(region))
            measured = _measure_region(H, index, given.analyses.get(region), params)
            for key, value in measured.values.items():
                values[key][region] = value
            for key, value in measured.nulls.items():
                nulls[key][region] = value
            null_info[region] = measured.null_info
    return values, nulls, null_info


def _index_of(view: nx.MultiDiGraph, index: PhaseIndex | None) -> PhaseIndex:
    """The given phase index when it was built on ``view``, else a new one."""
    return index if index is not None and index.G is view else PhaseIndex(view)


@dataclass(frozen=True)
class _Params:
    """The comparison's knobs, passed as one to each step (see :func:`compare_regions`)."""

    seed: int
    null_models: int
    bootstrap: int
    exact_threshold: int
    k: int


@dataclass
class _Measured:
    """One region's indicator values, its null-model statistics and what the null models did."""

    values: dict[str, Any]
    nulls: dict[str, Any]
    null_info: dict[str, Any]


@dataclass
class _Observed:
    """The null-compared measures of a region, and its igraph copy when it is big enough for one."""

    measures: dict[str, float | None]
    big: bool
    g: Any = None
    role_codes: list[int] = field(default_factory=list)


def _size_values(H: nx.Graph) -> dict[str, Any]:
    """Counts, mean degree, density, components and centralisation: what needs no sampling."""
    n, m = H.number_of_nodes(), H.number_of_edges()
    roles = {role: 0 for role in ROLE_LABELS}
    for node in H:
        roles[H.nodes[node]["role"]] = roles.get(H.nodes[node]["role"], 0) + 1
    return {
        "size_by_role": roles,
        "n": n,
        "m": m,
        "mean_degree": 2 * m / n if n else 0.0,
        "density": nx.density(H) if n > 1 else 0.0,
        "components": nx.number_connected_components(H) if n else 0,
        "degree_centralisation": degree_centralisation(H),
    }


def _modularity_and_betweenness(
    H: nx.Graph, analysis: dict[str, Any] | None, params: _Params
) -> tuple[float | None, dict[Any, float]]:
    """Modularity and betweenness from ``analyze_region``'s result when given, else computed alike."""
    if analysis:
        return analysis["indicators"]["modularity"], {
            node: row["betweenness"] for node, row in analysis["nodes"].items()
        }
    comm_q = modularity(H, louvain(H, seed=params.seed))
    bc = path_centralities(H, exact_threshold=params.exact_threshold, k=params.k, seed=params.seed).betweenness
    return comm_q, bc


def _observed(H: nx.Graph, params: _Params) -> _Observed:
    """The null-compared measures of ``H`` itself; a big region gets one igraph copy that also serves
    every rewired null (C core throughout)."""
    big = H.number_of_nodes() > max(IGRAPH_THRESHOLD, params.exact_threshold)  # modularity not null-compared
    if not big:
        measures = _null_measures(H, with_modularity=False, seed=params.seed, exact_threshold=params.exact_threshold)
        return _Observed(measures, big)
    nodes = list(H)
    g, _ = to_igraph(H, nodes)
    lookup: dict[Any, int] = {}
    role_codes = [lookup.setdefault(H.nodes[v].get("role"), len(lookup)) for v in nodes]
    measures = _igraph_measures(g, role_codes, exact_threshold=params.exact_threshold, seed=params.seed)
    return _Observed(measures, big, g, role_codes)


def _top_brokers(H: nx.Graph, bc: dict[Any, float]) -> list[dict[str, Any]]:
    """The five highest-betweenness organisations; a broker has ties and a positive score (issue 20)."""
    top = sorted((v for v in bc if bc[v] > 0 and H.degree(v) > 0), key=lambda v: (-bc[v], str(v)))[:5]
    return [{"id": v, "name": H.nodes[v]["name"], "role": H.nodes[v]["role"], "betweenness": bc[v]} for v in top]


def _firm_values(H: nx.Graph, index: PhaseIndex) -> dict[str, Any]:
    """Share of firms with any support, and per phase the share whose phase a reachable body serves."""
    firms = [v for v in H if H.nodes[v]["role"] == "Company"]
    supported = {v for u, w, _ in index.ties("SUPPORTS") for v in (u, w) if v in H}
    cover = [index.coverage(f) for f in firms]
    return {
        "supported_firm_share": sum(1 for f in firms if f in supported) / len(firms) if firms else None,
        "phase_coverage": {
            phase: (sum(1 for c in cover if phase in c) / len(firms) if firms else None) for phase in PHASES
        },
    }


def _null_samples(H: nx.Graph, observed: _Observed, params: _Params) -> tuple[list[dict[str, float | None]], dict]:
    """The null-compared measures of each rewired copy of ``H``, and what the rewiring did."""
    n = H.number_of_nodes()
    count, swaps, note = _null_plan(n, params.null_models, params.exact_threshold)
    with_mod = n <= params.exact_threshold
    samples: list[dict[str, float | None]] = []
    done = 0
    for i in range(count):
        seed = params.seed + i
        if observed.big:
            R_g = observed.g.copy()
            with seeded(seed):
                R_g.rewire(n=int(swaps * observed.g.ecount()), mode="simple")
            done += _changed_edges(observed.g, R_g) // 2
            samples.append(
                _igraph_measures(R_g, observed.role_codes, exact_threshold=params.exact_threshold, seed=seed)
            )
            continue
        R, swapped = rewire(H, swaps_per_edge=swaps, seed=seed)
        done += swapped
        samples.append(_null_measures(R, with_modularity=with_mod, seed=seed, exact_threshold=params.exact_threshold))
    info = {"count": count, "swaps_per_edge": swaps, "swaps_done": done, "modularity_compared": with_mod, "note": note}
    return samples, info


def _null_statistics(obs: float | None, samples: list[dict[str, float | None]], key: str) -> dict[str, Any]:
    """Observed value against the nulls' mean and standard deviation, and its z-score."""
    xs = [float(value) for s in samples if (value := s[key]) is not None]
    if not xs or obs is None:
        return {"observed": obs, "null_mean": None, "null_sd": None, "z": None}
    mean, sd = float(np.mean(xs)), float(np.std(xs, ddof=1)) if len(xs) > 1 else 0.0
    z = (obs - mean) / sd if sd > 1e-12 else None
    return {"observed": obs, "null_mean": mean, "null_sd": sd, "z": z}


def _measure_region(H: nx.Graph, index: PhaseIndex, analysis: dict[str, Any] | None, params: _Params) -> _Measured:
    """Every indicator of one region, in the order the comparison has always computed them."""
    values = _size_values(H)
    comm_q, bc = _modularity_and_betweenness(H, analysis, params)
    observed = _observed(H, params)
    observed.measures["modularity"] = comm_q
    values.update({key: observed.measures[key] for key in NULL_COMPARED})
    values["top_brokers"] = _top_brokers(H, bc)
    values.update(_firm_values(H, index))
    values["triple_helix"] = triple_helix(H, bootstrap=params.bootstrap, seed=params.seed)
    samples, info = _null_samples(H, observed, params)
    nulls = {key: _null_statistics(observed.measures[key], samples, key) for key in NULL_COMPARED}
    return _Measured(values, nulls, info)


def _table(values: dict[str, dict[str, Any]], nulls: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The indicator rows: key, values by region, and null statistics where compared (no words)."""
    table = []
    for key in INDICATORS:
        row: dict[str, Any] = {"key": key, "values": values[key]}
        if key in nulls:
            row["null"] = nulls[key]
        table.append(row)
    return table
