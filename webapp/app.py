"""The Dash application: the shell (header, banners, language, URL sync), pages and basic auth.

``create_app(store_factory)`` builds a fresh app over any store (tests pass an embedded store on a
temporary file); ``run(settings, host, port)`` is what ``ipeco serve`` calls. Pages are registered
here explicitly (``use_pages`` with ``pages_folder=""``) rather than discovered, and their callbacks
are attached to this app rather than to Dash's global callback list, so the app does not depend on
import order and a test process may build more than one.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dash
import flask
from dash import ALL, Input, Output, dcc, html

from graph.errors import IpecoError
from graph.settings import env
from graph.store import Store, StoreUnavailable
from graph.words import DEFAULT_LANG, normalise_lang, t
from webapp import edit_panel, ids
from webapp.auth import install_auth, install_write_guard, parse_auth, parse_roles
from webapp.bundles import DROPDOWN, SLIDER, TABLE, UPLOAD, PagedDash
from webapp.components import aria
from webapp.compression import install_compression
from webapp.data import DEADLINE, DataSource
from webapp.error_page import install_error_handlers, on_callback_error
from webapp.health import HealthProbe
from webapp.notices import query_notices
from webapp.pages import changes, compare, gaps, help, history, map, query, report, suggest, workbench
from webapp.state import decode_query

__all__ = ["PAGES", "bind_warning", "create_app", "run"]

log = logging.getLogger(__name__)

#: Seconds the web app's store connections may take to connect or to get a pooled connection; a
#: frozen Neo4j then fails the background question quickly and it is asked again (pages never wait
#: for it longer than ``webapp.data.DEADLINE``).
CONNECT_TIMEOUT = 5.0

#: Page modules in menu order; each has PATH, NAV (i18n key), ``layout(ds, **params)`` and ``register(app, ds)``.
PAGES = (map, compare, changes, gaps, suggest, query, report, help, workbench, history)
_NAV_IDS = dict(zip((p.__name__ for p in PAGES), ids.NAV_LINKS, strict=True))
ASSETS = Path(__file__).resolve().parent / "assets"

#: Keeps the address bar equal to the page's view (replaceState: no navigation, no page re-render)
#: and points the menu and language links at the same region and language.
_URL_SYNC_JS = """
function(views, search) {
    // Only a change of the page's own view state rewrites the address bar: when the URL itself
    // changed (a link was followed), the old page's state must not overwrite the new address.
    const triggered = (dash_clientside.callback_context.triggered || []).map(t => t.prop_id).join(" ");
    const fromView = triggered.includes("view-state");
    const view = (views || []).find(v => v && v.path === window.location.pathname);
    if (fromView && view && (view.query || "") !== window.location.search) {
        window.history.replaceState(window.history.state, "", window.location.pathname + (view.query || ""));
    }
    const params = new URLSearchParams(view ? (view.query || "") : window.location.search);
    const keep = new URLSearchParams();
    // A page without a region of its own (help, query) keeps the last region visited this session.
    let region = params.get("region");
    try {
        if (region) { window.sessionStorage.setItem("ipeco-region", region); }
        else { region = window.sessionStorage.getItem("ipeco-region"); }
    } catch (e) { /* storage disabled: the region is kept only where the address holds it */ }
    if (region) { keep.set("region", region); }
    if (params.get("lang") && params.get("lang") !== "ja") { keep.set("lang", params.get("lang")); }
    const qs = keep.toString() ? "?" + keep.toString() : "";
    const other = new URLSearchParams(params);
    if ((params.get("lang") || "ja") === "ja") { other.set("lang", "en"); } else { other.delete("lang"); }
    const langQs = other.toString() ? "?" + other.toString() : "";
    return ["/" + qs, "/compare" + qs, "/changes" + qs, "/gaps" + qs, "/suggest" + qs, "/query" + qs, "/report" + qs,
            "/help" + qs, "/workbench" + qs, "/history" + qs, window.location.pathname + langQs];
}
"""


def _shell() -> html.Div:
    # The menu's words in the default language until the header callback says them in the page's:
    # a dcc.Link without children would show its address.
    nav = [
        dcc.Link(t(page.NAV, DEFAULT_LANG), id=_NAV_IDS[page.__name__], href="/", className="nav-link")
        for page in PAGES
    ]
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.URL_SYNC),
            dcc.Interval(id=ids.HEALTH_INTERVAL, interval=5000, n_intervals=0),
            html.A(t("app.skip", "ja"), id=ids.SKIP_LINK, href="#main", className="skip-link"),
            html.Header(
                [
                    html.H1(id=ids.TITLE, className="app-title"),
                    html.Nav(nav, id=ids.NAV, className="nav", **aria("label", "pages")),
                    dcc.Link(id=ids.LANG_LINK, href="/?lang=en", className="lang-link"),
                ],
                className="app-header",
            ),
            html.Div(id=ids.STORE_BANNER, className="banner banner-error", role="alert", hidden=True),
            html.Div(id=ids.SYNTHETIC_BANNER, className="banner banner-synthetic", role="status", hidden=True),
            html.Div(
                [
                    html.Div(id=ids.LINK_NOTICE_TEXT, className="link-notice-text"),
                    html.Button("×", id=ids.LINK_NOTICE_CLOSE, className="link-notice-close", n_clicks=0),
                ],
                id=ids.LINK_NOTICE,
                className="banner banner-notice",
                role="status",
                hidden=True,
            ),
            html.Main(dash.page_container, id="main", className="app-main"),
        ],
        className="app",
    )


def create_app(
    store_factory: Callable[[], Store],
    *,
    auth: str | None = None,
    ttl: float = 60.0,
    warm: bool = False,
    roles: str | None = None,
    store_kind: str = "",
) -> dash.Dash:
    """A complete app over the stores ``store_factory`` opens (one per read; see ``webapp.data``).

    ``auth`` (``user:password[,user2:password2]``) defaults to ``IPECO_AUTH`` (rules in
    :mod:`webapp.auth`); an explicit ``auth=""`` means no login. Without it the app is open, which is
    right for the default loopback binding. ``roles`` (``user:role[:regions]``, default
    ``IPECO_ROLES``) gives logged-in users their workbench role (:func:`webapp.auth.parse_roles`).
    ``warm`` computes the pages' results in the background from the start
    (:func:`webapp.serve.warm_pages`; the development server), so the first visitor of a page does
    not wait. ``store_kind`` (``"neo4j"`` or ``"embedded"``, when the caller knows it) decides what the
    console offers from the first page on, whether or not the store has answered yet.
    """
    users = parse_auth(env("IPECO_AUTH")) if auth is None else parse_auth(auth) if auth else None
    ds = _data_source(store_factory, ttl=ttl, warm=warm, store_kind=store_kind)
    app = PagedDash(
        __name__,
        # dash-cytoscape's plain bundle (0.5 MB) only where a graph is drawn (webapp.bundles)
        graph_pages=(map.PATH, query.PATH, workbench.PATH),
        # their lazy chunks fetched beside Dash's bundles, not after the content mounts (webapp.bundles)
        chunks={map.PATH: DROPDOWN + SLIDER, query.PATH: TABLE, workbench.PATH: DROPDOWN + UPLOAD},
        # the map and compare come with the layout answer, not from the pages router's callback (webapp.first_page)
        first_pages=(map.PATH, compare.PATH),
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        suppress_callback_exceptions=True,
        title="ipeco",
        update_title=None,  # None turns the "Updating…" title off (Dash docs)
        on_error=on_callback_error,  # the one handler for what no callback expected: logs, shows the error page
    )
    _register_pages(app, ds)
    app.layout = _shell()
    _answer_404(app)
    install_error_handlers(app)
    install_compression(app.server)  # bundles and JSON compressed as the browser accepts (webapp.compression)
    probe = HealthProbe(ds.check, timeout=DEADLINE)
    _register_shell(app, ds, probe)
    if users:
        install_auth(app.server, users)
        # Roles of the workbench (issue 22): without IPECO_AUTH the one local user is an editor.
        app.server.config["IPECO_GRANTS"] = parse_roles(env("IPECO_ROLES") if roles is None else roles, users)
    edit_panel.register(app, ds)
    writes = workbench.WRITE_OUTPUTS | history.WRITE_OUTPUTS | edit_panel.WRITE_OUTPUTS
    install_write_guard(app.server, writes, (workbench.CSRF, history.CSRF, edit_panel.CSRF))
    app.server.config["IPECO_DATA"] = ds
    app.server.config["IPECO_HEALTH"] = probe
    return app


def _data_source(store_factory: Callable[[], Store], *, ttl: float, warm: bool, store_kind: str) -> DataSource:
    """The app's one data source; with ``warm``, its pages computed in the background from the start."""
    ds = DataSource(store_factory, ttl=ttl, store_kind=store_kind)
    from webapp.serve import warm_pages_now

    # A new data version is served only once its pages are computed; the service's own warming runs first.
    ds.service.warmers[:] = [functools.partial(warm_pages_now, ds)]
    if warm:
        from webapp.serve import warm_pages

        try:
            ds.graph()
            warm_pages(ds)
        except StoreUnavailable:
            log.warning("the store is not reachable yet; analyses will be computed on first use")
    return ds


