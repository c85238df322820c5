"""The map's node detail panel, search and shortest path, as plain functions over a DataSource."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx
from dash import html

from graph.schema import PRODUCER_SOURCE
from graph.words import (
    STRINGS,
    calendar_date,
    fiscal_year,
    ip_kind_name,
    label_for_kind,
    phase_name,
    reasons_text,
    t,
)
from graph.words.gaps import explain
from reports.formatting import number
from webapp import ids
from webapp.data import MEASURES, DataSource, display_name, node_kind, org_tie_graph
from webapp.edit_panel import edit_section
from webapp.glossary import definition, help_link, term
from webapp.ip_panel import ip_section

__all__ = [
    "HIDDEN_PROPS",
    "SHOWN_PROPS",
    "badges",
    "detail_panel",
    "normalise_search",
    "path_between",
    "path_target_options",
    "property_rows",
    "search_options",
    "suggestion_section",
]

_NEIGHBOUR_LIMIT = 30
_SEARCH_LIMIT = 50
_PATH_TARGET_LIMIT = 400


def normalise_search(text: str) -> str:
    """Fold width, case and hiragana→katakana so 'ｱｵﾓﾘ', 'あおもり' and 'アオモリ' all match furigana."""
    folded = unicodedata.normalize("NFKC", text).casefold().strip()
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in folded)


def _haystack(node: str, attrs: Mapping[str, Any]) -> str:
    parts = [attrs.get("name"), attrs.get("name_en"), attrs.get("furigana"), attrs.get("corporate_number"), node]
    return normalise_search(" ".join(str(p) for p in parts if p))


def search_options(ds: DataSource, region: str, text: str, lang: str, *, keep: str = "") -> list[dict[str, str]]:
    """Nodes of the region whose name (ja/en), furigana or corporate number contain ``text``.

    Matching runs on the server so a region of 50,000 firms never ships its names to the browser;
    the option's ``search`` field carries the folded text so the dropdown's own filter agrees.
    """
    view = ds.region_view(region)
    needle = normalise_search(text)
    out: list[dict[str, str]] = []
    if keep and keep in view:
        out.append(_option(keep, view.nodes[keep], lang))
    if needle:
        prefix: list[tuple[str, Mapping[str, Any]]] = []
        contains: list[tuple[str, Mapping[str, Any]]] = []
        for node, attrs in view.nodes(data=True):
            hay = _haystack(node, attrs)
            if needle in hay and node != keep:
                (prefix if hay.startswith(needle) else contains).append((node, attrs))
        for node, attrs in (prefix + contains)[:_SEARCH_LIMIT]:
            out.append(_option(node, attrs, lang))
    return out


def _option(node: str, attrs: Mapping[str, Any], lang: str) -> dict[str, str]:
    label = display_name(attrs, lang, node)
    extra = attrs.get("corporate_number") or ""
    if attrs.get("synthetic"):
        label += f" [{t('badge.synthetic', lang)}]"
    return {
        "label": f"{label}{f' ({extra})' if extra else ''}",
        "value": node,
        "search": f"{_haystack(node, attrs)} {label}",
    }


def _tie_graph(ds: DataSource, region: str) -> nx.Graph:
    """The region's :func:`org_tie_graph`, built once per data version (shared: do not mutate)."""
    return ds.cached(("tie-graph", region), lambda: org_tie_graph(ds.region_view(region)))


def _path_targets(ds: DataSource, region: str) -> list[str]:
    """The region's best-tied nodes, most ties first: the "shortest path to…" choices (cached)."""
    simple = _tie_graph(ds, region)
    return ds.cached(
        ("path-targets", region),
        lambda: sorted(simple.nodes, key=lambda n: -simple.degree(n))[:_PATH_TARGET_LIMIT],
    )


def path_between(ds: DataSource, region: str, source: str, target: str) -> list[str]:
    """Shortest chain of ties between two nodes of the region's view (empty when none)."""
    simple = _tie_graph(ds, region)
    try:
        return list(nx.shortest_path(simple, source, target))
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []


