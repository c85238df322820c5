"""How ``ipeco serve`` (and the Docker image) runs the app: gunicorn, several worker processes.

Why gunicorn with several processes: Dash callbacks are Python that holds the GIL (region views,
element building, JSON), so threads in one process queue behind each other and Werkzeug's
development server topped out at 26–35 requests/s with a p95 of 4 s at 50 users. Worker processes
run callbacks truly in parallel on the machine's cores. Each worker runs a few threads as well
(gunicorn's ``gthread`` worker), so a callback waiting on Neo4j or a slow report does not block the
worker's other requests. The app is built once in the master and the graph read once before the
workers fork (``preload_app``), so workers start with a warm cache and a bad setting (a malformed
``IPECO_AUTH``) stops the start with one message instead of failing in every worker. gunicorn
rather than waitress: waitress is one process with threads, which is exactly the GIL limit above.

``--dev-server`` (and ``--debug``) keep Werkzeug's development server, for development only; the
debugger it can serve runs arbitrary code, so it is refused when a login is configured or the
address is not loopback.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import dash
from gunicorn.app.base import BaseApplication

from graph.errors import InputError
from graph.settings import env

if TYPE_CHECKING:
    from webapp.data import DataSource

__all__ = [
    "LOOPBACK",
    "WebServerError",
    "default_workers",
    "register_page_assets",
    "serve_dev",
    "serve_production",
    "start_shared_printer",
    "warm_pages",
    "warm_pages_now",
]

log = logging.getLogger(__name__)

LOOPBACK = ("127.0.0.1", "localhost", "::1")


class WebServerError(InputError):
    """The web server cannot start as asked (user error: one sentence, exit 1)."""


def default_workers() -> int:
    """One worker process per core (``IPECO_WEB_WORKERS`` overrides), at least 2, at most 8.

    The callbacks are CPU-bound, so processes beyond the cores only queue in the scheduler and
    multiply the memory (each worker keeps its own graph cache). Measured with
    ``bench/bench_webload.py`` on 2 cores at 20 users: 2 workers, p95 0.56 s and 100 requests/s;
    4 workers, p95 1.05 s and 87 requests/s. A worker's threads cover waits on the store.
    """
    if raw := env("IPECO_WEB_WORKERS"):
        try:
            workers = int(raw)
        except ValueError:
            workers = 0
        if workers < 1:
            msg = f"IPECO_WEB_WORKERS must be a whole number of 1 or more, not {raw!r}"
            raise WebServerError(msg)
        return workers
    return max(2, min(8, os.cpu_count() or 1))


class _Gunicorn(BaseApplication):
    """gunicorn's embedding API: options from here, the WSGI app already built."""

    def __init__(self, wsgi: Any, options: dict[str, Any]) -> None:
        self._wsgi = wsgi
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self._wsgi


def register_page_assets(app: dash.Dash) -> None:
    """Render the index page once, so that Dash registers its JavaScript bundles in this process.

    Dash records which component bundles it may serve only when it renders the index page. With
    several worker processes, the page and its bundles are served by different workers: a worker
    that never rendered the page refuses the bundle ("dash is not a registered library") and the
    browser stays on "Loading...". Rendering it here, before the fork, gives every worker the list.
    """
    with app.server.test_request_context("/"):
        app.index()


def start_shared_printer() -> None:
    """One PDF printer for every worker (:mod:`reports.print_service`), started before the fork.

    It holds no browser until the first PDF or report page, and closes it when idle, so the
    workers never start a Chromium of their own and an idle server holds none.
    """
    from reports.files import chromium_path
    from reports.print_service import start

    exe = chromium_path()
    if exe is not None:
        start(exe)


