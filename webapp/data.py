"""The web app's one door to the graph and to analytics.

Pages never touch a store or an analytics module directly: they call a :class:`DataSource`. That
keeps three things in one place:

* **Store access and failure.** A store is opened per read and closed again, because the embedded
  store's SQLite connection may not cross the threads of the web server and a Neo4j outage must
  not leave a dead driver behind. A failed read becomes :class:`graph.store.StoreUnavailable`,
  which the shell turns into a banner; the last good graph keeps serving meanwhile.
* **Caching.** The whole graph is re-read at most every ``ttl`` seconds; everything derived from it
  (region views, measures, gaps, comparisons) is memoised on ``(what, region, data version)``, where
  the data version hashes the graph counts and the newest ``loaded_at``: a reload invalidates it.
* **Shapes of analytics results.** ``analytics`` is developed in parallel and its result shapes may
  move; the ``_normalise_*`` functions are the one place that knows them. When a module is missing
  or fails, a small built-in estimate is used and flagged (``fallback: True``) so the UI can say so.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from analytics.compare import compare_regions
from analytics.gaps import find_gaps
from analytics.measures import analyze_region
from analytics.recommend import recommend
from graph.schema import ORG_TIE_TYPES, PHASES, ROLE_LABELS, primary_label, role_label
from graph.store import Store, StoreUnavailable
from graph.views import known_regions, real_subgraph, region_id, region_subgraph

__all__ = [
    "MEASURES",
    "DataSource",
    "data_version",
    "display_name",
    "node_kind",
    "org_tie_graph",
]

log = logging.getLogger(__name__)

#: Measures a node may be sized or coloured by, in menu order (keys of ``analyze_region`` nodes).
MEASURES = (
    "degree",
    "betweenness",
    "pagerank",
    "harmonic",
    "eigenvector",
    "constraint",
    "effective_size",
    "core_number",
    "participation",
)

#: Above this many nodes the built-in estimate samples betweenness and skips the costly measures.
_EXACT_LIMIT = 1500


def node_kind(attrs: Mapping[str, Any]) -> str:
    """Role label of an organisation, else its primary label (Region, Programme, ...)."""
    labels = attrs.get("labels", ())
    return role_label(labels) or primary_label(labels) or "Organization"


def display_name(attrs: Mapping[str, Any], lang: str = "ja", fallback: str = "") -> str:
    """The name to show: English name in English when there is one, else the Japanese name."""
    if lang == "en" and attrs.get("name_en"):
        return str(attrs["name_en"])
    return str(attrs.get("name") or attrs.get("name_en") or attrs.get("code") or fallback)


def data_version(graph: nx.MultiDiGraph) -> str:
    """A short fingerprint of the stored data: counts and the newest ``loaded_at``.

    Every load stamps ``loaded_at`` on what it changes and adds to the counts, so any load changes
    the fingerprint and the caches keyed on it miss.
    """
    newest = max(
        (str(d.get("loaded_at", "")) for _, d in graph.nodes(data=True)),
        default="",
    )
    newest_edge = max((str(d.get("loaded_at", "")) for _, _, d in graph.edges(data=True)), default="")
    raw = f"{graph.number_of_nodes()}|{graph.number_of_edges()}|{max(newest, newest_edge)}"
    return hashlib.sha1(raw.encode()).hexdigest()[:12]


def org_tie_graph(view: nx.MultiDiGraph) -> nx.Graph:
    """Undirected simple graph of the ties that make the collaboration network (measures use it).

    Every relationship counts once per pair: a firm supported five times by one body is one tie for
    centrality, otherwise repeated engagements would swamp the structure.
    """
    simple = nx.Graph()
    simple.add_nodes_from(view.nodes)
    for u, v, d in view.edges(data=True):
        if u != v and d.get("type") not in ("LOCATED_IN", "SERVES"):
            simple.add_edge(u, v)
    return simple


class DataSource:
    """Cached, failure-tolerant access to the graph and to analytics for the pages."""

    def __init__(self, store_factory: Callable[[], Store], *, ttl: float = 60.0, retry: float = 3.0) -> None:
        self._factory = store_factory
        self.ttl = ttl
        self.retry = retry
        self._lock = threading.RLock()
        self._graph: nx.MultiDiGraph | None = None
        self._version = ""
        self._read_at = 0.0
        self._failed_at = 0.0
        self.error: str | None = None
        self.store_kind = ""
        self._memo: OrderedDict[Hashable, Any] = OrderedDict()
        self._memo_size = 64

    # --- the graph ----------------------------------------------------------------------------
    def _read(self) -> nx.MultiDiGraph:
        store = self._factory()
        try:
            self.store_kind = getattr(store, "name", "")
            return store.read_graph_all()
        finally:
            try:
                store.close()
            except Exception:
                log.debug("closing the store failed", exc_info=True)

    def refresh(self, *, force: bool = False) -> None:
        """Re-read the graph when the cache is older than ``ttl`` (or ``force``); record failures."""
        with self._lock:
            now = time.monotonic()
            fresh = self._graph is not None and now - self._read_at < self.ttl
            backing_off = self.error is not None and now - self._failed_at < self.retry
            if (fresh and not force) or (backing_off and not force):
                return
            try:
                graph = self._read()
            except Exception as exc:
                self.error = str(exc) or exc.__class__.__name__
                self._failed_at = now
                log.warning("store unavailable: %s", self.error)
                return
            version = data_version(graph)
            if version != self._version:
                self._memo.clear()
            self._graph, self._version, self._read_at, self.error = graph, version, now, None

    def graph(self) -> tuple[nx.MultiDiGraph, str]:
        """The whole graph and its data version; the last good one while the store is down."""
        self.refresh()
        if self._graph is None:
            raise StoreUnavailable(self.error or "the store has not been read yet")
        return self._graph, self._version

    def check(self) -> str | None:
        """Probe the store (cheaply) and return the error, or None when it answers.

        The probe opens the store and looks up one id; on recovery the graph is re-read at once so
        the page shows current data without waiting for the cache to expire.
        """
        try:
            store = self._factory()
            try:
                store.known_labels(["region:aomori"])
            finally:
                store.close()
        except Exception as exc:
            with self._lock:
                self.error = str(exc) or exc.__class__.__name__
                self._failed_at = time.monotonic()
            return self.error
        if self.error is not None or self._graph is None:
            self.refresh(force=True)
        return self.error

    def cached(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()`` memoised under ``key`` until the data version changes (LRU of 64 entries)."""
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        value = compute()
        with self._lock:
            self._memo[key] = value
            while len(self._memo) > self._memo_size:
                self._memo.popitem(last=False)
        return value

    def forget(self, kind: str) -> None:
        """Drop cached results of one kind (e.g. ``"map"``): the bench times recomputation with it."""
        with self._lock:
            for key in [k for k in self._memo if isinstance(k, tuple) and k and k[0] == kind]:
                del self._memo[key]

    # --- regions and views --------------------------------------------------------------------
    def regions(self) -> list[dict[str, Any]]:
        """Regions to offer: the JPO model regions (``model_region_fy`` set) first, then any other
        region where organisations are seated; regions that only serve as an address are left out.
        ``{"key", "id", "name", "name_en", "model", "organisations"}``."""
        graph, version = self.graph()

        def compute() -> list[dict[str, Any]]:
            out = []
            for key in known_regions(graph):
                rid = region_id(key)
                attrs = graph.nodes[rid]
                seated = sum(
                    1 for _, _, d in graph.in_edges(rid, data=True) if d.get("type") in ("LOCATED_IN", "SERVES")
                )
                model = attrs.get("model_region_fy") is not None
                if not model and seated < 5:
                    continue
                out.append(
                    {
                        "key": key,
                        "id": rid,
                        "name": str(attrs.get("name", key)),
                        "name_en": str(attrs.get("name_en") or key.title()),
                        "model": model,
                        "organisations": seated,
                    }
                )
            out.sort(key=lambda r: (not r["model"], str(graph.nodes[r["id"]].get("jis_code", "")), r["key"]))
            return out

        return self.cached(("regions", version), compute)

    def compare_regions(self) -> list[str]:
        """Regions the compare page shows: the model regions, or every offered region if none is one."""
        regions = self.regions()
        model = [r["key"] for r in regions if r["model"]]
        return model or [r["key"] for r in regions]

    def region_view(self, region: str, *, real_only: bool = False) -> nx.MultiDiGraph:
        """The region's view (``graph.views.region_subgraph``), cached per data version."""
        graph, version = self.graph()

        def compute() -> nx.MultiDiGraph:
            view = region_subgraph(graph, region)
            return real_subgraph(view) if real_only else view

        return self.cached(("view", region, real_only, version), compute)

    def has_synthetic(self) -> bool:
        graph, version = self.graph()
        return self.cached(
            ("synthetic", version),
            lambda: (
                any(d.get("synthetic") for _, d in graph.nodes(data=True))
                or any(d.get("synthetic") for _, _, d in graph.edges(data=True))
            ),
        )

    def neighbourhood(self, node: str) -> nx.MultiDiGraph:
        """A node, its neighbours in the whole graph and the ties between them (for "expand")."""
        graph, _ = self.graph()
        if node not in graph:
            return nx.MultiDiGraph()
        keep = {node, *graph.successors(node), *graph.predecessors(node)}
        keep = {n for n in keep if n == node or "Region" not in graph.nodes[n].get("labels", ())}
        return graph.subgraph(keep).copy()

    # --- analytics ----------------------------------------------------------------------------
    def measures(self, region: str) -> tuple[dict[str, dict[str, Any]], bool]:
        """Per-node measures of the region and whether they are the built-in estimate."""
        graph, version = self.graph()

        def compute() -> tuple[dict[str, dict[str, Any]], bool]:
            try:
                nodes = analyze_region(graph, region)["nodes"]
                return {str(k): dict(v) for k, v in nodes.items()}, False
            except Exception:
                log.exception("analytics.measures.analyze_region failed; using the built-in estimate")
            return fallback_measures(self.region_view(region)), True

        return self.cached(("measures", region, version), compute)

    def gaps(self, region: str) -> dict[str, Any]:
        """``{"gaps": [...], "completeness": {...}, "fallback": bool}`` for the region."""
        graph, version = self.graph()

        def compute() -> dict[str, Any]:
            try:
                return normalise_gaps(find_gaps(graph, region), fallback=False)
            except Exception:
                log.exception("analytics.gaps.find_gaps failed; using the built-in estimate")
            return normalise_gaps(fallback_gaps(self.region_view(region)), fallback=True)

        return self.cached(("gaps", region, version), compute)

    def compare(self, *, real_only: bool = False) -> dict[str, Any]:
        """Indicator table of all regions: ``{"regions", "indicators": [{"key","values",...}], "fallback"}``."""
        _, version = self.graph()

        def compute() -> dict[str, Any]:
            regions = self.compare_regions()
            views = {r: self.region_view(r, real_only=real_only) for r in regions}
            try:
                return normalise_compare(compare_regions(views), regions, fallback=False)
            except Exception:
                log.exception("analytics.compare.compare_regions failed; using the built-in estimate")
            return normalise_compare(fallback_compare(views), regions, fallback=True)

        return self.cached(("compare", real_only, version), compute)

    def recommend(self, org: str) -> dict[str, Any]:
        """``{"partners": [...], "programmes": [...], "fallback": bool}`` for one organisation."""
        graph, version = self.graph()

        def compute() -> dict[str, Any]:
            try:
                return normalise_recommend(recommend(graph, org), graph, fallback=False)
            except Exception:
                log.exception("analytics.recommend.recommend failed; using the built-in estimate")
            return normalise_recommend(fallback_recommend(graph, org), graph, fallback=True)

        return self.cached(("recommend", org, version), compute)

    # --- Cypher console, exports and reports ---------------------------------------------------
    def _with_store(self, use: Callable[[Store], Any]) -> Any:
        store = self._factory()
        try:
            self.store_kind = getattr(store, "name", "") or self.store_kind
            return use(store)
        finally:
            try:
                store.close()
            except Exception:
                log.debug("closing the store failed", exc_info=True)

    def run_query(
        self,
        cypher: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
        row_limit: int | None = None,
    ) -> Any:
        """An analyst's Cypher through the one guarded runner (:func:`graph.query.run_readonly`).

        Raises the runner's :class:`graph.query.QueryError` subclasses (one sentence each) and
        :class:`StoreUnavailable`; never caches, because a console user expects current data.
        """
        from graph.query import DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT, run_readonly

        return self._with_store(
            lambda store: run_readonly(
                store,
                cypher,
                params,
                timeout=timeout or DEFAULT_TIMEOUT,
                row_limit=row_limit or DEFAULT_ROW_LIMIT,
            )
        )

    @staticmethod
    def saved_queries() -> list[Any]:
        """The bundled saved queries (:func:`graph.query.saved_queries`)."""
        from graph.query import saved_queries

        return saved_queries()

    def export_region(self, region: str, fmt: str, path: Path, *, real_only: bool = False) -> list[Path]:
        """The region's graph written by :func:`graph.exports.export_graph` (what ``ipeco export`` writes).

        ``xlsx`` also gets the region's indicators and gaps from analytics, as the CLI does.
        """
        from graph.exports import export_graph

        view = self.region_view(region, real_only=real_only)
        indicators = gaps = None
        if fmt == "xlsx":
            try:
                indicators = analyze_region(view, region)["indicators"]
                gaps = find_gaps(view, region)["gaps"]
            except Exception:
                log.exception("analytics failed during an xlsx export; using the built-in gap estimate")
            if gaps is None:
                gaps = self.gaps(region)["gaps"]
        return export_graph(view, fmt, path, indicators=indicators, gaps=gaps)

    def build_report(self, kind: str, region: str, lang: str, fmt: str, path: Path) -> Path:
        """A regional brief (``kind="region"``) or the comparison, by the same functions as ``ipeco report``."""
        from webapp.report_files import build_comparison_report, build_region_report

        graph, _ = self.graph()
        if kind == "comparison":
            return build_comparison_report(graph, lang, fmt, path)
        return build_region_report(graph, region, lang, fmt, path)


