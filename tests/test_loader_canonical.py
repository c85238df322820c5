"""The canonical template loader: CSV pairs and XLSX workbooks, every bad input, both stores.

Fixtures under ``tests/fixtures/canonical/`` are hand-written CSV files, one folder per case. The
cases that cannot be kept readable in the repository (a Shift-JIS file, a BOM, a 20 MB cell, a
workbook) are built in ``tmp_path`` by the test that needs them.
"""

from __future__ import annotations

import csv
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from graph.batch import BatchError
from graph.store import Store
from loaders.base import LoadContext, LoaderError, LoadOptions, LoadResult
from loaders.canonical import NODE_COLUMNS, REL_COLUMNS, read_canonical, write_template
from tests.conftest import FIXTURES

CASES = FIXTURES / "canonical"


def load(*paths: Path, context: LoadContext | None = None) -> LoadResult:
    return read_canonical(list(paths), LoadOptions(), context or LoadContext())


def errors_of(*paths: Path) -> list[str]:
    with pytest.raises(LoaderError) as info:
        load(*paths)
    return [str(v) for v in info.value.violations]


def only(messages: list[str], *needles: str) -> str:
    """The one message containing every needle (fails with all messages shown otherwise)."""
    found = [m for m in messages if all(n in m for n in needles)]
    assert len(found) == 1, f"expected one message with {needles}, got:\n" + "\n".join(messages)
    return found[0]


# --- good input -------------------------------------------------------------------------------------


class TestGoodCsv:
    def test_nodes_and_relationships_with_schema_types(self) -> None:
        result = load(CASES / "good")
        batch = result.batch
        assert batch.source == "canonical"
        nodes = {n.id: n for n in batch.nodes}
        firm = nodes["org:test-firm"]
        assert firm.labels == ("Organization", "Company")
        assert firm.props["name"] == "株式会社テスト食品, 青森"  # quoted comma kept
        assert firm.props["tech_fields"] == ["A23L", "A01K"]  # ';' list, items trimmed
        assert firm.props["startup"] is True and firm.props["employees"] == 35
        assert firm.props["founded"] == "2019-04-01"
        assert firm.props["prefecture_code"] == "02"  # '2' padded back to its JIS width
        assert firm.props["remarks"] == 'a note with "quotes"'  # unknown column kept as text
        assert nodes["region:aomori"].props["model_region_fy"] == 2024  # typed by the Region spec
        assert nodes["region:aomori"].props["jis_code"] == "02"
        assert nodes["prog:ip_window"].props["phases"] == ["ideation", "launch", "expansion"]
        assert nodes["tech:A23L"].labels == ("TechField",)
        assert result.warnings == ["column 'remarks' is not in the schema; kept as a text property"]

    def test_region_cell_becomes_located_in_with_row_provenance(self) -> None:
        rels = load(CASES / "good").batch.relationships
        located = {r.source: r for r in rels if r.type == "LOCATED_IN"}
        assert set(located) == {"org:test-window", "org:test-firm", "org:test-bank"}
        assert located["org:test-window"].target == "region:aomori"
        assert located["org:test-window"].props == {"confidence": "likely"}
        assert located["org:test-bank"].props == {"synthetic": True}

    def test_negative_and_thousands_separated_numbers_are_numbers(self) -> None:
        finances = [r for r in load(CASES / "good").batch.relationships if r.type == "FINANCES"]
        amounts = {r.props["kind"]: r.props["amount"] for r in finances}
        assert amounts == {"subsidy": -500000.0, "loan": 12000000.0}

    def test_explicit_file_paths_equal_the_folder(self) -> None:
        folder = load(CASES / "good").batch
        files = load(CASES / "good" / "nodes.csv", CASES / "good" / "relationships.csv").batch
        assert [(n.id, n.props) for n in folder.nodes] == [(n.id, n.props) for n in files.nodes]

    def test_bom_is_accepted_and_stripped(self, tmp_path: Path) -> None:
        for name in ("nodes.csv", "relationships.csv"):
            data = (CASES / "good" / name).read_bytes()
            (tmp_path / name).write_bytes(b"\xef\xbb\xbf" + data)
        batch = load(tmp_path).batch
        assert "org:test-firm" in {n.id for n in batch.nodes}

    def test_source_column_names_the_dataset(self, tmp_path: Path) -> None:
        (tmp_path / "nodes.csv").write_text("id,label,name,source\norg:a,Company,エー,my-survey\n", encoding="utf-8")
        batch = load(tmp_path).batch
        assert batch.source == "my-survey" and batch.nodes[0].props["source"] == "my-survey"

    def test_cp932_file_loads_when_the_encoding_is_given(self, tmp_path: Path) -> None:
        (tmp_path / "nodes.csv").write_bytes("id,label,name\norg:a,Company,株式会社エー\n".encode("cp932"))
        result = read_canonical([tmp_path], LoadOptions(encoding="cp932"), LoadContext())
        assert result.batch.nodes[0].props["name"] == "株式会社エー"


