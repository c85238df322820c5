"""What the app says when a link asks for something it does not have.

A shared link can go stale (a region renamed, an organisation merged) or be mistyped. The pages
repair such values so the link still opens something (:func:`webapp.components.resolve_region`
falls back to the first region, an unknown layout to the default), but doing so silently shows
青森県 to someone who asked for Kobe without saying why. This module names, in the reader's
language, each query-string value the current page cannot honour and what is shown instead; the
shell displays the sentences above the page (:func:`webapp.app._register_shell`).

Only the keys a page reads are checked, against the same choices the page uses; keys no page
reads are ignored, as the pages ignore them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from analytics.gaps import GAP_KINDS
from graph.query import saved_queries
from graph.schema import PHASES, REL_SPECS, ROLE_LABELS
from graph.store import StoreUnavailable
from graph.words import LANGS, normalise_lang, t
from reports.files import REPORT_FORMATS
from webapp.components import resolve_region
from webapp.data import MEASURES, DataSource
from webapp.state import AGGREGATE_CHOICES, DATA_CHOICES, LAYOUTS

__all__ = ["query_notices"]

#: Choices of the single-valued settings, per page path: key → (label key, allowed values).
_CHOICES: dict[str, dict[str, tuple[str, Callable[[], Iterable[str]]]]] = {
    "/": {
        "layout": ("map.layout", lambda: LAYOUTS),
        "data": ("map.data", lambda: DATA_CHOICES),
        "agg": ("map.aggregate_by", lambda: AGGREGATE_CHOICES),
        "size": ("map.size_by", lambda: ("uniform", *MEASURES)),
        "color": ("map.color_by", lambda: ("role", "community", *MEASURES)),
    },
    "/compare": {"real": ("compare.real_only", lambda: ("0", "1"))},
    "/report": {
        "kind": ("report.kind", lambda: ("region", "comparison")),
        "format": ("report.format", lambda: REPORT_FORMATS),
        "report_lang": ("report.lang", lambda: LANGS),
    },
    "/query": {"saved": ("query.saved", lambda: [q.id for q in saved_queries()])},
}
#: Comma-separated lists: key → (label key, allowed values).
_LISTS: dict[str, dict[str, tuple[str, Callable[[], Iterable[str]]]]] = {
    "/": {
        "roles": ("map.role", lambda: ROLE_LABELS),
        "phases": ("map.phase", lambda: PHASES),
        "ties": ("map.tie", lambda: REL_SPECS),
    },
    "/gaps": {"kind": ("gaps.kind", lambda: GAP_KINDS), "phase": ("common.phase", lambda: PHASES)},
}
#: Pages that read ``region`` (and fall back to the first region), and their organisation key.
_REGION_PAGES = ("/", "/gaps", "/suggest", "/report")
_NODE_KEYS = {"/": "sel", "/suggest": "org"}


def query_notices(ds: DataSource, path: str, params: Mapping[str, str]) -> list[str]:
    """One sentence (in the page's language) per query-string value ``path`` cannot show as asked.

    ``path`` is the page's path (``/``, ``/gaps``, ...); an unknown path has no notices (it is a
    404 page). A store that cannot be read has none either: the store banner already says so.
    """
    lang = normalise_lang(params.get("lang"))
    out: list[str] = []
    if params.get("lang") and params["lang"] not in LANGS:
        out.append(t("notice.bad_lang", lang, value=params["lang"]))
    for key, (label, allowed) in _CHOICES.get(path, {}).items():
        value = params.get(key)
        if value and value not in set(allowed()):
            out.append(t("notice.bad_value", lang, what=t(label, lang), value=value))
    for key, (label, allowed) in _LISTS.get(path, {}).items():
        unknown = [v for v in (params.get(key) or "").split(",") if v and v not in set(allowed())]
        if unknown:
            out.append(t("notice.bad_list", lang, what=t(label, lang), value=t("form.list", lang).join(unknown)))
    with contextlib.suppress(StoreUnavailable):
        out.extend(_data_notices(ds, path, params, lang))
    return out


def _data_notices(ds: DataSource, path: str, params: Mapping[str, str], lang: str) -> list[str]:
    """Notices about values that name data: a region, an organisation."""
    out: list[str] = []
    wanted = (params.get("region") or "").removeprefix("region:")
    if path in _REGION_PAGES and wanted:
        regions = {r["key"]: r for r in ds.regions()}
        if wanted not in regions:
            shown = regions.get(resolve_region(ds, wanted))
            name = _region_name(shown, lang) if shown else t("common.none", lang)
            out.append(t("notice.bad_region", lang, value=wanted, shown=name))
    node_key = _NODE_KEYS.get(path)
    node = params.get(node_key) if node_key else None
    if node:
        graph, _ = ds.graph()
        if node not in graph:
            out.append(t("notice.bad_node", lang, value=node))
    return out


def _region_name(region: Mapping[str, Any], lang: str) -> str:
    return str(region["name_en"] if lang == "en" else region["name"])
