"""The words of the gap worklist (:mod:`analytics.worklist`, :mod:`reports.worklist`).

Sections, sizes, columns, reasons, next steps, the why-sentences of a referral (``worklist.why.<code>``,
one per :class:`analytics.eligibility.Body` ``why`` code) and the parts of a card's priority. The
analytics return these codes with their facts; the page, the CLI table and the sheet render them here.
"""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, dict[str, str]]] = {
    "worklist.section": {"ja": "区分", "en": "Section"},
    "worklist.section.target": {
        "ja": "支援対象（中小企業・スタートアップ・大学）",
        "en": "Targets (SMEs, startups, universities)",
    },
    "worklist.section.network": {"ja": "支援ネットワーク・公的機関", "en": "Support network and public bodies"},
    "worklist.section.large": {"ja": "大企業（連携先候補）", "en": "Large enterprises (possible partners)"},
    "worklist.size.startup": {"ja": "スタートアップ", "en": "Startup"},
    "worklist.size.sme": {"ja": "中小企業", "en": "SME"},
    "worklist.size.large": {"ja": "大企業", "en": "Large enterprise"},
    "worklist.size.unknown": {"ja": "規模不明（データなし）", "en": "Size unknown (no data)"},
    "worklist.size.employees": {"ja": "従業員 {n:,} 人", "en": "{n:,} employees"},
    "worklist.size.capital": {"ja": "資本金 {yen}", "en": "capital {yen}"},
    "worklist.programme": {"ja": "使える事業", "en": "Programme that applies"},
    "worklist.count": {
        "ja": "{total} 件中 {first}–{last} 件目（{page}/{pages} ページ）",
        "en": "{first}–{last} of {total} (page {page} of {pages})",
    },
    "worklist.count_none": {"ja": "0 件", "en": "0 cards"},
    "worklist.prev": {"ja": "← 前へ", "en": "← Previous"},
    "worklist.next_page": {"ja": "次へ →", "en": "Next →"},
    "worklist.download": {"ja": "ワークリストをExcelで保存", "en": "Download the worklist (Excel)"},
    "worklist.next_label": {"ja": "次の一手", "en": "Next step"},
    "worklist.why": {"ja": "この順位の理由", "en": "Why this rank"},
    "worklist.findings": {"ja": "元の所見", "en": "Findings merged here"},
    "worklist.priority": {"ja": "優先度", "en": "Priority"},
    "worklist.part.severity": {"ja": "深刻さ（所見のスコア）", "en": "Severity (the findings' score)"},
    "worklist.part.fit": {"ja": "支援対象としての適合", "en": "Fit as a target"},
    "worklist.part.phase": {"ja": "関わる事業フェーズの広さ", "en": "Share of business phases concerned"},
    "worklist.part.reach": {
        "ja": "紹介先・当該機関のつながりの多さ（次数）",
        "en": "How connected the body to turn to is (degree)",
    },
    "worklist.part.evidence": {"ja": "公開情報による裏付け", "en": "Backed by a public page"},
    "worklist.part.need": {"ja": "つながりの少なさ・途絶えている期間", "en": "Few ties, or none lately"},
    "worklist.part.ip": {
        "ja": "活かせる知財（権利・表彰・ライセンス）",
        "en": "IP to build on (rights, awards, licences)",
    },
    "worklist.part.opportunity": {
        "ja": "地域内で業種・キーワードが合う相手の多さ",
        "en": "Organisations of the region that fit it (industry, keywords)",
    },
    "worklist.part.profile": {"ja": "業種・規模・キーワードの記録", "en": "Industry, size and keywords on record"},
    "worklist.part.row": {
        "ja": "{label}: {value:.0%} × 重み {weight:.0%}",
        "en": "{label}: {value:.0%} × weight {weight:.0%}",
    },
    "worklist.reason.no_tie": {
        "ja": "支援・連携のつながりが一件も記録されていません（データ未収集の可能性もあります）。",
        "en": "No support or collaboration tie is recorded (this may only be missing data).",
    },
    "worklist.reason.no_tie_inside": {
        "ja": "{region}の中には支援・連携のつながりが記録されていません（域外の組織とは {outside} 件）。",
        "en": "No support or collaboration tie inside {region} is recorded ({outside} with organisations outside it).",
    },
    "worklist.why.ip_window": {
        "ja": "知財の支援とのつながりがまだなく、ここが無料で相談できる知財総合支援窓口です",
        "en": "it has no IP support tie yet, and this is the free INPIT IP consultation window",
    },
    "worklist.why.programme": {
        "ja": "{why_phase}の段階の支援がなく、{referral} がこの段階の制度「{programme}」を実施しています",
        "en": "nothing supports its {why_phase} phase, and {referral} runs {programme} for that phase",
    },
    "worklist.why.ip_finance": {
        "ja": "{why_phase}の段階の支援がなく、{referral} は知財を評価して融資につなげる知財金融の窓口になります",
        "en": "nothing supports its {why_phase} phase, and {referral} can assess its IP for financing (知財金融)",
    },
    "worklist.why.specialist": {
        "ja": "{why_phase}の段階の支援がなく、{referral} はこの段階を専門に支援しています",
        "en": "nothing supports its {why_phase} phase, which {referral} specialises in",
    },
    "worklist.why.serves": {
        "ja": "{why_phase}の段階の支援がなく、{referral} はこの段階を支援しています",
        "en": "nothing supports its {why_phase} phase, which {referral} serves",
    },
    "worklist.why.replaces": {"ja": "（旧 {replaces}）", "en": " (formerly {replaces})"},
    "worklist.reason.no_support_tie": {
        "ja": "金融・紹介などのつながりはありますが、支援・連携のつながりが記録されていません。",
        "en": "It has other ties (finance, referral) but no recorded support or collaboration tie.",
    },
    "worklist.reason.phase_gap": {
        "ja": "つながっている支援機関のどれも「{phases}」を支援していません。",
        "en": "None of the support bodies it is tied to serves {phases}.",
    },
    "worklist.reason.no_support_body": {
        "ja": "支援機関とのつながりが記録されていません（他の組織とのつながりはあります）。",
        "en": "It is tied to other organisations but to no support body.",
    },
    "worklist.reason.match": {
        "ja": "{partner} と技術分野（{fields}）が重なりますが、つながりがありません。",
        "en": "It shares technology fields ({fields}) with {partner} but has no tie to it.",
    },
    "worklist.reason.bridge_node": {
        "ja": "この組織がいなくなると、{cut_off} の組織が地域ネットワークから切り離されます。",
        "en": "If it dropped out, {cut_off} organisations would be cut off from the regional network.",
    },
    "worklist.reason.bridge_tie": {
        "ja": "{other} とのつながりが唯一の経路で、失われると {cut_off} の組織が切り離されます。",
        "en": "Its tie to {other} is the only route: losing it would cut off {cut_off} organisations.",
    },
    "worklist.reason.liaison": {
        "ja": "{kind_a}として、{partners}（{kind_b}）との紹介・連携のつながりが記録されていません。",
        "en": "As {kind_a}, it has no recorded referral tie to {partners} ({kind_b}).",
    },
    "worklist.reason.missing_role_absent": {
        "ja": "地域に「{role}」とのつながりが記録されていません。",
        "en": "No tie to {role} is recorded in the region.",
    },
    "worklist.reason.missing_role_untied": {
        "ja": "{bodies} は記録されていますが、「{role}」として地域の組織とのつながりがありません。",
        "en": "{bodies} {are} recorded, but without a tie to the region's organisations as {role}.",
    },
    "worklist.next.visit": {
        "ja": "訪問または相談会への招待から始めてください。",
        "en": "Start with a visit or an invitation to a consultation day.",
    },
    "worklist.next.visit_refer": {
        "ja": "訪問または相談会への招待から始め、{referral}{replaced} への紹介を検討してください（{why}）。",
        "en": "Start with a visit or an invitation, then consider a referral to {referral}{replaced}: {why}.",
    },
    "worklist.next.refer": {
        "ja": "{referral}{replaced} への紹介を検討してください（{why}）。",
        "en": "Consider a referral to {referral}{replaced}: {why}.",
    },
    "worklist.next.find_body": {
        "ja": "地域にこのフェーズを支援する機関が記録されていません。担当機関を探してください。",
        "en": "No body in the region is recorded as serving this phase: find one.",
    },
    "worklist.next.introduce": {
        "ja": "{partner} との引き合わせ（事業立上のマッチング）を検討してください。",
        "en": "Consider introducing it to {partner} (launch-phase matching).",
    },
    "worklist.next.large": {
        "ja": "大企業のため伴走支援の対象外です。"
        "地域の中小企業の連携先（オープンイノベーション等）として検討してください。",
        "en": "A large enterprise, not one to accompany: consider it as a partner for the region's SMEs "
        "(e.g. open innovation).",
    },
    "worklist.next.bridge_node": {
        "ja": "この組織を通らない経路（別の支援機関からの紹介など）を用意してください。",
        "en": "Build a second route that does not pass through it (e.g. a referral from another body).",
    },
    "worklist.next.bridge_tie": {
        "ja": "並行するつながりを増やしてください。",
        "en": "Add a parallel tie.",
    },
    "worklist.next.liaison": {
        "ja": "相互紹介の窓口を決め、定例の情報共有を始めてください。",
        "en": "Agree on contact points for mutual referral and start a regular exchange.",
    },
    "worklist.next.missing_role": {
        "ja": "担当機関を特定し、producerチームへの参加や紹介ルートを働きかけてください。",
        "en": "Identify the body and bring it into the producer team or its referral routes.",
    },
    "worklist.col.priority": {"ja": "優先順位", "en": "Priority rank"},
    "worklist.col.score": {"ja": "優先度", "en": "Priority score"},
    "worklist.col.organisation": {"ja": "組織", "en": "Organisation"},
    "worklist.col.kinds": {"ja": "種類", "en": "Kind(s)"},
    "worklist.col.reason": {"ja": "理由", "en": "Reason"},
    "worklist.col.next": {"ja": "次の一手", "en": "Next step"},
    "worklist.col.evidence": {"ja": "根拠URL", "en": "Evidence URL"},
    "worklist.col.status": {"ja": "状況", "en": "Status"},
    "worklist.col.size": {"ja": "規模", "en": "Size"},
    "worklist.sheet": {"ja": "ワークリスト", "en": "Worklist"},
    "worklist.status_prompt": {
        "ja": "未着手・対応中・完了・対象外から選んでください。",
        "en": "Choose 未着手 (to do), 対応中 (in progress), 完了 (done) or 対象外 (not a target).",
    },
    "worklist.cli.rank": {"ja": "順位", "en": "Rank"},
    "worklist.why.ip_body": {
        "ja": "権利や知財の表彰がありながら知財の支援とのつながりがなく、{referral} は知財の相談に応じています",
        "en": "it holds rights or IP awards but no IP support reaches it, and {referral} gives IP advice",
    },
    "worklist.why.first_stop": {
        "ja": "支援のつながりも知財もまだ記録がなく、{referral} は地元の企業の相談を分野を問わず受ける最初の窓口です",
        "en": "it has no support tie and no IP on record yet, and {referral} takes any question from local firms first",
    },
    "worklist.why.research_partner": {
        "ja": "知財の表彰を受けながら大学・公設試との連携がなく、{referral} は業種や技術の近い研究の相手です",
        "en": "it won an IP award but has no university or public-research tie, and {referral} fits its field",
    },
    "worklist.next.research_partner": {
        "ja": "{referral} との技術相談・共同研究の打診を検討してください（{why}）。",
        "en": "Consider approaching {referral} for a technical consultation or joint research: {why}.",
    },
    "worklist.name.group": {"ja": "{name} ほか{more}団体", "en": "{name} and {more} more"},
    "worklist.group": {
        "ja": "同じ状況の組織（{n}団体）をまとめた一枚です: {members}",
        "en": "One card for {n} organisations in the same situation: {members}",
    },
}
