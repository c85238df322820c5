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
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from analytics.fast import paused_gc
from analytics.measures import clean
from analytics.orggraph import (
    adjacency_matrix,
    display_name,
    english_name,
    organisation_graph,
    programme_key,
    tech_fields_of,
)
from analytics.phases import PhaseIndex
from graph.schema import PHASE_LABELS, PHASES, ROLE_LABEL_NAMES
from graph.scope import organisation_regions, region_id, region_key, region_subgraph

__all__ = [
    "FIELD_WEIGHT",
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
#: Partner score = FIELD_WEIGHT × Jaccard + (1 − FIELD_WEIGHT) × proximity / max proximity.
FIELD_WEIGHT = 0.6


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


def _jaccard(a: set[str], b: set[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


class PartnerScorer:
    """Shared by ``recommend`` and ``evaluate_time_split``: fields, proximity and partner pool.

    Built from a graph and its organisation graph; it depends on nothing else, so one scorer per
    region view serves every organisation's suggestions (``AnalysisService`` keeps one per region
    and data version instead of rebuilding it on each node click). Read-only once built.
    """

    def __init__(self, G: nx.MultiDiGraph, H: nx.Graph) -> None:
        self.G, self.H = G, H
        self.nodes = list(H)
        self.index = {node: i for i, node in enumerate(self.nodes)}
        self.A = adjacency_matrix(H, self.nodes)
        self.fields = {node: tech_fields_of(G, node) for node in self.nodes}
        self.pool = [v for v in self.nodes if H.nodes[v]["role"] in PARTNER_ROLES]
        self.pool_idx = np.array([self.index[v] for v in self.pool], dtype=np.int64)
        self.pool_pos = {v: j for j, v in enumerate(self.pool)}
        codes = sorted({c for v in self.pool for c in self.fields[v]} | {c for fs in self.fields.values() for c in fs})
        self.code_col = {c: i for i, c in enumerate(codes)}
        rows = [j for j, v in enumerate(self.pool) for _ in self.fields[v]]
        cols = [self.code_col[c] for v in self.pool for c in self.fields[v]]
        self.F = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(self.pool), max(len(codes), 1)))
        self.sizes = np.asarray(self.F.sum(axis=1)).ravel()

    def field_similarity(self, org: Any) -> np.ndarray:
        """Jaccard similarity of ``org``'s fields with every pool member's (sparse, vectorised)."""
        mine = np.zeros(self.F.shape[1])
        for c in self.fields[org]:
            mine[self.code_col[c]] = 1.0
        inter = self.F @ mine
        union = self.sizes + mine.sum() - inter
        return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)

    def excluded(self, org: Any) -> np.ndarray:
        """Pool members that are ``org`` itself or already tied to it."""
        mask = np.zeros(len(self.pool), dtype=bool)
        for v in (org, *self.H[org]):
            if v in self.pool_pos:
                mask[self.pool_pos[v]] = True
        return mask

    def scores(self, orgs: list[Any]) -> list[dict[str, np.ndarray]]:
        ppr = personalized_pagerank(self.A, np.array([self.index[o] for o in orgs], dtype=np.int64))
        out = []
        for j, org in enumerate(orgs):
            field = self.field_similarity(org)
            prox = ppr[self.pool_idx, j]
            exclude = self.excluded(org)
            prox_pool = np.where(exclude, 0.0, prox)
            top = prox_pool.max() if len(prox_pool) else 0.0
            prox_norm = prox_pool / top if top > 0 else np.zeros_like(prox_pool)
            score = FIELD_WEIGHT * field + (1 - FIELD_WEIGHT) * prox_norm
            out.append({"field": field, "proximity": prox_norm, "score": score, "exclude": exclude, "ppr": ppr[:, j]})
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
        Partners returned; support bodies are up to 3 per uncovered phase, programmes up to 3 per
        uncovered phase.
    H, scorer, index
        Optional prebuilt inputs: ``G``'s organisation graph (:func:`analytics.orggraph.organisation_graph`),
        a :class:`PartnerScorer` of ``G`` and ``H``, and ``G``'s :class:`analytics.phases.PhaseIndex`.
        Building them is most of the time of a call (0.1–0.7 s a region), and they depend on the
        region only, so a caller that advises many organisations of one region (the map's detail
        panel, through ``AnalysisService.recommendations``) builds them once. When any is given,
        ``G`` must be a region's view (``G.graph["region"]`` set) and each was built from ``G``;
        the result is then the same as without them.

    Returns
    -------
    dict
        ``{"org", "name", "uncovered_phases": [...], "partners": [{"id", "name", "role", "score",
        "field_similarity", "proximity", "shared_fields", "reasons": {"ja", "en"}}], "support":
        [{"id", "name", "phase", "score", "reasons"}], "programmes": [{"id", "name", "phase",
        "score", "reasons"}], "method": {...}}``.
    """
    G, H, scorer, index = _inputs(G, org_id, H, scorer, index)
    s = scorer.scores([org_id])[0]
    name = display_name(G, org_id)
    order = np.lexsort((np.array([str(v) for v in scorer.pool]), -s["score"]))
    partners: list[dict[str, Any]] = []
    for j in order:
        if len(partners) >= top:
            break
        if s["exclude"][j] or s["score"][j] <= 0:
            continue
        cand = scorer.pool[j]
        shared = sorted(scorer.fields[org_id] & scorer.fields[cand])
        partners.append(_partner_entry(G, H, org_id, cand, shared, s, j))
    covered = index.coverage(org_id)
    uncovered = [p for p in PHASES if p not in covered]
    current = {c["body"] for c in covered.values()}
    # Bodies already tied to one of the firm's advisers can be reached by a warm introduction.
    referred = {v for b in current if b in H for v in H[b]} - {org_id}
    ppr = s["ppr"]
    top_ppr = max((ppr[scorer.index[b]] for b in index.served if b in scorer.index), default=0.0) or 1.0
    support, programmes = [], []
    for phase in uncovered:
        ph_ja, ph_en = PHASE_LABELS[phase]
        bodies = [b for b in H if phase in index.served.get(b, {}) and b != org_id]
        ranked = sorted(
            bodies,
            key=lambda b: (-(0.5 + 0.3 * (b in referred) + 0.2 * ppr[scorer.index[b]] / top_ppr), str(b)),
        )[:3]
        for b in ranked:
            score = 0.5 + 0.3 * (b in referred) + 0.2 * ppr[scorer.index[b]] / top_ppr
            where = place(G, b)
            why_ja, why_en = _why(G, index.served[b][phase])
            bn = display_name(G, b)
            warm_ja = "。いまの支援機関とつながりがあり、紹介を頼めます" if b in referred else ""
            warm_en = "; it is tied to one of your current advisers, who can introduce you" if b in referred else ""
            support.append(
                {
                    "id": b,
                    "name": bn,
                    "phase": phase,
                    "score": float(score),
                    "place": where,
                    "reasons": {
                        "ja": f"{bn}（{where['ja']}）は{ph_ja}を支援しています（{why_ja}）{warm_ja}。",
                        "en": f"{english_name(G, b)} ({where['en']}) serves the {ph_en.lower()} phase "
                        f"({why_en}){warm_en}.",
                    },
                }
            )
        joined = {v for _, v, d in G.out_edges(org_id, data=True) if d.get("type") == "PARTICIPATES_IN"}
        candidates = []
        for prog, phases in index.programme_phases.items():
            if phase not in phases or prog in joined or _of_another_region(G, prog):
                continue
            operators = delivery_bodies(G, H, prog)
            candidates.append((0.8 if operators else 0.5, str(prog), prog, operators))
        for score, _, prog, operators in sorted(candidates, key=lambda c: (-c[0], c[1]))[:3]:
            pn = display_name(G, prog)
            body = operators[0] if operators else None
            delivered_at = place(G, body) if body is not None else None
            local_ja = (
                f"地域では {display_name(G, body)}（{delivered_at['ja']}）が実施しています"
                if body is not None and delivered_at
                else "地域の実施機関は未確認です"
            )
            local_en = (
                f"delivered in the region by {english_name(G, body)} ({delivered_at['en']})"
                if body is not None and delivered_at
                else "no delivery body in the region is recorded"
            )
            programmes.append(
                {
                    "id": prog,
                    "name": pn,
                    "key": programme_key(prog, G.nodes[prog]),
                    "phase": phase,
                    "score": score,
                    "delivered_by": body,
                    **({"place": delivered_at} if delivered_at else {}),
                    "reasons": {
                        "ja": f"{pn} は{ph_ja}向けの制度で、{local_ja}。",
                        "en": f"{english_name(G, prog)} covers the {ph_en.lower()} phase; {local_en}.",
                    },
                }
            )
    return clean(
        {
            "org": org_id,
            "name": name,
            "region": region_key(str(G.graph["region"])) if G.graph.get("region") else None,
            "uncovered_phases": uncovered,
            "partners": partners,
            "support": support,
            "programmes": programmes,
            "method": {
                "partner_score": (
                    f"{FIELD_WEIGHT} × Jaccard(tech fields) + {1 - FIELD_WEIGHT:.1f} × personalised PageRank / max"
                ),
                "note": (
                    "common-neighbour scores are ~0 across the firm–support bipartite split; "
                    "personalised PageRank counts the longer paths"
                ),
            },
        }
    )


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


def _why(G: nx.MultiDiGraph, reason: str) -> tuple[str, str]:
    """The phase index's reason (``support_kind yorozu``, ``operates prog:x``) in words a user reads."""
    from analytics.gaps import KIND_NAMES

    head, _, rest = reason.partition(" ")
    if head == "support_kind":
        ja, en = KIND_NAMES.get(rest, (rest, rest))
        return f"{ja}として", f"as {'an' if en[:1].lower() in 'aeiou' else 'a'} {en}"
    if head == "operates" and rest in G:
        return f"{display_name(G, rest)} を実施", f"runs {english_name(G, rest)}"
    if head == "role" and rest in ROLE_LABEL_NAMES:
        ja, en = ROLE_LABEL_NAMES[rest]
        return f"{ja}として", f"as {'an' if en[:1].lower() in 'aeiou' else 'a'} {en.lower()}"
    return "この段階の企業を支援した記録があります", "it has supported firms in this phase"


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


