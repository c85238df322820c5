"""The one guarded, read-only Cypher runner (CLI ``ipeco query`` and the web console), and saved queries.

Analysts type Cypher; DESIGN §6 says no query may write or escape, and every query is time- and
size-limited. The guard is layered, each layer enough on its own for what it covers:

1. **Syntax tree** (:mod:`graph.query_policy`): Neo4j's own Cypher 5 parser builds the tree
   (:mod:`graph.cypher_parser`) and every clause, command, procedure and function in it, however
   deeply nested (``COLLECT { … }`` in a ``CASE`` in a list comprehension…), must be on a read-only
   allowlist; regular expressions and ``range()`` bounds Neo4j could not interrupt are refused.
2. **The server's plan**: ``EXPLAIN`` gives the server's own ``query_type`` and operators; anything
   but a read is refused, and so are file/URL operators, procedures off the allowlist, DBMS
   administration and another database's operators (:func:`check_plan`).
3. **A READ-access transaction** with a server-side timeout: the server refuses writes there.
4. **The local server's own settings** (:mod:`graph.server`): no ``file:`` URLs for LOAD CSV, every
   IP address blocked for Cypher, no query collector, built-in procedures only, in case a layer
   above ever misjudges.

One deadline bounds the whole call — planning, running, fetching and converting: the server
transaction carries the time left, a watchdog terminates it (``TERMINATE TRANSACTIONS``) if the
server has not stopped it and closes the call's own connection (a terminated transaction stays on the
server until its client answers; a closed connection needs no answer), and the call returns within
about a second of the deadline whatever the server does. Rows are capped (``row_limit``) and so is the
payload in bytes (``max_bytes``, checked row by row while streaming); either cut says so in
:attr:`QueryResult.notice`.

Values come back JSON-friendly: nodes ``{"id", "element_id", "labels", "properties"}`` (``id`` is
ipeco's stable id when the node has one), relationships ``{"type", "start", "end", "properties"}``,
paths as alternating node/relationship lists, temporal values as ISO strings.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import threading
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final

import orjson
import yaml
from neo4j import READ_ACCESS, Driver, Query
from neo4j.exceptions import CypherSyntaxError, DriverError, Neo4jError
from neo4j.graph import Node, Relationship
from neo4j.graph import Path as GraphPath

from graph.cypher_parser import GrammarError, ParserUnavailable, cypher_parser
from graph.errors import InputError
from graph.neo4j_store import INTERNAL_PROPS, Neo4jStore, close_quietly
from graph.query_policy import (
    ALLOWED_PROCEDURES,
    ALLOWED_SHOW,
    RefusedError,
    check_shape,
    check_tree,
    split_prefix,
)
from graph.schema import ordered_labels
from graph.settings import env
from graph.store import Store
from graph.words import t

__all__ = [
    "ALLOWED_PROCEDURES",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_ROW_LIMIT",
    "DEFAULT_TIMEOUT",
    "QueryError",
    "QueryRefused",
    "QueryResult",
    "QueryTimeout",
    "QueryUnavailable",
    "SavedParam",
    "SavedQuery",
    "check_plan",
    "default_max_bytes",
    "formula_safe",
    "load_saved_queries",
    "parse_params",
    "run_readonly",
    "run_saved",
    "saved_queries",
    "saved_query",
    "to_json_value",
]

DEFAULT_TIMEOUT: Final = 10.0
DEFAULT_ROW_LIMIT: Final = 5000
#: The payload cap: JSON bytes of the converted rows (``IPECO_QUERY_MAX_BYTES`` overrides it).
DEFAULT_MAX_BYTES: Final = 20 * 1024 * 1024
#: How long past the deadline the watchdog waits for the server's own timeout before terminating. The
#: server checks its timeouts only every 2 s, so a longer wait rarely saves the terminate call; it is kept
#: short so that the caller's worst case (deadline + grace + the terminator's wait) stays well inside 1 s.
_GRACE: Final = 0.25
#: How long the caller waits for the watchdog (terminate, then close) before returning; it goes on in
#: the background.
_TERMINATE_WAIT: Final = 0.4

#: ``SHOW …`` plan operators allowed (the same commands as :data:`graph.query_policy.ALLOWED_SHOW`).
_ALLOWED_SHOW: Final[frozenset[str]] = frozenset({"ShowIndexes", "ShowConstraints", "ShowProcedures", "ShowFunctions"})
assert len(_ALLOWED_SHOW) == len(ALLOWED_SHOW)


#: One command line that moves a user from the embedded store to Neo4j (DESIGN §3).
SWITCH_COMMAND: Final = "ipeco db start && ipeco --store neo4j seed"

#: Our timeout expired / the server's own backstop (db.transaction.timeout) expired first.
_CLIENT_TIMEOUT: Final = "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"
_SERVER_TIMEOUT: Final = "Neo.ClientError.Transaction.TransactionTimedOut"
_TERMINATED: Final = "Neo.ClientError.Transaction.Terminated"
#: The per-transaction memory limit (db.memory.transaction.max) or the server's global pool ran out.
_MEMORY_CODES: Final = (
    "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
    "Neo.TransientError.General.TransactionMemoryLimit",
)
_POSITION = re.compile(r"\s*\(line (\d+), column (\d+) \(offset: \d+\)\)")
#: EXPLAIN goes on a line of its own so that the server's line numbers shift by one and columns not at all.
_EXPLAIN: Final = "EXPLAIN\n"


def default_max_bytes() -> int:
    """The payload cap: ``IPECO_QUERY_MAX_BYTES`` (bytes) when set, else :data:`DEFAULT_MAX_BYTES`."""
    raw = env("IPECO_QUERY_MAX_BYTES", "").strip()
    if not raw:
        return DEFAULT_MAX_BYTES
    if not raw.isdigit() or int(raw) < 1:
        msg = f"IPECO_QUERY_MAX_BYTES must be a positive number of bytes, got {raw!r}"
        raise QueryError(msg)
    return int(raw)


class QueryError(InputError):
    """A query could not be run; the message is one sentence a user can act on.

    ``str()`` is the English sentence; :attr:`ja` the Japanese one, so that the console and
    ``ipeco query --lang ja`` say it wholly in the reader's language. A message quoting the server
    (its syntax error) keeps the server's own words inside the Japanese sentence.
    """

    def __init__(self, message: str, ja: str | None = None) -> None:
        super().__init__(message)
        self.ja = ja or message

    def text(self, lang: str) -> str:
        """The whole sentence in ``lang`` (``ja`` or ``en``)."""
        return self.ja if lang == "ja" else str(self)


class QueryRefused(QueryError):
    """The guard refused the query before running it: it could write, escape, administer or run away.

    ``str()`` is the English sentence; :attr:`ja` the Japanese one (both name what and why).
    """

    def __init__(self, message: str, ja: str | None = None) -> None:
        super().__init__(message, ja or t("qerr.refused", "ja", reason=message))

    def reason(self, lang: str) -> str:
        """The sentence without its leading "refused:" (for a page that prints its own prefix)."""
        text = self.text(lang)
        for language in ("en", "ja"):
            text = text.removeprefix(t("qerr.refused", language, reason=""))
        return text


class QueryTimeout(QueryError):
    """The call reached its deadline; the server transaction was stopped."""


class QueryUnavailable(QueryError):
    """Cypher needs the Neo4j store; the embedded store has no Cypher engine."""


def _megabytes(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB"


@dataclass
class QueryResult:
    """What a guarded query returned.

    ``truncated`` is true when the result had more than ``row_limit`` rows; ``cut_bytes`` when the
    next row would have taken the payload past ``byte_limit``. ``rows`` then holds what fitted and
    :attr:`notice` says so in words. ``plan`` is the operator tree of ``EXPLAIN``/``PROFILE``.
    """

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool
    elapsed_ms: float
    notifications: list[str] = field(default_factory=list)
    row_limit: int = DEFAULT_ROW_LIMIT
    cut_bytes: bool = False
    byte_limit: int = DEFAULT_MAX_BYTES
    payload_bytes: int = 0
    plan: str | None = None

    @property
    def notice(self) -> str | None:
        """The sentence to show under a cut result (None when the result is complete)."""
        return self.notice_in("en")

    def notice_ja(self) -> str | None:
        """:attr:`notice` in Japanese."""
        return self.notice_in("ja")

    def notice_in(self, lang: str) -> str | None:
        """:attr:`notice` in ``lang``."""
        if self.cut_bytes:
            size, cap = _megabytes(self.payload_bytes), _megabytes(self.byte_limit)
            return t("qerr.cut_bytes", lang, rows=f"{len(self.rows):,}", size=size, cap=cap)
        if not self.truncated:
            return None
        return t("qerr.cut_rows", lang, limit=f"{self.row_limit:,}")

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (``--json``, the web console's store)."""
        return {**asdict(self), "notice": self.notice}

    def records(self) -> list[dict[str, Any]]:
        """Rows as ``{column: value}`` dicts, e.g. for a Dash DataTable."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def to_csv(self) -> str:
        """CSV text; nested values (nodes, lists, maps) are written as compact JSON, and a text cell a
        spreadsheet would run as a formula gets a leading ``'`` (:func:`formula_safe`)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        # csv quotes a field holding "\n" but not one holding a lone "\r", which readers take as a line end
        quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
        for cells in ([formula_safe(c) for c in self.columns], *([_csv_cell(v) for v in row] for row in self.rows)):
            (quoted if any("\r" in c for c in cells) else writer).writerow(cells)
        return out.getvalue()


