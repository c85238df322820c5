"""The JavaScript each page loads: dash-cytoscape only on the pages that draw a graph.

Dash puts every imported component library's bundle on every page. dash-cytoscape's is 0.5 MB (the
plain bundle: every map is laid out on the server and its SVG export is drawn there too, so the
1.4 MB extra bundle with its layouts and cytoscape-svg is never loaded), and the browser would parse
it on pages that never draw a graph (compare, gaps, report, the 404 page). :class:`PagedDash` leaves
it out of the page's HTML unless the address is one of :data:`CYTOSCAPE_PAGES`; ``assets/bundles.js``
then sends a move to such a page from a page without the bundle through a full page load (a link
click, or the browser's back button), so the graph page always finds it loaded.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import dash
import flask

__all__ = ["CYTOSCAPE_SUITE", "PagedDash", "page_scripts"]

#: Where Dash serves dash-cytoscape's bundles (one of them is the page's ``<script>``).
CYTOSCAPE_SUITE = "/_dash-component-suites/dash_cytoscape/"


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


class PagedDash(dash.Dash):
    """A Dash app whose pages load dash-cytoscape only where a graph is drawn (see the module's docstring).

    ``graph_pages`` are the registered paths (``/``, ``/query``) that hold a ``cyto.Cytoscape``.
    """

    def __init__(self, *args: Any, graph_pages: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.graph_pages = tuple(graph_pages)

    def graph_paths(self) -> list[str]:
        """The graph pages' addresses under the app's prefix, as the browser sees them (no trailing ``/``)."""
        prefix = (self.config.requests_pathname_prefix or "/").rstrip("/")
        return [_plain(prefix + page) for page in self.graph_pages]

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
        return super().interpolate_index(
            metas=metas,
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