# --- bad input: each names file, line and field --------------------------------------------------------


class TestBadCsv:
    def test_excel_shift_jis_is_detected(self, tmp_path: Path) -> None:
        """Excel in Japan saves "CSV (comma delimited)" as cp932 with CRLF line ends."""
        text = "id,label,name,region\r\norg:a,Company,株式会社エー①,aomori\r\n"
        (tmp_path / "nodes.csv").write_bytes(text.encode("cp932"))
        result = read_canonical([tmp_path], LoadOptions(), LoadContext())
        assert result.report["encodings"] == {str(tmp_path / "nodes.csv"): "cp932"}
        assert result.batch.nodes[0].props["name"] == "株式会社エー①"

    def test_neither_encoding_is_refused(self, tmp_path: Path) -> None:
        (tmp_path / "nodes.csv").write_bytes(b"id,label,name\norg:a,Company,G\xe9n\x81\xff\n")
        message = only(errors_of(tmp_path), "nodes.csv line", "'encoding'")
        assert "neither UTF-8 nor Shift-JIS (cp932)" in message

    def test_missing_or_renamed_columns_name_the_column(self) -> None:
        messages = errors_of(CASES / "bad_columns")
        assert "renamed to 'labels'" in only(messages, "nodes.csv line 1", "field 'label'", "missing")
        assert "renamed to 'tagret'" in only(messages, "relationships.csv line 1", "field 'target'")

    def test_extra_trailing_field(self) -> None:
        message = only(errors_of(CASES / "bad_trailing"), "nodes.csv line 2", "column 5")
        assert "extra trailing field" in message and "'extra'" in message

    def test_bad_check_digit(self) -> None:
        messages = errors_of(CASES / "bad_check_digit")
        assert "check digit" in only(messages, "line 2", "'corporate_number'", "4010801014351")
        only(messages, "line 3", "'corporate_number'", "12345")

    def test_duplicate_ids_with_conflicting_values(self) -> None:
        messages = errors_of(CASES / "bad_duplicate")
        assert len(messages) == 2  # the identical repeat on line 4 is merged, not reported
        assert "first at" in only(messages, "line 5", "'name'", "duplicate id 'org:a'")
        only(messages, "line 6", "'region'", "duplicate id 'org:b'")

    def test_relationship_to_unknown_id(self) -> None:
        message = only(errors_of(CASES / "bad_unknown_id"), "relationships.csv line 2", "'target'")
        assert "'org:nobody'" in message

    def test_relationship_to_organisation_in_the_store_is_fine(self) -> None:
        context = LoadContext(organisations={"org:nobody": {"labels": ["Organization", "Company"]}})
        assert len(load(CASES / "bad_unknown_id", context=context).batch.relationships) == 1

    def test_unknown_label_and_type(self) -> None:
        messages = errors_of(CASES / "bad_label_type")
        assert "unknown label 'Startup'" in only(messages, "nodes.csv line 2", "'label'")
        assert "needs its role" in only(messages, "nodes.csv line 4", "'label'")
        assert "unknown relationship type 'FUNDS'" in only(messages, "relationships.csv line 2", "'type'")

    def test_phase_not_among_the_three(self) -> None:
        messages = errors_of(CASES / "bad_phase")
        assert "'growth'" in only(messages, "nodes.csv line 2", "'phases'")
        assert "'scale-up' is not one of ideation, launch, expansion" in only(messages, "relationships.csv line 2")

    def test_date_that_is_not_a_date(self) -> None:
        messages = errors_of(CASES / "bad_date")
        for line, value in ((2, "2024-13-01"), (3, "April 2020"), (4, "2020/04/01")):
            assert "YYYY-MM-DD" in only(messages, f"line {line}", "'founded'", value)

    def test_empty_file(self) -> None:
        only(errors_of(CASES / "empty"), "empty/nodes.csv", "'file'", "empty")

    def test_headers_without_rows(self) -> None:
        only(errors_of(CASES / "header_only"), "no rows")

    def test_formula_cells_are_refused_but_negative_numbers_in_text_are_not(self) -> None:
        messages = errors_of(CASES / "bad_formula")
        assert "=HYPERLINK" in only(messages, "line 2", "'name'")
        only(messages, "line 3", "'name_en'", "+cmd")
        only(messages, "line 4", "'name_en'", "-cmd")
        only(messages, "line 5", "'name_en'", "@SUM")
        only(messages, "line 5", "'tech_fields'", "=1+1")
        assert not [m for m in messages if "line 6" in m]  # '-5 degrees' is text, not a formula

    def test_twenty_megabyte_field(self, tmp_path: Path) -> None:
        big = "x" * (20 * 1024 * 1024)
        (tmp_path / "nodes.csv").write_text(f"id,label,name\norg:a,Company,{big}\norg:b,Compny,B\n", encoding="utf-8")
        messages = errors_of(tmp_path)
        assert "20,971,520 characters" in only(messages, "line 2", "'name'")
        only(messages, "line 3", "'label'")  # reading went on after the huge cell
        assert all(len(m) < 1000 for m in messages)  # the cell is not echoed back

    def test_every_problem_is_reported_in_file_order(self) -> None:
        messages = errors_of(CASES / "many_errors")
        fields = [m.split("field ")[1].split(":")[0] for m in messages]
        assert fields == ["'corporate_number'", "'label'", "'employees'", "'startup'", "'founded'", "'name'"]
        assert [int(m.split(" line ")[1].split(":")[0]) for m in messages] == [2, 3, 4, 4, 4, 4]

    def test_folder_without_template_files(self, tmp_path: Path) -> None:
        only(errors_of(tmp_path), "no nodes.csv")

    def test_unclassifiable_csv(self, tmp_path: Path) -> None:
        path = tmp_path / "data.csv"
        path.write_text("a,b\n1,2\n", encoding="utf-8")
        only(errors_of(path), "data.csv line 1", "nodes.csv or relationships.csv")


