"""The same collected content as spreadsheet sheets: name → rows, the first row of a table its header.

Numbers stay numbers (a share is a fraction a spreadsheet can format), text is in the report's
language, and every list is complete: the printed brief shows the top of each, the sheet all of it.
Column headers are words from the shared string table, never internal keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph.words import check_lang, gap_kind_name, ip_kind_name, phase_name, role_name, t
from graph.words.gaps import explain
from reports.formatting import is_number, number
from reports.model import ComparisonData, Gap, IndicatorValue, RegionData, Text
from reports.render import candidate_text, caveat, region_title, suggestion_groups

__all__ = ["Sheets", "comparison_sheets", "region_sheets"]

Sheets = dict[str, list[list[Any]]]


def _meta_rows(lang: str, title: str, generated_at: str, data_version: str, synthetic: bool, gbiz: bool) -> list:
    rows: list[list[Any]] = [
        [title, ""],
        [t("doc.generated", lang), generated_at],
        [t("doc.version", lang), data_version],
    ]
    if synthetic:
        rows.append([t("doc.synthetic", lang), t("common.yes", lang)])
    if gbiz:
        rows.append([t("doc.attribution.gbiz", lang), ""])
    rows.append(["", ""])
    return rows


def _value(value: IndicatorValue, lang: str) -> Any:
    """Numbers stay numbers in a sheet; a phrase is written in the report's language."""
    return value if value is None or is_number(value) else number(value, lang)


def _actor_rows(data: RegionData, lang: str, region: bool = False) -> list[list[Any]]:
    lead = [t("doc.col.region", lang)] if region else []
    rows: list[list[Any]] = [
        [
            *lead,
            t("doc.col.list", lang),
            t("doc.col.rank", lang),
            t("doc.col.name", lang),
            t("doc.col.role", lang),
            t("measure.degree", lang),
            t("measure.betweenness", lang),
            t("measure.pagerank", lang),
            t("doc.col.synthetic", lang),
        ]
    ]
    for kind, actors in (("doc.list.hub", data.hubs), ("doc.list.broker", data.brokers)):
        rows += [
            [
                *([data.name[lang]] if region else []),
                t(kind, lang),
                i,
                a.name[lang],
                role_name(a.role, lang),
                a.degree,
                a.betweenness,
                a.pagerank,
                t("common.yes", lang) if a.synthetic else "",
            ]
            for i, a in enumerate(actors, 1)
        ]
    return rows


def _gap_rows(gaps: list[Gap], names: Mapping[str, Text], lang: str, region: str | None = None) -> list[list[Any]]:
    lead = [t("doc.col.region", lang)] if region is not None else []
    rows: list[list[Any]] = [
        [
            *lead,
            t("doc.col.rank", lang),
            t("doc.col.kind", lang),
            t("doc.col.phase", lang),
            t("doc.col.explanation", lang),
            t("doc.col.subjects", lang),
            t("doc.col.score", lang),
        ]
    ]
    sep = t("form.semicolon_list", lang)
    rows += [
        [
            *([region] if region is not None else []),
            g.rank,
            gap_kind_name(g.kind, lang),
            phase_name(g.phase, lang),
            explain(g.explanation, lang),
            sep.join(names[s][lang] for s in g.subjects if s in names),
            g.score,
        ]
        for g in gaps
    ]
    return rows


def _source_rows(data: RegionData, lang: str) -> list[list[Any]]:
    rows: list[list[Any]] = [[t("doc.col.source", lang), t("doc.col.nodes", lang), t("doc.col.relationships", lang)]]
    rows += [[s.source, s.nodes, s.relationships] for s in data.sources]
    rows += [["", "", ""], [t("doc.col.evidence", lang), t("doc.col.count", lang), ""]]
    rows += [[url, n, ""] for url, n in data.evidence]
    if data.gbiz:
        rows += [["", "", ""], [t("doc.attribution.gbiz", lang), "", ""]]
    return rows