def _links(value: Any) -> Any:
    """An evidence value as links: it may cite several pages, separated by spaces (one link each)."""
    text = str(value)
    if not text.startswith(("http://", "https://")):
        return text
    links = [html.A(url, href=url, target="_blank", rel="noopener noreferrer") for url in text.split()]
    return links[0] if len(links) == 1 else html.Span([part for link in links for part in (link, " ")][:-1])


def _joined(items: list[str], lang: str) -> str:
    return t("form.list", lang).join(items)


def _worded(prefix: str, value: Any, lang: str) -> str:
    """A coded value (``support_kind``, ``level``, a dataset id) in words; an unknown code, readable."""
    key = f"{prefix}.{re.sub(r'[^a-z0-9]', '_', str(value).strip().lower())}"
    return t(key, lang) if key in STRINGS else str(value).replace("_", " ")


#: Properties the panel shows, in this order (``name_alt``: the name in the other language).
#: Everything else stays off the screen: ids, JIS codes, the synthetic flag (a badge instead),
#: curators' notes (English-only working notes), the evidence (its own section).
SHOWN_PROPS: tuple[str, ...] = (
    "name_alt",
    "furigana",
    "corporate_number",
    "industry",
    "keywords",
    "profile_evidence",
    "employees",
    "capital",
    "size_as_of",
    "size_evidence",
    "founded",
    "support_kind",
    "tech_fields",
    "kind",
    "number",
    "filed_on",
    "registered_on",
    "level",
    "model_region_fy",
    "phases",
    "operator",
    "description",
    "target_groups",
    "fields",
    "cost",
    "scope",
    "scheme",
    "code",
    "title",
    "url",
    "source",
    "confidence",
    "loaded_at",
)


#: Properties deliberately kept off the table, and why: shown elsewhere (the heading, the badges,
#: the evidence section), internal (ids, labels, JIS codes the reader does not use), or curators'
#: working notes written in English only. A test checks every schema property is in one of the two.
HIDDEN_PROPS: frozenset[str] = frozenset(
    {
        "id",
        "labels",
        "in_region",
        "name",
        "name_en",
        "evidence",
        "synthetic",
        "startup",
        "prefecture_code",
        "city_code",
        "jis_code",
        "region",
        "note",
        "jsic",  # the industry in words stands for it; the code is for the advice's fit reasons
        "listed",  # a badge, shown only when true
    }
)


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _dated(value: Any, lang: str) -> str:
    return calendar_date(value, lang)


#: How each property's value reads (words for codes, formatted dates and numbers, links); any other
#: property shows as a number or as text.
_READERS: dict[str, Callable[[Any, str], Any]] = {
    "kind": lambda v, lang: ip_kind_name(str(v), lang),  # an IPRight's kind (the only node property of that name)
    "founded": _dated,
    "loaded_at": _dated,
    "filed_on": _dated,
    "registered_on": _dated,
    "size_as_of": _dated,
    "model_region_fy": fiscal_year,
    "employees": lambda v, lang: t("value.employees", lang, n=number(v, lang)),
    "phases": lambda v, lang: _joined([phase_name(p, lang) for p in _listed(v)], lang),
    "tech_fields": lambda v, lang: _joined([str(x) for x in _listed(v)], lang),
    "keywords": lambda v, lang: _joined([str(x) for x in _listed(v)], lang),
    "fields": lambda v, lang: _joined([str(x) for x in _listed(v)], lang),
    "target_groups": lambda v, lang: _joined([_worded("value.target_group", g, lang) for g in _listed(v)], lang),
    "support_kind": lambda v, lang: _worded("supportkind", v, lang),
    "level": lambda v, lang: _worded("value.level", v, lang),
    "scope": lambda v, lang: _worded("value.scope", v, lang),
    "source": lambda v, lang: _worded("dataset", v, lang),
    "confidence": lambda v, lang: _worded("value.confidence", v, lang),
    "capital": lambda v, lang: t("value.capital", lang, n=number(v, lang)),
    "url": lambda v, _lang: _links(v),
    "size_evidence": lambda v, _lang: _links(v),
    "profile_evidence": lambda v, _lang: _links(v),
}


