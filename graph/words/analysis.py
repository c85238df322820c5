"""The words of the analysis' findings: sentences the surfaces build from its codes and values.

Why here: the analysis returns codes and numbers (a share, a count), never a sentence, so the map,
the CLI and the briefs say a finding with the same words in either language.
"""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, dict[str, str]]] = {
    "gaps.caveat": {
        "ja": "他組織とのつながりが記録されている組織は{share}です。つながりがないことは、"
        "データが未収集なだけかもしれません。ギャップは確認すべき候補として扱ってください。",
        "en": "{share} of organisations have a recorded tie to another organisation. A missing tie "
        "may only be missing data: treat each gap as a lead to check, not as a fact.",
    },
    "empty.partners_unmatched": {
        "ja": "地域の大学・公設試・企業に、業種・キーワード・技術分野が合う相手や、"
        "ハブを介さずに近い相手が見つかりません。",
        "en": "No university, public lab or firm of the region matches its industry, keywords or fields, "
        "or is near it other than through a hub.",
    },
    "empty.partners_unprofiled": {
        "ja": "業種・キーワード・技術分野が記録されておらず、ハブを介さずに近い相手もいないため、"
        "根拠のある相手を挙げられません。",
        "en": "Its industry, keywords and technology fields are not recorded and nothing is near it other "
        "than through a hub, so no partner can be suggested on a reason.",
    },
    "empty.all_covered": {
        "ja": "いまの支援で三つの段階すべてがカバーされています。",
        "en": "Its current support covers all three phases.",
    },
    "empty.support_tied": {
        "ja": "{phases}を支援する地域の機関は、すでにつながっているか、記録がありません。",
        "en": "Every body of the region serving the {phases} phase is already tied to it, or none is recorded.",
    },
    "empty.programmes_used": {
        "ja": "{phases}向けの地域の制度は、利用済みか、{who}が対象外です。",
        "en": "The region's programmes for the {phases} phase were used already or are not open to {who}.",
    },
    "empty.who.large": {"ja": "大企業", "en": "a large firm"},
    "empty.who.university": {"ja": "大学・研究機関", "en": "a university"},
    "empty.who.other": {"ja": "この組織", "en": "this organisation"},
    "place.serves": {"ja": "{names}を域外から担当", "en": "serves {names} from outside"},
    "place.unknown": {"ja": "所在地未登録", "en": "location not recorded"},
    "reason.partner": {"ja": "{name}（{role}{where}）: ", "en": "{name} ({role}{where}): "},
    "reason.industry": {
        "ja": "同じ業種（{industry}）で共同開発や共同受注の相手になりえます",
        "en": "works in the same industry ({industry}): a partner for joint development or orders",
    },
    "reason.complement": {"ja": "{pair}という補い合う組み合わせです", "en": "the two complement each other ({pair})"},
    "reason.keywords": {"ja": "キーワード「{keywords}」が共通です", "en": "shares the keywords {keywords}"},
    "reason.tech_fields": {
        "ja": "技術分野 {fields} が共通です",
        "en": "works in the same technology fields ({fields})",
    },
    "reason.phase_need": {
        "ja": "まだ支援のない段階の技術・販路づくりを補えます",
        "en": "it can help with a phase that has no support yet",
    },
    "reason.near": {
        "ja": "{via} を介してつながっており、紹介を頼めます",
        "en": "is connected through {via}, who can introduce you",
    },
    "reason.serves_phase": {
        "ja": "{name}（{place}）は{phases}を支援しています（{why}）",
        "en": "{name} ({place}) serves the {phases} phase ({why})",
    },
    "reason.why.as": {"ja": "{kind}として", "en": "as {article} {kind}"},
    "reason.why.operates": {"ja": "{programme} を実施", "en": "runs {programme}"},
    "reason.why.record": {
        "ja": "この段階の企業を支援した記録があります",
        "en": "it has supported firms in this phase",
    },
    "reason.ip_window": {
        "ja": "知財の支援とのつながりがまだないため、まず知財の無料相談窓口へ",
        "en": "you have no IP support yet, and this is the free IP consultation window",
    },
    "reason.runs": {"ja": "{programme} を実施しています", "en": "it runs {programme}"},
    "reason.warm": {
        "ja": "いまの相手先 {via} から紹介を頼めます",
        "en": "{via}, already tied to you, can introduce you",
    },
    "reason.replaces": {"ja": "（旧 {body}）", "en": "(formerly {body})"},
    "reason.programme_phase": {
        "ja": "{name} は{phases}の段階を支える制度です",
        "en": "{name} serves the {phases} phase",
    },
    "reason.programme_phase.gap": {"ja": "（いま支援のない段階）", "en": ", which has no support yet"},
    "reason.eligibility": {"ja": "対象は{groups}です", "en": "it is open to {groups}"},
    "reason.eligibility.size_unknown": {
        "ja": "（規模未確認のため中小企業として）",
        "en": " (size unknown: taken as an SME)",
    },
    "reason.ip_status": {
        "ja": "知財の支援をまだ受けていない企業に向いています",
        "en": "it suits a firm with no IP support yet",
    },
    "reason.fields": {"ja": "分野（{fields}）が合います", "en": "its fields match yours ({fields})"},
    "reason.cost": {"ja": "費用: {cost}", "en": "cost: {cost}"},
    "reason.delivered": {
        "ja": "地域では {body}（{place}）が実施しています",
        "en": "delivered in the region by {body} ({place})",
    },
    "reason.no_delivery": {"ja": "地域の実施機関は未確認です", "en": "no delivery body in the region is recorded"},
}
