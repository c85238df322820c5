"""Gaps page: the region's worklist, one card per organisation, paged and filterable.

The cards, their order and their words come from the analysis service's worklist
(:mod:`analytics.worklist`) and :mod:`reports.worklist`; this page only filters, pages and draws
them. Every list is headed by the data completeness, because a missing tie may only be missing
data (DESIGN §4). The spreadsheet offered for download holds the filtered cards in the page's order.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from dash import Input, Output, State, callback_context, dcc, html, no_update
from dash.exceptions import PreventUpdate

from analytics.gaps import GAP_KINDS
from analytics.ip import IP_GAP_KINDS
from analytics.service import GapReport
from analytics.worklist import SECTIONS, WorkItem, Worklist, page_of
from graph.errors import IpecoError
from graph.schema import PHASES
from graph.store import StoreUnavailable
from graph.words import STRINGS, gap_kind_name, gaps_caveat, phase_name, role_name, t
from graph.words.gaps import explain
from reports.worklist import (
    item_name,
    members_text,
    next_step_text,
    part_rows,
    reason_text,
    size_text,
    write_worklist_xlsx,
)
from webapp import ids
from webapp.components import labelled, region_options, resolve_region, store_message, view_store
from webapp.data import DataSource
from webapp.detail import tie_sources
from webapp.state import encode_query

PATH = "/gaps"
NAV = "nav.gaps"

#: Cards per page.
PAGE_SIZE = 20
#: Sections shown until the reader picks others: large enterprises have their own choice.
DEFAULT_SECTIONS: tuple[str, ...] = ("target", "network")
#: Sourced ties shown on a card (the map's detail panel shows them all).
_CARD_SOURCES = 3


def _listed(value: Any, allowed: Sequence[str] | None = None) -> list[str]:
    items = [v for v in (value or "").split(",") if v] if isinstance(value, str) else list(value or [])
    return [v for v in items if allowed is None or v in allowed]


def _page_number(value: Any) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def worklist_items(ds: DataSource, region: str, items: Sequence[WorkItem], lang: str, *, first: int = 1) -> list[Any]:
    """The cards as list items: number, name, size, reason, next step, and on demand why and the sources.

    Cards are numbered from ``first`` in the order shown (consecutive within the filtered list and
    across its pages); the card's rank over the whole worklist stays in its ``data-rank`` attribute.
    """
    view = ds.region_view(region)
    out = []
    for number, item in enumerate(items, start=first):
        subject = next((s for s in item.subjects if s in view), "")
        href = "/" + encode_query({"region": region, "sel": subject or None, "lang": lang if lang != "ja" else None})
        sources = tie_sources(view, subject, lang, limit=_CARD_SOURCES) if subject else []
        tags = _card_tags(item, lang)
        meta = _card_meta(item, lang)
        links = _card_links(item, lang, href if subject else "")
        why = [html.Li(row) for row in part_rows(item, lang)]
        why.append(html.Li(html.Strong(f"{t('worklist.priority', lang)} = {item.priority:.2f}")))
        findings = [html.Li(f"{gap_kind_name(f['kind'], lang)}: {explain(f, lang)}") for f in item.findings]
        out.append(
            html.Li(
                [
                    html.Div(
                        [html.Span(f"{number}", className="card-rank"), html.Strong(item_name(item, lang)), *tags],
                        className="card-head",
                    ),
                    html.P(reason_text(item, lang), className="card-reason"),
                    *([html.P(members, className="card-members")] if (members := members_text(item, lang)) else []),
                    html.P(
                        [html.Strong(t("worklist.next_label", lang) + ": "), next_step_text(item, lang)],
                        className="card-next",
                    ),
                    html.Div([" · ".join(meta), " ", *_spaced(links)], className="gap-meta"),
                    html.Details([html.Summary(t("worklist.why", lang)), html.Ul(why)], className="card-why"),
                    html.Details(
                        [html.Summary(t("worklist.findings", lang) + f" ({len(findings)})"), html.Ul(findings)]
                    ),
                    *([html.Details([html.Summary(t("detail.evidence", lang)), html.Ul(sources)])] if sources else []),
                ],
                className="gap-item",
                **_data_attributes(item),
            )
        )
    return out or [html.Li(t("gaps.none", lang))]


def _card_tags(item: WorkItem, lang: str) -> list[Any]:
    """The card's kinds of gap, its size class and, for demo data, the synthetic badge."""
    tags: list[Any] = [html.Span(gap_kind_name(k, lang), className="kind-tag") for k in item.kinds]
    if size := size_text(item, lang):
        tags.append(html.Span(size, className="size-tag size-" + (item.size or "none")))
    if item.synthetic:
        tags.append(html.Span(t("doc.synthetic", lang), className="badge-synthetic"))
    return tags


