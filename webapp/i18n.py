"""Every user-facing string of the web app, in Japanese and English, and fiscal-year formatting.

One table means a missing translation is found by a test (every key has both languages) rather
than by a user, and the app never mixes languages on one screen. Japanese is the default because
the app's users are regional producers and policy staff in Japan.
"""

from __future__ import annotations

from typing import Final

from graph.schema import PHASE_LABELS, ROLE_LABEL_NAMES

__all__ = ["DEFAULT_LANG", "LANGS", "STRINGS", "fiscal_year", "label_for_kind", "normalise_lang", "phase_name", "t"]

LANGS: Final = ("ja", "en")
DEFAULT_LANG: Final = "ja"

STRINGS: Final[dict[str, dict[str, str]]] = {
    "app.title": {"ja": "ipeco 地域知財エコシステム", "en": "ipeco regional IP ecosystems"},
    "nav.map": {"ja": "マップ", "en": "Map"},
    "nav.compare": {"ja": "地域比較", "en": "Compare"},
    "nav.gaps": {"ja": "ギャップ", "en": "Gaps"},
    "nav.suggest": {"ja": "連携提案", "en": "Suggest"},
    "nav.query": {"ja": "クエリ", "en": "Query"},
    "nav.report": {"ja": "レポート", "en": "Report"},
    "lang.switch": {"ja": "English", "en": "日本語"},
    "lang.switch_label": {"ja": "Switch to English", "en": "日本語に切り替え"},
    "banner.synthetic": {
        "ja": "このデータには合成（デモ用）データが含まれます。破線の枠と「デモ」の印が合成データです。",
        "en": "These data include synthetic demo data; dashed borders and the 'demo' badge mark them.",
    },
    "banner.store": {
        "ja": "データストアに接続できません。自動的に再接続を試みています。",
        "en": "The data store cannot be reached. Reconnecting automatically.",
    },
    "banner.store_hint": {
        "ja": "Neo4j を使う場合は `ipeco db start` で起動してください。",
        "en": "If you use Neo4j, start it with `ipeco db start`.",
    },
    "banner.empty": {
        "ja": "地域データがありません。`ipeco seed` でシードデータを読み込んでください。",
        "en": "No region data yet. Load the seed data with `ipeco seed`.",
    },
    "badge.synthetic": {"ja": "デモ", "en": "demo"},
    "map.region": {"ja": "地域", "en": "Region"},
    "map.filters": {"ja": "絞り込み", "en": "Filters"},
    "map.role": {"ja": "種別", "en": "Kind"},
    "map.phase": {"ja": "事業フェーズ", "en": "Business phase"},
    "map.programme": {"ja": "支援事業", "en": "Programme"},
    "map.fiscal_year": {"ja": "年度", "en": "Fiscal year"},
    "map.tie": {"ja": "つながりの種類", "en": "Tie type"},
    "map.data": {"ja": "データ", "en": "Data"},
    "map.data.all": {"ja": "すべて", "en": "All"},
    "map.data.real": {"ja": "実データのみ", "en": "Real only"},
    "map.data.synthetic": {"ja": "合成のみ", "en": "Synthetic only"},
    "map.any": {"ja": "すべて", "en": "Any"},
    "map.search": {"ja": "検索（名称・ふりがな・法人番号）", "en": "Search (name, furigana, corporate number)"},
    "map.search_placeholder": {"ja": "例: 青森県産業技術センター", "en": "e.g. Aomori Industrial Research Center"},
    "map.view": {"ja": "表示", "en": "View"},
    "map.layout": {"ja": "レイアウト", "en": "Layout"},
    "map.size_by": {"ja": "大きさ", "en": "Size by"},
    "map.color_by": {"ja": "色", "en": "Colour by"},
    "map.aggregate_by": {"ja": "大規模時の集約", "en": "Aggregate large graphs by"},
    "layout.fcose": {"ja": "力学（fCoSE）", "en": "Force-directed (fCoSE)"},
    "layout.cose": {"ja": "力学（CoSE）", "en": "Force-directed (CoSE)"},
    "layout.concentric": {"ja": "同心円（指標順）", "en": "Concentric (by measure)"},
    "layout.breadthfirst": {"ja": "階層（地域から）", "en": "Breadth-first (from region)"},
    "layout.preset": {"ja": "固定（サーバー計算）", "en": "Preset (server positions)"},
    "measure.role": {"ja": "種別", "en": "Role"},
    "measure.uniform": {"ja": "一定", "en": "Uniform"},
    "measure.degree": {"ja": "次数", "en": "Degree"},
    "measure.betweenness": {"ja": "媒介中心性", "en": "Betweenness"},
    "measure.pagerank": {"ja": "PageRank", "en": "PageRank"},
    "measure.harmonic": {"ja": "調和中心性", "en": "Harmonic centrality"},
    "measure.eigenvector": {"ja": "固有ベクトル中心性", "en": "Eigenvector centrality"},
    "measure.constraint": {"ja": "制約（Burt）", "en": "Constraint (Burt)"},
    "measure.effective_size": {"ja": "実効サイズ", "en": "Effective size"},
    "measure.core_number": {"ja": "コア数", "en": "Core number"},
    "measure.community": {"ja": "コミュニティ", "en": "Community"},
    "measure.participation": {"ja": "参加係数", "en": "Participation"},
    "aggregate.role": {"ja": "種別", "en": "Role"},
    "aggregate.community": {"ja": "コミュニティ", "en": "Community"},
    "legend.title": {"ja": "凡例", "en": "Legend"},
    "legend.size": {"ja": "大きさ", "en": "Size"},
    "legend.low": {"ja": "低", "en": "low"},
    "legend.high": {"ja": "高", "en": "high"},
    "legend.synthetic": {"ja": "破線 = 合成データ", "en": "dashed = synthetic"},
    "legend.aggregate": {"ja": "二重線 = 集約ノード（クリックで展開）", "en": "double border = group (click to open)"},
    "legend.other": {"ja": "その他", "en": "other"},
    "notice.counts": {"ja": "{nodes} ノード・{edges} つながりを表示", "en": "Showing {nodes} nodes and {edges} ties"},
    "notice.aggregated": {
        "ja": "要素が {total} 件あり上限 {limit} を超えるため、{by}ごとに集約しています。"
        "集約ノードをクリックすると展開します。",
        "en": "{total} elements exceed the limit of {limit}, so they are grouped by {by}. Click a group to open it.",
    },
    "notice.truncated": {
        "ja": "このグループは大きいため、次数の高い {shown} ノード（全 {total}）を表示しています。",
        "en": "This group is large: showing the {shown} best-connected of {total} nodes.",
    },
    "notice.group": {"ja": "グループ: {name}", "en": "Group: {name}"},
    "notice.no_region": {"ja": "地域を選んでください。", "en": "Pick a region."},
    "map.overview": {"ja": "全体に戻る", "en": "Back to overview"},
    "map.nodes": {"ja": "ノード一覧", "en": "Node list"},
    "detail.title": {"ja": "詳細", "en": "Details"},
    "detail.empty": {
        "ja": "ノードをクリックするか検索すると、ここに詳細が表示されます。",
        "en": "Click a node or search to see its details here.",
    },
    "detail.properties": {"ja": "属性", "en": "Properties"},
    "detail.evidence": {"ja": "根拠", "en": "Evidence"},
    "detail.no_evidence": {"ja": "根拠の記録はありません。", "en": "No evidence recorded."},
    "detail.measures": {"ja": "指標", "en": "Measures"},
    "detail.neighbours": {"ja": "つながり先", "en": "Neighbours"},
    "detail.gaps": {"ja": "関係するギャップ", "en": "Gaps involving it"},
    "detail.no_gaps": {"ja": "該当なし", "en": "None"},
    "detail.suggestions": {"ja": "連携の提案", "en": "Suggestions"},
    "detail.no_suggestions": {"ja": "提案はありません。", "en": "No suggestions."},
    "detail.expand": {"ja": "周辺を展開", "en": "Expand neighbourhood"},
    "detail.path_to": {"ja": "最短経路の行き先", "en": "Shortest path to…"},
    "detail.path": {"ja": "経路: {hops} ステップ", "en": "Path: {hops} steps"},
    "detail.no_path": {"ja": "経路が見つかりません。", "en": "No path found."},
    "detail.not_found": {"ja": "このノードは現在の表示にありません。", "en": "This node is not in the current view."},
    "detail.more": {"ja": "ほか {n} 件", "en": "{n} more"},
    "detail.kind": {"ja": "種別", "en": "Kind"},
    "detail.source": {"ja": "出典", "en": "Source"},
    "detail.synthetic": {"ja": "合成データ（デモ用）", "en": "Synthetic (demo) data"},
    "kind.Region": {"ja": "地域", "en": "Region"},
    "kind.Programme": {"ja": "支援事業", "en": "Programme"},
    "kind.Network": {"ja": "ネットワーク", "en": "Network"},
    "kind.TechField": {"ja": "技術分野", "en": "Tech field"},
    "kind.Organization": {"ja": "組織", "en": "Organisation"},
    "kind.group": {"ja": "グループ", "en": "Group"},
    "tie.LOCATED_IN": {"ja": "所在", "en": "Located in"},
    "tie.SERVES": {"ja": "管轄", "en": "Serves"},
    "tie.MEMBER_OF": {"ja": "参加", "en": "Member of"},
    "tie.OPERATES": {"ja": "運営", "en": "Operates"},
    "tie.SUPPORTS": {"ja": "支援", "en": "Supports"},
    "tie.REFERS_TO": {"ja": "紹介・連携", "en": "Refers to"},
    "tie.COLLABORATES_WITH": {"ja": "共同", "en": "Collaborates"},
    "tie.FINANCES": {"ja": "資金", "en": "Finances"},
    "tie.PARTICIPATES_IN": {"ja": "事業参加", "en": "Participates"},
    "tie.ACTIVE_IN": {"ja": "技術分野", "en": "Active in"},
    "tie.PART_OF": {"ja": "所属", "en": "Part of"},
    "tie.SUCCEEDED_BY": {"ja": "承継", "en": "Succeeded by"},
    "compare.title": {"ja": "地域比較", "en": "Region comparison"},
    "compare.indicator": {"ja": "指標", "en": "Indicator"},
    "compare.real_only": {"ja": "実データのみで比較", "en": "Compare real data only"},
    "compare.charts": {"ja": "主要指標", "en": "Key indicators"},
    "compare.thumbs": {"ja": "ネットワーク（同一縮尺）", "en": "Networks (same scale)"},
    "compare.hover": {
        "ja": "指標名にカーソルを合わせると定義を表示します。",
        "en": "Hover an indicator for its definition.",
    },
    "gaps.title": {"ja": "ギャップ", "en": "Gaps"},
    "gaps.kind": {"ja": "種類", "en": "Kind"},
    "gaps.none": {"ja": "条件に合うギャップはありません。", "en": "No gaps match."},
    "gaps.show": {"ja": "マップで表示", "en": "Show on map"},
    "gaps.score": {"ja": "スコア", "en": "Score"},
    "gaps.completeness": {"ja": "データの完全性", "en": "Data completeness"},
    "gaps.completeness_note": {
        "ja": "つながりが無いことはデータが無いだけの場合もあります。",
        "en": "A missing tie may only mean missing data.",
    },
    "gapkind.phase_coverage": {"ja": "フェーズの空白", "en": "Phase coverage"},
    "gapkind.missing_role": {"ja": "不在の役割", "en": "Missing role"},
    "gapkind.isolated": {"ja": "孤立した主体", "en": "Isolated actor"},
    "gapkind.fragile_bridge": {"ja": "脆弱な橋渡し", "en": "Fragile bridge"},
    "gapkind.liaison": {"ja": "連携の欠如", "en": "Liaison gap"},
    "gapkind.unmet_match": {"ja": "未実現のマッチング", "en": "Unmet match"},
    "suggest.title": {"ja": "連携提案", "en": "Partner suggestions"},
    "suggest.pick": {"ja": "企業を選ぶ", "en": "Pick a firm"},
    "suggest.partners": {"ja": "連携先の候補", "en": "Partners"},
    "suggest.programmes": {"ja": "支援事業の候補", "en": "Programmes"},
    "suggest.none": {"ja": "提案はありません。", "en": "No suggestions."},
    "suggest.empty": {
        "ja": "企業を選ぶと、候補と理由が表示されます。",
        "en": "Pick a firm to see candidates and reasons.",
    },
    "query.title": {"ja": "Cypher クエリ（分析者向け）", "en": "Cypher console (analysts)"},
    "query.embedded": {
        "ja": "現在は組み込みストアです。Cypher には Neo4j が必要です。次の 1 行で切り替えられます:",
        "en": "You are on the embedded store; Cypher needs Neo4j. Switch with one command:",
    },
    "query.neo4j": {
        "ja": "Neo4j ストアを使用中です。Neo4j Browser でもクエリできます:",
        "en": "You are on the Neo4j store; you can also query it in Neo4j Browser:",
    },
    "query.intro": {
        "ja": "読み取り専用の Cypher を実行します（書き込み・ファイル読込・管理は拒否、時間と行数に上限あり）。",
        "en": "Runs read-only Cypher: writes, file loading and admin commands are refused; time and rows are capped.",
    },
    "query.then_serve": {"ja": "その後、Neo4j ストアでアプリを起動します:", "en": "Then serve the app on Neo4j:"},
    "query.editor": {"ja": "Cypher クエリ", "en": "Cypher query"},
    "query.editor_hint": {
        "ja": "Tab キーで次の項目へ移動します。値は $name のパラメータで渡してください。",
        "en": "Tab moves to the next control. Pass values as $name parameters.",
    },
    "query.saved": {"ja": "保存済みクエリ", "en": "Saved queries"},
    "query.saved_hint": {
        "ja": "選ぶとエディタに読み込まれ、パラメータが既定値で入ります。",
        "en": "Picking one loads it into the editor with its parameters at their defaults.",
    },
    "query.params": {"ja": "パラメータ", "en": "Parameters"},
    "query.no_params": {"ja": "パラメータはありません。", "en": "No parameters."},
    "query.extra_params": {
        "ja": "追加パラメータ（1 行に name=value、値は JSON または文字列）",
        "en": "More parameters (name=value per line; the value is JSON or text)",
    },
    "query.row_limit": {"ja": "最大行数", "en": "Row cap"},
    "query.run": {"ja": "実行", "en": "Run"},
    "query.csv": {"ja": "CSV をダウンロード", "en": "Download CSV"},
    "query.rows": {"ja": "{rows} 行・{ms} ミリ秒", "en": "{rows} rows in {ms} ms"},
    "query.truncated": {
        "ja": "最初の {limit} 行のみ表示しています。結果はさらにあります（行数の上限 {limit}）。",
        "en": "Showing the first {limit} rows: the result has more (row cap {limit}).",
    },
    "query.error": {"ja": "クエリを実行できませんでした: ", "en": "The query could not run: "},
    "query.refused": {"ja": "拒否しました: ", "en": "Refused: "},
    "query.timeout": {"ja": "時間切れ: ", "en": "Timed out: "},
    "query.unavailable": {
        "ja": "Cypher には Neo4j ストアが必要です。次の 1 行で切り替えられます: ",
        "en": "Cypher needs the Neo4j store. Switch in one command: ",
    },
    "query.empty": {
        "ja": "クエリを入力するか、保存済みクエリを選んでください。",
        "en": "Type a query or pick a saved one.",
    },
    "query.graph": {"ja": "グラフ表示", "en": "As a graph"},
    "query.bad_param": {"ja": "パラメータの書き方が正しくありません: ", "en": "A parameter is malformed: "},
    "export.title": {"ja": "書き出し", "en": "Export"},
    "export.png": {"ja": "PNG 画像", "en": "PNG image"},
    "export.svg": {"ja": "SVG 画像", "en": "SVG image"},
    "export.format": {"ja": "地域のグラフの形式", "en": "Region graph format"},
    "export.download": {"ja": "グラフをダウンロード", "en": "Download graph"},
    "export.failed": {"ja": "書き出せませんでした: ", "en": "The export failed: "},
    "report.title": {"ja": "レポート", "en": "Reports"},
    "report.intro": {
        "ja": "地域の概要レポート、または 3 地域の比較レポートを作成します（コマンド `ipeco report` と同じファイル）。",
        "en": "A regional brief or the three-region comparison: the same files as the `ipeco report` command.",
    },
    "report.kind": {"ja": "種類", "en": "Kind"},
    "report.kind.region": {"ja": "地域レポート", "en": "Regional brief"},
    "report.kind.comparison": {"ja": "地域比較", "en": "Comparison"},
    "report.lang": {"ja": "言語", "en": "Language"},
    "report.format": {"ja": "形式", "en": "Format"},
    "report.build": {"ja": "作成してダウンロード", "en": "Build and download"},
    "report.done": {"ja": "{name} を作成しました。", "en": "Built {name}."},
    "report.failed": {"ja": "レポートを作成できませんでした: ", "en": "The report could not be built: "},
    "report.pdf_note": {
        "ja": "PDF は Chromium で印刷するため数秒かかります。",
        "en": "PDF is printed by Chromium and takes a few seconds.",
    },
    "common.region": {"ja": "地域", "en": "Region"},
    "common.phase": {"ja": "フェーズ", "en": "Phase"},
    "common.unavailable": {"ja": "データを読み込めません。", "en": "The data cannot be read."},
    "common.fallback": {
        "ja": "（分析モジュールが未導入のため簡易計算）",
        "en": "(analytics module not available: simple estimate)",
    },
}


def normalise_lang(lang: str | None) -> str:
    """Any unknown or missing language falls back to Japanese, the default audience."""
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = DEFAULT_LANG, **fmt: object) -> str:
    """The string ``key`` in ``lang``; an unknown key shows itself so a gap is visible, not fatal."""
    entry = STRINGS.get(key)
    text = entry[normalise_lang(lang)] if entry else key
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


def phase_name(phase: str, lang: str | None = DEFAULT_LANG) -> str:
    names = PHASE_LABELS.get(phase)
    return names[0 if normalise_lang(lang) == "ja" else 1] if names else phase


def label_for_kind(kind: str, lang: str | None = DEFAULT_LANG) -> str:
    """Name of a node kind: a role label (Company, ...) or a primary label (Programme, ...)."""
    names = ROLE_LABEL_NAMES.get(kind)
    if names:
        return names[0 if normalise_lang(lang) == "ja" else 1]
    return t(f"kind.{kind}", lang)
