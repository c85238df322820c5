# ruff: noqa: N803  (G: the region view, as in analytics.gaps)
"""The IP layer's analytics: who holds which rights, who won IP awards, and whom IP support reaches.

A region's IP facts (issue 19) are four kinds of stored fact, each with its page and date:

* a right held — a ``HOLDS`` tie from an organisation to an ``IPRight`` (patent, design, 地域団体商標, GI, ...);
* an IP award — a ``SUPPORTS`` tie of kind ``ip_award`` from the awarding body to the winner;
* an IP support event — a ``SUPPORTS`` tie of kind ``ip_support`` (a consultation, a 知財金融 evaluation,
  a brokered licence) from the supporting body to the firm;
* a licence — a ``COLLABORATES_WITH`` tie of kind ``licence`` (licensor → licensee).

:func:`ip_facts` lists them for the organisations *seated* in the region (``LOCATED_IN``), one fact per
tie and local party; a right co-held by two local firms is two facts, one per holder, because each is a
fact about that holder. :func:`ip_counts` counts them the way the issue's targets are stated (facts,
distinct local organisations, kinds covered), and every surface (``ipeco ip``, the map, the compare
page, the report) reads the same list.

**IP support body** (:func:`is_ip_support_body`): a 知財総合支援窓口 operator, a 発明協会, 日本弁理士会 or a
chapter of it, INPIT, the JPO or a METI bureau's 知的財産室, any body that operates an IP programme,
and any body recorded as giving ``ip_support``. An organisation is **reached** by IP support when it
has a tie (any organisation tie but an award, in either direction) to such a body, or takes part in
an IP programme. An award is recognition, not support: a firm whose only tie to the 発明協会 is its
prize is not reached.

**IP-active**: holds a right, won an IP award or is party to a licence. The indicators
(:func:`ip_indicator_rows`) are shares of the region's firms (``Company``) and say in words that a
missing fact may only be a fact nobody has recorded yet.

Pure functions over a region view (:func:`graph.scope.region_subgraph`): no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Final

import networkx as nx

from analytics.name_patterns import IP_NAME_WORDS
from analytics.orggraph import english_name, role_of
from analytics.phases import normalise_support_kind
from graph.errors import NotFoundError
from graph.schema import ORG_TIE_TYPES
from graph.scope import region_scope

__all__ = [
    "FACT_KINDS",
    "IP_GAP_KINDS",
    "IP_INDICATORS",
    "IP_PROGRAMMES",
    "IPCounts",
    "IPFact",
    "IPProfile",
    "ip_counts",
    "ip_facts",
    "ip_findings",
    "ip_indicator_rows",
    "ip_profiles",
    "ip_support_bodies",
    "is_ip_support_body",
]

#: Kinds of IP fact besides the right kinds of ``HOLDS`` (``graph.schema.IP_RIGHT_KINDS``).
FACT_KINDS: Final[tuple[str, ...]] = ("ip_award", "ip_support", "licence")
#: Brand kinds: what the "regional brands" indicator counts.
BRAND_KINDS: Final[frozenset[str]] = frozenset({"regional_collective_trademark", "geographical_indication"})
#: Programmes whose operators count as IP support bodies (ids of the catalogue's programmes).
IP_PROGRAMMES: Final[frozenset[str]] = frozenset(
    {
        "prog:ip_window",
        "prog:ip_finance",
        "prog:ipl_support",
        "prog:ip_expert",
        "prog:ipas",
        "prog:pass",
        "prog:ip_base",
        "prog:univ_overseas",
        "prog:overseas_filing",
        "prog:overseas_infringement",
        "prog:ip_litigation_insurance",
        "prog:design_startup_exam",
        "prog:ip_strategy_designer",
        "prog:model_region",
    }
)
#: ``support_kind`` values (normalised) of IP support bodies.
_IP_SUPPORT_KINDS: Final = frozenset({"ip_window", "invention_association", "inpit", "patent_attorney", "jpaa"})
#: Partners an IP-award firm is expected to have for the second worklist kind.
_RESEARCH_ROLES: Final = frozenset({"University", "ResearchInstitute"})
#: Worklist kinds of this module, in the order cards state them.
IP_GAP_KINDS: Final[tuple[str, ...]] = ("ip_no_support", "ip_award_no_partner")


@dataclass(frozen=True)
class IPFact:
    """One IP fact about one local organisation, with the page that states it and its date."""

    org: str
    org_name: str
    kind: str  # a right kind (patent, ...) or ip_award / ip_support / licence
    fact: str  # holds, award, support, licence
    subject: str  # the right's id, or the other organisation's id
    subject_name: str
    number: str
    date: str
    evidence: str
    confidence: str
    detail: str  # the award's name, the right's title, ...

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class IPCounts:
    """A region's IP facts counted as the issue's targets are stated."""

    facts: int
    organisations: int
    kinds: tuple[str, ...]
    by_kind: Mapping[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"facts": self.facts, "organisations": self.organisations, "kinds": list(self.kinds)} | {
            "by_kind": dict(self.by_kind)
        }


@dataclass(frozen=True)
class IPProfile:
    """One organisation's IP: rights by kind, awards, support received, and whether IP support reaches it."""

    org: str
    rights: Mapping[str, int]
    awards: int
    support_events: int
    licences: int
    reached: bool
    support_bodies: tuple[str, ...]

    @property
    def active(self) -> bool:
        return bool(self.rights) or self.awards > 0 or self.licences > 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "org": self.org,
            "rights": dict(self.rights),
            "awards": self.awards,
            "support_events": self.support_events,
            "licences": self.licences,
            "reached": self.reached,
            "support_bodies": list(self.support_bodies),
            "active": self.active,
        }


