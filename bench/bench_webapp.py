"""Bench the web app: map callback time on the server and time to first render in Chromium.

Run ``python bench/bench_webapp.py [--orgs 50000]``. It loads the seed with its demo layer (``seeds.seed_batch()``)
and one synthetic region of ``--orgs`` organisations into an embedded store in a temporary folder,
then prints a table:

* server: ``webapp.pages.map.map_result`` (what the map callback computes) per model region and on
  the large region (aggregated view), cold (first call: the region view is built and cached) and
  warm (median of later calls with the region view cached but the map recomputed);
* browser: from navigation start to the first cytoscape nodes drawn, on a real server in a thread.

Target (issue 5): under 1 s for the seeded regions.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.embedded import EmbeddedStore
from seeds import seed_batch
from seeds.synthetic_region import synthetic_region_batch
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS  # the tests' chromium and flags
from webapp.app import create_app
from webapp.data import DataSource
from webapp.elements import MAX_ELEMENTS
from webapp.pages.map import map_result
from webapp.state import MapState


def server_times(ds: DataSource, region: str, runs: int = 5) -> tuple[float, float, int, bool]:
    """Cold and warm (median) seconds of the map computation, elements sent, aggregated or not."""
    began = time.perf_counter()
    result = map_result(ds, MapState(region=region))
    cold = time.perf_counter() - began
    warm = []
    for _ in range(runs):  # region view cached, map recomputed: what changing a filter or layout costs
        ds.forget("map")
        began = time.perf_counter()
        map_result(ds, MapState(region=region))
        warm.append(time.perf_counter() - began)
    return cold, statistics.median(warm), len(result.elements), result.aggregated


def first_render(base: str, regions: list[str]) -> dict[str, float]:
    """Seconds from navigation start to the first nodes drawn by cytoscape, per region."""
    from playwright.sync_api import sync_playwright

    out: dict[str, float] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for region in regions:
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto(f"{base}/?region={region}")
                page.wait_for_function("window.cy && window.cy.nodes().length > 0", timeout=180_000)
                out[region] = page.evaluate("performance.now()") / 1000
                page.close()
        finally:
            browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=50_000, help="organisations in the large synthetic region")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ipeco.sqlite"
        began = time.perf_counter()
        with EmbeddedStore(path) as store:
            store.write_batch(seed_batch())
            store.write_batch(synthetic_region_batch(args.orgs, key="bench"))
        print(
            f"loaded seed + {args.orgs:,}-organisation region in {time.perf_counter() - began:.1f} s", file=sys.stderr
        )
        ds = DataSource(lambda: EmbeddedStore(path))
        began = time.perf_counter()
        ds.graph()
        print(f"read the whole graph in {time.perf_counter() - began:.2f} s", file=sys.stderr)
        seeded = ds.compare_regions()
        rows = []
        for region in [*seeded, "bench"]:
            cold, warm, elements, aggregated = server_times(ds, region)
            rows.append((region, cold, warm, elements, aggregated))
        largest = max(seeded, key=lambda r: next(row[3] for row in rows if row[0] == r))
        render: dict[str, float] = {}
        if not args.no_browser:
            app = create_app(lambda: EmbeddedStore(path), auth="")
            from werkzeug.serving import make_server

            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
            http = make_server("127.0.0.1", port, app.server, threaded=True)
            thread = threading.Thread(target=http.serve_forever, daemon=True)
            thread.start()
            app.server.config["IPECO_DATA"].graph()  # a running server has read the graph already
            try:
                render = first_render(f"http://127.0.0.1:{port}", [largest, "bench"])
            finally:
                http.shutdown()
    print(f"\nmap view (element cap {MAX_ELEMENTS:,}); largest seeded region: {largest}\n")
    print("| region | elements sent | aggregated | server cold (s) | server warm (s) | first render in Chromium (s) |")
    print("|---|---:|---|---:|---:|---:|")
    for region, cold, warm, elements, aggregated in rows:
        shown = f"{render[region]:.2f}" if region in render else "—"
        label = f"{region} ({args.orgs:,} orgs)" if region == "bench" else region
        print(f"| {label} | {elements:,} | {'yes' if aggregated else 'no'} | {cold:.3f} | {warm:.3f} | {shown} |")


if __name__ == "__main__":
    main()
