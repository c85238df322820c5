# ruff: noqa: N803, N806  (G, H, A, P: graph and matrix names as in the literature)
"""Partner, support-body and programme suggestions for one organisation, and their time-split test.

Partners (universities, 公設試, companies) are ranked by a blend of technology-field similarity
(Jaccard on field sets) and network proximity (personalised PageRank from the firm; Jeh & Widom
2003; Liben-Nowell & Kleinberg 2007, doi:10.1002/asi.20591, for proximity scores as link
predictors). Common-neighbour scores are not used: most of a firm's ties go to support bodies and
most of a university's ties go to firms, so across that bipartite firm–service split a firm and a
candidate partner rarely share a neighbour and the score is almost always zero; personalised
PageRank counts the paths of length 3 and longer (firm → support body → other firm → university)
that carry the signal.

Suggestions respect place (issue 11). They are drawn from the organisation's region's view
(:func:`graph.scope.region_subgraph`; its seat first, else the first region it serves), so every
partner and support body is one of that region's organisations, and a programme is named with a
delivery body of that region: one seated there first, else one serving it (INPIT, a METI bureau).
A programme that belongs to another region (its ``region`` property) is never suggested. Each
suggestion says where the partner or body is (``place``).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, Final

import networkx as nx
import numpy as np
import scipy.sparse as sp

from analytics.eligibility import bodies_for_need, eligible, participant_class, programmes_used, target_groups
from analytics.fast import paused_gc
from analytics.fit import PHASE_NEEDS, complement_key, industry_relatedness, letter_of
from analytics.measures import clean
from analytics.name_patterns import IP_FIELD_WORDS
from analytics.orggraph import (
    adjacency_matrix,
    display_name,
    english_name,
    organisation_graph,
    programme_key,
    tech_fields_of,
)
from analytics.phases import PhaseIndex, normalise_support_kind
from analytics.profiles import has_ip_support_tie, hubs, is_gone, keywords_of, tie_year, tied_to
from graph.schema import PHASES
from graph.scope import organisation_regions, region_id, region_key, region_subgraph
from graph.words import LANGS, ROLE_LABEL_NAMES
from graph.words.gaps import support_kind_name

__all__ = [
    "BASELINES",
    "FIELD_WEIGHT",
    "FIT_WEIGHTS",
    "PARTNER_ROLES",
    "PartnerScorer",
    "delivery_bodies",
    "evaluate_time_split",
    "personalized_pagerank",
    "place",
    "recommend",
]

#: Roles suggested as partners.
PARTNER_ROLES: tuple[str, ...] = ("University", "ResearchInstitute", "Company")
#: Weights of a partner's fit parts (:mod:`analytics.fit`); they add up to 1.
FIT_WEIGHTS: dict[str, float] = {"industry": 0.3, "keywords": 0.3, "need": 0.15, "proximity": 0.25}
#: Kept for callers of the former two-part blend: the share of the fit that is about content.
FIELD_WEIGHT = FIT_WEIGHTS["keywords"]
#: A partner reached only through a path longer than this (hubs left out) has no proximity reason.
NEAR_STEPS = 3


def personalized_pagerank(
    A: sp.csr_array, sources: np.ndarray, *, alpha: float = 0.85, tol: float = 1e-10
) -> np.ndarray:
    """Personalised PageRank vectors (n × len(sources)) on a symmetric adjacency matrix.

    Column j restarts at ``sources[j]`` with probability 1 − ``alpha``; a dangling (isolated) node
    restarts too, as ``networkx.pagerank(..., personalization=..., dangling=None)`` does. Power
    iteration on all columns at once.
    """
    n = A.shape[0]
    deg = np.asarray(A.sum(axis=1)).ravel()
    inv = np.divide(1.0, deg, out=np.zeros(n), where=deg > 0)
    T = sp.csr_array(A.T @ sp.diags_array(inv))  # column-stochastic on non-dangling nodes
    dangling = deg == 0
    b = len(sources)
    restart = np.zeros((n, b))
    restart[sources, np.arange(b)] = 1.0
    x = restart.copy()
    for _ in range(200):
        lost = x[dangling].sum(axis=0)
        nxt = alpha * (T @ x) + (alpha * lost + (1 - alpha)) * restart
        if np.abs(nxt - x).sum() < tol * b:
            x = nxt
            break
        x = nxt
    return x


def _set_matrix(pool: list[Any], sets: Mapping[Any, AbstractSet[str]]) -> tuple[sp.csr_array, dict[str, int]]:
    """Pool × items incidence matrix of ``sets`` (technology fields, keywords) and the item columns."""
    items = sorted({c for fs in sets.values() for c in fs})
    col = {c: i for i, c in enumerate(items)}
    rows = [j for j, v in enumerate(pool) for _ in sets[v]]
    cols = [col[c] for v in pool for c in sets[v]]
    return sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(pool), max(len(items), 1))), col


def _jaccard_rows(M: sp.csr_array, col: dict[str, int], mine: AbstractSet[str]) -> np.ndarray:
    vec = np.zeros(M.shape[1])
    for c in mine:
        if c in col:
            vec[col[c]] = 1.0
    inter = M @ vec
    union = np.asarray(M.sum(axis=1)).ravel() + len(mine) - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


class PartnerScorer:
    """Shared by ``recommend`` and ``evaluate_time_split``: fit parts, proximity and the partner pool.

    Built from a graph and its organisation graph; it depends on nothing else, so one scorer per
    region view serves every organisation's suggestions (``AnalysisService`` keeps one per region
    and data version instead of rebuilding it on each node click). Read-only once built.

    Proximity is personalised PageRank on the organisation graph with the hubs' ties left out
    (:func:`analytics.profiles.hubs`): a shared prefecture or city hall is not a reason.
    """

    def __init__(self, G: nx.MultiDiGraph, H: nx.Graph) -> None:
        self.G, self.H = G, H
        self.nodes = list(H)
        self.index = {node: i for i, node in enumerate(self.nodes)}
        self.hubs = hubs(H)
        self.local = nx.restricted_view(H, list(self.hubs), [])
        self.A = adjacency_matrix(self.local, self.nodes)
        self.fields = {node: tech_fields_of(G, node) for node in self.nodes}
        self.keywords = {node: keywords_of(G.nodes[node]) for node in self.nodes}
        self.letters = {node: letter_of(G.nodes[node], H.nodes[node]["role"]) for node in self.nodes}
        self.pool = [
            v for v in self.nodes if H.nodes[v]["role"] in PARTNER_ROLES and v not in self.hubs and not is_gone(G, v)
        ]
        self.pool_idx = np.array([self.index[v] for v in self.pool], dtype=np.int64)
        self.pool_pos = {v: j for j, v in enumerate(self.pool)}
        self.F, self.code_col = _set_matrix(self.pool, self.fields)
        self.K, self.kw_col = _set_matrix(self.pool, self.keywords)
        self.sizes = np.asarray(self.F.sum(axis=1)).ravel()
        self.roles = [H.nodes[v]["role"] for v in self.pool]

    def field_similarity(self, org: Any) -> np.ndarray:
        """Jaccard similarity of ``org``'s fields with every pool member's (sparse, vectorised)."""
        return _jaccard_rows(self.F, self.code_col, self.fields[org])

    def keyword_similarity(self, org: Any) -> np.ndarray:
        """Jaccard similarity of ``org``'s keywords with every pool member's."""
        return _jaccard_rows(self.K, self.kw_col, self.keywords[org])

    def industry(self, org: Any) -> tuple[np.ndarray, list[str]]:
        """Industry relatedness (:func:`analytics.fit.industry_relatedness`) with every pool member, and its kinds."""
        mine = self.letters[org]
        pairs = [industry_relatedness(mine, self.letters[v]) for v in self.pool]
        return np.array([p[0] for p in pairs]), [p[1] for p in pairs]

    def need(self, industry_kinds: list[str], needs: tuple[str, ...]) -> np.ndarray:
        """1 where a pool member's kind serves an uncovered phase in ``needs`` (:data:`analytics.fit.PHASE_NEEDS`)."""
        wanted = set().union(*(PHASE_NEEDS[p] for p in needs)) if needs else set()
        return np.array(
            [
                float(role in wanted or ("complement" in wanted and kind == "complement"))
                for role, kind in zip(self.roles, industry_kinds, strict=True)
            ]
        )

    def excluded(self, org: Any) -> np.ndarray:
        """Pool members that are ``org`` itself or already tied to it (in the organisation graph or the view)."""
        mask = np.zeros(len(self.pool), dtype=bool)
        for v in tied_to(self.G, org, also=(org, *self.H[org])):
            if v in self.pool_pos:
                mask[self.pool_pos[v]] = True
        return mask

    def scores(self, orgs: list[Any], needs: Mapping[Any, tuple[str, ...]] | None = None) -> list[dict[str, Any]]:
        """Every fit part and the blended score of every pool member, for each of ``orgs``."""
        ppr = personalized_pagerank(self.A, np.array([self.index[o] for o in orgs], dtype=np.int64))
        out = []
        for j, org in enumerate(orgs):
            field = self.field_similarity(org)
            keyword = self.keyword_similarity(org)
            industry, kinds = self.industry(org)
            need = self.need(kinds, tuple((needs or {}).get(org, ())))
            exclude = self.excluded(org)
            prox_pool = np.where(exclude, 0.0, ppr[self.pool_idx, j])
            top = prox_pool.max() if len(prox_pool) else 0.0
            prox_norm = prox_pool / top if top > 0 else np.zeros_like(prox_pool)
            content = np.maximum(field, keyword)
            score = (
                FIT_WEIGHTS["industry"] * industry
                + FIT_WEIGHTS["keywords"] * content
                + FIT_WEIGHTS["need"] * need
                + FIT_WEIGHTS["proximity"] * prox_norm
            )
            out.append(
                {
                    "field": field,
                    "keywords": keyword,
                    "industry": industry,
                    "industry_kind": kinds,
                    "need": need,
                    "proximity": prox_norm,
                    "score": score,
                    "exclude": exclude,
                    "ppr": ppr[:, j],
                }
            )
        return out


