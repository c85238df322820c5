"""The words of the region in time (issue 21): fiscal years, changes between two years, journeys."""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, dict[str, str]]] = {
    "nav.changes": {"ja": "地域の変化", "en": "Changes"},
    "time.title": {"ja": "地域の変化", "en": "How the region changed"},
    "time.intro": {
        "ja": "年度ごとの地域のネットワーク（その年度末までに公開情報で確認できた組織とつながり）と、"
        "2つの年度の間の変化。"
        "変化の一つひとつに出典のページがあります。",
        "en": "The region's network as of each fiscal year (the organisations and ties public pages show by the "
        "end of that year), and what changed between two years, each change with its source page.",
    },
    "time.region": {"ja": "地域", "en": "Region"},
    "time.from": {"ja": "比較元の年度", "en": "From fiscal year"},
    "time.to": {"ja": "比較先の年度", "en": "To fiscal year"},
    "time.slider": {"ja": "年度（この年度末時点の地域）", "en": "Fiscal year (the region at its end)"},
    "time.slider.current": {"ja": "現在", "en": "Today"},
    "time.model_year": {"ja": "モデル地域（{year}）", "en": "Model region ({year})"},
    "time.undated": {
        "ja": "年度の分からないつながり {ties}件・組織 {orgs}件は、どの年度にも含めていません。",
        "en": "{ties} undated tie(s) and {orgs} undated organisation(s) are not placed in any year.",
    },
    "time.new_ties": {
        "ja": "太いオレンジの線：この年度に始まったつながり。",
        "en": "Thick orange lines: ties that began that year.",
    },
    "time.indicators": {"ja": "指標の推移", "en": "Indicators over time"},
    "time.indicator": {"ja": "指標", "en": "Indicator"},
    "time.changes": {"ja": "{start}から{end}までの変化", "en": "Changes from {start} to {end}"},
    "time.changes.none": {"ja": "この期間の変化は記録されていません。", "en": "No change is recorded for this period."},
    "time.changes.count": {"ja": "{kind}：{count}件", "en": "{kind}: {count}"},
    "time.changes.shown": {
        "ja": "{total}件のうち{shown}件を表示（種類ごとに最大{per_kind}件）。"
        "すべては ipeco changes --json で出力できます。",
        "en": "Showing {shown} of {total} changes (at most {per_kind} of each kind); "
        "ipeco changes --json lists them all.",
    },
    "time.col.kind": {"ja": "変化", "en": "Change"},
    "time.col.what": {"ja": "組織・つながり", "en": "Organisations and ties"},
    "time.col.year": {"ja": "年度", "en": "Year"},
    "time.col.source": {"ja": "出典", "en": "Source"},
    "time.synthetic": {"ja": "（デモデータ）", "en": " (demo data)"},
    "change.new_organisation": {"ja": "新しい組織", "en": "New organisation"},
    "change.new_tie": {"ja": "新しいつながり", "en": "New tie"},
    "change.ended_tie": {"ja": "終わったつながり", "en": "Tie ended"},
    "change.new_bridge": {"ja": "新しい橋渡しのつながり", "en": "New bridge"},
    "change.new_broker": {"ja": "新しい橋渡し役", "en": "New broker"},
    "change.communities_merged": {"ja": "まとまりの合流", "en": "Communities merged"},
    "change.community_split": {"ja": "まとまりの分かれ", "en": "Community split"},
    "change.first_support": {"ja": "初めて支援を受けた企業", "en": "Firm's first support"},
    "journey.title": {"ja": "企業の歩み（構想 → 立上 → 拡大）", "en": "Firm journeys (ideation → launch → expansion)"},
    "journey.count": {
        "ja": "支援を受けた企業 {supported}社のうち、年度と段階の分かる支援がある企業 {phased}社、"
        "2つ以上の段階を歩んだ企業 {journeys}社（うちデモデータ {synthetic}社）。",
        "en": "Of {supported} supported firm(s), {phased} have dated support in a known phase and {journeys} "
        "went through more than one phase ({synthetic} of them demo data).",
    },
    "journey.none": {
        "ja": "2つ以上の段階にわたる、年度の分かる支援の記録はまだありません。",
        "en": "No firm has dated support recorded in more than one phase yet.",
    },
    "journey.step": {"ja": "{step}段目：{phase}", "en": "Step {step}: {phase}"},
    "journey.programme.none": {"ja": "事業の記載なし", "en": "no programme named"},
    "report.time": {"ja": "地域の変化", "en": "How the region changed"},
}