def _prop_value(key: str, value: Any, lang: str) -> Any:
    """A property's value as a reader reads it (see :data:`_READERS`)."""
    reader = _READERS.get(key)
    if reader is not None:
        return reader(value, lang)
    return number(value, lang) if isinstance(value, int | float) else str(value)


def property_rows(attrs: Mapping[str, Any], lang: str) -> list[tuple[Any, Any]]:
    """The node's properties as (label, value) rows in ``lang``: no schema key, no raw value.

    The name in the other language comes first (the heading already shows this one), then the
    facts a producer uses, then where the record comes from ("data as of" its load's day).
    """
    rows: list[tuple[Any, Any]] = []
    for key in SHOWN_PROPS:
        if key == "name_alt":
            alt_key = "name" if lang == "en" and attrs.get("name_en") else "name_en"
            value = attrs.get(alt_key) if display_name(attrs, lang) != attrs.get(alt_key) else None
            label: Any = t("prop.name_ja" if alt_key == "name" else "prop.name_en", lang)
        else:
            value = attrs.get(key)
            label = (
                term("confidence", lang, t("prop.confidence", lang)) if key == "confidence" else t(f"prop.{key}", lang)
            )
        if value in (None, "", []) or isinstance(value, bool):
            continue
        rows.append((label, _prop_value(key, value, lang)))
    return rows


def badges(attrs: Mapping[str, Any], lang: str) -> list[Any]:
    """Flags as badges beside the kind, shown only when true (a "false" is not news)."""
    out: list[Any] = []
    if attrs.get("startup") is True:
        out += [" ", html.Span(t("prop.startup", lang), className="badge-startup")]
    if attrs.get("listed") is True:
        out += [" ", html.Span(t("prop.listed", lang), className="badge-startup")]
    if attrs.get("synthetic"):
        out += [
            " ",
            html.Span(t("badge.synthetic", lang), className="badge-synthetic", title=definition("synthetic", lang)),
        ]
    return out


def _table(rows: list[tuple[Any, Any]], caption: str) -> html.Table:
    return html.Table(
        [html.Caption(caption), html.Tbody([html.Tr([html.Th(k), html.Td(v)]) for k, v in rows])], className="kv"
    )


def _tie_date(data: Mapping[str, Any], lang: str) -> Any:
    """When the source says the tie holds: its stated ``date`` (a ``<time>`` in words), else its fiscal year."""
    if data.get("date"):
        return html.Time(calendar_date(data["date"], lang), dateTime=str(data["date"]))
    year = data.get("since") or data.get("fiscal_year")
    return fiscal_year(year, lang) if year else ""


_EVIDENCE_LIMIT = 40


def _evidence(graph: nx.MultiDiGraph, node: str, lang: str) -> list[Any]:
    """The node's own source, then each tie's: what the tie is, to whom, the source as a link, its date.

    Ties are those of ``graph`` (the region's view when the node is in it). A tie without evidence
    is left out; tie types are shown in words, never as raw keys.
    """
    items: list[Any] = []
    own = graph.nodes[node].get("evidence")
    if own:
        items.append(html.Li([f"{t('kind.Organization', lang)}: ", _links(own)]))
    items += tie_sources(graph, node, lang, limit=_EVIDENCE_LIMIT)
    return [html.Ul(items)] if items else [html.P(t("detail.no_evidence", lang))]


def _producer_badge(data: Mapping[str, Any], lang: str) -> list[Any]:
    """The team's own record (issue 22: ``source: producer``) told apart from a public fact."""
    if data.get("source") != PRODUCER_SOURCE:
        return []
    return [" ", html.Span(t("edit.producer_badge", lang, author=data.get("author", "")), className="badge producer")]


