"""What an analyst's Cypher may contain, judged on Neo4j's own syntax tree (``graph/cypher_parser.py``).

The rule is an allowlist applied wherever a construct appears — top level, ``CALL { … }``,
``COLLECT``/``COUNT``/``EXISTS`` subqueries, ``CASE``, list and pattern comprehensions: a clause,
command, procedure or function outside the read-only sets below is refused, so a new or unknown
construct is refused by default. Two more rules cover what Neo4j cannot interrupt once it runs
(the transaction timeout is only checked between rows, not inside one expression):

- a regular expression with a quantified group that itself repeats or alternates (``(a+)+``,
  ``(.*a){12}``), more than three unbounded quantifiers, a back-reference or a repeat count over
  1,000 — Java's backtracking makes such patterns exponential;
- ``range()`` whose bounds are not integer literals, parameters or ``size()``/``length()`` of a
  list (± a literal), or whose span is over :data:`RANGE_LIMIT`; ranges iterated inside one
  expression (``reduce``, comprehensions, ``any``/``all``…) multiply, and their product has the same
  limit. ``UNWIND range(…)`` is exempt: it streams rows, and the timeout stops rows.

Every refusal is a :class:`Refusal` with an English and a Japanese sentence that name the construct
and say why.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from graph.cypher_allowlist import ALLOWED_FUNCTIONS, ALLOWED_PROCEDURES, COMMUNITY_FUNCTIONS, COMMUNITY_PROCEDURES
from graph.cypher_fold import UNKNOWN, constants, fold, resolved_name, tree_tokens
from graph.cypher_parser import Tree
from graph.cypher_regex import regex_problem
from graph.words import t

__all__ = [
    "ALLOWED_FUNCTIONS",
    "ALLOWED_PROCEDURES",
    "ALLOWED_SHOW",
    "GROWTH_LIMIT",
    "MAX_NESTING",
    "MAX_QUERY_CHARS",
    "RANGE_LIMIT",
    "Refusal",
    "check_shape",
    "check_tree",
    "regex_problem",
    "split_prefix",
]

RANGE_LIMIT: Final = 1_000_000

#: ``SHOW …`` commands that describe the schema or the callable catalogue (rule names of the grammar).
ALLOWED_SHOW: Final[Mapping[str, str]] = {
    "showIndexCommand": "SHOW INDEXES",
    "showConstraintCommand": "SHOW CONSTRAINTS",
    "showProcedures": "SHOW PROCEDURES",
    "showFunctions": "SHOW FUNCTIONS",
}

_CLAUSES_ALLOWED: Final = frozenset(
    {
        "matchClause",
        "returnClause",
        "withClause",
        "unwindClause",
        "callClause",
        "subqueryClause",
        "orderBySkipLimitClause",
        "finishClause",
        "whereClause",
        "yieldClause",
    }
)

#: Refused constructs: the words the user typed, and why (``qpol.<why>`` in graph.words).
_REFUSED_RULES: Final[Mapping[str, tuple[str, str]]] = {
    "createClause": ("CREATE", "write"),
    "insertClause": ("INSERT", "write"),
    "mergeClause": ("MERGE", "write"),
    "setClause": ("SET", "write"),
    "removeClause": ("REMOVE", "write"),
    "deleteClause": ("DELETE", "write"),
    "foreachClause": ("FOREACH", "foreach"),
    "loadCSVClause": ("LOAD CSV", "load_csv"),
    "subqueryInTransactionsParameters": ("CALL { … } IN TRANSACTIONS", "own_commit"),
    "useClause": ("USE", "use"),
    "periodicCommitQueryHintFailure": ("USING PERIODIC COMMIT", "own_commit"),
}

#: Expressions that evaluate their body once per list element, inside one expression evaluation.
_ITERATING: Final = frozenset({"listComprehension", "reduceExpression", "listItemsPredicate"})
_PLUGIN_PREFIXES: Final = ("apoc.", "gds.", "genai.", "n10s.", "semantics.")


@dataclass(frozen=True)
class Refusal:
    """Why a query was refused, in both languages of the product."""

    en: str
    ja: str


def _refusal(why: str, what: str = "", *, what_key: str = "", **fmt: object) -> Refusal:
    """``what`` the user wrote (as typed, or the words ``qpol.what.<what_key>``) and why (``qpol.<why>``)."""
    return Refusal(*(_refusal_text(lang, why, what, what_key, fmt) for lang in ("en", "ja")))


def _refusal_text(lang: str, why: str, what: str, what_key: str, fmt: Mapping[str, object]) -> str:
    subject = t(f"qpol.what.{what_key}", lang, **fmt) if what_key else what
    reason = t(f"qpol.{why}", lang, **fmt)
    if why.startswith("grow_"):  # every growth refusal says why growth inside an expression is refused
        reason = t("qpol.growth", lang, why=reason)
    return t("qerr.refused", lang, reason=f"{subject} {reason}")


# --- prefix (EXPLAIN / PROFILE / CYPHER are read by Neo4j's pre-parser, not by the grammar) ----
_PREFIX = re.compile(r"(?:\s+|//[^\n]*(?:\n|$)|/\*.*?\*/)*", re.S)
_WORD = re.compile(r"(EXPLAIN|PROFILE|CYPHER)(?![\w$])", re.I)


def split_prefix(query: str) -> tuple[str | None, str]:
    """``(mode, body)``: mode is ``EXPLAIN``, ``PROFILE`` or None; ``CYPHER`` options are refused.

    The body keeps the query's length and line breaks (the prefix becomes spaces), so that the
    parser's and the server's line/column positions are the analyst's own.
    """
    pos = _PREFIX.match(query).end()  # type: ignore[union-attr]
    word = _WORD.match(query, pos)
    if word is None:
        return None, query
    mode = word.group(1).upper()
    if mode == "CYPHER":
        raise RefusedError(_refusal("cypher_options", what_key="cypher_options"))
    rest = query[word.end() :]
    if _WORD.match(rest, _PREFIX.match(rest).end()):  # type: ignore[union-attr]
        raise RefusedError(_refusal("once", "EXPLAIN/PROFILE"))
    return mode, " " * word.end() + rest


#: Brackets nested deeper than this are refused before parsing: the parser's recursion (and the server's)
#: grows with depth, and no analyst query needs more.
MAX_NESTING: Final = 64
#: The longest query text accepted (characters): long literals are raw material for runaway matches.
MAX_QUERY_CHARS: Final = 100_000
_OPEN: Final = "([{"
_CLOSE: Final = ")]}"
_SKIP = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S)


def check_shape(query: str) -> None:
    """Refuse a query too long or nested too deeply to parse safely (before any parser sees it)."""
    if len(query) > MAX_QUERY_CHARS:
        raise RefusedError(
            _refusal("too_long", what_key="long_query", chars=f"{len(query):,}", limit=f"{MAX_QUERY_CHARS:,}")
        )
    depth = deepest = 0
    for char in _SKIP.sub(" ", query):
        if char in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif char in _CLOSE:
            depth = max(0, depth - 1)
    if deepest > MAX_NESTING:
        raise RefusedError(_refusal("too_deep", what_key="nested_brackets", depth=deepest, limit=MAX_NESTING))


class RefusedError(Exception):
    """Carries a :class:`Refusal` out of the tree walk (``graph.query`` turns it into ``QueryRefused``)."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.en)
        self.refusal = refusal