#: A cell a spreadsheet would read as a formula starts with one of these (the OWASP CSV-injection rule).
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would run it as a formula (``=cmd|…``, ``@SUM``)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)  # a negative number is a number, not a formula
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return formula_safe(text)


# --- parameters ------------------------------------------------------------------------------
_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def parse_params(pairs: Iterable[str]) -> dict[str, Any]:
    """Turn ``--param k=v`` options into query parameters.

    A value that is valid JSON is taken as JSON (``n=3`` is an integer, ``ids=["a","b"]`` a list,
    ``flag=true`` a boolean); anything else is a string, so ``region=kobe`` needs no quotes. The
    values only ever travel as Bolt parameters, never into the query text.
    """
    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip()
        if not sep or not _PARAM_NAME.match(name):
            raise QueryError(*_said("qerr.param", pair=repr(pair)))
        try:
            params[name] = json.loads(raw)
        except ValueError:
            params[name] = raw
    return params


# --- the guard -------------------------------------------------------------------------------
def _operators(plan: Mapping[str, Any] | None) -> Iterable[Mapping[str, Any]]:
    if not plan:
        return
    stack = [plan]
    while stack:
        op = stack.pop()
        yield op
        stack.extend(op.get("children") or [])


def _words(operator: str) -> str:
    """``ShowTransactions`` → ``SHOW TRANSACTIONS``: the command as the user typed it."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", operator).upper()


def _procedure_name(op: Mapping[str, Any]) -> str:
    details = str((op.get("args") or {}).get("Details", ""))
    match = re.match(r"\s*([\w.`]+)\s*\(", details)
    return match.group(1).replace("`", "") if match else details or "unknown"


def _allowed_list() -> str:
    return ", ".join(sorted(ALLOWED_PROCEDURES))


def check_plan(query_type: str | None, plan: Mapping[str, Any] | None, database: str) -> None:
    """Raise :class:`QueryRefused` unless the planned query only reads ``database``.

    Operators are checked before the query type so that the message names the precise reason
    (``LOAD CSV`` plans as a read, ``CALL db.createLabel`` as a write; both deserve their own words).
    """
    for op in _operators(plan):
        name, _, target_db = str(op.get("operatorType", "")).partition("@")
        if name == "AdministrationCommand":
            raise QueryRefused(*_said("qerr.admin"))
        if target_db and target_db != database:
            raise QueryRefused(*_said("qerr.other_db", target=target_db, database=database))
        if name == "LoadCSV":
            raise QueryRefused(*_said("qerr.load_csv"))
        if name in ("TransactionApply", "TransactionForeach"):
            raise QueryRefused(*_said("qerr.in_transactions"))
        if name == "ProcedureCall":
            proc = _procedure_name(op)
            if proc not in ALLOWED_PROCEDURES:
                raise QueryRefused(*_said("qerr.procedure", proc=proc, allowed=_allowed_list()))
        # SHOW TRANSACTIONS / SETTINGS and TERMINATE TRANSACTIONS plan as reads, yet they are server administration.
        if name.startswith("Terminate") or (name.startswith("Show") and name not in _ALLOWED_SHOW):
            raise QueryRefused(*_said("qerr.show", command=_words(name)))
    if query_type == "s":
        raise QueryRefused(*_said("qerr.admin"))
    if query_type != "r":
        raise QueryRefused(*_said("qerr.write"))


def _first_line(message: str | None) -> str:
    text = (message or "").strip().splitlines()[0] if (message or "").strip() else "unknown error"
    return text.rstrip(".")


def _said(key: str, **fmt: object) -> tuple[str, str]:
    """The sentence ``key`` (:mod:`graph.words.query`) in English and Japanese: an error's two texts."""
    return t(key, "en", **fmt), t(key, "ja", **fmt)


