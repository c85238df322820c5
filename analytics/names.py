# ruff: noqa: N803  (G: the graph, as in analytics.gaps)
"""An organisation named the way a person names it: 「伍魚福」, "Sysmex", 神戸大学, or its id (issue 20).

:func:`find_organisation` tries, in order: the id itself; an exact name (Japanese, English,
furigana or 法人番号), compared after folding width and case and dropping the legal form
(株式会社, 有限会社, 公益財団法人, Co., Ltd., ...); then a unique prefix of one of those names.
Several organisations at the same step make an :class:`AmbiguousNameError` that lists a few
candidates with their ids, so the user can pick one; none at all is a :class:`graph.errors.NotFoundError`
that says how to look a name up.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from analytics.name_patterns import HIRAGANA, LEGAL_FORMS, NAME_SEPARATORS
from analytics.orggraph import is_organisation
from graph.errors import InputError, NotFoundError

__all__ = ["AmbiguousNameError", "find_organisation", "fold_name"]

_CANDIDATES = 8


class AmbiguousNameError(InputError):
    """A name that fits several organisations; ``candidates`` are (id, name) pairs to choose from."""

    def __init__(self, message: str, candidates: list[tuple[str, str]]) -> None:
        super().__init__(message)
        self.candidates = candidates


def fold_name(text: Any) -> str:
    """A name folded for matching: NFKC, lower case, hiragana as katakana, no legal form, no spaces."""
    folded = unicodedata.normalize("NFKC", str(text or "")).casefold()
    first, last = HIRAGANA
    folded = "".join(chr(ord(c) + 0x60) if first <= c <= last else c for c in folded)
    folded = LEGAL_FORMS.sub("", folded)
    return NAME_SEPARATORS.sub("", folded)


def _names(node: Any, attrs: Mapping[str, Any]) -> list[str]:
    keys = ("name", "name_en", "furigana", "corporate_number")
    return [f for f in (fold_name(attrs.get(k)) for k in keys) if f] + [fold_name(node)]


def find_organisation(G: nx.Graph, text: str, *, among: Iterable[Any] | None = None) -> str:
    """The id of the one organisation ``text`` names (module docstring); ``among`` limits the search."""
    if text in G and is_organisation(G.nodes[text]):
        return str(text)
    needle = fold_name(text)
    if not needle:
        raise InputError("no organisation name given: type a name or an id (org:...)")
    pool = [n for n in (G if among is None else among) if n in G and is_organisation(G.nodes[n])]
    found = _matches(G, pool, needle)
    if len(found) == 1:
        return str(found[0])
    if not found:
        msg = (
            f"no organisation is named {text!r}: check the spelling, or type the first characters of its "
            "name (Japanese or English) or its corporate number"
        )
        raise NotFoundError(msg)
    raise _ambiguous(G, text, found)


def _matches(G: nx.Graph, pool: list[Any], needle: str) -> list[Any]:
    """The organisations with a name equal to ``needle`` (folded), else those with a name starting with it."""
    names = {n: _names(n, G.nodes[n]) for n in pool}
    exact = sorted((n for n, ns in names.items() if needle in ns), key=str)
    return exact or sorted((n for n, ns in names.items() if any(x.startswith(needle) for x in ns)), key=str)


def _ambiguous(G: nx.Graph, text: str, found: list[Any]) -> AmbiguousNameError:
    """The error for a name that fits several organisations, listing the first few with their ids."""
    candidates = [(str(n), str(G.nodes[n].get("name") or n)) for n in found[:_CANDIDATES]]
    listed = "; ".join(f"{name} ({node})" for node, name in candidates)
    more = f" and {len(found) - _CANDIDATES} more" if len(found) > _CANDIDATES else ""
    msg = f"{text!r} fits {len(found)} organisations: {listed}{more}. Give more of the name or one of these ids."
    return AmbiguousNameError(msg, candidates)
