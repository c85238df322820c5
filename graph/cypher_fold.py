"""Constant folding of Cypher expressions on Neo4j's syntax tree, for the analyst guard.

The guard judges what an expression *evaluates to*, not how it is spelt: ``'(.*a)' + '{12}'`` is the
pattern ``(.*a){12}``, ``size([1]) * 1000000000`` is 10^9 and ``WITH 5 AS k`` makes ``k`` the number
5. Text matching was fooled by every one of these. :func:`fold` returns the value of an expression
made of literals, parameters, constant variables, arithmetic, concatenation and ``size()``/
``length()`` of known values, or :data:`UNKNOWN` for anything else (a property, a row value…).

:func:`constants` finds the variables bound once, by ``WITH <constant> AS name``, and nowhere else:
those are safe to fold. A name bound anywhere else (``UNWIND``, a pattern, a comprehension, a second
``WITH``) is not constant, so a rebinding can never smuggle a large number past the guard.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final

from graph.cypher_parser import Tree

__all__ = ["UNKNOWN", "constants", "fold", "resolved_name", "tree_tokens", "unquote"]


class _Unknown:
    """The value of an expression the guard cannot compute before the query runs."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()

_NUMBER = re.compile(r"^-?\s*(0x[0-9a-f_]+|0o[0-7_]+|[0-9][0-9_]*)$", re.I)
_IDENTIFIER = re.compile(r"^[^\W\d]\w*$")
_FLOAT = re.compile(r"^-?\s*[0-9_]*\.?[0-9_]+(e[-+]?[0-9]+)?$", re.I)
#: Cypher's string escapes; any other backslash is kept as typed (``'\1'`` stays ``\1`` for the regex engine).
_ESCAPES: Final = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", "\\": "\\", "'": "'", '"': '"'}
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)
#: Parent rules in which a ``variable`` is read, not bound.
_USE_PREFIXES: Final = ("expression", "comparisonExpression")
_USE_RULES: Final = frozenset(
    {
        "functionArgument",
        "parenthesizedExpression",
        "listLiteral",
        "whereClause",
        "orderItem",
        "propertyExpression",
        "mapLiteral",
        "caseAlternative",
        "caseExpression",
        "extendedCaseExpression",
        "extendedCaseAlternative",
        "literal",
        "functionInvocation",
        "returnItem",
    }
)


def unquote(literal: str) -> str:
    """The value of a Cypher string literal token (quotes included)."""
    return _ESCAPE.sub(_escape, literal[1:-1])


def _escape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] in "uU" and len(code) > 1:
        return chr(int(code[1:], 16))
    return _ESCAPES.get(code, "\\" + code)


def _token(text: str) -> Any:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return unquote(text)
    if m := _NUMBER.match(text):
        value = int(m.group(1).replace("_", ""), 0)
        return -value if text.startswith("-") else value
    if _FLOAT.match(text):
        return float(text.replace("_", "").replace(" ", ""))
    lowered = text.lower()
    return {"true": True, "false": False}.get(lowered, UNKNOWN)


