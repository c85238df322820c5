# ruff: noqa: N803  (H: the organisation graph, as in analytics.gaps)
"""The region's gaps as a producer's worklist: one card per organisation, a priority, a next step.

:func:`analytics.gaps.find_gaps` reports findings, several per organisation: a firm with no support
tie is "isolated" *and* has every phase uncovered, and a body that holds the network together is an
articulation point *and* an end of a bridge. A producer team works through organisations, not
findings, so :func:`build_worklist` folds every finding into the card of its lead subject (the first
of its ``subjects``; a missing role is a card of its own, about the region). The card states one
cause, chosen by :data:`CAUSE_ORDER` (the most structural first), and one next step; the other
findings stay on the card as its details.

Who is a target (:func:`firm_size`, :func:`section_of`). A producer team accompanies SMEs,
startups and universities (DESIGN §1), so cards fall in three sections:

- ``target``: SMEs and startups, firms of unknown size (shown as "size unknown": the real layer
  rarely states a headcount, and leaving them out would hide most real firms), and universities;
- ``large``: large enterprises, shown apart (a partner for the region's SMEs, not a firm to accompany);
- ``network``: support bodies, public bodies (government, 公設試), banks, professional bodies and
  the region itself (missing roles, liaison gaps, fragile bridges).

A firm is an SME under 中小企業基本法 (Small and Medium-sized Enterprise Basic Act) 第2条第1項 when its
capital *or* its regular headcount is at most its industry's limit:

=====================================  ===========  ==========
industry                                capital      employees
=====================================  ===========  ==========
manufacturing, construction, transport  ¥300M        300
and every other industry
wholesale                               ¥100M        100
services                                ¥50M         100
retail                                  ¥50M         50
=====================================  ===========  ==========

It is classed ``large`` when every size it states (``employees``, ``capital``) is above the limit,
``unknown`` when it states neither (no guess is made from its name or fame), ``startup`` when the
data flags it so. The industry is read from the ``industry`` text (:func:`industry_class`); a firm
whose industry cannot be told is held to the manufacturing limits, the widest.

Priority (:data:`PRIORITY_WEIGHTS`): a weighted sum of five parts in [0, 1], each kept on the card
so that a reader can see why it ranks where it does:

- ``severity``: the highest score of the card's findings (:mod:`analytics.gaps` scores);
- ``fit``: how squarely the subject is the team's work (:data:`FIT`): SMEs and startups 1.0,
  universities and network cards 0.8, unknown size 0.7, large enterprises 0.1;
- ``phase``: the share of the three business phases the card is about (a finding without a phase,
  such as a missing よろず–窓口 referral, concerns all three);
- ``reach``: how connected the body to turn to is: the degree of the referral body a phase gap
  suggests, or of the card's own body for a network card, over the region's highest degree;
- ``evidence``: 1.0 when the subject's own public page is recorded, 0.5 otherwise (demo data, or
  a body known only through its ties).

Cards are ordered by priority, then by their key; ``rank`` counts from 1 over the whole list, so a
filtered view keeps each card's place. Reasons and next steps are keys (``reason``, ``next_step``)
with their ``facts``: the words are in the shared string table (``reports.i18n``), in Japanese and
English, so that the page, the CLI and the spreadsheet say the same sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

import networkx as nx

from analytics.gaps import EXPECTED_ROLES, GAP_KINDS, KIND_NAMES
from analytics.ip import IP_GAP_KINDS, ip_findings
from analytics.orggraph import role_of
from analytics.phases import PhaseIndex, normalise_support_kind
from analytics.structure import cut_structure
from graph.schema import PHASES

__all__ = [
    "CAUSE_ORDER",
    "FIT",
    "PRIORITY_WEIGHTS",
    "SECTIONS",
    "SME_LIMITS",
    "STATUSES",
    "PriorityPart",
    "WorkItem",
    "Worklist",
    "build_worklist",
    "firm_size",
    "industry_class",
    "section_of",
]

#: Sections of the worklist, in the order a page shows them.
SECTIONS: tuple[str, ...] = ("target", "network", "large")

#: The status a team records for a card in the exported worklist (the sheet's dropdown).
STATUSES: tuple[str, ...] = ("未着手", "対応中", "完了", "対象外")

#: 中小企業基本法 第2条第1項: (capital limit in yen, headcount limit) by industry class.
SME_LIMITS: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "manufacturing": (300_000_000, 300),
        "wholesale": (100_000_000, 100),
        "services": (50_000_000, 100),
        "retail": (50_000_000, 50),
    }
)

_INDUSTRY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("wholesale", ("卸", "wholesale", "商社", "trading")),
    ("retail", ("小売", "retail")),
    ("services", ("サービス", "service", "hotel", "ホテル", "宿泊", "飲食", "restaurant", "観光", "bus operator")),
)

#: Target fit by size class or section (the ``fit`` part of the priority).
FIT: Mapping[str, float] = MappingProxyType(
    {"startup": 1.0, "sme": 1.0, "university": 0.8, "network": 0.8, "unknown": 0.7, "large": 0.1}
)

#: Weights of the priority's parts; they add up to 1.
PRIORITY_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {"severity": 0.35, "fit": 0.25, "phase": 0.15, "reach": 0.15, "evidence": 0.10}
)

#: Which finding states a card's cause when it has several (the most structural first).
CAUSE_ORDER: tuple[str, ...] = (
    "missing_role",
    "liaison",
    "fragile_bridge",
    "isolated",
    "phase_coverage",
    "unmet_match",
    *IP_GAP_KINDS,
)


@dataclass(frozen=True)
class PriorityPart:
    """One part of a card's priority: its value in [0, 1] and its weight (``key`` names it)."""

    key: str
    value: float
    weight: float

    @property
    def contribution(self) -> float:
        return self.value * self.weight


