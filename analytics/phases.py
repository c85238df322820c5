# ruff: noqa: N803, N806  (G, H, A, P: graph and matrix names as in the literature)
"""Which business phases a support body serves, and which phases a firm's support covers.

The phases are those of DESIGN §1 (``graph.schema.PHASES``: ideation 事業構想, launch 事業立上,
expansion 事業拡大). A body serves a phase when the graph says so — it OPERATES a programme whose
``phases`` list it, or it SUPPORTS some organisation in that phase (the engagement's ``phase``, or
the phases of the engagement's ``programme``) — or, when the graph is silent, by the documented
default of its ``support_kind`` (table :data:`SUPPORT_KIND_PHASES`) or role (:data:`ROLE_PHASES`).
"""

from __future__ import annotations

from collections import deque
from typing import Any

import networkx as nx

from analytics.orggraph import SUPPORT_ROLES, is_organisation, programme_key, role_of
from graph.schema import PHASES

__all__ = [
    "ROLE_PHASES",
    "SUPPORT_KIND_PHASES",
    "PhaseIndex",
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

    def __init__(self, G: nx.MultiDiGraph) -> None:
        self.G = G
        self.programme_phases: dict[Any, tuple[str, ...]] = {}
        for node, attrs in G.nodes(data=True):
            if "Programme" in attrs.get("labels", ()):
                self.programme_phases[node] = tuple(p for p in attrs.get("phases") or () if p in PHASES)
        by_key = {programme_key(node, G.nodes[node]): node for node in self.programme_phases}
        self._programme_by_key = by_key
        self.served: dict[Any, dict[str, str]] = {}  # body → {phase: why}
        for node, attrs in G.nodes(data=True):
            if is_organisation(attrs) and role_of(attrs) in SUPPORT_ROLES:
                self.served[node] = self._default_phases(attrs)
        for u, v, data in G.edges(data=True):
            kind = data.get("type")
            if kind == "OPERATES" and u in self.served and v in self.programme_phases:
                for phase in self.programme_phases[v]:
                    self.served[u].setdefault(phase, f"operates {v}")
            elif kind == "SUPPORTS" and u in self.served:
                for phase in self.engagement_phases(data):
                    self.served[u].setdefault(phase, "supports firms in this phase")
        self.referrals: dict[Any, list[Any]] = {}
        self.members: dict[Any, list[Any]] = {}
        for u, v, data in G.edges(data=True):
            if data.get("type") == "REFERS_TO" and u in self.served and v in self.served:
                self.referrals.setdefault(u, []).append(v)
            elif data.get("type") == "MEMBER_OF":
                self.members.setdefault(v, []).append(u)
        self._reach_cache: dict[Any, dict[str, Any]] = {}
        self._network_cache: dict[Any, dict[str, Any]] = {}

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
        """``{phase: {"body": witness id, "via": tie type}}`` for the phases covered for ``org``."""
        out: dict[str, dict[str, Any]] = {}
        for u, v, data in self._incident(org):
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

    def _incident(self, org: Any) -> list[tuple[Any, Any, dict[str, Any]]]:
        """Out-edges then in-edges of ``org`` with data, in ``out_edges``/``in_edges`` order.

        On a ``MultiDiGraph`` (every store view) the adjacency dicts are read directly: the
        ``out_edges``/``in_edges`` views cost more than the coverage test itself on 5×10^4 firms.
        """
        G = self.G
        if G.is_multigraph() and G.is_directed():
            out = [(org, nbr, d) for nbr, keyed in G._succ[org].items() for d in keyed.values()]
            out += [(nbr, org, d) for nbr, keyed in G._pred[org].items() for d in keyed.values()]
            return out
        return [*G.out_edges(org, data=True), *G.in_edges(org, data=True)]