def serve_production(
    app: dash.Dash,
    host: str,
    port: int,
    *,
    workers: int,
    threads: int = 4,
    after_fork: Callable[[], object] | None = None,
) -> None:
    """Serve ``app`` with gunicorn until interrupted; ``after_fork`` runs in each new worker."""
    register_page_assets(app)
    start_shared_printer()
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    options = {
        "bind": bind,
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        # A map of a large region or a PDF report may take a while; the gthread heartbeat is not
        # blocked by a long request, this only bounds a stuck one.
        "timeout": 120,
        # Stopping waits this long for requests in flight; an idle server stops at once.
        "graceful_timeout": 3,
        "keepalive": 5,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "ipeco-web",
    }
    if after_fork is not None:
        options["post_fork"] = lambda _server, _worker: after_fork()
    print(
        f"ipeco web app on http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}/ "
        f"(gunicorn, {workers} workers x {threads} threads)",
        file=sys.stderr,
    )
    # The warm caches are read-only from here: frozen, the collector never walks (and so never
    # copies) the pages the workers share with the master.
    gc.collect()
    gc.freeze()
    try:
        _Gunicorn(app.server, options).run()
    except SystemExit as done:
        leave_now(done.code)


def leave_now(code: Any) -> None:
    """End this server process (master or worker) without the interpreter's teardown.

    Tearing down the caches' millions of objects took 3–4 s per process at exit (measured: the
    master spent them in the final garbage collection), so stopping the server took 7 s and
    gunicorn killed workers at the graceful timeout. Nothing is left to save: the shared printer is
    stopped by the process that started it, logs and standard streams are flushed.
    """
    from reports.print_service import stop

    stop()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code if isinstance(code, int) else (0 if code is None else 1))


def warm_pages(ds: DataSource) -> threading.Thread:
    """Compute, in a background thread, what the first visitors of the pages would otherwise wait for.

    In order of need: each model region's analysis and gaps (map, detail panel, gaps page), the
    comparison (compare page, reports), the compare page's body in both languages (its charts and
    thumbnail layouts), and each region's report data (its suggestions and figure layout), so that a
    PDF or XLSX download only renders and writes. Everything lands in the service's cache, keyed by
    the data version; a data change is computed the same way in the background before it is served
    (:func:`warm_pages_now`). ``ipeco serve`` computes the analyses before gunicorn forks (every
    worker starts with them, copy-on-write, and no thread runs at the fork) and runs this in each
    worker after the fork, beside its first requests; so does the development server.
    """

    def work() -> None:
        try:
            warm_pages_now(ds)
        except Exception:  # the store went away: the next request reports it
            log.warning("warming the pages' caches failed", exc_info=True)

    thread = threading.Thread(target=work, name="ipeco-warm-pages", daemon=True)
    thread.start()
    return thread


def warm_pages_now(ds: DataSource) -> None:
    """What :func:`warm_pages` computes, in the calling thread.

    Also each model region's default map in both languages. The data source runs this on every new
    data version before serving it (``AnalysisService.warmers``, set in :func:`webapp.app.create_app`),
    so after a load the pages switch to results already computed.
    """
    from graph.words import LANGS
    from reports.collect import collect_region
    from webapp.pages.compare import compare_body
    from webapp.pages.map import map_result
    from webapp.state import MapState

    regions = ds.compare_regions()
    ds.service.warm_now(regions)
    for lang in LANGS:
        compare_body(ds, lang, False)
    for region in regions:
        for lang in LANGS:
            map_result(ds, MapState(region=region, lang=lang))
        collect_region(ds.service, region)  # the PDF/HTML brief; the XLSX one reuses its parts
        collect_region(ds.service, region, figure=False)


def check_debug(host: str, *, auth: bool) -> None:
    """Refuse Werkzeug's debugger where someone else could reach it."""
    if auth:
        msg = "--debug serves Werkzeug's debugger, which runs any code past the login: unset IPECO_AUTH to debug"
        raise WebServerError(msg)
    if host not in LOOPBACK:
        msg = f"--debug serves Werkzeug's debugger, which runs any code: use it on 127.0.0.1 only, not {host}"
        raise WebServerError(msg)


def serve_dev(app: dash.Dash, host: str, port: int, *, debug: bool) -> None:
    """Werkzeug's development server (threaded, one process): ``--dev-server`` and ``--debug``."""
    print(f"ipeco web app on http://{host}:{port}/ (development server; not for shared use)", file=sys.stderr)
    app.run(host=host, port=port, debug=debug)
