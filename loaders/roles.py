"""Role labels of organisations known from public registries, and when two roles may be one body.

Why a module of its own: the 法人番号 loader (kind + name + number), the gBizINFO loaders (number +
name) and J-PlatPat (name only) must give one organisation the same role, and the name matchers
must refuse to equate bodies of different roles (issue 13: 神戸市公立大学法人 is not 神戸市).

Rules, first match wins (:func:`classify_role`):

====  =====================  ==========================================================================
#     result                 rule
====  =====================  ==========================================================================
1     GovernmentBody         kind 101 (national body) or 201 (local government), or a corporate number
                             in the public-body range (:func:`graph.identifiers.public_body_kind`)
2     *unclassified*         not part of an IP support ecosystem: 宗教法人 and names ending in 神社 / 寺
                             / 教会 / 八幡宮 / 大社 / 稲荷, 医療法人, 社会福祉法人, 健康保険組合, 年金基金,
                             共済組合, 労働組合, 生活協同組合, 管理組合, 同窓会 / 校友会 / 後援会 / PTA
3     ProfessionalBody       弁理士法人 / 弁理士会 / 特許業務法人 / 特許事務所
4     ResearchInstitute      大学共同利用機関法人, 国立研究開発法人 (before the university rule: 大学 in the
                             first is not a university)
5     University             大学 / 大学院 / 高等専門学校 / 短期大学, or a 学校法人 of
                             :data:`SCHOOL_CORPORATIONS` (a curated list: a 学校法人…学園 running a
                             kindergarten or a vocational school is no university); not for kinds
                             301–305 / 401
6     FinancialInstitution   銀行 / 信用金庫 / 信用組合 / 公庫 / 信用保証協会 / 労働金庫
7     SupportOrganization    商工会議所 / 商工会 / 発明協会 / 知的財産 / 産業支援 / 振興機構 / 産業振興 /
                             産業活性化 / よろず / 中小企業団体中央会, and 支援センター / 支援機構 only
                             with a business word (産業, 経済, 企業, 創業, 起業, ビジネス, 技術, 知財…:
                             a 子育て支援センター is no IP support body); not for kinds 301–305 / 401
8     ResearchInstitute      試験場 / 試験所 / 研究所 / 技術センター / 研究機構; not for 301–305 / 401
9     Company                kind 301–305 (株式会社 … 合同会社), 401 (foreign company)
10    *unclassified*         anything else: kind 399 / 499 without a rule above (一般社団法人, NPO …)
====  =====================  ==========================================================================

Unclassified organisations are not labelled Company any more (10.5% of a real load were): a
regional load leaves them out and counts them, ``--include-unclassified`` keeps them as Company
flagged ``role_inferred: "unclassified"`` because the schema has no role for them.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from graph.identifiers import public_body_kind

__all__ = [
    "COMPANY_KINDS",
    "SCHOOL_CORPORATIONS",
    "classify_name",
    "classify_role",
    "roles_compatible",
]

COMPANY_KINDS: Final = frozenset({"301", "302", "303", "304", "305", "401"})
_PUBLIC_KINDS: Final = frozenset({"101", "201"})


class SchoolCorporation(NamedTuple):
    """A 学校法人 whose name does not say 大学 but that runs a university or college of a region."""

    name: str
    runs: str
    source: str
    seen: str


#: 学校法人 of the regions that run a university or junior college under another name; each with the
#: public page that says so and the date it was read. Extend it with the same evidence.
SCHOOL_CORPORATIONS: Final[tuple[SchoolCorporation, ...]] = (
    SchoolCorporation(
        "学校法人青森山田学園", "青森大学", "https://ja-wiki.pages.dev/wiki/青森大学 (設置者)", "2026-11-28"
    ),
    SchoolCorporation(
        "学校法人青森田中学園",
        "青森中央学院大学, 青森中央短期大学",
        "http://www.chutan.ac.jp/college_information/summary/history/",
        "2026-11-28",
    ),
    SchoolCorporation(
        "学校法人稲置学園",
        "金沢星稜大学",
        "https://ja.wikipedia.org/wiki/実践商業高等学校_(石川県) (学校法人稲置学園)",
        "2026-11-28",
    ),
    SchoolCorporation(
        "学校法人北陸学院",
        "北陸学院大学 (北陸学院短期大学)",
        "https://christiantoday.co.jp/articles/1074/20070620/news.htm",
        "2026-11-28",
    ),
    SchoolCorporation(
        "学校法人甲南学園", "甲南大学", "https://www.kobe-np.co.jp/info/leaders/c008.shtml", "2026-11-28"
    ),
    SchoolCorporation(
        "学校法人濱名山手学院",
        "関西国際大学 (神戸山手キャンパス)",
        "https://www.kuins.ac.jp/news/2019/03/post_243.html",
        "2026-11-28",
    ),
)
_SCHOOL_NAMES: Final = frozenset(s.name.removeprefix("学校法人") for s in SCHOOL_CORPORATIONS)

_NOT_ECOSYSTEM: Final = re.compile(
    r"宗教法人|医療法人|社会福祉法人|健康保険組合|年金基金|共済組合|労働組合|生活協同組合|生協|管理組合"
    r"|同窓会|校友会|後援会|ＰＴＡ|PTA|(?:神社|寺|教会|八幡宮|大社|稲荷)$"
)
_PROFESSIONAL: Final = re.compile(r"弁理士法人|弁理士会|特許業務法人|特許事務所")
_RESEARCH_FORMS: Final = re.compile(r"大学共同利用機関法人|国立研究開発法人")
_UNIVERSITY: Final = re.compile(r"大学|高等専門学校")
_FINANCE: Final = re.compile(r"銀行|信用金庫|信用組合|公庫|信用保証協会|労働金庫")
_SUPPORT: Final = re.compile(
    r"商工会議所|商工会|発明協会|知的財産|産業支援|振興機構|産業振興|産業活性化|よろず|中小企業団体中央会"
)
_SUPPORT_GENERIC: Final = re.compile(r"支援センター|支援機構")
_BUSINESS_WORDS: Final = re.compile(r"産業|経済|企業|創業|起業|ビジネス|技術|知財|発明|商工|イノベーション|新事業")
_RESEARCH: Final = re.compile(r"試験場|試験所|研究所|技術センター|研究機構")


def _school_corporation(name: str) -> bool:
    return name.startswith("学校法人") and name.removeprefix("学校法人") in _SCHOOL_NAMES


def classify_role(kind: str, name: str, corporate_number: str = "") -> str | None:
    """Role label from 法人種別, name and corporate number; None when the organisation is unclassified.

    >>> classify_role("399", "国立大学法人弘前大学")
    'University'
    >>> classify_role("399", "石川県公立大学法人")
    'University'
    >>> classify_role("301", "株式会社青森銀行")
    'FinancialInstitution'
    >>> classify_role("399", "青森銀行健康保険組合") is None
    True
    >>> classify_role("", "東京都", "8000020130001")
    'GovernmentBody'
    """
    if kind in _PUBLIC_KINDS or public_body_kind(corporate_number):
        return "GovernmentBody"
    if _NOT_ECOSYSTEM.search(name):
        return None
    company = kind in COMPANY_KINDS
    if _PROFESSIONAL.search(name):
        return "ProfessionalBody"
    if company:
        return "FinancialInstitution" if _FINANCE.search(name) else "Company"
    return _non_company_role(name)


def _non_company_role(name: str) -> str | None:
    """The role of a body that is not a company by its 法人種別, in the rules' order of precedence."""
    if _RESEARCH_FORMS.search(name):
        return "ResearchInstitute"
    if _UNIVERSITY.search(name) or _school_corporation(name):
        return "University"
    if _FINANCE.search(name):
        return "FinancialInstitution"
    if _SUPPORT.search(name) or (_SUPPORT_GENERIC.search(name) and _BUSINESS_WORDS.search(name)):
        return "SupportOrganization"
    if _RESEARCH.search(name):
        return "ResearchInstitute"
    return None


