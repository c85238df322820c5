"""The regions in time through the one analysis service: snapshots, indicators, changes, journeys (issue 21).

:class:`Timeline` adds fiscal years to :class:`analytics.service.AnalysisService`: it takes the
service's graph, cuts it to a fiscal year with :func:`graph.snapshots.snapshot` (the one
definition), takes the region's view with :func:`graph.scope.region_subgraph`, and caches every
result in the service's cache, so a new data version recomputes them like every other result.

The indicators over time are the comparison's own (:func:`analytics.compare.compare_regions`, the
same definitions and code as the comparison page) on each year's view, without the rewired null
models and the bootstrap interval (a time series needs the observed values; the nulls of twelve
years would cost twelve comparisons). Each region's series carries its model-region fiscal year
(the Region node's ``model_region_fy``) for the charts to mark, and the count of ties and
organisations that could not be placed in any year.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from analytics.changes import RegionChanges, region_changes
from analytics.compare import compare_regions
from analytics.journeys import RegionJourneys, region_journeys
from analytics.measures import analyze_region
from analytics.orggraph import organisation_graph
from graph.scope import region_id, region_key, region_subgraph
from graph.snapshots import Snapshot, Spans, TieRef, latest_fiscal_year, snapshot, spans_of
from graph.views import real_subgraph

if TYPE_CHECKING:
    from analytics.service import AnalysisService, RegionAnalysis

__all__ = ["SERIES_KEYS", "WINDOW", "IndicatorSeries", "RegionTimeline", "Timeline", "series_values"]

#: Fiscal years offered by default: the latest and the eleven before it.
WINDOW = 12

#: Indicators drawn over time: scalar rows of the comparison, and phase coverage by phase.
SERIES_KEYS: tuple[str, ...] = (
    "n",
    "m",
    "mean_degree",
    "density",
    "components",
    "largest_component_share",
    "supported_firm_share",
    "phase_coverage.ideation",
    "phase_coverage.launch",
    "phase_coverage.expansion",
    "modularity",
    "degree_centralisation",
)


@dataclass(frozen=True)
class IndicatorSeries:
    """One indicator of one region, one value per fiscal year (None where it is undefined)."""

    key: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class RegionTimeline:
    """A region's indicators per fiscal year, the model-region year to mark, what is undated."""

    region: str
    years: tuple[int, ...]
    series: tuple[IndicatorSeries, ...]
    model_region_fy: int | None
    undated_ties: int
    undated_organisations: int

    def values(self, key: str) -> tuple[float | None, ...]:
        return next(s.values for s in self.series if s.key == key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "years": list(self.years),
            "model_region_fy": self.model_region_fy,
            "undated_ties": self.undated_ties,
            "undated_organisations": self.undated_organisations,
            "series": {s.key: list(s.values) for s in self.series},
        }


def series_values(table: Mapping[str, Any], region: str) -> dict[str, float | None]:
    """The :data:`SERIES_KEYS` values of one region from a ``compare_regions`` document."""
    rows = {row["key"]: row["values"].get(region) for row in table["indicators"]}
    out: dict[str, float | None] = {}
    for key in SERIES_KEYS:
        head, _, part = key.partition(".")
        value = rows.get(head)
        if part:
            value = value.get(part) if isinstance(value, Mapping) else None
        out[key] = float(value) if isinstance(value, int | float) else None
    return out


