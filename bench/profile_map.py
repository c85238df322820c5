"""Where the map's first render spends its time, against the 404 page (issue 23).

Run ``python -m bench.profile_map [--regions aomori,ishikawa,kobe] [--runs 3]``. It serves the
seeded data as ``bench/bench_pages.py`` does (``ipeco serve``, gunicorn, a fresh browser context per
sample) and, for the 404 page and the map of each region, records in Chromium:

- the waterfall: when the HTML, the last script, Dash's ``_dash-layout`` / ``_dash-dependencies``
  and each ``_dash-update-component`` call (its outputs and answer size) ended, and the first
  render (the 404 message in the DOM; the map's first frame with laid-out nodes); a page's
  content has arrived with the pages router's answer, or, for the map, which comes with the
  layout answer (:mod:`webapp.first_page`), once ``_dash-layout`` and the scripts are both there;
- the main thread until that moment, from a Chromium trace: script compile, script evaluation
  and callbacks, style, layout, paint, garbage collection, and idle time (waiting for the network
  or the server);
- the JavaScript the page parsed (KiB) and, for the map, the elements drawn.

Medians of ``--runs`` samples; nothing is asserted. The figures explain ``bench_pages``'s ratio.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_pages import _FIRST_RENDER_JS, running_server, seed_home
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Request

TIMEOUT_MS = 180_000
#: Trace events summed into each bucket of the main thread's time (their own time, nested ones apart).
BUCKETS: dict[str, str] = {
    "v8.compile": "compile",
    "v8.compileModule": "compile",
    "V8.CompileCode": "compile",
    "V8.CompileIgnition": "compile",
    "V8.ParseFunction": "compile",
    "V8.PreParse": "compile",
    "V8.ParseProgram": "compile",
    "v8.parseOnBackground": "compile",
    "v8.produceCache": "compile",
    "EvaluateScript": "script",
    "v8.evaluateModule": "script",
    "FunctionCall": "script",
    "TimerFire": "script",
    "FireAnimationFrame": "script",
    "EventDispatch": "script",
    "RunMicrotasks": "script",
    "XHRReadyStateChange": "script",
    "XHRLoad": "script",
    "v8.run": "script",
    "UpdateLayoutTree": "style",
    "ScheduleStyleRecalculation": "style",
    "Layout": "layout",
    "PrePaint": "paint",
    "Paint": "paint",
    "Layerize": "paint",
    "Commit": "paint",
    "MinorGC": "gc",
    "MajorGC": "gc",
    "V8.GCScavenger": "gc",
    "V8.GCFinalizeMC": "gc",
    "ParseHTML": "html",
    "ParseAuthorStyleSheet": "style",
}
CATEGORIES = [
    "devtools.timeline",
    "v8",
    "v8.execute",
    "disabled-by-default-devtools.timeline",
    "disabled-by-default-v8.compile",
    "blink",
    "loading",
    "blink.user_timing",
]


@dataclass
class Sample:
    """One first visit: milestones (ms from navigation), main-thread buckets (ms), sizes."""

    ready: float = 0.0
    milestones: dict[str, float] = field(default_factory=dict)
    calls: list[dict[str, Any]] = field(default_factory=list)
    buckets: dict[str, dict[str, float]] = field(default_factory=dict)
    js_kib: float = 0.0
    js_sent_kib: float = 0.0
    layout_bytes: tuple[int, int] = (0, 0)
    elements: int = 0


def _outputs(request: Request) -> str:
    try:
        body = json.loads(request.post_data or "{}")
    except ValueError:
        return "?"
    return str(body.get("output", "?"))[:90]


@contextmanager
def recorded(page: Page) -> Iterator[list[dict[str, Any]]]:
    """Every ``_dash-update-component`` call of the page: outputs, start, end (ms), answer bytes."""
    calls: list[dict[str, Any]] = []

    def finished(request: Request) -> None:
        if "_dash-update-component" not in request.url:
            return
        timing = request.timing
        size = request.sizes()["responseBodySize"]
        start = timing["startTime"]
        calls.append(
            {"outputs": _outputs(request), "start": start, "end": start + timing["responseEnd"], "bytes": size}
        )

    page.on("requestfinished", finished)
    try:
        yield calls
    finally:
        page.remove_listener("requestfinished", finished)


_MILESTONES_JS = r"""() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const end = f => Math.max(0, ...res.filter(f).map(e => e.responseEnd));
  const scripts = res.filter(e => e.initiatorType === 'script' || /\.js(\?|$)/.test(e.name));
  return {
    milestones: {
      html: nav.responseEnd,
      dom_content_loaded: nav.domContentLoadedEventEnd,
      scripts: end(e => e.initiatorType === 'script' || /\.js(\?|$)/.test(e.name)),
      dash_layout: end(e => e.name.includes('_dash-layout')),
      dash_dependencies: end(e => e.name.includes('_dash-dependencies')),
      navigation_start: performance.timeOrigin,
    },
    js: scripts.reduce((n, e) => n + e.decodedBodySize, 0) / 1024,
    js_sent: scripts.reduce((n, e) => n + e.encodedBodySize, 0) / 1024,
    layout: res.filter(e => e.name.includes('_dash-layout'))
               .map(e => [e.decodedBodySize, e.encodedBodySize])[0] || [0, 0],
    elements: window.cy ? window.cy.elements().length : 0,
  };
}"""


def _main_thread(trace: dict[str, Any]) -> tuple[int, int]:
    """The renderer's main thread (pid, tid) of the traced page."""
    names = [
        e for e in trace["traceEvents"] if e.get("name") == "thread_name" and e["args"]["name"] == "CrRendererMain"
    ]
    busiest: dict[tuple[int, int], int] = defaultdict(int)
    for e in trace["traceEvents"]:
        busiest[(e.get("pid", 0), e.get("tid", 0))] += 1
    return max(((e["pid"], e["tid"]) for e in names), key=lambda k: busiest[k])


