"""The JavaScript each page loads: dash-cytoscape only on the pages that draw a graph.

Dash puts every imported component library's bundle on every page. dash-cytoscape's is 0.5 MB (the
plain bundle: every map is laid out on the server and its SVG export is drawn there too, so the
1.4 MB extra bundle with its layouts and cytoscape-svg is never loaded), and the browser would parse
it on pages that never draw a graph (compare, gaps, report, the 404 page). :class:`PagedDash` leaves
it out of the page's HTML unless the address is one of :data:`CYTOSCAPE_PAGES`; ``assets/bundles.js``
then sends a move to such a page from a page without the bundle through a full page load (a link
click, or the browser's back button), so the graph page always finds it loaded.

Dash's components load some of their code lazily: dash-core-components' menu and slider, and
dash_table's table, sit in chunks that React asks for only when it mounts the component, after the
page's content has arrived from the server, so the map waited for them (and their compile) after its
data. :class:`PagedDash` names a page's chunks (``chunks``) in its HTML as ``<link rel="preload">``,
so the browser fetches them beside Dash's own bundles; pages that do not use a chunk (the 404 page,
compare) do not get it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import dash
import flask
from plotly.utils import PlotlyJSONEncoder

from webapp.first_page import RENDERER, first_page, page_entry, with_first_page

__all__ = [
    "CYTOSCAPE_SUITE",
    "DROPDOWN",
    "SLIDER",
    "TABLE",
    "UPLOAD",
    "PagedDash",
    "dependencies_preload",
    "layout_preload",
    "page_preloads",
    "page_scripts",
]

#: Where Dash serves dash-cytoscape's bundles (one of them is the page's ``<script>``).
CYTOSCAPE_SUITE = "/_dash-component-suites/dash_cytoscape/"
#: Lazy chunks as Dash serves them (under the app's prefix; webpack asks for them without a fingerprint).
DROPDOWN = ("_dash-component-suites/dash/dcc/async-dropdown.js",)
SLIDER = ("_dash-component-suites/dash/dcc/async-slider.js",)
UPLOAD = ("_dash-component-suites/dash/dcc/async-upload.js",)
TABLE = (
    "_dash-component-suites/dash/dash_table/async-highlight.js",
    "_dash-component-suites/dash/dash_table/async-table.js",
)


def page_scripts(scripts: str, path: str, graph_paths: Iterable[str]) -> str:
    """The page's ``<script>`` tags (one a line, as Dash writes them) for the page at ``path``.

    On a page of ``graph_paths`` they are unchanged; elsewhere dash-cytoscape's tag is left out
    and the graph pages' addresses are said for ``assets/bundles.js``.
    """
    paths = sorted(set(graph_paths))
    if path in paths:
        return scripts
    kept = [line for line in scripts.split("\n") if CYTOSCAPE_SUITE not in line]
    kept.append(f"<script>window.ipecoGraphPages = {json.dumps(paths)};</script>")
    return "\n".join(kept)


def page_preloads(path: str, prefix: str, chunks: Mapping[str, Iterable[str]]) -> str:
    """``<link rel="preload">`` tags (one a line) for the lazy chunks the page at ``path`` uses.

    ``chunks`` maps a page's address (under ``prefix``, no trailing ``/``) to its chunks' paths
    relative to the app's prefix; a page it does not name gets none.
    """
    base = prefix.rstrip("/") + "/"
    wanted = sorted(set(chunks.get(path, ())))
    return "\n".join(f'<link rel="preload" as="script" href="{base}{chunk}">' for chunk in wanted)


def layout_preload(prefix: str) -> str:
    """The ``<link rel="preload">`` of Dash's layout answer, for a page that comes with it
    (:mod:`webapp.first_page`): the browser asks for it beside the scripts, and Dash's renderer,
    once they have run, finds it arrived instead of asking then (the same address, a same-origin
    ``fetch``; the request's Referer is the page, as the renderer's own would be)."""
    return f'<link rel="preload" as="fetch" crossorigin="anonymous" href="{prefix.rstrip("/")}/_dash-layout">'


def dependencies_preload(prefix: str) -> str:
    """The ``<link rel="preload">`` of Dash's ``_dash-dependencies`` answer (the app's callbacks), for a
    page that comes with its layout (:func:`layout_preload`). Dash's renderer draws nothing before it
    has both answers; with the layout already there, the dependencies were the one request the first
    draw still waited for after the scripts had run (a round trip, 10-25 ms on a quiet machine). On
    other pages it would gain nothing: the layout, asked for beside it, still costs that round trip."""
    return f'<link rel="preload" as="fetch" crossorigin="anonymous" href="{prefix.rstrip("/")}/_dash-dependencies">'


class PagedDash(dash.Dash):
    """A Dash app whose pages load dash-cytoscape only where a graph is drawn (see the module's docstring).

    ``graph_pages`` are the registered paths (``/``, ``/query``) that hold a ``cyto.Cytoscape``;
    ``chunks`` maps registered paths to the lazy chunks their components load (see :data:`DROPDOWN`);
    ``first_pages`` are the registered paths whose content comes with the layout answer
    (:mod:`webapp.first_page`).
    """

    def __init__(
        self,
        *args: Any,
        graph_pages: Iterable[str] = (),
        chunks: Mapping[str, Iterable[str]] | None = None,
        first_pages: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.graph_pages = tuple(graph_pages)
        self.page_chunks = {page: tuple(names) for page, names in (chunks or {}).items()}
        self.first_pages = tuple(first_pages)
        if self.first_pages:
            self.renderer = RENDERER

    def serve_layout(self) -> Any:
        """Dash's layout answer, with the first page's content when it is one of :attr:`first_pages`."""
        layout = self.get_layout()
        where = first_page(flask.request.referrer, flask.request.host) if self.first_pages else None
        if where is not None:
            page = page_entry(dash.page_registry.values(), self.strip_relative_path(where.pathname), self.first_pages)
            if page is not None:
                layout = with_first_page(layout, page, where)
        # the standard library's encoder with Dash's component hook: the same JSON as Dash's own
        # (plotly's orjson path), in a fifth of the time (3 ms against 16 ms for the map of Kobe)
        body = json.dumps(layout, cls=PlotlyJSONEncoder, ensure_ascii=False, separators=(",", ":"))
        return flask.Response(body, mimetype="application/json")

    def prefix(self) -> str:
        """The app's address prefix without its trailing ``/`` (empty at the root)."""
        return (self.config.requests_pathname_prefix or "/").rstrip("/")

    def graph_paths(self) -> list[str]:
        """The graph pages' addresses under the app's prefix, as the browser sees them (no trailing ``/``)."""
        return [_plain(self.prefix() + page) for page in self.graph_pages]

    def first_paths(self) -> list[str]:
        """:attr:`first_pages`' addresses as the browser sees them."""
        return [_plain(self.prefix() + page) for page in self.first_pages]

    def chunk_paths(self) -> dict[str, tuple[str, ...]]:
        """:attr:`page_chunks` keyed by the pages' addresses as the browser sees them."""
        return {_plain(self.prefix() + page): names for page, names in self.page_chunks.items()}

    def interpolate_index(  # Dash's own signature, with the scripts chosen for the page
        self,
        metas: Any = "",
        title: Any = "",
        css: Any = "",
        config: Any = "",
        scripts: Any = "",
        app_entry: Any = "",
        favicon: Any = "",
        renderer: Any = "",
    ) -> Any:
        here = _plain(flask.request.path) if flask.has_request_context() else "/"
        preloads = page_preloads(here, self.prefix(), self.chunk_paths())
        if here in self.first_paths():
            first = (layout_preload(self.prefix()), dependencies_preload(self.prefix()))
            preloads = "\n".join(filter(None, (*first, preloads)))
        return super().interpolate_index(
            metas=f"{metas}\n{preloads}" if preloads else metas,
            title=title,
            css=css,
            config=config,
            scripts=page_scripts(str(scripts), here, self.graph_paths()),
            app_entry=app_entry,
            favicon=favicon,
            renderer=renderer,
        )


def _plain(path: str) -> str:
    """``/query/`` and ``/query`` alike as ``/query``; the root as ``/``."""
    return "/" + path.strip("/")