def place(G: nx.MultiDiGraph, node: Any) -> dict[str, str]:
    """Where an organisation is, as the view knows it: its seat, or the region it serves from outside."""
    seats = _placing(G, node, "LOCATED_IN")
    if seats:
        return {
            "ja": "・".join(display_name(G, r) for r in seats),
            "en": ", ".join(str(G.nodes[r].get("name_en") or display_name(G, r)) for r in seats),
        }
    served = _placing(G, node, "SERVES")
    if served:
        ja = "・".join(display_name(G, r) for r in served)
        en = ", ".join(str(G.nodes[r].get("name_en") or display_name(G, r)) for r in served)
        return {"ja": f"{ja}を域外から担当", "en": f"serves {en} from outside"}
    return {"ja": "所在地未登録", "en": "location not recorded"}


def delivery_bodies(G: nx.MultiDiGraph, H: nx.Graph, programme: Any) -> list[Any]:
    """The region's bodies that operate ``programme``: those seated in the region first, then those serving it.

    Only organisations of the organisation graph ``H`` (the region's own, in a region view) count,
    so a body of another region is never named as the local delivery body.
    """
    operators = [u for u, _, d in G.in_edges(programme, data=True) if d.get("type") == "OPERATES" and u in H]
    return sorted(operators, key=lambda u: (not _placing(G, u, "LOCATED_IN"), str(u)))


