"""The web app's one door to the graph and to analytics: a thin layer over the analysis service.

Pages never touch a store or an analytics module directly: they call a :class:`DataSource`, which
holds one :class:`analytics.service.AnalysisService`. Every number a page shows (degree,
betweenness, community, gaps, indicators, suggestions) is the service's, so it is the number
``ipeco analyze``, ``ipeco gaps`` and the reports show. What stays here is the web app's own
business:

* **Store access and failure.** A store is opened per read and closed again (:class:`_OpenPerCall`),
  because the embedded store's SQLite connection may not cross the threads of the web server and a
  Neo4j outage must not leave a dead driver behind. A failed read becomes
  :class:`graph.store.StoreUnavailable`, which the shell turns into a banner; the last good snapshot
  keeps serving meanwhile (the service's policy).
* **Freshness.** The store's data version is asked at most every ``ttl`` seconds, and no page waits
  more than :data:`DEADLINE` seconds for the answer: a frozen server leaves the last data on the
  pages, with the banner, while the question stays open in the background. A change re-reads the
  graph and computes the pages' results in the background (``service.warmers``), and only
  then replaces the old data: no request waits for the recomputation after a load.
* **Presentation shapes** that are not analytics: the region menu, the flattened indicator table.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx

from analytics.service import (
    MEASURES,
    AnalysisService,
    Comparison,
    GapReport,
    IPReport,
    Recommendations,
    RegionAnalysis,
    Worklist,
)
from graph.schema import PHASES, primary_label, role_label
from graph.scope import PLACING_TYPES, listed_regions, region_id
from graph.store import Store, StoreUnavailable
from graph.words import LANGS, t

__all__ = [
    "DEADLINE",
    "MEASURES",
    "DataSource",
    "comparison_table",
    "display_name",
    "flatten_indicators",
    "node_kind",
    "org_tie_graph",
]

log = logging.getLogger(__name__)
_T = TypeVar("_T")

#: Seconds a page waits for the store's answer before it shows the last data with the banner
#: (:meth:`analytics.service.AnalysisService.refresh`); the question stays open in the background.
DEADLINE = 1.5


def node_kind(attrs: Mapping[str, Any]) -> str:
    """Role label of an organisation, else its primary label (Region, Programme, ...)."""
    labels = attrs.get("labels", ())
    return role_label(labels) or primary_label(labels) or "Organization"


def display_name(attrs: Mapping[str, Any], lang: str = "ja", fallback: str = "") -> str:
    """The name to show: English name in English when there is one, else the Japanese name."""
    if lang == "en" and attrs.get("name_en"):
        return str(attrs["name_en"])
    return str(attrs.get("name") or attrs.get("name_en") or attrs.get("code") or fallback)


def org_tie_graph(view: nx.MultiDiGraph) -> nx.Graph:
    """Undirected simple graph of every drawn tie but the placing ones (for paths and layouts only).

    Not a measure: the map's layout and "shortest path" walk the ties the user sees, programme and
    network ties included. Degree and every other measure come from the analysis service.
    """
    simple = nx.Graph()
    simple.add_nodes_from(view.nodes)
    for u, v, d in view.edges(data=True):
        if u != v and d.get("type") not in PLACING_TYPES:
            simple.add_edge(u, v)
    return simple


class _OpenPerCall:
    """A store-like object for the service that opens the store for each call and closes it."""

    def __init__(self, factory: Callable[[], Store], owner: DataSource) -> None:
        self._factory, self._owner = factory, owner

    def _use(self, use: Callable[[Store], _T]) -> _T:
        store = self._factory()
        try:
            self._owner.store_kind = getattr(store, "name", "") or self._owner.store_kind
            return use(store)
        finally:
            try:
                store.close()
            except Exception:
                log.debug("closing the store failed", exc_info=True)

    def data_version(self) -> str:
        return self._use(lambda store: store.data_version())

    def read_graph_all(self) -> nx.MultiDiGraph:
        return self._use(lambda store: store.read_graph_all())


class DataSource:
    """Cached, failure-tolerant access to the graph and to the analysis service for the pages."""

    def __init__(
        self,
        store_factory: Callable[[], Store],
        *,
        ttl: float = 60.0,
        retry: float = 3.0,
        deadline: float | None = DEADLINE,
        store_kind: str = "",
    ) -> None:
        self._factory = store_factory
        #: ``"neo4j"`` or ``"embedded"``: given by a caller that knows it (``ipeco serve`` does), else
        #: learned when the store is first opened. A page must not learn it from a read: a read that
        #: misses the deadline (a loaded server, a slow first connection) left the kind unknown, and
        #: the console then drew the embedded store's page (no Run button) over a running Neo4j.
        self.store_kind = store_kind
        self._error: str | None = None
        self.service = AnalysisService(_OpenPerCall(store_factory, self), recheck=ttl, retry=retry, deadline=deadline)

    @property
    def has_snapshot(self) -> bool:
        """Whether a graph was ever read: an outage then shows the last data rather than nothing."""
        return self.service.has_snapshot

    @property
    def ttl(self) -> float:
        return self.service.recheck

    @ttl.setter
    def ttl(self, value: float) -> None:
        self.service.recheck = value

    @property
    def error(self) -> str | None:
        return self._error or self.service.error

    # --- the graph ----------------------------------------------------------------------------
    def refresh(self, *, force: bool = False, wait: bool | None = None) -> None:
        """Ask the store whether the data changed (every ``ttl`` s, or ``force``); record failures.

        ``wait`` (default: ``force``) waits for a changed graph to be read and warmed, when the
        store answers within the deadline; a page's own refresh never waits for that.
        """
        try:
            self.service.refresh(force=force, wait=force if wait is None else wait)
            self._error = None
        except Exception as exc:
            self._error = str(exc) or exc.__class__.__name__
            log.warning("store unavailable: %s", self._error)

    def graph(self) -> tuple[nx.MultiDiGraph, str]:
        """The whole graph and its data version; the last good one while the store is down."""
        self.refresh()
        try:
            return self.service.snapshot()
        except Exception as exc:
            raise StoreUnavailable(self.error or str(exc) or "the store has not been read yet") from exc

    def open_store(self) -> Store:
        """A new connection to the store, for a write (the workbench); the caller closes it."""
        return self._factory()

    def check(self) -> str | None:
        """Probe the store (cheaply) and return the error, or None when it answers.

        The probe opens the store and asks its data version; on recovery the data is refreshed at
        once so the page shows current data without waiting for the cache to expire.
        """
        try:
            store = self._factory()
            try:
                store.data_version()
            finally:
                store.close()
        except Exception as exc:
            self._error = str(exc) or exc.__class__.__name__
            self.service.mark_unanswered()
            return self._error
        if self.error is not None:
            self._error = None
            self.refresh(force=True, wait=False)  # the new data is read and warmed in the background
        return self.error

    def cached(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """``compute()`` memoised under ``key`` until the data version changes (the service's cache)."""
        self.graph()  # raises StoreUnavailable when nothing was ever read
        return self.service.cached(key, compute)

    def forget(self, kind: str) -> None:
        """Drop cached results of one kind (e.g. ``"map"``): the bench times recomputation with it."""
        self.service.forget(kind)

    # --- regions and views --------------------------------------------------------------------
    def regions(self) -> list[dict[str, Any]]:
        """Regions to offer: the JPO model regions (``model_region_fy`` set) first, then any other
        region where organisations are seated; regions that only serve as an address are left out.
        ``{"key", "id", "name", "name_en", "model", "organisations"}``."""
        graph, _ = self.graph()

        def compute() -> list[dict[str, Any]]:
            out = []
            for key in listed_regions(graph):
                rid = region_id(key)
                attrs = graph.nodes[rid]
                seated = sum(1 for _, _, d in graph.in_edges(rid, data=True) if d.get("type") in PLACING_TYPES)
                out.append(
                    {
                        "key": key,
                        "id": rid,
                        "name": str(attrs.get("name", key)),
                        "name_en": str(attrs.get("name_en") or key.title()),
                        "model": attrs.get("model_region_fy") is not None,
                        "organisations": seated,
                    }
                )
            return out

        return self.cached(("regions",), compute)

    def compare_regions(self) -> list[str]:
        """Regions the compare page shows: the model regions, or every offered region if none is one."""
        regions = self.regions()
        model = [r["key"] for r in regions if r["model"]]
        return model or [r["key"] for r in regions]

    def region_view(self, region: str, *, real_only: bool = False) -> nx.MultiDiGraph:
        """The region's view (:func:`graph.scope.region_subgraph`), cached per data version."""
        self.graph()
        return self.service.region_view(region, real_only=real_only)

    def has_synthetic(self) -> bool:
        graph, _ = self.graph()
        return self.cached(
            ("synthetic",),
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

    # --- analytics: the service's results -------------------------------------------------------
    def analysis(self, region: str) -> RegionAnalysis:
        """Every measure of the region's organisations (:meth:`AnalysisService.analysis`)."""
        self.graph()
        return self.service.analysis(region)

    def measures(self, region: str) -> dict[str, dict[str, Any]]:
        """The analysis's measures as ``{node: {measure: value}}``, what the map styles nodes by."""
        analysis = self.analysis(region)
        return self.cached(("measures", region), lambda: {node: row.as_dict() for node, row in analysis.nodes.items()})

    def degrees(self, region: str) -> Mapping[str, int]:
        """The region's organisations' degree (the analysis's number, without waiting for it)."""
        self.graph()
        return self.service.degrees(region)

    def gaps(self, region: str) -> GapReport:
        self.graph()
        return self.service.gaps(region)

    def ip(self, region: str) -> IPReport:
        """The region's IP layer (:meth:`analytics.service.AnalysisService.ip`): facts, holders, support bodies."""
        return self.service.ip(region)

    def worklist(self, region: str) -> Worklist:
        """The region's gaps as a worklist (:meth:`analytics.service.AnalysisService.worklist`)."""
        self.graph()
        return self.service.worklist(region)

    def compare(self, *, real_only: bool = False) -> dict[str, Any]:
        """The compare page's table: ``{"regions", "indicators": [{"key", "values", "label", "definition"}]}``."""
        self.graph()
        regions = self.compare_regions()
        comparison = self.service.comparison(regions, real_only=real_only)
        return self.cached(("compare-table", tuple(regions), real_only), lambda: comparison_table(comparison))

    def recommend(self, org: str, region: str | None = None) -> Recommendations:
        """Suggestions for ``org`` within ``region`` (default: the region it is seated in)."""
        self.graph()
        return self.service.recommendations(org, region=region)

    # --- Cypher console, exports and reports ---------------------------------------------------
    def _with_store(self, use: Callable[[Store], Any]) -> Any:
        return _OpenPerCall(self._factory, self)._use(use)

    def run_query(
        self,
        cypher: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout: float | None = None,
        row_limit: int | None = None,
        max_bytes: int | None = None,
    ) -> Any:
        """An analyst's Cypher through the one guarded runner (:func:`graph.query.run_readonly`).

        Raises the runner's :class:`graph.query.QueryError` subclasses (one sentence each) and
        :class:`StoreUnavailable`; never caches, because a console user expects current data.
        """
        import threading
        import time

        from graph.query import DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT, run_readonly, timed_out

        # The deadline covers connecting too: the whole call (open, run, close) runs in a helper thread,
        # and the page gets its answer by the deadline + 1 s even when the server is too loaded to accept.
        seconds = timeout or DEFAULT_TIMEOUT
        started = time.monotonic()
        box: dict[str, Any] = {}

        def work() -> None:
            try:
                box["result"] = self._with_store(
                    lambda store: run_readonly(
                        store,
                        cypher,
                        params,
                        timeout=seconds,
                        row_limit=row_limit or DEFAULT_ROW_LIMIT,
                        max_bytes=max_bytes,
                        clock_started=started,
                    )
                )
            except BaseException as exc:  # handed to the caller's thread
                box["error"] = exc

        worker = threading.Thread(target=work, name="ipeco-console", daemon=True)
        worker.start()
        worker.join(seconds + 1.0)
        if worker.is_alive():
            raise timed_out(seconds)
        if "error" in box:
            raise box["error"]
        return box["result"]

    @staticmethod
    def saved_queries() -> list[Any]:
        """The bundled saved queries (:func:`graph.query.saved_queries`)."""
        from graph.query import saved_queries

        return saved_queries()

    def export_region(self, region: str, fmt: str, path: Path, *, real_only: bool = False) -> list[Path]:
        """The region's graph written by :func:`graph.exports.export_graph` (what ``ipeco export`` writes).

        ``xlsx`` also gets the region's indicators and gaps from the service, as the CLI does.
        """
        from graph.exports import export_graph

        view = self.region_view(region, real_only=real_only)
        indicators = gaps = None
        if fmt == "xlsx":
            indicators = self.service.analysis(region, real_only=real_only).as_dict()["indicators"]
            gaps = self.service.gaps(region, real_only=real_only).as_dict()["gaps"]
        return export_graph(view, fmt, path, indicators=indicators, gaps=gaps)


# --- presentation of the comparison --------------------------------------------------------------
def comparison_table(comparison: Comparison) -> dict[str, Any]:
    """The comparison as the compare page and reports draw it: every cell a scalar or short text."""
    rows = [
        {
            "key": row["key"],
            "values": row["values"],
            "label": {lang: t(f"indicator.{row['key']}", lang) for lang in LANGS},
            "definition": {lang: t(f"indicator.{row['key']}.def", lang) for lang in LANGS},
        }
        for row in comparison.as_dict()["indicators"]
    ]
    return {
        "regions": list(comparison.regions),
        "indicators": flatten_indicators(rows),
        "thin": comparison.thin_regions(),
    }


#: Inside a structured indicator value, the number that stands for it (e.g. triple helix T in bits).
_HEADLINE_KEYS = ("value", "t_bits", "score", "share", "mean")


def _sub_label(sub: str) -> dict[str, str]:
    from graph.words import PHASE_LABELS, ROLE_LABEL_NAMES

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
            out += _mapping_rows(row)
        else:
            out.append({**row, "values": {region: _cell(value) for region, value in row["values"].items()}})
    return out


def _mapping_rows(row: dict[str, Any]) -> list[dict[str, Any]]:
    """A row whose values are mappings: its headline number, else one row per numeric or text entry."""
    values = row["values"].values()
    headline = next((k for k in _HEADLINE_KEYS if all(k in v for v in values)), None)
    if headline:
        return [{**row, "values": {r: v[headline] for r, v in row["values"].items()}}]
    subs = sorted(
        {k for v in values for k in v if isinstance(v[k], int | float | str)},
        key=lambda k: (k not in PHASES, k),
    )
    out = []
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
    return out


def _cell(value: Any) -> Any:
    """A list of records (top brokers) as their first three names; anything else as it is."""
    if not isinstance(value, list):
        return value
    names = [str(item.get("name") or item.get("id")) if isinstance(item, Mapping) else str(item) for item in value]
    return t("form.list", "ja").join(names[:3]) + ("…" if len(names) > 3 else "")  # one cell, both pages


def to_json(value: Any) -> str:
    """Stable JSON for caches and tests (sets and tuples become lists)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=list)
