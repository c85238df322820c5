"""Patterns matched in the data's own text: legal forms, kana ranges and keywords of names and fields.

Why a module of its own: these literals are Japanese because the sources are, but they are data
about the input (what a name or a field says), not words shown to a reader, so they do not belong
in the vocabulary (``graph.words``). Keeping them here lets the vocabulary test excuse one file.
"""

from __future__ import annotations

import re
from typing import Final

#: Legal forms cut from a name before matching (Japanese forms, their abbreviations, English ones).
LEGAL_FORMS: Final = re.compile(
    r"(株式会社|有限会社|合同会社|合資会社|合名会社|一般社団法人|公益社団法人|一般財団法人|公益財団法人|"
    r"独立行政法人|国立研究開発法人|地方独立行政法人|国立大学法人|学校法人|社会福祉法人|（株）|\(株\)|㈱|"
    r"\bco\.?,? ?ltd\.?|\bcorporation\b|\bcorp\.?|\binc\.?|\bltd\.?)"
)
#: Separators dropped from a folded name (spaces, the middle dot, commas, full- and half-width brackets).
NAME_SEPARATORS: Final = re.compile(r"[\s・,.()（）]+")
#: The hiragana block folded onto katakana (its first and last letter; katakana sit 0x60 above).
HIRAGANA: Final = ("ぁ", "ゖ")

#: Words of a startup programme's name or description (read when it records no target groups).
STARTUP_WORDS: Final[tuple[str, ...]] = (
    "startup",
    "start-up",
    "スタートアップ",
    "accelerator",
    "アクセラレータ",
    "ベンチャー",
)

#: Words of an organisation's name that make it an IP support body (Japanese and English).
IP_NAME_WORDS: Final[tuple[str, ...]] = (
    "発明協会",
    "発明推進協会",
    "弁理士会",
    "INPIT",
    "工業所有権情報・研修館",
    "特許庁",
    "知的財産",
)
#: A programme's ``fields`` values that mark it as an IP programme.
IP_FIELD_WORDS: Final = frozenset({"ip", "知財", "intellectual property"})

#: Words of an industry text that place a firm in wholesale, retail or services.
INDUSTRY_WORDS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("wholesale", ("卸", "wholesale", "商社", "trading")),
    ("retail", ("小売", "retail")),
    ("services", ("サービス", "service", "hotel", "ホテル", "宿泊", "飲食", "restaurant", "観光", "bus operator")),
)

#: The status values of the exported worklist's status column, typed by the team in Japanese in
#: both languages and read back as they are (the column's dropdown).
STATUSES: Final[tuple[str, ...]] = ("未着手", "対応中", "完了", "対象外")
