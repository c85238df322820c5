# ruff: noqa: N803, N806  (G, H, A, P: graph and matrix names as in the literature)
"""Gaps a producer can act on (DESIGN §4), each with an explanation (a code and its values) and its evidence.

``find_gaps(G, region)`` returns six kinds of finding, each with a score in [0, 1] (ranking below):

- ``missing_role``: no local tie to a kind of body the network expects (:data:`EXPECTED_ROLES`);
  score 1.0 when no such body is recorded, 0.8 when one is recorded without a tie in that role.
- ``liaison``: a support body with no referral tie to its expected counterpart
  (:data:`LIAISON_PAIRS`); 0.9 for よろず ↔ INPIT window (the deck's pair), 0.6 otherwise.
- ``fragile_bridge``: an articulation point or bridge whose loss cuts off at least ``min_cut_off``
  organisations; 0.5 + 0.5 × (organisations cut off / organisations in the region).
- ``phase_coverage``: a firm with a phase that no reachable support body serves (one gap per firm
  and phase); 0.4 + 0.2 × number of phases missing for that firm.
- ``isolated``: firm, university or institute with no support or collaboration tie; 0.7 with no tie
  at all, 0.5 when it has other ties (finance, referral) only.
- ``unmet_match``: firm ↔ university/公設試 pair sharing technology fields with no tie;
  0.3 + 0.5 × J + 0.2 when the firm's launch phase is uncovered.

J is the Jaccard similarity of the two technology-field sets; among equal J the partner with the
smaller id comes first (at most ``max_matches_per_firm`` partners per firm are reported).

Ranking (:func:`rank_gaps`). Scores say how serious one gap is *within* its kind, but a region has
hundreds of unmet matches and phase-coverage gaps and only a handful of region-level ones, so a
plain score order would bury the few most actionable findings. The rank therefore interleaves:
round 1 is the best gap of every kind, round 2 the second of every kind, and so on (each round by
score, then in the order of :data:`GAP_KINDS`); within a kind a subject's repeat (a firm's second
uncovered phase or second unmet match) waits until every subject has been shown once. Every gap is
kept; ``score`` is unchanged and can still be sorted on.

A missing role is about engagement, not presence: a body counts only through :data:`ENGAGEMENT_TIES`
to the region's organisations (not ``PART_OF`` its national parent), and a body outside the region
only through support, finance or collaboration, not through referrals among support bodies.
Every report carries ``completeness``: a missing tie may only be missing data.

Explanations are codes and values (``{"code", "values"}``), never sentences: the surfaces render them
with :func:`graph.words.gaps.explain`, and the names of kinds and roles live in :mod:`graph.words.gaps`.

Speed (a 5×10^4-organisation region has about 1.6×10^5 gaps; no sampling, exact results): the
phase index is built once and may be shared with ``compare_regions``; tests on a body's ties read
the adjacency directly and stop at the first match; unmet-match similarities are computed only
for pairs that share a field (the sparse product's entries) and each firm's best partners are
found by partition rather than by sorting every row (:func:`_top_columns`); gap records are built
JSON-plain (store values through :func:`_store_value`) instead of being walked again by ``clean``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from analytics.fast import paused_gc
from analytics.measures import clean, region_view
from analytics.orggraph import display_name, organisation_graph, programme_key, role_of, tech_fields_of
from analytics.phases import PhaseIndex, incident_edges, normalise_support_kind
from analytics.structure import cut_structure
from graph.schema import PHASES
from graph.views import region_id

__all__ = [
    "ENGAGEMENT_TIES",
    "EXPECTED_ROLES",
    "GAP_KINDS",
    "LIAISON_PAIRS",
    "SUPPORT_KINDS",
    "completeness",
    "find_gaps",
    "rank_gaps",
]

GAP_KINDS: tuple[str, ...] = ("missing_role", "liaison", "fragile_bridge", "phase_coverage", "isolated", "unmet_match")

#: Support kinds the explanations name (their names: :func:`graph.words.gaps.support_kind_name`).
SUPPORT_KINDS: tuple[str, ...] = (
    "ip_window",
    "yorozu",
    "jetro",
    "invention_association",
    "chamber",
    "sme_center",
    "smrj",
    "cluster",
    "incubator",
    "ip_support",
    "producer_team",
)


def _kind(G: nx.MultiDiGraph, node: Any) -> str | None:
    return normalise_support_kind(G.nodes[node].get("support_kind"))


def _operated(G: nx.MultiDiGraph, index: PhaseIndex) -> dict[Any, set[str]]:
    """Programme keys each organisation OPERATES, built once per report from the index's OPERATES ties."""
    out: dict[Any, set[str]] = {}
    for u, v, _ in index.ties("OPERATES"):
        out.setdefault(u, set()).add(programme_key(v, G.nodes[v]))
    return out