# --- who is an IP support body -------------------------------------------------------------------
def is_ip_support_body(G: nx.MultiDiGraph, node: Any) -> bool:
    """True for an organisation the module docstring calls an IP support body."""
    attrs = G.nodes[node]
    if "Organization" not in attrs.get("labels", ()):
        return False
    if normalise_support_kind(attrs.get("support_kind")) in _IP_SUPPORT_KINDS:
        return True
    names = f"{attrs.get('name') or ''} {attrs.get('name_en') or ''}"
    # by name only a body, never a firm or university that happens to carry the word (知的財産研究所株式会社)
    if role_of(attrs) not in ("Company", "University") and any(word in names for word in IP_NAME_WORDS):
        return True
    for _, target, data in G.out_edges(node, data=True):
        kind = data.get("type")
        if kind == "OPERATES" and target in IP_PROGRAMMES:
            return True
        if kind == "SUPPORTS" and data.get("kind") == "ip_support":
            return True
    return False


def ip_support_bodies(G: nx.MultiDiGraph) -> frozenset[str]:
    """Every IP support body of ``G``."""
    return frozenset(str(n) for n in G if is_ip_support_body(G, n))


def _seated(G: nx.MultiDiGraph, region: str | None) -> frozenset[str]:
    key = region or G.graph.get("region")
    if not key:
        return frozenset(str(n) for n, a in G.nodes(data=True) if "Organization" in a.get("labels", ()))
    try:
        return frozenset(str(n) for n in region_scope(G, str(key)).seated)
    except NotFoundError:
        return frozenset()


def _name(G: nx.MultiDiGraph, node: Any) -> str:
    attrs = G.nodes[node] if node in G else {}
    return str(attrs.get("name") or attrs.get("name_en") or node)


def _date(data: Mapping[str, Any], right: Mapping[str, Any] | None = None) -> str:
    """The fact's date: the tie's stated date, its fiscal year, else the right's registration or filing."""
    if data.get("date"):
        return str(data["date"])
    right = right or {}
    for key in ("registered_on", "filed_on"):
        if right.get(key):
            return str(right[key])
    since = data.get("since") if data.get("since") is not None else data.get("fiscal_year")
    return f"FY{since}" if since is not None else ""


# --- facts ---------------------------------------------------------------------------------------
def _tie_fact(G: nx.MultiDiGraph, org: str, other: str, data: Mapping[str, Any], fact: str, kind: str) -> IPFact:
    return IPFact(
        org=org,
        org_name=_name(G, org),
        kind=kind,
        fact=fact,
        subject=str(other),
        subject_name=_name(G, other),
        number="",
        date=_date(data),
        evidence=str(data.get("evidence") or ""),
        confidence=str(data.get("confidence") or ""),
        detail=str(data.get("award") or data.get("title") or data.get("note") or ""),
    )


def _facts_of(G: nx.MultiDiGraph, org: str) -> list[IPFact]:
    """Every IP fact of ``org``: rights it holds and licences it grants, then awards, support and
    licences it receives, in edge order."""
    out = [f for _, other, data in G.out_edges(org, data=True) if (f := _outgoing_fact(G, org, other, data))]
    out += [f for other, _, data in G.in_edges(org, data=True) if (f := _incoming_fact(G, org, other, data))]
    return out


