"""The words of the IP layer: kinds of rights and IP facts, their gaps, legends and panel lines."""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, dict[str, str]]] = {
    "gapkind.ip_no_support": {"ja": "知財支援が届いていない", "en": "IP without support"},
    "gapkind.ip_award_no_partner": {
        "ja": "受賞企業に大学・公設試の連携なし",
        "en": "IP-award firm without research partner",
    },
    "worklist.reason.ip_no_support": {
        "ja": "権利{rights}件・知財表彰{awards}件がありますが、知財支援機関とのつながりが記録されていません。",
        "en": "It holds {rights} right(s) and won {awards} IP award(s), but no tie to an IP support body is recorded.",
    },
    "worklist.reason.ip_award_no_partner": {
        "ja": "知財の表彰（{awards}件）を受けていますが、大学・公設試との連携が記録されていません。",
        "en": "It won {awards} IP award(s) but no tie to a university or public research institute is recorded.",
    },
    "worklist.next.ip_refer": {
        "ja": "{body}への相談（権利の活用・知財戦略）を紹介してください。",
        "en": "Refer it to {body} for advice on using its rights and on IP strategy.",
    },
    "worklist.next.ip_partner": {
        "ja": "{body} を通じて、大学・公設試との共同研究やライセンスの相手を探してください。",
        "en": "Through {body}, look for a university or public research institute to research with or license to.",
    },
    "worklist.next.ip_find_body": {
        "ja": "地域の知財総合支援窓口の運営者を記録し、相談につないでください。",
        "en": "Record the region's IP window operator and put it in touch.",
    },
    "indicator.ip_active_orgs": {"ja": "知財活動のある組織数", "en": "IP-active organisations"},
    "indicator.ip_active_orgs.def": {
        "ja": "地域に所在し、権利を保有する・知財の表彰を受けた・ライセンスの当事者である組織の数。"
        "記録された公開情報のみに基づきます。",
        "en": "Organisations seated in the region that hold a right, won an IP award or are party to a licence. "
        "Counts recorded public facts only.",
    },
    "indicator.ip_active_firm_share": {"ja": "知財活動のある企業の割合", "en": "IP-active firms (share)"},
    "indicator.ip_active_firm_share.def": {
        "ja": "知財活動のある企業 ÷ 地域に所在する企業。記録されていない権利は数えられず、低めに出ることがあります。",
        "en": "IP-active companies / companies seated in the region. Rights nobody has recorded are missing, "
        "so it may read low.",
    },
    "indicator.ip_support_reach_share": {"ja": "知財支援の到達率", "en": "IP support reach"},
    "indicator.ip_support_reach_share.def": {
        "ja": "知財活動のある企業のうち、知財支援機関（知財総合支援窓口の運営者・発明協会・弁理士会・INPIT・"
        "知財の事業）と表彰以外のつながりがある企業の割合。記録されていない相談は数えられません。",
        "en": "Share of IP-active companies with a tie other than an award to an IP support body (IP window operator, "
        "invention association, JPAA, INPIT, an IP programme). Unrecorded consultations are missing.",
    },
    "indicator.regional_brands": {"ja": "地域ブランド数", "en": "Regional brands"},
    "indicator.regional_brands.def": {
        "ja": "地域の組織が保有する地域団体商標と地理的表示（GI）の数（記録されたもの）。",
        "en": "Regional collective trademarks and geographical indications (GI) held by the region's organisations "
        "(as recorded).",
    },
    "indicator.ip_awards_per_100_firms": {"ja": "企業100社あたりの知財表彰", "en": "IP awards per 100 firms"},
    "indicator.ip_awards_per_100_firms.def": {
        "ja": "地域に所在する組織が受けた知財の表彰の件数 ÷ 地域に所在する企業数 × 100（記録されたもの）。",
        "en": "IP awards won by organisations seated in the region / companies seated in the region × 100 "
        "(as recorded).",
    },
    "ip.kind.patent": {"ja": "特許", "en": "Patent"},
    "ip.kind.utility_model": {"ja": "実用新案", "en": "Utility model"},
    "ip.kind.design": {"ja": "意匠", "en": "Design"},
    "ip.kind.trademark": {"ja": "商標", "en": "Trademark"},
    "ip.kind.regional_collective_trademark": {"ja": "地域団体商標", "en": "Regional collective trademark"},
    "ip.kind.geographical_indication": {"ja": "地理的表示（GI）", "en": "Geographical indication (GI)"},
    "ip.kind.plant_variety": {"ja": "品種登録", "en": "Plant variety"},
    "ip.kind.ip_award": {"ja": "知財の表彰", "en": "IP award"},
    "ip.kind.ip_support": {"ja": "知財支援", "en": "IP support"},
    "ip.kind.licence": {"ja": "ライセンス", "en": "Licence"},
    "ip.layer": {"ja": "知財", "en": "IP"},
    "ip.layer.title": {
        "ja": "知財を持つ組織と知財支援機関を地図上で示します",
        "en": "Mark IP holders and IP support bodies on the map",
    },
    "ip.holder": {"ja": "知財保有", "en": "IP holder"},
    "ip.body": {"ja": "知財支援機関", "en": "IP support body"},
    "ip.section": {"ja": "知財", "en": "Intellectual property"},
    "ip.none": {"ja": "記録された知財の情報はありません。", "en": "No IP fact is recorded."},
    "ip.reached": {
        "ja": "知財支援機関とのつながり：あり（{bodies}）",
        "en": "Tied to an IP support body: yes ({bodies})",
    },
    "ip.not_reached": {"ja": "知財支援機関とのつながり：記録なし", "en": "Tied to an IP support body: none recorded"},
    "ip.col.org": {"ja": "組織", "en": "Organisation"},
    "ip.col.kind": {"ja": "種類", "en": "Kind"},
    "ip.col.what": {"ja": "内容", "en": "What"},
    "ip.col.number": {"ja": "番号", "en": "Number"},
    "ip.col.date": {"ja": "日付", "en": "Date"},
    "ip.col.source": {"ja": "出典", "en": "Source"},
    "ip.summary": {
        "ja": "{region}：知財の事実 {facts}件（{orgs}組織、{kinds}種類）",
        "en": "{region}: {facts} IP facts on {orgs} organisations, {kinds} kinds",
    },
    "doc.sec.ip": {"ja": "知財", "en": "Intellectual property"},
    "ip.map_link": {"ja": "地図の知財レイヤーで見る", "en": "see on the map's IP layer"},
    "doc.ip.intro": {
        "ja": "地域に所在する組織について記録された知財の事実（保有する権利、知財の表彰、知財支援、ライセンス）。"
        "各行に出典と日付があります。",
        "en": "The IP facts recorded for organisations seated in the region (rights held, IP awards, IP support, "
        "licences), each with its source and date.",
    },
    "doc.ip.more": {"ja": "ほか {n} 件（ipeco ip で一覧）", "en": "{n} more (listed by ipeco ip)"},
    "tie.HOLDS": {"ja": "権利を保有", "en": "Holds"},
    "prop.kind": {"ja": "権利の種類", "en": "Kind of right"},
    "prop.number": {"ja": "番号", "en": "Number"},
    "prop.filed_on": {"ja": "出願日", "en": "Filed on"},
    "prop.registered_on": {"ja": "登録日", "en": "Registered on"},
    "kind.IPRight": {"ja": "知的財産権", "en": "IP right"},
    "legend.ip_holder": {"ja": "知財保有（太枠）", "en": "IP holder (thick outline)"},
    "legend.ip_body": {"ja": "知財支援機関（二重枠）", "en": "IP support body (double outline)"},
}