def recommend(
    G: nx.MultiDiGraph,
    org_id: Any,
    *,
    top: int = 10,
    H: nx.Graph | None = None,
    scorer: PartnerScorer | None = None,
    index: PhaseIndex | None = None,
) -> dict[str, Any]:
    """Suggest partners, support bodies and programmes for one organisation, each with reasons.

    Parameters
    ----------
    G
        The stored graph or a region view; suggestions are drawn from its organisations
        (``in_region`` ones only, for a region view).
    org_id
        The organisation to advise (usually a firm).
    top
        Partners returned; support bodies and programmes are up to 5 each.
    H, scorer, index
        Optional prebuilt inputs (``G``'s organisation graph, a :class:`PartnerScorer` of ``G`` and
        ``H``, ``G``'s :class:`analytics.phases.PhaseIndex`): most of a call's time, and per region,
        so a caller advising many organisations builds them once. When any is given, ``G`` must be
        a region's view and each built from ``G``; the result is the same as without them.

    Returns
    -------
    dict
        ``{"org", "name", "uncovered_phases": [...], "partners": [{"id", "name", "role", "score",
        "fit": {part: value}, "reason_kinds": [...], "reasons": {"ja", "en"}}], "support": [{"id",
        "name", "phase", "phases", "score", "reason_kinds", "reasons"}], "programmes": [{"id",
        "name", "phase", "phases", "score", "reason_kinds", "reasons"}], "empty": {list: {"ja",
        "en"}}, "method": {...}}``. Each entry once, never a body already tied to or merged or
        closed; ``empty`` says why a list is empty.
    """
    G, H, scorer, index = _inputs(G, org_id, H, scorer, index)
    # Step 1: what the organisation needs (its uncovered phases) and what it is (its class, IP status).
    uncovered = tuple(p for p in PHASES if p not in index.coverage(org_id))
    who, ip_supported = participant_class(G.nodes[org_id]), has_ip_support_tie(G, org_id)
    # Steps 2–4: partners by fit; support bodies for the uncovered phases; programmes by eligibility,
    # uncovered phase and IP status.
    partners = _partners(G, H, scorer, org_id, uncovered, top)
    tied = tied_to(G, org_id, also=H[org_id])
    support = _support(G, H, scorer, index, org_id, uncovered, tied, ip_supported, who)
    programmes = _programmes(G, H, index, org_id, uncovered, who, ip_supported)
    empty = _empty_reasons(G, scorer, org_id, uncovered, who, partners, support, programmes)
    return clean(
        {
            "org": org_id,
            "name": display_name(G, org_id),
            "region": region_key(str(G.graph["region"])) if G.graph.get("region") else None,
            "uncovered_phases": list(uncovered),
            "participant": who,
            "ip_supported": ip_supported,
            "partners": partners,
            "support": support,
            "programmes": programmes,
            "empty": empty,
            "method": _METHOD,
        }
    )


