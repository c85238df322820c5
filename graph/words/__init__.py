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

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Final

from graph.errors import InputError
from graph.words import analysis as _analysis
from graph.words import audit as _audit
from graph.words import charts as _charts
from graph.words import errors as _errors
from graph.words import fit as _fit
from graph.words import forms as _forms
from graph.words import gaps as _gaps
from graph.words import glossary as _glossary
from graph.words import ip as _ip
from graph.words import kinds as _kinds
from graph.words import loading as _loading
from graph.words import map_svg as _map_svg
from graph.words import query as _query
from graph.words import server as _server
from graph.words import ties as _ties
from graph.words import time as _time
from graph.words import ui as _ui
from graph.words import workbench as _workbench
from graph.words import worklist as _worklist

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "PHASE_LABELS",
    "ROLE_LABEL_NAMES",
    "STRINGS",
    "calendar_date",
    "change_kind_name",
    "check_lang",
    "empty_reason",
    "fiscal_year",
    "gap_kind_name",
    "gaps_caveat",
    "ip_kind_name",
    "label_for_kind",
    "merged",
    "normalise_lang",
    "phase_list",
    "phase_name",
    "place_text",
    "reasons_text",
    "role_name",
    "t",
    "tie_words",
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


STRINGS: Final[dict[str, dict[str, str]]] = merged(
    _ui.WORDS,
    _ip.WORDS,
    _errors.WORDS,
    _kinds.WORDS,
    _audit.WORDS,
    _server.WORDS,
    _forms.WORDS,
    _glossary.WORDS,
    _worklist.WORDS,
    _workbench.WORDS,
    _query.WORDS,
    _analysis.WORDS,
    _fit.WORDS,
    _time.WORDS,
    _ties.WORDS,
    _gaps.WORDS,
    _loading.WORDS,
    _charts.WORDS,
    _map_svg.WORDS,
)


#: ``{phase: (ja, en)}`` and ``{role: (ja, en)}``, for a caller that needs both names at once (a bilingual cell).
#: Built from :mod:`graph.words.kinds` alone, so that the vocabulary needs nothing from the schema.
PHASE_LABELS: Final[dict[str, tuple[str, str]]] = {
    key.removeprefix("phase."): (w["ja"], w["en"]) for key, w in _kinds.WORDS.items() if key.startswith("phase.")
}
ROLE_LABEL_NAMES: Final[dict[str, tuple[str, str]]] = {
    key.removeprefix("kind."): (w["ja"], w["en"]) for key, w in _kinds.WORDS.items() if key.startswith("kind.")
}


def normalise_lang(lang: str | None) -> str:
    """Any unknown or missing language falls back to Japanese, the default audience."""
    return lang if lang in LANGS else DEFAULT_LANG


def check_lang(lang: str) -> str:
    """``lang`` when it is one the documents are written in; an ``InputError`` naming the choices else.

    A report is a file someone asked for in one language, so an unknown one is refused rather than
    silently printed in Japanese (the web app, by contrast, normalises what a URL carries).
    """
    if lang not in LANGS:
        msg = f"unknown report language {lang!r}; choose one of {', '.join(LANGS)}"
        raise InputError(msg)
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
    return t(f"phase.{phase}", lang)


def role_name(role: str | None, lang: str | None = DEFAULT_LANG) -> str:
    """An organisation's role (Company, University, ...) in words; a dash when it has none."""
    if not role:
        return t("common.none", lang)
    return label_for_kind(role, lang)


def label_for_kind(kind: str, lang: str | None = DEFAULT_LANG) -> str:
    """Name of a node kind: a role label (Company, ...) or a primary label (Programme, ...)."""
    return t(f"kind.{kind}", lang)


def gap_kind_name(kind: str, lang: str | None = DEFAULT_LANG) -> str:
    """A kind of gap (``analytics.gaps.GAP_KINDS``) in words."""
    return t(f"gapkind.{kind}", lang)


