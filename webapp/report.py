"""Regional briefs and the three-region comparison as self-contained HTML (issue 6, Reports).

A producer hands the brief out at a meeting, usually printed: so the document is one HTML file with
no external resources (inline CSS and an inline SVG figure), laid out for A4 with ``@page`` and set
in Noto Sans CJK JP, which ``report_files`` prints to PDF with headless Chromium. The same collected
content also becomes spreadsheet sheets (:func:`region_sheets`).

The module is split so that each step does one thing:

* ``collect_*`` run analytics on the graph and gather everything a report states into plain,
  language-independent data (bilingual text stays ``{"ja", "en"}``). Analytics is developed in
  parallel, so gaps and the indicator table go through the web app's normalisers
  (``webapp.data.normalise_*``) and, when a module is missing or fails, every part falls back to the
  web app's built-in estimates: a report shows what the web pages show, and says when it is an estimate.
* ``render_*`` turn that data into HTML in one language; every value is escaped.
* :func:`region_report` and :func:`comparison_report` compose the two for callers that want HTML.

The network figure is drawn here as SVG by hand from a seeded ``networkx.spring_layout``:
matplotlib is not a dependency, the figure needs only circles, lines and text, and an inline
vector figure prints sharply and keeps the HTML a single file.
"""

from __future__ import annotations

import html
import logging
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import networkx as nx

from analytics.compare import compare_regions
from analytics.gaps import find_gaps
from analytics.measures import analyze_region
from analytics.orggraph import organisation_graph
from analytics.recommend import recommend
from graph.schema import PHASE_LABELS, ROLE_LABEL_NAMES, ROLE_LABELS
from graph.views import region_id, region_subgraph
from webapp.data import flatten_indicators, node_kind
from webapp.elements import KIND_COLOURS

__all__ = [
    "LANGS",
    "ROLE_COLOURS",
    "STRINGS",
    "ComparisonData",
    "RegionData",
    "collect_comparison",
    "collect_region",
    "comparison_report",
    "comparison_sheets",
    "region_report",
    "region_sheets",
    "render_comparison",
    "render_region",
    "uses_gbiz",
]

log = logging.getLogger(__name__)

LANGS: Final[tuple[str, ...]] = ("ja", "en")

#: Every user-facing string of the reports, in both languages (one table, so none is forgotten).
STRINGS: Final[dict[str, dict[str, str]]] = {
    "title.region": {"ja": "地域知財エコシステム・レポート", "en": "Regional IP ecosystem brief"},
    "title.compare": {"ja": "モデル地域比較レポート", "en": "Model-region comparison"},
    "subtitle": {
        "ja": "知財経営支援ネットワーク　地域の支援関係の概観",
        "en": "IP management support network: who supports whom in the region",
    },
    "meta.generated": {"ja": "作成日時", "en": "Generated"},
    "meta.version": {"ja": "データ版", "en": "Data version"},
    "meta.region": {"ja": "地域", "en": "Region"},
    "meta.regions": {"ja": "対象地域", "en": "Regions"},
    "banner.synthetic": {"ja": "合成デモデータを含みます", "en": "Includes synthetic demo data"},
    "banner.synthetic.detail": {
        "ja": "組織の {orgs}、関係の {ties} は説明用に生成した架空のデータです（図では破線）。"
        "実在の組織・支援実績と混同しないでください。",
        "en": "{orgs} of organisations and {ties} of relationships are generated, fictitious demo data "
        "(dashed in the figure). Do not read them as real organisations or engagements.",
    },
    "banner.estimate": {
        "ja": "一部の指標は簡易推定です（分析モジュール未導入のため）：{parts}",
        "en": "Some results are built-in estimates (analytics module not available): {parts}",
    },
    "part.measures": {"ja": "中心性", "en": "centrality"},
    "part.gaps": {"ja": "ギャップ", "en": "gaps"},
    "part.indicators": {"ja": "指標", "en": "indicators"},
    "part.recommend": {"ja": "提案", "en": "suggestions"},
    "keyfacts": {"ja": "概要", "en": "At a glance"},
    "fact.organisations": {"ja": "組織", "en": "Organisations"},
    "fact.ties": {"ja": "組織間のつながり", "en": "Ties between organisations"},
    "fact.gaps": {"ja": "ギャップ", "en": "Gaps found"},
    "fact.synthetic": {"ja": "合成データの割合（組織）", "en": "Synthetic share (organisations)"},
    "fact.tied": {"ja": "つながりが記録された組織", "en": "Organisations with a recorded tie"},
    "sec.indicators": {"ja": "主要指標", "en": "Summary indicators"},
    "sec.figure": {"ja": "ネットワーク図", "en": "Network figure"},
    "sec.hubs": {"ja": "ハブ（つながりの多い組織）", "en": "Hubs (most-connected organisations)"},
    "sec.brokers": {"ja": "ブローカー（橋渡し役の組織）", "en": "Brokers (organisations that bridge others)"},
    "sec.gaps": {"ja": "ギャップ（支援の空白）", "en": "Gaps in support"},
    "sec.suggestions": {"ja": "提案", "en": "Suggestions"},
    "sec.completeness": {"ja": "データの充足度と合成データ", "en": "Data completeness and synthetic share"},
    "sec.sources": {"ja": "データの出典", "en": "Data sources"},
    "sec.regions": {"ja": "地域別の要点", "en": "Region by region"},
    "col.indicator": {"ja": "指標", "en": "Indicator"},
    "col.value": {"ja": "値", "en": "Value"},
    "col.definition": {"ja": "定義", "en": "Definition"},
    "col.rank": {"ja": "順位", "en": "#"},
    "col.name": {"ja": "名称", "en": "Name"},
    "col.role": {"ja": "種別", "en": "Role"},
    "col.degree": {"ja": "つながり先数", "en": "Partners"},
    "col.betweenness": {"ja": "媒介中心性", "en": "Betweenness"},
    "col.pagerank": {"ja": "PageRank", "en": "PageRank"},
    "col.kind": {"ja": "種類", "en": "Kind"},
    "col.phase": {"ja": "フェーズ", "en": "Phase"},
    "col.explanation": {"ja": "説明", "en": "Explanation"},
    "col.subjects": {"ja": "対象", "en": "Concerns"},
    "col.firm": {"ja": "企業", "en": "Firm"},
    "col.uncovered": {"ja": "支援のないフェーズ", "en": "Phases without support"},
    "col.suggestion": {"ja": "提案先と理由", "en": "Suggested partner or programme, and why"},
    "col.source": {"ja": "データセット", "en": "Dataset"},
    "col.nodes": {"ja": "ノード", "en": "Nodes"},
    "col.relationships": {"ja": "関係", "en": "Relationships"},
    "col.evidence": {"ja": "根拠URL", "en": "Evidence URL"},
    "col.count": {"ja": "件数", "en": "Records"},
    "col.item": {"ja": "項目", "en": "Item"},
    "col.synthetic": {"ja": "合成", "en": "Synthetic"},
    "col.count_by_kind": {"ja": "種類別の件数", "en": "Count by kind"},
    "def.degree": {
        "ja": "つながり先数：支援・紹介・共同研究・資金・所属の関係で結ばれた組織の数。",
        "en": "Partners: organisations tied by support, referral, collaboration, finance or part-of ties.",
    },
    "def.betweenness": {
        "ja": "媒介中心性：他の組織同士を結ぶ最短経路がその組織を通る割合（0〜1）。高いほど橋渡し役。",
        "en": "Betweenness: share of shortest paths between other organisations that pass through it (0–1).",
    },
    "def.pagerank": {
        "ja": "PageRank：つながりの多い組織とつながるほど高くなる重要度（合計1）。",
        "en": "PageRank: importance that grows with ties to well-connected organisations (sums to 1).",
    },
    "figure.caption": {
        "ja": "地域の組織（{n}）と組織間のつながり（{m}）。色は種別、円の大きさはつながり先数、"
        "破線の円は合成データ。配置は spring layout（seed 42）。",
        "en": "The region's organisations ({n}) and the ties between them ({m}). Colour = role, size = "
        "partners, dashed outline = synthetic. Spring layout (seed 42).",
    },
    "legend.synthetic": {"ja": "合成データ", "en": "Synthetic"},
    "figure.isolates": {
        "ja": "つながりの記録がない組織（{n}）",
        "en": "Organisations with no recorded tie ({n})",
    },
    "legend.real": {"ja": "実データ", "en": "Real"},
    "figure.empty": {"ja": "この地域には組織が記録されていません。", "en": "No organisations are recorded here."},
    "gaps.none": {"ja": "ギャップは見つかりませんでした。", "en": "No gaps were found."},
    "gaps.shown": {
        "ja": "種類ごとに順位の高いものから {shown} 件を表示（全 {total} 件）。全件はスプレッドシート版にあります。",
        "en": "{shown} of {total} shown, the best-ranked of each kind in turn; the spreadsheet version lists all.",
    },
    "gaps.caveat": {
        "ja": "つながりが記録されていないことは、データが欠けているだけの場合もあります（下の充足度を参照）。",
        "en": "A missing tie may only mean missing data: see completeness below.",
    },
    "suggest.intro": {
        "ja": "支援のないフェーズが最も多い企業について、連携先候補とプログラムを示します。",
        "en": "For the firms with the most phases left without support: candidate partners and programmes.",
    },
    "suggest.none": {"ja": "提案はありません。", "en": "No suggestions."},
    "suggest.partner": {"ja": "連携先", "en": "Partner"},
    "suggest.support": {"ja": "支援機関", "en": "Support body"},
    "suggest.programme": {"ja": "プログラム", "en": "Programme"},
    "completeness.organisations": {"ja": "地域の組織数", "en": "Organisations in the region"},
    "completeness.synthetic_orgs": {"ja": "うち合成データ", "en": "of which synthetic"},
    "completeness.synthetic_ties": {"ja": "合成データの関係の割合", "en": "Share of relationships that are synthetic"},
    "completeness.with_evidence": {"ja": "根拠（URL等）のある実データの割合", "en": "Real records with evidence"},
    "sources.evidence_more": {"ja": "ほか {n} 件", "en": "and {n} more"},
    "sources.none": {"ja": "根拠URLは記録されていません。", "en": "No evidence URLs are recorded."},
    "attribution.gbiz": {
        "ja": "出典：gBizINFO（経済産業省）",
        "en": "出典：gBizINFO（経済産業省） / Source: gBizINFO (METI)",
    },
    "footer": {
        "ja": "ipeco により作成。指標の定義は各表に記載。",
        "en": "Made with ipeco. Indicator definitions are given with each table.",
    },
    "yes": {"ja": "はい", "en": "yes"},
    "phase.none": {"ja": "—", "en": "—"},
}