def _has_kind(key: str) -> Callable[[nx.MultiDiGraph, Any, dict], bool]:
    return lambda G, node, ops: _kind(G, node) == key or key in ops.get(node, ())


def _ip_finance_bank(G: nx.MultiDiGraph, node: Any, ops: dict) -> bool:
    if role_of(G.nodes[node]) != "FinancialInstitution":
        return False
    for u, v, d in [*G.out_edges(node, data=True), *G.in_edges(node, data=True)]:
        other = v if u == node else u
        if d.get("type") == "FINANCES" and d.get("kind") == "ip_finance_report":
            return True
        if d.get("type") in ("OPERATES", "PARTICIPATES_IN") and programme_key(other, G.nodes[other]) == "ip_finance":
            return True
        if d.get("type") == "SUPPORTS" and str(d.get("programme", "")).rsplit(":", 1)[-1] == "ip_finance":
            return True
    return False


def _research_partner(G: nx.MultiDiGraph, node: Any, ops: dict) -> bool:
    if role_of(G.nodes[node]) not in ("University", "ResearchInstitute"):
        return False
    return any(
        d.get("type") in ("COLLABORATES_WITH", "SUPPORTS")
        and role_of(G.nodes[v if u == node else u]) == "Company"
        and G.nodes[v if u == node else u].get("in_region", True)
        for u, v, d in [*G.out_edges(node, data=True), *G.in_edges(node, data=True)]
    )


#: Bodies the network expects every region to be tied to: key (named by
#: :func:`graph.words.gaps.expected_role_name`), phase, who qualifies, who counts as "of that kind"
#: when nobody qualifies (to say "present but untied").
EXPECTED_ROLES: tuple[tuple[str, str | None, Callable, Callable], ...] = (
    ("ip_window", None, _has_kind("ip_window"), _has_kind("ip_window")),
    ("yorozu", None, _has_kind("yorozu"), _has_kind("yorozu")),
    ("jetro", "expansion", _has_kind("jetro"), _has_kind("jetro")),
    (
        "ip_finance_bank",
        "ideation",
        _ip_finance_bank,
        lambda G, n, ops: role_of(G.nodes[n]) == "FinancialInstitution",
    ),
    (
        "research_partner",
        "launch",
        _research_partner,
        lambda G, n, ops: role_of(G.nodes[n]) in ("University", "ResearchInstitute"),
    ),
    (
        "patent_attorney",
        "ideation",
        lambda G, n, ops: role_of(G.nodes[n]) == "ProfessionalBody",
        lambda G, n, ops: role_of(G.nodes[n]) == "ProfessionalBody",
    ),
)

#: Ties that show a body at work in the region (a missing role is about engagement, not presence):
#: ``PART_OF`` (a branch of a national body) and ``LOCATED_IN``/``SERVES`` say only that it exists.
ENGAGEMENT_TIES: frozenset[str] = frozenset({"SUPPORTS", "REFERS_TO", "COLLABORATES_WITH", "FINANCES"})