def _card_meta(item: WorkItem, lang: str) -> list[Any]:
    """The phases the card is about (when not all three) and its priority."""
    meta: list[Any] = []
    if set(item.phases) != set(PHASES):
        meta.append(
            t("common.phase", lang) + ": " + t("form.tight_list", lang).join(phase_name(p, lang) for p in item.phases)
        )
    meta.append(f"{t('worklist.priority', lang)} {item.priority:.2f}")
    return meta


def _card_links(item: WorkItem, lang: str, href: str) -> list[Any]:
    """A link to the organisation on the map (``href``, "" for none) and to its public page."""
    links: list[Any] = [dcc.Link(t("gaps.show", lang), href=href)] if href else []
    if item.evidence_url:
        links.append(html.A(t("worklist.col.evidence", lang), href=item.evidence_url, target="_blank", rel="noopener"))
    return links


def _data_attributes(item: WorkItem) -> dict[str, Any]:
    """What tests and scripts find a card by: its key, section and rank over the whole worklist (``data-*``)."""
    return {"data-key": item.key, "data-section": item.section, "data-rank": str(item.rank)}


def _spaced(links: list[Any]) -> list[Any]:
    out: list[Any] = []
    for link in links:
        out += [link, " "]
    return out


def completeness(report: GapReport | Worklist, lang: str) -> list[Any]:
    """The data completeness in words: labels from the shared table, shares as percentages, the
    caveat as a sentence in the page's language (the same labels the regional brief uses)."""
    rows = []
    for key, value in report.completeness.items():
        if f"completeness.{key}" not in STRINGS and key != "untied_by_role":
            continue
        if key == "untied_by_role":
            label = t("gaps.untied_by_role", lang)
            shown = t("form.list", lang).join(f"{role_name(r, lang)} {n}" for r, n in value.items()) if value else "—"
        else:
            label = t(f"completeness.{key}", lang)
            shown = f"{value:.0%}" if key.endswith("_share") else f"{value:,}"
        rows.append(html.Tr([html.Th(label), html.Td(shown)]))
    return [
        html.P(gaps_caveat(report.completeness, lang) or t("gaps.completeness_note", lang)),
        html.Details(
            [html.Summary(t("gaps.completeness", lang)), html.Table(html.Tbody(rows), className="kv kv-compact")]
        ),
    ]


def _dropdown(id_: str, label: str, options: list[dict[str, str]], value: list[str], lang: str) -> Any:
    return labelled(
        label,
        dcc.Dropdown(id=id_, multi=True, value=value, placeholder=t("map.any", lang), options=options),
        id_,
    )


