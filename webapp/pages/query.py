"""Query page: a placeholder for the analyst Cypher console (its own issue).

On the embedded store it says how to switch to Neo4j in one command, because Cypher needs the
real database; on Neo4j it points at Neo4j Browser meanwhile.
"""

from __future__ import annotations

import contextlib
from typing import Any

from dash import dcc, html

from webapp.components import view_store
from webapp.data import DataSource
from webapp.i18n import normalise_lang, t
from webapp.state import encode_query

PATH = "/query"
NAV = "nav.query"
SWITCH_COMMAND = "ipeco db start && ipeco --store neo4j seed && ipeco --store neo4j serve"


def layout(ds: DataSource, **params: Any) -> Any:
    lang = normalise_lang(params.get("lang"))
    with contextlib.suppress(Exception):  # only words here; the shell banner says what failed
        ds.graph()
    on_neo4j = ds.store_kind == "neo4j"
    body = [
        html.H2(t("query.title", lang)),
        html.P(t("query.placeholder", lang)),
        html.P(t("query.neo4j" if on_neo4j else "query.embedded", lang)),
        html.Pre(html.Code("http://127.0.0.1:7474/browser/" if on_neo4j else SWITCH_COMMAND)),
    ]
    query = encode_query({"region": params.get("region"), "lang": lang if lang != "ja" else None})
    return html.Div([view_store("query", PATH, query), *body, dcc.Store(id="query-lang", data=lang)], className="page")


def register(app: Any, ds: DataSource) -> None:
    """No callbacks: the page is static text."""