# --- result shapes ------------------------------------------------------------------------------
def _bilingual(value: Any) -> dict[str, str]:
    """``"text"`` or ``{"ja", "en"}`` → ``{"ja", "en"}`` (one language fills in for the other)."""
    if isinstance(value, Mapping):
        ja = str(value.get("ja") or value.get("en") or "")
        return {"ja": ja, "en": str(value.get("en") or ja)}
    text = "" if value is None else str(value)
    return {"ja": text, "en": text}


def normalise_gaps(raw: Any, *, fallback: bool) -> dict[str, Any]:
    items = raw.get("gaps", []) if isinstance(raw, Mapping) else list(raw or [])
    gaps = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            continue
        subjects = item.get("subjects") or item.get("subject") or []
        if isinstance(subjects, str):
            subjects = [subjects]
        gaps.append(
            {
                "kind": str(item.get("kind", "other")),
                "subjects": [str(s) for s in subjects],
                "phase": item.get("phase"),
                "explanation": _bilingual(item.get("explanation")),
                "evidence": item.get("evidence") or [],
                "score": item.get("score"),
                "rank": item.get("rank", i + 1),
            }
        )
    completeness = raw.get("completeness", {}) if isinstance(raw, Mapping) else {}
    return {"gaps": gaps, "completeness": dict(completeness or {}), "fallback": fallback}


