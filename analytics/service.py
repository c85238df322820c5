"""The one analysis service: a region read through the store once, analysed once, typed results.

The CLI, the web app and the reports all ask this service, never ``analytics`` modules directly,
so every surface shows the same number for the same organisation. The service

* reads the whole graph through a store-like object (anything with ``data_version()`` and
  ``read_graph_all()``: both stores of :mod:`graph.store`, or the web app's open-per-call adapter)
  and does no other I/O;
* takes each region's view from :func:`graph.scope.region_subgraph` (the one region scope);
* builds a region's organisation graph and phase index once and shares them between measures,
  gaps and the comparison (the analytics functions accept them for that);
* returns the frozen dataclasses of :mod:`analytics.results` (defined once, used as they are by
  every surface), cached on the store's data version: a load, a score write or a clear changes
  the version and the next call recomputes.

Failure policy: a service that has read the store once keeps serving that snapshot while the store
cannot be reached (``error`` says why), because a web page should not go blank during a Neo4j
restart; a service that has never read (the CLI) raises :class:`graph.store.StoreUnavailable`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Protocol, TypeVar

import networkx as nx

from analytics.compare import compare_regions
from analytics.engagements import EngagementFacts, engagement_facts, public_ties
from analytics.gaps import find_gaps
from analytics.ip import IPCounts, IPFact, IPProfile, ip_counts, ip_facts, ip_profiles, ip_support_bodies
from analytics.measures import analyze_region
from analytics.names import find_organisation
from analytics.orggraph import organisation_graph
from analytics.phases import PhaseIndex
from analytics.recommend import PartnerScorer, recommend
from analytics.results import (
    MEASURES,
    NODE_FIELDS,
    Community,
    Comparison,
    EmptyReason,
    Explanation,
    Gap,
    GapReport,
    Indicator,
    NodeMeasures,
    Recommendations,
    RegionAnalysis,
    RegionCounts,
    Suggestion,
    Text,
    frozen,
)
from analytics.worklist import Worklist, build_worklist, outside_ties
from graph.errors import NotFoundError
from graph.scope import model_regions, organisation_regions, region_key, region_organisations, region_subgraph
from graph.store import StoreUnavailable
from graph.views import real_subgraph

__all__ = [
    "MEASURES",
    "NOT_ANSWERING",
    "AnalysisService",
    "Community",
    "Comparison",
    "Gap",
    "GapReport",
    "IPReport",
    "Indicator",
    "NodeMeasures",
    "Recommendations",
    "RegionAnalysis",
    "StoreLike",
    "Suggestion",
    "Text",
    "Worklist",
]

_T = TypeVar("_T")
log = logging.getLogger(__name__)

#: ``error`` while a snapshot is served because the store has not answered within the deadline.
NOT_ANSWERING = "the database is not answering; showing the last data"
NOT_ANSWERING_FIRST = "the database is not answering and nothing has been read from it yet"


class StoreLike(Protocol):
    """What the service needs from a store (:class:`graph.store.Store` has both)."""

    def data_version(self) -> str: ...

    def read_graph_all(self) -> nx.MultiDiGraph: ...


# --- typed results -------------------------------------------------------------------------------
# --- conversions from the analytics modules' documents ------------------------------------------
def _analysis(raw: Mapping[str, Any], version: str, real_only: bool) -> RegionAnalysis:
    nodes = {
        str(node): NodeMeasures(
            id=str(node),
            brokerage=frozen(row.get("brokerage") or {}),
            **{name: row.get(name) for name in NODE_FIELDS},
        )
        for node, row in raw["nodes"].items()
    }
    return RegionAnalysis(
        region=raw["region"],
        data_version=version,
        real_only=real_only,
        nodes=MappingProxyType(nodes),
        communities=tuple(Community(c["id"], tuple(c["members"])) for c in raw["communities"]),
        articulation_points=tuple(raw["articulation_points"]),
        bridges=tuple((u, v) for u, v in raw["bridges"]),
        indicators=frozen(raw["indicators"]),
    )


def _gap_report(raw: Mapping[str, Any], version: str, real_only: bool) -> GapReport:
    gaps = tuple(
        Gap(
            kind=g["kind"],
            subjects=tuple(str(s) for s in g["subjects"]),
            phase=g.get("phase"),
            explanation=Explanation.of(g["explanation"]),
            evidence=tuple(frozen(e) for e in g.get("evidence") or ()),
            score=float(g["score"]),
            rank=int(g["rank"]),
        )
        for g in raw["gaps"]
    )
    return GapReport(raw["region"], version, real_only, gaps, frozen(raw["counts"]), frozen(raw["completeness"]))


def _comparison(raw: Mapping[str, Any], version: str, real_only: bool) -> Comparison:
    indicators = tuple(
        Indicator(
            key=row["key"],
            values=frozen(row["values"]),
            null=frozen(row["null"]) if "null" in row else None,
        )
        for row in raw["indicators"]
    )
    details = {k: v for k, v in raw.items() if k not in ("regions", "indicators")}
    return Comparison(tuple(raw["regions"]), version, real_only, indicators, frozen(details))


def _suggestion(kind: str, raw: Mapping[str, Any], graph: nx.MultiDiGraph) -> Suggestion:
    attrs = graph.nodes[raw["id"]] if raw["id"] in graph else {}
    return Suggestion(
        kind=kind,
        id=str(raw["id"]),
        name=str(raw.get("name") or attrs.get("name") or raw["id"]),
        name_en=str(attrs.get("name_en") or ""),
        score=float(raw["score"]),
        reasons=tuple(frozen(r) for r in raw["reasons"]),
        role=raw.get("role"),
        phase=raw.get("phase"),
        place=frozen(raw["place"]) if raw.get("place") else None,
        delivered_by=raw.get("delivered_by"),
        synthetic=bool(attrs.get("synthetic")),
        details=frozen({k: v for k, v in raw.items() if k not in _SUGGESTION_KEYS}),
    )


_SUGGESTION_KEYS = frozenset({"id", "name", "score", "reasons", "role", "phase", "place", "delivered_by"})


def _empty_reason(raw: Mapping[str, Any]) -> EmptyReason:
    return EmptyReason(str(raw["code"]), tuple(raw.get("phases") or ()), str(raw.get("who") or ""))


def _merged_comparison(keys: Sequence[str], parts: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One ``compare_regions`` document from one-region documents (same indicators, in the same order).

    Values, nulls and null-model notes are per region; the rest (triple-helix note, seed) is the
    same in every part.
    """
    first = parts[0]
    indicators = []
    for i, row in enumerate(first["indicators"]):
        merged = {**row, "values": {k: v for part in parts for k, v in part["indicators"][i]["values"].items()}}
        if "null" in row:
            merged["null"] = {k: v for part in parts for k, v in part["indicators"][i]["null"].items()}
        indicators.append(merged)
    null_models = {k: v for part in parts for k, v in part["null_models"].items()}
    return {**first, "regions": list(keys), "indicators": indicators, "null_models": null_models}


