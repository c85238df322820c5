"""Settings from the environment, in one table (documented in the README and ``ipeco --help``).

| variable | default | meaning |
|---|---|---|
| ``IPECO_HOME`` | ``$XDG_DATA_HOME/ipeco`` or ``~/.local/share/ipeco`` | embedded store, local Neo4j, logs |
| ``IPECO_STORE`` | ``embedded`` | ``embedded`` or ``neo4j`` |
| ``NEO4J_URI`` | the local server of ``ipeco db start`` | ``bolt://``, ``neo4j://`` (routing), ``neo4j+s://`` |
| ``NEO4J_USER`` | ``neo4j`` | |
| ``NEO4J_PASSWORD`` | the local server's generated password | |
| ``NEO4J_DATABASE`` | ``neo4j`` | passed explicitly to every session |
| ``IPECO_NEO4J_BOLT_PORT`` / ``IPECO_NEO4J_HTTP_PORT`` | 7687 / 7474 | ports of the local server |
| ``IPECO_NEO4J_HEAP`` / ``IPECO_NEO4J_PAGECACHE`` | ``2g`` / ``1g`` | memory of the local server |
| ``IPECO_LOCK_WAIT`` | ``600`` | seconds a load waits for another load's write lock before giving up |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from graph.errors import InputError

__all__ = ["STORE_KINDS", "Settings", "ipeco_home"]

STORE_KINDS = ("embedded", "neo4j")


def ipeco_home() -> Path:
    """Where ipeco keeps its data: ``IPECO_HOME``, else the XDG data folder."""
    if home := os.environ.get("IPECO_HOME"):
        return Path(home).expanduser().resolve()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "ipeco"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, read once from the environment."""

    home: Path
    store: str
    neo4j_uri: str | None
    neo4j_user: str
    neo4j_password: str | None
    neo4j_database: str
    bolt_port: int
    http_port: int
    heap: str
    pagecache: str
    lock_wait: float = 600.0

    @classmethod
    def from_env(cls, store: str | None = None) -> Settings:
        env = os.environ
        return cls(
            home=ipeco_home(),
            store=store or env.get("IPECO_STORE", "embedded"),
            neo4j_uri=env.get("NEO4J_URI") or None,
            neo4j_user=env.get("NEO4J_USER", "neo4j"),
            neo4j_password=env.get("NEO4J_PASSWORD") or None,
            neo4j_database=env.get("NEO4J_DATABASE", "neo4j"),
            bolt_port=int(env.get("IPECO_NEO4J_BOLT_PORT", "7687")),
            http_port=int(env.get("IPECO_NEO4J_HTTP_PORT", "7474")),
            heap=env.get("IPECO_NEO4J_HEAP", "2g"),
            pagecache=env.get("IPECO_NEO4J_PAGECACHE", "1g"),
            lock_wait=_seconds("IPECO_LOCK_WAIT", env.get("IPECO_LOCK_WAIT", "600")),
        )

    @property
    def embedded_path(self) -> Path:
        return self.home / "ipeco.sqlite"


def _seconds(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:
        msg = f"{name} must be a number of seconds (0 or more), not {raw!r}"
        raise InputError(msg)
    return value
