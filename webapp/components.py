"""Small building blocks shared by the pages (region picker, messages, view-state store)."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from graph.store import StoreUnavailable
from graph.words import t
from webapp import ids
from webapp.data import DataSource

__all__ = [
    "labelled",
    "region_options",
    "resolve_region",
    "store_message",
    "technical_detail",
    "view_store",
]


def aria(name: str, value: str) -> dict[str, Any]:
    """``aria-<name>`` as keyword arguments for a Dash component (``**aria("label", "…")``).

    Dash takes ARIA attributes as hyphenated keywords, which Python can pass only by unpacking.
    """
    return {f"aria-{name}": value}


def region_options(ds: DataSource, lang: str) -> list[dict[str, str]]:
    """The one list of regions (:func:`graph.scope.listed_regions`) in the UI language; a region that
    is not a JPO model region says so, so that nobody takes it for one."""
    out = []
    for r in ds.regions():
        name = r["name"] if lang == "ja" else r["name_en"]
        label = name if r["model"] else t("region.not_model", lang, name=name)
        out.append({"label": label, "value": r["key"]})
    return out


def resolve_region(ds: DataSource, wanted: str | None) -> str:
    """``wanted`` when the store has it, else the first region (a stale link still opens a map)."""
    keys = [r["key"] for r in ds.regions()]
    wanted = (wanted or "").removeprefix("region:")
    return wanted if wanted in keys else (keys[0] if keys else "")


def technical_detail(text: object, lang: str) -> html.Details | str:
    """A library's or the system's own message (often English), folded under "technical details".

    The sentence in the page's language comes first and says what happened and what to do; the
    raw message is kept for whoever reports the problem, but labelled and closed, so a Japanese
    page does not read half in English. Empty text gives an empty string.
    """
    detail = str(text or "").strip()
    if not detail:
        return ""
    return html.Details(
        [html.Summary(t("common.details", lang)), html.Code(detail)],
        className="banner-detail technical-detail",
    )


def store_message(lang: str, error: StoreUnavailable | str | None = None) -> html.Div:
    """What a page shows instead of its body when the store cannot be read: words, not a traceback."""
    return html.Div(
        [
            html.P(t("common.unavailable", lang)),
            html.P(t("banner.store_hint", lang)),
            technical_detail(error, lang),
        ],
        className="page-message",
        role="alert",
    )


def view_store(page: str, path: str, query: str = "") -> dcc.Store:
    """The page's view state, mirrored into the address bar by the shell."""
    return dcc.Store(id={"type": ids.VIEW, "page": page}, data={"path": path, "query": query})


def labelled(label: str, control: Any, html_for: str | None = None) -> html.Div:
    """A control with a visible label bound to it (screen readers and keyboard users need both)."""
    return html.Div([html.Label(label, htmlFor=html_for), control], className="control")