#: How partners are scored, as ``recommend`` states it beside its suggestions.
_METHOD: Final = {
    "partner_score": " + ".join(f"{w} × {k}" for k, w in FIT_WEIGHTS.items()),
    "note": (
        "industry: JSIC relatedness; keywords: Jaccard of keywords or tech fields; need: the partner's "
        "kind serves an uncovered phase; proximity: personalised PageRank without the hubs' ties"
    ),
}


def _inputs(
    G: nx.MultiDiGraph, org_id: Any, H: nx.Graph | None, scorer: PartnerScorer | None, index: PhaseIndex | None
) -> tuple[nx.MultiDiGraph, nx.Graph, PartnerScorer, PhaseIndex]:
    """``recommend``'s view, organisation graph, scorer and phase index: the given ones, checked, or built."""
    if H is None and scorer is None and index is None:
        G = _home_view(G, org_id)
    elif not G.graph.get("region"):
        msg = "prebuilt H, scorer or index need G to be a region's view (graph.scope.region_subgraph)"
        raise ValueError(msg)
    H = organisation_graph(G) if H is None else H
    if org_id not in H:
        msg = f"unknown organisation {org_id!r} in this graph; pass an organisation id of the region (e.g. org:...)"
        raise KeyError(msg)
    if scorer is None:
        scorer = PartnerScorer(G, H)
    elif scorer.G is not G or scorer.H is not H:
        msg = "the prebuilt scorer was built from another graph than G and H"
        raise ValueError(msg)
    if index is not None and index.G is not G:
        msg = "the prebuilt phase index was built from another graph than G"
        raise ValueError(msg)
    return G, H, scorer, PhaseIndex(G) if index is None else index


def _why(G: nx.MultiDiGraph, reason: str) -> dict[str, Any]:
    """The phase index's reason (``support_kind yorozu``, ``operates prog:x``) as a code and values."""
    head, _, rest = reason.partition(" ")
    if head == "support_kind":
        return {"code": "support_kind", "kind": {lang: support_kind_name(rest, lang) for lang in LANGS}}
    if head == "operates" and rest in G:
        return {"code": "operates", "programme": _named(G, rest)}
    if head == "role" and rest in ROLE_LABEL_NAMES:
        return {"code": "role", "role": rest}
    return {"code": "record"}


