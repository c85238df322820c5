"""One error rule (issue 24, item 4): web callbacks catch only the project's errors; one handler shows the rest.

The callbacks' except-clauses are read from the source and every class they name must derive from
:class:`graph.errors.IpecoError` (a short, reasoned list of local conversions aside). The handler is
driven through the real app: a callback that fails with a bug, and one that lets a project error
through, both leave the error page in place of the page's content, in the page's language, and the
log holds the traceback of the bug.
"""

from __future__ import annotations

import ast
import importlib
import logging
from pathlib import Path
from typing import Any

import pytest
from dash import Input, Output

from graph.embedded import EmbeddedStore
from graph.errors import IpecoError, NotFoundError
from graph.words import t
from webapp.app import create_app
from webapp.error_page import PAGE_CONTENT, server_error

ROOT = Path(__file__).resolve().parent.parent
#: The modules whose functions are callbacks or callback logic.
CALLBACK_MODULES = [*sorted((ROOT / "webapp" / "pages").glob("*.py")), ROOT / "webapp" / "app.py"]
#: Except-clauses that convert a value at hand rather than catch a failure from below, with why.
LOCAL: dict[tuple[str, str], str] = {
    ("gaps.py", "TypeError"): "int() of a page number carried by the URL",
    ("gaps.py", "ValueError"): "int() of a page number carried by the URL",
    ("compare.py", "StopIteration"): "next() over the regions' rows: the end of a generator, not an error",
    ("*", "PreventUpdate"): "Dash's own 'nothing to update' signal",
}


def _caught(path: Path) -> list[tuple[int, str]]:
    """``(line, class name)`` for every class an except-clause in ``path`` names."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ExceptHandler):
            kinds = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            out += [(node.lineno, ast.unparse(k) if k is not None else "BaseException") for k in kinds]
    return out


def _is_project_error(module: Any, name: str) -> bool:
    cls = getattr(module, name.rsplit(".", 1)[-1], None)
    return isinstance(cls, type) and issubclass(cls, IpecoError)


@pytest.mark.parametrize("path", CALLBACK_MODULES, ids=lambda p: p.name)
def test_callbacks_catch_only_project_errors(path: Path) -> None:
    module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
    wrong = [
        f"{path.name}:{line} catches {name}"
        for line, name in _caught(path)
        if not _is_project_error(module, name) and (path.name, name) not in LOCAL and ("*", name) not in LOCAL
    ]
    assert wrong == [], "raise a graph.errors class at the source, or check explicitly, instead"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("error-rule") / "ipeco.sqlite"
    with EmbeddedStore(path):
        pass
    app = create_app(lambda: EmbeddedStore(path), auth="")

    @app.callback(Output("failing-out", "children"), Input("failing", "n_clicks"))
    def failing(n: int) -> str:
        if n == 1:
            msg = "a bug in a callback"
            raise RuntimeError(msg)
        msg = "no region called atlantis"
        raise NotFoundError(msg)

    return app


def _click(app: Any, n: int, page: str) -> dict[str, Any]:
    payload = {
        "output": "failing-out.children",
        "outputs": {"id": "failing-out", "property": "children"},
        "inputs": [{"id": "failing", "property": "n_clicks", "value": n}],
        "changedPropIds": ["failing.n_clicks"],
        "state": [],
    }
    response = app.server.test_client().post("/_dash-update-component", json=payload, headers={"Referer": page})
    assert response.status_code == 200
    return response.get_json()


def _texts(component: Any) -> list[str]:
    if isinstance(component, str):
        return [component]
    if isinstance(component, list):
        return [s for c in component for s in _texts(c)]
    if isinstance(component, dict):
        return _texts(component.get("props", {}).get("children", []))
    return []


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_bug_shows_the_error_page_and_is_logged(app: Any, lang: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="webapp.error_page"):
        body = _click(app, 1, f"http://127.0.0.1/gaps?lang={lang}")
    page = body["sideUpdate"][PAGE_CONTENT]["children"]
    assert page["props"]["id"] == "error-page"
    texts = _texts(page)
    assert t("error.title", lang) in texts
    assert t("error.body", lang) in texts
    assert "a bug in a callback" not in " ".join(texts), "a bug's message is for the log, not the reader"
    assert any(r.exc_info and "a bug in a callback" in str(r.exc_info[1]) for r in caplog.records)


def test_a_project_error_shows_its_own_sentence(app: Any) -> None:
    body = _click(app, 2, "http://127.0.0.1/")
    texts = _texts(body["sideUpdate"][PAGE_CONTENT]["children"])
    assert t("error.title", "ja") in texts
    assert "no region called atlantis" in texts


def test_a_failed_request_answers_500_in_both_languages() -> None:
    html, status = server_error(RuntimeError("boom"))
    assert status == 500
    assert t("error.server", "ja") in html
    assert t("error.server", "en") in html
    assert "boom" not in html
