"""Collected report data as one self-contained HTML document, from Jinja2 templates.

A producer hands the brief out at a meeting, usually printed: so the document is one HTML file with
no external resources (inline CSS and an inline SVG figure), laid out for A4 with ``@page`` and set
in Noto Sans CJK JP, which :mod:`reports.files` prints to PDF with headless Chromium.

The templates (``reports/templates``) are rendered with autoescape on and undefined names as
errors: every value from the data (names, dataset labels, URLs, timestamps) is escaped on output,
and a misspelt field fails a test instead of printing nothing. Choices about what a printed page
holds (how many gaps, which first) are made here, in Python, and handed to the templates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Final

from jinja2 import Environment, PackageLoader, StrictUndefined

from analytics.compare import COLLECTION_DEPENDENT, THIN_DATA_TIES, thin_data
from analytics.service import AnalysisService
from graph.words import (
    check_lang,
    fiscal_year,
    gap_kind_name,
    gaps_caveat,
    ip_kind_name,
    phase_name,
    place_text,
    reasons_text,
    role_name,
    t,
)
from graph.words.gaps import explain
from reports.collect import collect_comparison, collect_region
from reports.figure import draw
from reports.formatting import css_string, is_number, number, percent
from reports.model import ComparisonData, Figure, FirmSuggestions, Gap, RegionData, Suggestion, Text
from reports.timeline import TimeSection, region_time

__all__ = [
    "comparison_report",
    "figure_svg",
    "region_report",
    "region_title",
    "render_comparison",
    "render_region",
]

#: How much of each list a printed brief shows (the spreadsheet carries everything).
TOP_GAPS: Final = 15
TOP_EVIDENCE: Final = 12
COMPARISON_TOP: Final = 5

_ENV: Final = Environment(
    loader=PackageLoader("reports", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_ENV.globals.update(
    t=t,
    role_name=role_name,
    phase_name=phase_name,
    gap_kind_name=gap_kind_name,
    explain=explain,
    ip_kind_name=ip_kind_name,
    draw=draw,
    is_number=is_number,
    thin_data=thin_data,
    THIN_DATA_TIES=THIN_DATA_TIES,
)
_ENV.filters.update(num=number, pct=percent, css_string=css_string)
_ENV.globals.update(fiscal_year=fiscal_year)  # the region in time (issue 21)


def figure_svg(figure: Figure, lang: str, *, width: float = 320, height: float = 330) -> str | None:
    """The figure as a standalone SVG document without hub names (the briefs' comparison figure),
    or None when there is nothing to draw. The web app shows it as an image, so the compare page
    needs no graph library in the browser."""
    check_lang(lang)
    d = draw(figure, lang, width=width, height=height, labels=False)
    if d.empty:
        return None
    return _ENV.get_template("figure.svg.j2").render(d=d, lang=lang)


def region_title(name: Text, lang: str) -> tuple[str, str]:
    """The heading (language of the report) and the other-language line: the name shows in both."""
    if lang == "ja":
        return f"{name.ja} {t('doc.title.region', 'ja')}", f"{name.en} — {t('doc.title.region', 'en')}"
    return f"{name.en} ({name.ja}) — {t('doc.title.region', 'en')}", f"{name.ja} {t('doc.title.region', 'ja')}"


def gap_selection(gaps: list[Gap], limit: int) -> list[Gap]:
    """The best-ranked gaps taken kind by kind in turn, then in rank order.

    One kind often dominates the ranking (a hundred firms each lacking three phases), and a printed
    page of one kind hides the others; taking turns shows every kind the analysis found.
    """
    queues: dict[str, list[Gap]] = {}
    for gap in gaps:
        queues.setdefault(gap.kind, []).append(gap)
    picked: list[Gap] = []
    while len(picked) < limit and any(queues.values()):
        for queue in queues.values():
            if queue and len(picked) < limit:
                picked.append(queue.pop(0))
    position = {id(g): i for i, g in enumerate(gaps)}
    return sorted(picked, key=lambda g: position[id(g)])


def gap_counts(gaps: Iterable[Gap], lang: str) -> list[tuple[str, int]]:
    """Gaps per kind, most frequent first, kinds in words."""
    return Counter(gap_kind_name(g.kind, lang) for g in gaps).most_common()


def suggestion_groups(s: FirmSuggestions) -> list[tuple[str, tuple[Suggestion, ...]]]:
    """A suggestion's candidates by what they are: support bodies, partners, programmes."""
    return [
        ("doc.suggest.support", s.support),
        ("doc.suggest.partner", s.partners),
        ("doc.suggest.programme", s.programmes),
    ]


def candidate_text(kind: str, entry: Suggestion, lang: str) -> str:
    """``Support body: name (place) — serves the launch phase``, or the analysis' reasons for a
    partner or programme (the name left out when a reason already says it).

    A support body's line is written from its fields rather than the analysis' sentence, whose
    "why" is an internal key (``support_kind incubator``) a reader should not see.
    """
    name = entry.label[lang]
    where = place_text(entry.place, lang)
    place = f" ({where})" if where else ""
    if kind == "doc.suggest.support":
        serves = t("doc.suggest.serves", lang, phase=phase_name(entry.phase, lang).lower()) if entry.phase else ""
        return f"{t(kind, lang)}: {name}{place}" + (f" — {serves}" if serves else "")
    reasons = reasons_text(entry.reasons, lang)
    if reasons and (entry.label.ja in reasons or name in reasons):
        return f"{t(kind, lang)}: {reasons}"
    return f"{t(kind, lang)}: {name}{place}" + (f" — {reasons}" if reasons else "")


def caveat(data: RegionData, lang: str) -> str:
    """The completeness caveat quoting the region's tied share when the analysis gives one, else ours."""
    return gaps_caveat(data.completeness, lang) or t("doc.gaps.caveat", lang)


def collected(key: str) -> bool:
    """True for an indicator whose value depends on how much was collected (it carries the caveat mark)."""
    return key.split(".")[0] in COLLECTION_DEPENDENT


_ENV.globals.update(
    suggestion_groups=suggestion_groups, candidate_text=candidate_text, gap_counts=gap_counts, collected=collected
)


def _common(lang: str, generated_at: str, data_version: str) -> dict[str, object]:
    return {
        "lang": lang,
        "generated_at": generated_at,
        "data_version": data_version,
        "sep": t("form.list", lang),
    }


def render_region(
    data: RegionData, *, lang: str, generated_at: str, data_version: str, time: TimeSection | None = None
) -> str:
    """The regional brief as one HTML document in ``lang`` (with ``time``: the region in time, issue 21)."""
    check_lang(lang)
    title, other = region_title(data.name, lang)
    return _ENV.get_template("region.html.j2").render(
        **_common(lang, generated_at, data_version),
        data=data,
        title=title,
        other_title=other,
        footer=f"ipeco · {data.name[lang]} · {t('doc.version', lang)} {data_version} · {generated_at}",
        gaps_shown=gap_selection(data.gaps, TOP_GAPS),
        evidence_shown=data.evidence[:TOP_EVIDENCE],
        evidence_more=max(0, len(data.evidence) - TOP_EVIDENCE),
        caveat=caveat(data, lang),
        time=time,
    )


def render_comparison(data: ComparisonData, *, lang: str, generated_at: str, data_version: str) -> str:
    """The regions side by side as one HTML document in ``lang``."""
    check_lang(lang)
    title = t("doc.title.compare", lang)
    sources: Counter[str] = Counter()
    for r in data.regions:
        for s in r.sources:
            sources[s.source] += s.nodes + s.relationships
    # The banner quotes the largest synthetic share of any region: the figure a reader must not miss.
    worst = max(data.regions, key=lambda r: r.synthetic.orgs_share) if data.regions else None
    return _ENV.get_template("comparison.html.j2").render(
        **_common(lang, generated_at, data_version),
        data=data,
        title=title,
        other_title=t("doc.title.compare", "en" if lang == "ja" else "ja"),
        footer=f"ipeco · {title} · {t('doc.version', lang)} {data_version} · {generated_at}",
        region_names=" / ".join(f"{r.name.ja} ({r.name.en})" for r in data.regions),
        synthetic=worst.synthetic if worst is not None and data.has_synthetic else None,
        top=COMPARISON_TOP,
        headers=[
            ("", t("doc.col.indicator", lang)),
            *(("num", r.name[lang]) for r in data.regions),
            ("", t("doc.col.definition", lang)),
        ],
        widths=(20, *([46 / max(1, len(data.regions))] * len(data.regions)), 34),
    )


def region_report(
    service: AnalysisService, region: str, *, lang: str = "ja", generated_at: str, data_version: str
) -> str:
    """A complete, self-contained HTML brief of ``region`` in ``lang``, from the analysis service."""
    check_lang(lang)
    data = collect_region(service, region)
    time = region_time(service, region, lang)
    return render_region(data, lang=lang, generated_at=generated_at, data_version=data_version, time=time)


def comparison_report(
    service: AnalysisService, regions: Iterable[str], *, lang: str = "ja", generated_at: str, data_version: str
) -> str:
    """The ``regions`` side by side, as one HTML document in ``lang``."""
    check_lang(lang)
    data = collect_comparison(service, regions)
    return render_comparison(data, lang=lang, generated_at=generated_at, data_version=data_version)