# --- XLSX --------------------------------------------------------------------------------------------


def workbook(path: Path, nodes: list[list[object]], rels: list[list[object]] | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "nodes"
    for row in nodes:
        sheet.append(row)
    if rels is not None:
        rel_sheet = book.create_sheet("relationships")
        for row in rels:
            rel_sheet.append(row)
    book.save(path)
    return path


class TestXlsx:
    def test_cells_typed_by_excel_are_coerced_by_the_schema(self, tmp_path: Path) -> None:
        path = workbook(
            tmp_path / "mine.xlsx",
            [
                ["id", "label", "name", "region", "prefecture_code", "employees", "founded", "startup", "tech_fields"],
                ["org:a", "Company", "株式会社エー", "aomori", 2, 12.0, datetime(2020, 4, 1), True, "A23L; A01K"],
                ["org:w", "SupportOrganization", "窓口", "aomori", "02", None, None, None, None],
            ],
            [
                ["source", "type", "target", "programme", "phase", "fiscal_year", "kind", "amount"],
                ["org:w", "SUPPORTS", "org:a", "prog:ip_window", "launch", 2024.0, None, None],
                ["org:w", "FINANCES", "org:a", None, None, 2024, "subsidy", -250000],
            ],
        )
        batch = load(path).batch
        firm = next(n for n in batch.nodes if n.id == "org:a")
        assert firm.props["prefecture_code"] == "02" and firm.props["employees"] == 12
        assert firm.props["founded"] == "2020-04-01" and firm.props["startup"] is True
        assert firm.props["tech_fields"] == ["A23L", "A01K"]
        supports = next(r for r in batch.relationships if r.type == "SUPPORTS")
        assert supports.props == {"programme": "prog:ip_window", "phase": "launch", "fiscal_year": 2024}
        assert next(r for r in batch.relationships if r.type == "FINANCES").props["amount"] == -250000.0

    def test_errors_name_sheet_and_row(self, tmp_path: Path) -> None:
        path = workbook(
            tmp_path / "bad.xlsx",
            [
                ["id", "label", "name", "founded"],
                ["org:a", "Company", '=HYPERLINK("http://evil.example/","x")', None],
                ["org:b", "Company", "株式会社ビー", "not a date"],
                ["org:c", "Company", "株式会社シー", None, "extra"],
            ],
            [["source", "type", "target"], ["org:a", "KNOWS", "org:b"]],
        )
        messages = errors_of(path)
        only(messages, "bad.xlsx [sheet nodes] row 2", "'name'", "=HYPERLINK")
        only(messages, "[sheet nodes] row 3", "'founded'", "YYYY-MM-DD")
        only(messages, "[sheet nodes] row 4", "extra trailing field")
        only(messages, "[sheet relationships] row 2", "'type'", "KNOWS")

    def test_missing_nodes_sheet_and_missing_column(self, tmp_path: Path) -> None:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "Sheet1"
        book.save(tmp_path / "nosheet.xlsx")
        assert "no sheet named 'nodes'" in only(errors_of(tmp_path / "nosheet.xlsx"), "nosheet.xlsx")
        path = workbook(tmp_path / "nocol.xlsx", [["id", "Label", "name"], ["org:a", "Company", "A"]])
        assert "renamed to 'Label'" in only(errors_of(path), "[sheet nodes] row 1", "'label'")

    def test_not_a_workbook(self, tmp_path: Path) -> None:
        path = tmp_path / "fake.xlsx"
        path.write_text("id,label,name\n", encoding="utf-8")
        only(errors_of(path), "fake.xlsx", "not a readable .xlsx")

    def test_workbook_and_csv_give_the_same_batch(self, tmp_path: Path) -> None:
        csv_batch = load(CASES / "good").batch
        rows = {}
        for kind in ("nodes", "relationships"):
            text = (CASES / "good" / f"{kind}.csv").read_text(encoding="utf-8")
            rows[kind] = list(csv.reader(text.splitlines()))
        xlsx_batch = load(workbook(tmp_path / "good.xlsx", rows["nodes"], rows["relationships"])).batch
        assert [(n.id, n.labels, n.props) for n in xlsx_batch.nodes] == [
            (n.id, n.labels, n.props) for n in csv_batch.nodes
        ]
        assert [(r.type, r.source, r.target, r.props) for r in xlsx_batch.relationships] == [
            (r.type, r.source, r.target, r.props) for r in csv_batch.relationships
        ]


# --- template ----------------------------------------------------------------------------------------


class TestTemplate:
    def test_csv_template_has_headers_and_bilingual_readme(self, tmp_path: Path) -> None:
        written = write_template(tmp_path / "tpl", xlsx=False)
        assert [p.name for p in written] == ["nodes.csv", "relationships.csv", "README.txt"]
        assert (tmp_path / "tpl" / "nodes.csv").read_text(encoding="utf-8-sig").strip() == ",".join(NODE_COLUMNS)
        readme = (tmp_path / "tpl" / "README.txt").read_text(encoding="utf-8")
        assert "必須列" in readme and "Required columns" in readme
        only(errors_of(tmp_path / "tpl"), "no rows")  # an untouched template is not a silent no-op

    def test_filled_csv_template_loads(self, tmp_path: Path) -> None:
        write_template(tmp_path, xlsx=False)
        with (tmp_path / "nodes.csv").open("a", encoding="utf-8") as handle:
            handle.write("org:a,Company,株式会社エー" + "," * (len(NODE_COLUMNS) - 3) + "\n")
        assert [n.id for n in load(tmp_path).batch.nodes] == ["org:a"]

    def test_xlsx_template(self, tmp_path: Path) -> None:
        (path,) = write_template(tmp_path, xlsx=True)
        book = load_workbook(path, read_only=True)
        assert book.sheetnames == ["nodes", "relationships", "instructions"]
        assert [c.value for c in next(book["nodes"].iter_rows(max_row=1))] == list(NODE_COLUMNS)
        assert [c.value for c in next(book["relationships"].iter_rows(max_row=1))] == list(REL_COLUMNS)
        book.close()


def new_region_template(folder: Path, region_cell: str, region_row_id: str) -> Path:
    """A filled CSV template with a new Region row and an organisation placed in it (issue 13)."""
    write_template(folder, xlsx=False)
    width = len(NODE_COLUMNS)

    def row(**cells: str) -> str:
        return ",".join(cells.get(column, "") for column in NODE_COLUMNS) + "\n"

    assert width == len(row().split(","))
    with (folder / "nodes.csv").open("a", encoding="utf-8") as handle:
        handle.write(row(id=region_row_id, label="Region", name="テスト地域", level="city"))
        handle.write(row(id="org:zz-firm", label="Company", name="株式会社ゼットゼット", region=region_cell))
    with (folder / "relationships.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"org:zz-firm,SERVES,{region_cell}" + "," * (len(REL_COLUMNS) - 3) + "\n")
    return folder


class TestNewRegion:
    @pytest.mark.parametrize(
        ("cell", "row_id"),
        [("zz_test", "zz_test"), ("zz_test", "region:zz_test"), ("region:zz_test", "zz_test")],
    )
    def test_region_id_as_written_or_prefixed(self, tmp_path: Path, cell: str, row_id: str) -> None:
        batch = load(new_region_template(tmp_path, cell, row_id)).batch
        assert {n.id for n in batch.nodes} == {"region:zz_test", "org:zz-firm"}
        ties = {(r.type, r.source, r.target) for r in batch.relationships}
        assert ties == {("LOCATED_IN", "org:zz-firm", "region:zz_test"), ("SERVES", "org:zz-firm", "region:zz_test")}

    def test_instructions_say_so(self, tmp_path: Path) -> None:
        write_template(tmp_path, xlsx=False)
        readme = (tmp_path / "README.txt").read_text(encoding="utf-8")
        assert "zz_test でも region:zz_test でも同じ地域" in readme and "zz_test or region:zz_test" in readme


# --- both stores -------------------------------------------------------------------------------------


def test_new_region_in_the_template_loads_twice_alike(store: Store, tmp_path: Path) -> None:
    from graph.views import known_regions

    folder = new_region_template(tmp_path, "zz_test", "zz_test")
    first = store.write_batch(load(folder, context=LoadContext.from_graph(store.read_graph())).batch)
    assert (first.nodes_created, first.relationships_created) == (2, 2)
    assert "zz_test" in known_regions(store.read_graph())
    assert store.counts("zz_test")["total_nodes"] >= 2
    again = store.write_batch(load(folder, context=LoadContext.from_graph(store.read_graph())).batch)
    assert (again.nodes_created, again.nodes_updated, again.relationships_created) == (0, 0, 0)


def test_good_load_twice_changes_nothing(store: Store) -> None:
    batch = load(CASES / "good").batch
    first = store.write_batch(batch)
    assert (first.nodes_created, first.relationships_created) == (6, 9)
    counts = store.counts()
    second = store.write_batch(load(CASES / "good").batch)
    assert (second.nodes_created, second.nodes_updated, second.nodes_unchanged) == (0, 0, 6)
    assert (second.relationships_created, second.relationships_updated, second.relationships_unchanged) == (0, 0, 9)
    assert store.counts() == counts
    graph = store.read_graph()
    assert graph.nodes["org:test-firm"]["source"] == "canonical"
    assert graph.nodes["org:test-firm"]["tech_fields"] == ["A23L", "A01K"]


@pytest.mark.parametrize(
    "case", ["bad_columns", "bad_trailing", "bad_check_digit", "bad_duplicate", "bad_formula", "many_errors"]
)
def test_bad_file_writes_nothing(store: Store, case: str, tmp_path: Path) -> None:
    store.write_batch(load(CASES / "good").batch)
    before = store.counts()
    # The bad rows sit next to good ones: a partial load would add org:a / org:b.
    shutil.copytree(CASES / case, tmp_path / case)
    with pytest.raises(LoaderError):
        load(tmp_path / case, context=LoadContext.from_graph(store.read_graph()))
    assert store.counts() == before


def test_tie_to_a_region_missing_from_the_store_writes_nothing(store: Store) -> None:
    store.write_batch(load(CASES / "good").batch)
    before = store.counts()
    # Without store context the loader cannot know region:atlantis is missing; the store refuses it whole.
    batch = load(CASES / "unknown_region").batch
    with pytest.raises(BatchError, match="region:atlantis"):
        store.write_batch(batch)
    assert store.counts() == before
    # With the store's context the loader itself names the line.
    with pytest.raises(LoaderError, match=r"unknown_region/nodes.csv line 2: field 'target'"):
        load(CASES / "unknown_region", context=LoadContext.from_graph(store.read_graph()))


def test_a_nested_folder_is_read_as_a_part_of_its_own(tmp_path: Path) -> None:
    """``kobe/ip/`` beside ``kobe/nodes.csv``: both pairs are read, and a tie may cross them."""
    top = tmp_path / "seed" / "kobe"
    (top / "ip").mkdir(parents=True)
    header = "id,label,name,region,level\n"
    (top / "nodes.csv").write_text(header + "org:a,Company,A社,,\n", encoding="utf-8")
    (top / "ip" / "nodes.csv").write_text(header + "org:b,Company,B社,,\n", encoding="utf-8")
    (top / "ip" / "relationships.csv").write_text(
        "source,type,target,kind\norg:a,COLLABORATES_WITH,org:b,licence\n", encoding="utf-8"
    )
    batch = read_canonical([tmp_path / "seed"], LoadOptions(), LoadContext()).batch
    assert sorted(n.id for n in batch.nodes) == ["org:a", "org:b"]
    assert [(r.source, r.type, r.target) for r in batch.relationships] == [("org:a", "COLLABORATES_WITH", "org:b")]


def test_relationships_without_nodes_in_a_nested_folder_is_refused(tmp_path: Path) -> None:
    top = tmp_path / "seed" / "kobe"
    (top / "ip").mkdir(parents=True)
    (top / "nodes.csv").write_text("id,label,name\norg:a,Company,A社\n", encoding="utf-8")
    (top / "ip" / "relationships.csv").write_text("source,type,target,kind\norg:a,PART_OF,org:a,\n", encoding="utf-8")
    with pytest.raises(LoaderError, match=r"has relationships\.csv but no nodes\.csv"):
        read_canonical([tmp_path / "seed"], LoadOptions(), LoadContext())
