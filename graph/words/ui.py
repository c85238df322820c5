"""The words of the pages and the printed briefs: navigation, panels, tables, hints, captions."""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, dict[str, str]]] = {
    "app.title": {"ja": "ipeco 地域知財エコシステム", "en": "ipeco regional IP ecosystems"},
    "nav.map": {"ja": "マップ", "en": "Map"},
    "nav.compare": {"ja": "地域比較", "en": "Compare"},
    "nav.gaps": {"ja": "ギャップ", "en": "Gaps"},
    "nav.suggest": {"ja": "連携提案", "en": "Suggest"},
    "nav.query": {"ja": "クエリ", "en": "Query"},
    "nav.report": {"ja": "レポート", "en": "Report"},
    "app.skip": {"ja": "本文へ移動", "en": "Skip to content"},
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
    "banner.store_stale": {
        "ja": "データベースが応答しません。最後に読み込んだデータを表示しています。",
        "en": "The database is not answering; showing the last data.",
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
    "map.search": {"ja": "検索（{fields}）", "en": "Search ({fields})"},
    "map.search.name": {"ja": "名称", "en": "name"},
    "map.search.furigana": {"ja": "ふりがな", "en": "furigana"},
    "map.search.corporate_number": {"ja": "法人番号", "en": "corporate number"},
    "map.search_placeholder": {"ja": "例: 青森県産業技術センター", "en": "e.g. Aomori Industrial Research Center"},
    "map.view": {"ja": "表示", "en": "View"},
    "map.layout": {"ja": "レイアウト", "en": "Layout"},
    "map.size_by": {"ja": "大きさ", "en": "Size by"},
    "map.color_by": {"ja": "色", "en": "Colour by"},
    "map.aggregate_by": {"ja": "大規模時の集約", "en": "Aggregate large graphs by"},
    "layout.fcose": {"ja": "クラスター（主な支援機関ごと）", "en": "Clusters (by main support body)"},
    "layout.cose": {"ja": "力学（ばねモデル）", "en": "Force-directed (spring)"},
    "layout.concentric": {"ja": "同心円（指標順）", "en": "Concentric (by measure)"},
    "layout.breadthfirst": {
        "ja": "階層（行政→支援機関→大学・金融→企業）",
        "en": "Hierarchy (government → support → knowledge, finance → firms)",
    },
    "layout.preset": {"ja": "固定（クラスターと同じ）", "en": "Fixed (same as clusters)"},
    "measure.role": {"ja": "種別", "en": "Role"},
    "measure.uniform": {"ja": "一定", "en": "Uniform"},
    "measure.degree": {"ja": "つながりの数", "en": "Partners"},
    "measure.betweenness": {"ja": "媒介中心性", "en": "Betweenness"},
    "measure.pagerank": {"ja": "PageRank", "en": "PageRank"},
    "measure.harmonic": {"ja": "調和中心性", "en": "Harmonic centrality"},
    "measure.eigenvector": {"ja": "固有ベクトル中心性", "en": "Eigenvector centrality"},
    "measure.constraint": {"ja": "制約度（Burt）", "en": "Constraint (Burt)"},
    "measure.effective_size": {"ja": "実効サイズ", "en": "Effective size"},
    "measure.core_number": {"ja": "コア数", "en": "Core number"},
    "measure.community": {"ja": "コミュニティ", "en": "Community"},
    "measure.participation": {"ja": "参加係数", "en": "Participation"},
    "aggregate.role": {"ja": "種別", "en": "Role"},
    "aggregate.community": {"ja": "コミュニティ", "en": "Community"},
    "legend.title": {"ja": "凡例", "en": "Legend"},
    "legend.size": {"ja": "大きさ", "en": "Size"},
    "legend.size_by": {"ja": "大きさ = {measure}", "en": "size = {measure}"},
    "legend.labels": {
        "ja": "名前は重ならない範囲で重要な順に表示（拡大すると増えます）",
        "en": "Names appear by importance where they fit (zoom in for more)",
    },
    "map.export_title": {"ja": "{region}の知財エコシステム", "en": "IP ecosystem of {region}"},
    "legend.low": {"ja": "低", "en": "low"},
    "legend.high": {"ja": "高", "en": "high"},
    "legend.synthetic": {"ja": "破線 = 合成データ", "en": "dashed = synthetic"},
    "legend.aggregate": {"ja": "二重線 = グループ（クリックで展開）", "en": "double border = group (click to open)"},
    "legend.other": {"ja": "その他", "en": "other"},
    "notice.counts": {
        "ja": "{nodes} ノード（組織のほか制度・ネットワーク・地域を含む）と "
        "{edges} 本の線（所在地・実施を含むすべての関係）を表示",
        "en": "Showing {nodes} nodes (organisations, programmes, networks and places) and {edges} lines "
        "(every relationship, seats and programme delivery included)",
    },
    "notice.aggregated": {
        "ja": "要素が {total} 件あり上限 {limit} を超えるため、{by}ごとに集約しています。"
        "グループをクリックすると展開します。",
        "en": "{total} elements exceed the limit of {limit}, so they are grouped by {by}. Click a group to open it.",
    },
    "notice.truncated": {
        "ja": "このグループは大きいため、つながりの多い {shown} 件（全 {total} 件）を表示しています。",
        "en": "This group is large: showing the {shown} best-connected of {total} nodes.",
    },
    "notice.group": {"ja": "グループ: {name}", "en": "Group: {name}"},
    "notice.no_region": {"ja": "地域を選んでください。", "en": "Pick a region."},
    # A link asked for something the app does not have (``webapp.notices``, the 404 page).
    "notice.bad_region": {
        "ja": "地域「{value}」はありません — {shown}を表示しています。",
        "en": "There is no region “{value}” — showing {shown} instead.",
    },
    "notice.bad_node": {
        "ja": "組織「{value}」は見つかりません — 何も選択していない状態で表示しています。",
        "en": "No organisation “{value}” was found — nothing is selected.",
    },
    "notice.bad_lang": {
        "ja": "言語「{value}」には対応していません — 日本語で表示しています（英語は lang=en）。",
        "en": "The language “{value}” is not available — showing Japanese (English is lang=en).",
    },
    "notice.bad_value": {
        "ja": "{what}に「{value}」という選択肢はありません — 既定の設定で表示しています。",
        "en": "“{value}” is not a choice for {what} — showing the default instead.",
    },
    "notice.bad_list": {
        "ja": "{what}の「{value}」は選択肢にないため、無視しました。",
        "en": "{what}: “{value}” is not a choice and was ignored.",
    },
    "notice.close": {"ja": "閉じる", "en": "Dismiss"},
    "notfound.title": {"ja": "ページが見つかりません（404）", "en": "Page not found (404)"},
    "notfound.body": {
        "ja": "「{path}」というページはありません。アドレスが正しいか確かめるか、上のメニューから選んでください。",
        "en": "There is no page at “{path}”. Check the address, or pick a page from the menu above.",
    },
    "notfound.back": {"ja": "マップに戻る", "en": "Back to the map"},
    "map.overview": {"ja": "全体に戻る", "en": "Back to overview"},
    "map.nodes": {"ja": "要素の一覧", "en": "Node list"},
    "detail.title": {"ja": "詳細", "en": "Details"},
    "detail.empty": {
        "ja": "地図上の組織などをクリックするか検索すると、ここに詳細が表示されます。",
        "en": "Click a node or search to see its details here.",
    },
    "detail.properties": {"ja": "属性", "en": "Properties"},
    "detail.evidence": {"ja": "根拠", "en": "Evidence"},
    "detail.no_evidence": {"ja": "根拠の記録はありません。", "en": "No evidence recorded."},
    "detail.measures": {"ja": "指標", "en": "Measures"},
    "detail.neighbours": {"ja": "つながり先", "en": "Neighbours"},
    "detail.gaps": {"ja": "関係するギャップ", "en": "Gaps involving it"},
    "detail.no_gaps": {"ja": "この組織に関するギャップはありません。", "en": "No gap names this organisation."},
    "detail.suggestions": {"ja": "連携の提案", "en": "Suggestions"},
    "detail.no_suggestions": {"ja": "提案はありません。", "en": "No suggestions."},
    "detail.expand": {"ja": "周辺を展開", "en": "Expand neighbourhood"},
    "detail.path_to": {"ja": "最短経路の行き先", "en": "Shortest path to…"},
    "detail.path": {"ja": "経路: {hops} ステップ", "en": "Path: {hops} steps"},
    "detail.no_path": {"ja": "経路が見つかりません。", "en": "No path found."},
    "detail.not_found": {"ja": "この要素は現在の表示にありません。", "en": "This node is not in the current view."},
    "detail.more": {"ja": "ほか {n} 件", "en": "{n} more"},
    "detail.kind": {"ja": "種別", "en": "Kind"},
    "detail.source": {"ja": "出典", "en": "Source"},
    "detail.synthetic": {"ja": "合成データ（デモ用）", "en": "Synthetic (demo) data"},
    # Properties of a node as the map's detail panel shows them (schema keys never reach the screen).
    "prop.name_ja": {"ja": "日本語名", "en": "Japanese name"},
    "prop.name_en": {"ja": "英語名", "en": "English name"},
    "prop.furigana": {"ja": "ふりがな", "en": "Reading (furigana)"},
    "prop.corporate_number": {"ja": "法人番号", "en": "Corporate number"},
    "prop.industry": {"ja": "業種", "en": "Industry"},
    "prop.employees": {"ja": "従業員数", "en": "Employees"},
    "prop.capital": {"ja": "資本金", "en": "Share capital"},
    "prop.size_evidence": {"ja": "規模の出典", "en": "Source of the size"},
    "prop.size_as_of": {"ja": "規模の時点", "en": "Size as of"},
    "prop.keywords": {"ja": "事業・技術のキーワード", "en": "Business and technology keywords"},
    "prop.profile_evidence": {"ja": "業種などの出典", "en": "Source of the profile"},
    "prop.listed": {"ja": "上場", "en": "Listed"},
    "prop.target_groups": {"ja": "対象者", "en": "Who may take part"},
    "prop.fields": {"ja": "対象分野", "en": "Fields"},
    "prop.cost": {"ja": "参加者の費用", "en": "Cost to participants"},
    "value.target_group.sme": {"ja": "中小企業", "en": "SMEs"},
    "value.target_group.startup": {"ja": "スタートアップ", "en": "Startups"},
    "value.target_group.large": {"ja": "大企業", "en": "Large firms"},
    "value.target_group.university": {"ja": "大学", "en": "Universities"},
    "value.target_group.any": {"ja": "どなたでも", "en": "Anyone"},
    "prop.founded": {"ja": "設立", "en": "Founded"},
    "prop.startup": {"ja": "スタートアップ", "en": "Startup"},
    "prop.support_kind": {"ja": "支援機関の種類", "en": "Kind of support body"},
    "prop.tech_fields": {"ja": "技術分野（IPC/FI）", "en": "Technology fields (IPC/FI)"},
    "prop.url": {"ja": "ウェブサイト", "en": "Website"},
    "prop.level": {"ja": "区分", "en": "Level"},
    "prop.model_region_fy": {"ja": "モデル地域に選ばれた年度", "en": "Model region since"},
    "prop.phases": {"ja": "対象フェーズ", "en": "Phases served"},
    "prop.operator": {"ja": "運営", "en": "Run by"},
    "prop.description": {"ja": "内容", "en": "Description"},
    "prop.scope": {"ja": "範囲", "en": "Scope"},
    "prop.scheme": {"ja": "分類体系", "en": "Classification"},
    "prop.code": {"ja": "分類記号", "en": "Code"},
    "prop.title": {"ja": "分類の名称", "en": "Title"},
    "prop.source": {"ja": "データの出典", "en": "Data source"},
    "prop.confidence": {"ja": "出典の確からしさ", "en": "Source confidence"},
    "prop.loaded_at": {"ja": "データ取得日", "en": "Data as of"},
    "value.employees": {"ja": "{n} 人", "en": "{n}"},
    "value.capital": {"ja": "{n} 円", "en": "¥{n}"},
    "value.confidence.src": {"ja": "出典のページで確認済み", "en": "confirmed by a cited page"},
    "value.confidence.likely": {
        "ja": "見込み（出典のページでの確認はまだ）",
        "en": "likely, not yet confirmed by a cited page",
    },
    "value.level.prefecture": {"ja": "都道府県", "en": "Prefecture"},
    "value.level.city": {"ja": "市区町村", "en": "City"},
    "value.level.nation": {"ja": "国", "en": "Nation"},
    "value.scope.national": {"ja": "全国", "en": "National"},
    "value.scope.regional": {"ja": "地域", "en": "Regional"},
    "value.scope.team": {"ja": "チーム", "en": "Team"},
    # Dataset ids (a node's ``source``) in words; the key is the id with every other character an underscore.
    "dataset.seed_real": {"ja": "公開ページから収集した同梱データ", "en": "Bundled data gathered from public pages"},
    "dataset.seed_synthetic": {"ja": "合成デモデータ", "en": "Synthetic demo data"},
    "dataset.synthetic_bench": {"ja": "合成データ（性能試験用）", "en": "Synthetic data (benchmarks)"},
    "dataset.houjin": {"ja": "国税庁 法人番号公表サイト", "en": "National Tax Agency corporate number site"},
    "dataset.gbiz_patent": {"ja": "gBizINFO（特許）", "en": "gBizINFO (patents)"},
    "dataset.gbiz_subsidy": {"ja": "gBizINFO（補助金）", "en": "gBizINFO (subsidies)"},
    "dataset.jplatpat": {
        "ja": "J-PlatPat（特許情報プラットフォーム）",
        "en": "J-PlatPat (patent information platform)",
    },
    "dataset.canonical": {"ja": "CSV から読み込んだデータ", "en": "Data loaded from CSV files"},
    # Kinds of support body (``support_kind``) in words.
    "supportkind.ip_window": {"ja": "知財総合支援窓口", "en": "IP support window (INPIT)"},
    "supportkind.ip_window_operator": {"ja": "知財総合支援窓口の運営機関", "en": "Operator of an IP support window"},
    "supportkind.yorozu": {"ja": "よろず支援拠点", "en": "Yorozu support centre"},
    "supportkind.chamber": {"ja": "商工会議所・商工会", "en": "Chamber of commerce"},
    "supportkind.chamber_federation": {"ja": "商工会議所連合会", "en": "Federation of chambers of commerce"},
    "supportkind.invention_association": {"ja": "発明協会", "en": "Invention association"},
    "supportkind.smrj": {"ja": "中小機構", "en": "SMRJ (SME agency)"},
    "supportkind.jetro": {"ja": "ジェトロ（日本貿易振興機構）", "en": "JETRO"},
    "supportkind.incubator": {"ja": "インキュベーション施設", "en": "Incubator"},
    "supportkind.ip_agency": {"ja": "知財の行政機関", "en": "IP agency"},
    "supportkind.ip_support_center": {"ja": "知的財産支援センター", "en": "IP support centre"},
    "supportkind.ip_support": {"ja": "知的財産支援センター", "en": "IP support centre"},
    "supportkind.sme_federation": {"ja": "中小企業団体中央会", "en": "Federation of SME associations"},
    "supportkind.sme_support_center": {"ja": "中小企業支援センター", "en": "SME support centre"},
    "supportkind.sme_center": {"ja": "中小企業支援センター", "en": "SME support centre"},
    "supportkind.industry_association": {"ja": "業界団体", "en": "Industry association"},
    "supportkind.cluster": {"ja": "産業クラスター推進機関", "en": "Cluster body"},
    "supportkind.producer_team": {"ja": "プロデューサーチーム", "en": "Producer team"},
    # The glossary (reports.glossary): a plain name and a one-sentence meaning for each technical term.
    "nav.help": {"ja": "用語", "en": "Terms"},
    "help.title": {"ja": "用語の説明", "en": "What the terms mean"},
    "help.intro": {
        "ja": "画面に出てくる専門用語を、支援の現場での意味とともに説明します。"
        "下線付きの用語にカーソルを合わせても説明が出ます。",
        "en": "The technical terms the app uses, with what they mean for support work. "
        "Hovering an underlined term shows the same explanation.",
    },
    "help.method": {"ja": "方法・出典: {method}", "en": "Method: {method}"},
    "help.sec.network": {"ja": "つながりの指標と役割", "en": "Network measures and roles"},
    "help.sec.phase": {"ja": "事業フェーズ", "en": "Business phases"},
    "help.sec.gap": {"ja": "ギャップの種類", "en": "Kinds of gap"},
    "help.sec.data": {"ja": "データについて", "en": "About the data"},
    "help.link": {"ja": "用語の説明", "en": "Glossary"},
    "method.jpo": {
        "ja": "特許庁「知財経営支援モデル地域創出事業」の事業フェーズ",
        "en": "Business phases of the JPO's IP-management model-region programme",
    },
    "method.gaps": {
        "ja": "特許庁の知財経営支援ネットワーク資料に沿った ipeco の判定規則（スコア 0〜1）",
        "en": "ipeco's rules, after the JPO's IP-management support network deck (score 0–1)",
    },
    "method.confidence": {
        "ja": "各記録に出典ページの URL と日付を記載しています",
        "en": "Each record cites its page (URL and date)",
    },
    "method.synthetic": {
        "ja": "ipeco が固定の乱数で生成し、すべての記録に印を付けています",
        "en": "Generated by ipeco with a fixed random seed; every record is flagged",
    },
    "term.broker": {"ja": "仲介者（ブローカー）", "en": "Broker"},
    "term.broker.def": {
        "ja": "互いに直接つながっていない組織どうしの間に立ち、情報や紹介を取り次げる立場の組織です"
        "（媒介中心性が高く、制約度が低い組織）。",
        "en": "An organisation that stands between others who are not tied to each other, so it can pass "
        "on information and referrals (high betweenness, low constraint).",
    },
    "term.degree.def": {
        "ja": "支援・紹介・共同研究・資金・所属のいずれかで直接つながっている組織の数です。",
        "en": "How many organisations it is tied to directly, by support, referral, collaboration, finance or "
        "membership.",
    },
    "term.betweenness.def": {
        "ja": "他の組織どうしを結ぶ最短のつながりのうち、この組織を通るものの割合（0〜1）で、"
        "高いほど地域の橋渡し役です。",
        "en": "The share of shortest chains of ties between other organisations that pass through it (0–1): "
        "the higher, the more it acts as the region's bridge.",
    },
    "term.constraint.def": {
        "ja": "つながり先どうしが既に互いにつながっている度合い（0〜1）で、高いと付き合いが一つの輪に閉じて新しい"
        "情報が入りにくく、低いと離れた相手どうしを橋渡しできる立場にあります。",
        "en": "How far its partners are already tied to one another (0–1): high means its contacts form one "
        "closed circle that brings little new; low means it can bridge contacts who are otherwise apart.",
    },
    "term.effective_size.def": {
        "ja": "つながり先の数から、つながり先どうしの重なりを差し引いた数で、"
        "大きいほど互いに独立した相手とつながっています。",
        "en": "Its number of partners less their overlap: the larger, the more of its partners are independent of each "
        "other.",
    },
    "term.pagerank.def": {
        "ja": "つながりの多い組織とつながっているほど高くなる重要度で、地域全体で合計すると 1 になります。",
        "en": "An importance score that grows with ties to well-connected organisations; it sums to 1 over the region.",
    },
    "term.harmonic.def": {
        "ja": "他の組織へ何段階の紹介で届くかの近さで、高いほど少ない紹介で地域の多くの組織に届きます。",
        "en": "How close it is to everyone else in steps of ties: the higher, the fewer referrals it takes "
        "to reach most of the region.",
    },
    "term.eigenvector.def": {
        "ja": "つながりの多い組織とつながるほど高くなる影響力の指標で、地域の中心的な輪の中にいるかを示します。",
        "en": "An influence score that is high for organisations tied to other well-tied ones: it shows "
        "whether it sits in the region's central circle.",
    },
    "term.core_number.def": {
        "ja": "互いに k 件以上つながり合う中核のまとまりに入る最大の k で、高いほど地域の中心部にいます。",
        "en": "The largest k such that it belongs to a core whose members each have at least k ties "
        "within it: the higher, the closer to the region's core.",
    },
    "term.participation.def": {
        "ja": "つながりが複数のコミュニティにまたがっている度合い（0〜1）で、高いほどグループ間をつないでいます。",
        "en": "How evenly its ties spread over different communities (0–1): the higher, the more it links groups.",
    },
    "term.community.def": {
        "ja": "互いに密につながり合う組織のまとまりで、"
        "マップの色分けやグループ分けに使います（番号は区別のためのものです）。",
        "en": "A group of organisations more tied to each other than to the rest; the map colours and groups "
        "by it (the number only tells groups apart).",
    },
    "term.triple_helix": {"ja": "産学官の相乗効果 T(UIG)", "en": "Triple helix T(UIG)"},
    "term.triple_helix.def": {
        "ja": "大学・産業・行政の3者が同じつながりの中にそろって関わっている度合い（単位 bits）で、"
        "負の値は3者がそろうことによる相乗効果を示します。",
        "en": "How far university, industry and government take part in the same ties together (in bits): "
        "a negative value means the three together create synergy.",
    },
    "term.phase.ideation.def": {
        "ja": "コア技術や事業のアイデアを見定め、知財をどう生かすかを考える段階です（知財経営の助言、"
        "知財金融の評価など）。",
        "en": "Finding the core technology and business idea and how IP will serve it "
        "(IP-management advice, IP finance evaluation).",
    },
    "term.phase.launch.def": {
        "ja": "技術を固め、連携先や販路を見つけて事業を立ち上げる段階です（企業・大学・公設試とのマッチングなど）。",
        "en": "Hardening the technology and finding partners and sales channels to start the business "
        "(matching with companies, universities and public research institutes).",
    },
    "term.phase.expansion.def": {
        "ja": "海外展開や再投資で事業を広げる段階です（外国出願の補助、侵害対策など）。",
        "en": "Growing the business through overseas markets and reinvestment "
        "(foreign-filing subsidies, infringement countermeasures).",
    },
    "term.gap.phase_coverage.def": {
        "ja": "企業が、あるフェーズを支援する機関に（直接・紹介・所属のいずれを通じても）届いていない状態です。",
        "en": "A firm reaches no support body that serves one of its phases, directly, by referral or through a "
        "membership.",
    },
    "term.gap.missing_role.def": {
        "ja": "支援ネットワークにあるはずの種類の機関（例: ジェトロ、知財金融の銀行）と、"
        "地域がつながっていない状態です。",
        "en": "The region has no tie to a kind of body the support network expects (e.g. JETRO, a bank doing IP "
        "finance).",
    },
    "term.gap.isolated.def": {
        "ja": "企業・大学・研究機関に、支援や共同研究のつながりが記録されていない状態です。",
        "en": "A firm, university or institute has no recorded support or collaboration tie.",
    },
    "term.gap.fragile_bridge.def": {
        "ja": "その組織やつながりが無くなると、ネットワークが分断されて他の組織が孤立してしまう箇所です。",
        "en": "An organisation or tie whose loss would split the network and cut other organisations off.",
    },
    "term.gap.liaison.def": {
        "ja": "互いに紹介し合うはずの支援機関どうし（例: よろず支援拠点と知財総合支援窓口）"
        "に紹介のつながりが無い状態です。",
        "en": "Two support bodies that should refer firms to each other (e.g. Yorozu centre and the IP "
        "support window) have no referral tie.",
    },
    "term.gap.unmet_match.def": {
        "ja": "同じ技術分野の企業と大学・公設試の組で、まだつながりが無いものです（立上期のマッチング候補）。",
        "en": "A firm and a university or public research institute in the same technology fields with no "
        "tie yet (a launch-phase matching candidate).",
    },
    "term.jaccard": {"ja": "技術分野の重なり（Jaccard）", "en": "Field overlap (Jaccard)"},
    "term.jaccard.def": {
        "ja": "2つの組織の技術分野のうち共通するものの割合（共通の分野数 ÷ どちらかにある分野数、0〜1）で、"
        "1 なら分野が一致しています。",
        "en": "The share of technology fields two organisations have in common (fields in both ÷ fields in "
        "either, 0–1): 1 means the same fields.",
    },
    "term.confidence.def": {
        "ja": "つながりや組織の記録を、出典のページが直接述べているか（確認済み）、見込みにとどまるかを示します。",
        "en": "Whether a cited page states the record directly (confirmed) or it is only expected (likely).",
    },
    "term.synthetic": {"ja": "デモデータ（合成）", "en": "Demo (synthetic) data"},
    "term.synthetic.def": {
        "ja": "説明や試験のために生成した架空の組織・つながりで、実在の組織や支援実績ではありません（破線で表示）。",
        "en": "Generated, fictitious organisations and ties for demonstration and tests, not real "
        "organisations or engagements (drawn dashed).",
    },
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
    "thin.short": {"ja": "つながり {ties} 件：参考値", "en": "{ties} ties: indicative only"},
    "thin.detail": {
        "ja": "この地域の組織間のつながりは {ties} 件で、{limit} 件に届きません。ネットワーク指標は"
        "つながりが1件増減するだけで大きく動くため、参考値として読んでください（データが少ないことを"
        "示すもので、地域の実態を表すものではありません）。",
        "en": "This region's organisations have {ties} ties between them, fewer than {limit}. Network "
        "measures move visibly with a single tie more or less, so read them as indicative: the data is "
        "thin, which says nothing yet about the region itself.",
    },
    "compare.real_only": {"ja": "実データのみで比較", "en": "Compare real data only"},
    "compare.charts": {"ja": "主要指標", "en": "Key indicators"},
    "compare.thumbs": {"ja": "ネットワーク（同一縮尺）", "en": "Networks (same scale)"},
    "compare.thumb_alt": {
        "ja": "{region}のネットワーク図：組織 {n}、つながり {m}",
        "en": "Network of {region}: {n} organisations, {m} ties",
    },
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
    "gapkind.phase_coverage": {"ja": "フェーズの支援不足", "en": "Phase coverage"},
    "gapkind.missing_role": {"ja": "不在の役割", "en": "Missing role"},
    "gapkind.isolated": {"ja": "孤立した主体", "en": "Isolated actor"},
    "gapkind.fragile_bridge": {"ja": "脆弱な橋渡し", "en": "Fragile bridge"},
    "gapkind.liaison": {"ja": "連携の欠如", "en": "Liaison gap"},
    "gapkind.unmet_match": {"ja": "未実現のマッチング", "en": "Unmet match"},
    "region.not_model": {"ja": "{name}（モデル地域外）", "en": "{name} (not a model region)"},
    "cli.gaps.section": {"ja": "■ {section}（{n} 件）", "en": "■ {section} ({n} cards)"},
    "cli.gaps.no_card": {
        "ja": "{name} には作業リストのカードがありません（ギャップは見つかっていません）。",
        "en": "{name} has no card on the worklist (no gap was found for it).",
    },
    "suggest.title": {"ja": "連携提案", "en": "Partner suggestions"},
    "suggest.pick": {"ja": "企業を選ぶ", "en": "Pick a firm"},
    "suggest.partners": {"ja": "連携先の候補", "en": "Partners"},
    "suggest.programmes": {"ja": "支援事業の候補", "en": "Programmes"},
    "suggest.none": {"ja": "提案はありません。", "en": "No suggestions."},
    "suggest.uncovered": {"ja": "支援が届いていないフェーズ:", "en": "Phases without support:"},
    "suggest.all_covered": {
        "ja": "どのフェーズにも支援機関が届いています。",
        "en": "Every phase is reached by a support body.",
    },
    "suggest.phase": {"ja": "対象フェーズ:", "en": "Phase:"},
    "suggest.reading": {
        "ja": "理由の「Jaccard」は技術分野の重なり、「ステップ」は今のつながりをたどって届くまでの段数です。",
        "en": "In the reasons, 'Jaccard' is the overlap of technology fields and 'steps' the number of ties "
        "to follow to reach the candidate.",
    },
    "suggest.empty": {
        "ja": "企業を選ぶと、候補と理由が表示されます。",
        "en": "Pick a firm to see candidates and reasons.",
    },
    "query.title": {"ja": "Cypher クエリ（分析者向け）", "en": "Cypher console (analysts)"},
    "query.embedded": {
        "ja": "Cypher クエリには Neo4j が必要ですが、このアプリは組み込みストアで動いています。アプリを止め、"
        "`make run-neo4j` で起動し直してください（ローカルの Neo4j を起動して同梱データを入れ、このアプリを"
        "Neo4j で開きます）。",
        "en": "Cypher queries need Neo4j, and this app runs on the embedded store: stop it and start it again "
        "with `make run-neo4j` (it starts a local Neo4j, loads the bundled data into it and serves this app on it).",
    },
    "query.neo4j": {
        "ja": "Neo4j ストアを使用中です。Neo4j Browser でもクエリできます:",
        "en": "You are on the Neo4j store; you can also query it in Neo4j Browser:",
    },
    "query.intro": {
        "ja": "読み取り専用の Cypher を実行します（書き込み・ファイル読込・管理は拒否、時間と行数に上限あり）。",
        "en": "Runs read-only Cypher: writes, file loading and admin commands are refused; time and rows are capped.",
    },
    "query.then_serve": {
        "ja": "`make` を使わない場合（`pip` でインストールした場合）は、次の 2 行で同じことができます:",
        "en": "Without make (installed with pip), the same in two lines:",
    },
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
    "common.yes": {"ja": "はい", "en": "yes"},
    "common.details": {"ja": "技術的な詳細（不具合の報告用）", "en": "Technical details (for a bug report)"},
    "common.none": {"ja": "—", "en": "—"},
    # --- the printed documents (regional brief, comparison) ---------------------------------------
    "doc.title.region": {"ja": "地域知財エコシステム・レポート", "en": "Regional IP ecosystem brief"},
    "doc.title.compare": {"ja": "モデル地域比較レポート", "en": "Model-region comparison"},
    "doc.subtitle": {
        "ja": "知財経営支援ネットワーク　地域の支援関係の概観",
        "en": "IP management support network: who supports whom in the region",
    },
    "doc.generated": {"ja": "作成日時", "en": "Generated"},
    "doc.version": {"ja": "データ版", "en": "Data version"},
    "doc.region": {"ja": "地域", "en": "Region"},
    "doc.regions": {"ja": "対象地域", "en": "Regions"},
    "doc.synthetic": {"ja": "合成デモデータを含みます", "en": "Includes synthetic demo data"},
    "doc.synthetic.detail": {
        "ja": "組織の {orgs}、関係の {ties} は説明用に生成した架空のデータです（図では破線）。"
        "実在の組織・支援実績と混同しないでください。",
        "en": "{orgs} of organisations and {ties} of relationships are generated, fictitious demo data "
        "(dashed in the figure). Do not read them as real organisations or engagements.",
    },
    "doc.keyfacts": {"ja": "概要", "en": "At a glance"},
    "doc.fact.organisations": {"ja": "組織", "en": "Organisations"},
    "doc.fact.ties": {"ja": "組織間のつながり", "en": "Ties between organisations"},
    "doc.fact.gaps": {"ja": "ギャップ", "en": "Gaps found"},
    "doc.fact.synthetic": {"ja": "合成データの割合（組織）", "en": "Synthetic share (organisations)"},
    "doc.fact.tied": {"ja": "つながりが記録された組織", "en": "Organisations with a recorded tie"},
    "doc.sec.indicators": {"ja": "主要指標", "en": "Summary indicators"},
    "doc.sec.figure": {"ja": "ネットワーク図", "en": "Network figure"},
    "doc.sec.hubs": {"ja": "ハブ（つながりの多い組織）", "en": "Hubs (most-connected organisations)"},
    "doc.sec.brokers": {"ja": "ブローカー（橋渡し役の組織）", "en": "Brokers (organisations that bridge others)"},
    "doc.sec.gaps": {"ja": "ギャップ（支援の空白）", "en": "Gaps in support"},
    "doc.sec.suggestions": {"ja": "提案", "en": "Suggestions"},
    "doc.sec.completeness": {"ja": "データの充足度と合成データ", "en": "Data completeness and synthetic share"},
    "doc.sec.sources": {"ja": "データの出典", "en": "Data sources"},
    "doc.sec.regions": {"ja": "地域別の要点", "en": "Region by region"},
    "doc.col.indicator": {"ja": "指標", "en": "Indicator"},
    "doc.col.value": {"ja": "値", "en": "Value"},
    "doc.col.definition": {"ja": "定義", "en": "Definition"},
    "doc.col.rank": {"ja": "順位", "en": "#"},
    "doc.col.name": {"ja": "名称", "en": "Name"},
    "doc.col.role": {"ja": "種別", "en": "Role"},
    "doc.col.kind": {"ja": "種類", "en": "Kind"},
    "doc.col.phase": {"ja": "フェーズ", "en": "Phase"},
    "doc.col.explanation": {"ja": "説明", "en": "Explanation"},
    "doc.col.subjects": {"ja": "対象", "en": "Concerns"},
    "doc.col.score": {"ja": "スコア", "en": "Score"},
    "doc.col.firm": {"ja": "企業", "en": "Firm"},
    "doc.col.uncovered": {"ja": "支援のないフェーズ", "en": "Phases without support"},
    "doc.col.suggestion": {"ja": "提案先と理由", "en": "Suggested partner or programme, and why"},
    "doc.col.reasons": {"ja": "理由", "en": "Reasons"},
    "doc.col.source": {"ja": "データセット", "en": "Dataset"},
    "doc.col.nodes": {"ja": "要素", "en": "Nodes"},
    "doc.col.relationships": {"ja": "関係", "en": "Relationships"},
    "doc.col.evidence": {"ja": "根拠URL", "en": "Evidence URL"},
    "doc.col.count": {"ja": "件数", "en": "Records"},
    "doc.col.item": {"ja": "項目", "en": "Item"},
    "doc.col.synthetic": {"ja": "合成", "en": "Synthetic"},
    "doc.col.list": {"ja": "一覧", "en": "List"},
    "doc.col.region": {"ja": "地域", "en": "Region"},
    "doc.col.count_by_kind": {"ja": "所見の種類別の件数", "en": "Findings by kind"},
    "doc.list.hub": {"ja": "ハブ", "en": "Hub"},
    "doc.list.broker": {"ja": "ブローカー", "en": "Broker"},
    "doc.figure.caption": {
        "ja": "地域の組織（{n}）と組織間のつながり（{m}）。色は種別、円の大きさはつながり先数、"
        "破線の円は合成データ。配置はばねモデル（乱数シード 42）。",
        "en": "The region's organisations ({n}) and the ties between them ({m}). Colour = role, size = "
        "partners, dashed outline = synthetic. Spring layout (seed 42).",
    },
    "doc.legend.synthetic": {"ja": "合成データ", "en": "Synthetic"},
    "doc.figure.isolates": {
        "ja": "つながりの記録がない組織（{n}）",
        "en": "Organisations with no recorded tie ({n})",
    },
    "doc.figure.empty": {"ja": "この地域には組織が記録されていません。", "en": "No organisations are recorded here."},
    "doc.gaps.none": {"ja": "ギャップは見つかりませんでした。", "en": "No gaps were found."},
    "doc.gaps.worklist": {
        "ja": "ギャップ（作業リストのカード）{total} 件：支援対象 {target}・ネットワーク {network}・大企業 {large}。"
        "その元になった所見は {findings} 件で、以下に種類別に示します。",
        "en": "Gaps (worklist cards): {total} — targets {target}, network {network}, large firms {large}. "
        "They merge {findings} findings, listed by kind below.",
    },
    "doc.gaps.shown": {
        "ja": "種類ごとに順位の高いものから {shown} 件を表示（全 {total} 件）。全件はスプレッドシート版にあります。",
        "en": "{shown} of {total} shown, the best-ranked of each kind in turn; the spreadsheet version lists all.",
    },
    "doc.gaps.caveat": {
        "ja": "つながりが記録されていないことは、データが欠けているだけの場合もあります（下の充足度を参照）。",
        "en": "A missing tie may only mean missing data: see completeness below.",
    },
    "doc.suggest.intro": {
        "ja": "支援のないフェーズが最も多い企業について、連携先候補とプログラムを示します。",
        "en": "For the firms with the most phases left without support: candidate partners and programmes.",
    },
    "doc.suggest.partner": {"ja": "連携先", "en": "Partner"},
    "doc.suggest.support": {"ja": "支援機関", "en": "Support body"},
    "doc.suggest.programme": {"ja": "プログラム", "en": "Programme"},
    "doc.suggest.serves": {"ja": "{phase}を支援", "en": "serves the {phase} phase"},
    "doc.completeness.organisations": {"ja": "地域の組織数", "en": "Organisations in the region"},
    "doc.completeness.synthetic_orgs": {"ja": "うち合成データ", "en": "of which synthetic"},
    "doc.completeness.synthetic_ties": {
        "ja": "合成データの関係の割合",
        "en": "Share of relationships that are synthetic",
    },
    "doc.completeness.with_evidence": {
        "ja": "根拠（URL等）のある実データの割合",
        "en": "Real records with evidence",
    },
    "doc.sources.evidence_more": {"ja": "ほか {n} 件", "en": "and {n} more"},
    "doc.sources.none": {"ja": "根拠URLは記録されていません。", "en": "No evidence URLs are recorded."},
    "doc.attribution.gbiz": {
        "ja": "出典：gBizINFO（経済産業省）",
        "en": "出典：gBizINFO（経済産業省） / Source: gBizINFO (METI)",
    },
    "doc.footer": {
        "ja": "ipeco により作成。指標の定義は各表に記載。",
        "en": "Made with ipeco. Indicator definitions are given with each table.",
    },
    # --- the command line's tables (``ipeco analyze``, ``compare``, ``recommend``) -----------------
    "cli.analyze.summary": {
        "ja": "{region}：組織 {orgs}、コミュニティ {communities}、切断点 {cuts}、橋 {bridges}",
        "en": "{region}: {orgs} organisations, {communities} communities, {cuts} articulation points, "
        "{bridges} bridges",
    },
    "cli.analyze.top": {"ja": "媒介中心性の上位 {n} 組織", "en": "Top {n} brokers by betweenness"},
    "cli.analyze.written": {
        "ja": "{n} 組織にスコア（score_*）を書き込みました。",
        "en": "Wrote the scores (score_*) on {n} organisations.",
    },
    "cli.compare.thin": {
        "ja": "{region}：つながり {ties} 件で {limit} 件未満のため、指標は参考値です。",
        "en": "{region}: {ties} ties, fewer than {limit}: read its indicators as indicative only.",
    },
    "cli.compare.definitions": {
        "ja": "指標の定義は `ipeco report --compare` の表に、数値の全体は --json にあります。",
        "en": "Indicator definitions are in `ipeco report --compare`; every number is in --json.",
    },
    "cli.recommend.title": {"ja": "{name}（{region}）への提案", "en": "Suggestions for {name} ({region})"},
    "cli.recommend.uncovered": {"ja": "支援のないフェーズ：{phases}", "en": "Phases without support: {phases}"},
    "cli.recommend.none": {"ja": "（候補なし）", "en": "(none)"},
    # Data completeness as the gap analysis measures it (``analytics.gaps.completeness`` keys).
    "completeness.organisations": {"ja": "組織数", "en": "Organisations"},
    "gaps.untied_by_role": {
        "ja": "つながりの記録がない組織（役割別）",
        "en": "Organisations without a recorded tie, by role",
    },
    "completeness.firms": {"ja": "企業数", "en": "Firms"},
    "completeness.firms_with_support_record": {"ja": "支援記録のある企業数", "en": "Firms with a support record"},
    "completeness.tied_share": {
        "ja": "他の組織とのつながりが記録された組織の割合",
        "en": "Organisations with a recorded tie",
    },
    "completeness.synthetic_node_share": {"ja": "合成データの割合（要素）", "en": "Synthetic share of nodes"},
    "completeness.synthetic_edge_share": {"ja": "合成データの割合（関係）", "en": "Synthetic share of relationships"},
    # The region indicators (``analytics.compare`` keys) in plain words: label, then definition.
    "indicator.size_by_role": {"ja": "種別ごとの組織数", "en": "Organisations by role"},
    "indicator.caveat": {
        "ja": "※ 収集できた公開情報の量に左右される値です。"
        "地域ごとに調べた資料が異なるため、差は支援の実態の差とは限りません。",
        "en": "* Depends on how much public information was collected; each region's sources differ, so a gap "
        "between regions need not be a gap in support.",
    },
    "indicator.size_by_role.def": {"ja": "種別ごとの地域内の組織数。", "en": "In-region organisations of each role."},
    "indicator.n": {"ja": "組織数", "en": "Organisations"},
    "indicator.n.def": {
        "ja": "地域に所在する、または地域を管轄する組織の数。",
        "en": "Organisations seated in or serving the region.",
    },
    "indicator.m": {"ja": "つながり数", "en": "Ties"},
    "indicator.m.def": {
        "ja": "支援・紹介・共同・資金・所属のいずれかで結ばれた組織の組の数。",
        "en": "Pairs of organisations tied by support, referral, collaboration, finance or part-of.",
    },
    "indicator.mean_degree": {"ja": "平均つながり先数", "en": "Mean partners per organisation"},
    "indicator.mean_degree.def": {
        "ja": "1組織あたりのつながり先の数の平均。",
        "en": "How many partners an organisation has, on average.",
    },
    "indicator.density": {"ja": "密度", "en": "Density"},
    "indicator.density.def": {
        "ja": "ありうる組の中で実際につながっている割合。組織数が増えると構造上低くなる。",
        "en": "Share of all possible pairs that are tied; falls as the region grows, by construction.",
    },
    "indicator.components": {"ja": "まとまりの数", "en": "Separate clusters"},
    "indicator.components.def": {
        "ja": "互いにつながっていない組織のまとまり（連結成分）の数。孤立した組織も1つと数える。",
        "en": "Groups of organisations with no tie between them (connected components), isolates included.",
    },
    "indicator.largest_component_share": {"ja": "最大のまとまりの割合", "en": "Share in the largest cluster"},
    "indicator.largest_component_share.def": {
        "ja": "最大の連結成分に含まれる組織の割合。",
        "en": "Share of organisations in the largest connected cluster.",
    },
    "indicator.clustering": {"ja": "クラスター係数", "en": "Clustering"},
    "indicator.clustering.def": {
        "ja": "つながり先どうしもつながっている度合いの平均（Watts & Strogatz 1998）。",
        "en": "How often an organisation's partners are also tied to each other, on average (Watts & Strogatz 1998).",
    },
    "indicator.mean_path_length": {"ja": "平均経路長", "en": "Mean path length"},
    "indicator.mean_path_length.def": {
        "ja": "最大のまとまりの中で、2組織を結ぶ最短のつながりの段数の平均。",
        "en": "Average number of steps between two organisations in the largest cluster.",
    },
    "indicator.degree_centralisation": {"ja": "つながりの集中度", "en": "Degree centralisation"},
    "indicator.degree_centralisation.def": {
        "ja": "つながりが少数の組織に集中している度合い（Freeman 1978）。星型で1。",
        "en": "How far ties concentrate on a few organisations (Freeman 1978); 1 for a star.",
    },
    "indicator.role_assortativity": {"ja": "同じ種別どうしのつながりやすさ", "en": "Ties within a role"},
    "indicator.role_assortativity.def": {
        "ja": "同じ種別の組織どうしがつながる傾向（Newman 2003）。種別をまたぐつながりが多いと負。",
        "en": "Tendency of organisations to tie to their own role (Newman 2003); negative when ties cross roles.",
    },
    "indicator.modularity": {"ja": "モジュラリティ", "en": "Modularity"},
    "indicator.modularity.def": {
        "ja": "ネットワークがはっきりした集団に分かれている度合い（Louvain 法による分割）。",
        "en": "How clearly the network splits into communities (Louvain partition).",
    },
    "indicator.supported_firm_share": {"ja": "支援を受ける企業の割合", "en": "Firms with any support"},
    "indicator.supported_firm_share.def": {
        "ja": "支援の記録が1件以上ある企業の割合。",
        "en": "Share of firms with at least one recorded support tie.",
    },
    "indicator.phase_coverage": {"ja": "フェーズ別の支援カバー率", "en": "Phase coverage"},
    "indicator.phase_coverage.def": {
        "ja": "フェーズごとに、そのフェーズを支援する機関に（紹介や所属を通じても）届く企業の割合。",
        "en": "For each phase, the share of firms that reach a support body serving it "
        "(directly, by referral or through a membership).",
    },
    "indicator.top_brokers": {"ja": "主要な橋渡し役", "en": "Top brokers"},
    "indicator.top_brokers.def": {
        "ja": "ほかの2組織を結ぶ最短のつながりの途中に最も多く位置する組織（最大5）。つながりのない組織は含まない。",
        "en": "The organisations (up to five) that most often sit on the shortest route between two others; "
        "an organisation without ties is never one.",
    },
    "indicator.triple_helix": {"ja": "産学官の相乗効果 T(UIG)", "en": "University–industry–government synergy T(UIG)"},
    "indicator.triple_helix.def": {
        "ja": "大学・産業・行政の3部門がつながりの中で出会う度合い（Leydesdorff 2003、単位 bits）。"
        "負の値は相乗効果を示す。95%区間はブートストラップによる。",
        "en": "How far university, industry and government meet around organisations (Leydesdorff 2003, in bits); "
        "negative means synergy. The 95% interval is a bootstrap interval.",
    },
}
