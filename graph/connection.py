"""Open the configured store: embedded by default, Neo4j on request (settings from `graph.settings`)."""

from __future__ import annotations

from graph.server import LocalNeo4j
from graph.settings import STORE_KINDS, Settings
from graph.store import Store, StoreUnavailable

__all__ = ["neo4j_connection", "open_store"]


def neo4j_connection(settings: Settings) -> tuple[str, str, str, str]:
    """URI, user, password and database: ``NEO4J_*`` when set, else the local server's."""
    if settings.neo4j_uri:
        return settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password or "", settings.neo4j_database
    local = LocalNeo4j(settings)
    password = settings.neo4j_password or local.password()
    if password is None:
        msg = "no Neo4j is configured: run `ipeco db start` for a local one, or set NEO4J_URI and NEO4J_PASSWORD"
        raise StoreUnavailable(msg)
    return local.uri, "neo4j", password, settings.neo4j_database


def open_store(settings: Settings, *, timeout: float | None = None) -> Store:
    """The configured store. Each store's module is imported here, when it is chosen: the Neo4j
    driver alone takes 0.5–0.8 s to import, which every embedded-store command would otherwise pay.

    ``timeout`` bounds connecting to Neo4j (the web app's reads; see ``Neo4jStore``)."""
    if settings.store == "embedded":
        from graph.embedded import EmbeddedStore

        return EmbeddedStore(settings.embedded_path, lock_wait=settings.lock_wait)
    if settings.store == "neo4j":
        from graph.neo4j_store import Neo4jStore

        store = Neo4jStore(*neo4j_connection(settings), lock_wait=settings.lock_wait, timeout=timeout)
        if not settings.neo4j_uri:  # the local server: its disk is this machine's
            store.data_dir = LocalNeo4j(settings).home / "data"
        return store
    msg = f"unknown store {settings.store!r}; expected one of {', '.join(STORE_KINDS)}"
    raise StoreUnavailable(msg)
