# ruff: noqa: N803  (G, H: the graph and the organisation graph, as in analytics.gaps)
"""Who may use a programme, and which body serves a firm's need: shared by suggestions and the worklist.

A programme's ``target_groups`` (sme, startup, large, university, any) are read from the node;
when a programme records none, its name and description are read for the words of a startup
programme (``startup``, スタートアップ, アクセラレータ, ベンチャー) and it is treated as a startup
programme (``inferred``) — so a large firm is never sent to an accelerator whose page was not yet
profiled — and otherwise as open to any organisation. A firm of unknown size is taken to be an
SME for eligibility, and its suggestion says so.

:func:`bodies_for_need` chooses the body a firm should turn to for an uncovered phase: one that
serves the phase (:class:`analytics.phases.PhaseIndex`), still exists (no SUCCEEDED_BY, no
``until``: a merged body is replaced by its successor), is not yet tied to the firm, and fits its
need best: the IP window first for a firm at the ideation phase with no IP support tie, then not a
hub (a prefecture, a city hall), then by kind (a support body before a professional body, a public
body and a bank), then a body specialised in the phase (it serves fewer phases), then the operator
of a programme the firm may use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from analytics.name_patterns import STARTUP_WORDS
from analytics.orggraph import role_of
from analytics.phases import PhaseIndex, normalise_support_kind
from analytics.profiles import firm_class, is_gone, place_of, successor

__all__ = [
    "STARTUP_WORDS",
    "Body",
    "bodies_for_need",
    "eligible",
    "participant_class",
    "programmes_used",
    "target_groups",
]


def target_groups(attrs: Mapping[str, Any]) -> tuple[frozenset[str], bool]:
    """(target groups, inferred) of a programme node (module docstring)."""
    raw = attrs.get("target_groups") or ()
    groups = frozenset(str(g).strip().lower() for g in (raw.split(";") if isinstance(raw, str) else raw) if g)
    if groups:
        return groups, False
    text = " ".join(str(attrs.get(k) or "") for k in ("name", "name_en", "description")).lower()
    if any(w in text for w in STARTUP_WORDS):
        return frozenset({"startup"}), True
    return frozenset(), True


def participant_class(attrs: Mapping[str, Any]) -> str:
    """startup / sme / large / unknown for a company, ``university`` for a university or 公設試, else ``other``."""
    role = role_of(attrs)
    if role == "Company":
        return firm_class(attrs)
    if role in ("University", "ResearchInstitute"):
        return "university"
    return "other"


def eligible(groups: frozenset[str], who: str) -> bool:
    """May a participant of class ``who`` take part in a programme for ``groups``? (empty or ``any``: anyone)."""
    if not groups or "any" in groups:
        return True
    if who == "startup":
        return bool(groups & {"startup", "sme"})
    if who in ("sme", "unknown"):
        return "sme" in groups
    return who in groups


def programmes_used(G: nx.MultiDiGraph, org: Any) -> frozenset[Any]:
    """Programmes ``org`` took part in or was supported under (PARTICIPATES_IN, a SUPPORTS ``programme``)."""
    if org not in G:
        return frozenset()
    used: set[Any] = set()
    for u, v, d in (*G.out_edges(org, data=True), *G.in_edges(org, data=True)):
        if d.get("type") == "PARTICIPATES_IN" and u == org:
            used.add(v)
        elif d.get("type") == "SUPPORTS" and d.get("programme"):
            prog = str(d["programme"])
            used.add(prog if prog.startswith("prog:") else f"prog:{prog}")
            used.add(prog)
    return frozenset(used)


@dataclass(frozen=True)
class Body:
    """A body to turn to: ``why`` is ``ip_window``, ``programme``, ``ip_finance``, ``specialist`` or ``serves``."""

    id: Any
    phase: str
    why: str
    programme: Any | None = None
    replaces: Any | None = None


#: Which kind of body a firm is referred to first, other things equal: a support body before a
#: professional body, a public body and, last, a bank (whose 知財金融 is one service among its loans).
_ROLE_ORDER = {"SupportOrganization": 0, "ResearchInstitute": 1, "ProfessionalBody": 2, "GovernmentBody": 3}


#: Support kinds that serve their own city (a chamber of commerce, a 商工会): one of another city, or
#: one of a city the firm is not known to sit in, does not serve the firm (issue 20: 小松商工会議所 was
#: named for firms of 金沢).
_LOCAL_KINDS = frozenset({"chamber", "commerce_association"})


def _operated(G: nx.MultiDiGraph, body: Any) -> list[Any]:
    return [t for _, t, d in G.out_edges(body, data=True) if d.get("type") == "OPERATES"]


def _serves_place(G: nx.MultiDiGraph, body: Any, kind: str | None, own_city: str) -> bool:
    """False for a local body (:data:`_LOCAL_KINDS`) of another city than the firm's, or of an unknown one."""
    city = str(G.nodes[body].get("city_code") or "")
    return kind not in _LOCAL_KINDS or not city or city == own_city


