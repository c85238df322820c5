"""Bench the region in time (issue 21): a snapshot's first analysis, and the map slider's redraw.

Run ``python bench/bench_timeline.py``. It loads the seed with its demo layer into an embedded store
in a temporary folder, then prints, each the median of 5 alternated runs on a fresh analysis service (the
graph already read, so the store's read is not timed):

* the current view's first analysis of Kobe (``AnalysisService.analysis``) and a snapshot's first
  analysis (``Timeline.analysis`` of the year before the latest: the snapshot of the whole graph,
  the region's view of it and the same measures), with their ratio;
* the map's redraw when the slider moves to a fiscal year not drawn before (``map_result`` for Kobe
  as of that year, today's map already drawn), median over the years the slider offers.

Targets (issue 21): a snapshot's first analysis ≤ 1.5× the current view's; a slider redraw < 1 s.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics.service import AnalysisService
from analytics.timeline import Timeline
from graph.embedded import EmbeddedStore
from seeds import seed_batch
from webapp.data import DataSource
from webapp.pages.map import map_result
from webapp.state import MapState

REGION = "kobe"


def first_run(make: Callable[[], Callable[[], object]], repeat: int = 3) -> float:
    """Median seconds of ``make()()``, each time on a fresh object (a first, uncached computation)."""
    times = []
    for _ in range(repeat):
        run = make()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="ipeco-bench-time-") as tmp:
        path = Path(tmp) / "ipeco.sqlite"
        with EmbeddedStore(path) as store:
            store.write_batch(seed_batch())
        store = EmbeddedStore(path)

        def fresh() -> AnalysisService:
            service = AnalysisService(store)
            service.graph()
            return service

        year = (Timeline(fresh()).latest_year() or 2025) - 1

        def current_view() -> Callable[[], object]:
            service = fresh()
            return lambda: service.analysis(REGION)

        def snapshot_view() -> Callable[[], object]:
            timeline = Timeline(fresh())
            return lambda: timeline.analysis(REGION, year)

        # Alternated, so that a burst of load on the shared machine falls on both alike.
        pairs = [(first_run(current_view, 1), first_run(snapshot_view, 1)) for _ in range(5)]
        current = statistics.median(c for c, _ in pairs)
        snap = statistics.median(s for _, s in pairs)
        print(f"{'view':<34}{'first analysis (s)':>20}")
        print(f"{'current view, ' + REGION:<34}{current:>20.3f}")
        print(f"{f'snapshot FY{year}, ' + REGION:<34}{snap:>20.3f}")
        print(f"ratio snapshot / current: {snap / current:.2f} (target ≤ 1.5)")

        ds = DataSource(lambda: EmbeddedStore(path))
        map_result(ds, MapState(region=REGION))  # today's map, drawn first as a visitor sees it
        redraws = []
        for fy in Timeline(ds.service).years():
            start = time.perf_counter()
            map_result(ds, MapState(region=REGION, year=str(fy)))
            redraws.append(time.perf_counter() - start)
        print(
            f"slider redraw, {REGION}: median {statistics.median(redraws):.3f} s, max {max(redraws):.3f} s over "
            f"{len(redraws)} fiscal years (target < 1 s)"
        )
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