class Timeline:
    """Fiscal-year results of one :class:`~analytics.service.AnalysisService` (module docstring)."""

    def __init__(self, service: AnalysisService) -> None:
        self.service = service

    def latest_year(self) -> int | None:
        """The latest fiscal year a tie of the whole graph starts in."""
        return self.service.cached(("time-latest",), lambda: latest_fiscal_year(self.service.graph()))

    def years(self, window: int = WINDOW) -> tuple[int, ...]:
        """The fiscal years offered: the latest and the ``window - 1`` before it (empty without dates)."""
        latest = self.latest_year()
        return () if latest is None else tuple(range(latest - window + 1, latest + 1))

    def spans(self) -> Spans:
        """When each node and tie of the whole graph is held (shared by every year's snapshot), cached."""
        return self.service.cached(("time-spans",), lambda: spans_of(self.service.graph()))

    def snapshot(self, year: int) -> Snapshot:
        """The whole graph as of FY ``year`` (:func:`graph.snapshots.snapshot`), cached."""
        return self.service.cached(
            ("time-snapshot", int(year)), lambda: snapshot(self.service.graph(), int(year), self.spans())
        )

    def view(self, region: str, year: int, *, real_only: bool = False) -> nx.MultiDiGraph:
        """Region R's view as of FY ``year``: the region scope of the year's snapshot."""
        key = region_key(region)

        def compute() -> nx.MultiDiGraph:
            view = region_subgraph(self.snapshot(year).graph, key)
            return real_subgraph(view) if real_only else view

        return self.service.cached(("time-view", key, int(year), real_only), compute)

    def undated(self, region: str, *, real_only: bool = False) -> tuple[TieRef, ...]:
        """The ties of R's current view that no year can hold (counted and named on every surface)."""
        key = region_key(region)

        def compute() -> tuple[TieRef, ...]:
            current = self.service.region_view(key, real_only=real_only)
            latest = self.latest_year()
            refs = self.snapshot(latest).undated_ties if latest is not None else ()
            return tuple(r for r in refs if current.has_edge(r.source, r.target, r.key))

        return self.service.cached(("time-undated", key, real_only), compute)

    def undated_organisations(self, region: str, *, real_only: bool = False) -> int:
        """How many of R's organisations no year can hold (no founding year, no dated tie)."""
        current = self.service.region_view(region, real_only=real_only)
        latest = self.latest_year()
        names = self.snapshot(latest).undated_organisations if latest is not None else ()
        return sum(1 for n in names if current.nodes.get(n, {}).get("in_region"))

    def _year_values(self, region: str, year: int, real_only: bool) -> dict[str, float | None]:
        def compute() -> dict[str, float | None]:
            view = self.view(region, year, real_only=real_only)
            table = compare_regions(
                {region: view},
                seed=self.service.seed,
                null_models=0,
                bootstrap=0,
                exact_threshold=self.service.exact_threshold,
                k=self.service.k,
            )
            return series_values(table, region)

        return self.service.cached(("time-values", region, int(year), real_only), compute)

    def indicators(self, region: str, years: Sequence[int] | None = None, *, real_only: bool = False) -> RegionTimeline:
        """R's indicators (:data:`SERIES_KEYS`) per fiscal year (default: :meth:`years`)."""
        key = region_key(region)
        chosen = tuple(years) if years is not None else self.years()
        rows = [self._year_values(key, year, real_only) for year in chosen]
        series = tuple(IndicatorSeries(k, tuple(row[k] for row in rows)) for k in SERIES_KEYS)
        fy = self.service.graph().nodes[region_id(key)].get("model_region_fy")
        return RegionTimeline(
            key,
            chosen,
            series,
            int(fy) if fy is not None else None,
            len(self.undated(key, real_only=real_only)),
            self.undated_organisations(key, real_only=real_only),
        )

    def changes(self, region: str, from_year: int, to_year: int, *, real_only: bool = False) -> RegionChanges:
        """What changed in R from FY ``from_year`` to FY ``to_year`` (:mod:`analytics.changes`)."""
        key = region_key(region)

        def compute() -> RegionChanges:
            before = self.view(key, from_year, real_only=real_only)
            after = self.view(key, to_year, real_only=real_only)
            undated = len(self.undated(key, real_only=real_only))
            return region_changes(
                before,
                after,
                region=key,
                from_year=from_year,
                to_year=to_year,
                undated_ties=undated,
                seed=self.service.seed,
            )

        return self.service.cached(("time-changes", key, int(from_year), int(to_year), real_only), compute)

    def journeys(self, region: str, *, real_only: bool = False) -> RegionJourneys:
        """The firm journeys of R's current view (:mod:`analytics.journeys`)."""
        key = region_key(region)

        def compute() -> RegionJourneys:
            return region_journeys(self.service.region_view(key, real_only=real_only), key, self.service.graph())

        return self.service.cached(("time-journeys", key, real_only), compute)

    def analysis(self, region: str, year: int, *, real_only: bool = False) -> RegionAnalysis:
        """R's measures as of FY ``year`` (what the map of that year sizes and colours its nodes by)."""
        from analytics.service import _analysis  # the service's typed result, built the same way

        key = region_key(region)

        def compute() -> RegionAnalysis:
            view = self.view(key, year, real_only=real_only)
            raw = analyze_region(
                view,
                key,
                exact_threshold=self.service.exact_threshold,
                k=self.service.k,
                seed=self.service.seed,
                H=organisation_graph(view),
            )
            return _analysis(raw, self.service.data_version, real_only)

        return self.service.cached(("time-analysis", key, int(year), real_only), compute)
