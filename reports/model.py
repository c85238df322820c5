"""What a report states, as typed, language-independent data.

Collecting (``reports.collect``) and writing (HTML templates, spreadsheet sheets) are separate
steps joined by these records, so that the PDF, the HTML and the XLSX of one report are made from
the same numbers. Text a reader sees in either language is a :class:`Text`; everything else is a
number, an identifier or a flag. The analysis' own results (gaps, indicator rows, suggested
partners, bodies and programmes) are :mod:`analytics.results` records used as they are; this module
only adds what a report arranges around them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analytics.results import Gap, Indicator, Suggestion, Text

__all__ = [
    "Actor",
    "ComparisonData",
    "Figure",
    "FigureNode",
    "FirmSuggestions",
    "Gap",
    "Indicator",
    "IndicatorRow",
    "IndicatorValue",
    "RegionData",
    "SourceCount",
    "Suggestion",
    "SyntheticShare",
    "Text",
]


#: A cell of the indicator table: a number, a phrase in both languages, or nothing (not computable).
IndicatorValue = int | float | Text | None


@dataclass(frozen=True)
class IndicatorRow:
    """One printed row of the indicator table: the analysis' :class:`Indicator` flattened so each cell
    holds one number or phrase (a breakdown by phase becomes one row per phase), named in both
    languages from the vocabulary; ``values`` by region key (one region for a brief)."""

    key: str
    label: Text
    definition: Text
    values: dict[str, IndicatorValue]


@dataclass(frozen=True)
class Actor:
    """An organisation in the hubs or brokers list, with the measures that ranked it."""

    id: str
    name: Text
    role: str | None
    degree: float
    betweenness: float
    pagerank: float
    synthetic: bool


@dataclass(frozen=True)
class FirmSuggestions:
    """For one firm: the phases it lacks support in, and who or what could fill them (the service's
    :class:`analytics.results.Suggestion` records, chosen and ordered for the brief)."""

    firm: str
    name: Text
    synthetic: bool
    phases: tuple[str, ...]
    support: tuple[Suggestion, ...]
    partners: tuple[Suggestion, ...]
    programmes: tuple[Suggestion, ...]


@dataclass(frozen=True)
class SourceCount:
    """How many nodes and relationships of the region came from one dataset."""

    source: str
    nodes: int
    relationships: int


@dataclass(frozen=True)
class SyntheticShare:
    """How much of the region is generated demo data, and how much real data carries evidence."""

    orgs: int
    orgs_total: int
    ties: int
    ties_total: int
    evidence_share: float

    @property
    def orgs_share(self) -> float:
        return self.orgs / self.orgs_total if self.orgs_total else 0.0

    @property
    def ties_share(self) -> float:
        return self.ties / self.ties_total if self.ties_total else 0.0

    @property
    def any(self) -> bool:
        return bool(self.orgs or self.ties)


@dataclass(frozen=True)
class FigureNode:
    """An organisation in the figure: position in the unit square, and a name when it is labelled."""

    id: str
    x: float
    y: float
    role: str | None
    synthetic: bool
    degree: int
    name: Text | None


@dataclass(frozen=True)
class Figure:
    """The network figure's content: tied organisations laid out, untied ones listed apart."""

    nodes: tuple[FigureNode, ...]
    isolates: tuple[FigureNode, ...]
    edges: tuple[tuple[str, str], ...]

    @property
    def organisations(self) -> int:
        return len(self.nodes) + len(self.isolates)

    @property
    def ties(self) -> int:
        return len(self.edges)


@dataclass(frozen=True)
class IPFactRow:
    """One IP fact of the brief's IP section (``analytics.ip``): who, what kind, what, its page and date."""

    org: Text
    kind: str
    what: Text
    number: str
    date: str
    evidence: str


@dataclass
class RegionData:
    """Everything a regional brief states.

    ``completeness`` holds the gap analysis' data-completeness figures by key (shares and counts);
    the caveat read beside the gaps quotes its ``tied_share`` (:func:`graph.words.gaps_caveat`).
    ``gaps`` are the service's, in rank order; ``names`` names each organisation they concern, in
    both languages. ``figure`` is None when the caller did not ask for one (a spreadsheet has no
    figure, and the layout is the slowest step of a brief).
    """

    region: str
    name: Text
    indicators: list[IndicatorRow]
    hubs: list[Actor]
    brokers: list[Actor]
    gaps: list[Gap]
    completeness: dict[str, float | int]
    suggestions: list[FirmSuggestions]
    sources: list[SourceCount]
    evidence: list[tuple[str, int]]
    synthetic: SyntheticShare
    gbiz: bool
    ties: int
    figure: Figure | None = None
    #: The worklist's cards per section (target, network, large): the count every surface calls "gaps".
    worklist: dict[str, int] = field(default_factory=dict)
    #: The region's IP facts (issue 19), as ``ipeco ip`` lists them.
    ip_facts: list[IPFactRow] = field(default_factory=list)
    #: Names of the organisations the gaps concern, by id.
    names: dict[str, Text] = field(default_factory=dict)
    #: The producer team's own records (source: producer), which ``ties`` leaves out (issue 22).
    producer_records: int = 0

    @property
    def has_synthetic(self) -> bool:
        return self.synthetic.any


@dataclass
class ComparisonData:
    """The comparison: one indicator table over all regions, and each region's collected brief."""

    regions: list[RegionData]
    indicators: list[IndicatorRow] = field(default_factory=list)

    @property
    def has_synthetic(self) -> bool:
        return any(r.has_synthetic for r in self.regions)

    @property
    def gbiz(self) -> bool:
        return any(r.gbiz for r in self.regions)