def bodies_for_need(
    G: nx.MultiDiGraph,
    H: nx.Graph,
    index: PhaseIndex,
    org: Any,
    phases: Iterable[str],
    *,
    tied: frozenset[Any],
    hubs: frozenset[Any],
    ip_supported: bool,
    who: str = "sme",
    limit: int = 3,
) -> list[Body]:
    """The bodies ``org`` should turn to for ``phases``, best first (module docstring), at most ``limit``."""
    ask = _Asking(org, place_of(G, org)[1], tied, hubs, ip_supported, who)
    out: list[Body] = []
    seen: set[Any] = set()
    for phase in phases:
        ranked = [r for body in H if (r := _ranked_body(G, H, index, ask, body, phase, seen)) is not None]
        ranked.sort(key=lambda r: r[0])
        for _, body in ranked[:limit]:
            if body.id not in seen:
                seen.add(body.id)
                out.append(body)
    return out[: max(limit, 1) * 3]


@dataclass(frozen=True)
class _Asking:
    """Who asks (:func:`bodies_for_need`): the organisation, its city, whom it is tied to, the hubs, its IP
    status and its participant class."""

    org: Any
    city: str
    tied: frozenset[Any]
    hubs: frozenset[Any]
    ip_supported: bool
    who: str


def _current_body(G: nx.MultiDiGraph, H: nx.Graph, index: PhaseIndex, body: Any, phase: str) -> tuple[Any, Any]:
    """(the body to name, the merged or closed body it replaces) for a body serving ``phase``; (None, None)
    when a gone body has no successor in the region that serves the phase."""
    if not is_gone(G, body):
        return body, None
    target = successor(G, body)
    if target is None or target not in H or phase not in index.served.get(target, {}):
        return None, None
    return target, body


def _open_programmes(G: nx.MultiDiGraph, index: PhaseIndex, body: Any, phase: str, who: str) -> list[Any]:
    """The programmes ``body`` operates that serve ``phase`` and are open to ``who``."""
    return [
        p
        for p in _operated(G, body)
        if phase in index.programme_phases.get(p, ()) and eligible(target_groups(G.nodes[p])[0], who)
    ]


def _why_body(ip_first: bool, progs: list[Any], bank: bool, served: int) -> str:
    """Why a body is named: the IP window first, a programme it runs, IP finance, a specialist, or it serves."""
    if ip_first:
        return "ip_window"
    if progs:
        return "programme"
    if bank:
        return "ip_finance"
    return "specialist" if served == 1 else "serves"


def _ranked_body(
    G: nx.MultiDiGraph, H: nx.Graph, index: PhaseIndex, ask: _Asking, body: Any, phase: str, seen: set[Any]
) -> tuple[tuple[Any, ...], Body] | None:
    """The sort key and record of one body for ``phase``, or None when it does not serve it, is the asker,
    is already tied or named, or is gone without a successor."""
    if phase not in index.served.get(body, {}) or body == ask.org:
        return None
    target, replaced = _current_body(G, H, index, body, phase)
    if target is None or target in ask.tied or target in seen:
        return None
    kind = normalise_support_kind(G.nodes[target].get("support_kind"))
    if not _serves_place(G, target, kind, ask.city):
        return None
    progs = _open_programmes(G, index, target, phase, ask.who)
    served = len(index.served.get(target, {}))
    # The IP window first for a firm starting out (ideation) with no IP support yet.
    ip_first = kind == "ip_window" and not ask.ip_supported and phase == "ideation"
    role = role_of(G.nodes[target]) or ""
    why = _why_body(ip_first, progs, role == "FinancialInstitution", served)
    rank = _ROLE_ORDER.get(role, len(_ROLE_ORDER))
    key = (not ip_first, target in ask.hubs, rank, served, not progs, -H.degree(target), str(target))
    return key, Body(target, phase, why, progs[0] if progs else None, replaced)