def tie_words(tie_type: str, kind: str | None, lang: str | None = DEFAULT_LANG) -> str:
    """A tie in words: its type (``Supports``) and, when the source says, its kind (``award``);
    a kind without words of its own is shown with spaces for underscores rather than dropped."""
    name = t(f"tie.{tie_type}", lang) if f"tie.{tie_type}" in STRINGS else tie_type
    if not kind:
        return name
    detail = t(f"tiekind.{kind}", lang) if f"tiekind.{kind}" in STRINGS else kind.replace("_", " ")
    return t("form.paren", lang, text=name, detail=detail)


def change_kind_name(kind: str, lang: str | None = DEFAULT_LANG) -> str:
    """A kind of change between two fiscal years (``analytics.changes.CHANGE_KINDS``) in words."""
    return t(f"change.{kind}", lang)


def ip_kind_name(kind: str, lang: str | None = DEFAULT_LANG) -> str:
    """A kind of IP right or IP fact (patent, 地域団体商標, IP award, ...) in words."""
    return t(f"ip.kind.{kind}", lang) if f"ip.kind.{kind}" in STRINGS else kind


def gaps_caveat(completeness: Mapping[str, object], lang: str | None = DEFAULT_LANG) -> str:
    """The caveat read beside every gap, quoting the share of organisations with a recorded tie
    (``tied_share`` of the gap analysis' completeness); empty when the analysis gives no share."""
    share = completeness.get("tied_share")
    if not isinstance(share, int | float):
        return ""
    return t("gaps.caveat", lang, share=f"{share:.0%}")


def phase_list(phases: Iterable[str], lang: str | None = DEFAULT_LANG) -> str:
    """Phases in a sentence: 事業構想・事業立上 / ideation and launch (lower case inside English prose)."""
    if normalise_lang(lang) == "ja":
        return "・".join(PHASE_LABELS[p][0] for p in phases)
    return " and ".join(PHASE_LABELS[p][1].lower() for p in phases)


def empty_reason(code: str, lang: str | None = DEFAULT_LANG, *, phases: Iterable[str] = (), who: str = "") -> str:
    """Why a list of suggestions is empty, from the analysis' code and values (``analytics.results.EmptyReason``)."""
    who_key = f"empty.who.{who}" if f"empty.who.{who}" in STRINGS else "empty.who.other"
    return t(f"empty.{code}", lang, phases=phase_list(phases, lang), who=t(who_key, lang))


def _lang(lang: str | None) -> str:
    return normalise_lang(lang)


def _names(names: Iterable[Mapping[str, Any]], lang: str | None, sep_ja: str = "・", sep_en: str = ", ") -> str:
    """Names recorded in both languages (``{"ja", "en"}``), joined the way each language lists them."""
    key = _lang(lang)
    return (sep_ja if key == "ja" else sep_en).join(str(n.get(key) or n.get("ja") or "") for n in names)


def place_text(place: Mapping[str, Any] | None, lang: str | None = DEFAULT_LANG) -> str:
    """Where an organisation is (``analytics.recommend.place``): its seat, the regions it serves from
    outside, or that no location is recorded; empty for no place."""
    if not place:
        return ""
    kind, names = place.get("kind"), place.get("names") or ()
    if kind == "seat":
        return _names(names, lang)
    if kind == "serves":
        return t("place.serves", lang, names=_names(names, lang))
    return t("place.unknown", lang)


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _why(why: Mapping[str, Any], lang: str | None) -> str:
    """Why a body serves a phase: as a kind of body, as a role, by a programme it runs, or by record."""
    code, key = why.get("code"), _lang(lang)
    if code == "support_kind":
        kind = str(why["kind"][key])
        return t("reason.why.as", lang, kind=kind, article=_article(kind))
    if code == "role":
        names = ROLE_LABEL_NAMES[str(why["role"])]
        kind = names[0] if key == "ja" else names[1].lower()
        return t("reason.why.as", lang, kind=kind, article=_article(kind))
    if code == "operates":
        return t("reason.why.operates", lang, programme=why["programme"][key])
    return t("reason.why.record", lang)


