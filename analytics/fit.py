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

The words of each reason are built here too (:data:`LETTER_NAMES`, :func:`complement_words`), so a
suggestion names what fits: the industry, the shared keywords, the phase it serves.
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
    "LETTER_NAMES",
    "PHASE_NEEDS",
    "ROLE_LETTER",
    "complement_words",
    "industry_relatedness",
    "letter_of",
]

#: JSIC 大分類 names (ja, en).
LETTER_NAMES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "A": ("農業・林業", "agriculture and forestry"),
        "B": ("漁業", "fisheries"),
        "C": ("鉱業", "mining"),
        "D": ("建設業", "construction"),
        "E": ("製造業", "manufacturing"),
        "F": ("電気・ガス・熱供給・水道業", "utilities"),
        "G": ("情報通信業", "information and communications"),
        "H": ("運輸業・郵便業", "transport and postal services"),
        "I": ("卸売業・小売業", "wholesale and retail"),
        "J": ("金融業・保険業", "finance and insurance"),
        "K": ("不動産業・物品賃貸業", "real estate and leasing"),
        "L": ("学術研究・専門・技術サービス業", "research and technical services"),
        "M": ("宿泊業・飲食サービス業", "accommodation and food services"),
        "N": ("生活関連サービス業・娯楽業", "personal services and leisure"),
        "O": ("教育・学習支援業", "education"),
        "P": ("医療・福祉", "medical care and welfare"),
        "Q": ("複合サービス事業", "compound services"),
        "R": ("サービス業（他に分類されないもの）", "other services"),
        "S": ("公務", "government"),
        "T": ("分類不能の産業", "unclassifiable"),
    }
)

#: The JSIC 大分類 a role stands for when the node records none.
ROLE_LETTER: Mapping[str, str] = MappingProxyType({"University": "L", "ResearchInstitute": "L"})

#: Complementary 大分類 pairs (either order) and what each side brings, (ja, en).
COMPLEMENTS: Mapping[frozenset[str], tuple[str, str]] = MappingProxyType(
    {
        frozenset("EI"): ("つくり手と販路（卸・小売）", "a maker and a sales channel (wholesale, retail)"),
        frozenset("EL"): ("つくり手と研究・技術サービス", "a maker and research or technical services"),
        frozenset("EG"): ("つくり手と情報通信（DX）", "a maker and information technology (digitalisation)"),
        frozenset("EM"): ("食品などのつくり手と宿泊・飲食", "a (food) maker and hospitality"),
        frozenset("AE"): ("農林産物と加工", "farm produce and processing"),
        frozenset("BE"): ("水産物と加工", "seafood and processing"),
        frozenset("EP"): ("つくり手と医療・福祉の現場", "a maker and medical or care practice"),
        frozenset("GL"): ("情報通信と研究", "information technology and research"),
        frozenset("LP"): ("研究と医療の現場", "research and medical practice"),
        frozenset("AL"): ("農林業と研究", "agriculture and research"),
        frozenset("BL"): ("漁業と研究", "fisheries and research"),
        frozenset("DL"): ("建設と研究・技術サービス", "construction and technical services"),
    }
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


def complement_words(la: str, lb: str) -> tuple[str, str]:
    """What a complementary pair brings, in words (ja, en); empty when the pair is not complementary."""
    return COMPLEMENTS.get(frozenset((la, lb)), ("", ""))


def letter_of(attrs: Mapping[str, Any], role: str | None) -> tuple[str, str]:
    """(大分類, 中分類) of a node: its ``jsic``, else the letter its role stands for."""
    letter, middle = jsic_of(attrs)
    if letter:
        return letter, middle
    return ROLE_LETTER.get(role or "", ""), ""