def _named(G: nx.MultiDiGraph, node: Any) -> dict[str, str]:
    """A node's name in both languages (data, not words: English falls back to the recorded name)."""
    return {"ja": display_name(G, node), "en": english_name(G, node)}


def _home_view(G: nx.MultiDiGraph, org: Any) -> nx.MultiDiGraph:
    """``G`` when it is a region's view already, else the view of ``org``'s region (seat first)."""
    if G.graph.get("region") or org not in G:
        return G
    regions = organisation_regions(G, org)
    return region_subgraph(G, regions[0]) if regions else G


def _of_another_region(G: nx.MultiDiGraph, node: Any) -> bool:
    """A programme or network whose ``region`` property names a region other than the view's."""
    own, view_region = G.nodes[node].get("region"), G.graph.get("region")
    return bool(own and view_region) and region_id(str(own)) != view_region


def _placing(G: nx.MultiDiGraph, node: Any, kind: str) -> list[Any]:
    return [t for _, t, d in G.out_edges(node, data=True) if d.get("type") == kind]


def place(G: nx.MultiDiGraph, node: Any) -> dict[str, Any]:
    """Where an organisation is, as the view knows it: ``kind`` ``seat`` (where it sits), ``serves``
    (the regions it serves from outside) or ``unknown``, and the places' ``names``; the surfaces say it
    (:func:`graph.words.place_text`)."""
    seats = _placing(G, node, "LOCATED_IN")
    if seats:
        return {"kind": "seat", "names": [_named(G, r) for r in seats]}
    served = _placing(G, node, "SERVES")
    if served:
        return {"kind": "serves", "names": [_named(G, r) for r in served]}
    return {"kind": "unknown", "names": []}


def delivery_bodies(G: nx.MultiDiGraph, H: nx.Graph, programme: Any) -> list[Any]:
    """The region's bodies that operate ``programme``: those seated in the region first, then those serving it.

    Only organisations of the organisation graph ``H`` (the region's own, in a region view) count,
    so a body of another region is never named as the local delivery body.
    """
    operators = [u for u, _, d in G.in_edges(programme, data=True) if d.get("type") == "OPERATES" and u in H]
    return sorted(operators, key=lambda u: (not _placing(G, u, "LOCATED_IN"), str(u)))


def _partners(
    G: nx.MultiDiGraph, H: nx.Graph, scorer: PartnerScorer, org: Any, uncovered: tuple[str, ...], top: int
) -> list[dict[str, Any]]:
    """Partners by fit, best first: each with at least one reason that is about fit or a near, non-hub path."""
    s = scorer.scores([org], {org: uncovered})[0]
    order = np.lexsort((np.array([str(v) for v in scorer.pool]), -s["score"]))
    out: list[dict[str, Any]] = []
    for j in order:
        if len(out) >= top:
            break
        if s["exclude"][j] or s["score"][j] <= 0:
            continue
        entry = _partner_entry(G, H, scorer, org, scorer.pool[j], s, int(j))
        if entry is not None:
            out.append(entry)
    return out


def _near_path(scorer: PartnerScorer, org: Any, cand: Any) -> list[Any]:
    """The shortest path from ``org`` to ``cand`` through no hub, when it is at most NEAR_STEPS long."""
    try:
        path = nx.shortest_path(scorer.local, org, cand)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []
    return path if 2 < len(path) <= NEAR_STEPS + 1 else []


def _partner_entry(
    G: nx.MultiDiGraph, H: nx.Graph, scorer: PartnerScorer, org: Any, cand: Any, s: Mapping[str, Any], j: int
) -> dict[str, Any] | None:
    """One partner with its reasons as codes and values, or None when nothing but distance joins them."""
    reasons: list[dict[str, Any]] = []
    industry = _industry_reason(scorer, org, cand, s["industry_kind"][j])
    if industry is not None:
        reasons.append(industry)
    shared_kw = sorted(scorer.keywords[org] & scorer.keywords[cand])
    shared = sorted(scorer.fields[org] & scorer.fields[cand])
    if shared_kw:
        reasons.append({"code": "keywords", "keywords": shared_kw[:4]})
    if shared:
        reasons.append({"code": "tech_fields", "fields": shared[:4]})
    role = H.nodes[cand]["role"]
    if s["need"][j] > 0 and reasons:
        reasons.append({"code": "phase_need"})
    path = _near_path(scorer, org, cand)
    if path:
        reasons.append({"code": "near", "via": [_named(G, v) for v in path[1:-1]]})
    if not reasons:
        return None
    where = place(G, cand)
    return {
        "id": cand,
        "name": display_name(G, cand),
        "role": role,
        "place": where,
        "score": float(s["score"][j]),
        "fit": {k: float(s[k][j]) for k in ("industry", "keywords", "field", "need", "proximity")},
        "field_similarity": float(s["field"][j]),
        "proximity": float(s["proximity"][j]),
        "shared_fields": shared,
        "shared_keywords": shared_kw,
        "reason_kinds": [_KIND_OF.get(r["code"], r["code"]) for r in reasons],
        "reasons": [{"code": "partner", "name": _named(G, cand), "role": role, "place": where}, *reasons],
    }