def _partner_head(r: Mapping[str, Any], lang: str | None) -> str:
    """``name（role、place）: `` — the place left out when it is the name itself or unrecorded."""
    key = _lang(lang)
    name = str(r["name"][key])
    role_names = ROLE_LABEL_NAMES[str(r["role"])]
    role = role_names[0] if key == "ja" else role_names[1].lower()
    where = place_text(r.get("place"), lang)
    shown = "" if where in (name, t("place.unknown", lang)) else ("、" if key == "ja" else ", ") + where
    return t("reason.partner", lang, name=name, role=role, where=shown)


def _industry(r: Mapping[str, Any], lang: str | None) -> str:
    letter = f"jsic.{r.get('letter')}"
    return str(r.get("middle") or (t(letter, lang) if letter in STRINGS else r.get("letter") or ""))


def _reason(r: Mapping[str, Any], lang: str | None) -> str:
    """One reason of a suggestion in words, from its code and values."""
    code, key = str(r["code"]), _lang(lang)
    values: dict[str, object] = {}
    if code == "industry":
        values["industry"] = _industry(r, lang)
    elif code == "complement":
        values["pair"] = t(r["pair"], lang) if r.get("pair") in STRINGS else ""
    elif code == "keywords":
        values["keywords"] = ("」「" if key == "ja" else ", ").join(r["keywords"])
    elif code in ("tech_fields", "fields"):
        values["fields"] = ", ".join(r["fields"])
    elif code in ("near", "warm"):
        via = r["via"]
        values["via"] = _names(via if isinstance(via, list | tuple) else [via], lang)
    else:
        return _reason_of_body(r, lang)
    return t(f"reason.{code}", lang, **values)


def _reason_of_body(r: Mapping[str, Any], lang: str | None) -> str:
    """The reasons about a support body or a programme: the phase served, eligibility, delivery, ..."""
    code, key = str(r["code"]), _lang(lang)
    if code == "serves_phase":
        place = place_text(r.get("place"), lang)
        phases = phase_list(r["phases"], lang)
        return t("reason.serves_phase", lang, name=r["name"][key], place=place, phases=phases, why=_why(r["why"], lang))
    if code == "programme_phase":
        said = t("reason.programme_phase", lang, name=r["name"][key], phases=phase_list(r["phases"], lang))
        return said + (t("reason.programme_phase.gap", lang) if r.get("gap") else "")
    if code == "eligibility":
        groups = ("・" if key == "ja" else " and ").join(t(f"group.{g}", lang) for g in r["groups"])
        said = t("reason.eligibility", lang, groups=groups)
        return said + (t("reason.eligibility.size_unknown", lang) if r.get("size_unknown") else "")
    if code in ("runs", "replaces", "delivered", "cost"):
        values = {k: (v[key] if isinstance(v, Mapping) and key in v else v) for k, v in r.items() if k != "code"}
        if code == "delivered":
            values["place"] = place_text(r.get("place"), lang)
        return t(f"reason.{code}", lang, **values)
    return t(f"reason.{code}", lang)


def reasons_text(reasons: Iterable[Mapping[str, Any]], lang: str | None = DEFAULT_LANG) -> str:
    """A suggestion's reasons (``analytics.recommend``: codes and values) as the sentence a reader sees:
    a partner's name, role and place first, then each reason, joined as each language lists them."""
    items = list(reasons)
    head = _partner_head(items[0], lang) if items and items[0].get("code") == "partner" else ""
    parts = [_reason(r, lang) for r in (items[1:] if head else items)]
    if not parts:
        return head
    if _lang(lang) == "ja":
        return head + "。".join(parts) + "。"
    return head + "; ".join(parts) + "."