def _register_pages(app: dash.Dash, ds: DataSource) -> None:
    """Every page of :data:`PAGES` in menu order with its callbacks, and the 404 page."""
    for page in PAGES:
        dash.register_page(
            page.__name__,
            path=page.PATH,
            name=t(page.NAV, "en"),
            title=f"ipeco — {t(page.NAV, 'en')}",
            layout=functools.partial(_page_layout, page.layout, ds),
            order=PAGES.index(page),
        )
        page.register(app, ds)
    # Dash shows the page of the module named ``not_found_404`` for any path no page has.
    dash.register_page("not_found_404", path="/404", title="ipeco — 404", layout=not_found_layout)


def _page_layout(layout: Callable[..., Any], registered: DataSource, **params: Any) -> Any:
    """A page's layout over the data source of the app serving the request.

    Dash's page registry is one per process, so the layout registered by the app built last would
    otherwise answer for every app of the process: a second app (over the real layer alone, say)
    made the first one draw its pages from the other store, while its callbacks and banners still
    read its own. Outside a request (no app to ask) the app that registered the page answers.
    """
    ds = flask.current_app.config.get("IPECO_DATA", registered) if flask.has_app_context() else registered
    return layout(ds, **params)


def _register_shell(app: dash.Dash, ds: DataSource, probe: HealthProbe) -> None:
    @app.callback(
        Output(ids.TITLE, "children"),
        *(Output(nav_id, "children") for nav_id in ids.NAV_LINKS),
        Output(ids.LANG_LINK, "children"),
        Output(ids.LANG_LINK, "title"),
        Output(ids.SKIP_LINK, "children"),
        Input(ids.URL, "search"),
    )
    def header_labels(search: str | None) -> tuple[str, ...]:
        lang = normalise_lang(decode_query(search).get("lang"))
        navs = tuple(t(page.NAV, lang) for page in PAGES)
        return (t("app.title", lang), *navs, t("lang.switch", lang), t("lang.switch_label", lang), t("app.skip", lang))

    @app.callback(
        Output(ids.STORE_BANNER, "children"),
        Output(ids.STORE_BANNER, "hidden"),
        Output(ids.SYNTHETIC_BANNER, "children"),
        Output(ids.SYNTHETIC_BANNER, "hidden"),
        Input(ids.HEALTH_INTERVAL, "n_intervals"),
        Input(ids.URL, "search"),
    )
    def banners(_: int, search: str | None) -> tuple[Any, bool, str, bool]:
        return shell_banners(ds, normalise_lang(decode_query(search).get("lang")), probe)

    @app.callback(
        Output(ids.LINK_NOTICE_TEXT, "children"),
        Output(ids.LINK_NOTICE, "hidden"),
        Output(ids.LINK_NOTICE_CLOSE, "title"),
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
        Input(ids.LINK_NOTICE_CLOSE, "n_clicks"),
    )
    def link_notice(pathname: str | None, search: str | None, _: int) -> tuple[Any, bool, str]:
        params = decode_query(search)
        lang = normalise_lang(params.get("lang"))
        if dash.ctx.triggered_id == ids.LINK_NOTICE_CLOSE:
            return [], True, t("notice.close", lang)
        notices = query_notices(ds, page_path(pathname), params)
        return [html.P(n) for n in notices], not notices, t("notice.close", lang)

    app.clientside_callback(
        _URL_SYNC_JS,
        *(Output(nav_id, "href") for nav_id in ids.NAV_LINKS),
        Output(ids.LANG_LINK, "href"),
        Input({"type": ids.VIEW, "page": ALL}, "data"),
        Input(ids.URL, "search"),
    )


