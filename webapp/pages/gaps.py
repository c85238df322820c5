"""Gaps page: the region's gap list, filterable by kind and phase, each linked to the map.

Every list is headed by the data completeness, because a missing tie may only be missing data
(DESIGN §4).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import Input, Output, State, dcc, html

from analytics.service import Gap, GapReport
from graph.schema import PHASES
from graph.store import StoreUnavailable
from reports.i18n import STRINGS, gap_kind_name, phase_name, role_name, t
from webapp import ids
from webapp.components import labelled, region_options, resolve_region, store_message, view_store
from webapp.data import DataSource
from webapp.detail import tie_sources
from webapp.state import encode_query

PATH = "/gaps"
NAV = "nav.gaps"


def kind_name(kind: str, lang: str) -> str:
    return gap_kind_name(kind, lang)


def filter_gaps(gaps: Sequence[Gap], kinds: list[str] | None, phases: list[str] | None) -> list[Gap]:
    """Gaps of the chosen kinds and phases (empty choice = all); gaps without a phase match any phase."""
    return [g for g in gaps if (not kinds or g.kind in kinds) and (not phases or not g.phase or g.phase in phases)]


#: Sourced ties shown on a gap card (the map's detail panel shows them all).
_CARD_SOURCES = 3


def gap_items(ds: DataSource, region: str, gaps: Sequence[Gap], lang: str) -> list[Any]:
    graph, _ = ds.graph()
    view = ds.region_view(region)
    items = []
    for gap in gaps:
        subject = next((s for s in gap.subjects if s in graph), "")
        sources = tie_sources(view, subject, lang, limit=_CARD_SOURCES) if subject in view else []
        href = "/" + encode_query({"region": region, "sel": subject or None, "lang": lang if lang != "ja" else None})
        meta = [t("common.phase", lang) + ": " + phase_name(gap.phase, lang)] if gap.phase else []
        meta.append(f"{t('gaps.score', lang)}: {gap.score:.2f}")
        items.append(
            html.Li(
                [
                    html.Span(kind_name(gap.kind, lang), className="gap-kind"),
                    html.Span(gap.explanation[lang]),
                    html.Div([" · ".join(meta), " ", dcc.Link(t("gaps.show", lang), href=href)], className="gap-meta"),
                    *([html.Details([html.Summary(t("detail.evidence", lang)), html.Ul(sources)])] if sources else []),
                ],
                className="gap-item",
            )
        )
    return items or [html.Li(t("gaps.none", lang))]


def completeness(report: GapReport, lang: str) -> list[Any]:
    """The data completeness in words: labels from the shared table, shares as percentages, the
    caveat as a sentence in the page's language (the same labels the regional brief uses)."""
    rows = []
    for key, value in report.completeness.items():
        if key == "caveat" or (f"completeness.{key}" not in STRINGS and key != "untied_by_role"):
            continue
        if key == "untied_by_role":
            label = t("gaps.untied_by_role", lang)
            shown = "、".join(f"{role_name(r, lang)} {n}" for r, n in value.items()) if value else "—"
        else:
            label = t(f"completeness.{key}", lang)
            shown = f"{value:.0%}" if key.endswith("_share") else f"{value:,}"
        rows.append(html.Tr([html.Th(label), html.Td(shown)]))
    return [
        html.H3(t("gaps.completeness", lang)),
        html.P(report.caveat[lang] or t("gaps.completeness_note", lang)),
        html.Table(html.Tbody(rows), className="kv"),
    ]


def layout(ds: DataSource, **params: Any) -> Any:
    lang = "en" if params.get("lang") == "en" else "ja"
    kinds = [k for k in (params.get("kind") or "").split(",") if k]
    phases = [p for p in (params.get("phase") or "").split(",") if p in PHASES]
    try:
        region = resolve_region(ds, params.get("region"))
        regions = region_options(ds, lang)
        gaps = ds.gaps(region).gaps if region else ()
    except StoreUnavailable as exc:
        return store_message(lang, exc)
    kind_choices = sorted({g.kind for g in gaps} | set(kinds))
    controls = html.Div(
        [
            labelled(
                t("common.region", lang),
                dcc.Dropdown(id=ids.GAPS_REGION, options=regions, value=region, clearable=False),
                ids.GAPS_REGION,
            ),
            labelled(
                t("gaps.kind", lang),
                dcc.Dropdown(
                    id=ids.GAPS_KIND,
                    multi=True,
                    value=kinds,
                    placeholder=t("map.any", lang),
                    options=[{"label": kind_name(k, lang), "value": k} for k in kind_choices],
                ),
                ids.GAPS_KIND,
            ),
            labelled(
                t("common.phase", lang),
                dcc.Dropdown(
                    id=ids.GAPS_PHASE,
                    multi=True,
                    value=phases,
                    placeholder=t("map.any", lang),
                    options=[{"label": phase_name(p, lang), "value": p} for p in PHASES],
                ),
                ids.GAPS_PHASE,
            ),
        ],
        className="controls-row",
    )
    return html.Div(
        [
            view_store("gaps", PATH),
            dcc.Store(id="gaps-lang", data=lang),
            html.H2(t("gaps.title", lang)),
            controls,
            html.Div(id=ids.GAPS_COMPLETENESS),
            html.Ul(id=ids.GAPS_LIST, className="gap-list"),
        ],
        className="page",
    )


def register(app: Any, ds: DataSource) -> None:
    @app.callback(
        Output(ids.GAPS_LIST, "children"),
        Output(ids.GAPS_COMPLETENESS, "children"),
        Output({"type": ids.VIEW, "page": "gaps"}, "data"),
        Input(ids.GAPS_REGION, "value"),
        Input(ids.GAPS_KIND, "value"),
        Input(ids.GAPS_PHASE, "value"),
        State("gaps-lang", "data"),
    )
    def show(region: str, kinds: list[str], phases: list[str], lang: str) -> tuple[Any, ...]:
        query = encode_query({"region": region, "kind": kinds, "phase": phases, "lang": lang if lang != "ja" else None})
        try:
            report = ds.gaps(region)
            items = gap_items(ds, region, filter_gaps(report.gaps, kinds, phases), lang)
        except (StoreUnavailable, KeyError) as exc:
            return [html.Li(store_message(lang, str(exc)))], [], {"path": PATH, "query": query}
        return items, completeness(report, lang), {"path": PATH, "query": query}