#: The reason kind a code is counted as (``reason_kinds``), where the two differ.
_KIND_OF: Final = {"ip_window": "ip_status", "runs": "programme", "programme_phase": "phase"}


def _industry_reason(scorer: PartnerScorer, org: Any, cand: Any, ikind: str) -> dict[str, Any] | None:
    """An industry reason: the same industry (its 中分類 code or 大分類 letter), or a complementary pair."""
    (la, _), (lb, mb) = scorer.letters[org], scorer.letters[cand]
    if ikind in ("same_middle", "same_major"):
        return {"code": "industry", "middle": mb, "letter": lb}
    if ikind == "complement":
        return {"code": "complement", "pair": complement_key(la, lb)}
    return None


def _support(
    G: nx.MultiDiGraph,
    H: nx.Graph,
    scorer: PartnerScorer,
    index: PhaseIndex,
    org: Any,
    uncovered: tuple[str, ...],
    tied: frozenset[Any],
    ip_supported: bool,
    who: str,
) -> list[dict[str, Any]]:
    """Support bodies for the uncovered phases (:func:`analytics.eligibility.bodies_for_need`), each once."""
    bodies = bodies_for_need(
        G, H, index, org, uncovered, tied=tied, hubs=scorer.hubs, ip_supported=ip_supported, who=who, limit=2
    )
    advisers = {c["body"] for c in index.coverage(org).values()} | (set(H[org]) if org in H else set())
    return [
        _support_entry(G, H, scorer, index, body, rank, uncovered, advisers) for rank, body in enumerate(bodies[:5])
    ]


def _support_entry(
    G: nx.MultiDiGraph,
    H: nx.Graph,
    scorer: PartnerScorer,
    index: PhaseIndex,
    body: Any,
    rank: int,
    uncovered: tuple[str, ...],
    advisers: set[Any],
) -> dict[str, Any]:
    """One support body with its reasons as codes and values: the phases it serves and why, then the
    IP window, a programme it runs, a warm introduction, the body it replaces."""
    b = body.id
    phases = tuple(p for p in uncovered if p in index.served.get(b, {}))
    where = place(G, b)
    why = _why(G, index.served[b][body.phase])
    head = {"code": "serves_phase", "name": _named(G, b), "place": where, "phases": list(phases), "why": why}
    reasons: list[dict[str, Any]] = [head]
    if body.why == "ip_window":
        reasons.append({"code": "ip_window"})
    if body.programme is not None and not index.served[b][body.phase].startswith("operates"):
        reasons.append({"code": "runs", "programme": _named(G, body.programme)})
    warm = sorted((a for a in advisers if a in H and a not in scorer.hubs and H.has_edge(a, b)), key=str)
    if warm:
        reasons.append({"code": "warm", "via": _named(G, warm[0])})
    if body.replaces is not None:
        reasons.append({"code": "replaces", "body": _named(G, body.replaces)})
    return {
        "id": b,
        "name": display_name(G, b),
        "phase": body.phase,
        "phases": list(phases),
        "score": round(1.0 - 0.1 * rank, 4),
        "place": where,
        "reason_kinds": [_KIND_OF.get(r["code"], r["code"]) for r in reasons if r["code"] != "replaces"],
        "reasons": reasons,
    }


def _programmes(
    G: nx.MultiDiGraph,
    H: nx.Graph,
    index: PhaseIndex,
    org: Any,
    uncovered: tuple[str, ...],
    who: str,
    ip_supported: bool,
) -> list[dict[str, Any]]:
    """Programmes the organisation may use, for its uncovered phases, never one it already used; each once."""
    used = programmes_used(G, org)
    mine = keywords_of(G.nodes[org]) | tech_fields_of(G, org)
    asking = _ProgrammeAsker(used, mine, uncovered, who, ip_supported)
    candidates = [
        c for prog, phases in index.programme_phases.items() if (c := _programme_candidate(G, H, prog, phases, asking))
    ]
    candidates.sort(key=lambda c: (-c[0], c[1]))
    return [_programme_entry(G, who, ip_supported, uncovered, *c) for c in candidates[:5]]


@dataclass(frozen=True)
class _ProgrammeAsker:
    """What :func:`_programmes` knows of the organisation: programmes it used, its keywords and fields,
    its uncovered phases, its participant class and whether it has IP support."""

    used: Any
    mine: AbstractSet[str]
    uncovered: tuple[str, ...]
    who: str
    ip_supported: bool