#: Support kinds that should refer clients to each other: (kind a, kind b, phase, score); why they
#: should is said by ``graph.words`` (``gapexp.why.{a}.{b}``).
LIAISON_PAIRS: tuple[tuple[str, str, str | None, float], ...] = (
    ("yorozu", "ip_window", None, 0.9),
    ("ip_window", "jetro", "expansion", 0.6),
    ("ip_window", "invention_association", "ideation", 0.6),
)


def _names(G: nx.Graph, nodes: list[Any], limit: int = 3) -> dict[str, Any]:
    """The first ``limit`` names of ``nodes`` and how many more there are (the values of a name list)."""
    shown = [display_name(G, n) for n in nodes[:limit]]
    return {"names": shown, "more": len(nodes) - len(shown)}


def _tie_evidence(G: nx.MultiDiGraph, u: Any, v: Any, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "from": _store_value(u),
        "to": _store_value(v),
        "type": _store_value(data.get("type")),
        "source": _store_value(data.get("source")),
        "evidence": _store_value(data.get("evidence") or ""),
        "synthetic": bool(data.get("synthetic")),
    }


def completeness(view: nx.MultiDiGraph, H: nx.Graph | None = None) -> dict[str, Any]:
    """Data completeness of a region view, to be read beside every gap.

    ``tied_share``: organisations with at least one tie to another organisation of the region;
    ``synthetic_node_share`` / ``synthetic_edge_share``: generated demo data in the view;
    ``untied_by_role``: organisations without ties per role. The caveat read beside the gaps is the
    vocabulary's (:func:`graph.words.gaps_caveat`), quoting ``tied_share``.
    """
    H = organisation_graph(view) if H is None else H
    n = H.number_of_nodes()
    tied = sum(1 for node in H if H.degree(node) > 0)
    untied: dict[str, int] = {}
    for node in H:
        if H.degree(node) == 0:
            role = H.nodes[node].get("role") or "unknown"
            untied[role] = untied.get(role, 0) + 1
    nodes = view.number_of_nodes()
    edges = view.number_of_edges()
    syn_nodes = sum(1 for _, d in view.nodes(data=True) if d.get("synthetic"))
    syn_edges = sum(1 for _, _, d in view.edges(data=True) if d.get("synthetic"))
    share = tied / n if n else 0.0
    return {
        "organisations": n,
        "tied_share": share,
        "synthetic_node_share": syn_nodes / nodes if nodes else 0.0,
        "synthetic_edge_share": syn_edges / edges if edges else 0.0,
        "untied_by_role": dict(sorted(untied.items())),
    }


@paused_gc()
def find_gaps(
    G: nx.MultiDiGraph,
    region: str,
    *,
    max_matches_per_firm: int = 3,
    min_cut_off: int = 2,
    H: nx.Graph | None = None,
    index: PhaseIndex | None = None,
) -> dict[str, Any]:
    """All six kinds of gap of DESIGN §4 for one region, ranked.

    Parameters
    ----------
    G
        The stored graph or the region's view.
    region
        ``aomori`` or ``region:aomori``.
    max_matches_per_firm
        Unmet matches kept per firm (the most similar researchers first).
    min_cut_off
        A fragile bridge must cut off at least this many organisations (a leaf hanging on one tie is
        reported as ``isolated``/peripheral material, not as a bridge).
    H
        The region's (unweighted) organisation graph when already built (shared with
        ``analyze_region``); built here when None.
    index
        The region view's :class:`~analytics.phases.PhaseIndex` when already built (shared with
        ``compare_regions``, which asks for the same firms' coverage); built here when None or
        when it was built on another graph than the region's view.

    Returns
    -------
    dict
        ``{"region", "gaps": [{"kind", "subjects", "phase", "explanation": {"code", "values"},
        "evidence": [...], "score", "rank"}], "counts": {kind: n}, "completeness": {...}}``.
    """
    view = region_view(G, region)
    H = organisation_graph(view) if H is None else H
    if index is None or index.G is not view:
        index = PhaseIndex(view)
    gaps = rank_gaps(_all_gaps(view, H, index, max_matches_per_firm, min_cut_off))
    counts = dict.fromkeys(GAP_KINDS, 0)
    for gap in gaps:
        counts[gap["kind"]] += 1
    # Gaps are JSON-plain as built (:func:`_gap` and :func:`_store_value` convert every value that comes
    # from the store), so :func:`clean` is not walked over 10^5 of them again.
    return {
        "region": region_id(region).removeprefix("region:"),
        "gaps": gaps,
        "counts": counts,
        "completeness": clean(completeness(view, H)),
    }