#: Legal-form words that reveal a company's 法人種別 when only the name is known (gBizINFO, J-PlatPat).
_COMPANY_FORMS: Final = re.compile(r"株式会社|有限会社|合名会社|合資会社|合同会社|[(（][株有][)）]|㈱|㈲")
#: A name that is a prefecture or a municipality and nothing else (J-PlatPat lists 神戸市, 青森県).
_PREFECTURES: Final = re.compile(r"(?:東京都|北海道|(?:京都|大阪)府|[^\s都道府県]{2,3}県)")
_LOCAL_GOVERNMENT: Final = re.compile(
    rf"{_PREFECTURES.pattern}|(?:{_PREFECTURES.pattern})?[一-龥ぁ-んァ-ヶヶ]{{1,6}}[市町村区]"
)


def classify_name(name: str, corporate_number: str = "") -> str | None:
    """Role label from a name (and corporate number when known) alone: :func:`classify_role` with
    the kind its legal form implies, and a bare prefecture or municipality name as a local government.

    >>> classify_name("国立大学法人金沢大学"), classify_name("株式会社小松精機工作所")
    ('University', 'Company')
    >>> classify_name("神戸市"), classify_name("神戸市公立大学法人")
    ('GovernmentBody', 'University')
    """
    kind = "301" if _COMPANY_FORMS.search(name) else ""
    if not kind and _LOCAL_GOVERNMENT.fullmatch(name.strip()):
        kind = "201"
    return classify_role(kind, name, corporate_number)


def roles_compatible(candidate: str | None, stored: str | None) -> bool:
    """May a record whose rules give ``candidate`` be the stored organisation of role ``stored``?

    Never across roles: a classified record must have the stored role. An unclassified record may be
    any non-government body (a government body is always classified, by its kind or number, so an
    unclassified record is never one).
    """
    if candidate is None:
        return stored != "GovernmentBody"
    return candidate == stored
