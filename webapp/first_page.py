"""The first page's content in the app's layout answer, so its first draw waits for no callback.

A Dash page is drawn in three round trips after its scripts: ``_dash-layout`` (the shell) and
``_dash-dependencies`` side by side, then the pages router's callback, which the shell's
``dcc.Location`` fires once it is mounted and which answers the page's content. For the map that
last answer is its drawing (70–90 KB), asked for only after the shell has been rendered.

For the pages named in :attr:`webapp.bundles.PagedDash.first_pages`, the layout answer already
holds the page: the page the browser is on is read from the layout request's ``Referer`` (a
same-origin ``fetch`` sends the page's whole address), its layout function runs as the router
would run it, and the result is put in the router's container, with the router's ``dcc.Location``
given the address's path and query. A ``dcc.Location`` that is mounted with both already set does
not set them again, so the router's callback does not run, and the map is drawn from the layout
answer: one round trip fewer than before. The page's HTML asks for both answers the renderer waits
for, the layout and ``_dash-dependencies``, beside its scripts (:mod:`webapp.bundles`), so the first
draw follows the scripts with no round trip at all.

The browser checks what it got (``assets/first_page.js``, Dash's ``layout_post`` hook): when the
address the layout was made for is not the page's (a proxy that strips or shortens the
``Referer``), it empties the container and the router's ``dcc.Location`` again, and the router's
callback fetches the page as before. Without a ``Referer`` nothing is put in the layout.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["CONTENT", "LOCATION", "RENDERER", "STORE", "FirstPage", "first_page", "page_entry", "with_first_page"]

log = logging.getLogger(__name__)

#: The ids of Dash's pages router (``dash.page_container``): its container, its location and its store.
CONTENT = "_pages_content"
LOCATION = "_pages_location"
STORE = "_pages_store"
#: Dash's renderer with the check of ``assets/first_page.js`` (``app.renderer``; a no-op until that script ran).
RENDERER = (
    "var renderer = new DashRenderer({layout_post: function (layout) {"
    " if (window.ipecoFirstPage) { window.ipecoFirstPage(layout); } }});"
)


@dataclass(frozen=True)
class FirstPage:
    """The page a layout request came from: its path and query as the browser's ``location`` has them."""

    pathname: str
    search: str

    def params(self) -> dict[str, Any]:
        """The query as Dash's router passes it to a page's layout (one value: a string; several: a list)."""
        parsed = parse_qs(self.search.removeprefix("?"), keep_blank_values=True)
        return {key: values[0] if len(values) == 1 else values for key, values in parsed.items()}


def first_page(referrer: str | None, host: str) -> FirstPage | None:
    """The page of the app at ``host`` that sent a request with ``referrer``; None for another site or none."""
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc != host or not parts.path:
        return None
    return FirstPage(parts.path, f"?{parts.query}" if parts.query else "")


def page_entry(
    pages: Iterable[Mapping[str, Any]], relative: str | None, wanted: Iterable[str]
) -> Mapping[str, Any] | None:
    """The registered page (a ``dash.page_registry`` entry) at ``relative`` (no slashes, no prefix)
    if it is one of ``wanted``."""
    names = {path.strip("/") for path in wanted}
    if relative is None or relative not in names:
        return None
    return next((page for page in pages if page["path"].strip("/") == relative), None)


def with_first_page(shell: Any, page: Mapping[str, Any], where: FirstPage) -> Any:
    """A copy of ``shell`` whose pages router holds ``page``'s content for ``where`` (see the module's
    docstring); ``shell`` itself, unchanged, when the page's layout fails (its callback then shows why)."""
    try:
        content = _call(page["layout"], where.params())
        title = _call(page.get("title", ""), {})
    except Exception:  # the router's callback asks again, and its error handler shows the error
        log.warning("the first page %s%s is left to its callback", where.pathname, where.search, exc_info=True)
        return shell
    filled = copy.deepcopy(shell)
    filled[CONTENT].children = content
    filled[LOCATION].pathname = where.pathname
    filled[LOCATION].search = where.search
    filled[STORE].data = {"title": title}
    return filled


def _call(value: Any, params: Mapping[str, Any]) -> Any:
    return value(**params) if callable(value) else value
