"""The one handler for errors a callback did not expect: it logs them and shows the error page.

Callbacks catch only the project's own errors (:mod:`graph.errors`), whose message is a sentence
the reader can act on, and show it where they show their results. Anything else is a bug: Dash
hands it to :func:`on_callback_error` (``dash.Dash(on_error=...)``), which writes the traceback
to the log and puts the error page in place of the page's content, in the page's language, so a
reader never sees a traceback or a half-updated page. An error outside a callback (a request
Flask itself fails) is logged by Flask and answered by :func:`server_error` with status 500.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs, urlsplit

import dash
import flask
from dash import dcc, html

from graph.errors import IpecoError
from graph.words import normalise_lang, t
from webapp import ids

__all__ = ["PAGE_CONTENT", "error_layout", "install_error_handlers", "on_callback_error", "page_lang", "server_error"]

log = logging.getLogger(__name__)

#: The container Dash's pages router fills with the current page (``dash.dash._ID_CONTENT``).
PAGE_CONTENT = "_pages_content"


def page_lang() -> str:
    """The language of the page a request came from (``?lang=`` of its Referer); Japanese by default."""
    referrer = flask.request.referrer if flask.has_request_context() else None
    values = parse_qs(urlsplit(referrer or "").query).get("lang") or [""]
    return normalise_lang(values[0])


def error_layout(lang: str, detail: str | None = None) -> Any:
    """The error page: what happened (``detail``, a project error's sentence, or the general one) and a way back."""
    return html.Div(
        [
            html.H2(t("error.title", lang)),
            html.P(detail or t("error.body", lang)),
            dcc.Link(t("notfound.back", lang), href="/?lang=en" if lang == "en" else "/", className="not-found-back"),
        ],
        id=ids.ERROR_PAGE,
        className="page page-message",
        role="alert",
    )


def on_callback_error(err: Exception) -> None:
    """Dash's ``on_error``: log ``err`` and show the error page; the callback's own outputs stay as they were.

    A project error that reached here was not shown by its callback: its sentence is the page's
    message and the log gets one line. Any other error gets the general message and a traceback.
    """
    if isinstance(err, IpecoError):
        log.warning("a callback stopped: %s", err)
        detail: str | None = str(err)
    else:
        log.error("a callback failed unexpectedly", exc_info=err)
        detail = None
    dash.set_props(PAGE_CONTENT, {"children": error_layout(page_lang(), detail)})


def server_error(_error: Exception) -> tuple[str, int]:
    """Flask's handler for status 500: a short page in both languages (Flask has logged the error)."""
    lines = [f"<p>{t('error.server', lang)}</p>" for lang in ("ja", "en")]
    return f"<!doctype html><title>ipeco — 500</title>{''.join(lines)}", 500


def install_error_handlers(app: dash.Dash) -> None:
    """Route the app's unexpected errors to the handlers above."""
    app.server.register_error_handler(500, server_error)