@dataclass(frozen=True)
class WorkItem:
    """One card of the worklist: an organisation (or a region-level role) and what to do about it.

    ``reason`` and ``next_step`` are string-table keys (``worklist.reason.<key>``,
    ``worklist.next.<key>``) to be filled with ``facts``; ``findings`` are the merged gaps'
    own explanations (``{"kind", "phase", "ja", "en", "score"}``), shown on demand.
    """

    key: str
    rank: int
    subjects: tuple[str, ...]
    name: Mapping[str, str]
    role: str | None
    section: str
    size: str | None
    kinds: tuple[str, ...]
    phases: tuple[str, ...]
    programmes: tuple[str, ...]
    reason: str
    next_step: str
    facts: Mapping[str, Any]
    priority: float
    parts: tuple[PriorityPart, ...]
    evidence_url: str
    synthetic: bool
    findings: tuple[Mapping[str, Any], ...]
    size_facts: Mapping[str, Any] = field(default_factory=dict)

    def matches(
        self,
        kinds: Iterable[str] | None = None,
        phases: Iterable[str] | None = None,
        programmes: Iterable[str] | None = None,
        sections: Iterable[str] | None = None,
    ) -> bool:
        """True when the card passes every filter given (an empty filter passes everything)."""
        kinds, phases, programmes, sections = (set(x or ()) for x in (kinds, phases, programmes, sections))
        return (
            (not kinds or bool(kinds & set(self.kinds)))
            and (not phases or bool(phases & set(self.phases)))
            and (not programmes or bool(programmes & set(self.programmes)))
            and (not sections or self.section in sections)
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "key": self.key,
            "subjects": list(self.subjects),
            "name": dict(self.name),
            "role": self.role,
            "section": self.section,
            "size": self.size,
            "kinds": list(self.kinds),
            "phases": list(self.phases),
            "programmes": list(self.programmes),
            "reason": self.reason,
            "next_step": self.next_step,
            "facts": _plain(self.facts),
            "priority": self.priority,
            "parts": {p.key: {"value": p.value, "weight": p.weight} for p in self.parts},
            "evidence_url": self.evidence_url,
            "synthetic": self.synthetic,
            "findings": [_plain(f) for f in self.findings],
            "size_facts": _plain(self.size_facts),
        }