def layout(ds: DataSource, **params: Any) -> Any:
    lang = "en" if params.get("lang") == "en" else "ja"
    kinds = _listed(params.get("kind"), (*GAP_KINDS, *IP_GAP_KINDS))  # an unknown kind: named by the page notice
    phases = _listed(params.get("phase"), PHASES)
    programmes = _listed(params.get("programme"))
    sections = _listed(params.get("section"), SECTIONS) or list(DEFAULT_SECTIONS)
    page = _page_number(params.get("page"))
    try:
        region = resolve_region(ds, params.get("region"))
        regions = region_options(ds, lang)
        worklist = ds.worklist(region) if region else None
    except StoreUnavailable as exc:
        return store_message(lang, exc)
    items = worklist.items if worklist else ()
    kind_choices = sorted({k for i in items for k in i.kinds} | set(kinds))
    programme_names = worklist.programme_names if worklist else {}
    controls = html.Div(
        [
            labelled(
                t("common.region", lang),
                dcc.Dropdown(id=ids.GAPS_REGION, options=regions, value=region, clearable=False),
                ids.GAPS_REGION,
            ),
            *_filter_dropdowns(kind_choices, kinds, phases, programme_names, programmes, lang),
        ],
        className="controls-row",
    )
    return html.Div(
        [
            view_store("gaps", PATH),
            dcc.Store(id="gaps-lang", data=lang),
            dcc.Store(id=ids.GAPS_PAGE, data=page),
            html.H2(t("gaps.title", lang)),
            html.Div(id=ids.GAPS_COMPLETENESS, className="completeness"),
            _section_choice(sections, lang),
            controls,
            _pager(lang),
            html.Ul(id=ids.GAPS_LIST, className="gap-list"),
        ],
        className="page",
    )


def _section_choice(sections: list[str], lang: str) -> html.Fieldset:
    return html.Fieldset(
        [
            html.Legend(t("worklist.section", lang)),
            dcc.Checklist(
                id=ids.GAPS_SECTION,
                options=[{"label": t(f"worklist.section.{s}", lang), "value": s} for s in SECTIONS],
                value=sections,
                inline=True,
                className="section-choice",
            ),
        ]
    )


def _filter_dropdowns(
    kind_choices: list[str],
    kinds: list[str],
    phases: list[str],
    programme_names: Mapping[str, Mapping[str, str]],
    programmes: list[str],
    lang: str,
) -> list[Any]:
    return [
        _dropdown(
            ids.GAPS_KIND,
            t("gaps.kind", lang),
            [{"label": gap_kind_name(k, lang), "value": k} for k in kind_choices],
            kinds,
            lang,
        ),
        _dropdown(
            ids.GAPS_PHASE,
            t("common.phase", lang),
            [{"label": phase_name(p, lang), "value": p} for p in PHASES],
            phases,
            lang,
        ),
        _dropdown(
            ids.GAPS_PROGRAMME,
            t("worklist.programme", lang),
            [{"label": names.get(lang) or key, "value": key} for key, names in programme_names.items()],
            programmes,
            lang,
        ),
    ]


def _pager(lang: str) -> html.Div:
    return html.Div(
        [
            html.Button(t("worklist.prev", lang), id=ids.GAPS_PREV, n_clicks=0, className="button"),
            html.Span(id=ids.GAPS_COUNT, className="pager-count", role="status"),
            html.Button(t("worklist.next_page", lang), id=ids.GAPS_NEXT, n_clicks=0, className="button"),
            html.Button(t("worklist.download", lang), id=ids.GAPS_XLSX_BTN, n_clicks=0, className="button"),
            dcc.Download(id=ids.GAPS_DOWNLOAD),
        ],
        className="pager",
    )


def _filtered(ds: DataSource, region: str, filters: Sequence[Any]) -> tuple[Worklist, tuple[WorkItem, ...]]:
    sections, kinds, phases, programmes = filters
    worklist = ds.worklist(region)
    return worklist, worklist.filtered(kinds, phases, programmes, sections or DEFAULT_SECTIONS)


