# ruff: noqa: N803  (G, H: the graph and the organisation graph, as in analytics.gaps)
"""What the graph says about a firm and a programme, read once for every piece of advice (issue 20).

Suggestions and the worklist both need the same few facts about an organisation: its size class
under 中小企業基本法, its industry (a JSIC code), its keywords, whether it still exists, which
bodies it is already tied to, and which bodies are *hubs* (tied to so much of the region that a
path through them says nothing about fit). They live here so that the two agree.

Size classes (:func:`firm_class`). A firm is an SME under 中小企業基本法 第2条第1項 when its capital
*or* its regular headcount is at most its industry's limit (:data:`SME_LIMITS`); ``large`` when
every size it states is above the limit, or when a page states a stock-exchange listing
(``listed``: a listed firm is not an SME however its size is read); ``unknown`` when it states no
size (no guess is made from its name or fame); ``startup`` when the data flags it so.

The industry class for the limits comes from the JSIC code when one is recorded (卸売業 中分類
50–55 → wholesale, 小売業 56–61 → retail, 大分類 G (bar ソフトウェア・情報処理 39) and K–R → services,
the rest → manufacturing and others), else from the ``industry`` words; a firm whose industry
cannot be told is held to the manufacturing limits, the widest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import networkx as nx

from analytics.name_patterns import INDUSTRY_WORDS

__all__ = [
    "GONE_TYPES",
    "HUB_SHARE",
    "SME_LIMITS",
    "firm_class",
    "has_ip_support_tie",
    "hubs",
    "industry_class",
    "is_gone",
    "jsic_of",
    "keywords_of",
    "place_of",
    "successor",
    "tie_year",
    "tied_to",
]

#: 中小企業基本法 第2条第1項: (capital limit in yen, headcount limit) by industry class.
SME_LIMITS: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "manufacturing": (300_000_000, 300),
        "wholesale": (100_000_000, 100),
        "services": (50_000_000, 100),
        "retail": (50_000_000, 50),
    }
)

#: A body tied to more than this share of the region's organisations is a hub (a prefecture, a city).
HUB_SHARE = 0.2

#: Relationship types saying an organisation no longer exists under its own name.
GONE_TYPES: tuple[str, ...] = ("SUCCEEDED_BY",)

_SERVICE_LETTERS = frozenset("GKLMNOPQR")
_JSIC = re.compile(r"^([A-T])(\d{2})?")


def jsic_of(attrs: Mapping[str, Any]) -> tuple[str, str]:
    """(大分類 letter, 中分類 code such as ``E09``) of a node's ``jsic``; empty strings when unknown."""
    match = _JSIC.match(str(attrs.get("jsic") or "").strip().upper())
    if not match:
        return "", ""
    letter, digits = match.group(1), match.group(2)
    return letter, f"{letter}{digits}" if digits else ""


def keywords_of(attrs: Mapping[str, Any]) -> frozenset[str]:
    """A node's ``keywords`` (a list, or a ``;``-separated text), folded to lower case."""
    raw = attrs.get("keywords") or ()
    items = raw.split(";") if isinstance(raw, str) else raw
    return frozenset(str(k).strip().lower() for k in items if str(k).strip())


def industry_class(industry: Any, jsic: Any = None) -> str:
    """The 中小企業基本法 industry class of a firm (module docstring): JSIC code first, then words."""
    letter, middle = jsic_of({"jsic": jsic})
    if letter == "I" and middle:
        return "wholesale" if int(middle[1:]) <= 55 else "retail"
    if letter in _SERVICE_LETTERS and middle != "G39":
        return "services"
    if letter:
        return "manufacturing"
    text = str(industry or "").lower()
    for cls, words in INDUSTRY_WORDS:
        if any(w.lower() in text for w in words):
            return cls
    return "manufacturing"


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def firm_class(attrs: Mapping[str, Any]) -> str:
    """``startup``, ``sme``, ``large`` or ``unknown`` for a company's node attributes (module docstring)."""
    if attrs.get("listed") is True:
        return "large"
    cap_limit, emp_limit = SME_LIMITS[industry_class(attrs.get("industry"), attrs.get("jsic"))]
    employees, capital = _int(attrs.get("employees")), _int(attrs.get("capital"))
    known = [(v, limit) for v, limit in ((employees, emp_limit), (capital, cap_limit)) if v is not None]
    if known and all(v > limit for v, limit in known):
        return "large"
    if attrs.get("startup") is True:
        return "startup"
    return "sme" if known else "unknown"


