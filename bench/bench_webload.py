"""Bench the web server under concurrent users: Werkzeug's development server against gunicorn.

Run ``python bench/bench_webload.py [--seconds 20] [--max-requests 3000] [--users 5,20,50]``. It
seeds an embedded store in a temporary folder, starts ``ipeco serve`` on a free loopback port
(``--dev-server``: before; the default gunicorn workers: after) and lets N simulated users, one
thread and one keep-alive connection each, repeat what a browser does when it opens a region's map:

    GET /, GET /_dash-layout, GET /_dash-dependencies, then the header, store-banner and map
    callbacks (POST /_dash-update-component; the region rotates over the three model regions).

Each user count runs for at most ``--seconds`` or ``--max-requests`` requests, whichever comes
first; only 127.0.0.1 is ever contacted. It prints, per server and user count, requests, errors,
throughput and the p50/p95/p99 latency of a request. Target (issue 16): p95 < 1 s at 20 users.
The client shares the machine's cores with the server, so absolute figures are a lower bound.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

REGIONS = ("aomori", "ishikawa", "kobe")
#: Values of the map page's inputs when a region is opened with default settings.
DEFAULTS: dict[str, Any] = {
    "map-data": "all",
    "map-layout": "fcose",
    "map-size-by": "degree",
    "map-color-by": "role",
    "map-aggregate-by": "role",
    "map-group": None,
}
#: Callbacks a page view fires, found by an output they write (ids may move; missing ones are skipped).
CALLBACK_OUTPUTS = ("app-title.children", "store-banner.children", "map-cyto.elements")


@dataclass
class Level:
    server: str
    users: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def row(self) -> str:
        lat = sorted(self.latencies)
        n = len(lat)

        def pct(q: float) -> str:
            return f"{1000 * lat[min(n - 1, int(q * n))]:8.0f}" if n else "       -"

        rate = n / self.seconds if self.seconds else 0.0
        head = f"{self.server:10} {self.users:>5} {n:>8} {self.errors:>6} {rate:>8.1f}"
        return f"{head} {pct(0.50)} {pct(0.95)} {pct(0.99)}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(home: Path, port: int, dev: bool) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "IPECO_AUTH"}
    env["IPECO_HOME"] = str(home)
    cmd = [sys.executable, "-m", "ipeco.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen([*cmd, *(["--dev-server"] if dev else [])], env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"ipeco serve exited with {proc.returncode}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200:
                return proc
        except requests.RequestException:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit("ipeco serve did not answer within 300 s")


def callback_payloads(base: str) -> dict[str, list[dict[str, Any]]]:
    """Per region, the POST bodies of the page view's callbacks, built from ``/_dash-dependencies``."""
    deps = requests.get(f"{base}/_dash-dependencies", timeout=60).json()
    chosen = [next((d for d in deps if want in d["output"]), None) for want in CALLBACK_OUTPUTS]
    payloads: dict[str, list[dict[str, Any]]] = {}
    for region in REGIONS:
        values = {**DEFAULTS, "map-region": region}
        bodies = []
        for dep in chosen:
            if dep is None:
                continue
            specs = [part.rsplit(".", 1) for part in dep["output"].strip(".").split("...")]
            outputs = [{"id": i, "property": p} for i, p in specs]

            def value(item: dict[str, Any], values: dict[str, Any] = values, region: str = region) -> Any:
                if item["property"] == "search":
                    return f"?region={region}"
                if item["property"] == "n_intervals":
                    return 1
                return values.get(item["id"], [])

            inputs = [{**item, "value": value(item)} for item in dep["inputs"]]
            bodies.append(
                {
                    "output": dep["output"],
                    "outputs": outputs if len(outputs) > 1 else outputs[0],
                    "inputs": inputs,
                    "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"] if inputs else [],
                    "state": [{**item, "value": value(item)} for item in dep.get("state", [])],
                }
            )
        payloads[region] = bodies
    return payloads