def _programme_candidate(
    G: nx.MultiDiGraph, H: nx.Graph, prog: Any, phases: tuple[str, ...], a: _ProgrammeAsker
) -> tuple[Any, ...] | None:
    """The score and facts of one programme for the organisation, or None when it serves no phase it
    needs, was used, belongs to another region or is not open to it."""
    # The uncovered phases it serves first; a firm with every phase covered may still use one that fits.
    hit = tuple(p for p in a.uncovered if p in phases) or tuple(p for p in PHASES if p in phases and a.uncovered == ())
    attrs = G.nodes[prog]
    if not hit or _unusable(G, prog, a):
        return None
    groups, inferred = target_groups(attrs)
    if not eligible(groups, a.who):
        return None
    fields = {str(f).lower() for f in (attrs.get("fields") or ())}
    ip_prog = bool(fields & IP_FIELD_WORDS) or _operated_by_ip_window(G, prog)
    operators = [b for b in delivery_bodies(G, H, prog) if not is_gone(G, b)]
    score = _programme_score(hit, a, bool(operators), ip_prog, bool(fields & a.mine))
    return (score, str(prog), prog, hit, groups, inferred, operators, ip_prog, fields & a.mine)


def _programme_score(hit: tuple[str, ...], a: _ProgrammeAsker, delivered: bool, ip_prog: bool, fits: bool) -> float:
    """Uncovered phases served (0.5 for all three), a delivery body in the region (0.2), IP help for a
    firm without IP support (0.2), and fields that match (0.1)."""
    score = (
        0.5 * len(set(hit) & set(a.uncovered)) / len(PHASES) + 0.2 * delivered + 0.2 * (ip_prog and not a.ip_supported)
    )
    return score + 0.1 * fits


def _unusable(G: nx.MultiDiGraph, prog: Any, a: _ProgrammeAsker) -> bool:
    """A programme the organisation used already (by id or by key), or one of another region."""
    return prog in a.used or programme_key(prog, G.nodes[prog]) in a.used or _of_another_region(G, prog)


def _operated_by_ip_window(G: nx.MultiDiGraph, prog: Any) -> bool:
    return any(
        d.get("type") == "OPERATES" and normalise_support_kind(G.nodes[u].get("support_kind")) == "ip_window"
        for u, _, d in G.in_edges(prog, data=True)
    )


def _programme_entry(
    G: nx.MultiDiGraph,
    who: str,
    ip_supported: bool,
    uncovered: tuple[str, ...],
    score: float,
    _key: str,
    prog: Any,
    hit: tuple[str, ...],
    groups: frozenset[str],
    inferred: bool,
    operators: list[Any],
    ip_prog: bool,
    matched: set[str],
) -> dict[str, Any]:
    gap = set(hit) <= set(uncovered)
    head = {"code": "programme_phase", "name": _named(G, prog), "phases": list(hit), "gap": gap}
    reasons: list[dict[str, Any]] = [head]
    named = [g for g in sorted(groups) if g in _GROUPS]
    if named and not inferred:
        reasons.append({"code": "eligibility", "groups": named, "size_unknown": who == "unknown"})
    if ip_prog and not ip_supported:
        reasons.append({"code": "ip_status"})
    if matched:
        reasons.append({"code": "fields", "fields": sorted(matched)})
    cost = G.nodes[prog].get("cost")
    if cost:
        reasons.append({"code": "cost", "cost": str(cost)})
    body = operators[0] if operators else None
    delivered_at = place(G, body) if body is not None else None
    if body is not None:
        reasons.append({"code": "delivered", "body": _named(G, body), "place": delivered_at})
    else:
        reasons.append({"code": "no_delivery"})
    return {
        "id": prog,
        "name": display_name(G, prog),
        "key": programme_key(prog, G.nodes[prog]),
        "phase": hit[0],
        "phases": list(hit),
        "score": round(float(score), 4),
        "delivered_by": body,
        **({"place": delivered_at} if delivered_at else {}),
        "reason_kinds": [_KIND_OF.get(r["code"], r["code"]) for r in reasons if r["code"] in _PROGRAMME_KINDS],
        "reasons": reasons,
    }


#: The target groups a programme's eligibility reason names.
_GROUPS: Final = ("large", "sme", "startup", "university")
#: The programme reasons counted in ``reason_kinds`` (cost and delivery are facts, not reasons).
_PROGRAMME_KINDS: Final = frozenset({"programme_phase", "eligibility", "ip_status", "fields"})


def _empty_reasons(
    G: nx.MultiDiGraph,
    scorer: PartnerScorer,
    org: Any,
    uncovered: tuple[str, ...],
    who: str,
    partners: list[Any],
    support: list[Any],
    programmes: list[Any],
) -> dict[str, dict[str, Any]]:
    """Why a list is empty, as a code and the values its sentence needs (only for the empty lists).

    Codes: ``partners_unmatched`` (a profiled organisation nobody fits), ``partners_unprofiled``
    (nothing recorded to fit on), ``all_covered`` (every phase has support), ``support_tied`` (every
    body serving the uncovered ``phases`` is tied already, or none is recorded), ``programmes_used``
    (the programmes for ``phases`` were used or are not open to ``who``). The surfaces say them
    (:func:`graph.words.empty_reason`).
    """
    out: dict[str, dict[str, Any]] = {}
    if not partners:
        out["partners"] = {"code": "partners_unmatched" if _profiled(G, scorer, org) else "partners_unprofiled"}
    if not uncovered:
        for key, items in (("support", support), ("programmes", programmes)):
            if not items:
                out[key] = {"code": "all_covered"}
        return out
    if not support:
        out["support"] = {"code": "support_tied", "phases": list(uncovered)}
    if not programmes:
        out["programmes"] = {"code": "programmes_used", "phases": list(uncovered), "who": who}
    return out