def _error(exc: Neo4jError, timeout: float, *, planning: bool) -> QueryError:
    """Translate a server error into one sentence, refusing what is refused and not merely wrong."""
    code = exc.code or ""
    message = exc.message or str(exc)
    first = _first_line(message)
    if code in (_CLIENT_TIMEOUT, _TERMINATED):
        return timed_out(timeout)
    known = _known_error(code, message, planning=planning)
    if known is not None:
        return known
    said = _POSITION.sub("", first)
    if code.startswith("Neo.ClientError.Security") or code == "Neo.ClientError.Statement.AccessMode":
        return QueryRefused(*_said("qerr.server_refused", said=said))
    if isinstance(exc, CypherSyntaxError) or code == "Neo.ClientError.Statement.SyntaxError":
        return _syntax_error(first, planning=planning)
    en, ja = (t("qerr.failed", lang, said=said, code=code or t("qerr.no_code", lang)) for lang in ("en", "ja"))
    return QueryError(en, ja)


def _known_error(code: str, message: str, *, planning: bool) -> QueryError | None:
    """The sentence of a server error the guard knows by its code (or, while planning, by its words)."""
    if code == _SERVER_TIMEOUT:
        return QueryTimeout(*_said("qerr.server_timeout"))
    if code in _MEMORY_CODES:
        return QueryError(*_said("qerr.memory"))
    if code == "Neo.ClientError.Procedure.ProcedureNotFound":
        name = re.search(r"`([^`]+)`", message)
        return QueryError(*_said("qerr.not_installed", proc=name.group(1) if name else "?"))
    if code == "Neo.ClientError.Statement.UnsupportedAdministrationCommand" or (
        planning and "Administration Commands" in message
    ):
        return QueryRefused(*_said("qerr.admin"))
    if planning and "system database" in message:
        return QueryRefused(*_said("qerr.system_db"))
    return None