def run_level(base: str, level: Level, payloads: dict[str, list[dict[str, Any]]], seconds: float, budget: int) -> None:
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    sent = [0]

    def user(index: int) -> None:
        session = requests.Session()
        region = REGIONS[index % len(REGIONS)]
        while time.monotonic() < stop_at:
            steps: list[tuple[str, dict[str, Any] | None]] = [
                ("/", None),
                ("/_dash-layout", None),
                ("/_dash-dependencies", None),
            ]
            steps += [("/_dash-update-component", body) for body in payloads[region]]
            for path, body in steps:
                with lock:
                    if sent[0] >= budget or time.monotonic() >= stop_at:
                        return
                    sent[0] += 1
                began = time.perf_counter()
                try:
                    if body is None:
                        ok = session.get(base + path, timeout=60).status_code == 200
                    else:
                        ok = session.post(base + path, json=body, timeout=60).status_code in (200, 204)
                except requests.RequestException:
                    ok = False
                elapsed = time.perf_counter() - began
                with lock:
                    if ok:
                        level.latencies.append(elapsed)
                    else:
                        level.errors += 1
            region = REGIONS[(REGIONS.index(region) + 1) % len(REGIONS)]

    began = time.monotonic()
    threads = [threading.Thread(target=user, args=(i,)) for i in range(level.users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    level.seconds = time.monotonic() - began


def bench_server(home: Path, dev: bool, users: list[int], seconds: float, budget: int) -> list[Level]:
    port = free_port()
    name = "werkzeug" if dev else "gunicorn"
    proc = start_server(home, port, dev)
    base = f"http://127.0.0.1:{port}"
    try:
        payloads = callback_payloads(base)
        # Warm up until every worker has drawn every region once (each worker keeps its own caches):
        # the table is about serving users, not about the first map of a region after a start.
        warm = Level(name, 8)
        run_level(base, warm, payloads, 30, 400)
        levels = []
        for n in users:
            level = Level(name, n)
            run_level(base, level, payloads, seconds, budget)
            print(level.row(), flush=True)
            levels.append(level)
        return levels
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="Longest run per user count.")
    parser.add_argument("--max-requests", type=int, default=3000, help="Most requests per user count.")
    parser.add_argument("--users", default="5,20,50", help="Comma-separated user counts.")
    parser.add_argument("--only", choices=("werkzeug", "gunicorn"), help="Bench one server only.")
    return parser.parse_args()


def _seed(home: Path) -> bool:
    """The demo data in a fresh home (embedded store); False, with the seed's errors printed, when it fails."""
    seeded = subprocess.run(
        [sys.executable, "-m", "ipeco.cli", "seed"],
        env={**os.environ, "IPECO_HOME": str(home), "IPECO_STORE": "embedded"},
        capture_output=True,
        check=False,
    )
    if seeded.returncode != 0:
        print(seeded.stderr.decode(), file=sys.stderr)
    return seeded.returncode == 0


def _summarise(results: list[Level]) -> None:
    """The 95th percentile at 20 users against the target, and the median of every request."""
    for lv in (lv for lv in results if lv.users == 20 and lv.latencies):
        p95 = sorted(lv.latencies)[int(0.95 * len(lv.latencies))]
        print(f"{lv.server}: p95 at 20 users {1000 * p95:.0f} ms (target < 1000 ms)")
    if results and all(lv.latencies for lv in results):
        print(f"median of all requests: {1000 * statistics.median(x for lv in results for x in lv.latencies):.0f} ms")


def main() -> int:
    args = _arguments()
    users = [int(u) for u in args.users.split(",")]
    with tempfile.TemporaryDirectory(prefix="ipeco-webload-") as tmp:
        home = Path(tmp)
        if not _seed(home):
            return 1
        print(f"web load: {os.cpu_count()} cores, page view = 3 GETs + 3 callbacks, ≤{args.seconds:.0f} s per row")
        columns = ("requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms")
        print(f"{'server':10} {'users':>5} " + " ".join(f"{c:>{6 if c == 'errors' else 8}}" for c in columns))
        results: list[Level] = []
        for server in ("werkzeug", "gunicorn"):
            if not args.only or args.only == server:
                results += bench_server(home, server == "werkzeug", users, args.seconds, args.max_requests)
    _summarise(results)
    return 1 if any(lv.errors for lv in results) else 0


if __name__ == "__main__":
    sys.exit(main())