def normalise_compare(raw: Any, regions: list[str], *, fallback: bool) -> dict[str, Any]:
    """Accept the indicator table in any of the shapes analytics may return.

    Shapes: ``{"indicators": [{"key", "values": {region: v}, "label", "definition"}]}``,
    ``{"indicators": {key: {region: v}}, "definitions": {...}}``, ``{"regions": {region: {key: v}}}``
    or ``{region: {key: v}}``.
    """
    definitions: Mapping[str, Any] = raw.get("definitions", {}) if isinstance(raw, Mapping) else {}
    labels: Mapping[str, Any] = raw.get("labels", {}) if isinstance(raw, Mapping) else {}
    rows: list[dict[str, Any]] = []
    body = raw.get("indicators") if isinstance(raw, Mapping) else None
    if isinstance(body, list):
        for item in body:
            if isinstance(item, Mapping) and "values" in item:
                key = str(item.get("key") or item.get("name"))
                rows.append(
                    {
                        "key": key,
                        "values": dict(item["values"]),
                        "label": _bilingual(item.get("label") or labels.get(key) or key),
                        "definition": _bilingual(item.get("definition") or definitions.get(key) or ""),
                    }
                )
    else:
        if isinstance(body, Mapping):
            by_indicator = {str(k): dict(v) for k, v in body.items() if isinstance(v, Mapping)}
        else:
            per_region = raw.get("regions") if isinstance(raw, Mapping) else None
            if not isinstance(per_region, Mapping):
                per_region = {k: v for k, v in (raw or {}).items() if k.removeprefix("region:") in regions}
            by_indicator = {}
            for region, values in per_region.items():
                if isinstance(values, Mapping):
                    for key, value in values.items():
                        by_indicator.setdefault(str(key), {})[region] = value
        for key, values in by_indicator.items():
            rows.append(
                {
                    "key": key,
                    "values": values,
                    "label": _bilingual(labels.get(key) or key),
                    "definition": _bilingual(definitions.get(key) or ""),
                }
            )
    for row in rows:
        row["values"] = {str(k).removeprefix("region:"): v for k, v in row["values"].items()}
    return {"regions": regions, "indicators": flatten_indicators(rows), "fallback": fallback}


