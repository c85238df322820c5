"""Settings from the environment, in one table: :data:`SETTINGS` (issue 24).

Every environment variable ipeco reads is a row of :data:`SETTINGS` and is read through
:func:`env`, so the table cannot fall behind the code: :func:`env` refuses a name that is not in
it, ``make docs`` writes the README's configuration table from it (:func:`settings_table`), and a
test checks the README says the same and that no module outside this one reads ``os.environ``.
The typed values the stores and the server need are gathered once in :class:`Settings`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final, overload

from graph.errors import InputError

__all__ = ["SETTINGS", "STORE_KINDS", "Setting", "Settings", "env", "ipeco_home", "settings_table"]

STORE_KINDS = ("embedded", "neo4j")


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, its default and what it changes (Markdown, for the README)."""

    name: str
    default: str
    meaning: str


#: Every environment variable ipeco reads, in the order the README lists them.
SETTINGS: Final[tuple[Setting, ...]] = (
    Setting("IPECO_HOME", "`~/.local/share/ipeco`", "embedded store (`ipeco.sqlite`), local Neo4j, logs"),
    Setting("XDG_DATA_HOME", "`~/.local/share`", "where `IPECO_HOME` defaults to (`$XDG_DATA_HOME/ipeco`)"),
    Setting("IPECO_STORE", "`embedded`", "`embedded` or `neo4j` (same as `--store`)"),
    Setting(
        "NEO4J_URI", "the local server of `ipeco db start`", "`bolt://`, `neo4j://` (routing), `neo4j+s://` (Aura)"
    ),
    Setting("NEO4J_USER", "`neo4j`", "user of the Neo4j store"),
    Setting("NEO4J_PASSWORD", "the local server's generated password", "password of the Neo4j store"),
    Setting("NEO4J_DATABASE", "`neo4j`", "passed explicitly to every session"),
    Setting("IPECO_NEO4J_BOLT_PORT", "`7687`", "Bolt port of the local server"),
    Setting("IPECO_NEO4J_HTTP_PORT", "`7474`", "HTTP port (Neo4j Browser) of the local server"),
    Setting("IPECO_NEO4J_HEAP", "`2g`", "heap of the local server"),
    Setting("IPECO_NEO4J_PAGECACHE", "`1g`", "page cache of the local server"),
    Setting(
        "IPECO_NEO4J_CDS",
        "`1`",
        "`0`: the local server and neo4j-admin start without the class-data archive made next to the jars;"
        " `use`: they map it when there is one but never write it",
    ),
    Setting("JAVA_HOME", "the `java` on `PATH`", "Java that runs the local server and the Cypher parser"),
    Setting("XDG_CACHE_HOME", "`~/.cache`", "where the compiled Cypher parser is kept (`$XDG_CACHE_HOME/ipeco`)"),
    Setting("IPECO_LOCK_WAIT", "`600`", "seconds a load waits for another load's write lock"),
    Setting(
        "IPECO_AUTH",
        "unset (no login)",
        "`alice:pw1,bob:pw2`: basic-auth users, kept as scrypt hashes; set but empty or malformed, "
        "the app refuses to start",
    ),
    Setting(
        "IPECO_ROLES",
        "unset (every logged-in user a viewer)",
        "`alice:editor:aomori|kobe,carol:admin`: workbench roles of `IPECO_AUTH` users (viewer, editor of some "
        "regions or all, admin)",
    ),
    Setting("IPECO_WEB_WORKERS", "one per core (at least 2)", "gunicorn worker processes of `ipeco serve`"),
    Setting("IPECO_QUERY_MAX_BYTES", "`20000000`", "payload cap of an analyst query"),
    Setting("IPECO_CONSOLE_SLOTS", "half the cores (at least 1)", "console queries running at once on the machine"),
    Setting("IPECO_CHROMIUM", "the first Chromium on `PATH`", "the Chromium that prints PDF reports"),
)

_NAMES: Final = frozenset(s.name for s in SETTINGS)


@overload
def env(name: str) -> str | None: ...
@overload
def env(name: str, default: str) -> str: ...
def env(name: str, default: str | None = None) -> str | None:
    """The raw value of the variable ``name`` (``default`` when unset).

    A name outside :data:`SETTINGS` is a ``KeyError``: a variable read but not documented is a bug.
    """
    if name not in _NAMES:
        msg = f"{name} is not in graph.settings.SETTINGS; add a row for it there"
        raise KeyError(msg)
    return os.environ.get(name, default)


def settings_table() -> str:
    """:data:`SETTINGS` as the README's Markdown table (``make docs`` writes it)."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    rows += [f"| `{s.name}` | {_cell(s.default)} | {_cell(s.meaning)} |" for s in SETTINGS]
    return "\n".join(rows)


def _cell(text: str) -> str:
    """``text`` safe in a Markdown table cell: a ``|`` (a list of regions) would end the cell."""
    return text.replace("|", "\\|")


def ipeco_home() -> Path:
    """Where ipeco keeps its data: ``IPECO_HOME``, else the XDG data folder."""
    if home := env("IPECO_HOME"):
        return Path(home).expanduser().resolve()
    xdg = env("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
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
    #: Class Data Sharing for the local server's JVMs (``graph.server_cds``).
    class_data_sharing: bool = True
    #: Whether a JVM that finds no archive writes one at its exit (``IPECO_NEO4J_CDS=use``: never).
    class_data_writing: bool = True

    @classmethod
    def from_env(cls, store: str | None = None) -> Settings:
        return cls(
            home=ipeco_home(),
            store=store or env("IPECO_STORE", "embedded"),
            neo4j_uri=env("NEO4J_URI") or None,
            neo4j_user=env("NEO4J_USER", "neo4j"),
            neo4j_password=env("NEO4J_PASSWORD") or None,
            neo4j_database=env("NEO4J_DATABASE", "neo4j"),
            bolt_port=int(env("IPECO_NEO4J_BOLT_PORT", "7687")),
            http_port=int(env("IPECO_NEO4J_HTTP_PORT", "7474")),
            heap=env("IPECO_NEO4J_HEAP", "2g"),
            pagecache=env("IPECO_NEO4J_PAGECACHE", "1g"),
            lock_wait=_seconds("IPECO_LOCK_WAIT", env("IPECO_LOCK_WAIT", "600")),
            class_data_sharing=env("IPECO_NEO4J_CDS", "1") != "0",
            class_data_writing=env("IPECO_NEO4J_CDS", "1") not in {"0", "use"},
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