def _syntax_error(first: str, *, planning: bool) -> QueryError:
    """A syntax error at the line and column the user typed (``EXPLAIN``'s own line taken off)."""
    position = _POSITION.search(first)
    reason = _POSITION.sub("", first)
    if not position:
        return QueryError(*_said("qerr.syntax", reason=reason))
    line, column = int(position.group(1)), int(position.group(2))
    if planning:
        line -= _EXPLAIN.count("\n")
    return QueryError(*_said("qerr.syntax_at", line=max(line, 1), column=column, reason=reason))


def timed_out(timeout: float) -> QueryTimeout:
    """The deadline passed and the server transaction was stopped."""
    return QueryTimeout(*_said("qerr.timeout", seconds=f"{timeout:g}"))


# --- values ----------------------------------------------------------------------------------
def _node_id(node: Node) -> str:
    value = node.get("id")
    return value if isinstance(value, str) else node.element_id


def _public(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: to_json_value(v) for k, v in sorted(props.items()) if k not in INTERNAL_PROPS}


def to_json_value(value: Any) -> Any:
    """A driver value as plain JSON data (see the module docstring for the shapes)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Node | Relationship | GraphPath):
        return _graph_json(value)
    if isinstance(value, list | tuple):
        return [to_json_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, bytes | bytearray):
        return value.hex()
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return str(value)


def _graph_json(value: Node | Relationship | GraphPath) -> Any:
    """A node or a relationship as a map, a path as the list of its nodes and relationships in order."""
    if isinstance(value, Node):
        return {
            "id": _node_id(value),
            "element_id": value.element_id,
            "labels": ordered_labels(value.labels),  # primary label first, as every store reads them
            "properties": _public(value),
        }
    if isinstance(value, Relationship):
        start, end = value.start_node, value.end_node
        return {
            "type": value.type,
            "start": _node_id(start) if start is not None else None,
            "end": _node_id(end) if end is not None else None,
            "element_id": value.element_id,
            "properties": _public(value),
        }
    # Walk the path's own node order: a relationship may point against the path's direction.
    items: list[Any] = [to_json_value(value.nodes[0])]
    for rel, node in zip(value.relationships, value.nodes[1:], strict=True):
        items += [to_json_value(rel), to_json_value(node)]
    return items


def _notification_texts(summary: Any) -> list[str]:
    out = []
    for status in getattr(summary, "gql_status_objects", None) or []:
        if getattr(status, "is_notification", False):
            out.append(f"{status.gql_status}: {status.status_description}")
    return out


# --- running ---------------------------------------------------------------------------------
def _require_neo4j(store: Store) -> Neo4jStore:
    if isinstance(store, Neo4jStore):
        return store
    raise QueryUnavailable(*_said("qerr.needs_neo4j", store=store.name, command=SWITCH_COMMAND))


def _refused(exc: RefusedError) -> QueryRefused:
    return QueryRefused(exc.refusal.en, exc.refusal.ja)


def check_syntax(query: str, params: Mapping[str, Any]) -> tuple[str | None, str, str | None]:
    """Layer 1: ``(mode, body, syntax_error)`` of ``query`` once Neo4j's parser and the allowlist passed it.

    Raises :class:`QueryRefused` naming the refused construct. A text the grammar rejects comes back
    with ``syntax_error`` set: it never runs, but the server is asked to plan it first, because its
    own message ("Invalid input 'RETRUN'…") reads better than the grammar's.
    """
    try:
        check_shape(query)
        mode, body = split_prefix(query)
        tree = cypher_parser().parse(body)
    except RefusedError as exc:
        raise _refused(exc) from None
    except GrammarError as exc:
        return None, query, str(exc)
    except ParserUnavailable as exc:
        raise QueryError(str(exc)) from None
    if refusal := check_tree(tree, params):
        raise QueryRefused(refusal.en, refusal.ja)
    return mode, body, None


def _plan_text(plan: Mapping[str, Any] | None) -> str:
    """The operator tree, one operator a line, with rows and db hits when profiled."""
    lines: list[str] = []
    stack: list[tuple[Mapping[str, Any], int]] = [(plan, 0)] if plan else []
    while stack:
        op, depth = stack.pop()
        name = str(op.get("operatorType", "")).partition("@")[0]
        details = str((op.get("args") or {}).get("Details", ""))
        counts = f"  rows={op['rows']} db_hits={op['dbHits']}" if "dbHits" in op else ""
        lines.append(f"{'  ' * depth}{name}{counts}  {details}".rstrip())
        stack.extend((child, depth + 1) for child in reversed(op.get("children") or []))
    return "\n".join(lines)


def terminate_call(neo: Neo4jStore, call_id: str) -> None:
    """``TERMINATE TRANSACTIONS`` for the transactions of one call (found by their ``ipeco_call`` metadata).

    The server stops the query at once, but keeps the transaction, marked terminated, until the client
    that began it reads the failure and resets its connection: see :func:`end_call`.
    """
    find = "SHOW TRANSACTIONS YIELD transactionId, metaData WHERE metaData.ipeco_call = $call RETURN transactionId"
    try:
        with neo.driver.session(database=neo.database) as session:
            ids = [r["transactionId"] for r in session.run(find, call=call_id)]
            if ids:
                session.run("TERMINATE TRANSACTIONS $ids", ids=ids).consume()
    except (Neo4jError, DriverError):
        pass  # nothing more we can do from here; closing the call's connection still ends it


def end_call(neo: Neo4jStore, call_id: str, driver: Driver) -> None:
    """End a call past its deadline on the server, whatever its worker thread is doing.

    First :func:`terminate_call`: the query stops. Then the call's own ``driver`` (its connections
    only; see :meth:`Neo4jStore.own_driver`) is closed. A terminated transaction is listed by ``SHOW
    TRANSACTIONS`` until its client reads the failure; a worker that does not (CI once saw one still
    listed 5 s on, its query gone) would leave it there for ever, while a closed connection ends it on
    the server within milliseconds (measured: 6 ms).
    """
    terminate_call(neo, call_id)
    close_quietly(driver)


@dataclass
class _Call:
    """One guarded call: the work runs in a thread so that the caller returns by the deadline.

    The call owns its driver (:meth:`Neo4jStore.own_driver`), closed when the work ends or, past the
    deadline, by :func:`end_call`, so that no transaction of it can outlive the call on the server.
    """

    neo: Neo4jStore
    mode: str | None
    body: str
    params: dict[str, Any]
    timeout: float
    deadline: float
    row_limit: int
    max_bytes: int
    syntax_error: str | None = None
    call_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    outcome: QueryResult | BaseException | None = None
    driver: Driver | None = None

    def left(self) -> float:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0.05:
            raise timed_out(self.timeout)
        return remaining

    def run(self) -> QueryResult:
        driver = self.driver = self.neo.own_driver()
        worker = threading.Thread(target=self._work, name=f"ipeco-query-{self.call_id[:8]}", daemon=True)
        worker.start()
        worker.join(max(0.0, self.deadline - time.monotonic()) + _GRACE)
        if worker.is_alive():
            # The server has not stopped it yet (its timeout monitor runs every 2 s, and some expressions it
            # cannot interrupt): end it ourselves and return now; the worker thread ends on its own.
            # The watchdog gets a bounded wait: a loaded server must not hold the caller past the deadline.
            watchdog = threading.Thread(
                target=end_call, args=(self.neo, self.call_id, driver), name="ipeco-query-end", daemon=True
            )
            watchdog.start()
            watchdog.join(_TERMINATE_WAIT)
            raise timed_out(self.timeout)
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        assert self.outcome is not None
        return self.outcome

    def _work(self) -> None:
        try:
            self.outcome = self._guarded()
        except BaseException as exc:  # handed to the caller's thread
            self.outcome = exc
        finally:
            if self.driver is not None:
                close_quietly(self.driver)

    def _guarded(self) -> QueryResult:
        neo, started = self.neo, time.perf_counter()
        assert self.driver is not None  # made by run()
        metadata = {"app": "ipeco-query", "ipeco_call": self.call_id}
        # The text is the analyst's, on purpose: the server parses and plans it, and the plan is judged again.
        plan_query = Query(_EXPLAIN + self.body, timeout=self.left(), metadata=metadata)
        try:
            with self.driver.session(
                database=neo.database, default_access_mode=READ_ACCESS, fetch_size=min(self.row_limit + 1, 1000)
            ) as session:
                try:
                    summary = session.run(plan_query, self.params).consume()
                except Neo4jError as exc:
                    raise _error(exc, self.timeout, planning=True) from None
                if self.syntax_error:  # the server planned what the guard's grammar cannot read: refuse it
                    raise QueryError(*_said("qerr.syntax_where", reason=self.syntax_error))
                check_plan(summary.query_type, summary.plan, neo.database)
                notifications = _notification_texts(summary)
                if self.mode == "EXPLAIN":
                    plan = _plan_text(summary.plan)
                    elapsed = round((time.perf_counter() - started) * 1000, 1)
                    return QueryResult(["plan"], [[plan]], False, elapsed, notifications, self.row_limit, plan=plan)
                return self._fetch(session, metadata, notifications, started)
        except DriverError as exc:
            # The project's sentence, not the driver's ("Failed to read from defunct connection…").
            raise QueryError(*_said("qerr.connection_lost", uri=neo.uri)) from exc

    def _fetch(self, session: Any, metadata: dict[str, str], notes: list[str], started: float) -> QueryResult:
        text = ("PROFILE" + self.body[len("PROFILE") :]) if self.mode == "PROFILE" else self.body
        tx = session.begin_transaction(timeout=self.left(), metadata=metadata)
        rows: list[list[Any]] = []
        payload, truncated, cut, plan = 0, False, False, None
        try:
            result = tx.run(text, self.params)
            columns = list(result.keys())
            for record in result:
                if len(rows) >= self.row_limit:
                    truncated = True
                    break
                row = [to_json_value(v) for v in record.values()]
                size = len(orjson.dumps(row, option=orjson.OPT_NON_STR_KEYS))
                if payload + size > self.max_bytes:
                    cut = True
                    break
                rows.append(row)
                payload += size
                self.left()
            if not (truncated or cut):
                summary = result.consume()
                notes += [n for n in _notification_texts(summary) if n not in notes]
                if self.mode == "PROFILE":
                    plan = _plan_text(summary.profile)
        except Neo4jError as exc:
            raise _error(exc, self.timeout, planning=False) from None
        finally:
            if not tx.closed():
                tx.close()  # a rollback: it also stops whatever the server has not streamed yet
        elapsed = round((time.perf_counter() - started) * 1000, 1)
        return QueryResult(columns, rows, truncated, elapsed, notes, self.row_limit, cut, self.max_bytes, payload, plan)


def run_readonly(
    store: Store,
    query: str,
    params: Mapping[str, Any] | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    row_limit: int = DEFAULT_ROW_LIMIT,
    max_bytes: int | None = None,
    clock_started: float | None = None,
) -> QueryResult:
    """Run an analyst's Cypher ``query`` read-only, within ``timeout`` seconds, ``row_limit`` rows and
    ``max_bytes`` of payload (default :func:`default_max_bytes`).

    Raises :class:`QueryRefused` when a layer of the guard refuses it (see the module docstring);
    :class:`QueryTimeout` when the deadline passed (the server transaction is stopped);
    :class:`QueryError` for syntax and runtime errors; :class:`QueryUnavailable` on the embedded
    store. ``EXPLAIN`` returns the plan without running; ``PROFILE`` runs and adds the profiled plan.
    ``clock_started`` (a ``time.monotonic()`` value) starts the deadline earlier: the CLI passes its
    process start so that ``--timeout`` bounds the whole command (at least 1 s is left for the query).
    """
    neo = _require_neo4j(store)
    try:
        cypher_parser()  # built and started once per process; not part of any query's time
    except ParserUnavailable as exc:
        raise QueryError(str(exc)) from None
    started = time.perf_counter()
    now = time.monotonic()
    deadline = now + timeout if clock_started is None else max(clock_started + timeout, now + min(timeout, 1.0))
    if not query or not query.strip():
        raise QueryError(*_said("qerr.empty"))
    max_bytes = default_max_bytes() if max_bytes is None else max_bytes
    if timeout <= 0 or row_limit < 1 or max_bytes < 1:
        msg = (
            "timeout must be positive, row_limit and max_bytes at least 1 "
            f"(got {timeout} s, {row_limit} rows, {max_bytes} bytes)"
        )
        raise QueryError(msg)
    parameters = dict(params or {})
    mode, body, syntax_error = check_syntax(query, parameters)
    result = _Call(neo, mode, body, parameters, timeout, deadline, row_limit, max_bytes, syntax_error).run()
    result.elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
    return result


# --- saved queries ---------------------------------------------------------------------------
SAVED_QUERIES_FILE: Final = Path(__file__).with_name("saved_queries.yaml")


@dataclass(frozen=True)
class SavedParam:
    """A parameter of a saved query with its default and a short ja/en explanation."""

    name: str
    default: Any
    description_ja: str = ""
    description_en: str = ""


@dataclass(frozen=True)
class SavedQuery:
    """A named, parameterised query from ``graph/saved_queries.yaml``."""

    id: str
    title_ja: str
    title_en: str
    description_ja: str
    description_en: str
    cypher: str
    params: tuple[SavedParam, ...] = ()

    def title(self, lang: str = "ja") -> str:
        return self.title_ja if lang == "ja" else self.title_en

    def description(self, lang: str = "ja") -> str:
        return self.description_ja if lang == "ja" else self.description_en

    def bind(self, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The defaults with ``overrides`` applied; an unknown name is an error, not silently ignored."""
        values = {p.name: p.default for p in self.params}
        unknown = sorted(set(overrides or {}) - set(values))
        if unknown:
            known = ", ".join(values) or "none"
            msg = f"saved query {self.id!r} has no parameter {unknown[0]!r}; its parameters are: {known}"
            raise QueryError(msg)
        values.update(overrides or {})
        return values


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        msg = f"{where}: field {key!r} must be a non-empty string"
        raise QueryError(msg)
    return value.strip()


