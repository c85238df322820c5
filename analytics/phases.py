# ruff: noqa: N803  (G, H, A, P: graph and matrix names as in the literature)
"""Which business phases a support body serves, and which phases a firm's support covers.

The phases are those of DESIGN §1 (``graph.schema.PHASES``: ideation 事業構想, launch 事業立上,
expansion 事業拡大). A body serves a phase when the graph says so — it OPERATES a programme whose
``phases`` list it, or it SUPPORTS some organisation in that phase (the engagement's ``phase``, or
the phases of the engagement's ``programme``) — or, when the graph is silent, by the documented
default of its ``support_kind`` (table :data:`SUPPORT_KIND_PHASES`) or role (:data:`ROLE_PHASES`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

import networkx as nx

from analytics.fast import paused_gc
from analytics.orggraph import SUPPORT_ROLES, is_organisation, programme_key, role_of
from graph.schema import PHASES

__all__ = [
    "ROLE_PHASES",
    "SUPPORT_KIND_PHASES",
    "PhaseIndex",
    "incident_edges",
    "normalise_support_kind",
]

#: Default phases by ``support_kind`` (DESIGN §1, reference/programmes.md). Unknown kinds serve none
#: by default: only their OPERATES and SUPPORTS ties say what they do.
SUPPORT_KIND_PHASES: dict[str, tuple[str, ...]] = {
    "ip_window": ("ideation", "launch", "expansion"),  # INPIT 知財総合支援窓口: one-stop, all phases
    "yorozu": ("ideation", "launch", "expansion"),  # よろず支援拠点: general management consultation
    "invention_association": ("ideation",),  # 発明協会: IP awareness, first filings
    "ip_support": ("ideation",),  # prefectural IP support centres
    "chamber": ("ideation", "launch"),  # 商工会議所: business planning, introductions
    "sme_center": ("launch", "expansion"),  # 中小企業支援センター: matching; 外国出願支援 subsidy
    "incubator": ("ideation", "launch"),
    "cluster": ("launch",),  # cluster bodies (FBRI): matching with companies and institutes
    "smrj": ("launch", "expansion"),  # 中小機構
    "jetro": ("expansion",),  # 海外出願支援, 海外侵害対策
    "producer_team": ("ideation", "launch"),  # モデル地域創出事業
}

#: Default phases of support roles that carry no ``support_kind``.
ROLE_PHASES: dict[str, tuple[str, ...]] = {
    "FinancialInstitution": ("ideation",),  # 知財金融: IP business evaluation for lending
    "ProfessionalBody": ("ideation", "expansion"),  # patent attorneys: filing strategy, foreign filing
    "GovernmentBody": (),  # only through the programmes it operates
    "SupportOrganization": (),
}

_KIND_ALIASES = {"ip_window_operator": "ip_window", "inpit_window": "ip_window", "yorozu_shien": "yorozu"}


def normalise_support_kind(kind: Any) -> str | None:
    """Lower-case ``support_kind`` with known aliases folded (``ip_window_operator`` → ``ip_window``)."""
    if not kind:
        return None
    key = str(kind).strip().lower()
    return _KIND_ALIASES.get(key, key)


class PhaseIndex:
    """Phases served by every support body and covered for every organisation of a graph.

    Built once per graph in O(n + m); lookups are then constant time, so gaps and comparisons over
    5×10^4 firms stay linear.

    Coverage (DESIGN §4.1): a phase is covered for an organisation when a support body reachable
    through its ties serves it, where *reachable* means (1) a SUPPORTS tie in either direction —
    the engagement's own phase counts too; (2) a co-member of a Network it is MEMBER_OF; and from
    those bodies (3) any chain of REFERS_TO referrals among support bodies (followed in its
    direction: the firm's adviser can pass it on).
    """

    #: Relationship types whose edges the index keeps, in graph order, for :meth:`ties`.
    KEPT_TIES: tuple[str, ...] = ("SUPPORTS", "OPERATES", "REFERS_TO", "MEMBER_OF")

    @paused_gc()
    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.G = G
        self.programme_phases: dict[Any, tuple[str, ...]] = {}
        self.served: dict[Any, dict[str, str]] = {}  # body → {phase: why}
        for node, attrs in G.nodes(data=True):
            if "Programme" in attrs.get("labels", ()):
                self.programme_phases[node] = tuple(p for p in attrs.get("phases") or () if p in PHASES)
            if is_organisation(attrs) and role_of(attrs) in SUPPORT_ROLES:
                self.served[node] = self._default_phases(attrs)
        by_key = {programme_key(node, G.nodes[node]): node for node in self.programme_phases}
        self._programme_by_key = by_key
        self.referrals: dict[Any, list[Any]] = {}
        self.members: dict[Any, list[Any]] = {}
        # One pass over the edges (a 5×10^4-organisation view has 4×10^5): what a body serves is
        # the first reason met in edge order, as before; the kept ties serve gaps and compare,
        # which would otherwise scan the whole view again for a few relationship types.
        self._ties: dict[str, list[tuple[Any, Any, dict[str, Any]]]] = {kind: [] for kind in self.KEPT_TIES}
        for u, v, data in G.edges(data=True):
            kind = data.get("type")
            kept = self._ties.get(kind) if isinstance(kind, str) else None
            if kept is not None:
                kept.append((u, v, data))
                self._index_tie(kind, u, v, data)
        self._reach_cache: dict[Any, dict[str, Any]] = {}
        self._network_cache: dict[Any, dict[str, Any]] = {}
        self._coverage_cache: dict[Any, dict[str, dict[str, Any]]] = {}

    def _index_tie(self, kind: Any, u: Any, v: Any, data: dict[str, Any]) -> None:
        """What one kept tie says: a phase a body serves (the first reason met wins), a referral, a membership."""
        served, programmes = self.served, self.programme_phases
        if kind == "OPERATES":
            if u in served and v in programmes:
                for phase in programmes[v]:
                    served[u].setdefault(phase, f"operates {v}")
        elif kind == "SUPPORTS":
            if u in served:
                for phase in self.engagement_phases(data):
                    served[u].setdefault(phase, "supports firms in this phase")
        elif kind == "REFERS_TO":
            if u in served and v in served:
                self.referrals.setdefault(u, []).append(v)
        else:  # MEMBER_OF
            self.members.setdefault(v, []).append(u)

    def ties(self, kind: str) -> list[tuple[Any, Any, dict[str, Any]]]:
        """``(u, v, data)`` of every edge of relationship type ``kind``, in ``G.edges`` order.

        The :data:`KEPT_TIES` types come from the index's own pass; others are scanned on demand.
        The list is the index's own: read it, do not change it.
        """
        if kind in self._ties:
            return self._ties[kind]
        return [(u, v, d) for u, v, d in self.G.edges(data=True) if d.get("type") == kind]

    @staticmethod
    def _default_phases(attrs: dict[str, Any]) -> dict[str, str]:
        kind = normalise_support_kind(attrs.get("support_kind"))
        if kind in SUPPORT_KIND_PHASES:
            return dict.fromkeys(SUPPORT_KIND_PHASES[kind], f"support_kind {kind}")
        role = role_of(attrs) or ""
        return dict.fromkeys(ROLE_PHASES.get(role, ()), f"role {role}")

    def engagement_phases(self, data: dict[str, Any]) -> tuple[str, ...]:
        """Phases of one SUPPORTS tie: its ``phase``, else the phases of its ``programme``."""
        phase = data.get("phase")
        if phase in PHASES:
            return (phase,)
        programme = data.get("programme")
        if programme is None:
            return ()
        node = programme if programme in self.programme_phases else self._programme_by_key.get(str(programme))
        return self.programme_phases.get(node, ())

    def phases_served(self, body: Any) -> dict[str, str]:
        """``{phase: reason}`` for a support body (empty for non-support organisations)."""
        return dict(self.served.get(body, {}))

    def reach(self, body: Any) -> dict[str, Any]:
        """``{phase: witness}``: phases served by ``body`` or any body it refers to, transitively."""
        if body in self._reach_cache:
            return self._reach_cache[body]
        out: dict[str, Any] = {}
        seen = {body}
        queue = deque([body])
        while queue and len(out) < len(PHASES):
            current = queue.popleft()
            for phase in self.served.get(current, {}):
                out.setdefault(phase, current)
            for nxt in self.referrals.get(current, ()):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        self._reach_cache[body] = out
        return out

    def _network_reach(self, network: Any) -> dict[str, Any]:
        if network not in self._network_cache:
            out: dict[str, Any] = {}
            for member in self.members.get(network, ()):
                if member in self.served:
                    for phase, witness in self.reach(member).items():
                        out.setdefault(phase, witness)
            self._network_cache[network] = out
        return self._network_cache[network]

    def coverage(self, org: Any) -> dict[str, dict[str, Any]]:
        """``{phase: {"body": witness id, "via": tie type}}`` for the phases covered for ``org``.

        Memoised per organisation (gaps and compare ask for the same 10^4–10^5 firms; a caller
        gets its own copy of the outer dict, the inner ``{"body", "via"}`` dicts are shared).
        """
        cached = self._coverage_cache.get(org)
        if cached is None:
            cached = self._coverage_cache[org] = self._coverage(org)
        return dict(cached)

    def _coverage(self, org: Any) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for u, v, data in incident_edges(self.G, org):
            kind = data.get("type")
            other = v if u == org else u
            if kind == "SUPPORTS":
                for phase in self.engagement_phases(data):
                    out.setdefault(phase, {"body": other, "via": "SUPPORTS"})
                if other in self.served:
                    for phase, witness in self.reach(other).items():
                        via = "SUPPORTS" if witness == other else "SUPPORTS+REFERS_TO"
                        out.setdefault(phase, {"body": witness, "via": via})
            elif kind == "MEMBER_OF" and u == org:
                for phase, witness in self._network_reach(v).items():
                    out.setdefault(phase, {"body": witness, "via": "MEMBER_OF"})
        return out


def incident_edges(G: nx.MultiDiGraph, node: Any) -> Iterator[tuple[Any, Any, dict[str, Any]]]:
    """Out-edges then in-edges of ``node`` with data, in ``out_edges``/``in_edges`` order.

    On a ``MultiDiGraph`` (every store view) the adjacency dicts are read directly: the
    ``out_edges``/``in_edges`` views cost more than the tests made on each edge (coverage,
    engagement, isolation) over 5×10^4 organisations. A generator, so ``any(...)`` stops early.
    """
    if G.is_multigraph() and G.is_directed():
        for nbr, keyed in G._succ[node].items():
            for d in keyed.values():
                yield node, nbr, d
        for nbr, keyed in G._pred[node].items():
            for d in keyed.values():
                yield nbr, node, d
        return
    yield from G.out_edges(node, data=True)
    yield from G.in_edges(node, data=True)
