# ruff: noqa: N803, N806  (G, H, A, P: graph and matrix names as in the literature)
"""Gaps a producer can act on (DESIGN §4), each explained in Japanese and English with its evidence.

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
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from analytics.measures import clean, region_view
from analytics.orggraph import display_name, organisation_graph, programme_key, role_of, tech_fields_of
from analytics.phases import PhaseIndex, normalise_support_kind
from analytics.structure import cut_structure
from graph.schema import PHASE_LABELS, PHASES, ROLE_LABEL_NAMES
from graph.views import region_id

__all__ = [
    "ENGAGEMENT_TIES",
    "EXPECTED_ROLES",
    "GAP_KINDS",
    "KIND_NAMES",
    "LIAISON_PAIRS",
    "completeness",
    "find_gaps",
    "rank_gaps",
]

GAP_KINDS: tuple[str, ...] = ("missing_role", "liaison", "fragile_bridge", "phase_coverage", "isolated", "unmet_match")

#: Names of support kinds in explanations (ja, en).
KIND_NAMES: dict[str, tuple[str, str]] = {
    "ip_window": ("INPIT 知財総合支援窓口", "INPIT IP support window"),
    "yorozu": ("よろず支援拠点", "Yorozu support centre"),
    "jetro": ("ジェトロ (JETRO)", "JETRO office"),
    "invention_association": ("発明協会", "invention association"),
    "chamber": ("商工会議所", "chamber of commerce"),
    "sme_center": ("中小企業支援センター", "SME support centre"),
    "smrj": ("中小機構", "SMRJ"),
    "cluster": ("クラスター推進機関", "cluster body"),
    "incubator": ("インキュベータ", "incubator"),
    "ip_support": ("知的財産支援センター", "IP support centre"),
}


def _kind(G: nx.MultiDiGraph, node: Any) -> str | None:
    return normalise_support_kind(G.nodes[node].get("support_kind"))


def _operated(G: nx.MultiDiGraph) -> dict[Any, set[str]]:
    """Programme keys each organisation OPERATES, built once per report."""
    out: dict[Any, set[str]] = {}
    for u, v, d in G.edges(data=True):
        if d.get("type") == "OPERATES":
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


#: Bodies the network expects every region to be tied to: key, (ja, en) name, phase, who qualifies,
#: who counts as "of that kind" when nobody qualifies (to say "present but untied").
EXPECTED_ROLES: tuple[tuple[str, tuple[str, str], str | None, Callable, Callable], ...] = (
    ("ip_window", KIND_NAMES["ip_window"], None, _has_kind("ip_window"), _has_kind("ip_window")),
    ("yorozu", KIND_NAMES["yorozu"], None, _has_kind("yorozu"), _has_kind("yorozu")),
    ("jetro", KIND_NAMES["jetro"], "expansion", _has_kind("jetro"), _has_kind("jetro")),
    (
        "ip_finance_bank",
        ("知財金融に取り組む金融機関", "a bank in IP finance (知財金融)"),
        "ideation",
        _ip_finance_bank,
        lambda G, n, ops: role_of(G.nodes[n]) == "FinancialInstitution",
    ),
    (
        "research_partner",
        ("企業と連携する大学・公設試", "a university or public research institute working with firms"),
        "launch",
        _research_partner,
        lambda G, n, ops: role_of(G.nodes[n]) in ("University", "ResearchInstitute"),
    ),
    (
        "patent_attorney",
        ("弁理士会・特許事務所", "patent attorneys (JPAA chapter or firm)"),
        "ideation",
        lambda G, n, ops: role_of(G.nodes[n]) == "ProfessionalBody",
        lambda G, n, ops: role_of(G.nodes[n]) == "ProfessionalBody",
    ),
)

#: Ties that show a body at work in the region (a missing role is about engagement, not presence):
#: ``PART_OF`` (a branch of a national body) and ``LOCATED_IN``/``SERVES`` say only that it exists.
ENGAGEMENT_TIES: frozenset[str] = frozenset({"SUPPORTS", "REFERS_TO", "COLLABORATES_WITH", "FINANCES"})

#: Support kinds that should refer clients to each other: (kind a, kind b, phase, score, why).
LIAISON_PAIRS: tuple[tuple[str, str, str | None, float, str], ...] = (
    ("yorozu", "ip_window", None, 0.9, "JPO deck: よろず支援拠点 and 知財総合支援窓口 are to work as one"),
    ("ip_window", "jetro", "expansion", 0.6, "overseas filing and infringement support run through JETRO"),
    ("ip_window", "invention_association", "ideation", 0.6, "発明協会 runs IP awareness and first filings"),
)


def _names(G: nx.Graph, nodes: list[Any], limit: int = 3) -> str:
    shown = [display_name(G, n) for n in nodes[:limit]]
    more = len(nodes) - len(shown)
    return "、".join(shown) + (f" ほか{more}" if more > 0 else "")


def _names_en(G: nx.Graph, nodes: list[Any], limit: int = 3) -> str:
    shown = [display_name(G, n) for n in nodes[:limit]]
    more = len(nodes) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _tie_evidence(G: nx.MultiDiGraph, u: Any, v: Any, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "from": u,
        "to": v,
        "type": data.get("type"),
        "source": data.get("source"),
        "evidence": data.get("evidence") or "",
        "synthetic": bool(data.get("synthetic")),
    }


def completeness(view: nx.MultiDiGraph, H: nx.Graph | None = None) -> dict[str, Any]:
    """Data completeness of a region view, to be read beside every gap.

    ``tied_share``: organisations with at least one tie to another organisation of the region;
    ``synthetic_node_share`` / ``synthetic_edge_share``: generated demo data in the view;
    ``untied_by_role``: organisations without ties per role; ``caveat``: ja/en text.
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
        "caveat": {
            "ja": (
                f"他組織とのつながりが記録されている組織は{share:.0%}です。つながりがないことは、"
                "データが未収集なだけかもしれません。ギャップは確認すべき候補として扱ってください。"
            ),
            "en": (
                f"{share:.0%} of organisations have a recorded tie to another organisation. A missing tie "
                "may only be missing data: treat each gap as a lead to check, not as a fact."
            ),
        },
    }