def _partner_entry(G, H, org, cand, shared, s, j) -> dict[str, Any]:
    cn = display_name(G, cand)
    role = H.nodes[cand]["role"]
    role_ja, role_en = ROLE_LABEL_NAMES[role]
    try:
        path = nx.shortest_path(H, org, cand)
    except nx.NetworkXNoPath:
        path = []
    reasons_ja, reasons_en = [], []
    if shared:
        reasons_ja.append(f"技術分野 {', '.join(shared)} が共通（Jaccard {s['field'][j]:.2f}）")
        reasons_en.append(f"shares fields {', '.join(shared)} (Jaccard {s['field'][j]:.2f})")
    if len(path) > 2:
        via = [display_name(G, v) for v in path[1:-1]]
        via_en = [english_name(G, v) for v in path[1:-1]]
        reasons_ja.append(f"{len(path) - 1} ステップ先（{' → '.join(via)} 経由）")
        reasons_en.append(f"{len(path) - 1} steps away via {' → '.join(via_en)}")
    elif not path:
        reasons_ja.append("ネットワーク上の経路はまだありません")
        reasons_en.append("no path in the network yet")
    where = place(G, cand)
    return {
        "id": cand,
        "name": cn,
        "role": role,
        "place": where,
        "score": float(s["score"][j]),
        "field_similarity": float(s["field"][j]),
        "proximity": float(s["proximity"][j]),
        "shared_fields": shared,
        "reasons": {
            "ja": f"{cn}（{role_ja}、{where['ja']}）: " + "、".join(reasons_ja),
            "en": f"{english_name(G, cand)} ({role_en.lower()}, {where['en']}): " + "; ".join(reasons_en),
        },
    }


