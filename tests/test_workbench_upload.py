"""The workbench's upload and edits against both stores: bad input refused by line and field, nothing written.

Also the roles (``IPECO_ROLES``) and the problem kinds the pages put in words.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from graph.batch import Origin, Violation
from graph.change_logs import change_log
from graph.changes import ChangeConflict, RecordRef
from graph.records import problem_code
from graph.store import Store
from loaders.region_template import write_region_template
from loaders.sheet_rules import url_problem
from tests.conftest import tiny_batch
from webapp.auth import AuthConfigError, Grant, parse_auth, parse_roles
from webapp.workbench_ops import (
    StalePreview,
    UploadFile,
    check_upload,
    commit_upload,
    correct_field,
    decode_uploads,
)

HEADER = "id,label,name,region,evidence,founded\n"
GOOD = HEADER + "org:n1,Company,新規株式会社,aomori,https://example.org/n1,2001-04-01\n"


@pytest.fixture
def store(store: Store) -> Iterator[Store]:
    """Each store in turn, holding the tiny graph, with an empty history (left empty for the next test file)."""
    change_log(store).forget_all()
    store.write_batch(tiny_batch())
    yield store
    change_log(store).forget_all()


def _csv(text: str, name: str = "nodes.csv", encoding: str = "utf-8") -> list[UploadFile]:
    return [UploadFile(name, text.encode(encoding))]


def _problems(store: Store, files: list[UploadFile]) -> list[tuple[int | None, str, str]]:
    check = check_upload(store, files, author="alice")
    assert check.draft is None
    return [(v.origin.line if v.origin else None, v.field, problem_code(v)) for v in check.violations]


def test_a_good_sheet_is_previewed_then_committed_in_one_change_set(store: Store) -> None:
    check = check_upload(store, _csv(GOOD), author="alice")
    assert check.violations == () and check.draft is not None
    assert check.draft.counts() == {"added": 2, "changed": 0, "removed": 0, "unchanged": 0}
    assert "org:n1" not in store.read_graph()  # a preview writes nothing
    _, written = commit_upload(store, _csv(GOOD), author="alice", version=check.version)
    assert written is not None and written.summary == "nodes.csv" and written.author == "alice"
    assert store.read_graph().nodes["org:n1"]["evidence"] == "https://example.org/n1"
    again, nothing = commit_upload(store, _csv(GOOD), author="alice", version=store.data_version())
    assert nothing is None and again.draft is not None and again.draft.counts()["unchanged"] == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (HEADER + "org:n1,Company,名,aomori,javascript:alert(1),\n", [(2, "evidence", "url")]),
        (HEADER + "org:n1,Company,名,aomori,ftp://example.org/x,\n", [(2, "evidence", "url")]),
        (HEADER + "org:n1,Company,名,aomori,,2999-01-01\n", [(2, "founded", "future")]),
        (HEADER + "org:n1,Company,=HYPERLINK(1),aomori,,\n", [(2, "name", "formula")]),
        (HEADER + "org:n1,Company,,aomori,,\n", [(2, "name", "required")]),
        ("source,type,target\norg:a,SUPPORTS,org:nobody\n", [(2, "target", "unknown_end")]),
        ("a,b\n1,2\n", [(1, "file", "not_template")]),
    ],
)
def test_bad_input_is_reported_by_line_and_field_and_nothing_is_written(
    store: Store, text: str, expected: list[tuple[int, str, str]]
) -> None:
    version = store.data_version()
    name = "relationships.csv" if text.startswith("source") else "upload.csv" if text.startswith("a,b") else "nodes.csv"
    assert _problems(store, _csv(text, name)) == expected
    assert store.data_version() == version and change_log(store).history() == []


def test_every_problem_of_a_sheet_is_reported_at_once(store: Store) -> None:
    text = (
        HEADER
        + "org:n1,Company,名,aomori,javascript:x,\norg:n2,Company,,aomori,,\norg:n3,Company,名,aomori,,2999-01-01\n"
    )
    assert sorted(_problems(store, _csv(text))) == [
        (2, "evidence", "url"),
        (3, "name", "required"),
        (4, "founded", "future"),
    ]


def test_a_wrong_encoding_and_a_file_that_is_not_a_template(store: Store) -> None:
    assert [p[1:] for p in _problems(store, _csv(GOOD, encoding="utf-16"))] == [("encoding", "encoding")]
    files, bad = decode_uploads(["data:text/plain;base64,aGVsbG8="], ["notes.txt"])
    assert files == [] and [(v.field, problem_code(v)) for v in bad] == [("file", "not_template")]


def test_a_formula_cell_in_a_workbook_names_its_sheet_and_row(store: Store) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "nodes"
    sheet.append(["id", "label", "name", "region", "evidence"])
    sheet.append(["org:n1", "Company", "=1+1", "aomori", "https://example.org/"])
    sheet.append(["org:n2", "Company", "名", "aomori", "file:///etc/passwd"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    check = check_upload(store, [UploadFile("sheet.xlsx", buffer.getvalue())], author="alice")
    found = sorted((v.origin.sheet, v.origin.line, v.field, problem_code(v)) for v in check.violations if v.origin)
    assert found == [("nodes", 2, "name", "formula"), ("nodes", 3, "evidence", "url")]


def test_a_commit_after_someone_else_wrote_is_refused(store: Store) -> None:
    check = check_upload(store, _csv(GOOD), author="alice")
    ref = RecordRef("node", "org:a")
    opened = change_log(store).read([ref])[ref]
    correct_field(store, ref, opened, "employees", 12, author="bob")
    with pytest.raises(StalePreview):
        commit_upload(store, _csv(GOOD), author="alice", version=check.version)
    assert "org:n1" not in store.read_graph()


def test_two_editors_editing_the_same_record_the_second_is_told_and_nothing_is_lost(store: Store) -> None:
    ref = RecordRef("node", "org:a")
    opened = change_log(store).read([ref])[ref]
    correct_field(store, ref, opened, "employees", 12, author="alice")
    with pytest.raises(ChangeConflict, match="changed since you opened it"):
        correct_field(store, ref, opened, "employees", 99, author="bob")
    assert store.read_graph().nodes["org:a"]["employees"] == 12


def test_a_corrected_field_is_validated_by_the_schema(store: Store) -> None:
    ref = RecordRef("node", "org:a")
    opened = change_log(store).read([ref])[ref]
    with pytest.raises(Exception, match="employees"):
        correct_field(store, ref, opened, "employees", "many", author="alice")
    assert change_log(store).history() == []


def test_an_editor_of_one_region_cannot_upload_into_another(store: Store) -> None:
    text = HEADER + "org:n1,Company,名,kobe,,\n"
    check = check_upload(store, _csv(text), author="alice", regions=frozenset({"aomori"}))
    assert [(v.field, problem_code(v)) for v in check.violations] == [("region", "region")]


def test_roles() -> None:
    users = parse_auth("alice:a,bob:b,carol:c")
    grants = parse_roles("alice:editor:aomori|kobe,carol:admin", users)
    assert grants["alice"].can_write("region:kobe") and not grants["alice"].can_write("ishikawa")
    assert grants["carol"].can_write("ishikawa") and "bob" not in grants
    assert not Grant("bob").writes and Grant("x", "editor").can_write("anywhere")
    for bad in ("alice:owner", "dave:editor"):
        with pytest.raises(AuthConfigError, match="IPECO_ROLES entry 1"):
            parse_roles(bad, users)


@given(st.text(max_size=40))
def test_a_url_is_refused_only_for_a_scheme_that_is_not_the_web(value: str) -> None:
    low = value.strip().lower()
    refused = url_problem(value) is not None
    if low.startswith(("http://", "https://")) or (":" not in low):
        assert not refused
    if low.startswith(("javascript:", "data:", "file:", "vbscript:")):
        assert refused


def test_problem_codes_cover_the_kinds() -> None:
    assert problem_code(Violation(Origin("f"), "encoding", "x")) == "encoding"
    assert problem_code(Violation(Origin("f"), "x", "something odd")) == "other"


def test_the_region_as_a_filled_template_uploads_again_unchanged(store: Store, tmp_path: Path) -> None:
    path = write_region_template(store.read_graph("aomori"), tmp_path / "aomori.xlsx")
    check = check_upload(store, [UploadFile(path.name, path.read_bytes())], author="alice")
    assert check.violations == () and check.draft is not None
    counts = check.draft.counts()
    assert counts["added"] == counts["changed"] == 0 and counts["unchanged"] >= 8
