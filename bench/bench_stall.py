"""Bench the web app against a frozen Neo4j and across the switch after a load (issue 27).

Run with the test Neo4j started (``make neo4j-test-start``) and its environment
(``IPECO_HOME``, ``IPECO_NEO4J_BOLT_PORT``, ...): ``python bench/bench_stall.py [--freeze 60]
[--users 20]``. It seeds the real layer into that Neo4j, starts ``ipeco serve --store neo4j``
(gunicorn) on a free loopback port, and lets N users repeat a map page view
(``bench_webload.run_level``) through four phases:

1. **before** — the baseline;
2. **frozen** — the Neo4j JVM stopped with ``SIGSTOP`` for ``--freeze`` seconds (a long GC pause or
   a hung disk), continued with ``SIGCONT`` afterwards (always, in a ``finally``); it also counts
   banner answers that say the database is not answering;
3. **thawed** — right after ``SIGCONT``;
4. **load** — ``ipeco seed --demo`` commits a new data version while the users browse; the
   phase lasts until the load is done and ``--after`` seconds more, so the switch (the app asks
   for the data version every 60 s) is inside it; the time the demo banner first appears says when.

It prints requests, errors, throughput and p50/p95/p99 per phase, and the ratio of each phase's
p95 to the baseline's. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_webload import Level, callback_payloads, free_port, run_level

from graph.server import LocalNeo4j
from graph.settings import Settings


def ipeco(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "IPECO_STORE": "neo4j"}
    return subprocess.run([sys.executable, "-m", "ipeco.cli", *args], env=env, capture_output=True, text=True)


def start_serve(port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "IPECO_AUTH"}
    env["IPECO_STORE"] = "neo4j"
    cmd = [sys.executable, "-m", "ipeco.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
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
    raise SystemExit("ipeco serve did not answer within 600 s")


def banner_watch(base: str, body: dict[str, object], stop: threading.Event, said: list[int]) -> None:
    """Ask the shell's banner callback every second; count answers that say the database is silent."""
    while not stop.is_set():
        try:
            text = str(requests.post(f"{base}/_dash-update-component", json=body, timeout=30).json())
            said[0] += 1
            said[1] += int("not answering" in text or "応答しません" in text)
        except requests.RequestException:
            pass
        stop.wait(1.0)


def switch_watch(base: str, body: dict[str, object], stop: threading.Event, seen: list[float]) -> None:
    """Note when answers first show the demo layer's banner: a worker then serves the new data version."""
    began = time.monotonic()
    while not stop.is_set():
        try:
            answer = requests.post(f"{base}/_dash-update-component", json=body, timeout=30).json()
            synthetic = next((v for k, v in answer.get("response", {}).items() if "synthetic" in k), {})
            if synthetic.get("hidden") is False:
                seen.append(time.monotonic() - began)
        except (requests.RequestException, ValueError):
            pass
        stop.wait(0.5)


def p95(level: Level) -> float:
    lat = sorted(level.latencies)
    return lat[min(len(lat) - 1, int(0.95 * len(lat)))] if lat else float("nan")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--freeze", type=float, default=60.0, help="Seconds the Neo4j JVM stays stopped.")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0, help="Length of the before and thawed phases.")
    parser.add_argument(
        "--after", type=float, default=120.0, help="Seconds of the load phase after the load (rechecks: every 60 s)."
    )
    return parser.parse_args()


def _frozen_phase(base: str, pid: int, banner: dict, payloads: dict, args: argparse.Namespace) -> tuple[Level, list]:
    """Load while the Neo4j JVM is stopped; how many answers said the database is not answering."""
    frozen, said, stop = Level("frozen", args.users), [0, 0], threading.Event()
    watcher = threading.Thread(target=banner_watch, args=(base, banner, stop, said))
    os.kill(pid, signal.SIGSTOP)
    try:
        watcher.start()
        run_level(base, frozen, payloads, args.freeze, 1_000_000)
    finally:
        os.kill(pid, signal.SIGCONT)
        stop.set()
        watcher.join()
    return frozen, said


def _load_phase(base: str, banner: dict, payloads: dict, args: argparse.Namespace) -> tuple[Level, dict, list]:
    """Load while ``ipeco seed --demo`` writes, then ``--after`` seconds more; when the new data showed."""
    load, done = Level("load", args.users), {}

    def seed_demo() -> None:
        began = time.monotonic()
        done["rc"] = ipeco("seed", "--demo").returncode
        done["seconds"] = time.monotonic() - began

    loader = threading.Thread(target=seed_demo)
    switched: list[float] = []
    stop = threading.Event()
    switch = threading.Thread(target=switch_watch, args=(base, banner, stop, switched))
    loader.start()
    switch.start()
    began = time.monotonic()
    try:
        while loader.is_alive():
            run_level(base, load, payloads, 5, 1_000_000)
        run_level(base, load, payloads, args.after, 1_000_000)
    finally:
        stop.set()
        switch.join()
    load.seconds = time.monotonic() - began
    return load, done, switched


def _phases(base: str, pid: int, args: argparse.Namespace) -> tuple[list[Level], list, dict, list]:
    """Before, frozen, thawed and load phases against the server at ``base``."""
    payloads = callback_payloads(base)
    banner = next(b for b in payloads["kobe"] if "store-banner" in str(b["output"]))
    run_level(base, Level("warm-up", 8), payloads, 30, 10_000)
    before = Level("before", args.users)
    run_level(base, before, payloads, args.seconds, 1_000_000)
    frozen, said = _frozen_phase(base, pid, banner, payloads, args)
    thawed = Level("thawed", args.users)
    run_level(base, thawed, payloads, args.seconds, 1_000_000)
    load, done, switched = _load_phase(base, banner, payloads, args)
    return [before, frozen, thawed, load], said, done, switched


def _report(levels: list[Level], said: list, done: dict, switched: list, args: argparse.Namespace) -> None:
    print(f"stalled store: {os.cpu_count()} cores, {args.users} users, Neo4j frozen {args.freeze:.0f} s")
    columns = ("requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms")
    print(f"{'phase':10} {'users':>5} " + " ".join(f"{c:>{6 if c == 'errors' else 8}}" for c in columns))
    for level in levels:
        print(level.row(), f"  p95 ×{p95(level) / p95(levels[0]):.2f} of before")
    print(f"banner while frozen: {said[1]} of {said[0]} answers said the database is not answering")
    print(f"load (seed --demo): exit {done.get('rc')}, {done.get('seconds', 0):.1f} s")
    if switched:
        print(f"new data served from {switched[0]:.0f} s after the load began ({len(switched)} answers showed it)")
    else:
        print("the new data was not served within the load phase (raise --after)")


def main() -> int:
    args = _arguments()
    server = LocalNeo4j(Settings.from_env("neo4j"))
    status = server.status()
    if not status.running or status.pid is None:
        print("start the test Neo4j first (make neo4j-test-start) and pass its environment", file=sys.stderr)
        return 1
    seeded = ipeco("seed", "--reset")
    if seeded.returncode != 0:
        print(seeded.stderr, file=sys.stderr)
        return 1
    port = free_port()
    proc = start_serve(port)
    try:
        levels, said, done, switched = _phases(f"http://127.0.0.1:{port}", status.pid, args)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    _report(levels, said, done, switched, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