# --- tree helpers ------------------------------------------------------------------------------
def _text(node: Tree, sep: str = " ") -> str:
    return sep.join(tree_tokens(node))


def _children(node: Tree, rule: str) -> list[list[Any]]:
    return [c for c in node[1:] if isinstance(c, list) and c[0] == rule] if isinstance(node, list) else []


# --- range() ---------------------------------------------------------------------------------
#: Iterations of a ``reduce`` that concatenates onto its accumulator: each step copies the whole value.
GROWTH_LIMIT: Final = 10_000
_SIZE_FUNCTIONS: Final = frozenset({"size", "length", "char_length", "character_length"})


def _unwrap(node: Tree) -> Tree:
    while isinstance(node, list) and node[0] in ("functionArgument", "parenthesizedExpression"):
        inner = [c for c in node[1:] if isinstance(c, list) or c not in ("(", ")")]
        if len(inner) != 1:
            break
        node = inner[0]
    return node


def _is_call(node: Tree, names: frozenset[str] | set[str]) -> bool:
    return (
        isinstance(node, list)
        and node[0] == "functionInvocation"
        and resolved_name(_children(node, "functionName")[0]).lower() in names
    )


def _data_size(arg: Tree, params: Mapping[str, Any], env: Mapping[str, Any]) -> bool:
    """True for ``size(x)`` / ``length(x)`` of a value from the data, alone or ± an integer literal."""
    node = _unwrap(arg)
    if _is_call(node, _SIZE_FUNCTIONS):
        return True
    if isinstance(node, list) and node[0] == "expression6" and len(node) == 4 and node[2] in ("+", "-"):
        offset = fold(node[3], params, env)
        return (
            _is_call(_unwrap(node[1]), _SIZE_FUNCTIONS)
            and isinstance(offset, int)
            and not isinstance(offset, bool)
            and abs(offset) <= RANGE_LIMIT
        )
    return False


