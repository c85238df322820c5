"""Honest code gates: no production function above radon's cyclomatic complexity 15 or 60 lines.

Why radon and not only ruff's C90: ruff's McCabe counter does not count boolean operators,
comprehension conditions or nested functions the way a reader pays for them, so it passed functions
radon scores at 40 and more. The gate measures what it claims (radon's count, the one the issue
quotes) and lists every offender with file:line, its complexity and its length, so a failure says
which function to split into named steps. Length is counted from the ``def`` line to the last line
of the body, decorators excluded, so a long docstring counts: a function that needs one that long
does more than one thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from radon.visitors import Class, ComplexityVisitor, Function

ROOT = Path(__file__).resolve().parent.parent
#: The production packages (tests, seeds' fixtures and scripts are not gated).
PACKAGES = ("graph", "loaders", "analytics", "reports", "webapp", "ipeco", "bench")
MAX_COMPLEXITY = 15
MAX_LINES = 60


@dataclass(frozen=True)
class Measured:
    """One function as radon sees it: where it is, its cyclomatic complexity and its length."""

    path: str
    line: int
    name: str
    complexity: int
    length: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.name} CC {self.complexity}, {self.length} lines"


def _functions(blocks: list[Function | Class]) -> list[Function]:
    """Every function and method, nested ones included (radon keeps closures inside their parent)."""
    out: list[Function] = []
    for block in blocks:
        if isinstance(block, Class):
            out += _functions([*block.methods, *block.inner_classes])
        else:
            out += [block, *_functions(list(block.closures))]
    return out


def measure(source: str, path: str) -> list[Measured]:
    """The functions of one module's ``source`` with their complexity and length."""
    visitor = ComplexityVisitor.from_code(source)
    return [
        Measured(path, f.lineno, f.fullname, f.complexity, f.endline - f.lineno + 1)
        for f in _functions([*visitor.functions, *visitor.classes])
    ]


def offenders(measured: list[Measured]) -> list[Measured]:
    """The functions over either limit, worst first."""
    over = [m for m in measured if m.complexity > MAX_COMPLEXITY or m.length > MAX_LINES]
    return sorted(over, key=lambda m: (-m.complexity, -m.length, m.path, m.line))


def test_the_gate_catches_a_complex_and_a_long_function() -> None:
    """The measure itself: a function of 16 branches and one of 61 lines fail, their neighbours pass."""
    branches = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(15))
    complex_fn = f"def many(x):\n{branches}    return -1\n"
    simple_fn = "def few(x):\n    return x\n"
    long_fn = "def long():\n" + "    y = 1\n" * 59 + "    return y\n"
    found = offenders(measure(complex_fn + simple_fn + long_fn, "m.py"))
    assert [(m.name, m.complexity, m.length) for m in found] == [("many", 16, 32), ("long", 1, 61)]


def test_the_gate_sees_methods_and_closures() -> None:
    """A method and a function nested in it are measured each on its own, and counted once."""
    inner = "".join(f"            if x == {i}:\n                return {i}\n" for i in range(16))
    head = "class A:\n    def outer(self):\n        def inner(x):\n"
    source = f"{head}{inner}            return 0\n        return inner\n"
    found = measure(source, "m.py")
    assert sorted((m.name, m.complexity) for m in found) == [("A.outer", 1), ("inner", 17)]
    assert [m.name for m in offenders(found)] == ["inner"]


@pytest.mark.parametrize("package", PACKAGES)
def test_no_function_above_the_limits(package: str) -> None:
    """Every function of ``package`` has radon complexity ≤ 15 and at most 60 lines."""
    measured: list[Measured] = []
    for path in sorted((ROOT / package).rglob("*.py")):
        measured += measure(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    over = offenders(measured)
    listing = "\n".join(str(m) for m in over)
    assert not over, (
        f"{len(over)} function(s) in {package}/ over CC {MAX_COMPLEXITY} or {MAX_LINES} lines; "
        f"split them into named steps:\n{listing}"
    )