def _all_gaps(
    view: nx.MultiDiGraph, H: nx.Graph, index: PhaseIndex, max_matches_per_firm: int, min_cut_off: int
) -> list[dict[str, Any]]:
    """Every gap of the six kinds, unranked, in :data:`GAP_KINDS`' order of discovery."""
    names = _Names(view)
    ops = _operated(view, index)
    gaps: list[dict[str, Any]] = []
    gaps += _missing_roles(view, H, ops)
    gaps += _liaison(view, H, ops, index)
    gaps += _fragile(view, H, min_cut_off)
    coverage = {node: index.coverage(node) for node in H if H.nodes[node]["role"] == "Company"}
    gaps += _phase_coverage(view, H, index, coverage, names)
    gaps += _isolated(view, H, names)
    gaps += _unmet(view, H, coverage, max_matches_per_firm, names)
    return gaps


def rank_gaps(gaps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Order gaps so that the first screen shows a mix of kinds and subjects; set ``rank`` (1 = first).

    The rule (see the module docstring): within each kind, gaps are ordered by score, but every
    subject's first gap comes before any subject's second (a firm with three uncovered phases, or
    three unmet matches, shows once per round); the kinds are then interleaved round by round —
    the best gap of every kind, then the second of every kind, … — each round ordered by score and
    then by :data:`GAP_KINDS`. Nothing is dropped: a kind that runs out simply leaves the rounds.
    """
    order = {kind: i for i, kind in enumerate(GAP_KINDS)}
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for gap in sorted(gaps, key=lambda g: (-g["score"], [str(s) for s in g["subjects"]], str(g["phase"]))):
        by_kind.setdefault(gap["kind"], []).append(gap)
    keyed: list[tuple[tuple[int, float, int], dict[str, Any]]] = []
    for kind, items in by_kind.items():
        seen: dict[str, int] = {}
        staged = []
        for gap in items:
            lead = str(gap["subjects"][0]) if gap["subjects"] else ""
            staged.append((seen.get(lead, 0), gap))
            seen[lead] = seen.get(lead, 0) + 1
        staged.sort(key=lambda t: t[0])  # stable: score order is kept within each repeat level
        keyed += [((position, -gap["score"], order[kind]), gap) for position, (_, gap) in enumerate(staged)]
    keyed.sort(key=lambda t: t[0])
    out = [gap for _, gap in keyed]
    for rank, gap in enumerate(out, start=1):
        gap["rank"] = rank
    return out


#: Leaf types that are JSON values as they are (floats need a finiteness check: see :func:`_store_value`).
_PLAIN_LEAVES: frozenset[type] = frozenset({str, int, bool, type(None)})


def _store_value(value: Any) -> Any:
    """A value read from the store (node id, ``source``, ``type``) as :func:`clean` would give it."""
    return value if type(value) in _PLAIN_LEAVES else clean(value)


class _Names:
    """:func:`display_name` memoised for one report: a firm is named in each of its gaps."""

    def __init__(self, G: nx.Graph) -> None:
        self.G = G
        self.cache: dict[Any, str] = {}

    def __call__(self, node: Any) -> str:
        name = self.cache.get(node)
        if name is None:
            name = self.cache[node] = display_name(self.G, node)
        return name


def _gap(
    kind: str, subjects: list[Any], phase: str | None, why: tuple[str, dict[str, Any]], evidence: list, score: float
) -> dict:
    """One gap record; ``subjects`` are made plain here, ``evidence`` must be built plain (:func:`_store_value`).

    ``why`` is the explanation's code and values (names and counts, all plain), rendered by ``graph.words``.
    """
    return {
        "kind": kind,
        "subjects": [s if type(s) in _PLAIN_LEAVES else clean(s) for s in subjects],
        "phase": phase,
        "explanation": {"code": why[0], "values": why[1]},
        "evidence": evidence,
        "score": round(float(score), 6),
    }


def _engaged(view: nx.MultiDiGraph, node: Any, local: set[Any]) -> bool:
    """True when ``node`` has an :data:`ENGAGEMENT_TIES` tie to another of the region's organisations.

    A body outside the region counts only through work with the region's organisations (support,
    finance, collaboration), not through referrals among support bodies: INPIT serves every
    region, and its referral to ジェトロ神戸 is no JETRO tie for Aomori.
    """
    inside = node in local
    for u, v, d in incident_edges(view, node):
        kind = d.get("type")
        other = v if u == node else u
        if kind in ENGAGEMENT_TIES and other in local and other != node and (inside or kind != "REFERS_TO"):
            return True
    return False


def _missing_roles(view: nx.MultiDiGraph, H: nx.Graph, ops: dict[Any, set[str]]) -> list[dict]:
    local = set(H)
    orgs = [n for n, d in view.nodes(data=True) if "Organization" in d.get("labels", ())]
    out = []
    for key, phase, qualifies, of_kind in EXPECTED_ROLES:
        tied_bodies, untied_bodies = _bodies_by_engagement(view, orgs, local, ops, qualifies, of_kind)
        if tied_bodies:
            continue
        if untied_bodies:
            code = "missing_role.untied_one" if len(untied_bodies) == 1 else "missing_role.untied_many"
            why = (code, {"role": key, "phase": phase, **_names(view, untied_bodies)})
            evidence = [
                {"node": _store_value(n), "source": _store_value(view.nodes[n].get("source")), "tied": False}
                for n in untied_bodies
            ]
            out.append(_gap("missing_role", [key, *untied_bodies], phase, why, evidence, 0.8))
        else:
            why = ("missing_role.none", {"role": key, "phase": phase})
            out.append(_gap("missing_role", [key], phase, why, [], 1.0))
    return out


def _bodies_by_engagement(
    view: nx.MultiDiGraph,
    orgs: list[Any],
    local: set[Any],
    ops: dict[Any, set[str]],
    qualifies: Callable,
    of_kind: Callable,
) -> tuple[list[Any], list[Any]]:
    """The bodies of an expected kind that are engaged with the region and qualify, and the region's own
    bodies of that kind that are not."""
    tied_bodies, untied_bodies = [], []
    for node in orgs:
        if not of_kind(view, node, ops):
            continue
        if _engaged(view, node, local) and qualifies(view, node, ops):
            tied_bodies.append(node)
        elif node in local:
            untied_bodies.append(node)
    return tied_bodies, untied_bodies


def _own_kind(key: str) -> Callable[[nx.MultiDiGraph, Any, dict], bool]:
    """A body *is* of a kind by its own ``support_kind``; only a body without one is judged by what it
    OPERATES. So INPIT (``ip_agency``), which owns the national 知財総合支援窓口 programme, is not
    the region's window operator, and its referrals do not stand in for the local operator's."""

    def test(G: nx.MultiDiGraph, node: Any, ops: dict) -> bool:
        own = _kind(G, node)
        return own == key if own else key in ops.get(node, ())

    return test


def _bodies_of_kind(view: nx.MultiDiGraph, H: nx.Graph, kind: str, ops: dict) -> list[Any]:
    test = _own_kind(kind)
    return [n for n in H if H.nodes[n]["role"] == "SupportOrganization" and test(view, n, ops)]


def _liaison(view: nx.MultiDiGraph, H: nx.Graph, ops: dict[Any, set[str]], index: PhaseIndex) -> list[dict]:
    out = []
    referral: dict[Any, set[Any]] = {}
    for u, v, _ in index.ties("REFERS_TO"):
        referral.setdefault(u, set()).add(v)
        referral.setdefault(v, set()).add(u)
    for kind_a, kind_b, phase, score in LIAISON_PAIRS:
        side_a = _bodies_of_kind(view, H, kind_a, ops)
        side_b = _bodies_of_kind(view, H, kind_b, ops)
        if not side_a or not side_b:
            continue  # a missing kind is reported as missing_role
        set_b = set(side_b)
        for body in side_a:
            if referral.get(body, set()) & set_b:
                continue
            partners = [b for b in side_b if b != body]
            if not partners:
                continue
            # Only partners the body has any edge with can contribute evidence: test those
            # (hundreds of bodies per kind, so all pairs by get_edge_data cost seconds).
            adjacent = {*view.successors(body), *view.predecessors(body)}
            other_ties = [
                _tie_evidence(view, a, b, d)
                for p in partners
                if p in adjacent
                for a, b in ((body, p), (p, body))
                for d in view.get_edge_data(a, b, default={}).values()
            ]
            values = {"body": display_name(view, body), "kind_a": kind_a, "kind_b": kind_b, **_names(view, partners)}
            evidence = other_ties or [
                {"node": _store_value(body), "source": _store_value(view.nodes[body].get("source")), "referrals": 0}
            ]
            out.append(_gap("liaison", [body, *partners[:3]], phase, ("liaison", values), evidence, score))
    return out


def _fragile(view: nx.MultiDiGraph, H: nx.Graph, min_cut_off: int) -> list[dict]:
    n = max(H.number_of_nodes(), 1)
    cuts = cut_structure(H)
    out = []
    for node, parts in cuts.articulation_points.items():
        cut_off = sum(parts[1:])
        if cut_off < min_cut_off:
            continue
        why = ("fragile.point", {"name": display_name(view, node), "cut_off": cut_off, "rest": parts[0]})
        evidence = [
            {
                "node": _store_value(node),
                "degree": H.degree(node),
                "pieces": list(parts),
                "source": _store_value(view.nodes[node].get("source")),
            }
        ]
        out.append(_gap("fragile_bridge", [node], None, why, evidence, 0.5 + 0.5 * cut_off / n))
    for (u, v), (size_u, size_v) in cuts.bridges.items():
        small = min(size_u, size_v)
        if small < min_cut_off:
            continue
        ties = [
            _tie_evidence(view, a, b, d)
            for a, b in ((u, v), (v, u))
            for d in view.get_edge_data(a, b, default={}).values()
        ]
        why = ("fragile.bridge", {"a": display_name(view, u), "b": display_name(view, v), "cut_off": small})
        out.append(_gap("fragile_bridge", [u, v], None, why, ties, 0.5 + 0.5 * small / n))
    return out


def _best_server(H: nx.Graph, index: PhaseIndex, phase: str) -> Any | None:
    servers = [b for b in H if phase in index.served.get(b, {})]
    return max(servers, key=lambda b: (H.degree(b), str(b)), default=None)


def _phase_coverage(
    view: nx.MultiDiGraph,
    H: nx.Graph,
    index: PhaseIndex,
    coverage: dict[Any, dict[str, dict[str, Any]]],
    names: _Names,
) -> list[dict]:
    out = []
    suggestion = {phase: _best_server(H, index, phase) for phase in PHASES}
    for firm, covered in coverage.items():
        missing = [p for p in PHASES if p not in covered]
        if not missing:
            continue
        name = names(firm)
        have = sorted({c["body"] for c in covered.values()}, key=str)
        evidence = [{"phase": p, "body": _store_value(c["body"]), "via": c["via"]} for p, c in covered.items()]
        listed = _names(view, have) if have else {}
        for phase in missing:
            body = suggestion[phase]
            values = {"name": name, "phase": phase, "body": names(body) if body else None, **listed}
            why = ("phase.tied" if have else "phase.untied", values)
            each = [dict(e) for e in evidence]  # every gap its own records, as ``clean`` used to copy them
            out.append(_gap("phase_coverage", [firm], phase, why, each, 0.4 + 0.2 * len(missing)))
    return out


def _isolated(view: nx.MultiDiGraph, H: nx.Graph, names: _Names) -> list[dict]:
    out = []
    for node in H:
        role = H.nodes[node]["role"]
        if role not in ("Company", "University", "ResearchInstitute"):
            continue
        if any(d.get("type") in ("SUPPORTS", "COLLABORATES_WITH") for _, _, d in incident_edges(view, node)):
            continue
        others = sorted({t for t in H.edges(node, data="types") for t in t[2]})
        alone = H.degree(node) == 0
        why = ("isolated.none" if alone else "isolated.other", {"name": names(node), "role": role, "ties": others})
        score = 0.7 if alone else 0.5
        evidence = [
            {"node": _store_value(node), "source": _store_value(view.nodes[node].get("source")), "ties": H.degree(node)}
        ]
        out.append(_gap("isolated", [node], None, why, evidence, score))
    return out


def _top_columns(
    scores: np.ndarray, k: int, candidates: tuple[np.ndarray, np.ndarray] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the columns of its ``k`` largest positive scores, by score and then by column.

    Returns ``(rows, cols)`` grouped by row in that order: what a stable ``argsort(-scores)`` cut
    to ``k`` gives, without sorting whole rows (a 4×10^4 × 2.5×10^3 similarity matrix took 4 s to
    argsort at 5×10^4 organisations). ``np.partition`` finds each row's k-th largest value in
    linear time; the few larger scores are sorted, and ties at the k-th value are taken in column
    order. ``candidates`` are the cells that may be positive in row-major order with columns
    ascending (a canonical CSR's entries); by default every positive cell.
    """
    n_rows, n_cols = scores.shape
    rows, cols = np.nonzero(scores > 0) if candidates is None else candidates
    values = scores[rows, cols]
    positive = values > 0
    rows, cols, values = rows[positive], cols[positive], values[positive]
    if k <= 0 or len(rows) == 0:
        return rows[:0], cols[:0]
    if k >= n_cols:
        order = np.lexsort((cols, -values, rows))
        return rows[order], cols[order]
    kth = -np.partition(-scores, k - 1, axis=1)[:, k - 1]  # each row's k-th largest value
    at = kth[rows]
    above = values > at  # fewer than k per row
    above_r, above_c = rows[above], cols[above]
    order = np.lexsort((above_c, -values[above], above_r))
    above_r, above_c = above_r[order], above_c[order]
    tie = values == at  # positive, so only where the k-th value is positive; columns ascending
    tie_r, tie_c = rows[tie], cols[tie]
    need = k - np.bincount(above_r, minlength=n_rows)
    first = np.searchsorted(tie_r, np.arange(n_rows))
    keep = np.arange(len(tie_r)) - first[tie_r] < need[tie_r]
    rows = np.concatenate([above_r, tie_r[keep]])
    cols = np.concatenate([above_c, tie_c[keep]])
    order = np.argsort(rows, kind="stable")
    return rows[order], cols[order]