def register(app: Any, ds: DataSource) -> None:
    filters = [
        Input(ids.GAPS_SECTION, "value"),
        Input(ids.GAPS_KIND, "value"),
        Input(ids.GAPS_PHASE, "value"),
        Input(ids.GAPS_PROGRAMME, "value"),
    ]

    @app.callback(
        Output(ids.GAPS_LIST, "children"),
        Output(ids.GAPS_COMPLETENESS, "children"),
        Output(ids.GAPS_COUNT, "children"),
        Output(ids.GAPS_PAGE, "data"),
        Output(ids.GAPS_PREV, "disabled"),
        Output(ids.GAPS_NEXT, "disabled"),
        Output({"type": ids.VIEW, "page": "gaps"}, "data"),
        Input(ids.GAPS_REGION, "value"),
        *filters,
        Input(ids.GAPS_PREV, "n_clicks"),
        Input(ids.GAPS_NEXT, "n_clicks"),
        State(ids.GAPS_PAGE, "data"),
        State("gaps-lang", "data"),
    )
    def show(
        region: str,
        sections: list[str],
        kinds: list[str],
        phases: list[str],
        programmes: list[str],
        _prev: int,
        _next: int,
        page: int,
        lang: str,
    ) -> tuple[Any, ...]:
        page = _turned_page(callback_context.triggered_id, _page_number(page))
        return gaps_outputs(ds, region, (sections, kinds, phases, programmes), page, lang)

    @app.callback(
        Output(ids.GAPS_DOWNLOAD, "data"),
        Input(ids.GAPS_XLSX_BTN, "n_clicks"),
        State(ids.GAPS_REGION, "value"),
        *[State(f.component_id, f.component_property) for f in filters],
        State("gaps-lang", "data"),
        prevent_initial_call=True,
    )
    def download(
        clicks: int,
        region: str,
        sections: list[str],
        kinds: list[str],
        phases: list[str],
        programmes: list[str],
        lang: str,
    ) -> Any:
        if not clicks:
            raise PreventUpdate
        worklist, chosen = _filtered(ds, region, (sections, kinds, phases, programmes))
        buffer = io.BytesIO()
        write_worklist_xlsx(worklist, buffer, lang, chosen)
        return dcc.send_bytes(buffer.getvalue(), f"ipeco-worklist-{worklist.region}.xlsx")


def _turned_page(trigger: Any, page: int) -> int:
    """The page after ``trigger``: previous, next, or the first when a filter or the region changed."""
    if trigger == ids.GAPS_PREV:
        return page - 1
    if trigger == ids.GAPS_NEXT:
        return page + 1
    return page if trigger is None else 1


def gaps_outputs(ds: DataSource, region: str, filters: Sequence[Any], page: int, lang: str) -> tuple[Any, ...]:
    """The list, completeness note, count, page, pager flags and view state for the filters and page."""
    try:
        worklist, chosen = _filtered(ds, region, filters)
    except IpecoError as exc:
        return [html.Li(store_message(lang, str(exc)))], [], "", 1, True, True, no_update
    shown, page, pages = page_of(chosen, page, PAGE_SIZE)
    first = (page - 1) * PAGE_SIZE + 1
    count = (
        t("worklist.count", lang, total=len(chosen), first=first, last=first + len(shown) - 1, page=page, pages=pages)
        if chosen
        else t("worklist.count_none", lang)
    )
    return (
        worklist_items(ds, region, shown, lang, first=first),
        completeness(worklist, lang),
        count,
        page,
        page <= 1,
        page >= pages,
        {"path": PATH, "query": _gaps_query(region, filters, page, lang)},
    )


def _gaps_query(region: str, filters: Sequence[Any], page: int, lang: str) -> str:
    sections, kinds, phases, programmes = filters
    return encode_query(
        {
            "region": region,
            "section": sections if sorted(sections or ()) != sorted(DEFAULT_SECTIONS) else None,
            "kind": kinds,
            "phase": phases,
            "programme": programmes,
            "page": page if page > 1 else None,
            "lang": lang if lang != "ja" else None,
        }
    )


__all__ = ["DEFAULT_SECTIONS", "PAGE_SIZE", "completeness", "layout", "register", "worklist_items"]
