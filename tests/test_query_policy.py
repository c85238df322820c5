"""The allowlist walk and the runaway rules on trees from Neo4j's own parser (no server needed)."""

from __future__ import annotations

import pytest

from graph.cypher_parser import GrammarError, cypher_parser
from graph.query_policy import RefusedError, check_tree, regex_problem, split_prefix
from tests.conftest import settings_for_tests


def refusal(query: str, params: dict[str, object] | None = None) -> str | None:
    _, body = split_prefix(query)
    found = check_tree(cypher_parser(settings_for_tests()).parse(body), params or {})
    return found.en if found else None


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("(a+)+", "nested quantifiers"),
        ("(.*a){12}", "nested quantifiers"),
        ("(a|aa)*", "nested quantifiers"),
        ("((ab)*c)+", "nested quantifiers"),
        ("(a)\\1", "back-reference"),
        ("a{1,5000}", "over 1,000"),
        (".*.*.*.*x", "4 unbounded quantifiers"),
    ],
)
def test_catastrophic_patterns_are_named(pattern: str, problem: str) -> None:
    assert problem in (regex_problem(pattern) or "")


@pytest.mark.parametrize(
    "pattern", [".*銀行", "a.c", "[a-z]+[0-9]{2}", "(abc)?d", "(ab){2}", "^x(y|z)$", "[(+*]+", "\\(a+\\)+"]
)
def test_ordinary_patterns_pass(pattern: str) -> None:
    assert regex_problem(pattern) is None


def test_prefixes_keep_positions_and_refuse_options() -> None:
    assert split_prefix("EXPLAIN MATCH (n) RETURN n") == ("EXPLAIN", "        MATCH (n) RETURN n")
    assert split_prefix("/* c */\nprofile MATCH (n) RETURN n")[0] == "PROFILE"
    assert split_prefix("MATCH (n) RETURN n") == (None, "MATCH (n) RETURN n")
    with pytest.raises(RefusedError, match="CYPHER options"):
        split_prefix("CYPHER runtime=slotted MATCH (n) RETURN n")
    with pytest.raises(RefusedError, match="once only"):
        split_prefix("EXPLAIN PROFILE MATCH (n) RETURN n")


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("RETURN [x IN [1] | [y IN [2] | COUNT { LOAD CSV FROM 'file:///a' AS l RETURN l }]]", "LOAD CSV"),
        ("MATCH (n) RETURN n {.*, x: CASE WHEN true THEN COLLECT { CREATE (m) RETURN m } END}", "CREATE"),
        (
            "CALL () { CALL () { CALL db.stats.clear('QUERIES') YIELD success RETURN success } "
            "RETURN 1 AS x } RETURN x",
            "db.stats.clear",
        ),
        ("RETURN `db`.`stats`.`retrieve`('x')", "function `db.stats.retrieve`"),
        ("CALL `db.stats`.retrieve('QUERIES')", "db.stats.retrieve"),
        ("RETURN range(1, $n)", "spans"),
        ("RETURN range(1, toInteger('9'))", "computed bound"),
        ("RETURN [a IN range(1, 2000) | [b IN range(1, 2000) | a * b]]", "inside one another"),
        ("RETURN 'x' =~ $p", "could run for hours"),
        ("MATCH (n) RETURN n.a =~ n.b", "must be a string literal"),
        ("USE system MATCH (n) RETURN n", "USE"),
        ("MATCH (n) RETURN n; MATCH (m) RETURN m", "several statements"),
        ("RETURN file()", "LOAD CSV"),
    ],
)
def test_refused_wherever_it_appears(query: str, words: str) -> None:
    assert words in (refusal(query, {"n": 10**9, "p": "(a+)+"}) or "")


@pytest.mark.parametrize(
    "query",
    [
        "UNWIND range(1, 1000000000) AS i RETURN i",
        "RETURN [i IN range(0, size([1, 2]) - 1) | i]",
        "RETURN range(1, $n)",
        "RETURN 'x' =~ $p",
        "SHOW INDEXES YIELD name RETURN name",
        "CALL db.index.fulltext.queryNodes('i', 'q') YIELD node RETURN node",
        "RETURN COUNT { CALL db.labels() YIELD label RETURN label }",
        "RETURN toUpper('x'), TOLOWER('Y'), date.truncate('month', date())",
    ],
)
def test_reads_pass(query: str) -> None:
    assert refusal(query, {"n": 100, "p": "a.*"}) is None


def test_grammar_errors_carry_a_position() -> None:
    with pytest.raises(GrammarError, match=r"line 1 column 10"):
        cypher_parser(settings_for_tests()).parse("MATCH (n RETURN n")