def _profiled(G: nx.MultiDiGraph, scorer: PartnerScorer, org: Any) -> bool:
    """Something to fit partners on is recorded: keywords, fields or an industry."""
    return bool(
        scorer.keywords.get(org)
        or scorer.fields.get(org)
        or scorer.letters.get(org, ("",))[0]
        or G.nodes[org].get("industry")
    )


def _partner_tie(G: nx.MultiDiGraph, u: Any, v: Any, data: dict[str, Any]) -> bool:
    roles = {r for n in (u, v) for r in G.nodes[n].get("labels", ())}
    return data.get("type") == "COLLABORATES_WITH" and "Company" in roles and bool(roles & set(PARTNER_ROLES))


def _firms_gaining(G: nx.MultiDiGraph, year: int) -> int:
    """Firms with a partner tie dated ``year`` or later."""
    firms: set[Any] = set()
    for u, v, d in G.edges(data=True):
        if _partner_tie(G, u, v, d) and (tie_year(d) or 0) >= year:
            firms.update(n for n in (u, v) if "Company" in (G.nodes[n].get("labels") or ()))
    return len(firms)


#: Baseline link predictors of the backtest (Liben-Nowell & Kleinberg 2007), on the training ties.
BASELINES: tuple[str, ...] = ("common_neighbours", "adamic_adar", "preferential_attachment", "random_scores")


def _baseline_scores(scorer: PartnerScorer, A: sp.csr_array, firm: Any, rng: np.random.Generator) -> dict[str, Any]:
    """Each baseline's score of every pool member for ``firm`` (A: the training graph's adjacency, hubs kept)."""
    i = scorer.index[firm]
    deg = np.asarray(A.sum(axis=1)).ravel()
    row = A[[i], :]
    cn = np.asarray((row @ A).todense()).ravel()[scorer.pool_idx]
    weights = np.where(deg > 1, 1.0 / np.log(np.maximum(deg, 2.0)), 0.0)
    aa = np.asarray((row @ sp.diags_array(weights) @ A).todense()).ravel()[scorer.pool_idx]
    pa = deg[i] * deg[scorer.pool_idx]
    return {
        "common_neighbours": cn,
        "adamic_adar": aa,
        "preferential_attachment": pa.astype(float),
        "random_scores": rng.random(len(scorer.pool)),
    }


@paused_gc()
def evaluate_time_split(
    G: nx.MultiDiGraph,
    *,
    test_year: int | None = None,
    top: int = 10,
    max_firms: int = 200,
    seed: int = 42,
    min_firms: int | None = None,
    resamples: int = 1000,
) -> dict[str, Any]:
    """Hide the ties dated from ``test_year`` on, rank partners from the rest, score the hidden ties.

    A tie's year is its ``fiscal_year``, else the year of its ``date`` or ``since``. Every
    relationship dated ``test_year`` or later is removed; ``test_year`` defaults to the latest year
    on any partner tie, or, with ``min_firms``, to the latest year from which at least that many
    firms gain a partner tie (so the figure rests on enough firms). The positives of a firm are the
    partners it gained a COLLABORATES_WITH tie with from the test year on and had no tie with before.
    For up to ``max_firms`` such firms (seeded sample) all partner-role organisations not already tied
    to it are ranked.

    Reported per scorer — the blend, its parts (fields, proximity), and the baselines of
    :data:`BASELINES` on the training ties (common neighbours, Adamic–Adar, preferential attachment,
    a seeded random score) — mean AUC (Hanley & McNeil 1982; ties count half) and mean
    precision@``top``, each with a 95% bootstrap interval over firms (``ci95``); ``random`` gives
    the chance levels. With few firms the intervals are wide: read them before the means.
    """
    dated = [(u, v, d) for u, v, d in G.edges(data=True) if _partner_tie(G, u, v, d) and tie_year(d)]
    if not dated:
        return {"test_year": None, "firms": 0, "note": "no COLLABORATES_WITH tie carries a year"}
    if test_year is None:
        test_year = _latest_test_year(G, dated, min_firms)
    train = _training_graph(G, test_year)
    H = organisation_graph(train)
    positives = _new_partners(G, H, test_year)
    firms = sorted(positives, key=str)
    if len(firms) > max_firms:
        firms = sorted(random.Random(seed).sample(firms, max_firms), key=str)
    if not firms:
        return {"test_year": test_year, "firms": 0, "note": "no new partner tie in the test year"}
    results, chance = _scored_firms(PartnerScorer(train, H), H, firms, positives, top, seed)
    p_key = f"precision_at_{top}"
    boot = np.random.default_rng(seed)
    draws = [boot.integers(0, len(chance), len(chance)) for _ in range(resamples)] if chance else []
    ci95 = {key: _bootstrap(rows, draws, p_key) for key, rows in results.items() if rows}
    return clean(
        {
            "test_year": test_year,
            "firms": len(chance),
            "scores": _summary(results, chance, p_key),
            "ci95": ci95,
            "top": top,
            "resamples": resamples,
        }
    )


