"""The change log of a store (:mod:`graph.changes`): each store's half, imported when it is first used.

Apart from :mod:`graph.changes` so that the halves may import the shared types without a cycle, and
so that an embedded-store command never imports the Neo4j driver.
"""

from __future__ import annotations

from typing import Any

from graph.changes import ChangeLog
from graph.errors import NotFoundError

__all__ = ["change_log"]


def change_log(store: Any) -> ChangeLog:
    """The change log of ``store`` (an embedded or Neo4j store)."""
    if store.name == "embedded":
        from graph.changes_embedded import EmbeddedChangeLog

        return EmbeddedChangeLog(store)
    if store.name == "neo4j":
        from graph.changes_neo4j import Neo4jChangeLog

        return Neo4jChangeLog(store)
    msg = f"the {store.name} store keeps no change sets"
    raise NotFoundError(msg)