def _unmet(
    view: nx.MultiDiGraph, H: nx.Graph, coverage: dict[Any, dict[str, Any]], per_firm: int, names: _Names
) -> list[dict]:
    """Firm–researcher pairs sharing technology fields with no tie: each firm's ``per_firm`` most similar
    (Jaccard of fields), in firm blocks so the dense similarity rows stay small."""
    firms, research = _firms_and_researchers(H)
    if not firms or not research or per_firm <= 0:
        return []
    fields_of = {n: tech_fields_of(view, n) for n in (*firms, *research)}
    col = {c: i for i, c in enumerate(sorted({c for fs in fields_of.values() for c in fs}))}
    if not col:
        return []
    Ff, Fr = _incidence(firms, fields_of, col), _incidence(research, fields_of, col)
    size_f = np.asarray(Ff.sum(axis=1)).ravel()
    size_r = np.asarray(Fr.sum(axis=1)).ravel()
    r_index = {n: j for j, n in enumerate(research)}
    out = []
    chunk = max(1, 500_000 // max(len(research), 1))  # 4 MB dense blocks: the top-k passes stay in cache
    FrT = sp.csc_array(Fr.T)
    for start in range(0, len(firms), chunk):
        block = firms[start : start + chunk]
        rows_f = Ff[start : start + len(block)]
        jac, rows, cols = _block_jaccard(H, block, rows_f, FrT, size_f[start : start + len(block)], size_r, r_index)
        rows, cols = _top_columns(jac, per_firm, (rows, cols))
        values = jac[rows, cols].tolist()
        for i, j, value in zip(rows.tolist(), cols.tolist(), values, strict=True):
            out.append(_unmet_gap(block[i], research[j], value, fields_of, coverage, names))
    return out


def _firms_and_researchers(H: nx.Graph) -> tuple[list[Any], list[Any]]:
    """The region's firms, and its universities and research institutes sorted by id (so that equal
    similarities are broken by id, not by the order a store returned nodes)."""
    firms = [n for n in H if H.nodes[n]["role"] == "Company"]
    research = sorted((n for n in H if H.nodes[n]["role"] in ("University", "ResearchInstitute")), key=str)
    return firms, research


def _incidence(nodes: list[Any], fields_of: dict[Any, set[str]], col: dict[str, int]) -> sp.csr_array:
    """Node × technology-field incidence (1 where the node works in the field)."""
    rows = [i for i, n in enumerate(nodes) for _ in fields_of[n]]
    cols = [col[c] for n in nodes for c in fields_of[n]]
    return sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(nodes), len(col)))