def hubs(H: nx.Graph) -> frozenset[Any]:
    """Organisations tied to more than :data:`HUB_SHARE` of the others (a prefecture, a city hall).

    Two firms both tied to such a body share almost nothing: a path through it is no reason to
    introduce them. A region of fewer than ten organisations has no hub (every share is large).
    """
    n = H.number_of_nodes()
    if n < 10:
        return frozenset()
    return frozenset(v for v, d in H.degree() if d > HUB_SHARE * (n - 1))


def is_gone(G: nx.Graph, node: Any) -> bool:
    """True when ``node`` was merged or closed: a SUCCEEDED_BY tie from it, or an ``until`` on the node."""
    if node not in G:
        return False
    if G.nodes[node].get("until") not in (None, ""):
        return True
    if not G.is_directed():
        return False
    return any(d.get("type") in GONE_TYPES for _, _, d in G.out_edges(node, data=True))


def successor(G: nx.Graph, node: Any) -> Any | None:
    """The body that took over ``node`` (following SUCCEEDED_BY to the last one), or None."""
    seen = {node}
    current, found = node, None
    while G.is_directed() and current in G:
        nxt = next((t for _, t, d in G.out_edges(current, data=True) if d.get("type") in GONE_TYPES), None)
        if nxt is None or nxt in seen:
            break
        seen.add(nxt)
        current = found = nxt
    return found


def place_of(G: nx.Graph, node: Any) -> tuple[str, str]:
    """(prefecture code, city code) of an organisation: its own codes, else the city-level region it sits in.

    A firm of Kobe often records no ``city_code`` but is LOCATED_IN the city-level region 神戸市; the
    place decides which local bodies (a city's chamber of commerce) serve it. Empty strings: unknown.
    """
    if node not in G:
        return "", ""
    attrs = G.nodes[node]
    pref, city = str(attrs.get("prefecture_code") or ""), str(attrs.get("city_code") or "")
    if not city and G.is_directed():
        for _, region, d in G.out_edges(node, data=True):
            seat = G.nodes[region]
            if d.get("type") == "LOCATED_IN" and seat.get("level") == "city" and seat.get("jis_code"):
                city = str(seat["jis_code"])
                break
    return pref or city[:2], city


def tied_to(G: nx.Graph, node: Any, *, also: Iterable[Any] = ()) -> frozenset[Any]:
    """Every node ``node`` has a relationship with, in either direction (``also``: extra ones, e.g. H's)."""
    if node not in G:
        return frozenset(also)
    out = set(G.successors(node)) | set(G.predecessors(node)) if G.is_directed() else set(G[node])
    return frozenset(out | set(also))


#: ``support_kind`` values of bodies whose support is about IP (a consultation, a filing, a licence).
IP_SUPPORT_KINDS = frozenset({"ip_window", "invention_association", "ip_support", "patent_attorneys"})


def has_ip_support_tie(G: nx.MultiDiGraph, node: Any) -> bool:
    """True when ``node`` has an IP support tie: a SUPPORTS of kind ``ip_support`` or ``ip_award``,
    or any SUPPORTS/PARTICIPATES_IN tie with an IP support body (INPIT 窓口, 発明協会, 弁理士会).

    The IP layer (issue 19) owns the full picture; advice needs only this yes/no.
    """
    if node not in G:
        return False
    for u, v, d in (*G.in_edges(node, data=True), *G.out_edges(node, data=True)):
        if d.get("type") not in ("SUPPORTS", "PARTICIPATES_IN", "FINANCES"):
            continue
        if d.get("kind") in ("ip_support", "ip_award", "ip_finance_report"):
            return True
        other = v if u == node else u
        attrs = G.nodes[other]
        if str(attrs.get("support_kind") or "").lower() in IP_SUPPORT_KINDS or "ProfessionalBody" in (
            attrs.get("labels") or ()
        ):
            return True
    return False


def tie_year(data: Mapping[str, Any]) -> int | None:
    """A tie's year: its fiscal year, else the year of its ``date`` or ``since`` (None when undated)."""
    for key in ("fiscal_year", "date", "since"):
        value = data.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and len(value) >= 4 and value[:4].isdigit():
            return int(value[:4])
    return None