def _outgoing_fact(G: nx.MultiDiGraph, org: str, right: Any, data: Mapping[str, Any]) -> IPFact | None:
    """A right ``org`` HOLDS, or a licence it is party to; None for any other tie."""
    kind = data.get("type")
    if kind == "COLLABORATES_WITH" and data.get("kind") == "licence":
        return _tie_fact(G, org, right, data, "licence", "licence")
    if kind != "HOLDS" or right not in G:
        return None
    attrs = G.nodes[right]
    return IPFact(
        org=org,
        org_name=_name(G, org),
        kind=str(attrs.get("kind") or ""),
        fact="holds",
        subject=str(right),
        subject_name=_name(G, right),
        number=str(attrs.get("number") or ""),
        date=_date(data, attrs),
        evidence=str(data.get("evidence") or attrs.get("evidence") or ""),
        confidence=str(data.get("confidence") or attrs.get("confidence") or ""),
        detail=str(attrs.get("title") or ""),
    )


def _incoming_fact(G: nx.MultiDiGraph, org: str, source: Any, data: Mapping[str, Any]) -> IPFact | None:
    """An IP award or IP support ``org`` received, or a licence it is party to; None for any other tie."""
    kind = data.get("type")
    if kind == "SUPPORTS" and data.get("kind") in ("ip_award", "ip_support"):
        fact = "award" if data["kind"] == "ip_award" else "support"
        return _tie_fact(G, org, source, data, fact, str(data["kind"]))
    if kind == "COLLABORATES_WITH" and data.get("kind") == "licence":
        return _tie_fact(G, org, source, data, "licence", "licence")
    return None


def ip_facts(G: nx.MultiDiGraph, region: str | None = None) -> tuple[IPFact, ...]:
    """Every IP fact about the organisations seated in ``region`` (default: the view's own region).

    Sorted by organisation name, then kind and date, so every surface lists them in one order.
    A graph that names no region (a loader's batch, a test graph) counts every organisation.
    """
    facts: list[IPFact] = []
    for org in _seated(G, region):
        if org in G:
            facts += _facts_of(G, org)
    return tuple(sorted(facts, key=lambda f: (f.org_name, f.org, f.fact, f.kind, f.date, f.subject)))


def ip_counts(facts: Iterable[IPFact]) -> IPCounts:
    """Facts, distinct organisations and kinds covered (the issue's per-region targets)."""
    facts = list(facts)
    by_kind = Counter(f.kind for f in facts)
    return IPCounts(len(facts), len({f.org for f in facts}), tuple(sorted(by_kind)), dict(sorted(by_kind.items())))


# --- per organisation ----------------------------------------------------------------------------
def _reaching_bodies(G: nx.MultiDiGraph, org: str, bodies: frozenset[str]) -> tuple[str, ...]:
    found: set[str] = set()
    ties = (*((v, d) for _, v, d in G.out_edges(org, data=True)), *((u, d) for u, _, d in G.in_edges(org, data=True)))
    for other, data in ties:
        if (data.get("type") == "PARTICIPATES_IN" and other in IP_PROGRAMMES) or (
            data.get("type") in ORG_TIE_TYPES and data.get("kind") != "ip_award" and other in bodies
        ):
            found.add(str(other))
    found.discard(org)
    return tuple(sorted(found))


def ip_profiles(G: nx.MultiDiGraph, region: str | None = None) -> dict[str, IPProfile]:
    """The IP profile of every organisation seated in ``region`` that has an IP fact or is a firm."""
    bodies = ip_support_bodies(G)
    facts_by_org: dict[str, list[IPFact]] = {}
    for fact in ip_facts(G, region):
        facts_by_org.setdefault(fact.org, []).append(fact)
    out: dict[str, IPProfile] = {}
    for org in sorted(_seated(G, region)):
        facts = facts_by_org.get(org, [])
        if not facts and role_of(G.nodes[org]) != "Company":
            continue
        rights = Counter(f.kind for f in facts if f.fact == "holds")
        out[org] = IPProfile(
            org=org,
            rights=dict(sorted(rights.items())),
            awards=sum(1 for f in facts if f.fact == "award"),
            support_events=sum(1 for f in facts if f.fact == "support"),
            licences=sum(1 for f in facts if f.fact == "licence"),
            reached=bool(reach := _reaching_bodies(G, org, bodies)),
            support_bodies=reach,
        )
    return out


