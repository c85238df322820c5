"""Bench issue 25: one analyst's console cannot starve the others.

Run ``python bench/bench_console.py [--seconds 8]`` with the test Neo4j running (``make bench``
starts it). Three figures, each against its quiet baseline measured in the same run:

1. another user's ``RETURN 1`` through the guarded runner while a memory bomb (a 2·10^8-element
   ``collect``, ended by the per-transaction memory cap) and a CPU bomb (a 2·10^9-row scan, ended by
   the timeout) run again and again — target: every answer within 2 s;
2. page loads of the web app (``GET /``, ``/_dash-layout``) while 8 users each run a console query
   that burns its whole 10 s deadline — target: within 1.5× the quiet time;
3. a valid user's request while a flood sends 50 wrong logins a second — target: p95 < 50 ms.

Only 127.0.0.1 is contacted; every loop is bounded in time and count. Figures are printed, never
asserted (the machine is shared and noisy).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MEMORY_BOMB = "UNWIND range(1, 200000000) AS x WITH collect(x) AS c RETURN size(c)"
CPU_BOMB = "UNWIND range(1, 2000000000) AS i WITH i WHERE i < 0 RETURN count(i)"
USERS = [f"analyst{i}" for i in range(8)]


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def line(name: str, quiet: list[float], busy: list[float]) -> str:
    ratio = pct(busy, 0.95) / pct(quiet, 0.95) if quiet and busy else float("nan")
    return (
        f"{name:34} quiet p50 {1000 * statistics.median(quiet):7.1f} ms p95 {1000 * pct(quiet, 0.95):7.1f} ms | "
        f"busy p50 {1000 * statistics.median(busy):7.1f} ms p95 {1000 * pct(busy, 0.95):7.1f} ms "
        f"max {1000 * max(busy):7.1f} ms | p95 ×{ratio:.2f} (n={len(quiet)}/{len(busy)})"
    )


def sample(probe: Callable[[], None], seconds: float, every: float = 0.2, cap: int = 200) -> list[float]:
    out: list[float] = []
    until = time.monotonic() + seconds
    while time.monotonic() < until and len(out) < cap:
        began = time.perf_counter()
        probe()
        out.append(time.perf_counter() - began)
        time.sleep(every)
    return out


# --- 1. RETURN 1 during bombs ------------------------------------------------------------------------
def bench_bombs(seconds: float) -> None:
    from graph.connection import open_store
    from graph.query import QueryError, run_readonly
    from graph.settings import Settings

    settings = Settings.from_env("neo4j")
    victim, attacker = open_store(settings), open_store(settings)
    run_readonly(victim, "RETURN 1")  # warm the parser and the connection

    def probe() -> None:
        run_readonly(victim, "RETURN 1", timeout=10)

    quiet = sample(probe, seconds)
    for name, bomb in (("memory bomb", MEMORY_BOMB), ("CPU bomb", CPU_BOMB)):
        stop = threading.Event()

        def attack(bomb: str = bomb, stop: threading.Event = stop) -> None:
            while not stop.is_set():
                with contextlib.suppress(QueryError):
                    run_readonly(attacker, bomb, timeout=10)

        thread = threading.Thread(target=attack, daemon=True)
        thread.start()
        time.sleep(1.0)
        busy = sample(probe, seconds)
        stop.set()
        thread.join(15)
        print(line(f"RETURN 1 during a {name}", quiet, busy), flush=True)
        print(f"{'':34} answers over 2 s: {sum(1 for s in busy if s > 2)} of {len(busy)}", flush=True)
    victim.close()
    attacker.close()


# --- 2 and 3: the web app -------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, auth: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "IPECO_AUTH": auth}
    cmd = [sys.executable, "-m", "ipeco.cli", "--store", "neo4j", "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL, start_new_session=True)
    until = time.monotonic() + 300
    while time.monotonic() < until:
        if proc.poll() is not None:
            raise SystemExit(f"ipeco serve exited with {proc.returncode}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/", timeout=2).status_code in (200, 401):
                return proc
        except requests.RequestException:
            time.sleep(0.5)
    raise SystemExit("ipeco serve did not answer within 300 s")


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def console_body(base: str, headers: dict[str, str], query: str) -> dict[str, Any]:
    """The POST body of the console's Run callback, built from ``/_dash-dependencies``."""
    from webapp import ids

    deps = requests.get(f"{base}/_dash-dependencies", headers=headers, timeout=60).json()
    dep = next(d for d in deps if any(i["id"] == ids.QUERY_RUN for i in d["inputs"]))
    specs = [part.rsplit(".", 1) for part in dep["output"].strip(".").split("...")]
    values = {ids.QUERY_EDITOR: query, ids.QUERY_LANG: "en", ids.QUERY_ROW_LIMIT: 100, ids.QUERY_EXTRA_PARAMS: ""}
    state = [{**s, "value": [] if s["id"].startswith("{") else values.get(s["id"])} for s in dep.get("state", [])]
    return {
        "output": dep["output"],
        "outputs": [{"id": i, "property": p} for i, p in specs],
        "inputs": [{**dep["inputs"][0], "value": 1}],
        "changedPropIds": [f"{ids.QUERY_RUN}.n_clicks"],
        "state": state,
    }


