"""The typed results of the analysis, defined once for every surface.

The analysis service returns these frozen dataclasses; the CLI, the web app and the reports read
them as they are (no dict → dataclass → dict round trips), so a field added here reaches every
surface and a field renamed breaks the type check rather than a page. ``as_dict`` gives the ``--json``
documents of the CLI. :func:`plain` and :func:`frozen` are the one pair of converters between
JSON-plain data and the read-only form the results hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from analytics.compare import thin_data

__all__ = [
    "MEASURES",
    "NODE_FIELDS",
    "Community",
    "Comparison",
    "EmptyReason",
    "Explanation",
    "Gap",
    "GapReport",
    "Indicator",
    "NodeMeasures",
    "Recommendations",
    "RegionAnalysis",
    "RegionCounts",
    "Suggestion",
    "Text",
    "frozen",
    "plain",
]

#: Per-organisation measures, in menu order (fields of :class:`NodeMeasures`).
MEASURES: tuple[str, ...] = (
    "degree",
    "betweenness",
    "pagerank",
    "harmonic",
    "eigenvector",
    "constraint",
    "effective_size",
    "core_number",
    "participation",
)


@dataclass(frozen=True)
class Text:
    """One phrase in Japanese and English; ``text[lang]`` picks one (English falls back to Japanese)."""

    ja: str
    en: str

    def __getitem__(self, lang: str) -> str:
        return self.en if lang == "en" else self.ja

    @classmethod
    def of(cls, value: Any) -> Text:
        """From ``{"ja", "en"}`` (either may be missing), another ``Text``, or one string used for both."""
        if isinstance(value, Text):
            return value
        if isinstance(value, Mapping):
            ja = str(value.get("ja") or value.get("en") or "")
            return cls(ja, str(value.get("en") or ja))
        text = "" if value is None else str(value)
        return cls(text, text)

    def as_dict(self) -> dict[str, str]:
        return {"ja": self.ja, "en": self.en}


@dataclass(frozen=True)
class Explanation:
    """Why a finding matters, as a code and its values (names, counts, codes), never a sentence.

    The surfaces say it in words with :func:`graph.words.gaps.explain`, so a sentence is written once.
    """

    code: str
    values: Mapping[str, Any]

    @classmethod
    def of(cls, value: Mapping[str, Any]) -> Explanation:
        """From a finding's ``{"code", "values"}`` record (the values made read-only)."""
        return cls(str(value["code"]), frozen(value.get("values") or {}))

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "values": plain(self.values)}


@dataclass(frozen=True)
class NodeMeasures:
    """Every measure of one organisation in its region (``analytics.measures.analyze_region``)."""

    id: str
    degree: int
    weighted_degree: float | None
    betweenness: float | None
    pagerank: float | None
    harmonic: float | None
    eigenvector: float | None
    constraint: float | None
    effective_size: float | None
    core_number: int
    community: int
    participation: float | None
    brokerage: Mapping[str, Any]

    def value(self, measure: str) -> float | int | None:
        """One measure by name (one of :data:`MEASURES` or ``community``)."""
        return getattr(self, measure) if measure in (*MEASURES, "community", "weighted_degree") else None

    def as_dict(self) -> dict[str, Any]:
        row = {name: getattr(self, name) for name in NODE_FIELDS}
        row["brokerage"] = dict(self.brokerage)
        return row


NODE_FIELDS = (
    "degree",
    "weighted_degree",
    "betweenness",
    "pagerank",
    "harmonic",
    "eigenvector",
    "constraint",
    "effective_size",
    "core_number",
    "community",
    "participation",
)


@dataclass(frozen=True)
class Community:
    id: int
    members: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class RegionAnalysis:
    """Measures, communities and cut structure of one region (what ``ipeco analyze`` prints)."""

    region: str
    data_version: str
    real_only: bool
    nodes: Mapping[str, NodeMeasures]
    communities: tuple[Community, ...]
    articulation_points: tuple[str, ...]
    bridges: tuple[tuple[str, str], ...]
    indicators: Mapping[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """The ``ipeco analyze --json`` document."""
        return {
            "region": self.region,
            "nodes": {node: row.as_dict() for node, row in self.nodes.items()},
            "articulation_points": list(self.articulation_points),
            "bridges": [list(pair) for pair in self.bridges],
            "communities": [{"id": c.id, "members": list(c.members), "size": c.size} for c in self.communities],
            "indicators": plain(self.indicators),
        }


@dataclass(frozen=True)
class Gap:
    """One finding a producer can act on (``analytics.gaps``)."""

    kind: str
    subjects: tuple[str, ...]
    phase: str | None
    explanation: Explanation
    evidence: tuple[Mapping[str, Any], ...]
    score: float
    rank: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "subjects": list(self.subjects),
            "phase": self.phase,
            "explanation": self.explanation.as_dict(),
            "evidence": [plain(e) for e in self.evidence],
            "score": self.score,
            "rank": self.rank,
        }


@dataclass(frozen=True)
class GapReport:
    """A region's gaps, ranked, with the data completeness to read them by."""

    region: str
    data_version: str
    real_only: bool
    gaps: tuple[Gap, ...]
    counts: Mapping[str, int]
    completeness: Mapping[str, Any]

    def naming(self, node: str) -> tuple[Gap, ...]:
        """The gaps whose subjects include ``node``."""
        return tuple(g for g in self.gaps if node in g.subjects)

    def as_dict(self) -> dict[str, Any]:
        """The ``ipeco gaps --json`` document."""
        return {
            "region": self.region,
            "gaps": [g.as_dict() for g in self.gaps],
            "counts": dict(self.counts),
            "completeness": plain(self.completeness),
        }