#: Gap kinds (DESIGN §4) in words; an unknown kind is shown as its key.
GAP_KINDS: Final[dict[str, dict[str, str]]] = {
    "phase_coverage": {"ja": "フェーズの支援不足", "en": "Phase coverage"},
    "missing_role": {"ja": "不足している主体", "en": "Missing role"},
    "isolated": {"ja": "孤立・周辺の主体", "en": "Isolated actor"},
    "peripheral": {"ja": "孤立・周辺の主体", "en": "Peripheral actor"},
    "fragile_bridge": {"ja": "脆弱な橋渡し", "en": "Fragile bridge"},
    "articulation_point": {"ja": "脆弱な橋渡し（要の組織）", "en": "Fragile bridge (cut organisation)"},
    "bridge": {"ja": "脆弱な橋渡し（要の関係）", "en": "Fragile bridge (cut tie)"},
    "liaison": {"ja": "連携の欠如", "en": "Liaison gap"},
    "unmet_match": {"ja": "未実現のマッチング", "en": "Unmet match"},
}

#: Okabe & Ito (2008) colours per role: the web map's own assignment, so both read alike.
ROLE_COLOURS: Final[dict[str, str]] = {role: KIND_COLOURS[role] for role in ROLE_LABELS}
_OTHER_COLOUR: Final = "#7F7F7F"

#: How much of each list a printed brief shows (the spreadsheet carries everything).
TOP_HUBS: Final = 10
TOP_GAPS: Final = 15
TOP_SUGGESTED_FIRMS: Final = 3
TOP_EVIDENCE: Final = 12
LAYOUT_SEED: Final = 42


def t(key: str, lang: str, **values: Any) -> str:
    """The string ``key`` in ``lang`` with ``{placeholders}`` filled (unescaped: escape on output)."""
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        msg = f"unknown report language {lang!r}; choose one of {', '.join(LANGS)}"
        raise ValueError(msg)


def _e(value: Any) -> str:
    """Escape any value for HTML text and attributes."""
    return html.escape("" if value is None else str(value), quote=True)


# --- collected data --------------------------------------------------------------------------------
@dataclass
class RegionData:
    """Everything a regional brief states, language-independent (bilingual text as ``{"ja", "en"}``)."""

    region: str
    name: dict[str, str]
    indicators: list[dict[str, Any]]
    hubs: list[dict[str, Any]]
    brokers: list[dict[str, Any]]
    gaps: list[dict[str, Any]]
    completeness: dict[str, Any]
    suggestions: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    evidence: list[tuple[str, int]]
    synthetic: dict[str, Any]
    gbiz: bool
    figure: dict[str, Any]
    estimates: list[str] = field(default_factory=list)

    @property
    def has_synthetic(self) -> bool:
        return bool(self.synthetic["orgs"] or self.synthetic["ties"])


@dataclass
class ComparisonData:
    """The comparison: one indicator table over all regions, and each region's collected brief."""

    regions: list[RegionData]
    indicators: list[dict[str, Any]]
    estimates: list[str] = field(default_factory=list)

    @property
    def has_synthetic(self) -> bool:
        return any(r.has_synthetic for r in self.regions)

    @property
    def gbiz(self) -> bool:
        return any(r.gbiz for r in self.regions)


def _region_view(graph: nx.MultiDiGraph, region: str) -> nx.MultiDiGraph:
    """The region's view; ``graph`` may already be it (``region_subgraph`` records its region)."""
    if graph.graph.get("region") == region_id(region):
        return graph
    return region_subgraph(graph, region)


def uses_gbiz(graphs: Iterable[nx.MultiDiGraph]) -> bool:
    """True when any node or relationship came from a gBizINFO dataset (its terms require attribution)."""
    for g in graphs:
        if any(str(d.get("source", "")).startswith("gbiz") for _, d in g.nodes(data=True)):
            return True
        if any(str(d.get("source", "")).startswith("gbiz") for _, _, d in g.edges(data=True)):
            return True
    return False


def _names(attrs: Mapping[str, Any], fallback: str) -> dict[str, str]:
    ja = str(attrs.get("name") or attrs.get("name_en") or fallback)
    return {"ja": ja, "en": str(attrs.get("name_en") or ja)}


def _in_region_orgs(view: nx.MultiDiGraph) -> list[str]:
    return [n for n, d in view.nodes(data=True) if d.get("in_region") and "Organization" in d.get("labels", ())]


def _measures(view: nx.MultiDiGraph, region: str) -> tuple[dict[str, dict[str, Any]], dict[str, Any] | None]:
    """Per-node measures and the raw ``analyze_region`` result (the web app's estimates are gone, issue 11)."""
    raw = analyze_region(view, region)
    return {str(k): dict(v) for k, v in raw["nodes"].items()}, raw


def _gaps(view: nx.MultiDiGraph, region: str) -> dict[str, Any]:
    raw = find_gaps(view, region)
    return {"gaps": raw["gaps"], "completeness": raw["completeness"], "fallback": False}