def _partner_tie(G: nx.MultiDiGraph, u: Any, v: Any, data: dict[str, Any]) -> bool:
    roles = {r for n in (u, v) for r in G.nodes[n].get("labels", ())}
    return data.get("type") == "COLLABORATES_WITH" and "Company" in roles and bool(roles & set(PARTNER_ROLES))


@paused_gc()
def evaluate_time_split(
    G: nx.MultiDiGraph, *, test_year: int | None = None, top: int = 10, max_firms: int = 200, seed: int = 42
) -> dict[str, Any]:
    """Hide the latest fiscal year's ties, rank partners from the rest, score the hidden ties.

    Every relationship with ``fiscal_year >= test_year`` is removed (``test_year`` defaults to the
    latest year on any COLLABORATES_WITH tie); the positives of a firm are the partners it gained
    a COLLABORATES_WITH tie with in the test year and had no tie with before. For up to
    ``max_firms`` such firms (seeded sample) all partner-role organisations not already tied to it
    are ranked. Reported per scorer (the blend, fields only, proximity only): mean AUC (Hanley &
    McNeil 1982; ties count half) and mean precision@``top``; ``random`` gives the chance levels.
    """
    years = [d["fiscal_year"] for u, v, d in G.edges(data=True) if _partner_tie(G, u, v, d) and d.get("fiscal_year")]
    if not years:
        return {"test_year": None, "firms": 0, "note": "no COLLABORATES_WITH tie carries a fiscal_year"}
    test_year = max(years) if test_year is None else test_year
    train = nx.MultiDiGraph()
    train.graph.update(G.graph)
    train.add_nodes_from(G.nodes(data=True))
    train.add_edges_from(
        (u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if (d.get("fiscal_year") or 0) < test_year
    )
    H = organisation_graph(train)
    positives: dict[Any, set[Any]] = {}
    for u, v, d in G.edges(data=True):
        if (d.get("fiscal_year") or 0) < test_year or not _partner_tie(G, u, v, d) or u not in H or v not in H:
            continue
        for firm, partner in ((u, v), (v, u)):
            if "Company" in G.nodes[firm].get("labels", ()) and not H.has_edge(firm, partner):
                positives.setdefault(firm, set()).add(partner)
    firms = sorted(positives, key=str)
    if len(firms) > max_firms:
        firms = sorted(random.Random(seed).sample(firms, max_firms), key=str)
    if not firms:
        return {"test_year": test_year, "firms": 0, "note": "no new partner tie in the test year"}
    scorer = PartnerScorer(train, H)
    results: dict[str, list[tuple[float, float]]] = {"blend": [], "fields": [], "proximity": []}
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
            for key, values in (("blend", s["score"]), ("fields", s["field"]), ("proximity", s["proximity"])):
                results[key].append(_auc_precision(values[keep], labels, top))
    summary = {
        key: {"auc": float(np.mean([r[0] for r in rows])), f"precision_at_{top}": float(np.mean([r[1] for r in rows]))}
        for key, rows in results.items()
        if rows
    }
    summary["random"] = {"auc": 0.5, f"precision_at_{top}": float(np.mean(chance)) if chance else 0.0}
    return clean({"test_year": test_year, "firms": len(chance), "scores": summary, "top": top})


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
