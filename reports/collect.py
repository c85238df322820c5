"""Gather everything a report states into :mod:`reports.model` records, in no language yet.

Every number comes from the one analysis service (:class:`analytics.service.AnalysisService`), so a
report states what the map, the Gaps page and ``ipeco analyze`` state, over the one region scope
the service reads (:mod:`graph.scope`). This module only chooses and arranges: the top hubs and
brokers, the gaps in rank order with their subjects named, the firms most in need of suggestions,
the datasets and evidence behind the region, its synthetic share, and the figure's layout.
Indicator rows are flattened here so every cell is one number or one phrase, which both the
printed table and a spreadsheet column can hold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, Final

import networkx as nx

from analytics.layout import spring_positions, unit_square
from analytics.service import AnalysisService, GapReport, Recommendations, RegionAnalysis
from graph.schema import PHASES, ROLE_LABELS, primary_label, role_label
from graph.scope import region_id, region_key
from graph.words import LANGS, PHASE_LABELS, ROLE_LABEL_NAMES, STRINGS, t
from reports.model import (
    Actor,
    ComparisonData,
    Figure,
    FigureNode,
    FirmSuggestions,
    Gap,
    Indicator,
    IndicatorRow,
    IndicatorValue,
    IPFactRow,
    RegionData,
    SourceCount,
    Suggestion,
    SyntheticShare,
    Text,
)

__all__ = ["TOP_HUBS", "collect_comparison", "collect_region", "region_figure", "uses_gbiz"]

#: How much of each list a brief holds (the spreadsheet's gap sheet has every gap regardless).
TOP_HUBS: Final = 10
TOP_SUGGESTED_FIRMS: Final = 3
#: Hub names written into the figure.
FIGURE_LABELS: Final = 8
LAYOUT_SEED: Final = 42
#: Fruchterman–Reingold steps: 50 settle a region of a few hundred organisations (150 drew the same
#: picture at three times the cost, the slowest step of a brief after the analysis itself).
LAYOUT_ITERATIONS: Final = 50


def uses_gbiz(graphs: Iterable[nx.MultiDiGraph]) -> bool:
    """True when any node or relationship came from a gBizINFO dataset (its terms require attribution)."""
    for g in graphs:
        if any(str(d.get("source", "")).startswith("gbiz") for _, d in g.nodes(data=True)):
            return True
        if any(str(d.get("source", "")).startswith("gbiz") for _, _, d in g.edges(data=True)):
            return True
    return False


def _names(attrs: Mapping[str, Any], fallback: str) -> Text:
    ja = str(attrs.get("name") or attrs.get("name_en") or fallback)
    return Text(ja, str(attrs.get("name_en") or ja))


def _role(attrs: Mapping[str, Any]) -> str | None:
    labels = attrs.get("labels", ())
    return role_label(labels) or primary_label(labels)


def _in_region_orgs(view: nx.MultiDiGraph) -> list[str]:
    return [n for n, d in view.nodes(data=True) if d.get("in_region") and "Organization" in d.get("labels", ())]


def _num(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


# --- indicators ------------------------------------------------------------------------------------
def _words(key: str) -> tuple[Text, Text]:
    """Label and definition of an indicator from the shared string table (never the raw key)."""
    label = Text(*(t(f"indicator.{key}", lang) for lang in LANGS))
    definition = Text(*(t(f"indicator.{key}.def", lang) for lang in LANGS))
    return label, definition


def _labelled(label: Text, name: Text) -> Text:
    """``label：name`` / ``label: name`` (an indicator broken down by a phase or a role)."""
    return Text(*(t("form.labelled", lang, label=label[lang], text=name[lang]) for lang in LANGS))


def _sub_label(sub: str) -> Text:
    names = PHASE_LABELS.get(sub) or ROLE_LABEL_NAMES.get(sub)
    if names is None:
        msg = f"an indicator is broken down by {sub!r}, which is neither a phase nor a role"
        raise ValueError(msg)
    return Text(*names)


def _broker_names(value: Iterable[Any], graph: nx.MultiDiGraph) -> Text:
    """The named organisations of a list indicator (top brokers), in both languages."""
    names = [
        _names(graph.nodes[i["id"]], str(i["id"])) if i.get("id") in graph else Text.of(i.get("name") or i.get("id"))
        for i in value
        if isinstance(i, Mapping)
    ]
    return Text(*(t("form.list", lang).join(n[lang] for n in names) for lang in LANGS))


def indicator_rows(raw: Iterable[Indicator], graph: nx.MultiDiGraph) -> list[IndicatorRow]:
    """The service's comparison rows as one number (or phrase) per cell (``graph`` names organisations).

    A breakdown by phase or role (coverage by phase, organisations by role) becomes one row per
    entry; triple-helix synergy becomes its value and its 95% interval; the top brokers become
    their names.
    """
    out: list[IndicatorRow] = []
    for row in raw:
        label, definition = _words(row.key)
        values: Mapping[str, Any] = {region_key(str(r)): v for r, v in row.values.items()}
        present = [v for v in values.values() if v is not None]
        shape = _shape(present)
        if shape == "synergy":
            out += _synergy_rows(row.key, label, definition, values)
        elif shape == "breakdown":
            out += _breakdown_rows(row.key, label, definition, values, present)
        elif shape == "list":
            named: dict[str, IndicatorValue] = {r: _broker_names(v or [], graph) for r, v in values.items()}
            out.append(IndicatorRow(row.key, label, definition, named))
        else:
            out.append(IndicatorRow(row.key, label, definition, {r: _scalar(v) for r, v in values.items()}))
    return out


def _joined(label: Text, name: Text) -> Text:
    """``label：name`` / ``label: name`` (an indicator and one entry of its breakdown)."""
    return Text(*(t("form.labelled", lang, label=label[lang], text=name[lang]) for lang in LANGS))


def _shape(present: list[Any]) -> str:
    """What an indicator's values are: ``synergy`` (T(UIG) with its interval), ``breakdown`` (by phase or
    role), ``list`` (of organisations) or ``scalar``."""
    if present and all(isinstance(v, Mapping) and "t_bits" in v for v in present):
        return "synergy"
    if present and all(isinstance(v, Mapping) for v in present):
        return "breakdown"
    if present and all(isinstance(v, list | tuple) for v in present):
        return "list"
    return "scalar"


def _synergy_rows(key: str, label: Text, definition: Text, values: Mapping[str, Any]) -> list[IndicatorRow]:
    """Triple-helix synergy as two rows: its value in bits, and its 95% interval as a phrase."""
    interval: dict[str, IndicatorValue] = {}
    for r, v in values.items():
        lo, hi = ((v or {}).get("ci95") or [None, None])[:2]
        interval[r] = None if lo is None or hi is None else Text.of(f"{lo:.3f} – {hi:.3f}")
    ci_label = Text(*(t("form.ci95", lang, label=label[lang]) for lang in LANGS))
    return [
        IndicatorRow(key, label, definition, {r: (v or {}).get("t_bits") for r, v in values.items()}),
        IndicatorRow(f"{key}.ci95", ci_label, definition, interval),
    ]


def _breakdown_rows(
    key: str, label: Text, definition: Text, values: Mapping[str, Any], present: list[Any]
) -> list[IndicatorRow]:
    """A breakdown by phase or role as one row per entry, phases and roles in schema order."""
    order = [*PHASES, *ROLE_LABELS]
    subs = sorted({k for v in present for k in v}, key=lambda k: (order.index(k) if k in order else len(order), k))
    rows = []
    for sub in subs:
        name = _sub_label(sub)
        sub_values: dict[str, IndicatorValue] = {r: (v or {}).get(sub) for r, v in values.items()}
        rows.append(IndicatorRow(f"{key}.{sub}", _joined(label, name), definition, sub_values))
    return rows


def _scalar(value: Any) -> IndicatorValue:
    if value is None or isinstance(value, int | float):
        return value
    return Text.of(value)


# --- region parts ----------------------------------------------------------------------------------
def _ranked(view: nx.MultiDiGraph, orgs: list[str], analysis: RegionAnalysis, key: str, tiebreak: str) -> list[Actor]:
    """Organisations with a positive ``key`` measure, best first (ties broken by ``tiebreak``, then id)."""

    def num(node: str, name: str) -> float:
        row = analysis.nodes.get(node)
        return _num(row.value(name)) if row is not None else 0.0

    ranked = sorted((n for n in orgs if num(n, key) > 0), key=lambda n: (-num(n, key), -num(n, tiebreak), n))
    return [
        Actor(
            id=node,
            name=_names(view.nodes[node], node),
            role=_role(view.nodes[node]),
            degree=num(node, "degree"),
            betweenness=num(node, "betweenness"),
            pagerank=num(node, "pagerank"),
            synthetic=bool(view.nodes[node].get("synthetic")),
        )
        for node in ranked[:TOP_HUBS]
    ]


def _gaps(report: GapReport) -> list[Gap]:
    """The service's gaps in rank order (ties: by kind)."""
    return sorted(report.gaps, key=lambda g: (g.rank, g.kind))


