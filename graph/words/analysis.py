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
}
