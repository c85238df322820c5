"""Which regular expressions an analyst may run: a safe subset of Java's ``java.util.regex`` syntax.

Neo4j matches ``=~`` with Java's backtracking engine, and neither the transaction timeout nor
``TERMINATE TRANSACTIONS`` interrupts a match: a pattern that backtracks for hours pins a server
core for hours. Reading patterns with Python's syntax missed what Java reads differently
(``(?x)`` comments mode, ``\\Q…\\E`` quoting), so the rule here is an allowlist: a pattern is parsed
with exactly the Java constructs below, each of which Java and this parser read the same way, and
anything else is refused with its reason:

- literals, escaped punctuation, ``.``, ``^``, ``$``, ``\\d \\w \\s \\b``… , ``\\p{…}``, ``\\xhh``,
  ``\\uhhhh``, character classes without nesting or intersection;
- groups ``( )``, ``(?: )``, alternation ``|`` and inline flags ``(?i)``, ``(?s)``, ``(?m)``, ``(?u)``
  (not ``(?x)``);
- quantifiers ``* + ? {n} {n,} {n,m}`` (lazy or possessive too), counts up to 1,000.

Then the cost: no quantified group that itself repeats or alternates (``(a+)+``, ``(.*a){12}``), at
most two unbounded quantifiers (each multiplies the work by the text's length), and the product of
the bounded choices (``{0,1000}``, ``?``, alternatives) at most 1,000, or 10 with two unbounded ones.
Back-references, look-arounds and quoting are refused outright.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["MAX_COUNT", "regex_problem"]

MAX_COUNT: Final = 1000
_MAX_UNBOUNDED: Final = 2
_MAX_CHOICES: Final = 1000
_MAX_CHOICES_TWO_UNBOUNDED: Final = 10
_COUNT = re.compile(r"\{(\d{1,9})(,(\d{0,9}))?\}")
_FLAGS = re.compile(r"\(\?([idmsuU-]*)([):])")
_SIMPLE_ESCAPES: Final = frozenset("dDwWsShHvVtnrfaebBAzZG")


class _Refused(Exception):
    pass


#: What follows ``\x``, ``\u`` and ``\p``/``\P`` in a supported escape (hex digits, a property name).
_ESCAPE_TAILS: Final[dict[str, re.Pattern[str]]] = {
    "x": re.compile(r"[0-9a-fA-F]{2}"),
    "u": re.compile(r"[0-9a-fA-F]{4}"),
    "p": re.compile(r"\{[A-Za-z_=]{1,40}\}|[A-Za-z]"),
    "P": re.compile(r"\{[A-Za-z_=]{1,40}\}|[A-Za-z]"),
}


class _Scan:
    """A recursive-descent reading of one pattern, counting what makes backtracking expensive."""

    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0
        self.unbounded = 0
        self.choices = 1

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.p[j] if j < len(self.p) else ""

    def alternation(self) -> bool:
        """Parse ``a|b|…``; true when it alternates or repeats inside."""
        complex_ = self.sequence()
        branches = 1
        while self.peek() == "|":
            self.i += 1
            branches += 1
            self.sequence()
        if branches > 1:
            self.choices *= branches
            return True
        return complex_

    def sequence(self) -> bool:
        complex_ = False
        while self.peek() and self.peek() not in "|)":
            atom_complex = self.atom()
            bounds = self.quantifier()
            if bounds is None:
                complex_ = complex_ or atom_complex
                continue
            low, high = bounds
            if atom_complex and (high is None or high > 1):
                msg = "a group that repeats or alternates is itself repeated: nested quantifiers"
                raise _Refused(msg)
            if high is None:
                self.unbounded += 1
            elif high > low:
                self.choices *= high - low + 1
            complex_ = True
        return complex_

    def quantifier(self) -> tuple[int, int | None] | None:
        c = self.peek()
        bounds: tuple[int, int | None]
        if c in ("*", "+", "?"):
            bounds = {"*": (0, None), "+": (1, None), "?": (0, 1)}[c]
            self.i += 1
        elif c == "{":
            m = _COUNT.match(self.p, self.i)
            if not m:
                raise _Refused("a '{' that is not a repeat count {n}, {n,} or {n,m}")
            low = int(m.group(1))
            high = low if m.group(2) is None else (int(m.group(3)) if m.group(3) else None)
            if low > MAX_COUNT or (high is not None and high > MAX_COUNT):
                raise _Refused(f"the repeat count {m.group(0)} is over {MAX_COUNT:,}")
            bounds = (low, high)
            self.i = m.end()
        else:
            return None
        if self.peek() in ("?", "+"):
            self.i += 1  # lazy or possessive
        if self.peek() in ("*", "+", "?", "{"):
            raise _Refused("a quantifier follows another quantifier")
        return bounds

    def atom(self) -> bool:
        c = self.peek()
        if c == "\\":
            self.escape()
        elif c == "[":
            self.char_class()
        elif c == "(":
            return self.group()
        elif c in ("*", "+", "?", "{"):
            raise _Refused(f"the quantifier '{c}' has nothing to repeat")
        else:
            self.i += 1
        return False

    def group(self) -> bool:
        if self.peek(1) == "?":
            m = _FLAGS.match(self.p, self.i)
            if m is None and re.match(r"\(\?[a-zA-Z-]*x", self.p[self.i :]):
                raise _Refused("comments mode (?x) reads the pattern differently; write it without")
            if m is None:
                raise _Refused("look-arounds, named and atomic groups (?=, ?!, ?<, ?>) are not supported here")
            self.i = m.end()
            if m.group(2) == ")":
                return False  # inline flags: zero width
        else:
            self.i += 1
        inner = self.alternation()
        if self.peek() != ")":
            raise _Refused("a group is not closed")
        self.i += 1
        return inner

    def escape(self, in_class: bool = False) -> None:
        d = self.peek(1)
        if not d:
            raise _Refused("the pattern ends with a lone backslash")
        if d.isdigit() or d == "k":
            if in_class and d.isdigit():
                raise _Refused("an octal or digit escape in a character class")
            raise _Refused("a back-reference (\\1, \\k<…>) makes matching exponential")
        if d in ("Q", "E"):
            raise _Refused("quoting with \\Q…\\E is not supported here; escape each character instead")
        self.i += 2
        if d in _SIMPLE_ESCAPES or (not d.isalnum() and d.isascii()):
            return
        tail = _ESCAPE_TAILS.get(d)
        m = tail.match(self.p, self.i) if tail is not None else None
        if m is None:
            raise _Refused(f"the escape \\{d} is not supported here")
        self.i = m.end()

    def char_class(self) -> None:
        self.i += 1
        if self.peek() == "^":
            self.i += 1
        if self.peek() == "]":
            raise _Refused("a character class that starts with ']' reads differently in Java; escape it as \\]")
        while True:
            c = self.peek()
            if not c:
                raise _Refused("a character class is not closed")
            if c == "]":
                self.i += 1
                return
            if c == "[":
                raise _Refused("nested character classes ([a[b]]) are not supported here; escape '[' as \\[")
            if c == "&" and self.peek(1) == "&":
                raise _Refused("class intersection (&&) is not supported here")
            if c == "\\":
                self.escape(in_class=True)
            else:
                self.i += 1


def regex_problem(pattern: str) -> str | None:
    """Why ``pattern`` is refused (outside the safe subset, or could backtrack for hours), or None."""
    scan = _Scan(pattern)
    try:
        scan.alternation()
        if scan.i < len(pattern):
            raise _Refused("a ')' closes no group")
    except _Refused as exc:
        return str(exc)
    if scan.unbounded > _MAX_UNBOUNDED:
        return f"it has {scan.unbounded} unbounded quantifiers (* + {{n,}}); at most {_MAX_UNBOUNDED} are allowed"
    limit = _MAX_CHOICES_TWO_UNBOUNDED if scan.unbounded == _MAX_UNBOUNDED else _MAX_CHOICES
    if scan.choices > limit:
        return f"its optional parts and bounded repeats multiply to {scan.choices:,} ways to match, over {limit:,}" + (
            " with two unbounded quantifiers" if scan.unbounded == _MAX_UNBOUNDED else ""
        )
    return None