def _latest_test_year(G: nx.MultiDiGraph, dated: list[tuple[Any, Any, dict]], min_firms: int | None) -> int:
    """The latest year on a partner tie; with ``min_firms``, the latest from which that many firms gain one."""
    years = sorted({tie_year(d) or 0 for _, _, d in dated}, reverse=True)
    if min_firms is None:
        return years[0]
    return next((y for y in years if _firms_gaining(G, y) >= min_firms), years[-1])


def _training_graph(G: nx.MultiDiGraph, test_year: int) -> nx.MultiDiGraph:
    """``G`` without the relationships dated ``test_year`` or later (undated ones are kept)."""
    train = nx.MultiDiGraph()
    train.graph.update(G.graph)
    train.add_nodes_from(G.nodes(data=True))
    train.add_edges_from((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if (tie_year(d) or 0) < test_year)
    return train


def _new_partners(G: nx.MultiDiGraph, H: nx.Graph, test_year: int) -> dict[Any, set[Any]]:
    """Per firm, the partners it gained a partner tie with from ``test_year`` on and had none with before."""
    positives: dict[Any, set[Any]] = {}
    for u, v, d in G.edges(data=True):
        if (tie_year(d) or 0) < test_year or not _partner_tie(G, u, v, d) or u not in H or v not in H:
            continue
        for firm, partner in ((u, v), (v, u)):
            if "Company" in G.nodes[firm].get("labels", ()) and not H.has_edge(firm, partner):
                positives.setdefault(firm, set()).add(partner)
    return positives


#: The scorers a backtest reports: the blend, its parts, and the baselines.
_BACKTEST_KEYS: Final = ("blend", "fields", "proximity", *BASELINES)


def _scored_firms(
    scorer: PartnerScorer, H: nx.Graph, firms: list[Any], positives: dict[Any, set[Any]], top: int, seed: int
) -> tuple[dict[str, list[tuple[float, float]]], list[float]]:
    """(AUC, precision@top) of every scorer for each firm with both hits and misses, and each such
    firm's chance level (the share of hits among its candidates)."""
    A_full = adjacency_matrix(H, scorer.nodes)
    rng = np.random.default_rng(seed)
    results: dict[str, list[tuple[float, float]]] = {k: [] for k in _BACKTEST_KEYS}
    chance: list[float] = []
    for start in range(0, len(firms), 64):
        batch = firms[start : start + 64]
        for firm, s in zip(batch, scorer.scores(batch), strict=True):
            keep = ~s["exclude"]
            hit = np.zeros(len(scorer.pool), dtype=bool)
            hit[[scorer.pool_pos[v] for v in positives[firm] if v in scorer.pool_pos]] = True
            labels = hit[keep]
            if labels.all() or not labels.any():
                continue
            chance.append(float(labels.mean()))
            scored = {"blend": s["score"], "fields": np.maximum(s["field"], s["keywords"]), "proximity": s["proximity"]}
            scored.update(_baseline_scores(scorer, A_full, firm, rng))
            for key in _BACKTEST_KEYS:
                results[key].append(_auc_precision(np.asarray(scored[key])[keep], labels, top))
    return results, chance


def _summary(results: dict[str, list[tuple[float, float]]], chance: list[float], p_key: str) -> dict[str, Any]:
    """Mean AUC and precision per scorer (the blend and its parts first, then the baselines, then chance)."""

    def means(rows: list[tuple[float, float]]) -> dict[str, float]:
        return {"auc": float(np.mean([r[0] for r in rows])), p_key: float(np.mean([r[1] for r in rows]))}

    summary = {key: means(rows) for key, rows in results.items() if rows and key in ("blend", "fields", "proximity")}
    summary.update({key: means(rows) for key, rows in results.items() if rows and key in BASELINES})
    summary["random"] = {"auc": 0.5, p_key: float(np.mean(chance)) if chance else 0.0}
    return summary


def _bootstrap(rows: list[tuple[float, float]], draws: list[np.ndarray], p_key: str) -> dict[str, list[float]]:
    """95% percentile intervals of the mean AUC and mean precision over firms, from shared resamples."""
    values = np.array(rows)
    out: dict[str, list[float]] = {}
    for col, name in ((0, "auc"), (1, p_key)):
        means = np.array([values[idx, col].mean() for idx in draws]) if draws else np.array([values[:, col].mean()])
        out[name] = [float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))]
    return out


def _auc_precision(scores: np.ndarray, labels: np.ndarray, top: int) -> tuple[float, float]:
    # Imported here: scipy.stats takes seconds to import (most of `ipeco analyze`'s start, and the
    # first node click on the map), and only this backtest, never a suggestion, ranks with it.
    from scipy.stats import rankdata

    ranks = rankdata(scores)
    pos = labels.sum()
    neg = len(labels) - pos
    auc = (ranks[labels].sum() - pos * (pos + 1) / 2) / (pos * neg)
    order = np.argsort(-scores, kind="stable")[:top]
    return float(auc), float(labels[order].sum() / top)