def region_sheets(data: RegionData, *, lang: str, generated_at: str, data_version: str) -> Sheets:
    """The brief as sheets: ``summary`` (report facts, synthetic share, completeness and the
    indicators with definitions), ``hubs_brokers``, ``gaps`` (all of them), ``suggestions``, ``ip`` (the IP
    facts), ``sources``."""
    check_lang(lang)
    title, _ = region_title(data.name, lang)
    syn = data.synthetic
    summary = _meta_rows(lang, title, generated_at, data_version, data.has_synthetic, data.gbiz)
    summary += [
        [t("doc.completeness.organisations", lang), syn.orgs_total],
        [t("doc.completeness.synthetic_orgs", lang), syn.orgs],
        [t("doc.fact.synthetic", lang), round(syn.orgs_share, 4)],
        [t("doc.completeness.synthetic_ties", lang), round(syn.ties_share, 4)],
        [t("doc.completeness.with_evidence", lang), round(syn.evidence_share, 4)],
        *([t(f"completeness.{k}", lang), v] for k, v in data.completeness.items()),
        [caveat(data, lang), ""],
        ["", ""],
        [t("doc.col.indicator", lang), t("doc.col.value", lang), t("doc.col.definition", lang)],
        *(
            [row.label[lang], _value(row.values.get(data.region), lang), row.definition[lang]]
            for row in data.indicators
        ),
    ]
    suggestions: list[list[Any]] = [
        [t("doc.col.firm", lang), t("doc.col.uncovered", lang), t("doc.col.kind", lang), t("doc.col.suggestion", lang)]
    ]
    sep = t("form.list", lang)
    for s in data.suggestions:
        phases = sep.join(phase_name(p, lang) for p in s.phases)
        for kind, entries in suggestion_groups(s):
            suggestions += [[s.name[lang], phases, t(kind, lang), candidate_text(kind, e, lang)] for e in entries]
    return {
        "summary": summary,
        "hubs_brokers": _actor_rows(data, lang),
        "gaps": _gap_rows(data.gaps, data.names, lang),
        "suggestions": suggestions,
        "ip": _ip_rows(data, lang),
        "sources": _source_rows(data, lang),
    }


def _ip_rows(data: RegionData, lang: str) -> list[list[Any]]:
    """The region's IP facts, every one (the brief prints the first 40), with page and date."""
    head = [t(f"ip.col.{k}", lang) for k in ("org", "kind", "what", "number", "date", "source")]
    rows: list[list[Any]] = [head]
    rows += [
        [f.org[lang], ip_kind_name(f.kind, lang), f.what[lang], f.number, f.date, f.evidence] for f in data.ip_facts
    ]
    return rows


def comparison_sheets(data: ComparisonData, *, lang: str, generated_at: str, data_version: str) -> Sheets:
    """The comparison as sheets: ``summary`` (indicator table, regions as columns), ``hubs_brokers``,
    ``gaps`` and ``sources`` with a region column."""
    check_lang(lang)
    summary = _meta_rows(lang, t("doc.title.compare", lang), generated_at, data_version, data.has_synthetic, data.gbiz)
    summary.append([t("doc.col.indicator", lang), *(r.name[lang] for r in data.regions), t("doc.col.definition", lang)])
    summary += [
        [row.label[lang], *(_value(row.values.get(r.region), lang) for r in data.regions), row.definition[lang]]
        for row in data.indicators
    ]
    summary.append([t("doc.fact.synthetic", lang), *(round(r.synthetic.orgs_share, 4) for r in data.regions), ""])
    actors: list[list[Any]] = []
    gaps: list[list[Any]] = []
    sources: list[list[Any]] = []
    for r in data.regions:
        a_rows, g_rows = _actor_rows(r, lang, region=True), _gap_rows(r.gaps, r.names, lang, r.name[lang])
        s_rows = _source_rows(r, lang)
        actors += a_rows if not actors else a_rows[1:]
        gaps += g_rows if not gaps else g_rows[1:]
        sources += ([[t("doc.col.region", lang), *s_rows[0]]] if not sources else []) + [
            [r.name[lang], *row] for row in s_rows[1:] if any(cell != "" for cell in row)
        ]
    return {"summary": summary, "hubs_brokers": actors, "gaps": gaps, "sources": sources}