@dataclass(frozen=True)
class IPReport:
    """A region's IP layer (:mod:`analytics.ip`): its facts, their counts and each organisation's profile."""

    region: str
    data_version: str
    real_only: bool
    facts: tuple[IPFact, ...]
    counts: IPCounts
    profiles: Mapping[str, IPProfile]
    #: The region's own organisations that are IP support bodies (the map's 知財 layer marks them).
    support_bodies: frozenset[str] = frozenset()

    @property
    def holders(self) -> frozenset[str]:
        """IP-active organisations (a right, an award or a licence): the map's 知財 layer marks them."""
        return frozenset(org for org, p in self.profiles.items() if p.active)

    def of(self, org: str) -> tuple[IPFact, ...]:
        """The facts about one organisation."""
        return tuple(f for f in self.facts if f.org == org)

    def as_dict(self) -> dict[str, Any]:
        """The ``ipeco ip --json`` document."""
        return {
            "region": self.region,
            "counts": self.counts.as_dict(),
            "facts": [f.as_dict() for f in self.facts],
            "organisations": {k: p.as_dict() for k, p in self.profiles.items()},
            "support_bodies": sorted(self.support_bodies),
        }


# --- the service ---------------------------------------------------------------------------------
@dataclass
class _RegionWork:
    """What measures, gaps, the comparison and suggestions of one region share: view, organisation graph, phases."""

    view: nx.MultiDiGraph
    H: nx.Graph
    index: PhaseIndex
    _scorer: PartnerScorer | None = field(default=None, repr=False)
    _scorer_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def scorer(self) -> PartnerScorer:
        """The partner scorer of this view and organisation graph, built on first use and kept with them.

        Kept here rather than under a cache key of its own, so that it can never outlive (or be
        paired with another copy of) the view and organisation graph it was built from.
        """
        with self._scorer_lock:
            if self._scorer is None:
                self._scorer = PartnerScorer(self.view, self.H)
            return self._scorer


