"""Bench what a user waits for in the web app, in Debian Chromium against the real server.

Run ``python bench/bench_pages.py [--runs 5] [--regions aomori,ishikawa,kobe] [--json out.json]``.
It seeds an embedded store in a temporary ``IPECO_HOME`` (``ipeco seed``: the bundled real data and
its demo layer), starts ``ipeco serve`` there (gunicorn, the production path, on a free loopback
port), waits for it to answer, then drives Chromium through Playwright. Every sample opens a fresh
browser context (empty HTTP cache, no cookies), so each is a first visit as a new user makes it;
the server keeps its caches between samples, as a running server does. The 404 page's and the
map's samples of a region are taken in turns, so that a change in the machine's load falls on both.
The samples of one region rotate over the server's worker processes, so the slowest sample of a
row is usually a worker's first request for that region (shown as "max").

What is measured, per region (the clock is the page's own ``performance.now()``, whose zero is the
start of navigation, except for downloads, timed from the click to Playwright's download event):

``baseline``
    Navigation to ``/no-such-page?region=R`` until the 404 page's message is in the DOM: an app
    page that does no data work (the Dash bundles, the shell, one page callback). Every other
    figure is also given as a ratio to this row's median, so runs on a busy machine stay comparable.
``map``
    Map first meaningful render: navigation to ``/?region=R`` until the first animation frame in
    which cytoscape (``window.cy``) holds at least one node and its nodes' bounding box has a
    non-zero width and height, i.e. the elements have arrived and been laid out (layouts run
    without animation, so positions are final), and cytoscape draws them in that frame. The map
    comes with Dash's layout answer (``webapp.first_page``): it waits for no page callback, where
    the 404 page's message comes from the pages router's callback after the layout.
``click``
    Node click → details: on the rendered map, a node is tapped (cytoscape's ``tap`` event, what a
    mouse click emits) and the clock runs until the detail panel's heading shows that node's label.
    The N samples tap N different nodes (support bodies first, then by degree), so none is a
    repeat the server has already answered.
``click-cpu``
    The same clicks' main-thread task time (Chromium's ``TaskDuration`` from the tap to the panel):
    how much of the wait is the page's own work (scripts, style, layout, paint) rather than the
    network and the server. On a loaded machine it includes the time the thread waited for a core.
``js``
    JavaScript each page makes the browser parse (KiB, decoded, every script and lazily loaded
    chunk) on a first visit of the 404 page, the map and compare, a second after the page is
    ready: what the page's first render waits for before any data.
``compare``
    Compare first visit: navigation to ``/compare`` until the indicator table, the key-indicator
    chart (the server's inline SVG) and one decoded thumbnail image per region are in the DOM. Not
    per region (one row).
``pdf``
    PDF report: on ``/report?region=R&format=pdf``, click on "build" until the download starts.
``xlsx``
    XLSX export: on ``/report?region=R&format=xlsx``, click on "build" until the download starts
    (the region report as a workbook: indicators, measures, gaps).
``export``
    The map page's export bar with format ``xlsx`` (``ipeco export --format xlsx``): click → download.

The server itself (issue 23): seconds from ``ipeco serve`` to its first answer, the resident
memory of its whole process group once idle (RSS, and PSS, which counts a page shared by the
forked workers once), sampled after the pages and a PDF were served and the printer's idle time
passed, and the seconds a SIGTERM to the group takes to end every process.

Pages are measured once the server's process group is idle (its workers warm every page in the
background after their first answer; a page measured meanwhile shares the cores with that work).
The table shows the median of N, the fastest and slowest sample, the median's ratio to the
baseline, the target (seconds, or ``×`` a ratio to the baseline) and whether the median meets it.
Nothing here asserts a time (benchmarks never fail on a slow machine); the process fails only if a
measurement cannot be taken.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, free_port  # the tests' chromium and flags

if TYPE_CHECKING:
    from playwright.sync_api import Browser, CDPSession, Page

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ("aomori", "ishikawa", "kobe")
#: Targets of issue 15, in seconds.
TARGETS: dict[str, float | None] = {
    "baseline": None,
    "map": 2.0,
    "click": 0.3,
    "click-cpu": None,
    "compare": 2.0,
    "js": None,
    "pdf": 5.0,
    "xlsx": 3.0,
    "export": 3.0,
}
#: Targets of issue 23 as ratios to the same run's baseline (the 404 page).
RATIO_TARGETS: dict[str, float] = {"map": 1.2, "compare": 1.3}
#: Seconds to wait, after the last page, for the server to be idle (the printer's idle time and more).
IDLE_WAIT = 130.0
TIMEOUT_MS = 180_000

#: Records, in the page, the first animation frame at which cytoscape has laid-out nodes.
_FIRST_RENDER_JS = """
(() => {
  const tick = () => {
    const cy = window.cy;
    if (cy && cy.nodes().length > 0) {
      const box = cy.nodes().boundingBox();
      if (box.w > 0 && box.h > 0) { window.__ipecoFirstRender = performance.now(); return; }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""


@dataclass
class Row:
    measure: str
    region: str
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def target(self) -> float | None:
        return TARGETS[self.measure]

    @property
    def passed(self) -> bool | None:
        return None if self.target is None else self.median < self.target


def seed_home(home: Path) -> None:
    env = {**os.environ, "IPECO_HOME": str(home), "IPECO_STORE": "embedded"}
    cmd = [sys.executable, "-m", "ipeco.cli", "seed"]
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"ipeco seed failed:\n{done.stderr.decode()}")


@dataclass
class ServerFigures:
    """The server's own figures: start to first answer, idle memory of its process group, stop."""

    startup_s: float
    processes: int = 0
    idle_rss_mib: float = 0.0
    idle_pss_mib: float = 0.0
    stop_s: float | None = None


def group_memory(pgid: int) -> tuple[int, float, float]:
    """Processes, summed RSS and summed PSS (MiB) of the process group ``pgid``."""
    count, rss, pss = 0, 0, 0
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if os.getpgid(int(proc.name)) != pgid:
                continue
            for line in (proc / "smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
            count += 1
        except (OSError, ValueError):
            continue
    return count, rss / 1024, pss / 1024


def group_cpu_seconds(pgid: int) -> float:
    """CPU seconds (user + system) the processes of the group ``pgid`` have used so far."""
    ticks = 0
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if os.getpgid(int(proc.name)) != pgid:
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        except (OSError, ValueError, IndexError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def wait_until_idle(pgid: int, *, quiet: float = 0.1, window: float = 2.0, limit: float = 120.0) -> float:
    """Seconds waited until the server's group used under ``quiet`` of a core for ``window`` seconds.

    The server answers before its workers have warmed every page in the background; pages measured
    meanwhile (the first region's) would share the cores with that warm-up and look slower than the
    same pages a minute later. Gives up after ``limit`` seconds.
    """
    began = time.perf_counter()
    last = group_cpu_seconds(pgid)
    while time.perf_counter() - began < limit:
        time.sleep(window)
        now = group_cpu_seconds(pgid)
        if now - last < quiet * window:
            break
        last = now
    return time.perf_counter() - began


def stop_group(proc: subprocess.Popen[bytes]) -> float:
    """Seconds from SIGTERM to the group until none of its processes is left (SIGKILL after 60 s)."""
    began = time.perf_counter()
    os.killpg(proc.pid, signal.SIGTERM)
    while group_memory(proc.pid)[0] and time.perf_counter() - began < 60:
        proc.poll()  # reap the leader, so that it does not linger as a zombie
        time.sleep(0.02)
    elapsed = time.perf_counter() - began
    if group_memory(proc.pid)[0]:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return elapsed


@contextmanager
def running_server(home: Path) -> Iterator[tuple[str, ServerFigures, subprocess.Popen[bytes]]]:
    """``ipeco serve`` (gunicorn) on a free port; yields its URL, its figures (the seconds it took to
    answer now; memory and stop time filled later) and its process."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "IPECO_AUTH"}
    env.update(IPECO_HOME=str(home), IPECO_STORE="embedded")
    cmd = [sys.executable, "-m", "ipeco.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    began = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    figures = ServerFigures(startup_s=0.0)
    try:
        deadline = time.monotonic() + 300
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"ipeco serve exited with {proc.returncode}")
            try:
                if requests.get(f"{base}/", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("ipeco serve did not answer within 300 s")
            time.sleep(0.2)
        figures.startup_s = time.perf_counter() - began
        yield base, figures, proc
    finally:
        figures.stop_s = stop_group(proc)


def idle_memory(figures: ServerFigures, proc: subprocess.Popen[bytes], wait: float) -> None:
    """Sample the group's memory once it has been idle for ``wait`` seconds."""
    time.sleep(wait)
    figures.processes, figures.idle_rss_mib, figures.idle_pss_mib = group_memory(proc.pid)


@contextmanager
def fresh_page(browser: Browser) -> Iterator[Page]:
    """A page in a new context: empty cache, as a first visit."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ja-JP", accept_downloads=True)
    try:
        yield context.new_page()
    finally:
        context.close()


def baseline(browser: Browser, base: str, region: str) -> float:
    with fresh_page(browser) as page:
        page.goto(f"{base}/no-such-page?region={region}")
        page.wait_for_selector("#not-found", state="attached", timeout=TIMEOUT_MS)
        return float(page.evaluate("performance.now()")) / 1000


def open_map(page: Page, base: str, region: str) -> float:
    """Seconds from navigation to the map's first meaningful render (see the module docstring)."""
    page.add_init_script(_FIRST_RENDER_JS)
    page.goto(f"{base}/?region={region}")
    page.wait_for_function("window.__ipecoFirstRender !== undefined", timeout=TIMEOUT_MS)
    return float(page.evaluate("window.__ipecoFirstRender")) / 1000


def map_render(browser: Browser, base: str, region: str) -> float:
    with fresh_page(browser) as page:
        return open_map(page, base, region)


def click_targets(page: Page, count: int) -> list[str]:
    """Support bodies first, then the other nodes by degree: the nodes a user clicks first."""
    return list(
        page.evaluate(
            """n => window.cy.nodes().filter(x => !x.isParent()).sort((a, b) => {
                   const s = x => (x.data('kind') === 'SupportOrganization' ? 1000000 : 0) + x.degree();
                   return s(b) - s(a);
               }).slice(0, n).map(x => x.id())""",
            count,
        )
    )


def _task_seconds(cdp: CDPSession) -> float:
    """Seconds the page's main thread has spent in tasks so far (Chromium's ``TaskDuration``)."""
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return float(next(m["value"] for m in metrics if m["name"] == "TaskDuration"))


def node_clicks(browser: Browser, base: str, region: str, runs: int) -> tuple[list[float], list[float]]:
    """Seconds from a node's tap to its label in the detail panel's heading, for ``runs`` nodes, and
    the seconds the page's main thread spent in tasks in that time."""
    out: list[float] = []
    busy: list[float] = []
    with fresh_page(browser) as page:
        open_map(page, base, region)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        for node in click_targets(page, runs):
            label = page.evaluate("id => window.cy.getElementById(id).data('label') || ''", node)
            before = _task_seconds(cdp)
            page.evaluate(
                "id => { window.__ipecoTap = performance.now(); window.cy.getElementById(id).emit('tap'); }", node
            )
            page.wait_for_function(
                """label => {
                    const h = document.querySelector('#map-detail h3');
                    if (h && (!label || h.textContent.includes(label))) {
                        window.__ipecoDetail = window.__ipecoDetail || performance.now();
                        return true;
                    }
                    return false;
                }""",
                arg=label,
                polling="raf",
                timeout=TIMEOUT_MS,
            )
            busy.append(_task_seconds(cdp) - before)
            out.append(float(page.evaluate("window.__ipecoDetail - window.__ipecoTap")) / 1000)
            page.evaluate(
                "() => { window.__ipecoDetail = undefined; const h = document.querySelector('#map-detail h3');"
                " if (h) { h.textContent = ''; } }"
            )
            page.wait_for_timeout(600)  # the centring animation ends before the next tap
    return out, busy


def compare_visit(browser: Browser, base: str, regions: int) -> float:
    with fresh_page(browser) as page:
        page.goto(f"{base}/compare")
        page.wait_for_function(
            """n => document.querySelector('#compare-table')
                   && document.querySelector('.charts svg.bar-chart')
                   && [...document.querySelectorAll('.thumb img')]
                          .filter(i => i.complete && i.naturalWidth > 0).length >= n""",
            arg=regions,
            polling="raf",
            timeout=TIMEOUT_MS,
        )
        return float(page.evaluate("performance.now()")) / 1000


#: The pages whose JavaScript is weighed, and what says each is ready.
JS_PAGES = {
    "404": ("/no-such-page?region=kobe", "#not-found"),
    "map": ("/?region=kobe", "#map-cyto canvas"),
    "compare": ("/compare", "#compare-table"),
}


def js_kib(browser: Browser, base: str, page_name: str) -> float:
    """KiB of JavaScript (decoded) a first visit of the page loads, lazily loaded chunks included."""
    path, ready = JS_PAGES[page_name]
    with fresh_page(browser) as page:
        page.goto(f"{base}{path}")
        page.wait_for_selector(ready, state="attached", timeout=TIMEOUT_MS)
        page.wait_for_timeout(1000)
        size = page.evaluate(
            r"""() => performance.getEntriesByType('resource')
                 .filter(e => e.initiatorType === 'script' || /\.js(\?|$)/.test(e.name))
                 .reduce((n, e) => n + e.decodedBodySize, 0)"""
        )
        return float(size) / 1024


def _download(page: Page, click: Callable[[], None]) -> float:
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        began = time.perf_counter()
        click()
    elapsed = time.perf_counter() - began
    if info.value.failure():
        raise SystemExit(f"download failed: {info.value.failure()}")
    return elapsed


def report_download(browser: Browser, base: str, region: str, fmt: str) -> float:
    with fresh_page(browser) as page:
        page.goto(f"{base}/report?region={region}&format={fmt}")
        page.wait_for_selector("#report-btn", timeout=TIMEOUT_MS)
        return _download(page, lambda: page.click("#report-btn"))


def map_export(browser: Browser, base: str, region: str) -> float:
    with fresh_page(browser) as page:
        open_map(page, base, region)
        page.click("#map-export-format")
        page.locator("[role=option]", has_text="xlsx").first.click()
        return _download(page, lambda: page.click("#map-export-btn"))


def paired_rows(browser: Browser, base: str, region: str, runs: int, only: set[str]) -> list[Row]:
    """The baseline and map rows of a region, their samples taken in turns (404 page, map, 404 page, …):
    a change in the machine's load then falls on both rows alike, not on one of them."""
    takes = {"baseline": baseline, "map": map_render}
    rows = [Row(name, region) for name in takes if name in only]
    for _ in range(runs):
        for current in rows:
            current.samples.append(takes[current.measure](browser, base, region))
    for current in rows:
        print(f"  {current.measure:8} {region:9} median {current.median:7.3f} s  {current.samples}", file=sys.stderr)
    return rows


def measure(base: str, regions: list[str], runs: int, only: set[str]) -> list[Row]:
    from playwright.sync_api import sync_playwright

    rows: list[Row] = []

    def row(name: str, region: str, take: Callable[[], float]) -> None:
        if name not in only:
            return
        current = Row(name, region)
        for _ in range(runs):
            current.samples.append(take())
        rows.append(current)
        print(f"  {name:8} {region:9} median {current.median:7.3f} s  {current.samples}", file=sys.stderr, flush=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for region in regions:
                rows += paired_rows(browser, base, region, runs, only)
                if "click" in only:
                    clicks, busy = node_clicks(browser, base, region, runs)
                    rows += [Row("click", region, clicks), Row("click-cpu", region, busy)]
                    print(f"  click    {region:9} {clicks} main thread {busy}", file=sys.stderr, flush=True)
            row("compare", "all", lambda: compare_visit(browser, base, len(regions)))
            if "js" in only:
                for name in JS_PAGES:
                    rows.append(Row("js", name, [js_kib(browser, base, name)]))
                    print(f"  js       {name:9} {rows[-1].samples[0]:.0f} KiB", file=sys.stderr, flush=True)
            for region in regions:
                row("pdf", region, functools.partial(report_download, browser, base, region, "pdf"))
                row("xlsx", region, functools.partial(report_download, browser, base, region, "xlsx"))
                row("export", region, functools.partial(map_export, browser, base, region))
        finally:
            browser.close()
    return rows


def cli_start(home: Path, runs: int) -> list[Row]:
    """Cold CLI start: ``ipeco --help`` and ``ipeco analyze --region kobe`` (new process each run).

    Run as ``python -m ipeco.cli`` from this checkout (what the ``ipeco`` script runs), so that a
    copy of another commit measures its own code.
    """
    env = {**os.environ, "IPECO_HOME": str(home), "IPECO_STORE": "embedded"}
    out = []
    for name, args in (("cli-help", ["--help"]), ("cli-analyze", ["analyze", "--region", "kobe"])):
        current = Row(name, "kobe" if "analyze" in args else "—")
        for _ in range(runs):
            began = time.perf_counter()
            cmd = [sys.executable, "-m", "ipeco.cli", *args]
            done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, check=False)
            current.samples.append(time.perf_counter() - began)
            if done.returncode != 0:
                raise SystemExit(f"ipeco {' '.join(args)} failed:\n{done.stderr.decode()}")
        out.append(current)
    return out


def server_lines(server: ServerFigures) -> list[str]:
    stop = "—" if server.stop_s is None else f"{server.stop_s:.2f} s"
    return [
        f"server start to first answer: {server.startup_s:.1f} s (seed read, analyses computed, gunicorn forked)",
        f"idle process group: {server.processes} processes, RSS {server.idle_rss_mib:.0f} MiB, "
        f"PSS {server.idle_pss_mib:.0f} MiB (target RSS < 1024 MiB)",
        f"stop (SIGTERM to the group until no process is left): {stop} (target < 5 s)",
    ]


def _verdict(r: Row, ratio: float | None) -> tuple[str, str]:
    """The target column (seconds, or × the baseline) and whether the median meets it."""
    if r.measure in RATIO_TARGETS and ratio is not None:
        goal = RATIO_TARGETS[r.measure]
        return f"≤ {goal:g}×", "pass" if ratio <= goal else "FAIL"
    target = "—" if r.target is None else f"< {r.target:g}"
    return target, "—" if r.passed is None else ("pass" if r.passed else "FAIL")


def table(rows: list[Row], server: ServerFigures) -> str:
    base = {r.region: r.median for r in rows if r.measure == "baseline"}
    overall = statistics.median(base.values()) if base else None
    lines = [
        *server_lines(server),
        "",
        "| measure | region | N | median (s) | min (s) | max (s) | × baseline | target | pass |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    weights = [f"{r.region} {r.samples[0]:.0f} KiB" for r in rows if r.measure == "js"]
    if weights:
        lines[len(server_lines(server))] = "JavaScript parsed on a first visit: " + ", ".join(weights) + "\n"
    for r in (r for r in rows if r.measure != "js"):
        ref = base.get(r.region, overall)
        ratio = r.median / ref if ref and r.measure in RATIO_TARGETS else None
        target, verdict = _verdict(r, ratio)
        lines.append(
            f"| {r.measure} | {r.region} | {len(r.samples)} | {r.median:.3f} | {min(r.samples):.3f} | "
            f"{max(r.samples):.3f} | {'—' if ratio is None else f'{ratio:.2f}'} | {target} | {verdict} |"
        )
    return "\n".join(lines)


def main() -> int:
    TARGETS.update({"cli-help": None, "cli-analyze": None})
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="samples per row (N)")
    parser.add_argument("--regions", default=",".join(REGIONS), help="comma-separated region keys")
    parser.add_argument("--only", default=",".join(TARGETS), help="comma-separated measures to take")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--idle-wait", type=float, default=IDLE_WAIT, help="seconds idle before memory is sampled")
    args = parser.parse_args()
    regions = [r for r in args.regions.split(",") if r]
    only = {m for m in args.only.split(",") if m}
    with tempfile.TemporaryDirectory(prefix="ipeco-bench-pages-") as tmp:
        home = Path(tmp)
        seed_home(home)
        with running_server(home) as (base, server, proc):
            settled = wait_until_idle(proc.pid)
            print(f"  server idle (warm-up done) {settled:.1f} s after its first answer", file=sys.stderr, flush=True)
            rows = measure(base, regions, args.runs, only)
            idle_memory(server, proc, args.idle_wait)
        if only & {"cli-help", "cli-analyze"}:
            rows += [r for r in cli_start(home, args.runs) if r.measure in only]
    print(f"\nweb pages in Chromium, {os.cpu_count()} cores, N = {args.runs} per row\n")
    print(table(rows, server))
    if args.json:
        doc = {
            "server": asdict(server),
            "runs": args.runs,
            "rows": [{**asdict(r), "median": r.median, "target": r.target, "pass": r.passed} for r in rows],
        }
        args.json.write_text(json.dumps(doc, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