def _subject_names(view: nx.MultiDiGraph, gaps: Iterable[Gap]) -> dict[str, Text]:
    """Names of the organisations the gaps concern (an expected role's key, not an organisation, has
    none: the explanation already says which role is missing)."""
    return {s: _names(view.nodes[s], s) for gap in gaps for s in gap.subjects if s in view}


def _one_per_phase(entries: Iterable[Suggestion], limit: int) -> tuple[Suggestion, ...]:
    """Up to ``limit`` entries, the best of each phase first, so every uncovered phase gets an answer."""
    picked: list[Suggestion] = []
    seen: set[Any] = set()
    for entry in entries:
        if entry.phase not in seen and entry.id not in {p.id for p in picked}:
            picked.append(entry)
            seen.add(entry.phase)
    picked += [e for e in entries if e not in picked]
    return tuple(picked[:limit])


def _uncovered_phases(gaps: GapReport, firms: list[str]) -> dict[str, list[str]]:
    """Phases each firm lacks support in, from the phase-coverage gaps (which follow referrals and
    memberships, not only direct support)."""
    firm_set = set(firms)
    found: dict[str, list[str]] = {}
    for gap in gaps.gaps:
        if gap.phase in PHASE_LABELS:
            for subject in gap.subjects:
                if subject in firm_set and gap.phase not in found.setdefault(subject, []):
                    found[subject].append(gap.phase)
    return found


