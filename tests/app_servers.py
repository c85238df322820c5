"""One app server per test process over each read-only seed, for the web test modules that only read it.

A module that builds its own app pays the seed, ``create_app`` and the analyses of every region it
visits again (several CPU-s each), for the same answers. The modules that only read the demo seed (or
the real layer alone) take the shared server from :func:`seed_server` instead; a module that writes
(the workbench, uploads, the console over Neo4j) keeps a store and an app of its own.

The servers live until the test process ends (a session fixture cannot be asked for from a module's
own ``server`` fixture without changing its signature, and the process's end is the session's end).
"""

from __future__ import annotations

import atexit
import contextlib
from pathlib import Path
from typing import Any

import pytest

__all__ = ["component_in", "seed_app", "seed_server", "seed_store"]

#: The app over each seed (True: with the demo layer; False: the real layer alone), and its URL.
_APPS: dict[bool, Any] = {}
_SERVERS: dict[bool, str] = {}
#: The store file each shared app reads (nobody writes it).
_STORES: dict[bool, Path] = {}
_RUNNING = contextlib.ExitStack()
atexit.register(_RUNNING.close)


def seed_store(tmp_path_factory: pytest.TempPathFactory, *, demo: bool = True) -> Path:
    """The embedded store file the shared app of this seed reads; only to be read."""
    path = _STORES.get(demo)
    if path is None:
        from tests.conftest import seeded_store_file

        path = seeded_store_file(tmp_path_factory, "shared-seed" if demo else "shared-real-seed", demo=demo)
        _STORES[demo] = path
    return path


def seed_app(tmp_path_factory: pytest.TempPathFactory, *, demo: bool = True) -> Any:
    """The one app of this process over the seed (``seeds.seed_batch()``, or ``seeds.real_seed_batch()``
    when not ``demo``); :func:`seed_server` serves it. Only to be read: no test may write through it."""
    app = _APPS.get(demo)
    if app is None:
        from graph.embedded import EmbeddedStore
        from webapp.app import create_app

        path = seed_store(tmp_path_factory, demo=demo)
        app = _APPS[demo] = create_app(lambda: EmbeddedStore(path), auth="")
    return app


def seed_server(tmp_path_factory: pytest.TempPathFactory, *, demo: bool = True) -> str:
    """The URL of :func:`seed_app` on a real werkzeug server, started once per test process for every
    module that only reads the seed."""
    url = _SERVERS.get(demo)
    if url is None:
        from tests.browser_support import serve

        url = _SERVERS[demo] = _RUNNING.enter_context(serve(seed_app(tmp_path_factory, demo=demo)))
    return url


def component_in(node: Any, wanted: str) -> dict[str, Any] | None:
    """The component with id ``wanted`` in an app's layout answer (``/_dash-layout``), as
    ``assets/first_page.js`` finds it; None when the answer has none."""
    if isinstance(node, list):
        return next((hit for item in node if (hit := component_in(item, wanted)) is not None), None)
    if not isinstance(node, dict) or "props" not in node:
        return None
    if node["props"].get("id") == wanted:
        return node
    return component_in(node["props"].get("children"), wanted)
