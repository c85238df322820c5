"""Help page: every technical term the app shows, with its plain meaning and its method.

The same glossary gives the tooltips on the other pages (:func:`webapp.glossary.term`); this page
lists them all in one place, each entry with an anchor so a page can link straight to a term.
"""

from __future__ import annotations

from typing import Any

from dash import html

from graph.words import normalise_lang, t
from webapp.components import view_store
from webapp.data import DataSource
from webapp.glossary import glossary_sections
from webapp.state import encode_query

PATH = "/help"
NAV = "nav.help"


def layout(ds: DataSource, **params: Any) -> Any:
    lang = normalise_lang(params.get("lang"))
    query = encode_query({"lang": lang if lang != "ja" else None})
    return html.Div(
        [
            view_store("help", PATH, query),
            html.H2(t("help.title", lang)),
            html.P(t("help.intro", lang), className="banner-detail"),
            *glossary_sections(lang),
        ],
        className="page help-page",
    )


def register(app: Any, ds: DataSource) -> None:
    """The help page is static: no callbacks."""
