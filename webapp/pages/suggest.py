"""Suggest page: pick a firm, see partners and programmes with their reasons, open them on the map."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, dcc, html

from analytics.service import Suggestion
from graph.errors import IpecoError
from graph.store import StoreUnavailable
from graph.words import empty_reason, reasons_text, t
from webapp import ids
from webapp.components import labelled, region_options, resolve_region, store_message, view_store
from webapp.data import DataSource, display_name, node_kind
from webapp.glossary import definition, help_link, term
from webapp.state import encode_query

PATH = "/suggest"
NAV = "nav.suggest"
_FIRM_LIMIT = 1000


def firm_options(ds: DataSource, region: str, lang: str) -> list[dict[str, str]]:
    """Organisations of the region that a producer accompanies: firms first, then universities."""
    view = ds.region_view(region)
    order = {"Company": 0, "University": 1, "ResearchInstitute": 2}
    nodes = [(n, d) for n, d in view.nodes(data=True) if d.get("in_region") and node_kind(d) in order]
    nodes.sort(key=lambda nd: (order[node_kind(nd[1])], display_name(nd[1], lang, nd[0])))
    return [
        {
            "label": display_name(d, lang, n) + (f" [{t('badge.synthetic', lang)}]" if d.get("synthetic") else ""),
            "value": n,
        }
        for n, d in nodes[:_FIRM_LIMIT]
    ]


def _phases_line(phases: tuple[str, ...], lang: str) -> html.P:
    """The firm's phases that no support body reaches, each named with its meaning on hover."""
    if not phases:
        return html.P(t("suggest.all_covered", lang), className="suggest-phases")
    named: list[Any] = []
    for phase in phases:
        named += [t("form.list", lang) if named else " ", term(f"phase.{phase}", lang)]
    return html.P([term("gap.phase_coverage", lang, t("suggest.uncovered", lang)), *named], className="suggest-phases")


def _card(item: Suggestion, key: str, region: str, org: str, lang: str) -> html.Div:
    href = "/" + encode_query(
        {
            "region": region,
            "sel": org,
            "path": item.id if key == "partners" else None,
            "lang": lang if lang != "ja" else None,
        }
    )
    badge: list[Any] = (
        [" ", html.Span(t("badge.synthetic", lang), className="badge-synthetic", title=definition("synthetic", lang))]
        if item.synthetic
        else []
    )
    phase: list[Any] = (
        [html.P([t("suggest.phase", lang), " ", term(f"phase.{item.phase}", lang)], className="suggest-phase")]
        if key == "programmes" and item.phase
        else []
    )
    return html.Div(
        [
            html.Strong(display_name({"name": item.name, "name_en": item.name_en}, lang, item.id)),
            *badge,
            *phase,
            html.Ul([html.Li(reasons_text(item.reasons, lang))]),
            dcc.Link(t("gaps.show", lang), href=href),
        ],
        className="card",
    )


def suggestion_cards(ds: DataSource, region: str, org: str, lang: str) -> list[Any]:
    """Partners and programmes for ``org``, each with its reasons in ``lang`` and a link to the map."""
    rec = ds.recommend(org, region)
    columns = []
    for key, title in (("partners", "suggest.partners"), ("programmes", "suggest.programmes")):
        cards: list[Any] = [_card(item, key, region, org, lang) for item in getattr(rec, key)]
        why = rec.empty.get(key)
        said = empty_reason(why.code, lang, phases=why.phases, who=why.who) if why else t("suggest.none", lang)
        empty = html.P(said, className="suggest-empty")
        columns.append(html.Div([html.H3(t(title, lang)), *(cards or [empty])]))
    return [
        _phases_line(rec.uncovered_phases, lang),
        html.Div(columns, className="suggest-cols"),
        html.P(
            [term("jaccard", lang, t("suggest.reading", lang)), " ", help_link(lang, "jaccard")],
            className="banner-detail",
        ),
    ]


def layout(ds: DataSource, **params: Any) -> Any:
    lang = "en" if params.get("lang") == "en" else "ja"
    try:
        region = resolve_region(ds, params.get("region"))
        regions = region_options(ds, lang)
        firms = firm_options(ds, region, lang) if region else []
    except StoreUnavailable as exc:
        return store_message(lang, exc)
    org = params.get("org") if params.get("org") in {f["value"] for f in firms} else None
    return html.Div(
        [
            view_store("suggest", PATH),
            dcc.Store(id="suggest-lang", data=lang),
            html.H2(t("suggest.title", lang)),
            html.Div(
                [
                    labelled(
                        t("common.region", lang),
                        dcc.Dropdown(id=ids.SUGGEST_REGION, options=regions, value=region, clearable=False),
                        ids.SUGGEST_REGION,
                    ),
                    labelled(
                        t("suggest.pick", lang),
                        dcc.Dropdown(id=ids.SUGGEST_ORG, options=firms, value=org),
                        ids.SUGGEST_ORG,
                    ),
                ],
                className="controls-row",
            ),
            html.Div(id=ids.SUGGEST_RESULT),
        ],
        className="page",
    )


def register(app: Any, ds: DataSource) -> None:
    @app.callback(
        Output(ids.SUGGEST_ORG, "options"),
        Output(ids.SUGGEST_ORG, "value"),
        Input(ids.SUGGEST_REGION, "value"),
        State("suggest-lang", "data"),
        prevent_initial_call=True,
    )
    def region_changed(region: str, lang: str) -> tuple[Any, None]:
        try:
            return firm_options(ds, region, lang), None
        except IpecoError:
            return [], None

    @app.callback(
        Output(ids.SUGGEST_RESULT, "children"),
        Output({"type": ids.VIEW, "page": "suggest"}, "data"),
        Input(ids.SUGGEST_ORG, "value"),
        State(ids.SUGGEST_REGION, "value"),
        State("suggest-lang", "data"),
    )
    def suggest(org: str | None, region: str, lang: str) -> tuple[Any, dict[str, str]]:
        query = encode_query({"region": region, "org": org, "lang": lang if lang != "ja" else None})
        if not org:
            return html.P(t("suggest.empty", lang)), {"path": PATH, "query": query}
        try:
            return suggestion_cards(ds, region, org, lang), {"path": PATH, "query": query}
        except IpecoError as exc:
            return store_message(lang, str(exc)), {"path": PATH, "query": query}
