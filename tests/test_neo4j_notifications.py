"""The Neo4j load path does not print the server's "property key does not exist" walls (issue 13, item 10).

On a first load into an empty database every load query names ``content_hash`` before any node has
it, and the driver logged one multi-line warning per label and query. The load path's sessions ask
the server not to send UNRECOGNIZED notifications; other warnings stay visible. A property name no
database has seen stands in for the empty database: its tokens cannot be deleted once created.
"""

from __future__ import annotations

import logging
import uuid

import pytest
from neo4j import Query

from graph.neo4j_store import Neo4jStore


def notifications(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("neo4j") and r.levelno >= logging.WARNING]


def test_load_sessions_leave_out_unknown_property_warnings(
    neo4j_store: Neo4jStore, caplog: pytest.LogCaptureFixture
) -> None:
    unknown = f"never_{uuid.uuid4().hex}"
    text = f"MATCH (n:Organization) WHERE n.{unknown} IS NULL RETURN count(n) AS n"
    caplog.set_level(logging.INFO, logger="neo4j")
    with neo4j_store.driver.session(database=neo4j_store.database) as session:
        session.run(Query(text)).consume()  # type: ignore[arg-type]
    assert any(unknown in message for message in notifications(caplog))  # what users saw before
    caplog.clear()
    with neo4j_store._load_session() as session:
        session.run(Query(text)).consume()  # type: ignore[arg-type]
    assert notifications(caplog) == []


def test_real_warnings_stay_visible(neo4j_store: Neo4jStore, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="neo4j")
    with neo4j_store._load_session() as session:
        session.run(Query("MATCH (n) RETURN id(n) AS old LIMIT 1")).consume()  # id() is deprecated in Neo4j 5
    assert any("deprecated" in message.lower() for message in notifications(caplog))