def _suggestions(
    service: AnalysisService, region: str, view: nx.MultiDiGraph, gaps: GapReport, orgs: list[str]
) -> list[FirmSuggestions]:
    """Suggestions for the firms with the most phases left without support (ties: by id), drawn
    from the region so that a producer is pointed at bodies that serve it."""
    firms = [n for n in orgs if _role(view.nodes[n]) == "Company"]
    uncovered = _uncovered_phases(gaps, firms)
    chosen = sorted(uncovered, key=lambda f: (-len(uncovered[f]), f))[:TOP_SUGGESTED_FIRMS]
    out = []
    for firm in chosen:
        rec: Recommendations = service.recommendations(firm, region=region)
        out.append(
            FirmSuggestions(
                firm=firm,
                name=_names(view.nodes[firm], firm),
                synthetic=bool(view.nodes[firm].get("synthetic")),
                phases=tuple(sorted(uncovered[firm], key=PHASES.index)),
                support=_one_per_phase(rec.support, 3),
                partners=tuple(rec.partners[:2]),
                programmes=_one_per_phase(rec.programmes, 2),
            )
        )
    return out


def _sources(view: nx.MultiDiGraph) -> tuple[list[SourceCount], list[tuple[str, int]]]:
    nodes = Counter(str(d.get("source") or "?") for _, d in view.nodes(data=True))
    edges = Counter(str(d.get("source") or "?") for _, _, d in view.edges(data=True))
    rows = [
        SourceCount(s, nodes.get(s, 0), edges.get(s, 0))
        for s in sorted(nodes.keys() | edges.keys(), key=lambda s: (-(nodes.get(s, 0) + edges.get(s, 0)), s))
    ]
    urls: Counter[str] = Counter()
    for attrs in [*(d for _, d in view.nodes(data=True)), *(d for _, _, d in view.edges(data=True))]:
        evidence = str(attrs.get("evidence") or "")
        if evidence.startswith(("http://", "https://")):
            urls[evidence] += 1
    return rows, sorted(urls.items(), key=lambda kv: (-kv[1], kv[0]))