def bench_pages(base: str, seconds: float) -> None:
    headers = basic(USERS[0], "pw")
    session = requests.Session()

    def probe() -> None:
        for path in ("/", "/_dash-layout"):
            session.get(f"{base}{path}", headers=headers, timeout=60).raise_for_status()

    for _ in range(5):
        probe()  # every worker has verified the login and warmed its layout
    quiet = sample(probe, seconds)
    body = console_body(base, headers, CPU_BOMB)
    answers: list[str] = []
    stop = threading.Event()

    def analyst(user: str) -> None:
        own = basic(user, "pw")
        while not stop.is_set():
            reply = requests.post(f"{base}/_dash-update-component", json=body, headers=own, timeout=60)
            answers.append("busy" if "busy" in reply.text or "still running" in reply.text else "ran")
            stop.wait(0.5)  # an analyst clicks Run again, not in a tight loop

    threads = [threading.Thread(target=analyst, args=(u,), daemon=True) for u in USERS]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    busy = sample(probe, seconds)
    stop.set()
    for thread in threads:
        thread.join(30)
    print(line("page load during 8 console queries", quiet, busy), flush=True)
    print(f"{'':34} console answers: {answers.count('ran')} ran, {answers.count('busy')} turned away", flush=True)


def bench_login_flood(base: str, seconds: float) -> None:
    good = basic(USERS[1], "pw")
    session = requests.Session()

    def probe() -> None:
        session.get(f"{base}/_dash-dependencies", headers=good, timeout=60).raise_for_status()

    for _ in range(5):
        probe()
    quiet = sample(probe, seconds, every=0.05)
    stop = threading.Event()
    codes: list[int] = []

    def flood() -> None:
        bad = requests.Session()
        n = 0
        while not stop.is_set() and n < 50 * (seconds + 2):
            began = time.monotonic()
            codes.append(bad.get(f"{base}/", headers=basic(USERS[1], f"wrong{n}"), timeout=60).status_code)
            n += 1
            time.sleep(max(0.0, 0.02 - (time.monotonic() - began)))  # 50 a second

    thread = threading.Thread(target=flood, daemon=True)
    thread.start()
    time.sleep(1.0)
    busy = sample(probe, seconds, every=0.05)
    stop.set()
    thread.join(30)
    print(line("valid request during a login flood", quiet, busy), flush=True)
    print(
        f"{'':34} wrong logins sent {len(codes)}: {codes.count(401)} × 401, {codes.count(429)} × 429 "
        f"(target p95 < 50 ms)",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="Seconds each measurement lasts.")
    args = parser.parse_args()
    bench_bombs(args.seconds)
    port = free_port()
    with tempfile.TemporaryDirectory():
        proc = start_server(port, ",".join(f"{u}:pw" for u in USERS))
        try:
            base = f"http://127.0.0.1:{port}"
            bench_pages(base, args.seconds)
            bench_login_flood(base, args.seconds)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
