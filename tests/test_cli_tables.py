"""Readable tables for staff (``compare``, ``recommend``, ``analyze``), formats inferred from ``-o``,
and query errors in one language: the ``ipeco`` command run as a user runs it, on a seeded home."""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from graph.query import QueryRefused, check_plan
from reports.formatting import number
from reports.tables import display_width, render_table, wrap_cell
from tests import cli_support
from tests.cli_support import CliResult
from tests.conftest import seed_home


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_home(tmp_path_factory, "cli-tables-home")


def ipeco(home: Path, *args: str, columns: int | None = None, cwd: Path | None = None) -> CliResult:
    """``ipeco ARGS`` on ``home``, its output to a pipe (in-process: :mod:`tests.cli_support`)."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "IPECO_STORE")}
    env["IPECO_HOME"] = str(home)
    if columns:
        env["COLUMNS"] = str(columns)
    return cli_support.ipeco(*args, env=env, cwd=cwd)


def column_start(line: str, cell: str) -> int:
    """Display column where ``cell`` starts in ``line`` (Japanese counts two)."""
    return display_width(line[: line.index(cell)])


# --- the renderer ------------------------------------------------------------------------------------
def test_display_width_counts_wide_characters_twice() -> None:
    assert display_width("青森県") == 6 and display_width("Aomori") == 6
    assert display_width("ｱｵﾓﾘ") == 4  # half-width katakana is narrow
    assert display_width("e\u0301") == 1  # a combining accent takes no cell


def test_columns_line_up_by_display_width() -> None:
    out = render_table(["指標", "青森県", "Kobe"], [["組織数", "115", "74"], ["Density", "0.018", "0.028"]])
    lines = out.splitlines()
    assert lines[0].startswith("指標") and set(lines[1]) <= {"-", " "}

    def end(line: str, cell: str) -> int:
        return column_start(line, cell) + display_width(cell)

    # the second column starts after the widest first cell (組織数 and Density are both 7 cells wide)
    assert column_start(lines[0], "青森県") == display_width("Density") + 2
    # numbers are right-aligned: each column's numbers end where its rule ends
    rule_ends = [m.end() for m in re.finditer(r"-+", lines[1])]
    assert end(lines[2], "115") == end(lines[3], "0.018") == rule_ends[1]
    assert end(lines[2], "74") == end(lines[3], "0.028") == rule_ends[2]


def test_a_wide_table_is_cut_into_blocks_that_fit() -> None:
    headers = ["指標", *(f"地域{i}" for i in range(8))]
    rows = [
        ["組織数の長い名前です", *(str(i * 111) for i in range(8))],
        ["主要な橋渡し役", *(["弘前大学、青森県、八戸工業大学"] * 8)],
    ]
    out = render_table(headers, rows, width=50)
    assert all(display_width(line) <= 50 for line in out.splitlines())
    blocks = out.split("\n\n")
    assert len(blocks) > 1 and all(b.startswith("指標") for b in blocks)  # every block names its rows
    for header in headers[1:]:
        assert header in out
    # a long Japanese cell is wrapped between characters, an English one at spaces, nothing lost
    text = "弘前大学、青森県、八戸工業大学"
    assert "".join(wrap_cell(text, 10)) == text and all(display_width(p) <= 10 for p in wrap_cell(text, 10))
    assert wrap_cell("Aomori Chamber of Commerce", 12) == ["Aomori", "Chamber of", "Commerce"]
    with pytest.raises(ValueError, match="every row needs 3 cells"):
        render_table(["a", "b", "c"], [["1", "2"]])


# --- compare, analyze, recommend -----------------------------------------------------------------------
def test_compare_prints_a_table_whose_numbers_are_the_json(home: Path) -> None:
    args = ("compare", "--region", "aomori", "--region", "kobe")
    data = json.loads(ipeco(home, *args, "--json").stdout)
    result = ipeco(home, *args)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert not result.stdout.lstrip().startswith("{")
    assert lines[0].split() == ["指標", "青森県", "神戸市"]
    values = {i["key"]: i["values"] for i in data["indicators"]}
    row = next(line for line in lines if line.startswith("組織数 "))
    # a count depends on how much was collected: every column carries the caveat's mark (※)
    assert row.split()[1:] == [number(values["n"]["aomori"], "ja") + "※", number(values["n"]["kobe"], "ja") + "※"]
    assert any(line.startswith("※ 収集できた公開情報") for line in lines)
    density = next(line for line in lines if line.startswith("密度"))
    assert density.split()[1:] == [number(values["density"]["aomori"], "ja"), number(values["density"]["kobe"], "ja")]
    # the Kobe column starts at the same display column in the header and in every row
    starts = {column_start(line, line.split()[-1]) for line in (lines[0], row, density)}
    assert len(starts) == 1, result.stdout
    english = ipeco(home, *args, "--lang", "en").stdout.splitlines()
    assert english[0].split("  ")[0] == "Indicator" and "Aomori Prefecture" in english[0] and "Kobe City" in english[0]


def test_compare_fits_the_terminal_width(home: Path) -> None:
    out = ipeco(home, "compare", "--region", "aomori", "--region", "kobe", "--region", "ishikawa", columns=70).stdout
    assert out.count("\n指標") >= 1  # cut into blocks, each led by the indicator column
    assert all(display_width(line) <= 70 for line in out.splitlines()), out


def test_analyze_prints_the_top_brokers_as_a_table(home: Path) -> None:
    data = json.loads(ipeco(home, "analyze", "--region", "kobe", "--json").stdout)
    result = ipeco(home, "analyze", "--region", "kobe")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"神戸市：組織 {len(data['nodes'])}、コミュニティ {len(data['communities'])}、"
        f"切断点 {len(data['articulation_points'])}、橋 {len(data['bridges'])}"
    )
    header = next(i for i, line in enumerate(lines) if line.startswith("順位"))
    rows = lines[header + 2 : header + 12]
    assert len(rows) == 10 and [r.split()[0] for r in rows] == [str(i) for i in range(1, 11)]
    ranked = sorted((m["betweenness"] for m in data["nodes"].values()), reverse=True)[:10]
    assert [number(b, "ja") in r.split() for b, r in zip(ranked, rows, strict=True)] == [True] * 10
    english = ipeco(home, "analyze", "--region", "kobe", "--lang", "en").stdout
    assert english.startswith("Kobe City: ") and "Betweenness" in english
    assert "神戸市" in result.stdout.split("\n", 1)[1] and "Kobe City" in english.split("\n", 1)[1]  # names in ja/en


def test_recommend_prints_one_table_per_kind(home: Path) -> None:
    data = json.loads(ipeco(home, "recommend", "伍魚福", "--top", "3", "--json").stdout)
    result = ipeco(home, "recommend", "伍魚福", "--top", "3")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith(f"{data['name']}（神戸市）への提案")
    assert data["partners"], "the seeded firm has partner suggestions"
    for partner in data["partners"]:
        line = next(line for line in out.splitlines() if line.split()[1:2] == [partner["name"]])
        assert number(partner["score"], "ja") in line and partner["reasons"]["ja"] in line
    for title in ("連携先", "支援機関", "プログラム"):
        assert f"\n{title}\n" in out
    english = ipeco(home, "recommend", "伍魚福", "--top", "3", "--lang", "en").stdout
    assert english.startswith(f"Suggestions for {data['name']} (Kobe City)") and "Reasons" in english


# --- formats from -o ---------------------------------------------------------------------------------
def test_export_infers_the_format_and_refuses_a_mismatch(home: Path, tmp_path: Path) -> None:
    ok = ipeco(home, "export", "--region", "kobe", "-o", "kobe.graphml", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "<graphml" in (tmp_path / "kobe.graphml").read_text(encoding="utf-8")[:500]
    assert ipeco(home, "export", "--region", "kobe", "-o", "kobe.gexf", cwd=tmp_path).returncode == 0
    assert "<gexf" in (tmp_path / "kobe.gexf").read_text(encoding="utf-8")[:500]
    assert ipeco(home, "export", "--region", "kobe", "-o", "csv-out", cwd=tmp_path).returncode == 0
    assert any(p.name.startswith("nodes") for p in (tmp_path / "csv-out").iterdir())
    before = sorted(p.name for p in tmp_path.iterdir())
    for args, words in (
        (("--format", "xlsx", "-o", "kobe.pdf"), "'kobe.pdf' ends in .pdf but --format is xlsx"),
        (("-o", "kobe.pdf"), "cannot tell the export format from 'kobe.pdf'"),
        (("--format", "csv", "-o", "kobe.csv"), "--format csv writes a folder of files"),
        (("--format", "graphml", "-o", "csv-out"), "'csv-out' is a folder but --format is graphml"),
    ):
        bad = ipeco(home, "export", "--region", "kobe", *args, cwd=tmp_path)
        assert bad.returncode == 1 and bad.stdout == "", args
        assert bad.stderr.startswith(f"error: {words}") and bad.stderr.count("\n") == 1, bad.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_report_writes_the_format_its_name_says(home: Path, tmp_path: Path) -> None:
    bad = ipeco(home, "report", "--region", "kobe", "--format", "xlsx", "-o", str(tmp_path / "kobe.pdf"))
    assert bad.returncode == 1 and "ends in .pdf but --format is xlsx" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "kobe.pdf").exists()
    other = ipeco(home, "report", "--region", "kobe", "--format", "pdf", "-o", str(tmp_path / "kobe.docx"))
    assert other.returncode == 1 and "ends in .docx but --format is pdf" in other.stderr
    assert not (tmp_path / "kobe.docx").exists()
    ok = ipeco(home, "report", "--region", "kobe", "-o", str(tmp_path / "kobe.xlsx"))
    assert ok.returncode == 0, ok.stderr
    with zipfile.ZipFile(tmp_path / "kobe.xlsx") as book:  # a workbook, not a PDF under an .xlsx name
        assert "xl/workbook.xml" in book.namelist()


# --- query errors in one language ----------------------------------------------------------------------
def test_query_errors_are_wholly_in_the_chosen_language(home: Path) -> None:
    ja = ipeco(home, "query", "MATCH (n) RETURN n LIMIT 1")
    assert ja.returncode == 1 and ja.stderr.startswith("error: Cypher クエリには Neo4j ストアが必要です")
    assert "Cypher queries need" not in ja.stderr
    en = ipeco(home, "query", "MATCH (n) RETURN n LIMIT 1", "--lang", "en")
    assert en.returncode == 1 and en.stderr.startswith("error: Cypher queries need the Neo4j store")
    bad = ipeco(home, "query", "MATCH (n) RETURN n", "--param", "no equals sign")
    assert bad.returncode == 1 and "パラメータは 名前=値 の形" in bad.stderr and "expects" not in bad.stderr


@pytest.mark.parametrize(
    "plan",
    [
        {"operatorType": "LoadCSV@neo4j"},
        {"operatorType": "AdministrationCommand@system"},
        {"operatorType": "ProduceResults@other"},
        {"operatorType": "TransactionApply@neo4j"},
        {"operatorType": "ProcedureCall@neo4j", "args": {"Details": "db.createLabel($label)"}},
        {"operatorType": "ShowSettings@neo4j"},
        None,
    ],
)
def test_every_plan_refusal_has_its_own_japanese(plan: dict[str, object] | None) -> None:
    with pytest.raises(QueryRefused) as caught:
        check_plan("w" if plan is None else "r", plan, "neo4j")
    ja = caught.value.text("ja")
    assert ja.startswith("拒否しました: ") and "refused" not in ja
    # the Japanese sentence is a translation, not the English one behind a Japanese prefix
    assert not re.search(r"\b(the|is|are|not|allowed|query)\b", ja.replace("`", " ")), ja