def page_path(pathname: str | None) -> str:
    """The registered page a request path shows (``/gaps/`` is ``/gaps``), or the path itself if none."""
    path = "/" + (pathname or "/").strip("/")
    return path


def known_page(pathname: str | None) -> bool:
    return page_path(pathname) in {page.PATH for page in PAGES}


def not_found_layout(**params: Any) -> Any:
    """The 404 page in the link's language, with a way back to the map (same header and menu as every page)."""
    lang = normalise_lang(params.get("lang"))
    inputs = dash.ctx.inputs if dash.ctx else {}
    path = next((str(v) for k, v in inputs.items() if k.endswith(".pathname")), "")
    return html.Div(
        [
            html.H2(t("notfound.title", lang)),
            html.P(t("notfound.body", lang, path=path)),
            dcc.Link(t("notfound.back", lang), href="/?lang=en" if lang == "en" else "/", className="not-found-back"),
        ],
        id=ids.NOT_FOUND,
        className="page page-message",
    )


def _answer_404(app: dash.Dash) -> None:
    """Serve the app's page for an unknown path with HTTP status 404, so links checkers and crawlers see it.

    Dash answers every path with its index page (the browser picks the page to show); the status
    is set here, after the fact, for the catch-all route only, so assets and callbacks are untouched.
    """
    prefix = app.config.requests_pathname_prefix or "/"

    @app.server.after_request
    def status_404(response: flask.Response) -> flask.Response:
        rule = flask.request.url_rule
        if (
            response.status_code == 200
            and rule is not None
            and rule.rule.endswith("<path:path>")
            and response.mimetype == "text/html"
            and not known_page("/" + flask.request.path.removeprefix(prefix))
        ):
            response.status_code = 404
        return response


