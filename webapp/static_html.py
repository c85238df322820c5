"""Dash ``html`` components (and ``dcc.Link``) written out as one HTML string.

Why: the map's detail panel is a few hundred small components (neighbour buttons, table cells,
evidence links). Sent as a component tree, every one becomes a React component with its own
subscription to Dash's store, and each of the dozens of store updates a click causes walks all of
them: a large panel took Chromium more than a second after the server had answered in 50 ms. The
same panel as one string, put into the page by ``assets/map.js``, costs one ``innerHTML``.

What the string can hold is what a plain page can: tags, text and attributes. A component that
needs Dash (a store, a dropdown, anything with a callback other than a click) raises
:class:`NotStatic`, and the caller keeps it as a component (:func:`split_static`). A button whose id
is a dict (a pattern-matching id such as ``{"type": "pick-node", "node": …}``) carries the id as
JSON in ``data-dash-id``, and a ``dcc.Link`` is marked ``data-dash-link``: ``assets/map.js`` turns
clicks on them into what Dash would have done (select the node, navigate without reloading).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from typing import Any

from dash.development.base_component import Component

__all__ = ["NotStatic", "safe_href", "split_static", "to_html"]

_HTML_NAMESPACE = "dash_html_components"
_CORE_NAMESPACE = "dash_core_components"
#: Dash props that are state of the React component, not attributes of the element.
_SKIPPED = frozenset(
    {"children", "id", "style", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "loading_state", "key", "refresh"}
)
#: React's names of attributes whose HTML name differs.
_RENAMED = {
    "className": "class",
    "htmlFor": "for",
    "colSpan": "colspan",
    "rowSpan": "rowspan",
    "dateTime": "datetime",
    "tabIndex": "tabindex",
    "accessKey": "accesskey",
    "contentEditable": "contenteditable",
    "spellCheck": "spellcheck",
}
_VOID = frozenset({"br", "hr", "img", "input", "col", "wbr", "source", "area", "track"})
#: Element names Dash spells differently from HTML (``html.ObjectEl`` is ``<object>``).
_TAGS = {"objectel": "object", "mapel": "map"}
_URL_ATTRS = frozenset({"href", "src", "action", "formAction", "cite"})
#: Schemes a link in the panel may not carry (data comes from registries and public sources).
_UNSAFE_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)


class NotStatic(TypeError):
    """A component that cannot be written as plain HTML (it needs Dash to work)."""


def safe_href(url: str) -> str:
    """``url``, or ``about:blank`` when it would run script (``javascript:`` and friends).

    Browsers ignore tabs, newlines and control characters inside a scheme, so they are removed
    before the check, as React's and Dash's own URL sanitising does.
    """
    compact = re.sub(r"[\x00-\x20]", "", url)
    return "about:blank" if _UNSAFE_SCHEME.match(compact) else url


def to_html(node: Any) -> str:
    """``node`` (a component, a string, a number, a list of them, or None) as an HTML string."""
    if node is None or isinstance(node, bool):
        return ""
    if isinstance(node, str | int | float):
        return html.escape(str(node), quote=False)
    if isinstance(node, list | tuple):
        return "".join(to_html(child) for child in node)
    if isinstance(node, Component):
        return _element(node)
    raise NotStatic(f"cannot write {type(node).__name__} as HTML")


def split_static(items: Sequence[Any]) -> tuple[str, list[Any]]:
    """The leading items that are plain HTML as one string, and the rest kept as components.

    Order is kept: everything from the first item that needs Dash on stays a component (the
    caller puts those after the string).
    """
    parts: list[str] = []
    for index, item in enumerate(items):
        try:
            parts.append(to_html(item))
        except NotStatic:
            return "".join(parts), list(items[index:])
    return "".join(parts), []


def _element(component: Component) -> str:
    namespace = getattr(component, "_namespace", "")
    kind = getattr(component, "_type", "")
    if namespace == _CORE_NAMESPACE and kind == "Link":
        tag, extra = "a", {"data-dash-link": True}
    elif namespace == _HTML_NAMESPACE:
        tag, extra = _TAGS.get(kind.lower(), kind.lower()), {}
    else:
        raise NotStatic(f"{namespace}.{kind} needs Dash")
    props = {name: getattr(component, name, None) for name in component._prop_names}
    props.update({k: v for k, v in vars(component).items() if k.startswith(("data-", "aria-"))})
    attrs = _attributes(props) + _id_attribute(props.get("id")) + _style(props.get("style"))
    attrs += "".join(_attribute(name, value) for name, value in extra.items())
    if tag in _VOID:
        return f"<{tag}{attrs}>"
    return f"<{tag}{attrs}>{to_html(props.get('children'))}</{tag}>"


def _attributes(props: dict[str, Any]) -> str:
    out = []
    for name, value in props.items():
        if name in _SKIPPED or value is None or value is False:
            continue
        if name in _URL_ATTRS and isinstance(value, str):
            value = safe_href(value)
        out.append(_attribute(_RENAMED.get(name, name), value))
    return "".join(out)


def _attribute(name: str, value: Any) -> str:
    if value is True:
        return f" {name}"
    return f' {name}="{html.escape(str(value), quote=True)}"'


def _id_attribute(cid: Any) -> str:
    if cid is None:
        return ""
    if isinstance(cid, dict):
        return _attribute("data-dash-id", json.dumps(cid, sort_keys=True, ensure_ascii=False))
    return _attribute("id", cid)


def _style(style: Any) -> str:
    if not style:
        return ""
    rules = "; ".join(f"{_css_name(k)}: {v}" for k, v in style.items())
    return _attribute("style", rules)


def _css_name(name: str) -> str:
    """React's ``backgroundColor`` as CSS's ``background-color``."""
    return re.sub(r"(?<!^)([A-Z])", r"-\1", name).lower()
