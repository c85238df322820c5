"""One settings table (issue 24, item 5): every environment variable is a row of ``graph.settings.SETTINGS``.

The README's configuration table is written from it by ``make docs``; these tests fail when the
README falls behind, when a module reads the environment around :func:`graph.settings.env`, or when
code asks for a variable that is not in the table.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.settings import SETTINGS, Settings, env, settings_table
from reports.readme import SETTINGS_END, SETTINGS_START, fill_block

ROOT = Path(__file__).resolve().parent.parent
#: The product's packages and the benchmarks (tests set their own variables for the servers they start).
PACKAGES = ("graph", "loaders", "analytics", "reports", "webapp", "ipeco", "seeds", "bench")
#: A read of one variable: ``os.environ.get(``, ``os.environ[...]``, ``os.getenv(``. Copies of the whole
#: environment for a child process (``{**os.environ, ...}``) are not reads of a setting.
READ = re.compile(r"environ\.get\(|environ\[|getenv\(|environ\.pop\(")
NAME = re.compile(r"""env\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def _sources() -> list[Path]:
    return [p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))]


def test_readme_table_is_the_settings_table() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split(SETTINGS_START, 1)[1].split(SETTINGS_END, 1)[0].strip()
    assert block == settings_table(), "run `make docs` to rewrite the README's configuration table"


def test_no_module_reads_the_environment_around_the_table() -> None:
    readers = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in _sources()
        if path.relative_to(ROOT).as_posix() != "graph/settings.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if READ.search(line)
    ]
    assert readers == [], "read the variable with graph.settings.env and add its row to SETTINGS"


def test_every_variable_the_code_names_is_in_the_table() -> None:
    named = {m for path in _sources() for m in NAME.findall(path.read_text(encoding="utf-8"))}
    table = {s.name for s in SETTINGS}
    assert named, "the scan found no env(...) call: the pattern is out of date"
    assert named <= table
    assert len(table) == len(SETTINGS), "a variable is listed twice"


def test_a_variable_outside_the_table_is_refused() -> None:
    with pytest.raises(KeyError, match="SETTINGS"):
        env("IPECO_NO_SUCH_SETTING")


def test_settings_read_through_the_table(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("IPECO_HOME", str(tmp_path))
    monkeypatch.setenv("IPECO_NEO4J_BOLT_PORT", "17999")
    monkeypatch.delenv("NEO4J_USER", raising=False)
    settings = Settings.from_env()
    assert settings.home == tmp_path.resolve()
    assert settings.bolt_port == 17999
    assert settings.neo4j_user == "neo4j"


def test_fill_block_names_the_file_without_markers() -> None:
    with pytest.raises(ValueError, match=r"notes\.md: no <!-- settings:start -->"):
        fill_block("no markers here", SETTINGS_START, SETTINGS_END, "x", where="notes.md")
