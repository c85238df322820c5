"""Every user-facing word of ipeco, in Japanese and English: the one vocabulary of the product.

Why one package at the base: a page, a printed brief, the CLI and an error message must call a thing
by the same name, and every layer may import ``graph`` (layers point one way), so the words live
here and nowhere else. Analytics returns codes and values; the front-ends and reports render them
with :func:`t`. Each feature keeps its words in a submodule named for it (``ui``, ``ip``, ...);
:data:`STRINGS` merges them and refuses a key defined twice, so a term is defined once.

:func:`t` is strict about keys (an unknown key is a programming error, caught by the tests that scan
the code's literal keys and the schema's enumerations) and lenient about languages (an unknown one
falls back to Japanese), so nothing raw ever reaches a reader. Japanese is the default because the
users are regional producers and policy staff in Japan.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Final

from graph.schema import PHASE_LABELS, ROLE_LABEL_NAMES
from graph.words import ip as _ip
from graph.words import time as _time
from graph.words import ui as _ui

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "STRINGS",
    "calendar_date",
    "change_kind_name",
    "check_lang",
    "fiscal_year",
    "gap_kind_name",
    "ip_kind_name",
    "label_for_kind",
    "merged",
    "normalise_lang",
    "phase_name",
    "role_name",
    "t",
]

LANGS: Final = ("ja", "en")
DEFAULT_LANG: Final = "ja"


def merged(*tables: Mapping[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """One table from the feature tables; a key in two tables is a ``ValueError`` (a term defined twice)."""
    out: dict[str, dict[str, str]] = {}
    for table in tables:
        twice = sorted(set(out) & set(table))
        if twice:
            msg = f"words defined twice: {', '.join(twice)}"
            raise ValueError(msg)
        out.update(table)
    return out


STRINGS: Final[dict[str, dict[str, str]]] = merged(_ui.WORDS, _ip.WORDS, _time.WORDS)


def normalise_lang(lang: str | None) -> str:
    """Any unknown or missing language falls back to Japanese, the default audience."""
    return lang if lang in LANGS else DEFAULT_LANG


def check_lang(lang: str) -> str:
    """``lang`` when it is one the documents are written in; a ``ValueError`` naming the choices else.

    A report is a file someone asked for in one language, so an unknown one is refused rather than
    silently printed in Japanese (the web app, by contrast, normalises what a URL carries).
    """
    if lang not in LANGS:
        msg = f"unknown report language {lang!r}; choose one of {', '.join(LANGS)}"
        raise ValueError(msg)
    return lang


def t(key: str, lang: str | None = DEFAULT_LANG, **fmt: object) -> str:
    """The string ``key`` in ``lang`` with ``{placeholders}`` filled (unescaped: escape on output).

    An unknown key raises ``KeyError``: it is a bug, and showing the key would put a raw internal
    name in front of a reader. An unknown or missing language falls back to Japanese.
    """
    text = STRINGS[key][normalise_lang(lang)]
    return text.format(**fmt) if fmt else text


def fiscal_year(year: int | str | None, lang: str | None = DEFAULT_LANG) -> str:
    """A Japanese fiscal year as 令和 and western numbering: 2024 → ``令和6年度 (FY2024)``.

    Producers think in 令和 years, policy staff abroad in FY numbers, so both are shown; 令和 began
    in 2019 (令和元年), years before that are shown in 平成.
    """
    try:
        y = int(year)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "" if year is None else str(year)
    if y >= 2019:
        era = "令和" + ("元" if y == 2019 else str(y - 2018))
    elif y >= 1989:
        era = "平成" + ("元" if y == 1989 else str(y - 1988))
    else:
        era = ""
    if normalise_lang(lang) == "ja":
        return f"{era}年度（FY{y}）" if era else f"{y}年度"
    return f"FY{y} ({era}年度)" if era else f"FY{y}"


_MONTHS_EN: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def calendar_date(value: object, lang: str | None = DEFAULT_LANG) -> str:
    """A date or an ISO timestamp as a reader writes it: ``2025年4月8日`` / ``8 Apr 2025`` (no time, no zone).

    A load's timestamp is UTC; the day is what a reader needs ("data as of"), so the time is dropped.
    Text that is not a date is returned as it is.
    """
    text = str(value or "").strip()
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        return text
    if normalise_lang(lang) == "ja":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def phase_name(phase: str | None, lang: str | None = DEFAULT_LANG) -> str:
    """A business phase in words; no phase is a dash (a phase outside the schema cannot be loaded)."""
    if not phase:
        return t("common.none", lang)
    names = PHASE_LABELS[phase]
    return names[0 if normalise_lang(lang) == "ja" else 1]


def role_name(role: str | None, lang: str | None = DEFAULT_LANG) -> str:
    """An organisation's role (Company, University, ...) in words; a dash when it has none."""
    if not role:
        return t("common.none", lang)
    return label_for_kind(role, lang)


def label_for_kind(kind: str, lang: str | None = DEFAULT_LANG) -> str:
    """Name of a node kind: a role label (Company, ...) or a primary label (Programme, ...)."""
    names = ROLE_LABEL_NAMES.get(kind)
    if names:
        return names[0 if normalise_lang(lang) == "ja" else 1]
    return t(f"kind.{kind}", lang)


def gap_kind_name(kind: str, lang: str | None = DEFAULT_LANG) -> str:
    """A kind of gap (``analytics.gaps.GAP_KINDS``) in words."""
    return t(f"gapkind.{kind}", lang)


def change_kind_name(kind: str, lang: str | None = DEFAULT_LANG) -> str:
    """A kind of change between two fiscal years (``analytics.changes.CHANGE_KINDS``) in words."""
    return t(f"change.{kind}", lang)


def ip_kind_name(kind: str, lang: str | None = DEFAULT_LANG) -> str:
    """A kind of IP right or IP fact (patent, 地域団体商標, IP award, ...) in words."""
    return t(f"ip.kind.{kind}", lang) if f"ip.kind.{kind}" in STRINGS else kind