def _compare(views: Mapping[str, nx.MultiDiGraph], analyses: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The indicator table of ``views``; ``analyses`` (``analyze_region`` results) spare recomputing."""
    known = {k: v for k, v in (analyses or {}).items() if v is not None}
    raw = compare_regions(dict(views), analyses=known or None)
    rows = [{key: row[key] for key in ("key", "values", "label", "definition")} for row in raw["indicators"]]
    return {"regions": list(views), "indicators": flatten_indicators(rows), "fallback": False}


def _entries(items: Any, view: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Suggestion entries as ``{"id", "name", "name_en", "phase", "reasons": [{"ja", "en"}], "synthetic"}``."""
    out = []
    for item in items or []:
        if not isinstance(item, Mapping):
            continue
        node = str(item.get("id") or item.get("node") or "")
        attrs = view.nodes[node] if node in view else {}
        reasons = item.get("reasons") or item.get("reason") or []
        reasons = [reasons] if isinstance(reasons, str | Mapping) else list(reasons)
        out.append(
            {
                "id": node,
                "name": str(item.get("name") or attrs.get("name") or node),
                "name_en": str(attrs.get("name_en") or ""),
                "phase": item.get("phase"),
                "reasons": [_bilingual(r) for r in reasons],
                "synthetic": bool(attrs.get("synthetic")),
            }
        )
    return out


def _bilingual(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        ja = str(value.get("ja") or value.get("en") or "")
        return {"ja": ja, "en": str(value.get("en") or ja)}
    return {"ja": str(value), "en": str(value)}


def _recommend(view: nx.MultiDiGraph, org: str) -> dict[str, Any]:
    """Support bodies, partners and programmes for one firm, each with its phase and reasons."""
    raw: Mapping[str, Any] = recommend(view, org)
    fallback = False
    return {
        "support": _entries(raw.get("support"), view),
        "partners": _entries(raw.get("partners"), view),
        "programmes": _entries(raw.get("programmes"), view),
        "fallback": fallback,
    }


def _ranked(
    view: nx.MultiDiGraph, orgs: list[str], measures: Mapping[str, Mapping[str, Any]], key: str, tiebreak: str
) -> list[dict[str, Any]]:
    """Organisations with a positive ``key`` measure, best first (ties broken by ``tiebreak``, then id)."""

    def num(node: str, name: str) -> float:
        value = measures.get(node, {}).get(name)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0

    ranked = sorted((n for n in orgs if num(n, key) > 0), key=lambda n: (-num(n, key), -num(n, tiebreak), n))
    return [
        {
            "id": node,
            "name": _names(view.nodes[node], node),
            "role": node_kind(view.nodes[node]),
            "degree": num(node, "degree"),
            "betweenness": num(node, "betweenness"),
            "pagerank": num(node, "pagerank"),
            "synthetic": bool(view.nodes[node].get("synthetic")),
        }
        for node in ranked[:TOP_HUBS]
    ]


def _uncovered_phases(view: nx.MultiDiGraph, gaps: list[dict[str, Any]], firms: list[str]) -> dict[str, list[str]]:
    """Phases each firm lacks support in: from the phase gaps, else from its SUPPORTS ties' phases.

    Gaps are preferred because analytics follows referrals and memberships (DESIGN §4.1); the
    direct-support fallback keeps suggestions meaningful while analytics has not landed.
    """
    firm_set = set(firms)
    found: dict[str, list[str]] = {}
    for gap in gaps:
        phase = gap.get("phase")
        if phase in PHASE_LABELS:
            for subject in gap["subjects"]:
                if subject in firm_set and phase not in found.setdefault(subject, []):
                    found[subject].append(phase)
    if found:
        return found
    for firm in firms:
        served = {d.get("phase") for _, _, d in view.in_edges(firm, data=True) if d.get("type") == "SUPPORTS"}
        missing = [p for p in PHASE_LABELS if p not in served]
        if missing:
            found[firm] = missing
    return found


def _suggestions(
    view: nx.MultiDiGraph, gaps: list[dict[str, Any]], orgs: list[str]
) -> tuple[list[dict[str, Any]], bool]:
    """Suggestions for the firms with the most phases left without support (ties: by id).

    Recommendations are drawn from the region's view so that a producer is pointed at local bodies.
    """
    firms = [n for n in orgs if node_kind(view.nodes[n]) == "Company"]
    uncovered = _uncovered_phases(view, gaps, firms)
    order = list(PHASE_LABELS)
    chosen = sorted(uncovered, key=lambda f: (-len(uncovered[f]), f))[:TOP_SUGGESTED_FIRMS]
    out: list[dict[str, Any]] = []
    fallback = False
    for firm in chosen:
        rec = _recommend(view, firm)
        fallback = fallback or rec["fallback"]
        out.append(
            {
                "id": firm,
                "name": _names(view.nodes[firm], firm),
                "synthetic": bool(view.nodes[firm].get("synthetic")),
                "phases": sorted(uncovered[firm], key=order.index),
                "support": _one_per_phase(rec["support"], 3),
                "partners": rec["partners"][:2],
                "programmes": _one_per_phase(rec["programmes"], 2),
            }
        )
    return out, fallback


def _one_per_phase(entries: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` entries, the best of each phase first, so every uncovered phase gets an answer."""
    picked: list[dict[str, Any]] = []
    seen: set[Any] = set()
    for entry in entries:
        if entry.get("phase") not in seen and entry["id"] not in {p["id"] for p in picked}:
            picked.append(entry)
            seen.add(entry.get("phase"))
    picked += [e for e in entries if e not in picked]
    return picked[:limit]


def _sources(view: nx.MultiDiGraph) -> tuple[list[dict[str, Any]], list[tuple[str, int]]]:
    nodes = Counter(str(d.get("source") or "?") for _, d in view.nodes(data=True))
    edges = Counter(str(d.get("source") or "?") for _, _, d in view.edges(data=True))
    rows = [
        {"source": s, "nodes": nodes.get(s, 0), "relationships": edges.get(s, 0)}
        for s in sorted(nodes.keys() | edges.keys(), key=lambda s: (-(nodes.get(s, 0) + edges.get(s, 0)), s))
    ]
    urls: Counter[str] = Counter()
    for attrs in [*(d for _, d in view.nodes(data=True)), *(d for _, _, d in view.edges(data=True))]:
        evidence = str(attrs.get("evidence") or "")
        if evidence.startswith(("http://", "https://")):
            urls[evidence] += 1
    return rows, sorted(urls.items(), key=lambda kv: (-kv[1], kv[0]))


def _synthetic(view: nx.MultiDiGraph, orgs: list[str]) -> dict[str, Any]:
    org_set = set(orgs)
    ties = [d for u, v, d in view.edges(data=True) if u in org_set or v in org_set]
    real = [d for _, d in view.nodes(data=True) if not d.get("synthetic")]
    real += [d for d in ties if not d.get("synthetic")]
    with_evidence = sum(1 for d in real if d.get("evidence"))
    synthetic_orgs = sum(1 for n in orgs if view.nodes[n].get("synthetic"))
    synthetic_ties = sum(1 for d in ties if d.get("synthetic"))
    return {
        "orgs": synthetic_orgs,
        "orgs_total": len(orgs),
        "orgs_share": synthetic_orgs / len(orgs) if orgs else 0.0,
        "ties": synthetic_ties,
        "ties_total": len(ties),
        "ties_share": synthetic_ties / len(ties) if ties else 0.0,
        "evidence_share": with_evidence / len(real) if real else 0.0,
    }


def _figure(view: nx.MultiDiGraph, hubs: list[dict[str, Any]]) -> dict[str, Any]:
    """Seeded spring layout of the tied organisations (unit square) and the list of untied ones.

    Organisations without any tie are left out of the layout: a spring layout pushes them to the rim
    and squeezes the network into a dot. They are drawn in a band of their own instead, which also
    shows at a glance how many actors are isolated (DESIGN §4.3).
    """
    org_graph = organisation_graph(view)
    tied = [n for n in org_graph if org_graph.degree(n) > 0]
    pos: dict[Any, tuple[float, float]] = {}
    if tied:
        raw = nx.spring_layout(org_graph.subgraph(tied), seed=LAYOUT_SEED, iterations=150)
        xs = [float(p[0]) for p in raw.values()]
        ys = [float(p[1]) for p in raw.values()]
        span_x = (max(xs) - min(xs)) or 1.0
        span_y = (max(ys) - min(ys)) or 1.0
        pos = {n: ((float(p[0]) - min(xs)) / span_x, (float(p[1]) - min(ys)) / span_y) for n, p in raw.items()}
    labelled = {h["id"] for h in hubs[:8]}

    def node(n: Any, d: Mapping[str, Any]) -> dict[str, Any]:
        x, y = pos.get(n, (0.5, 0.5))
        return {
            "id": n,
            "x": x,
            "y": y,
            "role": d.get("role"),
            "synthetic": bool(d.get("synthetic")),
            "degree": org_graph.degree(n),
            "name": _names(view.nodes[n], n) if n in labelled else None,
        }

    order = {role: i for i, role in enumerate(ROLE_LABELS)}
    isolates = sorted(
        (n for n in org_graph if org_graph.degree(n) == 0),
        key=lambda n: (order.get(org_graph.nodes[n].get("role"), 99), n),
    )
    return {
        "nodes": [node(n, org_graph.nodes[n]) for n in tied],
        "isolates": [node(n, org_graph.nodes[n]) for n in isolates],
        "edges": list(org_graph.edges()),
        "ties": org_graph.number_of_edges(),
        "organisations": org_graph.number_of_nodes(),
    }


def collect_region(
    graph: nx.MultiDiGraph,
    region: str,
    *,
    suggestions: bool = True,
    table: Mapping[str, Any] | None = None,
    analysis: tuple[dict[str, dict[str, Any]], dict[str, Any] | None] | None = None,
) -> RegionData:
    """Run analytics for ``region`` of ``graph`` (the whole stored graph, or the region's view) and
    gather the brief's content.

    ``table`` (a normalised comparison table holding this region) and ``analysis`` (the result of
    ``_measures``) let :func:`collect_comparison` compute those once for all regions. Raises
    ``KeyError`` naming the known regions when ``region`` is not in the graph.
    """
    region = region.removeprefix("region:")
    view = _region_view(graph, region)
    orgs = _in_region_orgs(view)
    measures, raw_analysis = analysis if analysis is not None else _measures(view, region)
    gap_result = _gaps(view, region)
    if table is None:
        table = _compare({region: view}, {region: raw_analysis})
    indicators = [{**row, "value": row["values"].get(region)} for row in table["indicators"]]
    hubs = _ranked(view, orgs, measures, "degree", "pagerank")
    brokers = _ranked(view, orgs, measures, "betweenness", "degree")
    gaps = sorted(gap_result["gaps"], key=lambda g: (_rank(g), g["kind"]))
    suggested, r_fallback = _suggestions(view, gaps, orgs) if suggestions else ([], False)
    sources, evidence = _sources(view)
    estimates = [
        part
        for part, flag in (
            ("part.measures", raw_analysis is None),
            ("part.gaps", gap_result["fallback"]),
            ("part.indicators", table["fallback"]),
            ("part.recommend", r_fallback),
        )
        if flag
    ]
    return RegionData(
        region=region,
        name=_names(view.nodes[region_id(region)], region),
        indicators=indicators,
        hubs=hubs,
        brokers=brokers,
        gaps=gaps,
        completeness=gap_result["completeness"],
        suggestions=suggested,
        sources=sources,
        evidence=evidence,
        synthetic=_synthetic(view, orgs),
        gbiz=uses_gbiz([view]),
        figure=_figure(view, hubs),
        estimates=estimates,
    )


def _rank(gap: Mapping[str, Any]) -> float:
    rank = gap.get("rank")
    return float(rank) if isinstance(rank, int | float) and not isinstance(rank, bool) else math.inf


def collect_comparison(graphs: Mapping[str, nx.MultiDiGraph]) -> ComparisonData:
    """Collect each region's brief (without suggestions) and one indicator table over all regions.

    ``graphs`` maps a region key to the whole graph or to that region's view; passing the same whole
    graph for every region is the usual call.
    """
    views = {key.removeprefix("region:"): _region_view(g, key.removeprefix("region:")) for key, g in graphs.items()}
    analyses = {key: _measures(view, key) for key, view in views.items()}
    table = _compare(views, {key: raw for key, (_, raw) in analyses.items()})
    regions = [
        collect_region(view, key, suggestions=False, table=table, analysis=analyses[key]) for key, view in views.items()
    ]
    estimates = sorted({p for r in regions for p in r.estimates})
    return ComparisonData(regions=regions, indicators=table["indicators"], estimates=estimates)


# --- formatting ------------------------------------------------------------------------------------
def _fmt(value: Any, lang: str) -> str:
    """Numbers as people read them: thousands separators, at most three decimals, no float noise."""
    if isinstance(value, bool):
        return t("yes", lang) if value else "—"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return "—"
        if value.is_integer() and abs(value) >= 1:
            return f"{int(value):,}"
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(_fmt(v, lang) for v in value)
    return str(value)


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def _role_name(role: str | None, lang: str) -> str:
    if role in ROLE_LABEL_NAMES:
        return ROLE_LABEL_NAMES[role][0 if lang == "ja" else 1]
    return role or ""


def _phase_name(phase: Any, lang: str) -> str:
    if phase in PHASE_LABELS:
        return PHASE_LABELS[phase][0 if lang == "ja" else 1]
    return t("phase.none", lang) if not phase else str(phase)


def _gap_kind(kind: str, lang: str) -> str:
    return GAP_KINDS.get(kind, {}).get(lang, kind)


_COMPLETENESS_LABELS: Final[dict[str, dict[str, str]]] = {
    "organisations": {"ja": "組織数", "en": "Organisations"},
    "firms": {"ja": "企業数", "en": "Firms"},
    "firms_with_support_record": {"ja": "支援記録のある企業数", "en": "Firms with a support record"},
    "tied_share": {"ja": "他の組織とのつながりが記録された組織の割合", "en": "Organisations with a recorded tie"},
    "synthetic_node_share": {"ja": "合成データの割合（ノード）", "en": "Synthetic share of nodes"},
    "synthetic_edge_share": {"ja": "合成データの割合（関係）", "en": "Synthetic share of relationships"},
    "untied_by_role": {"ja": "つながりのない組織（種別ごと）", "en": "Organisations without ties, by role"},
}


def _completeness_label(key: str) -> dict[str, str]:
    words = key.replace("_", " ")
    return _COMPLETENESS_LABELS.get(key, {"ja": words, "en": words[:1].upper() + words[1:]})


def _completeness_value(key: str, value: Any, lang: str) -> str:
    if key.endswith("_share") and isinstance(value, int | float) and not isinstance(value, bool):
        return _pct(float(value))
    return _fmt_indicator(value, lang)


def _definition(row: Mapping[str, Any], lang: str) -> str:
    return row["definition"][lang]


def _fmt_indicator(value: Any, lang: str) -> str:
    """An indicator value, including the structured ones: shares by phase, counts by role, T(UIG)."""
    sep = "・" if lang == "ja" else " · "
    if isinstance(value, Mapping):
        if value and all(k in PHASE_LABELS for k in value):
            return sep.join(
                f"{_phase_name(k, lang)} {_pct(v) if isinstance(v, int | float) else '—'}" for k, v in value.items()
            )
        if value and all(k in ROLE_LABEL_NAMES for k in value):
            return sep.join(f"{_role_name(k, lang)} {_fmt(v, lang)}" for k, v in value.items() if v)
        if "t_bits" in value:
            ci = value.get("ci95") or [None, None]
            return f"{_fmt(value['t_bits'], lang)} bits (95% CI {_fmt(ci[0], lang)} – {_fmt(ci[1], lang)})"
        return sep.join(f"{k}: {_fmt_indicator(v, lang)}" for k, v in value.items())
    if isinstance(value, list | tuple) and value and all(isinstance(v, Mapping) for v in value):
        return ("、" if lang == "ja" else ", ").join(
            str(v.get("name_en") if lang == "en" and v.get("name_en") else v.get("name") or v.get("id", ""))
            for v in value
        )
    return _fmt(value, lang)


# --- HTML ------------------------------------------------------------------------------------------
_CSS: Final = """
@page { size: A4; margin: 14mm 13mm 15mm 13mm;
  @bottom-left { content: var(--footer); font-size: 7pt; color: #555; }
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 7pt; color: #555; } }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif;
  font-size: 9pt; line-height: 1.5; color: #1a1a1a; margin: 0 auto; max-width: 184mm; }
h1 { font-size: 17pt; margin: 0 0 1mm; line-height: 1.25; }
h1 .en { display: block; font-size: 11pt; font-weight: normal; color: #444; }
h2 { font-size: 11.5pt; margin: 5mm 0 2mm; padding-bottom: 0.8mm; border-bottom: 0.6mm solid #0072B2;
  break-after: avoid; }
h3 { font-size: 10pt; margin: 3mm 0 1.5mm; break-after: avoid; }
p { margin: 1mm 0 2mm; }
.sub { color: #444; margin: 0 0 2mm; }
.meta { display: flex; flex-wrap: wrap; gap: 1mm 6mm; font-size: 8.5pt; color: #333; margin-bottom: 3mm; }
.meta b { font-weight: bold; margin-right: 1.5mm; }
.banner { border: 0.5mm solid #D55E00; border-left-width: 2.5mm; background: #fff3ea; padding: 2mm 3mm;
  margin: 2mm 0 3mm; }
.banner strong { font-size: 11pt; color: #8a3300; display: block; }
.note { border-left: 1.2mm solid #999; background: #f3f3f3; padding: 1.2mm 2.5mm; margin: 2mm 0; font-size: 8pt; }
.attribution { font-weight: bold; margin: 2mm 0; }
.facts { display: grid; grid-template-columns: repeat(5, 1fr); gap: 2mm; margin: 2mm 0 1mm; }
.fact { border: 0.3mm solid #d0d0d0; border-radius: 1mm; padding: 1.5mm 2mm; }
.fact .v { font-size: 14pt; font-weight: bold; line-height: 1.2; }
.fact .k { font-size: 7.5pt; color: #444; }
.fact.warn { border-color: #D55E00; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 2mm; font-size: 8pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border-bottom: 0.25mm solid #d0d0d0; padding: 0.9mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eef4f9; font-weight: bold; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.def { color: #444; }
td.nowrap { white-space: nowrap; }
td.val { overflow-wrap: anywhere; }
table.fixed { table-layout: fixed; }
td { overflow-wrap: anywhere; }
.tag { display: inline-block; font-size: 6.5pt; border: 0.25mm dashed #8a3300; color: #8a3300; border-radius: 0.8mm;
  padding: 0 0.8mm; margin-left: 1mm; vertical-align: middle; white-space: nowrap; }
figure { margin: 1mm 0 2mm; break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; border: 0.3mm solid #e2e2e2; }
figcaption { font-size: 7.5pt; color: #444; margin-top: 1mm; }
.defs { font-size: 7.5pt; color: #444; margin: 0 0 2mm; padding-left: 4mm; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; }
.cols3 { display: grid; grid-template-columns: repeat(3, 1fr); gap: 3mm; }
.cols3 figure svg { border: 0.3mm solid #e2e2e2; }
ul.reasons { margin: 0; padding-left: 4mm; }
.url { word-break: break-all; font-size: 7.5pt; }
.page-break { break-before: page; }
footer { margin-top: 4mm; font-size: 7.5pt; color: #555; border-top: 0.3mm solid #d0d0d0; padding-top: 1mm; }
"""


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string, every character that could end it or the style element escaped.

    Inside ``<style>`` HTML entities are not decoded, so html.escape would print ``&amp;`` literally;
    CSS hex escapes (``\\3c``) are both safe and shown as the character.
    """
    safe = "".join(ch if ch.isalnum() or ch in " ·-_.:/()," else f"\\{ord(ch):x} " for ch in text)
    return f'"{safe}"'


def _document(title: str, lang: str, body: str, footer: str) -> str:
    # The running page footer (an @page margin box) can only show a CSS string: passed as a variable.
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="ipeco">\n<title>{_e(title)}</title>\n'
        f"<style>:root {{ --footer: {_css_string(footer)}; }}{_CSS}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def _meta(lang: str, generated_at: str, data_version: str, extra: list[tuple[str, str]]) -> str:
    items = [*extra, (t("meta.generated", lang), generated_at), (t("meta.version", lang), data_version)]
    return '<div class="meta">' + "".join(f"<span><b>{_e(k)}</b>{_e(v)}</span>" for k, v in items) + "</div>"


def _banners(lang: str, synthetic: Mapping[str, Any] | None, estimates: list[str], gbiz: bool) -> str:
    out = []
    if synthetic is not None:
        detail = t(
            "banner.synthetic.detail", lang, orgs=_pct(synthetic["orgs_share"]), ties=_pct(synthetic["ties_share"])
        )
        out.append(
            f'<div class="banner" role="note"><strong>{_e(t("banner.synthetic", lang))}</strong>{_e(detail)}</div>'
        )
    if estimates:
        parts = ("、" if lang == "ja" else ", ").join(t(p, lang) for p in estimates)
        out.append(f'<div class="note">{_e(t("banner.estimate", lang, parts=parts))}</div>')
    if gbiz:
        out.append(f'<p class="attribution">{_e(t("attribution.gbiz", lang))}</p>')
    return "\n".join(out)


def _table(
    headers: list[tuple[str, str]], rows: Iterable[list[tuple[str, str]]], *, widths: Iterable[float] = ()
) -> str:
    """A table from ``(css class, already-escaped html)`` cells; headers are ``(class, text)``.

    ``widths`` (percent per column) fix the layout, so that one long cell cannot widen the table
    past the page, which makes Chromium shrink the whole page to fit.
    """
    cols = "".join(f'<col style="width:{w:g}%">' for w in widths)
    fixed = ' class="fixed"' if cols else ""
    head = "".join(f'<th class="{c}">{_e(text)}</th>' for c, text in headers)
    body = "".join("<tr>" + "".join(f'<td class="{c}">{cell}</td>' for c, cell in row) + "</tr>" for row in rows)
    return f"<table{fixed}><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _synthetic_tag(flag: bool, lang: str) -> str:
    return f'<span class="tag">{_e(t("legend.synthetic", lang))}</span>' if flag else ""


def _value_class(value: Any) -> str:
    """Numbers align right and never wrap; structured values (lists of names, shares by phase) wrap."""
    return "num" if value is None or isinstance(value, int | float) else "val"


def _indicator_table(indicators: list[dict[str, Any]], lang: str) -> str:
    rows = [
        [
            ("", _e(row["label"][lang])),
            (_value_class(row.get("value")), _e(_fmt_indicator(row.get("value"), lang))),
            ("def", _e(_definition(row, lang))),
        ]
        for row in indicators
    ]
    headers = [("", t("col.indicator", lang)), ("num", t("col.value", lang)), ("", t("col.definition", lang))]
    return _table(headers, rows, widths=(28, 24, 48))


def _actor_table(actors: list[dict[str, Any]], lang: str) -> str:
    rows = [
        [
            ("num", str(i)),
            ("", _e(a["name"][lang]) + _synthetic_tag(a["synthetic"], lang)),
            ("", _e(_role_name(a["role"], lang))),
            ("num", _e(_fmt(a["degree"], lang))),
            ("num", _e(_fmt(a["betweenness"], lang))),
            ("num", _e(_fmt(a["pagerank"], lang))),
        ]
        for i, a in enumerate(actors, 1)
    ]
    headers = [
        ("num", t("col.rank", lang)),
        ("", t("col.name", lang)),
        ("", t("col.role", lang)),
        ("num", t("col.degree", lang)),
        ("num", t("col.betweenness", lang)),
        ("num", t("col.pagerank", lang)),
    ]
    return _table(headers, rows)


def _text_width(text: str, size: float) -> float:
    """Rough rendered width: CJK glyphs are about one em wide, Latin ones a little over half."""
    return sum(size if ord(ch) > 0x2E80 else 0.56 * size for ch in text)


def _dash(synthetic: bool) -> str:
    if synthetic:
        return 'stroke="#333" stroke-width="0.9" stroke-dasharray="1.6 1.2"'
    return 'stroke="#1a1a1a" stroke-width="0.6"'


def _svg_legend(nodes: list[dict[str, Any]], lang: str, width: float) -> tuple[list[tuple[float, float, str]], float]:
    """Legend entries laid out left to right with wrapping: ``[(x, y, svg)]`` and the height they take."""
    present = [r for r in ROLE_LABELS if any(n["role"] == r for n in nodes)]
    entries = [(ROLE_COLOURS[r], _role_name(r, lang), False) for r in present]
    if any(n["synthetic"] for n in nodes):
        entries.append(("#ffffff", t("legend.synthetic", lang), True))
    placed: list[tuple[float, float, str]] = []
    x, y = 0.0, 0.0
    for colour, label, dashed in entries:
        w = 24 + _text_width(label, 8.5)
        if x and x + w > width - 20:
            x, y = 0.0, y + 14
        svg = (
            f'<circle cx="{x + 5:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}" {_dash(dashed)}/>'
            f'<text x="{x + 13:.1f}" y="{y + 3:.1f}">{_e(label)}</text>'
        )
        placed.append((x, y, svg))
        x += w
    return placed, y + 16


def _svg_figure(
    figure: Mapping[str, Any], lang: str, *, width: float = 680, height: float = 440, labels: bool = True
) -> str:
    """The organisation network as SVG: ties, role-coloured organisations (synthetic dashed), hub
    labels placed so that they do not overlap, a band of untied organisations, and the legend."""
    nodes, isolates = figure["nodes"], figure["isolates"]
    if not nodes and not isolates:
        return f"<p>{_e(t('figure.empty', lang))}</p>"
    pad = 12.0
    legend, legend_h = _svg_legend([*nodes, *isolates], lang, width - 2 * pad)
    per_row = int((width - 2 * pad) // 9)
    band_h = (24.0 + 9.0 * math.ceil(len(isolates) / per_row)) if isolates else 0.0
    plot_w, plot_h = width - 2 * pad, height - 2 * pad - legend_h - band_h
    max_deg = max((n["degree"] for n in nodes), default=0) or 1
    xy = {n["id"]: (pad + n["x"] * plot_w, pad + (1 - n["y"]) * plot_h) for n in nodes}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="{_e(t("sec.figure", lang))}" font-family="Noto Sans CJK JP, Noto Sans JP, sans-serif">',
        f"<title>{_e(t('sec.figure', lang))}</title>",
        f'<rect x="0" y="0" width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
        '<g stroke="#8a8a8a" stroke-opacity="0.35" stroke-width="0.6">',
    ]
    parts += [
        f'<line x1="{xy[u][0]:.1f}" y1="{xy[u][1]:.1f}" x2="{xy[v][0]:.1f}" y2="{xy[v][1]:.1f}"/>'
        for u, v in figure["edges"]
        if u in xy and v in xy
    ]
    parts.append("</g><g>")
    radius = {n["id"]: 2.4 + 6.5 * math.sqrt(n["degree"] / max_deg) for n in nodes}
    for n in sorted(nodes, key=lambda n: n["degree"]):  # hubs last, so on top
        x, y = xy[n["id"]]
        colour = ROLE_COLOURS.get(n["role"] or "", _OTHER_COLOUR)
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius[n["id"]]:.1f}" fill="{colour}" {_dash(n["synthetic"])}/>'
        )
    parts.append("</g>")
    if labels:
        parts.append(_svg_labels(nodes, xy, radius, lang, width, pad + plot_h))
    top = pad + plot_h
    if isolates:
        caption = t("figure.isolates", lang, n=len(isolates))
        parts.append(f'<line x1="{pad}" y1="{top + 6:.1f}" x2="{width - pad}" y2="{top + 6:.1f}" stroke="#d0d0d0"/>')
        parts.append(f'<text x="{pad}" y="{top + 17:.1f}" font-size="8.5" fill="#444">{_e(caption)}</text>')
        for i, n in enumerate(isolates):
            x = pad + 4 + (i % per_row) * 9
            y = top + 27 + (i // per_row) * 9
            colour = ROLE_COLOURS.get(n["role"] or "", _OTHER_COLOUR)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}" {_dash(n["synthetic"])}/>')
        top += band_h
    parts.append(f'<g font-size="8.5" fill="#1a1a1a" transform="translate({pad} {top + 12:.1f})">')
    parts += [svg for _, _, svg in legend]
    parts.append("</g></svg>")
    return "".join(parts)


def _svg_labels(
    nodes: list[dict[str, Any]],
    xy: Mapping[Any, tuple[float, float]],
    radius: Mapping[Any, float],
    lang: str,
    width: float,
    bottom: float,
) -> str:
    """Hub names next to their circles; a name that would overlap one already placed tries the
    other side, above and below, and is left out if all collide (the hubs table names it anyway)."""
    size = 9.0
    placed: list[tuple[float, float, float, float]] = []
    out = [f'<g font-size="{size:.0f}" fill="#1a1a1a" stroke="#ffffff" stroke-width="2.6" paint-order="stroke">']
    for n in sorted((n for n in nodes if n["name"]), key=lambda n: -n["degree"]):
        label = n["name"][lang]
        label = label if len(label) <= 22 else label[:21] + "…"
        w = _text_width(label, size)
        x, y = xy[n["id"]]
        r = radius[n["id"]] + 2
        candidates = [(x + r, y - size / 2), (x - r - w, y - size / 2), (x - w / 2, y - r - size), (x - w / 2, y + r)]
        for lx, ly in candidates:
            box = (lx - 1, ly - 1, lx + w + 1, ly + size + 1)
            inside = box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= bottom
            clear = all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in placed)
            if inside and clear:
                placed.append(box)
                out.append(f'<text x="{lx:.1f}" y="{ly + size * 0.85:.1f}">{_e(label)}</text>')
                break
    out.append("</g>")
    return "".join(out)


def _gap_selection(gaps: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The best-ranked gaps taken kind by kind in turn, then in rank order.

    One kind often dominates the ranking (a hundred firms each lacking three phases), and a printed
    page of one kind hides the others; taking turns shows every kind the analysis found.
    """
    queues: dict[str, list[dict[str, Any]]] = {}
    for gap in gaps:
        queues.setdefault(gap["kind"], []).append(gap)
    picked: list[dict[str, Any]] = []
    while len(picked) < limit and any(queues.values()):
        for queue in queues.values():
            if queue and len(picked) < limit:
                picked.append(queue.pop(0))
    position = {id(g): i for i, g in enumerate(gaps)}
    return sorted(picked, key=lambda g: position[id(g)])


def _gap_table(gaps: list[dict[str, Any]], lang: str, limit: int, caveat: str) -> str:
    if not gaps:
        return f"<p>{_e(t('gaps.none', lang))}</p>"
    shown = _gap_selection(gaps, limit)
    rows = [
        [
            ("num", _e(_fmt(g.get("rank", i), lang))),
            ("nowrap", _e(_gap_kind(g["kind"], lang))),
            ("nowrap", _e(_phase_name(g.get("phase"), lang))),
            ("", _e(g["explanation"][lang])),
        ]
        for i, g in enumerate(shown, 1)
    ]
    headers = [
        ("num", t("col.rank", lang)),
        ("", t("col.kind", lang)),
        ("", t("col.phase", lang)),
        ("", t("col.explanation", lang)),
    ]
    counts = Counter(_gap_kind(g["kind"], lang) for g in gaps)
    summary = ("、" if lang == "ja" else "; ").join(f"{k}: {v}" for k, v in counts.most_common())
    out = [f"<p>{_e(t('col.count_by_kind', lang))} — {_e(summary)}</p>", _table(headers, rows)]
    if len(gaps) > limit:
        out.append(f'<p class="sub">{_e(t("gaps.shown", lang, shown=len(shown), total=len(gaps)))}</p>')
    out.append(f'<p class="sub">{_e(caveat)}</p>')
    return "\n".join(out)


def _caveat(data: RegionData, lang: str) -> str:
    """The analysis' own completeness caveat when it gives one (it quotes the tied share), else ours."""
    caveat = data.completeness.get("caveat")
    if isinstance(caveat, Mapping) and caveat.get(lang):
        return str(caveat[lang])
    return t("gaps.caveat", lang)


def _entry_text(kind: str, entry: Mapping[str, Any], lang: str) -> str:
    name = entry["name_en"] if lang == "en" and entry.get("name_en") else entry["name"]
    reasons = "; ".join(r[lang] for r in entry["reasons"] if r[lang])
    if reasons and (entry["name"] in reasons or name in reasons):
        return f"{t(kind, lang)}: {reasons}"  # the reason already names it
    return f"{t(kind, lang)}: {name}" + (f" — {reasons}" if reasons else "")


def _suggestion_groups(s: Mapping[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    return [
        ("suggest.support", s["support"]),
        ("suggest.partner", s["partners"]),
        ("suggest.programme", s["programmes"]),
    ]


def _suggestion_table(suggestions: list[dict[str, Any]], lang: str) -> str:
    if not suggestions:
        return f"<p>{_e(t('suggest.none', lang))}</p>"
    rows = []
    for s in suggestions:
        items = []
        for kind, entries in _suggestion_groups(s):
            items += [
                f"<li>{_e(_entry_text(kind, entry, lang))}{_synthetic_tag(entry['synthetic'], lang)}</li>"
                for entry in entries
            ]
        cell = f'<ul class="reasons">{"".join(items)}</ul>' if items else _e(t("suggest.none", lang))
        rows.append(
            [
                ("", _e(s["name"][lang]) + _synthetic_tag(s["synthetic"], lang)),
                ("", _e(("、" if lang == "ja" else ", ").join(_phase_name(p, lang) for p in s["phases"]))),
                ("", cell),
            ]
        )
    headers = [("", t("col.firm", lang)), ("", t("col.uncovered", lang)), ("", t("col.suggestion", lang))]
    return f"<p>{_e(t('suggest.intro', lang))}</p>" + _table(headers, rows)


def _completeness_table(data: RegionData, lang: str) -> str:
    syn = data.synthetic
    rows = [
        [("", _e(t("completeness.organisations", lang))), ("num", _e(_fmt(syn["orgs_total"], lang)))],
        [
            ("", _e(t("completeness.synthetic_orgs", lang))),
            ("num", _e(f"{_fmt(syn['orgs'], lang)} ({_pct(syn['orgs_share'])})")),
        ],
        [
            ("", _e(t("completeness.synthetic_ties", lang))),
            ("num", _e(f"{_fmt(syn['ties'], lang)} / {_fmt(syn['ties_total'], lang)} ({_pct(syn['ties_share'])})")),
        ],
        [("", _e(t("completeness.with_evidence", lang))), ("num", _e(_pct(syn["evidence_share"])))],
    ]
    rows += [
        [("", _e(_completeness_label(str(k))[lang])), ("num", _e(_completeness_value(str(k), v, lang)))]
        for k, v in data.completeness.items()
        if k not in ("caveat", "organisations") and not isinstance(v, list)
    ]
    table = _table([("", t("col.item", lang)), ("num", t("col.value", lang))], rows)
    return table + f'<p class="note">{_e(_caveat(data, lang))}</p>'


def _sources_html(data: RegionData, lang: str) -> str:
    rows = [
        [("", _e(s["source"])), ("num", _e(_fmt(s["nodes"], lang))), ("num", _e(_fmt(s["relationships"], lang)))]
        for s in data.sources
    ]
    table = _table(
        [("", t("col.source", lang)), ("num", t("col.nodes", lang)), ("num", t("col.relationships", lang))], rows
    )
    if not data.evidence:
        return table + f"<p>{_e(t('sources.none', lang))}</p>"
    ev_rows = [
        [("url", f'<a href="{_e(url)}">{_e(url)}</a>'), ("num", _e(_fmt(n, lang)))]
        for url, n in data.evidence[:TOP_EVIDENCE]
    ]
    more = len(data.evidence) - TOP_EVIDENCE
    tail = f'<p class="sub">{_e(t("sources.evidence_more", lang, n=more))}</p>' if more > 0 else ""
    return table + _table([("", t("col.evidence", lang)), ("num", t("col.count", lang))], ev_rows) + tail


def _facts(data: RegionData, lang: str) -> str:
    syn = data.synthetic
    tied = data.completeness.get("tied_share")
    if isinstance(tied, int | float) and not isinstance(tied, bool):
        completeness = (t("fact.tied", lang), _pct(float(tied)))
    else:
        completeness = (t("completeness.with_evidence", lang), _pct(syn["evidence_share"]))
    facts = [
        (t("fact.organisations", lang), _fmt(syn["orgs_total"], lang), False),
        (t("fact.ties", lang), _fmt(data.figure["ties"], lang), False),
        (t("fact.gaps", lang), _fmt(len(data.gaps), lang), False),
        (t("fact.synthetic", lang), _pct(syn["orgs_share"]), data.has_synthetic),
        (*completeness, False),
    ]
    cells = "".join(
        f'<div class="fact{" warn" if warn else ""}"><div class="v">{_e(v)}</div><div class="k">{_e(k)}</div></div>'
        for k, v, warn in facts
    )
    return f'<div class="facts">{cells}</div>'


def _measure_definitions(lang: str) -> str:
    return (
        '<ul class="defs">'
        + "".join(f"<li>{_e(t(k, lang))}</li>" for k in ("def.degree", "def.betweenness", "def.pagerank"))
        + "</ul>"
    )


def _region_title(name: Mapping[str, str], lang: str) -> tuple[str, str]:
    """The heading (language of the report) and the other-language line: the name shows in both."""
    if lang == "ja":
        return f"{name['ja']} {t('title.region', 'ja')}", f"{name['en']} — {t('title.region', 'en')}"
    return f"{name['en']} ({name['ja']}) — {t('title.region', 'en')}", f"{name['ja']} {t('title.region', 'ja')}"


def render_region(data: RegionData, *, lang: str, generated_at: str, data_version: str) -> str:
    """The regional brief as one HTML document in ``lang``."""
    _check_lang(lang)
    title, other = _region_title(data.name, lang)
    fig = data.figure
    body = [
        "<header>",
        f'<h1>{_e(title)}<span class="en">{_e(other)}</span></h1>',
        f'<p class="sub">{_e(t("subtitle", lang))}</p>',
        _meta(lang, generated_at, data_version, [(t("meta.region", lang), f"{data.name['ja']} / {data.name['en']}")]),
        "</header>",
        _banners(lang, data.synthetic if data.has_synthetic else None, data.estimates, data.gbiz),
        f"<h2>{_e(t('keyfacts', lang))}</h2>",
        _facts(data, lang),
        f"<h2>{_e(t('sec.figure', lang))}</h2>",
        f"<figure>{_svg_figure(fig, lang)}<figcaption>"
        f"{_e(t('figure.caption', lang, n=fig['organisations'], m=fig['ties']))}</figcaption></figure>",
        f"<h2>{_e(t('sec.indicators', lang))}</h2>",
        _indicator_table(data.indicators, lang),
        f"<h2>{_e(t('sec.hubs', lang))}</h2>",
        _actor_table(data.hubs, lang),
        f"<h2>{_e(t('sec.brokers', lang))}</h2>",
        _actor_table(data.brokers, lang),
        _measure_definitions(lang),
        f"<h2>{_e(t('sec.gaps', lang))}</h2>",
        _gap_table(data.gaps, lang, TOP_GAPS, _caveat(data, lang)),
        f"<h2>{_e(t('sec.suggestions', lang))}</h2>",
        _suggestion_table(data.suggestions, lang),
        f"<h2>{_e(t('sec.completeness', lang))}</h2>",
        _completeness_table(data, lang),
        f"<h2>{_e(t('sec.sources', lang))}</h2>",
        _sources_html(data, lang),
        f'<p class="attribution">{_e(t("attribution.gbiz", lang))}</p>' if data.gbiz else "",
        _closing_footer(lang, data_version, generated_at),
    ]
    footer = f"ipeco · {data.name[lang]} · {t('meta.version', lang)} {data_version} · {generated_at}"
    return _document(title, lang, "\n".join(b for b in body if b), footer)


def _closing_footer(lang: str, data_version: str, generated_at: str) -> str:
    return (
        f"<footer>{_e(t('footer', lang))} {_e(t('meta.version', lang))}: {_e(data_version)} · "
        f"{_e(t('meta.generated', lang))}: {_e(generated_at)}</footer>"
    )


def region_report(
    graph: nx.MultiDiGraph, region: str, *, lang: str = "ja", generated_at: str, data_version: str
) -> str:
    """A complete, self-contained HTML brief of ``region`` in ``lang`` (``graph`` is the whole stored graph)."""
    _check_lang(lang)
    return render_region(collect_region(graph, region), lang=lang, generated_at=generated_at, data_version=data_version)


def _comparison_indicator_table(data: ComparisonData, lang: str) -> str:
    keys = [r.region for r in data.regions]
    headers = [("", t("col.indicator", lang))] + [("num", r.name[lang]) for r in data.regions]
    headers.append(("", t("col.definition", lang)))
    rows = [
        [
            ("", _e(row["label"][lang])),
            *((_value_class(row["values"].get(k)), _e(_fmt_indicator(row["values"].get(k), lang))) for k in keys),
            ("def", _e(_definition(row, lang))),
        ]
        for row in data.indicators
    ]
    share = 46 / max(1, len(keys))
    return _table(headers, rows, widths=(20, *([share] * len(keys)), 34))


def _comparison_region_block(data: RegionData, lang: str) -> str:
    syn = data.synthetic
    top = data.hubs[:5]
    hubs = "".join(f"<li>{_e(h['name'][lang])}{_synthetic_tag(h['synthetic'], lang)}</li>" for h in top)
    brokers = "".join(f"<li>{_e(b['name'][lang])}{_synthetic_tag(b['synthetic'], lang)}</li>" for b in data.brokers[:5])
    counts = Counter(_gap_kind(g["kind"], lang) for g in data.gaps)
    gap_items = "".join(f"<li>{_e(k)}: {_e(v)}</li>" for k, v in counts.most_common()) or (
        f"<li>{_e(t('gaps.none', lang))}</li>"
    )
    top_gaps = "".join(f"<li>{_e(g['explanation'][lang])}</li>" for g in data.gaps[:3])
    sources = "".join(
        f"<li>{_e(s['source'])}: {_e(_fmt(s['nodes'], lang))} / {_e(_fmt(s['relationships'], lang))}</li>"
        for s in data.sources
    )
    return (
        f"<section><h3>{_e(data.name[lang])}</h3>"
        f"<p>{_e(t('fact.organisations', lang))}: {_e(_fmt(syn['orgs_total'], lang))} · "
        f"{_e(t('fact.synthetic', lang))}: {_e(_pct(syn['orgs_share']))} · "
        f"{_e(t('completeness.with_evidence', lang))}: {_e(_pct(syn['evidence_share']))}</p>"
        f'<b>{_e(t("sec.hubs", lang))}</b><ul class="reasons">{hubs}</ul>'
        f'<b>{_e(t("sec.brokers", lang))}</b><ul class="reasons">{brokers}</ul>'
        f'<b>{_e(t("sec.gaps", lang))}</b><ul class="reasons">{gap_items}</ul>'
        f'<ul class="reasons">{top_gaps}</ul>'
        f"<b>{_e(t('sec.sources', lang))} ({_e(t('col.nodes', lang))} / {_e(t('col.relationships', lang))})</b>"
        f'<ul class="reasons">{sources}</ul></section>'
    )


def render_comparison(data: ComparisonData, *, lang: str, generated_at: str, data_version: str) -> str:
    """The three (or more) regions side by side as one HTML document in ``lang``."""
    _check_lang(lang)
    title = t("title.compare", lang)
    other = t("title.compare", "en" if lang == "ja" else "ja")
    region_names = " / ".join(f"{r.name['ja']} ({r.name['en']})" for r in data.regions)
    worst = max(data.regions, key=lambda r: r.synthetic["orgs_share"]) if data.regions else None
    synthetic = None
    if data.has_synthetic and worst is not None:
        # The banner quotes the largest synthetic share of any region: the figure a reader must not miss.
        synthetic = max((r.synthetic for r in data.regions), key=lambda s: s["orgs_share"])
    figures = "".join(
        f"<figure>{_svg_figure(r.figure, lang, width=320, height=330, labels=False)}<figcaption>{_e(r.name[lang])} — "
        f"{_e(t('figure.caption', lang, n=r.figure['organisations'], m=r.figure['ties']))}</figcaption></figure>"
        for r in data.regions
    )
    blocks = "".join(_comparison_region_block(r, lang) for r in data.regions)
    all_sources: Counter[str] = Counter()
    for r in data.regions:
        for s in r.sources:
            all_sources[s["source"]] += s["nodes"] + s["relationships"]
    body = [
        "<header>",
        f'<h1>{_e(title)}<span class="en">{_e(other)}</span></h1>',
        f'<p class="sub">{_e(region_names)}</p>',
        _meta(lang, generated_at, data_version, [(t("meta.regions", lang), region_names)]),
        "</header>",
        _banners(lang, synthetic, data.estimates, data.gbiz),
        f"<h2>{_e(t('sec.indicators', lang))}</h2>",
        _comparison_indicator_table(data, lang),
        f"<h2>{_e(t('sec.figure', lang))}</h2>",
        f'<div class="cols3">{figures}</div>',
        f"<h2>{_e(t('sec.regions', lang))}</h2>",
        f'<div class="cols3">{blocks}</div>',
        _measure_definitions(lang),
        f'<p class="sub">{_e(t("gaps.caveat", lang))}</p>',
        f'<p class="attribution">{_e(t("attribution.gbiz", lang))}</p>' if data.gbiz else "",
        _closing_footer(lang, data_version, generated_at),
    ]
    footer = f"ipeco · {title} · {t('meta.version', lang)} {data_version} · {generated_at}"
    return _document(title, lang, "\n".join(b for b in body if b), footer)


def comparison_report(
    graphs: Mapping[str, nx.MultiDiGraph], *, lang: str = "ja", generated_at: str, data_version: str
) -> str:
    """The regions of ``graphs`` (region key → whole graph or region view) side by side, as HTML."""
    _check_lang(lang)
    return render_comparison(
        collect_comparison(graphs), lang=lang, generated_at=generated_at, data_version=data_version
    )


# --- spreadsheet sheets ------------------------------------------------------------------------------
def _meta_rows(lang: str, title: str, generated_at: str, data_version: str, synthetic: bool, gbiz: bool) -> list:
    rows: list[list[Any]] = [
        [title, ""],
        [t("meta.generated", lang), generated_at],
        [t("meta.version", lang), data_version],
    ]
    if synthetic:
        rows.append([t("banner.synthetic", lang), t("yes", lang)])
    if gbiz:
        rows.append([t("attribution.gbiz", lang), ""])
    rows.append(["", ""])
    return rows


def _actor_rows(data: RegionData, lang: str) -> list[list[Any]]:
    header = [
        "list",
        t("col.rank", lang),
        "id",
        t("col.name", lang),
        t("col.role", lang),
        t("col.degree", lang),
        t("col.betweenness", lang),
        t("col.pagerank", lang),
        t("col.synthetic", lang),
    ]
    rows: list[list[Any]] = [header]
    for kind, actors in (("hub", data.hubs), ("broker", data.brokers)):
        rows += [
            [
                kind,
                i,
                a["id"],
                a["name"][lang],
                _role_name(a["role"], lang),
                a["degree"],
                a["betweenness"],
                a["pagerank"],
                a["synthetic"],
            ]
            for i, a in enumerate(actors, 1)
        ]
    return rows


def _gap_rows(gaps: list[dict[str, Any]], lang: str, region: str | None = None) -> list[list[Any]]:
    lead = ["region"] if region is not None else []
    rows: list[list[Any]] = [
        [
            *lead,
            t("col.rank", lang),
            "kind",
            t("col.kind", lang),
            t("col.phase", lang),
            t("col.explanation", lang),
            t("col.subjects", lang),
            "score",
        ]
    ]
    for i, g in enumerate(gaps, 1):
        rows.append(
            [
                *([region] if region is not None else []),
                g.get("rank", i),
                g["kind"],
                _gap_kind(g["kind"], lang),
                _phase_name(g.get("phase"), lang),
                g["explanation"][lang],
                "; ".join(g["subjects"]),
                g.get("score"),
            ]
        )
    return rows


def _source_rows(data: RegionData, lang: str) -> list[list[Any]]:
    rows: list[list[Any]] = [[t("col.source", lang), t("col.nodes", lang), t("col.relationships", lang)]]
    rows += [[s["source"], s["nodes"], s["relationships"]] for s in data.sources]
    rows += [["", "", ""], [t("col.evidence", lang), t("col.count", lang), ""]]
    rows += [[url, n, ""] for url, n in data.evidence]
    if data.gbiz:
        rows += [["", "", ""], [t("attribution.gbiz", lang), "", ""]]
    return rows


def _cell(value: Any, lang: str) -> Any:
    """Numbers stay numbers in a sheet; structured values become the text the report prints."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return _fmt_indicator(value, lang)


def region_sheets(data: RegionData, *, lang: str, generated_at: str, data_version: str) -> dict[str, list[list[Any]]]:
    """The brief as spreadsheet sheets (name → rows; the first row of each table is its header).

    Sheets: ``summary`` (report facts, synthetic share and the indicators with definitions),
    ``hubs_brokers``, ``gaps`` (all of them, not only the printed top), ``suggestions``, ``sources``.
    """
    _check_lang(lang)
    title, _ = _region_title(data.name, lang)
    syn = data.synthetic
    summary = _meta_rows(lang, title, generated_at, data_version, data.has_synthetic, data.gbiz)
    summary += [
        [t("completeness.organisations", lang), syn["orgs_total"]],
        [t("completeness.synthetic_orgs", lang), syn["orgs"]],
        [t("fact.synthetic", lang), round(syn["orgs_share"], 4)],
        [t("completeness.synthetic_ties", lang), round(syn["ties_share"], 4)],
        [t("completeness.with_evidence", lang), round(syn["evidence_share"], 4)],
        *(
            [_completeness_label(str(k))[lang], _cell(v, lang)]
            for k, v in data.completeness.items()
            if k != "caveat" and not isinstance(v, list)
        ),
        [_caveat(data, lang), ""],
        ["", ""],
        [t("col.indicator", lang), t("col.value", lang), t("col.definition", lang), "key"],
        *(
            [row["label"][lang], _cell(row.get("value"), lang), _definition(row, lang), row["key"]]
            for row in data.indicators
        ),
    ]
    suggestions: list[list[Any]] = [
        [t("col.firm", lang), "id", t("col.uncovered", lang), t("col.kind", lang), t("col.name", lang), "reasons"]
    ]
    for s in data.suggestions:
        phases = ", ".join(_phase_name(p, lang) for p in s["phases"])
        for kind, entries in _suggestion_groups(s):
            for entry in entries:
                name = entry["name_en"] if lang == "en" and entry.get("name_en") else entry["name"]
                reasons = "; ".join(r[lang] for r in entry["reasons"])
                suggestions.append([s["name"][lang], s["id"], phases, t(kind, lang), name, reasons])
    return {
        "summary": summary,
        "hubs_brokers": _actor_rows(data, lang),
        "gaps": _gap_rows(data.gaps, lang),
        "suggestions": suggestions,
        "sources": _source_rows(data, lang),
    }


def comparison_sheets(
    data: ComparisonData, *, lang: str, generated_at: str, data_version: str
) -> dict[str, list[list[Any]]]:
    """The comparison as sheets: ``summary`` (indicator table, regions as columns), ``hubs_brokers``,
    ``gaps`` and ``sources`` with a region column."""
    _check_lang(lang)
    keys = [r.region for r in data.regions]
    summary = _meta_rows(lang, t("title.compare", lang), generated_at, data_version, data.has_synthetic, data.gbiz)
    summary.append([t("col.indicator", lang), *(r.name[lang] for r in data.regions), t("col.definition", lang), "key"])
    summary += [
        [row["label"][lang], *(_cell(row["values"].get(k), lang) for k in keys), _definition(row, lang), row["key"]]
        for row in data.indicators
    ]
    summary.append([t("fact.synthetic", lang), *(round(r.synthetic["orgs_share"], 4) for r in data.regions), "", ""])
    actors: list[list[Any]] = []
    gaps: list[list[Any]] = []
    sources: list[list[Any]] = []
    for r in data.regions:
        a_rows, g_rows, s_rows = _actor_rows(r, lang), _gap_rows(r.gaps, lang, r.region), _source_rows(r, lang)
        actors += ([["region", *a_rows[0]]] if not actors else []) + [[r.region, *row] for row in a_rows[1:]]
        gaps += g_rows if not gaps else g_rows[1:]
        sources += ([["region", *s_rows[0]]] if not sources else []) + [
            [r.region, *row] for row in s_rows[1:] if any(cell != "" for cell in row)
        ]
    return {"summary": summary, "hubs_brokers": actors, "gaps": gaps, "sources": sources}