def shell_banners(ds: DataSource, lang: str, probe: HealthProbe | None = None) -> tuple[Any, bool, str, bool]:
    """Store banner (children, hidden) and synthetic-data banner (text, hidden) for the header.

    The store is probed through the process's shared :class:`HealthProbe` (at most one probe per
    few seconds, never a long wait); on recovery the graph is re-read at once, so the banner
    disappears and the next interaction shows current data.
    """
    error = probe.check() if probe is not None else ds.check()
    store_banner: Any = ""
    if error:
        ds.service.mark_unanswered()  # nobody waits for a store the probe found silent
        # With data read before, the pages keep showing it: the banner says so.
        headline = "banner.store_stale" if ds.has_snapshot else "banner.store"
        store_banner = [
            html.Strong(t(headline, lang)),
            " ",
            html.Span(t("banner.store_hint", lang)),
            html.Div(error, className="banner-detail"),
        ]
    synthetic = False
    try:
        synthetic = ds.has_synthetic()
    except IpecoError:
        synthetic = False
    return store_banner, not error, t("banner.synthetic", lang), not synthetic


def bind_warning(host: str, port: int, *, auth: bool) -> str | None:
    """The warning printed when the app listens beyond loopback (None on loopback)."""
    if host in ("127.0.0.1", "localhost", "::1"):
        return None
    login = "with basic auth (IPECO_AUTH)" if auth else "WITHOUT a login"
    return (
        f"warning: serving on {host}:{port} makes the app reachable from other machines, {login}. "
        "Set IPECO_AUTH=user:password to require a login, and prefer 127.0.0.1 behind a proxy."
    )


def run(
    settings: Any,
    host: str = "127.0.0.1",
    port: int = 8050,
    debug: bool = False,
    *,
    dev_server: bool = False,
    workers: int | None = None,
) -> None:
    """Serve the app on ``host:port`` (``ipeco serve``): gunicorn, or Werkzeug for development."""
    from graph.connection import open_store
    from webapp.serve import check_debug, default_workers, serve_dev, serve_production, warm_pages

    auth = env("IPECO_AUTH") is not None
    if debug:
        check_debug(host, auth=auth)
    workers = workers or (None if debug or dev_server else default_workers())
    # Built before anything listens, so a malformed IPECO_AUTH stops the start with one message.
    app = create_app(
        lambda: open_store(settings, timeout=CONNECT_TIMEOUT), warm=workers is None, store_kind=settings.store
    )
    warning = bind_warning(host, port, auth=auth)
    if warning:
        print(warning, file=sys.stderr)
    if workers is None:
        serve_dev(app, host, port, debug=debug)
        return
    ds = app.server.config["IPECO_DATA"]
    # Read the graph and compute every region's analyses once, before the workers fork: each
    # worker starts with them (copy-on-write), and no thread is running at the fork. The pages
    # built from them (maps, comparison, report data) are warmed by each worker in the background
    # while it already answers, so the server answers seconds sooner.
    print("computing the regions' analyses before serving…", file=sys.stderr)
    with contextlib.suppress(StoreUnavailable):
        ds.refresh()
        ds.service.warm_now(ds.compare_regions())
    serve_production(app, host, port, workers=workers, after_fork=lambda: warm_pages(ds))