def tie_sources(graph: nx.MultiDiGraph, node: str, lang: str, *, limit: int) -> list[Any]:
    """Each sourced tie of ``node`` as a list item: what it is, to whom, the page as a link, its date.

    The map's detail panel and the gap cards show the same items, so a tie's source reads the
    same wherever it appears. Ties without evidence are left out (but the team's own records, marked
    as such); beyond ``limit``, a count.
    """
    ties = [
        (u, v, d)
        for u, v, d in [*graph.out_edges(node, data=True), *graph.in_edges(node, data=True)]
        if (d.get("evidence") or d.get("source") == PRODUCER_SOURCE) and d.get("type") in _TIE_KEYS
    ]
    items: list[Any] = []
    for u, v, data in ties[:limit]:
        other = v if u == node else u
        when = _tie_date(data, lang)
        items.append(
            html.Li(
                [
                    f"{t('tie.' + data['type'], lang)} — {display_name(graph.nodes[other], lang, other)}: ",
                    _links(data.get("evidence", "")),
                    *([" (", when, ")"] if when else []),
                    *_producer_badge(data, lang),
                ],
                className="evidence",
            )
        )
    if len(ties) > limit:
        items.append(html.Li(t("detail.more", lang, n=len(ties) - limit)))
    return items


_TIE_KEYS = {
    "LOCATED_IN",
    "SERVES",
    "MEMBER_OF",
    "OPERATES",
    "SUPPORTS",
    "REFERS_TO",
    "COLLABORATES_WITH",
    "FINANCES",
    "PARTICIPATES_IN",
    "ACTIVE_IN",
    "PART_OF",
    "SUCCEEDED_BY",
    "HOLDS",
}


def _pick(node: str, label: str) -> html.Button:
    return html.Button(label, id={"type": ids.PICK, "node": node}, className="link-button", n_clicks=0)


def detail_panel(ds: DataSource, region: str, node: str, lang: str, *, suggestions: bool = True) -> list[Any]:
    """The panel for ``node``: what one click on the map asks the server for.

    Sections: kind and synthetic badge, properties, evidence, measures, neighbours (buttons that
    select them), gaps naming the node, and suggestions for an organisation. The map asks for the
    suggestions separately (``suggestions=False`` and :func:`suggestion_section`): they are an
    analysis of their own (most of a first click's server time), so the panel does not wait for
    them. The "shortest path to…" choices are the region's, sent once per region
    (:func:`path_target_options`), not per click.
    """
    graph, _ = ds.graph()
    if node not in graph:
        return [html.P(t("detail.not_found", lang))]
    attrs = graph.nodes[node]
    view = ds.region_view(region)
    local = node in view
    # The region's ties when the node is one of its own (graph.scope): INPIT's panel on the Kobe map
    # lists its Kobe partners, not its engagements in other regions.
    ties_of = view if local else graph
    return [
        *_heading(node, attrs, lang),
        _table(property_rows(attrs, lang), t("detail.properties", lang)),
        html.H4(t("detail.evidence", lang)),
        *_evidence(ties_of, node, lang),
        *(ip_section(ds, region, node, lang) if local else []),
        *(_measure_rows(ds, region, node, lang) if local and view.number_of_nodes() <= 5000 else []),
        *_neighbour_list(ties_of, node, lang),
        *_gap_list(ds, region, node, lang),
        *(suggestion_section(ds, region, node, lang) if suggestions else []),
        *(edit_section(ds, region, node, lang) if local else []),  # editors only (issue 22)
    ]


def suggestion_section(ds: DataSource, region: str, node: str, lang: str) -> list[Any]:
    """The suggestions for an organisation of the region (nothing for anything else)."""
    graph, _ = ds.graph()
    if node not in graph or node not in ds.region_view(region):
        return []
    if "Organization" not in graph.nodes[node].get("labels", ()):
        return []
    return _suggestion_list(ds, region, node, lang)


def _heading(node: str, attrs: Mapping[str, Any], lang: str) -> list[Any]:
    kind = node_kind(attrs)
    return [
        html.H3(display_name(attrs, lang, node)),
        html.P([html.Span(label_for_kind(kind, lang), className="kind-tag"), *badges(attrs, lang)]),
    ]


