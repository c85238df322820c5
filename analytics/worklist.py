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

Priority (:data:`PRIORITY_WEIGHTS`): a weighted sum of nine parts in [0, 1], each kept on the card
so that a reader can see why it ranks where it does:

- ``severity``: the highest score of the card's findings (:mod:`analytics.gaps` scores);
- ``fit``: how squarely the subject is the team's work (:data:`FIT`): startups 1.0, SMEs 0.8–1.0
  (the smaller against its industry's limit, the higher), universities and network cards 0.8,
  unknown size 0.5 (so a sized SME ranks above an otherwise equal firm of unknown size), large
  enterprises 0.1;
- ``need``: how little it is tied: 0.6 / (1 + its ties in the region + half its ties outside), plus
  0.4 × y / (y + 5) for the y years since its latest dated tie (no dated tie counts 1); for a
  missing role, 1 / (1 + the bodies of that role recorded);
- ``phase``: the share of the three business phases the card is about (a finding without a phase,
  such as a missing よろず–窓口 referral, concerns all three);
- ``reach``: how connected the body to turn to is: the degree of the referral body the next step
  names, or of the card's own body for a network card, over the region's highest degree;
- ``opportunity``: how many of the region's organisations fit the subject (the same or a
  complementary JSIC industry, weighted by relatedness; a shared keyword), over the most any
  organisation of the region has: what a producer can build on;
- ``ip``: what IP it has to build on: its rights, IP awards and licences n as n / (n + 2);
- ``profile``: the share of industry, size and keywords its record states;
- ``evidence``: 1.0 when the subject's own public page is recorded, 0.5 otherwise (demo data, or
  a body known only through its ties).

Next step (:mod:`analytics.nextstep`): the body named is chosen by the firm's need — the IP window
for rights without IP support, a research partner for an award winner without one, a first stop
(よろず, its own city's chamber) for a firm with no tie and no IP, else the body for its uncovered
phase — and serves the firm's place, is not tied to it yet and still exists.

Cards in the same situation (same section, reason, next step, body, kinds, phases and size class)
whose priorities agree to two decimals are one card (:func:`grouped`): the first leads, the others
are its ``members``. A list of ten fishery cooperatives that each hold one regional brand and have no
tie tells a producer one thing — brief them together — not ten.

Cards are ordered by priority, then by their key; ``rank`` counts from 1 over the whole list, so a
filtered view keeps each card's place. Reasons and next steps are keys (``reason``, ``next_step``)
with their ``facts``: the words are in the shared string table (``graph.words``), in Japanese and
English, so that the page, the CLI and the spreadsheet say the same sentence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

import networkx as nx

from analytics.eligibility import Body, participant_class
from analytics.engagements import recently_accompanied
from analytics.fit import industry_relatedness, letter_of
from analytics.gaps import GAP_KINDS
from analytics.ip import IP_GAP_KINDS, ip_findings, ip_profiles
from analytics.name_patterns import STATUSES
from analytics.nextstep import ip_status, need_of, next_body
from analytics.orggraph import role_of
from analytics.phases import PhaseIndex, incident_edges, normalise_support_kind
from analytics.profiles import (
    SME_LIMITS,
    firm_class,
    has_ip_support_tie,
    hubs,
    is_gone,
    jsic_of,
    keywords_of,
    tie_year,
    tied_to,
)
from analytics.profiles import industry_class as _industry_class
from analytics.results import frozen, plain
from analytics.structure import cut_structure
from graph.schema import PHASES
from graph.words import LANGS
from graph.words.gaps import expected_role_name, support_kind_name

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
    "grouped",
    "industry_class",
    "section_of",
]

#: Sections of the worklist, in the order a page shows them.
SECTIONS: tuple[str, ...] = ("target", "network", "large")


#: Target fit by size class or section (the ``fit`` part of the priority).
FIT: Mapping[str, float] = MappingProxyType(
    {"startup": 1.0, "sme": 1.0, "university": 0.8, "network": 0.8, "unknown": 0.5, "large": 0.1}
)

