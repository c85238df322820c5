"""How well two organisations fit, in parts a producer can read (issue 20).

A partner suggestion is worth a firm's time when the partner *complements* it, not merely when a
path joins them. Four parts, each in [0, 1]:

- ``industry`` (:func:`industry_relatedness`): the same JSIC 中分類 (1.0), the same 大分類 (0.6), or
  a complementary pair of 大分類 from :data:`COMPLEMENTS` (0.8: a maker and a sales channel, a
  food maker and hospitality, a maker and a research or technical-services body). A university or
  公設試 is read as JSIC L (学術研究, 専門・技術サービス業).
- ``keywords``: the Jaccard similarity of the two keyword sets (the page's own words), or of the
  two technology-field sets (IPC/FI), whichever is higher.
- ``need``: the partner's kind serves one of the firm's uncovered phases (:data:`PHASE_NEEDS`:
  universities and 公設試 for ideation and launch, firms of a complementary industry for launch
  and expansion).
- ``proximity``: personalised PageRank on the organisation graph *without its hubs*
  (:func:`analytics.profiles.hubs`), so that being tied to the same prefecture says nothing.

The words of each reason (a JSIC 大分類's name, what a complementary pair brings) are the
vocabulary's (``jsic.<letter>``, :func:`complement_key` in :mod:`graph.words`), so a suggestion
names what fits in the same words on every surface.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from analytics.profiles import jsic_of

__all__ = [
    "COMPLEMENTS",
    "FOOD_MIDDLES",
    "FOOD_PAIRS",
    "PHASE_NEEDS",
    "ROLE_LETTER",
    "complement_key",
    "industry_relatedness",
    "letter_of",
]

#: The JSIC 大分類 a role stands for when the node records none.
ROLE_LETTER: Mapping[str, str] = MappingProxyType({"University": "L", "ResearchInstitute": "L"})

#: Complementary 大分類 pairs (either order). What each side brings is said by the vocabulary
#: (``complement.<the two letters in order>`` in :mod:`graph.words`).
COMPLEMENTS: frozenset[frozenset[str]] = frozenset(
    frozenset(pair) for pair in ("EI", "EL", "EG", "EM", "AE", "BE", "EP", "GL", "LP", "AL", "BL", "DL")
)


#: Roles or JSIC 大分類 whose partnership serves a phase a firm has not covered.
PHASE_NEEDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "ideation": frozenset({"University", "ResearchInstitute"}),
        "launch": frozenset({"University", "ResearchInstitute", "complement"}),
        "expansion": frozenset({"complement"}),
    }
)


#: Pairs that complement only when the maker makes food or drink (JSIC 中分類 E09 食料品, E10 飲料).
FOOD_PAIRS: frozenset[frozenset[str]] = frozenset({frozenset("EM"), frozenset("AE"), frozenset("BE")})
FOOD_MIDDLES: frozenset[str] = frozenset({"E09", "E10"})


def industry_relatedness(a: tuple[str, str], b: tuple[str, str]) -> tuple[float, str]:
    """(value, kind) for two (大分類, 中分類) pairs: ``same_middle``, ``same_major``, ``complement`` or ``""``.

    A hotel complements a food maker, not a maker of medical analysers: the pairs of
    :data:`FOOD_PAIRS` count only when the maker's 中分類 is food or drink.
    """
    (la, ma), (lb, mb) = a, b
    if not la or not lb:
        return 0.0, ""
    if ma and ma == mb:
        return 1.0, "same_middle"
    pair = frozenset((la, lb))
    maker_middle = ma if la == "E" else mb
    if pair in COMPLEMENTS and (pair not in FOOD_PAIRS or maker_middle in FOOD_MIDDLES):
        return 0.8, "complement"
    if la == lb and la not in ("L", "S", "T"):
        return 0.6, "same_major"
    return 0.0, ""


def complement_key(la: str, lb: str) -> str:
    """The vocabulary key of a complementary pair (``complement.EI``), whichever side is given first."""
    return "complement." + "".join(sorted((la, lb)))


def letter_of(attrs: Mapping[str, Any], role: str | None) -> tuple[str, str]:
    """(大分類, 中分類) of a node: its ``jsic``, else the letter its role stands for."""
    letter, middle = jsic_of(attrs)
    if letter:
        return letter, middle
    return ROLE_LETTER.get(role or "", ""), ""