def _measure_rows(ds: DataSource, region: str, node: str, lang: str) -> list[Any]:
    """The node's measures from the analysis service (the numbers every surface shows)."""
    mine = ds.measures(region).get(node, {})
    rows = [(term(m, lang), number(mine[m], lang)) for m in (*MEASURES, "community") if mine.get(m) is not None]
    if not rows:
        return []
    return [_table(rows, t("detail.measures", lang)), html.P(help_link(lang), className="banner-detail")]


def _tie_types(graph: nx.MultiDiGraph, node: str, other: str, lang: str) -> str:
    data = [
        *graph.get_edge_data(node, other, default={}).values(),
        *graph.get_edge_data(other, node, default={}).values(),
    ]
    return _joined([t(f"tie.{k}", lang) for k in sorted({d.get("type", "") for d in data}) if k], lang)


def _neighbour_list(graph: nx.MultiDiGraph, node: str, lang: str) -> list[Any]:
    """The node's neighbours as buttons that select them, with the kinds of tie to each."""
    neighbours = sorted(
        {*graph.successors(node), *graph.predecessors(node)}, key=lambda n: display_name(graph.nodes[n], lang, n)
    )
    items = [
        html.Li(
            [_pick(other, display_name(graph.nodes[other], lang, other)), f" — {_tie_types(graph, node, other, lang)}"]
        )
        for other in neighbours[:_NEIGHBOUR_LIMIT]
    ]
    if len(neighbours) > _NEIGHBOUR_LIMIT:
        items.append(html.Li(t("detail.more", lang, n=len(neighbours) - _NEIGHBOUR_LIMIT)))
    return [html.H4(f"{t('detail.neighbours', lang)} ({len(neighbours)})"), html.Ul(items, className="nbrs")]


def _gap_list(ds: DataSource, region: str, node: str, lang: str) -> list[Any]:
    gaps = ds.gaps(region).naming(node)
    body = (
        html.Ul([html.Li([term(f"gap.{g.kind}", lang), ": ", explain(g.explanation, lang)]) for g in gaps[:10]])
        if gaps
        else html.P(t("detail.no_gaps", lang))
    )
    return [html.H4(t("detail.gaps", lang)), body]


def _suggestion_list(ds: DataSource, region: str, node: str, lang: str) -> list[Any]:
    """The organisation's best partners and programmes, each a button with the reason in words."""
    rec = ds.recommend(node, region)
    suggestions = [*rec.partners[:5], *rec.programmes[:3]]
    if not suggestions:
        return [html.H4(t("detail.suggestions", lang)), html.P(t("detail.no_suggestions", lang))]
    items = [
        html.Li(
            [
                _pick(s.id, display_name({"name": s.name, "name_en": s.name_en}, lang, s.id)),
                " — " + reasons_text(s.reasons, lang),
            ]
        )
        for s in suggestions
    ]
    return [html.H4(t("detail.suggestions", lang)), html.Ul(items)]


def path_target_options(ds: DataSource, region: str, lang: str, *, keep: str = "") -> list[dict[str, str]]:
    """The "shortest path to…" menu of a region: its best-tied nodes by name, built once per region,
    language and data version (the map sends it with the page or a change of region, not per click).
    ``keep`` (a link's ``path=`` target) is kept as an option when the region's list lacks it."""

    def build() -> list[dict[str, str]]:
        view = ds.region_view(region)
        return sorted(
            ({"label": display_name(view.nodes[n], lang, n), "value": n} for n in _path_targets(ds, region)),
            key=lambda o: o["label"],
        )

    options: list[dict[str, str]] = ds.cached(("path-target-options", region, lang), build)
    graph, _ = ds.graph()
    if keep and keep in graph and all(o["value"] != keep for o in options):
        options = [{"label": display_name(graph.nodes[keep], lang, keep), "value": keep}, *options]
    return options