def buckets(trace: dict[str, Any], origin_us: float, start_ms: float, end_ms: float) -> dict[str, float]:
    """Milliseconds of the main thread's own time per bucket between two moments (ms from navigation).

    ``busy`` is the time inside tasks, ``idle`` the rest (the thread waited for the network, the
    server or a core); the named buckets split ``busy`` (an event nested in another counts once,
    in the innermost named bucket; what no bucket names stays in ``busy`` only).
    """
    pid, tid = _main_thread(trace)
    low, high = origin_us + start_ms * 1000, origin_us + end_ms * 1000
    events = sorted(
        (e for e in trace["traceEvents"] if e.get("pid") == pid and e.get("tid") == tid and e.get("ph") == "X"),
        key=lambda e: (e["ts"], -e.get("dur", 0)),
    )
    out: dict[str, float] = defaultdict(float)
    stack: list[tuple[float, str | None]] = []  # (end, bucket) of the open events
    for e in events:
        while stack and stack[-1][0] <= e["ts"]:
            stack.pop()
        end = e["ts"] + e.get("dur", 0)
        clipped = max(0.0, min(end, high) - max(e["ts"], low)) / 1000
        bucket = BUCKETS.get(e["name"])
        if e["name"] == "RunTask" and not stack:
            out["busy"] += clipped
        if bucket is not None:
            out[bucket] += clipped
            parent = next((b for _, b in reversed(stack) if b is not None), None)
            if parent is not None:
                out[parent] -= clipped  # nested: counted once, in the innermost bucket
        stack.append((end, bucket))
    out["idle"] = end_ms - start_ms - out["busy"]
    return {k: round(v, 1) for k, v in out.items()}


#: The phases of a first visit, between milestones (ms from navigation): scripts parsed and run,
#: the page's content asked for and received, then drawn.
PHASES = (("start", "dom_content_loaded"), ("dom_content_loaded", "content"), ("content", "ready"))