def find_gaps(
    G: nx.MultiDiGraph,
    region: str,
    *,
    max_matches_per_firm: int = 3,
    min_cut_off: int = 2,
    H: nx.Graph | None = None,
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

    Returns
    -------
    dict
        ``{"region", "gaps": [{"kind", "subjects", "phase", "explanation": {"ja", "en"},
        "evidence": [...], "score", "rank"}], "counts": {kind: n}, "completeness": {...}}``.
    """
    view = region_view(G, region)
    H = organisation_graph(view) if H is None else H
    index = PhaseIndex(view)
    gaps: list[dict[str, Any]] = []
    gaps += _missing_roles(view, H)
    gaps += _liaison(view, H)
    gaps += _fragile(view, H, min_cut_off)
    coverage = {node: index.coverage(node) for node in H if H.nodes[node]["role"] == "Company"}
    gaps += _phase_coverage(view, H, index, coverage)
    gaps += _isolated(view, H)
    gaps += _unmet(view, H, coverage, max_matches_per_firm)
    gaps = rank_gaps(gaps)
    counts = {kind: sum(1 for g in gaps if g["kind"] == kind) for kind in GAP_KINDS}
    return clean(
        {
            "region": region_id(region).removeprefix("region:"),
            "gaps": gaps,
            "counts": counts,
            "completeness": completeness(view, H),
        }
    )


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


def _gap(kind: str, subjects: list[Any], phase: str | None, ja: str, en: str, evidence: list, score: float) -> dict:
    return {
        "kind": kind,
        "subjects": subjects,
        "phase": phase,
        "explanation": {"ja": ja, "en": en},
        "evidence": evidence,
        "score": round(float(score), 6),
    }


def _missing_roles(view: nx.MultiDiGraph, H: nx.Graph) -> list[dict]:
    local = set(H)
    orgs = [n for n, d in view.nodes(data=True) if "Organization" in d.get("labels", ())]
    ops = _operated(view)
    out = []
    for key, (ja_name, en_name), phase, qualifies, of_kind in EXPECTED_ROLES:
        tied_bodies, untied_bodies = [], []
        for node in orgs:
            if not of_kind(view, node, ops):
                continue
            # A body outside the region counts only through work with the region's organisations
            # (support, finance, collaboration), not through referrals among support bodies: INPIT
            # serves every region, and its referral to ジェトロ神戸 is no JETRO tie for Aomori.
            ties = [
                (u, v, d)
                for u, v, d in [*view.out_edges(node, data=True), *view.in_edges(node, data=True)]
                if d.get("type") in ENGAGEMENT_TIES
                and (v if u == node else u) in local
                and (v if u == node else u) != node
                and (node in local or d.get("type") != "REFERS_TO")
            ]
            if ties and qualifies(view, node, ops):
                tied_bodies.append(node)
            elif node in local:
                untied_bodies.append(node)
        if tied_bodies:
            continue
        ph_ja = f"（{PHASE_LABELS[phase][0]}）" if phase else ""
        ph_en = f" ({PHASE_LABELS[phase][1].lower()} phase)" if phase else ""
        if untied_bodies:
            ja = (
                f"{_names(view, untied_bodies)} は記録されていますが、{ja_name}{ph_ja}としての地域の組織との"
                f"つながりが見当たりません。producerチームへの参加や紹介ルートの確認を検討してください。"
            )
            en = (
                f"{_names_en(view, untied_bodies)} {'is' if len(untied_bodies) == 1 else 'are'} recorded, but no tie "
                f"to the region's organisations as {en_name}{ph_en} is: consider bringing "
                f"{'it' if len(untied_bodies) == 1 else 'them'} into the producer team or checking referral routes."
            )
            evidence = [{"node": n, "source": view.nodes[n].get("source"), "tied": False} for n in untied_bodies]
            out.append(_gap("missing_role", [key, *untied_bodies], phase, ja, en, evidence, 0.8))
        else:
            ja = f"地域に{ja_name}{ph_ja}とのつながりが記録されていません。担当機関を特定し、連携を働きかけてください。"
            en = f"No tie to {en_name}{ph_en} is recorded in the region: identify the body and approach it."
            out.append(_gap("missing_role", [key], phase, ja, en, [], 1.0))
    return out


def _own_kind(key: str) -> Callable[[nx.MultiDiGraph, Any, dict], bool]:
    """A body *is* of a kind by its own ``support_kind``; only a body without one is judged by what it
    OPERATES. So INPIT (``ip_agency``), which owns the national 知財総合支援窓口 programme, is not
    the region's window operator, and its referrals do not stand in for the local operator's."""

    def test(G: nx.MultiDiGraph, node: Any, ops: dict) -> bool:
        own = _kind(G, node)
        return own == key if own else key in ops.get(node, ())

    return test


def _bodies_of_kind(view: nx.MultiDiGraph, H: nx.Graph, kind: str, ops: dict) -> list[Any]:
    return [n for n in H if H.nodes[n]["role"] == "SupportOrganization" and _own_kind(kind)(view, n, ops)]


def _liaison(view: nx.MultiDiGraph, H: nx.Graph) -> list[dict]:
    out = []
    ops = _operated(view)
    referral: dict[Any, set[Any]] = {}
    for u, v, d in view.edges(data=True):
        if d.get("type") == "REFERS_TO":
            referral.setdefault(u, set()).add(v)
            referral.setdefault(v, set()).add(u)
    for kind_a, kind_b, phase, score, why in LIAISON_PAIRS:
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
            other_ties = [
                _tie_evidence(view, a, b, d)
                for p in partners
                for a, b in ((body, p), (p, body))
                for d in view.get_edge_data(a, b, default={}).values()
            ]
            na_ja, na_en = KIND_NAMES.get(kind_a, (kind_a, kind_a))
            nb_ja, nb_en = KIND_NAMES.get(kind_b, (kind_b, kind_b))
            ja = (
                f"{display_name(view, body)}（{na_ja}）と {_names(view, partners)}（{nb_ja}）の間に紹介・連携の"
                f"つながりが記録されていません。相互紹介の窓口を決め、定例の情報共有を始めてください。"
            )
            en = (
                f"No referral tie is recorded between {display_name(view, body)} ({na_en}) and "
                f"{_names_en(view, partners)} ({nb_en}): agree on contact points for mutual referral and a regular "
                f"exchange. Why: {why}."
            )
            evidence = other_ties or [{"node": body, "source": view.nodes[body].get("source"), "referrals": 0}]
            out.append(_gap("liaison", [body, *partners[:3]], phase, ja, en, evidence, score))
    return out


def _fragile(view: nx.MultiDiGraph, H: nx.Graph, min_cut_off: int) -> list[dict]:
    n = max(H.number_of_nodes(), 1)
    cuts = cut_structure(H)
    out = []
    for node, parts in cuts.articulation_points.items():
        cut_off = sum(parts[1:])
        if cut_off < min_cut_off:
            continue
        name = display_name(view, node)
        ja = (
            f"{name} がいなくなると、{cut_off} の組織が地域ネットワークの残り（{parts[0]} 組織）から切り離されます。"
            f"{name} 以外の経路（別の支援機関からの紹介など）を用意してください。"
        )
        en = (
            f"If {name} dropped out, {cut_off} organisations would be cut off from the rest of the network "
            f"({parts[0]} organisations): build a second route to them, e.g. a referral from another body."
        )
        evidence = [{"node": node, "degree": H.degree(node), "pieces": parts, "source": view.nodes[node].get("source")}]
        out.append(_gap("fragile_bridge", [node], None, ja, en, evidence, 0.5 + 0.5 * cut_off / n))
    for (u, v), (size_u, size_v) in cuts.bridges.items():
        small = min(size_u, size_v)
        if small < min_cut_off:
            continue
        ties = [
            _tie_evidence(view, a, b, d)
            for a, b in ((u, v), (v, u))
            for d in view.get_edge_data(a, b, default={}).values()
        ]
        nu, nv = display_name(view, u), display_name(view, v)
        ja = f"{nu} と {nv} のつながりは一本だけで、失われると {small} の組織が切り離されます。"
        ja += "並行する連携を増やしてください。"
        en = (
            f"The tie between {nu} and {nv} is the only link: losing it would cut off {small} organisations. "
            "Add a parallel tie."
        )
        out.append(_gap("fragile_bridge", [u, v], None, ja, en, ties, 0.5 + 0.5 * small / n))
    return out


def _best_server(H: nx.Graph, index: PhaseIndex, phase: str) -> Any | None:
    servers = [b for b in H if phase in index.served.get(b, {})]
    return max(servers, key=lambda b: (H.degree(b), str(b)), default=None)


def _phase_coverage(
    view: nx.MultiDiGraph, H: nx.Graph, index: PhaseIndex, coverage: dict[Any, dict[str, dict[str, Any]]]
) -> list[dict]:
    out = []
    suggestion = {phase: _best_server(H, index, phase) for phase in PHASES}
    for firm, covered in coverage.items():
        missing = [p for p in PHASES if p not in covered]
        if not missing:
            continue
        name = display_name(view, firm)
        have = sorted({c["body"] for c in covered.values()}, key=str)
        evidence = [{"phase": p, "body": c["body"], "via": c["via"]} for p, c in covered.items()]
        for phase in missing:
            ph_ja, ph_en = PHASE_LABELS[phase]
            body = suggestion[phase]
            hint_ja = (
                f"例えば {display_name(view, body)} への紹介を検討してください。"
                if body
                else "地域に該当する機関がありません。"
            )
            hint_en = (
                f" Consider a referral to {display_name(view, body)}." if body else " No body in the region serves it."
            )
            if have:
                ja = f"{name} がつながる支援機関（{_names(view, have)}）はいずれも{ph_ja}を支援していません。{hint_ja}"
                en = (
                    f"None of the support bodies {name} is tied to ({_names_en(view, have)}) serves the "
                    f"{ph_en.lower()} phase.{hint_en}"
                )
            else:
                ja = f"{name} は{ph_ja}を支援する機関とつながっていません（支援のつながりがありません）。{hint_ja}"
                en = (
                    f"{name} has no tie to any body serving the {ph_en.lower()} phase (no support tie at all).{hint_en}"
                )
            out.append(_gap("phase_coverage", [firm], phase, ja, en, evidence, 0.4 + 0.2 * len(missing)))
    return out


def _isolated(view: nx.MultiDiGraph, H: nx.Graph) -> list[dict]:
    out = []
    for node in H:
        role = H.nodes[node]["role"]
        if role not in ("Company", "University", "ResearchInstitute"):
            continue
        ties = [
            d.get("type")
            for _, _, d in [*view.out_edges(node, data=True), *view.in_edges(node, data=True)]
            if d.get("type") in ("SUPPORTS", "COLLABORATES_WITH")
        ]
        if ties:
            continue
        name = display_name(view, node)
        role_ja, role_en = ROLE_LABEL_NAMES[role]
        others = sorted({t for t in H.edges(node, data="types") for t in t[2]})
        if H.degree(node) == 0:
            ja = f"{name}（{role_ja}）には支援・連携のつながりが記録されていません。"
            ja += "訪問や相談会への招待から始めてください。"
            en = f"{name} ({role_en.lower()}) has no recorded support or collaboration tie: "
            en += "start with a visit or an invitation."
            score = 0.7
        else:
            ja = f"{name}（{role_ja}）のつながりは {', '.join(others)} のみで、支援・連携のつながりがありません。"
            en = f"{name} ({role_en.lower()}) is tied only through {', '.join(others)}, "
            en += "with no support or collaboration tie."
            score = 0.5
        evidence = [{"node": node, "source": view.nodes[node].get("source"), "ties": H.degree(node)}]
        out.append(_gap("isolated", [node], None, ja, en, evidence, score))
    return out


def _unmet(view: nx.MultiDiGraph, H: nx.Graph, coverage: dict[Any, dict[str, Any]], per_firm: int) -> list[dict]:
    firms = [n for n in H if H.nodes[n]["role"] == "Company"]
    # Sorted by id so that equal similarities are broken by id, not by the order a store returned nodes.
    research = sorted((n for n in H if H.nodes[n]["role"] in ("University", "ResearchInstitute")), key=str)
    if not firms or not research or per_firm <= 0:
        return []
    fields_of = {n: tech_fields_of(view, n) for n in (*firms, *research)}
    codes = sorted({c for fs in fields_of.values() for c in fs})
    if not codes:
        return []
    col = {c: i for i, c in enumerate(codes)}

    def incidence(nodes: list[Any]) -> sp.csr_array:
        rows = [i for i, n in enumerate(nodes) for _ in fields_of[n]]
        cols = [col[c] for n in nodes for c in fields_of[n]]
        return sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(nodes), len(codes)))

    Ff, Fr = incidence(firms), incidence(research)
    size_f = np.asarray(Ff.sum(axis=1)).ravel()
    size_r = np.asarray(Fr.sum(axis=1)).ravel()
    r_index = {n: j for j, n in enumerate(research)}
    out = []
    chunk = max(1, 2_000_000 // max(len(research), 1))
    FrT = sp.csc_array(Fr.T)
    for start in range(0, len(firms), chunk):
        block = firms[start : start + chunk]
        inter = (Ff[start : start + len(block)] @ FrT).toarray()
        union = size_f[start : start + len(block), None] + size_r[None, :] - inter
        jac = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
        for i, firm in enumerate(block):
            for nb in H[firm]:
                if nb in r_index:
                    jac[i, r_index[nb]] = 0.0
        # One stable argsort over the whole block (numpy, C loop) instead of one call per firm; stable
        # order keeps the id tie-break of ``research``.
        top_block = np.argsort(-jac, axis=1, kind="stable")[:, :per_firm]
        any_row = jac.any(axis=1)
        for i, firm in enumerate(block):
            if not any_row[i]:
                continue
            row = jac[i]
            for j in top_block[i].tolist():
                if row[j] <= 0:
                    break
                partner = research[j]
                shared = sorted(fields_of[firm] & fields_of[partner])
                launch_gap = "launch" not in coverage.get(firm, {})
                nf, np_ = display_name(view, firm), display_name(view, partner)
                ja = (
                    f"{nf} と {np_} は技術分野（{', '.join(shared)}）が重なりますが、つながりがありません。"
                    f"{PHASE_LABELS['launch'][0]}のマッチング候補として引き合わせを検討してください。"
                )
                en = (
                    f"{nf} and {np_} share technology fields ({', '.join(shared)}) but have no tie: a candidate for "
                    "launch-phase matching."
                )
                evidence = [{"shared_fields": shared, "jaccard": float(row[j]), "firm_launch_uncovered": launch_gap}]
                score = 0.3 + 0.5 * float(row[j]) + (0.2 if launch_gap else 0.0)
                out.append(_gap("unmet_match", [firm, partner], "launch", ja, en, evidence, score))
    return out