# --- the comparison's rows -----------------------------------------------------------------------
#: The comparison's IP indicators, in table order. Their names and definitions (each stating that
#: only recorded facts count) are words of the vocabulary (``indicator.<key>`` in :mod:`graph.words`).
IP_INDICATORS: Final[tuple[str, ...]] = (
    "ip_active_orgs",
    "ip_active_firm_share",
    "ip_support_reach_share",
    "regional_brands",
    "ip_awards_per_100_firms",
)


def _indicator_values(G: nx.MultiDiGraph, region: str) -> dict[str, Any]:
    seated = _seated(G, region)
    firms = [n for n in seated if n in G and role_of(G.nodes[n]) == "Company"]
    profiles = ip_profiles(G, region)
    active = [p for p in profiles.values() if p.active]
    active_firms = [p for p in active if p.org in firms]
    brands = {f.subject for f in ip_facts(G, region) if f.kind in BRAND_KINDS}
    awards = sum(p.awards for p in profiles.values())
    return {
        "ip_active_orgs": len(active),
        "ip_active_firm_share": len(active_firms) / len(firms) if firms else None,
        "ip_support_reach_share": sum(p.reached for p in active_firms) / len(active_firms) if active_firms else None,
        "regional_brands": len(brands),
        "ip_awards_per_100_firms": 100 * awards / len(firms) if firms else None,
    }


def ip_indicator_rows(views: Mapping[str, nx.MultiDiGraph]) -> list[dict[str, Any]]:
    """The comparison's IP rows (``analytics.compare`` appends them): one per indicator, values by region."""
    values = {region: _indicator_values(view, region) for region, view in views.items()}
    return [{"key": key, "values": {region: v[key] for region, v in values.items()}} for key in IP_INDICATORS]


# --- worklist findings ---------------------------------------------------------------------------
def _nearest_body(G: nx.MultiDiGraph, bodies: Sequence[str]) -> str | None:
    """The IP support body to name in a next step: an IP window operator first, then the best tied."""

    def rank(body: str) -> tuple[int, int, str]:
        window = normalise_support_kind(G.nodes[body].get("support_kind")) == "ip_window"
        return (0 if window else 1, -G.degree(body), body)

    return min(bodies, key=rank, default=None)


def ip_findings(G: nx.MultiDiGraph, region: str | None = None) -> list[dict[str, Any]]:
    """The IP worklist findings, shaped as :func:`analytics.gaps.find_gaps` records.

    * ``ip_no_support``: an IP-active organisation (firm or university) that no IP support body reaches;
    * ``ip_award_no_partner``: a firm with an IP award and no tie to a university or 公設試.

    The next step names an IP support body of the region's view (``evidence[0]["body"]``).
    """
    bodies = sorted(b for b in ip_support_bodies(G) if G.nodes[b].get("in_region", True))
    body = _nearest_body(G, bodies)
    out: list[dict[str, Any]] = []
    named = {"body": _name(G, body), "body_en": english_name(G, body)} if body else {"body": None}
    for org, profile in ip_profiles(G, region).items():
        role = role_of(G.nodes[org])
        if not profile.active or role not in ("Company", "University") or org in bodies:
            continue
        rights = sum(profile.rights.values())
        what = {"rights": rights, "awards": profile.awards, "licences": profile.licences, "body": body}
        values = {"name": _name(G, org), "name_en": english_name(G, org), **named}
        if not profile.reached:
            why = {"code": "ip_no_support", "values": {**values, "rights": rights, "awards": profile.awards}}
            out.append(_finding("ip_no_support", org, body, why, what, 0.6 + min(rights + profile.awards, 4) * 0.1))
        if profile.awards and role == "Company" and not _has_research_partner(G, org):
            out.append(
                _finding("ip_award_no_partner", org, body, {"code": "ip_award_no_partner", "values": values}, what, 0.5)
            )
    return out


def _has_research_partner(G: nx.MultiDiGraph, org: str) -> bool:
    others = [*G.successors(org), *G.predecessors(org)]
    return any(o in G and role_of(G.nodes[o]) in _RESEARCH_ROLES for o in others)


def _finding(
    kind: str, org: str, body: str | None, why: dict[str, Any], evidence: Mapping[str, Any], score: float
) -> dict[str, Any]:
    subjects = [org, body] if body else [org]
    return {
        "kind": kind,
        "subjects": subjects,
        "phase": "ideation" if kind == "ip_no_support" else "launch",
        "explanation": why,
        "evidence": [dict(evidence)],
        "score": round(min(score, 1.0), 4),
    }