def visit(browser: Browser, url: str, *, map_page: bool) -> Sample:
    """One first visit of ``url`` (fresh context), traced until its first render."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ja-JP")
    try:
        page = context.new_page()
        if map_page:
            page.add_init_script(_FIRST_RENDER_JS)
        browser.start_tracing(page=page, categories=CATEGORIES)
        with recorded(page) as calls:
            page.goto(url)
            if map_page:
                page.wait_for_function("window.__ipecoFirstRender !== undefined", timeout=TIMEOUT_MS)
                ready = float(page.evaluate("window.__ipecoFirstRender"))
            else:
                page.wait_for_selector("#not-found", state="attached", timeout=TIMEOUT_MS)
                ready = float(page.evaluate("performance.now()"))
            page.wait_for_timeout(500)
            facts = page.evaluate(_MILESTONES_JS)
        trace = json.loads(browser.stop_tracing())
        origin = _navigation_ts(trace, url)
        sample = Sample(ready=ready, js_kib=facts["js"], js_sent_kib=facts["js_sent"], elements=facts["elements"])
        sample.layout_bytes = (int(facts["layout"][0]), int(facts["layout"][1]))
        sample.milestones = {k: v for k, v in facts["milestones"].items() if k != "navigation_start"}
        sample.calls = [_relative(c, facts["milestones"]["navigation_start"]) for c in calls]
        content = [c["end"] for c in sample.calls if "_pages_content" in c["outputs"]]
        # a page that comes with the layout answer (webapp.first_page) has its content once that
        # answer and the page's scripts are both there (a preloaded answer may end before the scripts)
        ends = sample.milestones
        arrived = min(content, default=max(ends["dash_layout"], ends["dom_content_loaded"]))
        sample.milestones.update(start=0.0, content=arrived, ready=ready)
        if origin:
            sample.buckets = {
                f"{a}→{b}": buckets(trace, origin, sample.milestones[a], sample.milestones[b]) for a, b in PHASES
            }
        return sample
    finally:
        context.close()


def _relative(call: dict[str, Any], origin_ms: float) -> dict[str, Any]:
    return {**call, "start": round(call["start"] - origin_ms, 1), "end": round(call["end"] - origin_ms, 1)}


def _navigation_ts(trace: dict[str, Any], url: str) -> float | None:
    """The trace time (µs) of the page's navigation start (the zero of ``performance.now()``)."""
    marks = [
        e["ts"]
        for e in trace["traceEvents"]
        if e.get("name") == "navigationStart" and e.get("args", {}).get("data", {}).get("documentLoaderURL") == url
    ]
    return float(max(marks)) if marks else None


def summary(name: str, samples: list[Sample]) -> list[str]:
    """Median milestones and main-thread buckets per phase, and the callback calls of the median sample."""
    ready = statistics.median(s.ready for s in samples)
    first = samples[0]
    lines = [
        f"{name}: first render {ready:.0f} ms, JS {first.js_kib:.0f} KiB ({first.js_sent_kib:.0f} KiB sent), "
        f"layout answer {first.layout_bytes[0]:,d} B ({first.layout_bytes[1]:,d} B sent), elements {first.elements}"
    ]
    keys = [k for k in samples[0].milestones if k not in ("start", "ready")]
    lines.append(
        "  ends:   " + ", ".join(f"{k} {statistics.median(s.milestones[k] for s in samples):.0f}" for k in keys)
    )
    for phase in samples[0].buckets:
        names = sorted({k for s in samples for k in s.buckets.get(phase, {})})
        cells = [f"{k} {statistics.median(s.buckets.get(phase, {}).get(k, 0) for s in samples):.0f}" for k in names]
        lines.append(f"  {phase}: " + ", ".join(cells))
    middle = sorted(samples, key=lambda s: s.ready)[len(samples) // 2]
    for call in middle.calls:
        lines.append(f"  call {call['start']:6.0f}–{call['end']:6.0f} ms {call['bytes']:8,d} B  {call['outputs']}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--regions", default="aomori,ishikawa,kobe")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="ipeco-profile-map-") as tmp:
        home = Path(tmp)
        seed_home(home)
        with running_server(home) as (base, _, _), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for region in [r for r in args.regions.split(",") if r]:
                    pages = {"404": f"{base}/no-such-page?region={region}", "map": f"{base}/?region={region}"}
                    for name, url in pages.items():
                        samples = [visit(browser, url, map_page=name == "map") for _ in range(args.runs)]
                        print("\n".join(summary(f"{region} {name}", samples)), flush=True)
            finally:
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