@dataclass(frozen=True)
class Indicator:
    """One row of the comparison: an indicator's value per region (and its null model, if any).

    No words: the surfaces name and define an indicator from the vocabulary by its ``key``
    (``indicator.<key>`` and ``indicator.<key>.def`` in :mod:`graph.words`).
    """

    key: str
    values: Mapping[str, Any]
    null: Mapping[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        row: dict[str, Any] = {"key": self.key, "values": plain(self.values)}
        if self.null is not None:
            row["null"] = plain(self.null)
        return row


@dataclass(frozen=True)
class Comparison:
    """The indicator table of several regions (``analytics.compare``)."""

    regions: tuple[str, ...]
    data_version: str
    real_only: bool
    indicators: tuple[Indicator, ...]
    details: Mapping[str, Any] = field(default_factory=dict)

    def indicator(self, key: str) -> Indicator:
        return next(i for i in self.indicators if i.key == key)

    def ties(self, region: str) -> int | None:
        """The organisation ties (indicator ``m``) each of the region's measures rests on."""
        value = next((i.values.get(region) for i in self.indicators if i.key == "m"), None)
        return int(value) if isinstance(value, int | float) else None

    def thin_regions(self) -> dict[str, int]:
        """Regions whose measures rest on too few ties to read (:func:`analytics.compare.thin_data`)."""
        return {r: n for r in self.regions if thin_data(n := self.ties(r)) and n is not None}

    def as_dict(self) -> dict[str, Any]:
        """The ``ipeco compare --json`` document."""
        return {
            "regions": list(self.regions),
            "indicators": [i.as_dict() for i in self.indicators],
            **plain(self.details),
            "thin_data": self.thin_regions(),
        }


@dataclass(frozen=True)
class RegionCounts:
    """A region's size, computed once (:meth:`AnalysisService.region_counts`) for every surface.

    ``organisations``: organisations seated in or serving the region; ``ties``: pairs of them with
    at least one tie between them (the organisation graph's edges, as the comparison's "Ties (m)");
    ``firms``: the organisations that are companies.
    """

    region: str
    organisations: int
    ties: int
    firms: int

    def as_dict(self) -> dict[str, Any]:
        return {"region": self.region, "organisations": self.organisations, "ties": self.ties, "firms": self.firms}


@dataclass(frozen=True)
class Suggestion:
    """A suggested partner, support body or programme, with reasons and where it is.

    ``place`` is where the partner or body is (a region's name; for a body serving the region from
    outside, what it serves); ``delivered_by`` names the body that delivers a programme in the
    organisation's region (None when none is recorded there).
    """

    kind: str
    id: str
    name: str
    name_en: str
    score: float
    #: Why, as codes and values (``analytics.recommend``); :func:`graph.words.reasons_text` says them.
    reasons: tuple[Mapping[str, Any], ...]
    role: str | None = None
    phase: str | None = None
    #: Where it is, as a kind and names (``analytics.recommend.place``); :func:`graph.words.place_text`.
    place: Mapping[str, Any] | None = None
    delivered_by: str | None = None
    synthetic: bool = False
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> Text:
        """The suggestion's name in both languages (English falls back to the recorded name)."""
        return Text(self.name, self.name_en or self.name)

    def as_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "name": self.name,
            "name_en": self.name_en,
            "score": self.score,
            "reasons": plain(self.reasons),
            "synthetic": self.synthetic,
        }
        for key in ("role", "phase", "delivered_by"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.place is not None:
            out["place"] = plain(self.place)
        return {**out, **plain(self.details)}


@dataclass(frozen=True)
class EmptyReason:
    """Why a list of suggestions is empty: a code and the values its sentence needs (the surfaces say
    it with :func:`graph.words.empty_reason`). ``phases`` are the uncovered phases it concerns,
    ``who`` the participant class a programme was not open to."""

    code: str
    phases: tuple[str, ...] = ()
    who: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "phases": list(self.phases), "who": self.who}


@dataclass(frozen=True)
class Recommendations:
    """Partners, support bodies and programmes for one organisation, within its region."""

    org: str
    name: str
    region: str
    data_version: str
    uncovered_phases: tuple[str, ...]
    partners: tuple[Suggestion, ...]
    support: tuple[Suggestion, ...]
    programmes: tuple[Suggestion, ...]
    method: Mapping[str, Any]
    #: Why a list is empty, for each empty list (``partners``, ``support``, ``programmes``).
    empty: Mapping[str, EmptyReason] = field(default_factory=dict)
    #: Who the suggestions were drawn for: startup, sme, large, unknown (size), university or other.
    participant: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The ``ipeco recommend --json`` document."""
        return {
            "org": self.org,
            "name": self.name,
            "region": self.region,
            "uncovered_phases": list(self.uncovered_phases),
            "partners": [s.as_dict() for s in self.partners],
            "support": [s.as_dict() for s in self.support],
            "programmes": [s.as_dict() for s in self.programmes],
            "empty": {k: v.as_dict() for k, v in self.empty.items()},
            "participant": self.participant,
            "method": dict(self.method),
        }


def plain(value: Any) -> Any:
    """Read-only mappings and tuples back to JSON-plain dicts and lists."""
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return value


def frozen(value: Any) -> Any:
    """JSON-plain data made read-only (mappings → ``MappingProxyType``, lists → tuples)."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: frozen(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(frozen(v) for v in value)
    return value