def load_saved_queries(path: Path = SAVED_QUERIES_FILE) -> list[SavedQuery]:
    """Read and check a saved-query file (ids unique, texts present, params with defaults)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = data.get("queries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        msg = f"{path}: expected a top-level 'queries' list"
        raise QueryError(msg)
    out: list[SavedQuery] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        where = f"{path.name} query {index}"
        if not isinstance(entry, dict):
            msg = f"{where}: expected a mapping"
            raise QueryError(msg)
        qid = _text(entry, "id", where)
        where = f"{path.name} query {qid!r}"
        if qid in seen:
            msg = f"{where}: duplicate id"
            raise QueryError(msg)
        seen.add(qid)
        params = []
        for raw in entry.get("params") or []:
            if not isinstance(raw, dict) or "default" not in raw:
                msg = f"{where}: every parameter needs a name and a default"
                raise QueryError(msg)
            params.append(
                SavedParam(
                    _text(raw, "name", where),
                    raw["default"],
                    str(raw.get("description_ja", "")),
                    str(raw.get("description_en", "")),
                )
            )
        out.append(
            SavedQuery(
                qid,
                _text(entry, "title_ja", where),
                _text(entry, "title_en", where),
                _text(entry, "description_ja", where),
                _text(entry, "description_en", where),
                _text(entry, "cypher", where),
                tuple(params),
            )
        )
    return out


@cache
def _bundled() -> tuple[SavedQuery, ...]:
    return tuple(load_saved_queries())


def saved_queries() -> list[SavedQuery]:
    """The bundled saved queries, in file order."""
    return list(_bundled())


def saved_query(query_id: str) -> SavedQuery:
    """One saved query by id; the error lists the ids there are."""
    for query in _bundled():
        if query.id == query_id:
            return query
    known = ", ".join(q.id for q in _bundled())
    raise QueryError(*_said("qerr.no_saved", query_id=repr(query_id), known=known))


def run_saved(
    store: Store,
    query_id: str,
    params: Mapping[str, Any] | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    row_limit: int = DEFAULT_ROW_LIMIT,
    max_bytes: int | None = None,
    clock_started: float | None = None,
) -> QueryResult:
    """Run a saved query through the same guard as typed Cypher (saved queries get no privileges)."""
    query = saved_query(query_id)
    limits: dict[str, Any] = {"timeout": timeout, "row_limit": row_limit, "max_bytes": max_bytes}
    return run_readonly(store, query.cypher, query.bind(params), **limits, clock_started=clock_started)
