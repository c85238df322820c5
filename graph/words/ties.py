"""The words for what a tie is, as its source describes it: the kinds of collaboration, support and
finance (``graph.schema``'s kind codes), so no page or report prints a code such as ``award_support``."""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, dict[str, str]]] = {
    "tiekind.joint_research": {"ja": "共同研究", "en": "joint research"},
    "tiekind.co_application": {"ja": "共同出願", "en": "joint application"},
    "tiekind.contract": {"ja": "契約", "en": "contract"},
    "tiekind.consortium": {"ja": "コンソーシアム", "en": "consortium"},
    "tiekind.partnership_agreement": {"ja": "連携協定", "en": "partnership agreement"},
    "tiekind.award_collaboration": {"ja": "表彰での連携", "en": "award collaboration"},
    "tiekind.programme_delivery": {"ja": "事業の実施", "en": "programme delivery"},
    "tiekind.membership": {"ja": "会員", "en": "membership"},
    "tiekind.incubation": {"ja": "インキュベーション", "en": "incubation"},
    "tiekind.licence": {"ja": "ライセンス", "en": "licence"},
    "tiekind.supported_firm": {"ja": "支援先", "en": "supported firm"},
    "tiekind.award_support": {"ja": "表彰・認定", "en": "award"},
    "tiekind.ip_award": {"ja": "知財表彰", "en": "IP award"},
    "tiekind.ip_support": {"ja": "知財支援", "en": "IP support"},
    "tiekind.accompaniment": {"ja": "伴走支援", "en": "accompaniment"},
    "tiekind.investment": {"ja": "出資", "en": "investment"},
    "tiekind.subsidy": {"ja": "補助金", "en": "subsidy"},
    "tiekind.loan": {"ja": "融資", "en": "loan"},
    "tiekind.ip_finance_report": {"ja": "知財金融の評価書", "en": "IP finance evaluation"},
}