#: Inside a structured indicator value, the number that stands for it (e.g. triple helix T in bits).
_HEADLINE_KEYS = ("value", "t_bits", "score", "share", "mean")


def _sub_label(sub: str) -> dict[str, str]:
    from graph.schema import PHASE_LABELS, ROLE_LABEL_NAMES

    names = PHASE_LABELS.get(sub) or ROLE_LABEL_NAMES.get(sub)
    return {"ja": names[0], "en": names[1]} if names else {"ja": sub, "en": sub}


def flatten_indicators(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Make every cell a scalar or short text, so the table and charts can show it.

    A value that is a mapping of numbers (organisations by role, coverage by phase) becomes one
    row per entry; a mapping with a headline number (``t_bits``) shows that number; a list of
    records (top brokers) shows their names.
    """
    out: list[dict[str, Any]] = []
    for row in rows:
        values = row["values"].values()
        if values and all(isinstance(v, Mapping) for v in values):
            headline = next((k for k in _HEADLINE_KEYS if all(k in v for v in values)), None)
            if headline:
                out.append({**row, "values": {r: v[headline] for r, v in row["values"].items()}})
                continue
            subs = sorted(
                {k for v in values for k in v if isinstance(v[k], int | float | str)},
                key=lambda k: (k not in PHASES, k),
            )
            for sub in subs:
                label = _sub_label(sub)
                out.append(
                    {
                        **row,
                        "key": f"{row['key']}.{sub}",
                        "label": {lang: f"{row['label'][lang]}: {label[lang]}" for lang in ("ja", "en")},
                        "values": {r: v.get(sub) for r, v in row["values"].items()},
                    }
                )
            continue
        flat = {}
        for region, value in row["values"].items():
            if isinstance(value, list):
                names = [
                    str(item.get("name") or item.get("id")) if isinstance(item, Mapping) else str(item)
                    for item in value
                ]
                value = "、".join(names[:3]) + ("…" if len(names) > 3 else "")
            flat[region] = value
        out.append({**row, "values": flat})
    return out


def _reasons(value: Any) -> list[dict[str, str]]:
    if value is None:
        return []
    if isinstance(value, str | Mapping):
        value = [value]
    return [_bilingual(v) for v in value]


def normalise_recommend(raw: Any, graph: nx.MultiDiGraph, *, fallback: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"partners": [], "programmes": [], "fallback": fallback}
    if not isinstance(raw, Mapping):
        return out
    for kind, id_keys in (("partners", ("id", "partner", "org", "node")), ("programmes", ("id", "programme", "node"))):
        for item in raw.get(kind, []) or []:
            if isinstance(item, str):
                item = {"id": item}
            if not isinstance(item, Mapping):
                continue
            node = next((str(item[k]) for k in id_keys if item.get(k)), "")
            attrs = graph.nodes[node] if node in graph else {}
            out[kind].append(
                {
                    "id": node,
                    "name": str(item.get("name") or attrs.get("name") or node),
                    "name_en": str(item.get("name_en") or attrs.get("name_en") or ""),
                    "score": item.get("score"),
                    "reasons": _reasons(item.get("reasons") or item.get("reason") or item.get("explanation")),
                    "synthetic": bool(attrs.get("synthetic")),
                }
            )
    return out


# --- built-in estimates (used only while analytics is missing or failing) -----------------------
def fallback_measures(view: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    """Degree, betweenness, PageRank, core number and Louvain community on the tie graph."""
    simple = org_tie_graph(view)
    n = simple.number_of_nodes()
    if n == 0:
        return {}
    k = None if n <= _EXACT_LIMIT else min(200, n)
    betweenness = nx.betweenness_centrality(simple, k=k, seed=7)
    pagerank = nx.pagerank(simple) if simple.number_of_edges() else dict.fromkeys(simple, 1 / n)
    core = nx.core_number(simple)
    harmonic = nx.harmonic_centrality(simple) if n <= _EXACT_LIMIT else {}
    communities = nx.community.louvain_communities(simple, seed=7)
    community = {node: i for i, members in enumerate(sorted(communities, key=len, reverse=True)) for node in members}
    return {
        node: {
            "degree": simple.degree(node),
            "betweenness": betweenness.get(node, 0.0),
            "pagerank": pagerank.get(node, 0.0),
            "harmonic": harmonic.get(node),
            "core_number": core.get(node, 0),
            "community": community.get(node, 0),
        }
        for node in simple
    }


def _orgs(view: nx.MultiDiGraph, roles: Iterable[str] | None = None) -> list[str]:
    wanted = set(roles or ROLE_LABELS)
    return [n for n, d in view.nodes(data=True) if d.get("in_region") and node_kind(d) in wanted]


def fallback_gaps(view: nx.MultiDiGraph) -> dict[str, Any]:
    """Isolated actors, missing roles and the よろず ↔ 知財総合支援窓口 liaison (DESIGN §4, 2/3/5)."""
    gaps: list[dict[str, Any]] = []
    for node in _orgs(view, ("Company", "University")):
        ties = [
            d
            for _, _, d in [*view.in_edges(node, data=True), *view.out_edges(node, data=True)]
            if d.get("type") in ORG_TIE_TYPES
        ]
        if not ties:
            name = view.nodes[node].get("name", node)
            name_en = view.nodes[node].get("name_en") or name
            gaps.append(
                {
                    "kind": "isolated",
                    "subjects": [node],
                    "phase": None,
                    "score": 1.0,
                    "explanation": {
                        "ja": f"{name} には支援・連携のつながりが記録されていません。",
                        "en": f"{name_en} has no support or collaboration tie on record.",
                    },
                }
            )
    present = {node_kind(view.nodes[n]) for n in _orgs(view)}
    for role in ("FinancialInstitution", "University", "ProfessionalBody"):
        if role not in present:
            gaps.append(
                {
                    "kind": "missing_role",
                    "subjects": [],
                    "phase": None,
                    "score": 0.8,
                    "explanation": {
                        "ja": f"地域に {role} の主体がありません。",
                        "en": f"The region has no {role} on record.",
                    },
                }
            )
    kinds: dict[str, list[str]] = {}
    for node in _orgs(view, ("SupportOrganization",)):
        kinds.setdefault(str(view.nodes[node].get("support_kind", "")), []).append(node)
    for a in kinds.get("yorozu", []):
        for b in kinds.get("ip_window", []):
            linked = view.has_edge(a, b) or view.has_edge(b, a)
            if not linked:
                gaps.append(
                    {
                        "kind": "liaison",
                        "subjects": [a, b],
                        "phase": "ideation",
                        "score": 0.9,
                        "explanation": {
                            "ja": "よろず支援拠点と知財総合支援窓口の間に紹介・連携の記録がありません。",
                            "en": "No referral is recorded between the Yorozu support centre and the INPIT IP window.",
                        },
                    }
                )
    firms = _orgs(view, ("Company",))
    supported = {v for _, v, d in view.edges(data=True) if d.get("type") == "SUPPORTS"}
    completeness = {
        "organisations": len(_orgs(view)),
        "firms": len(firms),
        "firms_with_support_record": len(supported & set(firms)),
    }
    for rank, gap in enumerate(sorted(gaps, key=lambda g: -g["score"]), 1):
        gap["rank"] = rank
    return {"gaps": sorted(gaps, key=lambda g: g["rank"]), "completeness": completeness}


_FALLBACK_INDICATORS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "organisations": (
        {"ja": "組織数", "en": "Organisations"},
        {"ja": "地域に所在または地域を管轄する組織の数", "en": "Organisations seated in or serving the region"},
    ),
    "firms": ({"ja": "企業数", "en": "Firms"}, {"ja": "企業（Company）の数", "en": "Number of companies"}),
    "support_bodies": (
        {"ja": "支援機関数", "en": "Support bodies"},
        {"ja": "支援機関・行政・金融・士業の数", "en": "Support, government, finance and professional bodies"},
    ),
    "knowledge_bodies": (
        {"ja": "大学・研究機関数", "en": "Universities and institutes"},
        {"ja": "大学・高専・公設試などの数", "en": "Universities, colleges and public research institutes"},
    ),
    "ties": (
        {"ja": "つながり数", "en": "Ties"},
        {
            "ja": "組織間の支援・紹介・共同・資金・所属の関係数",
            "en": "Support, referral, collaboration, finance and part-of ties",
        },
    ),
    "density": (
        {"ja": "密度", "en": "Density"},
        {"ja": "組織間の可能なつながりのうち実在する割合", "en": "Share of possible organisation pairs that are tied"},
    ),
    "supported_share": (
        {"ja": "支援を受けた企業の割合", "en": "Share of firms supported"},
        {"ja": "支援（SUPPORTS）を1件以上受けた企業の割合", "en": "Share of firms with at least one SUPPORTS tie"},
    ),
    "support_per_100_firms": (
        {"ja": "企業100社あたり支援機関数", "en": "Support bodies per 100 firms"},
        {"ja": "支援機関数 ÷ 企業数 × 100", "en": "Support bodies ÷ firms × 100"},
    ),
    "articulation_points": (
        {"ja": "要（切断点）の数", "en": "Articulation points"},
        {"ja": "失うとネットワークが分断される組織の数", "en": "Organisations whose loss splits the network"},
    ),
    "synthetic_share": (
        {"ja": "合成データの割合", "en": "Synthetic share"},
        {"ja": "組織のうち合成（デモ）データの割合", "en": "Share of organisations that are synthetic demo data"},
    ),
}


def fallback_compare(views: Mapping[str, nx.MultiDiGraph]) -> dict[str, Any]:
    rows = {key: {} for key in _FALLBACK_INDICATORS}
    for region, view in views.items():
        orgs = _orgs(view)
        firms = _orgs(view, ("Company",))
        support = _orgs(view, ("SupportOrganization", "GovernmentBody", "FinancialInstitution", "ProfessionalBody"))
        ties = org_tie_graph(view.subgraph(orgs))
        supported = {v for _, v, d in view.edges(data=True) if d.get("type") == "SUPPORTS"} & set(firms)
        values = {
            "organisations": len(orgs),
            "firms": len(firms),
            "support_bodies": len(support),
            "knowledge_bodies": len(_orgs(view, ("University", "ResearchInstitute"))),
            "ties": ties.number_of_edges(),
            "density": round(nx.density(ties), 4) if len(orgs) > 1 else 0.0,
            "supported_share": round(len(supported) / len(firms), 3) if firms else 0.0,
            "support_per_100_firms": round(100 * len(support) / len(firms), 1) if firms else 0.0,
            "articulation_points": sum(1 for _ in nx.articulation_points(ties)),
            "synthetic_share": round(sum(1 for n in orgs if view.nodes[n].get("synthetic")) / len(orgs), 3)
            if orgs
            else 0.0,
        }
        for key, value in values.items():
            rows[key][region] = value
    return {
        "indicators": [
            {"key": key, "values": rows[key], "label": label, "definition": definition}
            for key, (label, definition) in _FALLBACK_INDICATORS.items()
        ]
    }


def fallback_recommend(graph: nx.MultiDiGraph, org: str) -> dict[str, Any]:
    """Universities/institutes sharing a tech field, and programmes for phases not yet served."""
    if org not in graph:
        return {"partners": [], "programmes": []}
    mine = set(graph.nodes[org].get("tech_fields") or [])
    mine |= {v for _, v, d in graph.out_edges(org, data=True) if d.get("type") == "ACTIVE_IN"}
    tied = {*graph.successors(org), *graph.predecessors(org)}
    partners = []
    for node, attrs in graph.nodes(data=True):
        if node == org or node in tied or node_kind(attrs) not in ("University", "ResearchInstitute"):
            continue
        theirs = set(attrs.get("tech_fields") or [])
        theirs |= {v for _, v, d in graph.out_edges(node, data=True) if d.get("type") == "ACTIVE_IN"}
        shared = sorted(mine & theirs)
        if shared:
            fields = ", ".join(s.removeprefix("tech:") for s in shared)
            partners.append(
                {
                    "id": node,
                    "score": len(shared),
                    "reasons": [
                        {
                            "ja": f"同じ技術分野（{fields}）で未連携",
                            "en": f"shares tech fields ({fields}) with no tie yet",
                        }
                    ],
                }
            )
    served = {d.get("phase") for _, _, d in graph.in_edges(org, data=True) if d.get("type") == "SUPPORTS"}
    joined = {v for _, v, d in graph.out_edges(org, data=True) if d.get("type") == "PARTICIPATES_IN"}
    programmes = []
    for node, attrs in graph.nodes(data=True):
        if "Programme" not in attrs.get("labels", ()) or node in joined:
            continue
        open_phases = [p for p in attrs.get("phases") or [] if p in PHASES and p not in served]
        if open_phases:
            programmes.append(
                {
                    "id": node,
                    "score": len(open_phases),
                    "reasons": [
                        {
                            "ja": "未支援のフェーズに対応: " + "、".join(open_phases),
                            "en": "serves phases with no support yet: " + ", ".join(open_phases),
                        }
                    ],
                }
            )
    partners.sort(key=lambda p: -p["score"])
    programmes.sort(key=lambda p: -p["score"])
    return {"partners": partners[:10], "programmes": programmes[:10]}


def to_json(value: Any) -> str:
    """Stable JSON for caches and tests (sets and tuples become lists)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=list)