def tree_tokens(node: Tree) -> Iterator[str]:
    """The tokens under ``node`` of the parser's tree, in source order."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        else:
            stack.extend(reversed(item[1:]))


def resolved_name(node: Tree) -> str:
    """A (possibly namespaced, possibly back-quoted) name as Neo4j resolves it: ``db.labels``."""
    return "".join(t[1:-1].replace("``", "`") if t.startswith("`") else t for t in tree_tokens(node))


def _binary(op: str, left: Any, right: Any) -> Any:
    """``left op right`` as Cypher computes it, or :data:`UNKNOWN` where it cannot be known or fails."""
    numbers = isinstance(left, int | float) and isinstance(right, int | float)
    if op in ("+", "||"):
        return _concat(left, right, numbers=numbers)
    if not numbers:
        return UNKNOWN
    arithmetic = _ARITHMETIC.get(op)
    return arithmetic(left, right) if arithmetic is not None else UNKNOWN


def _concat(left: Any, right: Any, *, numbers: bool) -> Any:
    """``+``/``||``: list append, string concatenation or numeric addition."""
    if isinstance(left, list) or isinstance(right, list):
        return (left if isinstance(left, list) else [left]) + (right if isinstance(right, list) else [right])
    if isinstance(left, str) or isinstance(right, str):
        return f"{left}{right}"
    return left + right if numbers else UNKNOWN


def _divide(left: float, right: float) -> Any:
    if right == 0:
        return UNKNOWN
    return int(left / right) if isinstance(left, int) and isinstance(right, int) else left / right


def _modulo(left: float, right: float) -> Any:
    return UNKNOWN if right == 0 else left % right


def _power(left: float, right: float) -> Any:
    try:
        return float(left) ** float(right)
    except OverflowError:
        return float("inf")


#: Cypher's arithmetic on two numbers (integer division truncates, as in Cypher).
_ARITHMETIC: Final[dict[str, Callable[[Any, Any], Any]]] = {
    "-": lambda left, right: left - right,
    "*": lambda left, right: left * right,
    "/": _divide,
    "%": _modulo,
    "^": _power,
}


def _chain(node: list[Any], params: Mapping[str, Any], env: Mapping[str, Any]) -> Any:
    value = fold(node[1], params, env)
    for i in range(2, len(node) - 1, 2):
        right = fold(node[i + 1], params, env)
        if value is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        try:
            value = _binary(str(node[i]), value, right)
        except (TypeError, ValueError, OverflowError):
            return UNKNOWN
    return value


def _function(node: list[Any], params: Mapping[str, Any], env: Mapping[str, Any]) -> Any:
    name = resolved_name(next(c for c in node[1:] if isinstance(c, list) and c[0] == "functionName")).lower()
    args = [c for c in node[1:] if isinstance(c, list) and c[0] == "functionArgument"]
    if name in ("size", "length", "char_length", "character_length") and len(args) == 1:
        value = fold(args[0], params, env)
        return len(value) if isinstance(value, str | list) else UNKNOWN
    return UNKNOWN


def fold(node: Tree, params: Mapping[str, Any], env: Mapping[str, Any]) -> Any:
    """The value of the expression ``node``, or :data:`UNKNOWN` when it depends on the data."""
    if isinstance(node, str):
        return _fold_token(node, env)
    rule = node[0]
    handler = _HANDLERS.get(rule)
    if handler is not None:
        return handler(node, params, env)
    if rule.startswith("expression") and len(node) >= 4 and len(node) % 2 == 0:
        return _chain(node, params, env)
    if rule in ("expression3", "expression2") and len(node) == 3 and node[1] in ("-", "+"):
        return _signed(node, params, env)
    inner = [c for c in node[1:] if isinstance(c, list) or c not in ("(", ")")]
    if len(inner) == 1 and rule in ("literal", "parenthesizedExpression", "functionArgument", "returnItem"):
        return fold(inner[0], params, env)
    return UNKNOWN


def _fold_token(node: str, env: Mapping[str, Any]) -> Any:
    """A token's value: a constant's (a collapsed tree leaves a variable as its bare name), or a literal's."""
    text = node.strip()
    if _IDENTIFIER.match(text) and text in env:
        return env[text]
    if text.startswith("`") and text.endswith("`") and text[1:-1].replace("``", "`") in env:
        return env[text[1:-1].replace("``", "`")]
    return _token(text)


def _signed(node: list[Any], params: Mapping[str, Any], env: Mapping[str, Any]) -> Any:
    """Unary ``-x`` or ``+x`` of a number."""
    value = fold(node[2], params, env)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return -value if node[1] == "-" else value
    return UNKNOWN


def _number_literal(node: list[Any], params: Mapping[str, Any], env: Mapping[str, Any]) -> Any:
    return _token("".join(t for t in tree_tokens(node)))


def _parameter(node: list[Any], params: Mapping[str, Any], env: Mapping[str, Any]) -> Any:
    name = resolved_name(node[-1]) if isinstance(node[-1], list) else str(node[-1])
    return params.get(name, UNKNOWN)


def _variable(node: list[Any], params: Mapping[str, Any], env: Mapping[str, Any]) -> Any:
    return env.get(resolved_name(node), UNKNOWN)


def _list(node: list[Any], params: Mapping[str, Any], env: Mapping[str, Any]) -> Any:
    return [fold(c, params, env) for c in node[1:] if not (isinstance(c, str) and c in ("[", "]", ","))]


_Handler = Callable[[list[Any], Mapping[str, Any], Mapping[str, Any]], Any]
_HANDLERS: Final[dict[str, _Handler]] = {
    "numberLiteral": _number_literal,
    "parameter": _parameter,
    "variable": _variable,
    "listLiteral": _list,
    "functionInvocation": _function,
}


def constants(tree: Tree, params: Mapping[str, Any]) -> dict[str, Any]:
    """Variables bound exactly once, by ``WITH <constant> AS name``, and never bound otherwise."""
    env: dict[str, Any] = {}
    bound_elsewhere: set[str] = set()
    bindings: dict[str, int] = {}
    stack: list[tuple[Tree, str]] = [(tree, "")]
    order: list[tuple[str, list[Any]]] = []
    while stack:
        node, parent = stack.pop()
        if isinstance(node, str):
            continue
        rule = node[0]
        if rule == "returnItem" and len(node) >= 4 and node[-2] == "AS":
            name = resolved_name(node[-1])
            bindings[name] = bindings.get(name, 0) + 1
            order.append((name, node))
            stack.extend((c, rule) for c in reversed(node[1:-2]))
            continue
        if rule == "variable":
            if not (parent.startswith(_USE_PREFIXES) or parent in _USE_RULES):
                bound_elsewhere.add(resolved_name(node))
            continue
        stack.extend((c, rule) for c in reversed(node[1:]))
    for name, item in order:  # document order: a constant may use an earlier one
        if bindings[name] == 1 and name not in bound_elsewhere:
            value = fold(item[1], params, env)
            if value is not UNKNOWN:
                env[name] = value
    return env