def _bound(arg: Tree, params: Mapping[str, Any], env: Mapping[str, Any]) -> int | str | None:
    """The bound's folded integer, ``"data"`` for size()/length() of data (± a literal), or None."""
    value = fold(arg, params, env)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else None
    if value is UNKNOWN and _data_size(arg, params, env):
        return "data"
    return None


def _range_span(node: list[Any], params: Mapping[str, Any], env: Mapping[str, Any]) -> int:
    """How many values ``range(…)`` makes; refused when a bound is computed or the span is over the limit."""
    args = _children(node, "functionArgument")
    bounds = [_bound(a, params, env) for a in args]
    if len(args) not in (2, 3) or any(b is None for b in bounds):
        raise RefusedError(_refusal("range_computed", f"range({', '.join(_text(a) for a in args)})"))
    span = _span(bounds)
    if span > RANGE_LIMIT:
        what = f"range({', '.join(_text(a) for a in args)})"
        raise RefusedError(_refusal("range_span", what, span=f"{span:,}", limit=f"{RANGE_LIMIT:,}"))
    return span


def _span(bounds: list[int | str | None]) -> int:
    """The values of a range with these bounds; a bound from data counts as large as the largest literal."""
    step = bounds[2] if len(bounds) == 3 else 1
    if step == 0:
        return 1  # Neo4j refuses a zero step itself
    if "data" in bounds[:2] or step == "data":
        numbers = [b for b in bounds if isinstance(b, int)]
        return max((abs(b) for b in numbers), default=0) + 1
    start, end = bounds[0], bounds[1]
    assert isinstance(start, int) and isinstance(end, int) and isinstance(step, int)
    return max(0, (end - start) // step + 1)


# --- the walk --------------------------------------------------------------------------------
def _procedure_refusal(name: str) -> Refusal:
    allowed = ", ".join(sorted(ALLOWED_PROCEDURES))
    if name.lower().startswith(_PLUGIN_PREFIXES):
        why = "procedure_plugin"
    elif name not in COMMUNITY_PROCEDURES:
        why = "procedure_unknown"
    else:
        why = "procedure_server"
    return _refusal(why, what_key="procedure", name=name, allowed=allowed)


def _function_refusal(name: str) -> Refusal:
    if name.lower().startswith(_PLUGIN_PREFIXES) or ("." in name and name.lower() not in COMMUNITY_FUNCTIONS):
        return _refusal("function_plugin", what_key="function", name=name)
    if name.lower() in ("file", "linenumber"):
        return _refusal("function_load_csv", what_key="function_call", name=name)
    if name.lower() not in COMMUNITY_FUNCTIONS:
        return _refusal("function_unknown", what_key="function", name=name)
    return _refusal("function_other", what_key="function", name=name)


def _command_refusal(node: list[Any]) -> Refusal:
    words = " ".join(w for w in list(tree_tokens(node))[:3] if re.fullmatch(r"[A-Za-z]+", w)).upper()
    why = "command_show" if node[0] in ("showCommand", "terminateCommand") else "command_admin"
    return _refusal(why, f"`{words}`")


def check_tree(tree: Tree, params: Mapping[str, Any]) -> Refusal | None:
    """The first reason ``tree`` may not run, or None when every construct in it is allowed."""
    try:
        _walk(tree, params)
    except RefusedError as exc:
        return exc.refusal
    return None


def _walk(tree: Tree, params: Mapping[str, Any]) -> None:
    if isinstance(tree, list) and len(_children(tree, "statement")) > 1:
        raise RefusedError(_refusal("statements", what_key="statements"))
    env = constants(tree, params)
    iterated_product = 1
    # (node, inside an iterating expression)
    stack: list[tuple[Tree, bool]] = [(tree, False)]
    while stack:
        node, iterating = stack.pop()
        if isinstance(node, str):
            continue
        rule = node[0]
        _check_rule(rule, node)
        _check_growth(node, params, env)
        if _is_range(node):
            span = _range_span(node, params, env)
            if iterating:
                iterated_product *= span
                if iterated_product > RANGE_LIMIT:
                    raise RefusedError(_nested_range_refusal(iterated_product))
        children = node[1:]
        if rule == "unwindClause" and _is_range(children[1]):
            # UNWIND streams a range row by row, and rows are where Neo4j checks for termination.
            children = [children[0], *children[1][1:], *children[2:]]
        for index, child in enumerate(children):
            if child == "=~":
                _check_regex(children[index + 1] if index + 1 < len(children) else "", params, env)
        inside = iterating or rule in _ITERATING
        stack.extend((child, inside) for child in reversed(children))


# --- values that grow inside one expression ----------------------------------------------------
def _check_growth(node: list[Any], params: Mapping[str, Any], env: Mapping[str, Any]) -> None:
    """Refuse values that double (``s + s``), accumulate for too long, or grow through nested ``replace``."""
    rule = node[0]
    if rule == "expression6" and any(op in ("+", "||") for op in node[2::2]):
        names = [name for c in node[1::2] if (name := _variable_name(c))]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise RefusedError(_refusal("grow_self", f"`{_text(node)[:60]}`", name=twice[0]))
    elif rule == "reduceExpression":
        _check_reduce(node, params, env)
    elif _is_call(node, {"replace"}) and _grows(node, params, env):
        subject = _children(node, "functionArgument")[:1]
        if any(_is_call(inner, {"replace"}) and _grows(inner, params, env) for inner in _descendants(subject)):
            raise RefusedError(_refusal("grow_replace", what_key="nested_replace"))


_IDENTIFIER = re.compile(r"^[^\W\d]\w*$")


def _variable_name(node: Tree) -> str | None:
    """The variable ``node`` reads (a ``variable`` node, or the bare name a collapsed tree leaves), else None."""
    if isinstance(node, str):
        return node if _IDENTIFIER.match(node) and node.lower() not in ("true", "false", "null") else None
    return resolved_name(node) if node[0] == "variable" else None


def _descendants(nodes: list[Any]) -> Iterator[list[Any]]:
    stack = list(nodes)
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            yield item
            stack.extend(item[1:])


def _grows(node: list[Any], params: Mapping[str, Any], env: Mapping[str, Any]) -> bool:
    """True when ``replace(s, target, replacement)`` can make ``s`` longer (or we cannot tell)."""
    args = _children(node, "functionArgument")
    if len(args) != 3:
        return True
    target, replacement = fold(args[1], params, env), fold(args[2], params, env)
    if isinstance(target, str) and isinstance(replacement, str):
        return len(replacement) > len(target) or not target
    return True


def _check_reduce(node: list[Any], params: Mapping[str, Any], env: Mapping[str, Any]) -> None:
    """A ``reduce`` that concatenates onto its accumulator copies it at every step (quadratic) or doubles it."""
    variables = _children(node, "variable")
    if not variables or "|" not in node:
        return
    accumulator = resolved_name(variables[0])
    body = node[node.index("|") + 1 :]
    uses = _uses(body, accumulator)
    if uses == 0 or not _concatenates(body):
        return
    if uses > 1:
        raise RefusedError(_refusal("grow_reduce_twice", f"reduce({accumulator} = …)", name=accumulator))
    source = node[node.index("IN") + 1] if "IN" in node else None
    steps = _steps(source, params, env)
    if steps is not None and steps > GROWTH_LIMIT:
        what = f"reduce({accumulator} = …)"
        raise RefusedError(_refusal("grow_reduce_steps", what, steps=f"{steps:,}", limit=f"{GROWTH_LIMIT:,}"))


def _uses(body: list[Any], name: str) -> int:
    """How often the variable ``name`` is read in a ``reduce`` body."""
    uses = sum(1 for n in body if _variable_name(n) == name)
    return uses + sum(1 for n in _descendants(body) if n[0] != "variable" for c in n[1:] if _variable_name(c) == name)


def _concatenates(body: list[Any]) -> bool:
    """Whether a ``reduce`` body concatenates (``+`` or ``||`` at the string/list level)."""
    return any(n[0] == "expression6" and ("+" in n or "||" in n) for n in _descendants(body))


def _steps(source: Tree | None, params: Mapping[str, Any], env: Mapping[str, Any]) -> int | None:
    """How many elements ``source`` has, when the guard can tell before the query runs."""
    if source is None:
        return None
    node = _unwrap(source)
    if isinstance(node, list) and _is_range(node):
        return _range_span(node, params, env)
    value = fold(node, params, env)
    return len(value) if isinstance(value, list | str) else None


def _check_rule(rule: str, node: list[Any]) -> None:
    """Refuse ``node`` when its grammar rule, command, procedure or function is not allowed."""
    if rule in _REFUSED_RULES:
        what, why = _REFUSED_RULES[rule]
        raise RefusedError(_refusal(why, what))
    if rule.endswith("Clause") and rule not in _CLAUSES_ALLOWED:
        raise RefusedError(_refusal("not_read_clause", f"`{_text(node)[:40]}`"))
    if rule == "command":
        _check_command(node[1])
    elif rule == "callClause":
        name = resolved_name(_children(node, "procedureName")[0])
        if name not in ALLOWED_PROCEDURES:
            raise RefusedError(_procedure_refusal(name))
    elif rule == "functionInvocation":
        name = resolved_name(_children(node, "functionName")[0])
        if name.lower() not in ALLOWED_FUNCTIONS:
            raise RefusedError(_function_refusal(name))


def _check_command(kind: list[Any]) -> None:
    """Refuse every command but the allowed SHOW commands."""
    inner = next((c for c in kind[1:] if isinstance(c, list)), None)
    if not (kind[0] == "showCommand" and inner is not None and inner[0] in ALLOWED_SHOW):
        raise RefusedError(_command_refusal(kind))


def _nested_range_refusal(iterated_product: int) -> Refusal:
    return _refusal("nested_range", what_key="nested_range", steps=f"{iterated_product:,}", limit=f"{RANGE_LIMIT:,}")


def _is_range(node: Tree) -> bool:
    return _is_call(node, {"range"})


def _check_regex(operand: Tree, params: Mapping[str, Any], env: Mapping[str, Any]) -> None:
    """The pattern is judged as Neo4j will see it: concatenations, constants and parameters folded first."""
    text = _text(operand).strip()
    pattern = fold(operand, params, env) if isinstance(operand, list) or operand else UNKNOWN
    if not isinstance(pattern, str):
        raise RefusedError(_refusal("regex_computed", what_key="regex_computed", text=text[:60]))
    if problem := regex_problem(pattern):
        raise RefusedError(_refusal("regex_slow", what_key="regex", pattern=repr(pattern[:60]), problem=problem))
