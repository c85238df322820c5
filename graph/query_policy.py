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

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

from graph.cypher_allowlist import ALLOWED_FUNCTIONS, ALLOWED_PROCEDURES, COMMUNITY_FUNCTIONS, COMMUNITY_PROCEDURES
from graph.cypher_parser import Tree

__all__ = [
    "ALLOWED_FUNCTIONS",
    "ALLOWED_PROCEDURES",
    "ALLOWED_SHOW",
    "RANGE_LIMIT",
    "Refusal",
    "check_tree",
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

#: Refused constructs: the words the user typed, and why (en, ja).
_WRITE_EN: Final = "writes to the graph; only read-only queries can be run here"
_WRITE_JA: Final = "はグラフに書き込むため実行できません（ここでは読み取り専用のクエリだけを実行できます）"
_REFUSED_RULES: Final[Mapping[str, tuple[str, str, str]]] = {
    "createClause": ("CREATE", _WRITE_EN, _WRITE_JA),
    "insertClause": ("INSERT", _WRITE_EN, _WRITE_JA),
    "mergeClause": ("MERGE", _WRITE_EN, _WRITE_JA),
    "setClause": ("SET", _WRITE_EN, _WRITE_JA),
    "removeClause": ("REMOVE", _WRITE_EN, _WRITE_JA),
    "deleteClause": ("DELETE", _WRITE_EN, _WRITE_JA),
    "foreachClause": ("FOREACH", "runs update clauses; only read-only queries can be run here", _WRITE_JA),
    "loadCSVClause": (
        "LOAD CSV",
        "makes the server read a file or fetch a URL; analyst queries cannot reach outside the graph",
        "はサーバーにファイルの読み込みやURLへのアクセスをさせるため実行できません（グラフの外には届きません）",
    ),
    "subqueryInTransactionsParameters": (
        "CALL { … } IN TRANSACTIONS",
        "commits on its own, outside the read-only transaction",
        "は読み取り専用トランザクションの外で独自にコミットするため実行できません",
    ),
    "useClause": (
        "USE",
        "switches to another database or graph; only the store's own database can be queried here",
        "は別のデータベースに切り替えるため実行できません（ここではストアのデータベースだけを照会できます）",
    ),
    "periodicCommitQueryHintFailure": (
        "USING PERIODIC COMMIT",
        "commits on its own, outside the read-only transaction",
        "は読み取り専用トランザクションの外で独自にコミットするため実行できません",
    ),
}

#: Expressions that evaluate their body once per list element, inside one expression evaluation.
_ITERATING: Final = frozenset({"listComprehension", "reduceExpression", "listItemsPredicate"})
_PLUGIN_PREFIXES: Final = ("apoc.", "gds.", "genai.", "n10s.", "semantics.")


@dataclass(frozen=True)
class Refusal:
    """Why a query was refused, in both languages of the product."""

    en: str
    ja: str


def _refusal(what: str, why_en: str, why_ja: str, what_ja: str | None = None) -> Refusal:
    return Refusal(f"refused: {what} {why_en}", f"拒否しました: {what_ja or what} {why_ja}")


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
        raise RefusedError(
            _refusal(
                "CYPHER options",
                "(version, planner or runtime settings) are not accepted; write the query without them",
                "（バージョン・プランナー・ランタイムの指定）は受け付けません。指定なしで書いてください",
            )
        )
    rest = query[word.end() :]
    if _WORD.match(rest, _PREFIX.match(rest).end()):  # type: ignore[union-attr]
        raise RefusedError(_refusal("EXPLAIN/PROFILE", "can be given once only", "は一度だけ指定できます"))
    return mode, " " * word.end() + rest


class RefusedError(Exception):
    """Carries a :class:`Refusal` out of the tree walk (``graph.query`` turns it into ``QueryRefused``)."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.en)
        self.refusal = refusal


# --- tree helpers ------------------------------------------------------------------------------
def _tokens(node: Tree) -> Iterator[str]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        else:
            stack.extend(reversed(item[1:]))


def _text(node: Tree, sep: str = " ") -> str:
    return sep.join(_tokens(node))


def _name(node: Tree) -> str:
    """A (possibly namespaced, possibly back-quoted) name as Neo4j resolves it: ``db.labels``."""
    return "".join(t[1:-1].replace("``", "`") if t.startswith("`") else t for t in _tokens(node))


def _children(node: Tree, rule: str) -> list[list[Any]]:
    return [c for c in node[1:] if isinstance(c, list) and c[0] == rule] if isinstance(node, list) else []


# --- regular expressions ---------------------------------------------------------------------
_QUANT = re.compile(r"[*+?]|\{\d+(?:,\d*)?\}")


def regex_problem(pattern: str) -> str | None:
    """Why Java's backtracking matcher could run away on ``pattern`` (None when it cannot)."""
    unbounded = 0
    groups: list[dict[str, bool]] = [{"inner": False}]
    i, n = 0, len(pattern)
    last_group: dict[str, bool] | None = None
    while i < n:
        c = pattern[i]
        closed: dict[str, bool] | None = None
        if c == "\\":
            if problem := _escape_problem(pattern, i):
                return problem
            i += 2
        elif c == "[":
            i = _class_end(pattern, i)
        elif c == "(":
            groups.append({"inner": False})
            i += 1
        elif c == ")":
            if len(groups) > 1:
                closed = groups.pop()
                if closed["inner"]:
                    groups[-1]["inner"] = True
            i += 1
        elif c == "|":
            groups[-1]["inner"] = True
            i += 1
        else:
            quant = _QUANT.match(pattern, i)
            if quant and i > 0:
                problem, is_unbounded = _quantifier_problem(quant.group(0), last_group)
                if problem:
                    return problem
                if is_unbounded:
                    unbounded += 1
                groups[-1]["inner"] = True
                i = quant.end()
                if i < n and pattern[i] in "?+":
                    i += 1  # lazy or possessive marker
            else:
                i += 1
        last_group = closed
    if unbounded > 3:
        return f"it has {unbounded} unbounded quantifiers (* or +); at most 3 are allowed"
    return None


def _escape_problem(pattern: str, i: int) -> str | None:
    """Why the escape at ``pattern[i]`` (a backslash) makes matching exponential, or None."""
    if i + 1 < len(pattern) and pattern[i + 1].isdigit() and pattern[i + 1] != "0":
        return "a back-reference (\\1 …) makes matching exponential"
    if i + 1 < len(pattern) and pattern[i + 1] == "k":
        return "a named back-reference (\\k<…>) makes matching exponential"
    return None


def _class_end(pattern: str, i: int) -> int:
    """The index just past the character class opening at ``pattern[i]`` (Java nests ``[a[b]]``)."""
    n = len(pattern)
    j = i + 1
    depth = 1
    while j < n and depth:
        if pattern[j] == "\\":
            j += 1
        elif pattern[j] == "[":
            depth += 1
        elif pattern[j] == "]":
            depth -= 1
        j += 1
    return j


def _quantifier_problem(text: str, last_group: dict[str, bool] | None) -> tuple[str | None, bool]:
    """Why the quantifier ``text`` is refused (None when it is not), and whether it is unbounded.

    ``last_group`` is the group the quantifier applies to, when it follows a ``)``.
    """
    count = re.findall(r"\d+", text)
    if any(int(x) > 1000 for x in count):
        return f"the repeat count {text} is over 1,000", False
    is_unbounded = text in ("*", "+") or text.endswith(",}")
    is_repeat = is_unbounded or (text.startswith("{") and max(int(x) for x in count) > 1)
    if last_group is not None and last_group["inner"] and is_repeat:
        return f"a group that repeats or alternates is itself repeated ({text}): nested quantifiers", is_unbounded
    return None, is_unbounded


# --- range() ---------------------------------------------------------------------------------
_INT = re.compile(r"^-?\s*(0x[0-9a-f]+|0o[0-7]+|\d+)$", re.I)
_PARAM = re.compile(r"^\$\s*`?(\w+)`?$")
_SIZE = re.compile(r"^(size|length)\s*\(.*\)(\s*[-+]\s*\d+)?$", re.I | re.S)


def _bound(arg: Tree, params: Mapping[str, Any]) -> int | str | None:
    """An int, ``"data"`` for size()/length() of a list, or None when the bound is computed."""
    text = _text(arg).strip()
    if m := _INT.match(text):
        value = int(m.group(1), 0)
        return -value if text.startswith("-") else value
    if m := _PARAM.match(text):
        param = params.get(m.group(1))
        return param if isinstance(param, int) and not isinstance(param, bool) else None
    if _SIZE.match(text):
        return "data"
    return None


def _range_span(node: list[Any], params: Mapping[str, Any]) -> int:
    args = _children(node, "functionArgument")
    bounds = [_bound(a, params) for a in args]
    if len(args) not in (2, 3) or any(b is None for b in bounds):
        raise RefusedError(
            _refusal(
                f"range({', '.join(_text(a) for a in args)})",
                "has a computed bound: range() bounds must be integer literals, parameters or size()/length() "
                "of a list, because Neo4j cannot stop a huge list once it is being built",
                "の範囲が計算式です。range() の境界は整数リテラル・パラメータ・リストの size()/length() に限ります"
                "（巨大なリストは作り始めると Neo4j が止められません）",
            )
        )
    step = bounds[2] if len(bounds) == 3 else 1
    if step == 0:
        return 1  # Neo4j refuses a zero step itself
    if "data" in bounds[:2] or step == "data":
        numbers = [b for b in bounds if isinstance(b, int)]
        span = max((abs(b) for b in numbers), default=0) + 1
    else:
        start, end = bounds[0], bounds[1]
        assert isinstance(start, int) and isinstance(end, int) and isinstance(step, int)
        span = max(0, (end - start) // step + 1)
    if span > RANGE_LIMIT:
        raise RefusedError(
            _refusal(
                f"range({', '.join(_text(a) for a in args)})",
                f"spans {span:,} values, over the limit of {RANGE_LIMIT:,}: Neo4j cannot stop such a list "
                "inside one expression",
                f"は {span:,} 個の値を持ち、上限 {RANGE_LIMIT:,} を超えます（一つの式の中では Neo4j が止められません）",
            )
        )
    return span


# --- the walk --------------------------------------------------------------------------------
def _procedure_refusal(name: str) -> Refusal:
    allowed = ", ".join(sorted(ALLOWED_PROCEDURES))
    if name.lower().startswith(_PLUGIN_PREFIXES):
        return _refusal(
            f"the procedure `{name}`",
            "comes from a plugin (APOC, GDS …) that ipeco's Neo4j Community does not install, and is not on the "
            f"read-only allowlist ({allowed})",
            f"はプラグイン（APOC・GDS など）のもので、ipeco の Neo4j Community には入っておらず、"
            f"読み取り専用の許可リスト（{allowed}）にもありません",
            what_ja=f"手続き `{name}`",
        )
    if name not in COMMUNITY_PROCEDURES:
        return _refusal(
            f"the procedure `{name}`",
            "is not a Neo4j Community 5.26 procedure (it may be Enterprise-only or a typo); "
            f"allowed procedures are {allowed}",
            "は Neo4j Community 5.26 の手続きではありません（Enterprise 専用か綴りの誤り）。"
            f"許可されているのは {allowed} です",
            what_ja=f"手続き `{name}`",
        )
    return _refusal(
        f"the procedure `{name}`",
        "changes or inspects the server rather than reading the graph, and is not on the read-only allowlist "
        f"({allowed})",
        f"はグラフを読むのではなくサーバーを変更・調査する手続きで、読み取り専用の許可リスト（{allowed}）にありません",
        what_ja=f"手続き `{name}`",
    )


def _function_refusal(name: str) -> Refusal:
    if name.lower().startswith(_PLUGIN_PREFIXES) or ("." in name and name.lower() not in COMMUNITY_FUNCTIONS):
        return _refusal(
            f"the function `{name}`",
            "is not a Neo4j built-in function (plugins such as APOC are not installed with ipeco's Neo4j Community)",
            "は Neo4j の組み込み関数ではありません"
            "（APOC などのプラグインは ipeco の Neo4j Community に入っていません）",
            what_ja=f"関数 `{name}`",
        )
    if name.lower() in ("file", "linenumber"):
        return _refusal(
            f"the function `{name}()`", "belongs to LOAD CSV", "は LOAD CSV 用の関数です", f"関数 `{name}()`"
        )
    if name.lower() not in COMMUNITY_FUNCTIONS:
        return _refusal(
            f"the function `{name}`",
            "is not a Neo4j 5.26 built-in function (check the spelling; SHOW FUNCTIONS lists them)",
            "は Neo4j 5.26 の組み込み関数ではありません（綴りを確認してください。SHOW FUNCTIONS で一覧できます）",
            what_ja=f"関数 `{name}`",
        )
    return _refusal(
        f"the function `{name}`",
        "picks another graph or is otherwise not on the read-only allowlist",
        "は別のグラフを選ぶなど、読み取り専用の許可リストにありません",
        f"関数 `{name}`",
    )


def _command_refusal(node: list[Any]) -> Refusal:
    words = " ".join(t for t in list(_tokens(node))[:3] if re.fullmatch(r"[A-Za-z]+", t)).upper()
    if node[0] in ("showCommand", "terminateCommand"):
        return _refusal(
            f"`{words}`",
            "inspects or controls the server rather than the graph; SHOW INDEXES, SHOW CONSTRAINTS, "
            "SHOW PROCEDURES and SHOW FUNCTIONS are allowed",
            "はグラフではなくサーバーを調査・操作するコマンドです。SHOW INDEXES・SHOW CONSTRAINTS・"
            "SHOW PROCEDURES・SHOW FUNCTIONS は使えます",
        )
    return _refusal(
        f"`{words}`",
        "changes the schema or administers the DBMS (users, roles, privileges, databases, indexes, constraints)",
        "はスキーマの変更または DBMS の管理"
        "（ユーザー・ロール・権限・データベース・索引・制約）を行うため実行できません",
    )


def check_tree(tree: Tree, params: Mapping[str, Any]) -> Refusal | None:
    """The first reason ``tree`` may not run, or None when every construct in it is allowed."""
    try:
        _walk(tree, params)
    except RefusedError as exc:
        return exc.refusal
    return None


def _walk(tree: Tree, params: Mapping[str, Any]) -> None:
    if isinstance(tree, list) and len(_children(tree, "statement")) > 1:
        raise RefusedError(
            _refusal(
                "several statements",
                "were given; run one statement at a time",
                "が含まれています。一度に一つずつ実行してください",
                "複数の文",
            )
        )
    iterated_product = 1
    # (node, inside an iterating expression)
    stack: list[tuple[Tree, bool]] = [(tree, False)]
    while stack:
        node, iterating = stack.pop()
        if isinstance(node, str):
            continue
        rule = node[0]
        _check_rule(rule, node)
        if rule == "functionInvocation" and _name(_children(node, "functionName")[0]).lower() == "range":
            span = _range_span(node, params)
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
                _check_regex(children[index + 1] if index + 1 < len(children) else "", params)
        inside = iterating or rule in _ITERATING
        stack.extend((child, inside) for child in reversed(children))


def _check_rule(rule: str, node: list[Any]) -> None:
    """Refuse ``node`` when its grammar rule, command, procedure or function is not allowed."""
    if rule in _REFUSED_RULES:
        what, en, ja = _REFUSED_RULES[rule]
        raise RefusedError(_refusal(what, en, ja))
    if rule.endswith("Clause") and rule not in _CLAUSES_ALLOWED:
        raise RefusedError(
            _refusal(f"`{_text(node)[:40]}`", "is not a read-only clause", "は読み取り専用の句ではありません")
        )
    if rule == "command":
        _check_command(node[1])
    elif rule == "callClause":
        name = _name(_children(node, "procedureName")[0])
        if name not in ALLOWED_PROCEDURES:
            raise RefusedError(_procedure_refusal(name))
    elif rule == "functionInvocation":
        name = _name(_children(node, "functionName")[0])
        if name.lower() not in ALLOWED_FUNCTIONS:
            raise RefusedError(_function_refusal(name))


def _check_command(kind: list[Any]) -> None:
    """Refuse every command but the allowed SHOW commands."""
    inner = next((c for c in kind[1:] if isinstance(c, list)), None)
    if not (kind[0] == "showCommand" and inner is not None and inner[0] in ALLOWED_SHOW):
        raise RefusedError(_command_refusal(kind))


def _nested_range_refusal(iterated_product: int) -> Refusal:
    return _refusal(
        "ranges iterated inside one another",
        f"make {iterated_product:,} steps inside one expression, over the limit of "
        f"{RANGE_LIMIT:,} (Neo4j cannot stop an expression halfway)",
        f"は一つの式の中で {iterated_product:,} 回の反復になり、上限 {RANGE_LIMIT:,} を超えます"
        "（Neo4j は式の途中で止められません）",
        "入れ子の range()",
    )


def _is_range(node: Tree) -> bool:
    return (
        isinstance(node, list)
        and node[0] == "functionInvocation"
        and _name(_children(node, "functionName")[0]).lower() == "range"
    )


def _check_regex(operand: Tree, params: Mapping[str, Any]) -> None:
    text = _text(operand).strip()
    if (text.startswith("'") and text.endswith("'")) or (text.startswith('"') and text.endswith('"')):
        pattern = _unquote(text)
    elif (m := _PARAM.match(text)) and isinstance(params.get(m.group(1)), str):
        pattern = params[m.group(1)]
    else:
        raise RefusedError(
            _refusal(
                f"the regular expression `=~ {text[:60]}`",
                "is computed: a pattern must be a string literal or a string parameter, so that it can be checked "
                "before it runs",
                "のパターンが計算式です。実行前に検査できるよう、文字列リテラルか文字列パラメータにしてください",
                f"正規表現 `=~ {text[:60]}`",
            )
        )
    if problem := regex_problem(pattern):
        raise RefusedError(
            _refusal(
                f"the regular expression {pattern[:60]!r}",
                f"could run for hours and Neo4j cannot interrupt a match: {problem}",
                f"は数時間かかり得て、Neo4j は照合を途中で止められません（{problem}）",
                f"正規表現 {pattern[:60]!r}",
            )
        )


def _unquote(literal: str) -> str:
    body = literal[1:-1]
    return re.sub(r"\\(u[0-9a-fA-F]{4}|.)", _escape, body)


def _escape(match: re.Match[str]) -> str:
    code = match.group(1)
    return chr(int(code[1:], 16)) if len(code) == 5 else _ESCAPES.get(code, code)


_ESCAPES: Final = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", "\\": "\\", "'": "'", '"': '"'}
