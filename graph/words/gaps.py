"""The words of the gaps (DESIGN §4): names of the bodies a region expects, and every gap's sentence.

Why here: :mod:`analytics.gaps` and :mod:`analytics.ip` return each finding's explanation as a code
and its values (names, counts, phases); the gaps page, the map's panel, the worklist, the CLI and
the reports render it with :func:`explain`, so a sentence is written once, in both languages.

An explanation is ``{"code", "values"}`` (or any object with ``code`` and ``values``). Values are
names as the data gives them, lists of names (``names`` with the count of the rest in ``more``),
counts, and codes this module names (``role``, ``kind_a``, ``phase``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

WORDS: Final[dict[str, dict[str, str]]] = {
    # support kinds, as the explanations name them
    "gapexp.body.ip_window": {"ja": "INPIT 知財総合支援窓口", "en": "INPIT IP support window"},
    "gapexp.body.yorozu": {"ja": "よろず支援拠点", "en": "Yorozu support centre"},
    "gapexp.body.jetro": {"ja": "ジェトロ (JETRO)", "en": "JETRO office"},
    "gapexp.body.invention_association": {"ja": "発明協会", "en": "invention association"},
    "gapexp.body.chamber": {"ja": "商工会議所", "en": "chamber of commerce"},
    "gapexp.body.sme_center": {"ja": "中小企業支援センター", "en": "SME support centre"},
    "gapexp.body.smrj": {"ja": "中小機構", "en": "SMRJ"},
    "gapexp.body.cluster": {"ja": "クラスター推進機関", "en": "cluster body"},
    "gapexp.body.incubator": {"ja": "インキュベータ", "en": "incubator"},
    "gapexp.body.ip_support": {"ja": "知的財産支援センター", "en": "IP support centre"},
    "gapexp.body.producer_team": {"ja": "プロデューサーチーム", "en": "producer team"},
    # expected roles that are not one support kind
    "gapexp.role.ip_finance_bank": {"ja": "知財金融に取り組む金融機関", "en": "a bank in IP finance (知財金融)"},
    "gapexp.role.research_partner": {
        "ja": "企業と連携する大学・公設試",
        "en": "a university or public research institute working with firms",
    },
    "gapexp.role.patent_attorney": {"ja": "弁理士会・特許事務所", "en": "patent attorneys (JPAA chapter or firm)"},
    # why two kinds of body should refer to each other (the English sentence quotes it)
    "gapexp.why.yorozu.ip_window": {
        "ja": "JPO資料: よろず支援拠点と知財総合支援窓口は一体で支援する",
        "en": "JPO deck: よろず支援拠点 and 知財総合支援窓口 are to work as one",
    },
    "gapexp.why.ip_window.jetro": {
        "ja": "海外出願・侵害対策の支援はジェトロを通じて行われる",
        "en": "overseas filing and infringement support run through JETRO",
    },
    "gapexp.why.ip_window.invention_association": {
        "ja": "発明協会は知財の普及啓発と最初の出願を支える",
        "en": "発明協会 runs IP awareness and first filings",
    },
    # pieces
    "gapexp.phase_suffix": {"ja": "（{phase}）", "en": " ({phase} phase)"},
    "gapexp.hint.body": {"ja": "例えば {body} への紹介を検討してください。", "en": " Consider a referral to {body}."},
    "gapexp.hint.none": {"ja": "地域に該当する機関がありません。", "en": " No body in the region serves it."},
    "gapexp.ip_to": {"ja": "{body} への相談を検討してください。", "en": " Consider {body}."},
    # the sentences
    "gapexp.missing_role.untied_one": {
        "ja": "{names} は記録されていますが、{role}{phase}としての地域の組織とのつながりが見当たりません。"
        "producerチームへの参加や紹介ルートの確認を検討してください。",
        "en": "{names} is recorded, but no tie to the region's organisations as {role}{phase} is: consider "
        "bringing it into the producer team or checking referral routes.",
    },
    "gapexp.missing_role.untied_many": {
        "ja": "{names} は記録されていますが、{role}{phase}としての地域の組織とのつながりが見当たりません。"
        "producerチームへの参加や紹介ルートの確認を検討してください。",
        "en": "{names} are recorded, but no tie to the region's organisations as {role}{phase} is: consider "
        "bringing them into the producer team or checking referral routes.",
    },
    "gapexp.missing_role.none": {
        "ja": "地域に{role}{phase}とのつながりが記録されていません。担当機関を特定し、連携を働きかけてください。",
        "en": "No tie to {role}{phase} is recorded in the region: identify the body and approach it.",
    },
    "gapexp.liaison": {
        "ja": "{body}（{kind_a}）と {names}（{kind_b}）の間に紹介・連携のつながりが記録されていません。"
        "相互紹介の窓口を決め、定例の情報共有を始めてください。",
        "en": "No referral tie is recorded between {body} ({kind_a}) and {names} ({kind_b}): agree on contact "
        "points for mutual referral and a regular exchange. Why: {why}.",
    },
    "gapexp.fragile.point": {
        "ja": "{name} がいなくなると、{cut_off} の組織が地域ネットワークの残り（{rest} 組織）から切り離されます。"
        "{name} 以外の経路（別の支援機関からの紹介など）を用意してください。",
        "en": "If {name} dropped out, {cut_off} organisations would be cut off from the rest of the network "
        "({rest} organisations): build a second route to them, e.g. a referral from another body.",
    },
    "gapexp.fragile.bridge": {
        "ja": "{a} と {b} のつながりは一本だけで、失われると {cut_off} の組織が切り離されます。"
        "並行する連携を増やしてください。",
        "en": "The tie between {a} and {b} is the only link: losing it would cut off {cut_off} organisations. "
        "Add a parallel tie.",
    },
    "gapexp.phase.tied": {
        "ja": "{name} がつながる支援機関（{names}）はいずれも{phase}を支援していません。{hint}",
        "en": "None of the support bodies {name} is tied to ({names}) serves the {phase} phase.{hint}",
    },
    "gapexp.phase.untied": {
        "ja": "{name} は{phase}を支援する機関とつながっていません（支援のつながりがありません）。{hint}",
        "en": "{name} has no tie to any body serving the {phase} phase (no support tie at all).{hint}",
    },
    "gapexp.isolated.none": {
        "ja": "{name}（{role}）には支援・連携のつながりが記録されていません。訪問や相談会への招待から始めてください。",
        "en": "{name} ({role}) has no recorded support or collaboration tie: start with a visit or an invitation.",
    },
    "gapexp.isolated.other": {
        "ja": "{name}（{role}）のつながりは {ties} のみで、支援・連携のつながりがありません。",
        "en": "{name} ({role}) is tied only through {ties}, with no support or collaboration tie.",
    },
    "gapexp.unmet_match": {
        "ja": "{firm} と {partner} は技術分野（{fields}）が重なりますが、つながりがありません。"
        "{launch}のマッチング候補として引き合わせを検討してください。",
        "en": "{firm} and {partner} share technology fields ({fields}) but have no tie: a candidate for "
        "launch-phase matching.",
    },
    "gapexp.ip_no_support": {
        "ja": "{name} は権利{rights}件・知財表彰{awards}件がありますが、知財支援機関とのつながりがありません。{to}",
        "en": "{name} holds {rights} right(s) and won {awards} IP award(s) but no IP support body reaches it.{to}",
    },
    "gapexp.ip_award_no_partner": {
        "ja": "{name} は知財の表彰を受けていますが、大学・公設試との連携が記録されていません。{to}",
        "en": "{name} won an IP award but has no recorded tie to a university or public research institute.{to}",
    },
}


def support_kind_name(kind: str, lang: str | None) -> str:
    """A support kind (``ip_window``, ``yorozu``, ...) as the gaps name it; an unknown kind as its code."""
    from graph.words import STRINGS, t

    return t(f"gapexp.body.{kind}", lang) if f"gapexp.body.{kind}" in STRINGS else kind


def expected_role_name(key: str, lang: str | None) -> str:
    """A role every region is expected to have a tie to (``analytics.gaps.EXPECTED_ROLES``' keys)."""
    from graph.words import STRINGS, t

    return t(f"gapexp.role.{key}", lang) if f"gapexp.role.{key}" in STRINGS else support_kind_name(key, lang)


def name_list(names: Sequence[str], more: int, lang: str | None) -> str:
    """Names shown in a sentence, with how many more there are (``A、B ほか2`` / ``A, B and 2 more``)."""
    from graph.words import t

    shown = t("form.list", lang).join(names)
    return t("form.more", lang, text=shown, n=more) if more > 0 else shown


def _localname(values: Mapping[str, Any], key: str, lang: str | None) -> str:
    """A name the data gives in both languages (``{key}_en`` beside ``key``), else the one name."""
    return str(values.get(f"{key}_en") or values[key]) if lang == "en" else str(values[key])


def _role_fields(values: Mapping[str, Any], lang: str | None) -> dict[str, Any]:
    from graph.words import t

    phase = values.get("phase")
    suffix = t("gapexp.phase_suffix", lang, phase=_phase_label(phase, lang)) if phase else ""
    return {"role": expected_role_name(values["role"], lang), "phase": suffix}


def _liaison_fields(values: Mapping[str, Any], lang: str | None) -> dict[str, Any]:
    from graph.words import t

    a, b = values["kind_a"], values["kind_b"]
    why = t(f"gapexp.why.{a}.{b}", lang)
    return {"kind_a": support_kind_name(a, lang), "kind_b": support_kind_name(b, lang), "why": why}


def _phase_fields(values: Mapping[str, Any], lang: str | None) -> dict[str, Any]:
    from graph.words import t

    body = values.get("body")
    return {"hint": t("gapexp.hint.body", lang, body=body) if body else t("gapexp.hint.none", lang)}


def _isolated_fields(values: Mapping[str, Any], lang: str | None) -> dict[str, Any]:
    from graph.words import ROLE_LABEL_NAMES

    role = ROLE_LABEL_NAMES[values["role"]]
    return {"role": role[1].lower() if lang == "en" else role[0], "ties": ", ".join(values.get("ties", ()))}


def _match_fields(values: Mapping[str, Any], lang: str | None) -> dict[str, Any]:
    from graph.words import PHASE_LABELS

    return {"fields": ", ".join(values["fields"]), "launch": PHASE_LABELS["launch"][0]}


def _ip_fields(values: Mapping[str, Any], lang: str | None) -> dict[str, Any]:
    from graph.words import t

    body = _localname(values, "body", lang) if values.get("body") else ""
    return {"name": _localname(values, "name", lang), "to": t("gapexp.ip_to", lang, body=body) if body else ""}


#: How each family of codes (the code up to its first dot) fills its sentence's placeholders.
_FAMILIES: Final = {
    "missing_role": _role_fields,
    "liaison": _liaison_fields,
    "phase": _phase_fields,
    "isolated": _isolated_fields,
    "unmet_match": _match_fields,
    "ip_no_support": _ip_fields,
    "ip_award_no_partner": _ip_fields,
}


def _phase_label(phase: str | None, lang: str | None) -> str:
    """A phase as the sentences write it: 事業拡大 / expansion (lower case inside an English sentence)."""
    from graph.words import PHASE_LABELS

    if not phase:
        return ""
    return PHASE_LABELS[phase][1].lower() if lang == "en" else PHASE_LABELS[phase][0]


def _fields(code: str, values: Mapping[str, Any], lang: str | None) -> dict[str, Any]:
    """The placeholders of ``code``'s sentence, rendered from its values."""
    out = dict(values)
    if "names" in values:
        out["names"] = name_list(values["names"], int(values.get("more", 0)), lang)
    out["phase"] = _phase_label(values.get("phase"), lang)
    family = _FAMILIES.get(code.split(".", 1)[0])
    if family is not None:
        out.update(family(values, lang))
    return out


def explain(explanation: Any, lang: str | None) -> str:
    """A gap's explanation (``{"code", "values"}`` or an object with both) as a sentence in ``lang``."""
    from graph.words import t

    if isinstance(explanation, Mapping):
        code, values = str(explanation["code"]), explanation["values"]
    else:
        code, values = str(explanation.code), explanation.values
    return t(f"gapexp.{code}", lang, **_fields(code, values, lang))