def _synthetic(view: nx.MultiDiGraph, orgs: list[str]) -> SyntheticShare:
    org_set = set(orgs)
    ties = [d for u, v, d in view.edges(data=True) if u in org_set or v in org_set]
    real = [d for _, d in view.nodes(data=True) if not d.get("synthetic")]
    real += [d for d in ties if not d.get("synthetic")]
    with_evidence = sum(1 for d in real if d.get("evidence"))
    return SyntheticShare(
        orgs=sum(1 for n in orgs if view.nodes[n].get("synthetic")),
        orgs_total=len(orgs),
        ties=sum(1 for d in ties if d.get("synthetic")),
        ties_total=len(ties),
        evidence_share=with_evidence / len(real) if real else 0.0,
    )


def _figure(view: nx.MultiDiGraph, org_graph: nx.Graph, hubs: list[Actor]) -> Figure:
    """Seeded spring layout of the tied organisations (unit square) and the list of untied ones.

    Organisations without any tie are left out of the layout: a spring layout pushes them to the rim
    and squeezes the network into a dot. They are drawn in a band of their own instead, which also
    shows at a glance how many actors are isolated.
    """
    tied = [n for n in org_graph if org_graph.degree(n) > 0]
    pos: dict[Any, tuple[float, float]] = {}
    if tied:
        sub = org_graph.subgraph(tied)
        pos = unit_square(spring_positions(sub, seed=LAYOUT_SEED, iterations=LAYOUT_ITERATIONS))
    labelled = {h.id for h in hubs[:FIGURE_LABELS]}

    def node(n: Any) -> FigureNode:
        return _figure_node(view, org_graph, n, pos.get(n, (0.5, 0.5)), n in labelled)

    order = {role: i for i, role in enumerate(ROLE_LABELS)}
    isolates = sorted(
        (n for n in org_graph if org_graph.degree(n) == 0),
        key=lambda n: (order.get(org_graph.nodes[n].get("role"), 99), str(n)),
    )
    return Figure(
        nodes=tuple(node(n) for n in tied),
        isolates=tuple(node(n) for n in isolates),
        edges=tuple((str(u), str(v)) for u, v in org_graph.edges()),
    )


def _figure_node(
    view: nx.MultiDiGraph, org_graph: nx.Graph, n: Any, xy: tuple[float, float], labelled: bool
) -> FigureNode:
    """One organisation of the figure at ``xy``, named when it is one of the labelled hubs."""
    return FigureNode(
        id=str(n),
        x=xy[0],
        y=xy[1],
        role=org_graph.nodes[n].get("role"),
        synthetic=bool(org_graph.nodes[n].get("synthetic")),
        degree=int(org_graph.degree(n)),
        name=_names(view.nodes[n], str(n)) if labelled else None,
    )


def _completeness(raw: Mapping[str, Any]) -> dict[str, float | int]:
    """The completeness figures a reader is shown (shares and counts)."""
    return {
        str(k): v
        for k, v in raw.items()
        if isinstance(v, int | float) and not isinstance(v, bool) and f"completeness.{k}" in STRINGS
    }


