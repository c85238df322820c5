"""The map's node detail panel, search and shortest path, as plain functions over a DataSource."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

import networkx as nx
from dash import html

from reports.i18n import fiscal_year, label_for_kind, phase_name, t
from webapp import ids
from webapp.data import MEASURES, DataSource, display_name, node_kind, org_tie_graph

__all__ = ["detail_panel", "normalise_search", "path_between", "search_options"]

_HIDDEN_PROPS = {"labels", "in_region", "id"}
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


def _value(key: str, value: Any, lang: str) -> Any:
    if key in ("fiscal_year", "since", "until", "model_region_fy"):
        return fiscal_year(value, lang)
    if key == "phase" and isinstance(value, str):
        return phase_name(value, lang)
    if key == "phases" and isinstance(value, list):
        return (
            "、".join(phase_name(p, lang) for p in value)
            if lang == "ja"
            else ", ".join(phase_name(p, lang) for p in value)
        )
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        # evidence may cite several pages, separated by spaces: one link each
        links = [html.A(url, href=url, target="_blank", rel="noopener noreferrer") for url in value.split()]
        return links[0] if len(links) == 1 else html.Span([part for link in links for part in (link, " ")][:-1])
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _table(rows: list[tuple[str, Any]], caption: str) -> html.Table:
    return html.Table(
        [html.Caption(caption), html.Tbody([html.Tr([html.Th(k), html.Td(v)]) for k, v in rows])], className="kv"
    )


def _tie_date(data: Mapping[str, Any], lang: str) -> str:
    """When the source says the tie holds: its stated ``date``, else its first or only fiscal year."""
    if data.get("date"):
        return str(data["date"])
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
        items.append(html.Li([f"{t('kind.Organization', lang)}: ", _value("evidence", own, lang)]))
    items += tie_sources(graph, node, lang, limit=_EVIDENCE_LIMIT)
    return [html.Ul(items)] if items else [html.P(t("detail.no_evidence", lang))]


def tie_sources(graph: nx.MultiDiGraph, node: str, lang: str, *, limit: int) -> list[Any]:
    """Each sourced tie of ``node`` as a list item: what it is, to whom, the page as a link, its date.

    The map's detail panel and the gap cards show the same items, so a tie's source reads the
    same wherever it appears. Ties without evidence are left out; beyond ``limit``, a count.
    """
    ties = [
        (u, v, d)
        for u, v, d in [*graph.out_edges(node, data=True), *graph.in_edges(node, data=True)]
        if d.get("evidence") and d.get("type") in _TIE_KEYS
    ]
    items: list[Any] = []
    for u, v, data in ties[:limit]:
        other = v if u == node else u
        when = _tie_date(data, lang)
        items.append(
            html.Li(
                [
                    f"{t('tie.' + data['type'], lang)} — {display_name(graph.nodes[other], lang, other)}: ",
                    _value("evidence", data["evidence"], lang),
                    f" ({when})" if when else "",
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
}


def _pick(node: str, label: str) -> html.Button:
    return html.Button(label, id={"type": ids.PICK, "node": node}, className="link-button", n_clicks=0)


def detail_panel(ds: DataSource, region: str, node: str, lang: str) -> tuple[list[Any], list[dict[str, str]]]:
    """The panel for ``node`` and the "shortest path to…" choices.

    Sections: kind and synthetic badge, properties, evidence, measures, neighbours (buttons that
    select them), gaps naming the node, and suggestions for an organisation.
    """
    graph, _ = ds.graph()
    if node not in graph:
        return [html.P(t("detail.not_found", lang))], []
    attrs = graph.nodes[node]
    kind = node_kind(attrs)
    header: list[Any] = [
        html.H3(display_name(attrs, lang, node)),
        html.P(
            [html.Span(label_for_kind(kind, lang), className="kind-tag")]
            + (
                [
                    " ",
                    html.Span(
                        t("badge.synthetic", lang), className="badge-synthetic", title=t("detail.synthetic", lang)
                    ),
                ]
                if attrs.get("synthetic")
                else []
            )
        ),
    ]
    props = [
        (k, _value(k, v, lang))
        for k, v in sorted(attrs.items())
        if k not in _HIDDEN_PROPS and k != "evidence" and v not in (None, "", [])
    ]
    view = ds.region_view(region)
    sections: list[Any] = [
        *header,
        _table(props, t("detail.properties", lang)),
        html.H4(t("detail.evidence", lang)),
        *_evidence(view if node in view else graph, node, lang),
    ]
    if node in view and view.number_of_nodes() <= 5000:
        mine = ds.measures(region).get(node, {})
        rows = [
            (t(f"measure.{m}", lang), _value(m, mine[m], lang))
            for m in (*MEASURES, "community")
            if mine.get(m) is not None
        ]
        if rows:
            sections.append(_table(rows, t("detail.measures", lang)))
    # The region's ties when the node is one of its own (graph.scope): INPIT's panel on the Kobe map
    # lists its Kobe partners, not its engagements in other regions.
    ties_of = view if node in view else graph
    neighbours = sorted(
        {*ties_of.successors(node), *ties_of.predecessors(node)}, key=lambda n: display_name(ties_of.nodes[n], lang, n)
    )
    items = []
    for other in neighbours[:_NEIGHBOUR_LIMIT]:
        types = {
            d.get("type", "")
            for d in [
                *ties_of.get_edge_data(node, other, default={}).values(),
                *ties_of.get_edge_data(other, node, default={}).values(),
            ]
        }
        ties = "・".join(t(f"tie.{k}", lang) for k in sorted(types) if k)
        items.append(html.Li([_pick(other, display_name(ties_of.nodes[other], lang, other)), f" — {ties}"]))
    if len(neighbours) > _NEIGHBOUR_LIMIT:
        items.append(html.Li(t("detail.more", lang, n=len(neighbours) - _NEIGHBOUR_LIMIT)))
    sections += [html.H4(f"{t('detail.neighbours', lang)} ({len(neighbours)})"), html.Ul(items, className="nbrs")]
    gaps = ds.gaps(region).naming(node)
    sections.append(html.H4(t("detail.gaps", lang)))
    sections.append(
        html.Ul([html.Li(g.explanation[lang]) for g in gaps[:10]]) if gaps else html.P(t("detail.no_gaps", lang))
    )
    if "Organization" in attrs.get("labels", ()) and node in view:
        rec = ds.recommend(node, region)
        suggestions = [*rec.partners[:5], *rec.programmes[:3]]
        sections.append(html.H4(t("detail.suggestions", lang)))
        if suggestions:
            sections.append(
                html.Ul(
                    [
                        html.Li(
                            [
                                _pick(s.id, s.name_en if lang == "en" and s.name_en else s.name),
                                " — " + s.reasons[lang],
                            ]
                        )
                        for s in suggestions
                    ]
                )
            )
        else:
            sections.append(html.P(t("detail.no_suggestions", lang)))
    reachable = _path_targets(ds, region) if node in view else []
    targets = sorted(
        ({"label": display_name(view.nodes[n], lang, n), "value": n} for n in reachable if n != node),
        key=lambda o: o["label"],
    )
    return sections, targets
