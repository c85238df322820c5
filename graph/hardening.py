"""Is a Neo4j server set up as the second wall behind the analyst guard? (``ipeco db status``)

The local server of ``ipeco db start`` writes :data:`graph.cypher_allowlist.SERVER_HARDENING` into
its config; an external server or Aura is configured by its administrator (docs/analysts.md). Each
check asks the server itself rather than trusting a config file: ``SHOW SETTINGS`` where the setting
is public, and for the two internal ones a harmless probe — ``LOAD CSV`` from a closed loopback port
(blocked by the IP blocklist, or refused by the closed port: the error says which) and a look at
what the query collector holds.
"""

from __future__ import annotations

import uuid
from typing import Final

from neo4j.exceptions import DriverError, Neo4jError

from graph.cypher_allowlist import SERVER_HARDENING
from graph.neo4j_store import Neo4jStore

__all__ = ["hardening_gaps"]

_FILE_URLS: Final = "dbms.security.allow_csv_import_from_file_urls"
_BLOCKLIST: Final = "internal.dbms.cypher_ip_blocklist"
_COLLECTOR: Final = "internal.datacollector.max_recent_query_count"


def hardening_gaps(store: Neo4jStore) -> list[str]:
    """One sentence per missing setting (empty when the server is hardened or cannot be asked)."""
    gaps: list[str] = []
    try:
        with store.driver.session(database=store.database) as session:
            found = {
                r["name"]: r["value"]
                for r in session.run("SHOW SETTINGS YIELD name, value WHERE name = $name", name=_FILE_URLS)
            }
            if found.get(_FILE_URLS, "true").lower() != "false":
                gaps.append(f"{_FILE_URLS} is not false: LOAD CSV can read the server's import folder")
            try:
                session.run("LOAD CSV FROM 'http://127.0.0.1:9/ipeco-probe' AS l RETURN l").consume()
                blocked = False
            except Neo4jError as exc:
                blocked = _BLOCKLIST in (exc.message or "")
            if not blocked:
                gaps.append(
                    f"{_BLOCKLIST} does not block every address (set it to {SERVER_HARDENING[_BLOCKLIST]}): "
                    "Cypher can make the server fetch URLs"
                )
            marker = f"ipeco-probe-{uuid.uuid4().hex}"
            session.run("RETURN $marker AS m", marker=marker).consume()
            try:
                held = session.run("CALL db.stats.retrieve('QUERIES') YIELD data RETURN data").data()
            except Neo4jError:
                held = []  # the procedure is not there (or not allowed): it holds nothing we can reach
            if held and held != [{"data": {}}]:
                gaps.append(
                    f"the query collector keeps other sessions' queries and parameters (set {_COLLECTOR}=0, "
                    "or run CALL db.stats.stop('QUERIES') after every restart)"
                )
    except (Neo4jError, DriverError) as exc:
        gaps.append(f"could not check the server's settings: {exc}")
    return gaps