@dataclass(frozen=True)
class Worklist:
    """A region's worklist: cards by priority, with the data completeness to read them by."""

    region: str
    items: tuple[WorkItem, ...]
    completeness: Mapping[str, Any]
    programme_names: Mapping[str, Mapping[str, str]]
    data_version: str = ""
    real_only: bool = False

    def filtered(
        self,
        kinds: Iterable[str] | None = None,
        phases: Iterable[str] | None = None,
        programmes: Iterable[str] | None = None,
        sections: Iterable[str] | None = None,
    ) -> tuple[WorkItem, ...]:
        """The cards passing the filters, in rank order."""
        return tuple(i for i in self.items if i.matches(kinds, phases, programmes, sections))

    def counts(self) -> dict[str, int]:
        """Cards per section."""
        out = dict.fromkeys(SECTIONS, 0)
        for item in self.items:
            out[item.section] += 1
        return out

    def as_dict(self) -> dict[str, Any]:
        """The ``ipeco gaps --json`` document."""
        return {
            "region": self.region,
            "items": [i.as_dict() for i in self.items],
            "counts": self.counts(),
            "completeness": _plain(self.completeness),
            "programmes": {k: dict(v) for k, v in self.programme_names.items()},
        }


def page_of(items: Sequence[WorkItem], page: int, size: int) -> tuple[tuple[WorkItem, ...], int, int]:
    """Page ``page`` (1-based, clamped to the pages there are) of ``size`` cards: (cards, page, pages)."""
    pages = max(1, -(-len(items) // max(size, 1)))
    page = min(max(page, 1), pages)
    start = (page - 1) * size
    return tuple(items[start : start + size]), page, pages


# --- who is a target ----------------------------------------------------------------------------
def industry_class(industry: Any) -> str:
    """The 中小企業基本法 industry class of an ``industry`` text (``manufacturing`` when it cannot be told)."""
    text = str(industry or "").lower()
    for cls, words in _INDUSTRY_WORDS:
        if any(w.lower() in text for w in words):
            return cls
    return "manufacturing"


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def firm_size(attrs: Mapping[str, Any]) -> str:
    """``startup``, ``sme``, ``large`` or ``unknown`` for a company's node attributes (module docstring)."""
    if attrs.get("startup") is True:
        return "startup"
    cap_limit, emp_limit = SME_LIMITS[industry_class(attrs.get("industry"))]
    employees, capital = _int(attrs.get("employees")), _int(attrs.get("capital"))
    known = [(v, limit) for v, limit in ((employees, emp_limit), (capital, cap_limit)) if v is not None]
    if not known:
        return "unknown"
    return "sme" if any(v <= limit for v, limit in known) else "large"


def section_of(attrs: Mapping[str, Any] | None) -> tuple[str, str | None]:
    """(section, size class) of a card's lead subject; None attributes stand for a region-level card."""
    role = role_of(attrs) if attrs is not None else None
    if role == "Company":
        size = firm_size(attrs or {})
        return ("large" if size == "large" else "target"), size
    if role == "University":
        return "target", None
    return "network", None


# --- building the list --------------------------------------------------------------------------
def build_worklist(
    view: nx.MultiDiGraph,
    H: nx.Graph,
    index: PhaseIndex,
    gaps: Sequence[Mapping[str, Any]],
    *,
    region: str = "",
    completeness: Mapping[str, Any] | None = None,
) -> Worklist:
    """Fold ``gaps`` (:func:`analytics.gaps.find_gaps` records) into one card per lead subject.

    ``view``, ``H`` and ``index`` are the region's view, organisation graph and phase index (those
    the gaps were found on); they give the subjects' sizes, names, pages, degrees and programmes.
    """
    groups: dict[str, list[Mapping[str, Any]]] = {}
    gaps = [*gaps, *ip_findings(view)]  # the IP layer's cards (issue 19): analytics.ip
    for gap in gaps:
        groups.setdefault(_card_key(gap), []).append(gap)
    top_degree = max((d for _, d in H.degree()), default=0) or 1
    servers = {phase: _best_server(H, index, phase) for phase in PHASES}
    programmes = _programmes_by_phase(view, index)
    tie_bridges = any(g["kind"] == "fragile_bridge" and len(g["subjects"]) > 1 for g in gaps)
    bridges = cut_structure(H).bridges if tie_bridges else {}
    items = [_card(view, H, key, found, top_degree, servers, programmes, bridges) for key, found in groups.items()]
    items.sort(key=lambda i: (-i.priority, i.key))
    ranked = tuple(_with_rank(item, rank) for rank, item in enumerate(items, start=1))
    names = {
        str(p): MappingProxyType(_names(view, p))
        for p in sorted({p for ps in programmes.values() for p in ps}, key=str)
    }
    return Worklist(region, ranked, MappingProxyType(dict(completeness or {})), MappingProxyType(names))


def _with_rank(item: WorkItem, rank: int) -> WorkItem:
    return replace(item, rank=rank)


def _card_key(gap: Mapping[str, Any]) -> str:
    subjects = gap.get("subjects") or ()
    if gap["kind"] == "missing_role":
        return f"role:{subjects[0]}" if subjects else "role:"
    return str(subjects[0]) if subjects else ""


def _best_server(H: nx.Graph, index: PhaseIndex, phase: str) -> Any | None:
    """The best-connected body serving ``phase``: the one :mod:`analytics.gaps` suggests a referral to."""
    servers = [b for b in H if phase in index.served.get(b, {})]
    return max(servers, key=lambda b: (H.degree(b), str(b)), default=None)


def _programmes_by_phase(view: nx.MultiDiGraph, index: PhaseIndex) -> dict[str, tuple[str, ...]]:
    """Programmes of the view that serve each phase: what a card about that phase can draw on."""
    out: dict[str, list[str]] = {p: [] for p in PHASES}
    for node, phases in index.programme_phases.items():
        if node in view:
            for phase in phases:
                out[phase].append(str(node))
    return {p: tuple(sorted(v)) for p, v in out.items()}


def _names(view: nx.Graph, node: Any) -> dict[str, str]:
    attrs = view.nodes[node] if node in view else {}
    ja = str(attrs.get("name") or attrs.get("name_en") or node)
    return {"ja": ja, "en": str(attrs.get("name_en") or ja)}


def _first_url(value: Any) -> str:
    return next((w for w in str(value or "").split() if w.startswith(("http://", "https://"))), "")


def _evidence_url(view: nx.MultiDiGraph, subject: Any, found: Sequence[Mapping[str, Any]]) -> str:
    """The subject's own page, else the first page a merged finding's evidence cites."""
    url = _first_url(view.nodes[subject].get("evidence")) if subject in view else ""
    if url:
        return url
    for gap in found:
        for record in gap.get("evidence") or ():
            url = _first_url(record.get("evidence") if isinstance(record, Mapping) else "")
            if url:
                return url
    return ""


def _role_names(key: str) -> dict[str, str]:
    for role_key, (ja, en), *_ in EXPECTED_ROLES:
        if role_key == key:
            return {"ja": ja, "en": en}
    return {"ja": key, "en": key}


def _card(
    view: nx.MultiDiGraph,
    H: nx.Graph,
    key: str,
    found: list[Mapping[str, Any]],
    top_degree: int,
    servers: Mapping[str, Any],
    programmes_by_phase: Mapping[str, tuple[str, ...]],
    bridges: Mapping[tuple[Any, Any], tuple[int, int]],
) -> WorkItem:
    found = sorted(found, key=lambda g: (CAUSE_ORDER.index(g["kind"]), -float(g["score"])))
    lead = found[0]
    region_level = lead["kind"] == "missing_role"
    subject = None if region_level else lead["subjects"][0]
    attrs = view.nodes[subject] if subject is not None and subject in view else None
    section, size = section_of(attrs) if not region_level else ("network", None)
    kinds = tuple(k for k in (*GAP_KINDS, *IP_GAP_KINDS) if any(g["kind"] == k for g in found))
    phased = {g["phase"] for g in found if g.get("phase")}
    # A finding without a phase (isolation, a missing liaison, a bridge) concerns every phase.
    phases = tuple(p for p in PHASES if p in phased) if all(g.get("phase") for g in found) else PHASES
    subjects = _subjects(found, region_level)
    reason, next_step, facts, referral = _cause(view, lead, found, section, servers, bridges)
    reach_node = referral if referral is not None else subject
    reach = H.degree(reach_node) / top_degree if reach_node is not None and reach_node in H else 0.0
    fit = FIT["network"] if section == "network" else FIT["university"] if size is None else FIT[size]
    own_page = bool(attrs and _first_url(attrs.get("evidence")) and not attrs.get("synthetic"))
    values = {
        "severity": max(float(g["score"]) for g in found),
        "fit": fit,
        "phase": len(phases) / len(PHASES),
        "reach": reach,
        "evidence": 1.0 if own_page else 0.5,
    }
    parts = tuple(PriorityPart(k, round(values[k], 6), w) for k, w in PRIORITY_WEIGHTS.items())
    programme_ids = sorted({p for phase in phases for p in programmes_by_phase.get(phase, ())})
    name = _role_names(key.removeprefix("role:")) if region_level else _names(view, subject)
    size_facts = {}
    if attrs is not None and size is not None:
        size_facts = {
            k: attrs[k] for k in ("employees", "capital", "size_evidence", "industry") if attrs.get(k) not in (None, "")
        }
    return WorkItem(
        key=key,
        rank=0,
        subjects=subjects,
        name=MappingProxyType(name),
        role=role_of(attrs) if attrs is not None else None,
        section=section,
        size=size,
        kinds=kinds,
        phases=phases,
        programmes=tuple(programme_ids),
        reason=reason,
        next_step=next_step,
        facts=MappingProxyType(facts),
        priority=round(sum(p.contribution for p in parts), 4),
        parts=parts,
        evidence_url=_evidence_url(view, subject, found) if subject is not None else "",
        synthetic=bool(attrs and attrs.get("synthetic")),
        findings=tuple(
            MappingProxyType(
                {
                    "kind": g["kind"],
                    "phase": g.get("phase"),
                    "ja": g["explanation"]["ja"],
                    "en": g["explanation"]["en"],
                    "score": float(g["score"]),
                }
            )
            for g in found
        ),
        size_facts=MappingProxyType(size_facts),
    )


def _subjects(found: Sequence[Mapping[str, Any]], region_level: bool) -> tuple[str, ...]:
    out: list[str] = []
    for gap in found:
        for s in gap["subjects"][1:] if region_level else gap["subjects"]:
            if str(s) not in out:
                out.append(str(s))
    return tuple(out)


def _cause(
    view: nx.MultiDiGraph,
    lead: Mapping[str, Any],
    found: Sequence[Mapping[str, Any]],
    section: str,
    servers: Mapping[str, Any],
    bridges: Mapping[tuple[Any, Any], tuple[int, int]],
) -> tuple[str, str, dict[str, Any], Any]:
    """(reason key, next-step key, facts, the body to refer to or None) of a card's lead finding."""
    kind, subjects = lead["kind"], lead["subjects"]
    evidence = list(lead.get("evidence") or ())
    facts: dict[str, Any]
    if kind in IP_GAP_KINDS:
        return _ip_cause(view, kind, evidence[0] if evidence else {})
    if kind == "missing_role":
        bodies = [_names(view, s) for s in subjects[1:]]
        facts = {"role": _role_names(str(subjects[0])), "bodies": bodies[:3], "more": max(len(bodies) - 3, 0)}
        phase = lead.get("phase")
        facts["phase"] = phase or ""
        return ("missing_role_untied" if bodies else "missing_role_absent"), "missing_role", facts, None
    if kind == "liaison":
        partners = [_names(view, s) for s in subjects[1:]]
        a = _support_kind(view, subjects[0])
        b = _support_kind(view, subjects[1]) if len(subjects) > 1 else ""
        facts = {"partners": partners, "kind_a": _kind_names(a), "kind_b": _kind_names(b)}
        return "liaison", "liaison", facts, None
    if kind == "fragile_bridge":
        record = evidence[0] if evidence and isinstance(evidence[0], Mapping) else {}
        if len(subjects) == 1:
            pieces = list(record.get("pieces") or [0])
            return "bridge_node", "bridge_node", {"cut_off": sum(pieces[1:]), "rest": pieces[0]}, None
        return (
            "bridge_tie",
            "bridge_tie",
            {"other": _names(view, subjects[1]), "cut_off": _bridge_cut(bridges, subjects)},
            None,
        )
    missing = [p for p in PHASES if any(g["kind"] == "phase_coverage" and g.get("phase") == p for g in found)]
    referral = next((servers[p] for p in missing if servers.get(p) is not None), None)
    facts = {"phases": missing, "referral": _names(view, referral) if referral is not None else {}}
    matches = [g for g in found if g["kind"] == "unmet_match"]
    if matches:
        best = matches[0]
        facts["partner"] = _names(view, best["subjects"][1])
        facts["fields"] = list((best.get("evidence") or [{}])[0].get("shared_fields") or [])
    large = section == "large"
    if kind == "isolated":
        ties = int((evidence[0] if evidence else {}).get("ties") or 0)
        reason = "no_tie" if ties == 0 else "no_support_tie"
        step = "large" if large else "visit_refer" if referral is not None else "visit"
        return reason, step, facts, referral
    if kind == "phase_coverage":
        step = "large" if large else "refer" if referral is not None else "find_body"
        # Its evidence lists the phases some tied body covers: none at all means no support body.
        covered = any(g.get("evidence") for g in found if g["kind"] == "phase_coverage")
        unsupported = len(missing) == len(PHASES) and not covered
        return ("no_support_body" if unsupported else "phase_gap"), step, facts, referral
    return "match", "large" if large else "introduce", facts, None


def _ip_cause(view: nx.MultiDiGraph, kind: str, record: Mapping[str, Any]) -> tuple[str, str, dict[str, Any], Any]:
    """An IP card (:func:`analytics.ip.ip_findings`): its reason, and a next step naming an IP support body."""
    body = record.get("body")
    facts: dict[str, Any] = {k: int(record.get(k) or 0) for k in ("rights", "awards", "licences")}
    facts["body"] = _names(view, body) if body is not None else {}
    step = ("ip_refer" if kind == "ip_no_support" else "ip_partner") if body is not None else "ip_find_body"
    return kind, step, facts, body


def _bridge_cut(bridges: Mapping[tuple[Any, Any], tuple[int, int]], subjects: Sequence[Any]) -> int:
    """Organisations a bridge cuts off: the smaller side (:func:`analytics.structure.cut_structure`)."""
    u, v = subjects[0], subjects[1]
    sizes = bridges.get((u, v)) or bridges.get((v, u))
    return min(sizes) if sizes else 0


def _support_kind(view: nx.MultiDiGraph, node: Any) -> str:
    return normalise_support_kind(view.nodes[node].get("support_kind")) or "" if node in view else ""


def _kind_names(kind: str) -> dict[str, str]:
    ja, en = KIND_NAMES.get(kind, (kind, kind))
    return {"ja": ja, "en": en}


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