def _region(
    service: AnalysisService, key: str, *, suggestions: bool, figure: bool, indicators: list[IndicatorRow]
) -> RegionData:
    view = service.region_view(key)
    orgs = _in_region_orgs(view)
    analysis = service.analysis(key)
    gaps = service.gaps(key)
    hubs = _ranked(view, orgs, analysis, "degree", "pagerank")
    ranked_gaps = _gaps(gaps)
    sources, evidence = _sources(view)
    completeness = _completeness(gaps.completeness)
    org_graph = service.organisation_graph(key)  # the one the analysis measured, not a rebuilt copy
    return RegionData(
        region=key,
        name=_names(view.nodes[region_id(key)], key),
        indicators=[IndicatorRow(r.key, r.label, r.definition, {key: r.values.get(key)}) for r in indicators],
        hubs=hubs,
        brokers=_ranked(view, orgs, analysis, "betweenness", "degree"),
        gaps=ranked_gaps,
        completeness=completeness,
        suggestions=_suggestions(service, key, view, gaps, orgs) if suggestions else [],
        sources=sources,
        evidence=evidence,
        synthetic=_synthetic(view, orgs),
        gbiz=uses_gbiz([view]),
        ties=org_graph.number_of_edges(),
        worklist=service.worklist(key).counts(),
        figure=_figure(view, org_graph, hubs) if figure else None,
        ip_facts=_ip_facts(service, key, view),
        names=_subject_names(view, ranked_gaps),
        producer_records=service.engagements(key).records,
    )


def _ip_facts(service: AnalysisService, key: str, view: nx.MultiDiGraph) -> list[IPFactRow]:
    """The region's IP facts from the service (the list ``ipeco ip`` prints), named in both languages."""

    graph = service.graph()

    def name(node: str) -> Text:
        # an awarding body may sit outside the region: it is still named, never shown by its id
        return _names(graph.nodes[node], node) if node in graph else Text.of(node)

    rows = []
    for fact in service.ip(key).facts:
        what = name(fact.subject)
        if fact.detail and fact.fact == "award":
            what = Text(*(t("form.paren", lang, text=what[lang], detail=fact.detail) for lang in LANGS))
        rows.append(IPFactRow(name(fact.org), fact.kind, what, fact.number, fact.date, fact.evidence))
    return rows


def collect_region(service: AnalysisService, region: str, *, figure: bool = True) -> RegionData:
    """Everything the brief of ``region`` states, from the analysis service.

    ``figure=False`` skips the network layout (a spreadsheet has no figure). The result is cached in
    the service until the data version changes (a second download, or the PDF after the XLSX, only
    renders and writes); callers must not mutate it.
    """
    key = region_key(region)

    def compute() -> RegionData:
        indicators = indicator_rows(service.comparison([key]).indicators, service.graph())
        return _region(service, key, suggestions=True, figure=figure, indicators=indicators)

    return service.cached(("report-region", key, figure), compute)


def region_figure(service: AnalysisService, region: str, *, real_only: bool = False) -> Figure:
    """The region's network figure without hub names (the web app's compare thumbnails).

    The same layout the briefs print, built on the organisation graph the analysis measured, with or
    without synthetic data; cached in the service until the data version changes.
    """
    key = region_key(region)

    def compute() -> Figure:
        view = service.region_view(key, real_only=real_only)
        return _figure(view, service.organisation_graph(key, real_only=real_only), [])

    return service.cached(("region-figure", key, real_only), compute)


def collect_comparison(service: AnalysisService, regions: Iterable[str], *, figure: bool = True) -> ComparisonData:
    """Each region's brief (without suggestions) and one indicator table over all regions (cached
    in the service like :func:`collect_region`; callers must not mutate it)."""
    keys = tuple(region_key(r) for r in regions)

    def compute() -> ComparisonData:
        table = indicator_rows(service.comparison(keys).indicators, service.graph())
        return ComparisonData(
            regions=[_region(service, key, suggestions=False, figure=figure, indicators=table) for key in keys],
            indicators=table,
        )

    return service.cached(("report-comparison", keys, figure), compute)