def _block_jaccard(
    H: nx.Graph,
    block: list[Any],
    Ff: sp.csr_array,
    FrT: sp.csc_array,
    size_f: np.ndarray,
    size_r: np.ndarray,
    r_index: dict[Any, int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Jaccard similarity of a block of firms to every researcher (0 for pairs already tied), and the
    cells that may be positive in canonical (row-major, column-sorted) order.

    Computed only where the pair shares a field (about an eighth of the cells on the bench regions).
    """
    inter = sp.csr_array(Ff @ FrT)
    inter.sum_duplicates()
    rows = np.repeat(np.arange(len(block)), np.diff(inter.indptr))
    cols = inter.indices.astype(np.int64)
    shared_n = inter.data
    jac = np.zeros((len(block), len(r_index)))
    jac[rows, cols] = shared_n / (size_f[rows] + size_r[cols] - shared_n)
    for i, firm in enumerate(block):
        for nb in H[firm]:
            if nb in r_index:
                jac[i, r_index[nb]] = 0.0
    return jac, rows, cols


def _unmet_gap(
    firm: Any, partner: Any, value: float, fields_of: dict[Any, set[str]], coverage: dict[Any, Any], names: _Names
) -> dict:
    """The ``unmet_match`` gap of one firm and one researcher sharing fields with a Jaccard of ``value``."""
    shared = sorted(fields_of[firm] & fields_of[partner])
    launch_gap = "launch" not in coverage.get(firm, {})
    why = ("unmet_match", {"firm": names(firm), "partner": names(partner), "fields": shared})
    evidence = [{"shared_fields": shared, "jaccard": value, "firm_launch_uncovered": launch_gap}]
    score = 0.3 + 0.5 * value + (0.2 if launch_gap else 0.0)
    return _gap("unmet_match", [firm, partner], "launch", why, evidence, score)