class AnalysisService:
    """Typed, cached analytics of the regions of one store (see the module docstring).

    Parameters
    ----------
    store
        Anything with ``data_version()`` and ``read_graph_all()``.
    seed, exact_threshold, k
        Passed to every randomised or sampled step (as ``ipeco analyze`` documents them).
    recheck, retry
        Seconds between two questions to the store for its data version (0: every call), and after
        a failed one. The web app passes a minute, so that a page with ten callbacks asks once.
    cache_size
        Results kept (least recently used dropped first); all are dropped when the version changes.
        Six regions' work, analyses, gaps, worklists and comparison parts, each with and without the
        demo layer, already take about 60 entries, and every organisation clicked on the map adds its
        suggestions: a small cache would let cheap suggestions push out the costly comparison.
    """

    def __init__(
        self,
        store: StoreLike,
        *,
        seed: int = 42,
        exact_threshold: int = 5000,
        k: int = 500,
        recheck: float = 0.0,
        retry: float = 3.0,
        cache_size: int = 1024,
        deadline: float | None = None,
    ) -> None:
        self.store = store
        self.seed, self.exact_threshold, self.k = seed, exact_threshold, k
        self.recheck, self.retry = recheck, retry
        self.deadline = deadline
        #: Run (in the refresher thread, against the new data) before a new data version is served.
        self.warmers: list[Callable[[], object]] = [self.warm_now]
        self.error: str | None = None
        self._graph: nx.MultiDiGraph | None = None
        self._version = ""
        self._checked_at = -float("inf")
        self._lock = threading.RLock()
        self._memo: OrderedDict[tuple[Hashable, str], Any] = OrderedDict()
        self._memo_size = cache_size
        self._busy: dict[tuple[Hashable, str], threading.Lock] = {}
        self._local = threading.local()  # .pending: the (graph, version) the refresher is warming
        self._refresher: threading.Thread | None = None
        self._asking_since: float | None = None
        self._answered = threading.Event()
        self._read = threading.Event()

    # --- the snapshot ---------------------------------------------------------------------------
    def _current(self) -> tuple[nx.MultiDiGraph | None, str]:
        """The snapshot this thread sees: the one being warmed in the refresher, else the served one."""
        pending = getattr(self._local, "pending", None)
        return pending if pending is not None else (self._graph, self._version)

    def refresh(self, *, force: bool = False, wait: bool = False) -> str:
        """Ask the store for its data version (at most every ``recheck`` s) and re-read on a change.

        Without a ``deadline`` (the CLI) the caller waits for the answer. With one (the web app) the
        store is asked from a background thread and no caller waits longer than ``deadline``: a
        frozen server leaves the last snapshot in service (``error`` says so) while the question
        stays open, and a new data version is read and warmed in the background before it replaces
        the old one (see :meth:`_refresh_in_background`). ``wait`` waits for that read and warming
        when the store answered within the deadline (tests, and a forced re-read).
        """
        pending = getattr(self._local, "pending", None)
        if pending is not None:
            return str(pending[1])
        if self.deadline is None:
            return self._refresh_now(force=force)
        return self._refresh_bounded(force=force, wait=wait)

    def _refresh_now(self, *, force: bool = False) -> str:
        with self._lock:
            now = time.monotonic()
            if not force and self._graph is not None and now - self._checked_at < self.recheck:
                return self._version
            try:
                version = self.store.data_version()
                graph = self.store.read_graph_all() if version != self._version or self._graph is None else None
            except Exception as exc:
                if self._graph is None:
                    raise
                self.error = str(exc) or exc.__class__.__name__
                self._checked_at = now - max(self.recheck - self.retry, 0.0)
                return self._version
            self._checked_at, self.error = now, None
            if graph is not None:
                self._install(graph, version)
            return self._version

    def _refresh_bounded(self, *, force: bool = False, wait: bool = False) -> str:
        """Ask the store in the background and wait at most :attr:`deadline` for an answer (``wait``:
        then also for the read); serve the snapshot when the store is silent, raise when there is none."""
        deadline = float(self.deadline or 0.0)
        asked = self._ask(force=force, wait=wait)
        if isinstance(asked, str):
            return asked
        answered, read, since = asked
        if since is not None:
            answered.wait(max(0.0, deadline - (time.monotonic() - since)))
        if wait and answered.is_set():
            read.wait()
        return self._served_after(answered, read, deadline)

    def _ask(self, *, force: bool, wait: bool) -> str | tuple[threading.Event, threading.Event, float | None]:
        """Start the background refresher unless it runs; the version to serve at once when the snapshot
        is fresh (or a failed store is not to be waited for again), else the events to wait on."""
        with self._lock:
            now = time.monotonic()
            if not force and self._graph is not None and now - self._checked_at < self.recheck:
                return self._version
            if self._refresher is None or not self._refresher.is_alive():
                self._answered, self._read = threading.Event(), threading.Event()
                self._asking_since = now
                self._refresher = threading.Thread(
                    target=self._refresh_in_background, name="ipeco-refresh", daemon=True
                )
                self._refresher.start()
            # After a failed or unanswered question, pages do not wait again until the store has answered.
            if self._graph is not None and self.error is not None and not wait:
                return self._version
            return self._answered, self._read, self._asking_since

    def _served_after(self, answered: threading.Event, read: threading.Event, deadline: float) -> str:
        """The version once the wait is over: the snapshot (marked unanswered if the store was silent),
        else the first read while the server answers, never a wait for a silent one."""
        with self._lock:
            if self._graph is not None:
                if not answered.is_set():
                    self.error = NOT_ANSWERING
                return self._version
        if not answered.is_set():
            raise StoreUnavailable(f"{NOT_ANSWERING_FIRST} (no answer within {deadline:g} s)")
        read.wait()
        with self._lock:
            if self._graph is None:
                raise StoreUnavailable(self.error or "the store could not be read")
            return self._version

    def _refresh_in_background(self) -> None:
        """Ask the version; on a change read the graph, warm it (:attr:`warmers`), then serve it.

        While the new version is read and its analyses computed, every request keeps the old
        snapshot and its cached results: nobody waits for the recomputation after a load.
        """
        answered, read = self._answered, self._read
        try:
            version = self.store.data_version()
            with self._lock:
                self._asking_since, self._checked_at = None, time.monotonic()
                changed = self._graph is None or version != self._version
                if not changed:
                    self.error = None
            answered.set()
            if changed:
                graph = self.store.read_graph_all()
                if self._graph is not None:
                    self._warm_pending(graph, version)
                with self._lock:
                    self._install(graph, version)
                    self.error = None
        except Exception as exc:
            with self._lock:
                self.error = str(exc) or exc.__class__.__name__
                self._asking_since = None
                self._checked_at = time.monotonic() - max(self.recheck - self.retry, 0.0)
            log.warning("store unavailable: %s", self.error)
        finally:
            answered.set()
            read.set()

    def _warm_pending(self, graph: nx.MultiDiGraph, version: str) -> None:
        self._local.pending = (graph, version)
        try:
            for warm in self.warmers:
                try:
                    warm()
                except Exception:
                    log.warning("warming data version %s failed; it is computed on demand", version, exc_info=True)
        finally:
            self._local.pending = None

    def _install(self, graph: nx.MultiDiGraph, version: str) -> None:
        """Serve ``graph`` as ``version``; results of other versions are dropped (call with the lock)."""
        self._graph, self._version = graph, version
        for full in [f for f in self._memo if f[1] != version]:
            del self._memo[full]

    def snapshot(self) -> tuple[nx.MultiDiGraph, str]:
        """The whole graph and its data version (refreshed per ``recheck``)."""
        self.refresh()
        graph, version = self._current()
        assert graph is not None  # refresh raised otherwise
        return graph, version

    @property
    def data_version(self) -> str:
        return self.refresh()

    def mark_unanswered(self) -> None:
        """Note that the store did not answer someone else's question (the web app's health probe):
        pages then serve the last data at once instead of waiting for their own question."""
        with self._lock:
            if self._graph is not None and self.error is None:
                self.error = NOT_ANSWERING

    @property
    def has_snapshot(self) -> bool:
        """Whether a graph was ever read (the web app then serves it through an outage)."""
        return self._graph is not None

    def graph(self) -> nx.MultiDiGraph:
        return self.snapshot()[0]

    def cached(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """``compute()`` memoised under ``(key, data version)``; one computation per key at a time.

        Two web requests asking for the same region at once wait for one computation instead of
        running it twice (each would otherwise take the full time on a busy server).
        """
        self.refresh()
        with self._lock:
            # The version served now, read under the lock: a new version installed between the
            # refresh and here dropped the old results, and its own were warmed in the background.
            full = (key, self._current()[1])
            if full in self._memo:
                self._memo.move_to_end(full)
                return self._memo[full]
            busy = self._busy.setdefault(full, threading.Lock())
        with busy:
            with self._lock:
                if full in self._memo:
                    return self._memo[full]
            value = compute()
            with self._lock:
                self._memo[full] = value
                self._busy.pop(full, None)
                while len(self._memo) > self._memo_size:
                    self._memo.popitem(last=False)
        return value

    def _peek(self, key: Hashable) -> Any:
        """The cached result under ``key`` at the current version, or None (never computes)."""
        with self._lock:
            return self._memo.get((key, self._current()[1]))

    def forget(self, kind: str) -> None:
        """Drop cached results of one kind (``"analysis"``, ``"map"``, ...): benchmarks time recomputation."""
        with self._lock:
            for full in [f for f in self._memo if isinstance(f[0], tuple) and f[0] and f[0][0] == kind]:
                del self._memo[full]

    # --- regions --------------------------------------------------------------------------------
    def model_regions(self) -> list[str]:
        return model_regions(self.graph())

    def region_view(self, region: str, *, real_only: bool = False) -> nx.MultiDiGraph:
        """Region R's view (:func:`graph.scope.region_subgraph`), optionally without synthetic data."""
        return self._work(region, real_only).view

    def organisation_graph(self, region: str, *, real_only: bool = False) -> nx.Graph:
        """The organisation graph every measure of the region is computed on (shared: do not mutate)."""
        return self._work(region, real_only).H

    def _work(self, region: str, real_only: bool) -> _RegionWork:
        key = region_key(region)

        def compute() -> _RegionWork:
            view = region_subgraph(self.graph(), key)
            if real_only:
                view = real_subgraph(view)
            # Ties are counted and measured on public facts only; producer records are counted apart
            # (:meth:`engagements`), so every surface can say how many it left out.
            return _RegionWork(view, organisation_graph(public_ties(view)), PhaseIndex(view))

        return self.cached(("work", key, real_only), compute)

    def warm_now(self, regions: Iterable[str] | None = None) -> None:
        """Compute the regions' analyses, gaps, first suggestions and comparison (default: the model regions)."""
        keys = list(regions or self.model_regions())
        for region in keys:
            self.analysis(region)
            self.worklist(region)  # and its gaps
            self._work(region, False).scorer()  # the map's first node click then only ranks
        for region in keys:  # after the analyses, which each region's comparison reuses
            self.region_comparison(region)
        self.comparison(keys)

    def warm(self, regions: Iterable[str] | None = None) -> threading.Thread:
        """:meth:`warm_now` in a background thread (the web app's start).

        A request for a region being computed waits for that computation (see :meth:`cached`)
        instead of starting a second one, so the first visitor of a page never waits twice.
        """

        def work() -> None:
            try:
                self.warm_now(regions)
            except Exception:  # the store went away: the next request reports it
                log.warning("warming the analysis cache failed", exc_info=True)

        thread = threading.Thread(target=work, name="ipeco-warm", daemon=True)
        thread.start()
        return thread

    # --- analytics ------------------------------------------------------------------------------
    def region_counts(self, region: str, *, real_only: bool = False) -> RegionCounts:
        """The region's organisations, ties and firms: the one set of numbers every surface prints."""
        key = region_key(region)
        H = self._work(key, real_only).H  # noqa: N806  (the organisation graph, as everywhere)
        firms = sum(1 for _, role in H.nodes(data="role") if role == "Company")
        return RegionCounts(key, H.number_of_nodes(), H.number_of_edges(), firms)

    def engagements(self, region: str, *, real_only: bool = False) -> EngagementFacts:
        """The region's producer records (``source: producer``), counted apart from its public ties.

        The one count the report, the compare page and ``ipeco stats`` print as "N producer records
        not counted": the organisation graph behind their tie counts leaves these records out.
        """
        key = region_key(region)
        return self.cached(("engagements", key, real_only), lambda: engagement_facts(self._work(key, real_only).view))

    def degrees(self, region: str, *, real_only: bool = False) -> Mapping[str, int]:
        """Each of the region's organisations' degree, from the same organisation graph as :meth:`analysis`.

        Cheap (no centrality is run), so a map sized by degree need not wait for the analysis;
        it is the very number ``analysis(region).nodes[n].degree`` reports.
        """
        work = self._work(region_key(region), real_only)
        return MappingProxyType({str(n): int(d) for n, d in work.H.degree()})

    def analysis(self, region: str, *, real_only: bool = False) -> RegionAnalysis:
        """Every per-organisation measure of the region (degree, betweenness, community, ...)."""
        key = region_key(region)

        def compute() -> RegionAnalysis:
            work = self._work(key, real_only)
            raw = analyze_region(
                work.view, key, exact_threshold=self.exact_threshold, k=self.k, seed=self.seed, H=work.H
            )
            return _analysis(raw, self.data_version, real_only)

        return self.cached(("analysis", key, real_only), compute)

    def gaps(self, region: str, *, real_only: bool = False) -> GapReport:
        """The region's gaps (DESIGN §4), ranked, with completeness."""
        key = region_key(region)

        def compute() -> GapReport:
            work = self._work(key, real_only)
            return _gap_report(find_gaps(work.view, key, H=work.H, index=work.index), self.data_version, real_only)

        return self.cached(("gaps", key, real_only), compute)

    def worklist(self, region: str, *, real_only: bool = False) -> Worklist:
        """The region's gaps as a worklist (:mod:`analytics.worklist`): one card per organisation.

        Built from :meth:`gaps` (the same findings, so the Gaps page, ``ipeco gaps`` and the
        exported sheet rank the same cards) on the same view, organisation graph and phase index.
        """
        key = region_key(region)

        def compute() -> Worklist:
            work = self._work(key, real_only)
            report = self.gaps(key, real_only=real_only)
            built = build_worklist(
                work.view,
                work.H,
                work.index,
                [g.as_dict() for g in report.gaps],
                region=report.region,
                completeness=report.completeness,
                outside=outside_ties(self.graph(), work.H),
            )
            return replace(built, data_version=self.data_version, real_only=real_only)

        return self.cached(("worklist", key, real_only), compute)

    def comparison(self, regions: Sequence[str] | None = None, *, real_only: bool = False) -> Comparison:
        """One indicator table for ``regions`` (default: the model regions), reusing each analysis.

        :func:`analytics.compare.compare_regions` measures each region on its own (its own seeded
        nulls, Louvain runs and bootstrap), so the table of several regions is the union of the
        one-region tables. Each region's table is cached on its own (:meth:`region_comparison`):
        a region's report, the compare page and ``ipeco compare`` then share one computation
        instead of re-running every region's null models for each set of regions asked for.
        """
        keys = tuple(dict.fromkeys(region_key(r) for r in regions)) if regions else tuple(self.model_regions())

        def compute() -> Comparison:
            if not keys:
                return _comparison(compare_regions({}, seed=self.seed), self.data_version, real_only)
            parts = [self.region_comparison(key, real_only=real_only) for key in keys]
            return _comparison(_merged_comparison(keys, parts), self.data_version, real_only)

        return self.cached(("comparison", keys, real_only), compute)

    def region_comparison(self, region: str, *, real_only: bool = False) -> Mapping[str, Any]:
        """``compare_regions`` of one region (the raw document), cached: the part :meth:`comparison` joins."""
        key = region_key(region)

        def compute() -> Mapping[str, Any]:
            work = self._work(key, real_only)
            # An analysis already computed spares recomputing betweenness and modularity; one not yet
            # computed is not waited for: compare_regions runs the same seeded functions on the same
            # organisation graph (path_centralities, louvain + modularity), so the numbers are the same.
            known = self._peek(("analysis", key, real_only))
            return compare_regions(
                {key: work.view},
                seed=self.seed,
                exact_threshold=self.exact_threshold,
                k=self.k,
                analyses={key: known.as_dict()} if isinstance(known, RegionAnalysis) else None,
                org_graphs={key: work.H},
                phase_indexes={key: work.index},
            )

        return self.cached(("comparison-part", key, real_only), compute)

    def find_organisation(self, text: str, *, region: str | None = None) -> str:
        """The id of the organisation ``text`` names: an id, an exact name, or a unique prefix (:mod:`analytics.names`).

        With ``region``, only that region's organisations are searched. Several matches raise
        :class:`analytics.names.AmbiguousNameError` listing candidates with their ids.
        """
        graph = self.graph()
        among = region_organisations(graph, region_key(region)) if region else None
        return find_organisation(graph, text, among=among)

    def ip(self, region: str, *, real_only: bool = False) -> IPReport:
        """The region's IP facts, counts and per-organisation IP profiles (issue 19)."""
        key = region_key(region)

        def compute() -> IPReport:
            view = self._work(key, real_only).view
            # An IP fact is about the region's organisation whoever the other party is: 発明協会
            # (seated in Tokyo) giving Sysmex a 近畿地方発明表彰 is a Kobe fact though the awarding
            # body is not in Kobe's view. So facts and profiles read the whole graph around R's
            # seated organisations; the bodies marked on R's map stay R's own.
            whole = real_subgraph(self.graph()) if real_only else self.graph()
            facts = ip_facts(whole, key)
            profiles = MappingProxyType(ip_profiles(whole, key))
            bodies = frozenset(b for b in ip_support_bodies(view) if view.nodes[b].get("in_region"))
            return IPReport(key, self.data_version, real_only, facts, ip_counts(facts), profiles, bodies)

        return self.cached(("ip", key, real_only), compute)

    def home_region(self, org: str) -> str:
        """The region an organisation's suggestions are drawn from: its seat, else the first it serves."""
        graph = self.graph()
        if org not in graph:
            msg = f"no organisation with id {org!r}; give its name or the first characters of it"
            raise NotFoundError(msg)
        regions = organisation_regions(graph, org)
        if not regions:
            msg = f"{org!r} is neither located in nor serving any region, so it has no region to draw suggestions from"
            raise NotFoundError(msg)
        return regions[0]

    def recommendations(
        self, org: str, *, region: str | None = None, real_only: bool = False, top: int = 10
    ) -> Recommendations:
        """Partners, support bodies and programmes for ``org`` within ``region`` (default: its own)."""
        key = region_key(region) if region else self.home_region(org)

        def compute() -> Recommendations:
            work = self._work(key, real_only)
            view = work.view
            if org not in view:
                msg = f"{org!r} is not one of {key}'s organisations; its regions: {', '.join(self._regions_of(org))}"
                raise NotFoundError(msg)
            # The region's organisation graph, phase index and partner scorer are built once per data
            # version and shared by every organisation's suggestions (a map click asks for a new one).
            raw = recommend(view, org, top=top, H=work.H, scorer=work.scorer(), index=work.index)
            return Recommendations(
                org=org,
                name=str(raw["name"]),
                region=key,
                data_version=self.data_version,
                uncovered_phases=tuple(raw["uncovered_phases"]),
                partners=tuple(_suggestion("partner", p, view) for p in raw["partners"]),
                support=tuple(_suggestion("support", s, view) for s in raw["support"]),
                programmes=tuple(_suggestion("programme", p, view) for p in raw["programmes"]),
                method=frozen(raw["method"]),
                empty=MappingProxyType({k: _empty_reason(v) for k, v in (raw.get("empty") or {}).items()}),
                participant=str(raw.get("participant") or ""),
            )

        return self.cached(("recommend", org, key, real_only, top), compute)

    def _regions_of(self, org: str) -> Iterable[str]:
        graph = self.graph()
        return organisation_regions(graph, org) if org in graph else ()