#: Weights of the priority's parts; they add up to 1.
PRIORITY_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "severity": 0.20,
        "fit": 0.20,
        "need": 0.15,
        "phase": 0.05,
        "reach": 0.10,
        "opportunity": 0.10,
        "ip": 0.10,
        "profile": 0.05,
        "evidence": 0.05,
    }
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
    members: tuple[Mapping[str, str], ...] = ()

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
            "facts": plain(self.facts),
            "priority": self.priority,
            "parts": {p.key: {"value": p.value, "weight": p.weight} for p in self.parts},
            "evidence_url": self.evidence_url,
            "synthetic": self.synthetic,
            "findings": [plain(f) for f in self.findings],
            "size_facts": plain(self.size_facts),
            "members": [dict(m) for m in self.members],
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
            "completeness": plain(self.completeness),
            "programmes": {k: dict(v) for k, v in self.programme_names.items()},
        }


def page_of(items: Sequence[WorkItem], page: int, size: int) -> tuple[tuple[WorkItem, ...], int, int]:
    """Page ``page`` (1-based, clamped to the pages there are) of ``size`` cards: (cards, page, pages)."""
    pages = max(1, -(-len(items) // max(size, 1)))
    page = min(max(page, 1), pages)
    start = (page - 1) * size
    return tuple(items[start : start + size]), page, pages


# --- who is a target ----------------------------------------------------------------------------
def industry_class(industry: Any, jsic: Any = None) -> str:
    """The 中小企業基本法 industry class of a firm (:func:`analytics.profiles.industry_class`)."""
    return _industry_class(industry, jsic)


def firm_size(attrs: Mapping[str, Any]) -> str:
    """``startup``, ``sme``, ``large`` or ``unknown`` (:func:`analytics.profiles.firm_class`; listed: large)."""
    return firm_class(attrs)


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
    outside: Mapping[Any, int] | None = None,
) -> Worklist:
    """Fold ``gaps`` (:func:`analytics.gaps.find_gaps` records) into one card per lead subject.

    ``view``, ``H`` and ``index`` are the region's view, organisation graph and phase index (those
    the gaps were found on); they give the subjects' sizes, names, pages, degrees and programmes.
    ``outside`` counts each organisation's ties to organisations outside the region
    (:func:`outside_ties` on the whole graph), so that "no tie inside the region (3 outside)" is
    told apart from "no tie at all".
    """
    # Step 1: group the findings by lead subject.
    groups: dict[str, list[Mapping[str, Any]]] = {}
    gaps = [*gaps, *ip_findings(view)]  # the IP layer's cards (issue 19): analytics.ip
    accompanied = recently_accompanied(view)  # a producer just accompanied it: not a gap (issue 22)
    for gap in gaps:
        if is_gone(view, _card_key(gap)) or _card_key(gap) in accompanied:  # merged or closed: no one to visit
            continue
        groups.setdefault(_card_key(gap), []).append(gap)
    # Step 2: what every card draws on — degrees, the body to refer each firm to, programmes, bridges.
    context = _Context(view, H, index, dict(outside or {}))
    programmes = _programmes_by_phase(view, index)
    tie_bridges = any(g["kind"] == "fragile_bridge" and len(g["subjects"]) > 1 for g in gaps)
    bridges = cut_structure(H).bridges if tie_bridges else {}
    # Step 3: one card per subject, ranked.
    items = [_card(context, key, found, programmes, bridges) for key, found in groups.items()]
    items.sort(key=lambda i: (-i.priority, i.key))
    ranked = tuple(_with_rank(item, rank) for rank, item in enumerate(grouped(items), start=1))
    names = {
        str(p): MappingProxyType(_names(view, p))
        for p in sorted({p for ps in programmes.values() for p in ps}, key=str)
    }
    return Worklist(region, ranked, MappingProxyType(dict(completeness or {})), MappingProxyType(names))


def outside_ties(G: nx.MultiDiGraph, H: nx.Graph) -> dict[Any, int]:
    """For each organisation of ``H`` (a region's), its ties in ``G`` (the whole graph) to organisations outside."""
    out: dict[Any, int] = {}
    for node in H:
        if node not in G:
            continue
        n = 0
        for u, v, d in (*G.out_edges(node, data=True), *G.in_edges(node, data=True)):
            other = v if u == node else u
            if (
                other not in H
                and d.get("type") in _TIE_TYPES
                and "Organization" in (G.nodes[other].get("labels") or ())
            ):
                n += 1
        if n:
            out[node] = n
    return out


#: Ties that count as a support or collaboration tie for "no tie inside the region (N outside)".
_TIE_TYPES = frozenset({"SUPPORTS", "COLLABORATES_WITH", "FINANCES", "REFERS_TO"})


class _Context:
    """The region facts every card reads: degrees, hubs, and the body each firm should turn to."""

    def __init__(self, view: nx.MultiDiGraph, H: nx.Graph, index: PhaseIndex, outside: dict[Any, int]) -> None:
        self.view, self.H, self.index, self.outside = view, H, index, outside
        self.top_degree = max((d for _, d in H.degree()), default=0) or 1
        self.hubs = hubs(H)
        region = view.graph.get("region")
        self.letters: Counter[tuple[str, str]] = Counter(
            letter_of(view.nodes[n], H.nodes[n].get("role")) for n in H if n in view
        )
        self.keywords: Counter[str] = Counter(k for n in H if n in view for k in keywords_of(view.nodes[n]))
        self._top_opportunity: float | None = None
        self.ip = ip_profiles(view)
        self.latest_year = max((y for _, _, d in view.edges(data=True) if (y := tie_year(d)) is not None), default=None)
        self.region_name = _names(view, region) if region is not None and region in view else {"ja": "", "en": ""}

    def opportunity(self, subject: Any) -> float:
        """The subject's fitting organisations in the region, over the most any organisation of the region has.

        Each organisation counts by its industry relatedness (:func:`analytics.fit.industry_relatedness`:
        1 for the same 中分類, 0.8 complementary, 0.6 the same 大分類), and each shared keyword counts 1.
        """
        if subject not in self.view:
            return 0.0
        if self._top_opportunity is None:
            self._top_opportunity = max((self._fitting(n) for n in self.H if n in self.view), default=0.0)
        top = self._top_opportunity
        return self._fitting(subject) / top if top > 0 else 0.0

    def _fitting(self, node: Any) -> float:
        attrs = self.view.nodes[node]
        mine = letter_of(attrs, role_of(attrs))
        related = sum(
            (count - (pair == mine)) * industry_relatedness(mine, pair)[0] for pair, count in self.letters.items()
        )
        return max(related, 0.0) + sum(self.keywords.get(k, 1) - 1 for k in keywords_of(attrs))

    def cold(self, subject: Any) -> float:
        """How long since the subject's latest dated tie: y years give y / (y + 5) (1.0: no dated tie).

        Smooth rather than capped, so that a tie of 2010 and one of 2019 still rank apart.
        """
        if self.latest_year is None or subject not in self.view:
            return 1.0
        years = [y for _, _, d in incident_edges(self.view, subject) if (y := tie_year(d)) is not None]
        if not years:
            return 1.0
        gap = max(self.latest_year - max(years), 0)
        return gap / (gap + 5.0)

    def ip_value(self, subject: Any) -> float:
        """What IP the subject has to build on: rights, awards and licences n as n / (n + 2), 0 without any."""
        profile = self.ip.get(str(subject))
        if profile is None:
            return 0.0
        n = sum(profile.rights.values()) + profile.awards + profile.licences
        return n / (n + 2.0)

    def referral(self, subject: Any, phases: Sequence[str]) -> Body | None:
        """The body ``subject`` should turn to, by its need (:mod:`analytics.nextstep`)."""
        if subject not in self.H:
            return None
        view = self.view
        tied = tied_to(view, subject, also=self.H[subject])
        active, reached, awards = ip_status(self.ip, subject)
        need = need_of(
            active,
            reached or has_ip_support_tie(view, subject),
            awards,
            # a hub (the city hall) serving a phase is no support of the firm's own
            supported=any(n in self.index.served and n not in self.hubs for n in tied),
            research_tie=any(n in view and role_of(view.nodes[n]) in ("University", "ResearchInstitute") for n in tied),
            firm=role_of(view.nodes[subject]) == "Company",
        )
        who = participant_class(view.nodes[subject])
        return next_body(view, self.H, self.index, subject, phases, need, tied=tied, hubs=self.hubs, who=who)


def grouped(items: Sequence[WorkItem]) -> list[WorkItem]:
    """Fold cards in the same situation at the same priority (module docstring) into one, in order."""
    order: list[list[WorkItem]] = []
    groups: dict[tuple[Any, ...], list[WorkItem]] = {}
    for item in items:
        key = _situation(item)
        if key is None or key not in groups:
            order.append([item])
            if key is not None:
                groups[key] = order[-1]
        else:
            groups[key].append(item)
    return [cards[0] if len(cards) == 1 else _group_card(cards) for cards in order]


def _situation(item: WorkItem) -> tuple[Any, ...] | None:
    """What two target cards must share to be one card; None for a card that is never grouped."""
    if item.section != "target":
        return None
    body = item.facts.get("referral") or item.facts.get("body") or {}
    why = str(item.facts.get("why") or "")
    return (
        item.reason,
        item.next_step,
        str(body.get("ja", "")),
        why,
        item.kinds,
        item.phases,
        item.size,
        f"{item.priority:.2f}",
    )


def _group_card(cards: Sequence[WorkItem]) -> WorkItem:
    lead = cards[0]
    subjects = tuple(dict.fromkeys(s for c in cards for s in c.subjects))
    members = tuple(MappingProxyType(dict(c.name)) for c in cards[1:])
    return replace(lead, subjects=subjects, members=members, findings=tuple(f for c in cards for f in c.findings))


def _with_rank(item: WorkItem, rank: int) -> WorkItem:
    return replace(item, rank=rank)


def _card_key(gap: Mapping[str, Any]) -> str:
    subjects = gap.get("subjects") or ()
    if gap["kind"] == "missing_role":
        return f"role:{subjects[0]}" if subjects else "role:"
    return str(subjects[0]) if subjects else ""


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
    """The subject's own page, else the first page a merged finding's evidence cites ("" for a region-level card)."""
    if subject is None:
        return ""
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
    return {lang: expected_role_name(key, lang) for lang in LANGS}


def _card(
    ctx: _Context,
    key: str,
    found: list[Mapping[str, Any]],
    programmes_by_phase: Mapping[str, tuple[str, ...]],
    bridges: Mapping[tuple[Any, Any], tuple[int, int]],
) -> WorkItem:
    """One card: its lead finding's cause and next step, and the priority computed from its parts."""
    view = ctx.view
    found = sorted(found, key=lambda g: (CAUSE_ORDER.index(g["kind"]), -float(g["score"])))
    region_level = found[0]["kind"] == "missing_role"
    subject = None if region_level else found[0]["subjects"][0]
    attrs = view.nodes[subject] if subject is not None and subject in view else None
    section, size = section_of(attrs) if not region_level else ("network", None)
    phases = _card_phases(found)
    cause = _cause(ctx, found, section, bridges)
    values = _priority_values(ctx, _Subject(subject, attrs, section, size), found, phases, cause.referral)
    parts = tuple(PriorityPart(k, round(values[k], 6), w) for k, w in PRIORITY_WEIGHTS.items())
    return WorkItem(
        key=key,
        rank=0,
        subjects=_subjects(found, region_level),
        name=MappingProxyType(_card_name(view, key, subject)),
        role=role_of(attrs) if attrs is not None else None,
        section=section,
        size=size,
        kinds=_card_kinds(found),
        phases=phases,
        programmes=tuple(sorted({p for phase in phases for p in programmes_by_phase.get(phase, ())})),
        reason=cause.reason,
        next_step=cause.next_step,
        facts=MappingProxyType(cause.facts),
        priority=round(sum(p.contribution for p in parts), 4),
        parts=parts,
        evidence_url=_evidence_url(view, subject, found),
        synthetic=bool(attrs and attrs.get("synthetic")),
        findings=tuple(_finding_record(g) for g in found),
        size_facts=MappingProxyType(_size_facts(attrs, size)),
    )


def _card_name(view: nx.MultiDiGraph, key: str, subject: Any) -> dict[str, str]:
    """The organisation's names, or the missing role's (a region-level card has no subject)."""
    return _role_names(key.removeprefix("role:")) if subject is None else _names(view, subject)


def _card_kinds(found: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """The kinds of the card's findings, in the order the gap kinds are listed."""
    return tuple(k for k in (*GAP_KINDS, *IP_GAP_KINDS) if any(g["kind"] == k for g in found))


def _card_phases(found: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """The phases a card is about; a finding without a phase (isolation, a liaison, a bridge) concerns all three."""
    if not all(g.get("phase") for g in found):
        return PHASES
    phased = {g["phase"] for g in found}
    return tuple(p for p in PHASES if p in phased)


def _size_facts(attrs: Mapping[str, Any] | None, size: str | None) -> dict[str, Any]:
    """What the firm's record states about its size and industry, shown beside its size class."""
    if attrs is None or size is None:
        return {}
    keys = ("employees", "capital", "size_evidence", "size_as_of", "industry", "jsic", "listed")
    return {k: attrs[k] for k in keys if attrs.get(k) not in (None, "")}


def _finding_record(gap: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(
        {
            "kind": gap["kind"],
            "phase": gap.get("phase"),
            "code": gap["explanation"]["code"],
            "values": frozen(gap["explanation"]["values"]),
            "score": float(gap["score"]),
        }
    )


@dataclass(frozen=True)
class _Subject:
    """A card's lead organisation (None for a missing role) with what the priority reads of it."""

    node: Any
    attrs: Mapping[str, Any] | None
    section: str
    size: str | None


def _priority_values(
    ctx: _Context,
    subject: _Subject,
    found: Sequence[Mapping[str, Any]],
    phases: Sequence[str],
    referral: Any,
) -> dict[str, float]:
    """The priority's parts (module docstring), each in [0, 1]."""
    node, attrs = subject.node, subject.attrs
    reach_node = referral if referral is not None else node
    reach = ctx.H.degree(reach_node) / ctx.top_degree if reach_node is not None and reach_node in ctx.H else 0.0
    own_page = bool(attrs and _first_url(attrs.get("evidence")) and not attrs.get("synthetic"))
    return {
        "severity": max(float(g["score"]) for g in found),
        "fit": _fit_value(subject),
        "need": _need_value(ctx, node, found),
        "phase": len(phases) / len(PHASES),
        "reach": reach,
        "opportunity": ctx.opportunity(node) if node is not None else 0.0,
        "ip": ctx.ip_value(node) if node is not None else 0.0,
        "profile": _profile_value(attrs),
        "evidence": 1.0 if own_page else 0.5,
    }


def _fit_value(subject: _Subject) -> float:
    """How squarely the subject is the team's work (:data:`FIT`; an SME by its size against its limit)."""
    if subject.section == "network":
        return FIT["network"]
    if subject.size is None:
        return FIT["university"]
    if subject.size == "sme" and subject.attrs is not None:
        return _sme_fit(subject.attrs)
    return FIT[subject.size]


def _need_value(ctx: _Context, node: Any, found: Sequence[Mapping[str, Any]]) -> float:
    """How little the subject is tied (module docstring); for a missing role, how few bodies of it are recorded."""
    if node is None:
        return 1.0 / (1.0 + len(found[0]["subjects"][1:]))
    ties = (ctx.H.degree(node) if node in ctx.H else 0) + 0.5 * ctx.outside.get(node, 0)
    return 0.6 / (1.0 + ties) + 0.4 * ctx.cold(node)


def _profile_value(attrs: Mapping[str, Any] | None) -> float:
    """The share of industry, size and keywords the subject's record states."""
    if attrs is None:
        return 0.0
    known = (
        bool(jsic_of(attrs)[0] or attrs.get("industry")),
        attrs.get("employees") not in (None, "") or attrs.get("capital") not in (None, ""),
        bool(keywords_of(attrs) or attrs.get("tech_fields")),
    )
    return sum(known) / len(known)


def _subjects(found: Sequence[Mapping[str, Any]], region_level: bool) -> tuple[str, ...]:
    out: list[str] = []
    for gap in found:
        for s in gap["subjects"][1:] if region_level else gap["subjects"]:
            if str(s) not in out:
                out.append(str(s))
    return tuple(out)


@dataclass(frozen=True)
class _Cause:
    """A card's reason code, next-step code, their facts, and the body the next step names (or None)."""

    reason: str
    next_step: str
    facts: dict[str, Any]
    referral: Any = None


def _cause(
    ctx: _Context,
    found: Sequence[Mapping[str, Any]],
    section: str,
    bridges: Mapping[tuple[Any, Any], tuple[int, int]],
) -> _Cause:
    """The cause of a card's lead finding, by its kind (each kind has its own step below)."""
    lead = found[0]
    kind = lead["kind"]
    if kind in IP_GAP_KINDS:
        return _ip_cause(ctx, lead, section)
    if kind == "missing_role":
        return _role_cause(ctx.view, lead)
    if kind == "liaison":
        return _liaison_cause(ctx.view, lead["subjects"])
    if kind == "fragile_bridge":
        return _bridge_cause(ctx.view, lead, bridges)
    return _firm_cause(ctx, lead, found, section)


def _role_cause(view: nx.MultiDiGraph, lead: Mapping[str, Any]) -> _Cause:
    """A missing role: the bodies of that role recorded but untied (or none), and the phase it serves."""
    subjects = lead["subjects"]
    bodies = [_names(view, s) for s in subjects[1:]]
    facts = {"role": _role_names(str(subjects[0])), "bodies": bodies[:3], "more": max(len(bodies) - 3, 0)}
    facts["phase"] = lead.get("phase") or ""
    return _Cause("missing_role_untied" if bodies else "missing_role_absent", "missing_role", facts)


def _liaison_cause(view: nx.MultiDiGraph, subjects: Sequence[Any]) -> _Cause:
    """Two kinds of support body that should refer to each other and do not."""
    a = _support_kind(view, subjects[0])
    b = _support_kind(view, subjects[1]) if len(subjects) > 1 else ""
    facts = {"partners": [_names(view, s) for s in subjects[1:]], "kind_a": _kind_names(a), "kind_b": _kind_names(b)}
    return _Cause("liaison", "liaison", facts)


def _bridge_cause(
    view: nx.MultiDiGraph, lead: Mapping[str, Any], bridges: Mapping[tuple[Any, Any], tuple[int, int]]
) -> _Cause:
    """A cut vertex (how many it cuts off) or a bridge tie (to whom, and how many it cuts off)."""
    subjects = lead["subjects"]
    evidence = list(lead.get("evidence") or ())
    record = evidence[0] if evidence and isinstance(evidence[0], Mapping) else {}
    if len(subjects) == 1:
        pieces = list(record.get("pieces") or [0])
        return _Cause("bridge_node", "bridge_node", {"cut_off": sum(pieces[1:]), "rest": pieces[0]})
    facts = {"other": _names(view, subjects[1]), "cut_off": _bridge_cut(bridges, subjects)}
    return _Cause("bridge_tie", "bridge_tie", facts)


def _firm_cause(ctx: _Context, lead: Mapping[str, Any], found: Sequence[Mapping[str, Any]], section: str) -> _Cause:
    """An isolated firm, an uncovered phase or an unmet match: the body to refer it to, by its need."""
    view, subject = ctx.view, lead["subjects"][0]
    missing = [p for p in PHASES if any(g["kind"] == "phase_coverage" and g.get("phase") == p for g in found)]
    large = section == "large"
    body = None if large else ctx.referral(subject, missing)
    referral = body.id if body is not None else None
    facts = _body_facts(view, body, {"phases": missing})
    facts.update(_match_facts(view, found))
    if lead["kind"] == "isolated":
        return _isolated_cause(ctx, lead, facts, large, body)
    if lead["kind"] == "phase_coverage":
        # Its evidence lists the phases some tied body covers: none at all means no support body.
        covered = any(g.get("evidence") for g in found if g["kind"] == "phase_coverage")
        reason = "no_support_body" if len(missing) == len(PHASES) and not covered else "phase_gap"
        return _Cause(reason, _refer_step(body, "refer", "find_body", large=large), facts, referral)
    return _Cause("match", "large" if large else "introduce", facts)


def _isolated_cause(
    ctx: _Context, lead: Mapping[str, Any], facts: dict[str, Any], large: bool, body: Body | None
) -> _Cause:
    """No tie, no tie inside the region (N outside), or ties but none of support."""
    subject = lead["subjects"][0]
    evidence = list(lead.get("evidence") or ())
    ties = int((evidence[0] if evidence else {}).get("ties") or 0)
    outside = ctx.outside.get(subject, 0)
    reason = "no_support_tie" if ties else "no_tie_inside" if outside else "no_tie"
    facts.update(outside=outside, region=ctx.region_name)
    step = _refer_step(body, "visit_refer", "visit", large=large)
    return _Cause(reason, step, facts, body.id if body is not None else None)


def _body_facts(view: nx.MultiDiGraph, body: Body | None, facts: dict[str, Any]) -> dict[str, Any]:
    """``facts`` with the body the next step names (its names and why) when there is one."""
    facts["referral"] = _names(view, body.id) if body is not None else {}
    if body is not None:
        facts.update(_referral_facts(view, body))
    return facts


def _refer_step(body: Body | None, refer: str, otherwise: str, *, large: bool = False) -> str:
    """The step that names ``body``: a research partner is approached, any other body is referred to;
    a large firm is a partner for the region's SMEs, not a firm to refer."""
    if large:
        return "large"
    if body is None:
        return otherwise
    return "research_partner" if body.why == "research_partner" else refer


def _match_facts(view: nx.MultiDiGraph, found: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The first unmet match's partner and shared fields (empty when the card has none)."""
    best = next((g for g in found if g["kind"] == "unmet_match"), None)
    if best is None:
        return {}
    fields = list((best.get("evidence") or [{}])[0].get("shared_fields") or [])
    return {"partner": _names(view, best["subjects"][1]), "fields": fields}


def _sme_fit(attrs: Mapping[str, Any]) -> float:
    """An SME's fit, 0.8–1.0: the smaller it is against its industry's 中小企業基本法 limit, the closer to 1."""
    cap_limit, emp_limit = SME_LIMITS[_industry_class(attrs.get("industry"), attrs.get("jsic"))]
    shares = [
        min(float(v) / limit, 1.0)
        for v, limit in ((attrs.get("employees"), emp_limit), (attrs.get("capital"), cap_limit))
        if isinstance(v, int | float) and not isinstance(v, bool)
    ]
    return 0.8 + 0.2 * (1.0 - min(shares)) if shares else FIT["sme"]


def _referral_facts(view: nx.MultiDiGraph, body: Body) -> dict[str, Any]:
    """Why the referral body serves the firm's need: the facts of ``worklist.why.<why>``."""
    facts: dict[str, Any] = {"why": body.why, "why_phase": body.phase}
    if body.programme is not None:
        facts["programme"] = _names(view, body.programme)
    if body.replaces is not None:
        facts["replaces"] = _names(view, body.replaces)
    return facts


def _ip_cause(ctx: _Context, lead: Mapping[str, Any], section: str) -> _Cause:
    """An IP card (:func:`analytics.ip.ip_findings`): its reason, and a next step naming the body its need calls for.

    The body is chosen as for any firm (:mod:`analytics.nextstep`: the IP window for rights without
    support, a research partner for an award winner without one); the IP layer's own choice is the
    fallback for an organisation outside the organisation graph.
    """
    kind, subject = lead["kind"], lead["subjects"][0]
    evidence = list(lead.get("evidence") or ())
    record = evidence[0] if evidence else {}
    facts: dict[str, Any] = {k: int(record.get(k) or 0) for k in ("rights", "awards", "licences")}
    body = None if section == "large" else ctx.referral(subject, PHASES)
    referral = body.id if body is not None else record.get("body")
    facts["body"] = _names(ctx.view, referral) if referral is not None else {}
    facts["referral"] = facts["body"]
    if body is not None:
        facts.update(_referral_facts(ctx.view, body))
    if referral is None:
        return _Cause(kind, "ip_find_body", facts)
    if body is not None and body.why == "research_partner":
        return _Cause(kind, "research_partner", facts, referral)
    return _Cause(kind, "ip_refer" if kind == "ip_no_support" else "ip_partner", facts, referral)


def _bridge_cut(bridges: Mapping[tuple[Any, Any], tuple[int, int]], subjects: Sequence[Any]) -> int:
    """Organisations a bridge cuts off: the smaller side (:func:`analytics.structure.cut_structure`)."""
    u, v = subjects[0], subjects[1]
    sizes = bridges.get((u, v)) or bridges.get((v, u))
    return min(sizes) if sizes else 0


def _support_kind(view: nx.MultiDiGraph, node: Any) -> str:
    return normalise_support_kind(view.nodes[node].get("support_kind")) or "" if node in view else ""


def _kind_names(kind: str) -> dict[str, str]:
    return {lang: support_kind_name(kind, lang) for lang in LANGS}
