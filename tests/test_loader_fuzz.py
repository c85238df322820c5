"""Junk in, a clean error or a valid batch out: never an exception (issue 16, item 3).

Two parts. First one fixture per class of the 184 fuzzed files that escaped the error contract,
each asserting the error names the file, the line (or sheet) and the field. Then a property-based
test (Hypothesis) that mutates the real-shaped fixtures of the canonical and 法人番号 loaders, byte by
byte and field by field, and asserts that every outcome is either a :class:`LoaderError` whose
violations all say where, or a batch that validation accepts. It is bounded: a fixed number of
examples, a per-example deadline, and derandomised so that ``make test`` runs the same cases.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from graph.batch import Batch, BatchError, NodeRecord, Origin, validate_batch
from graph.store import Store
from loaders.base import LoadContext, LoaderError, LoadOptions, LoadResult
from loaders.canonical import read_canonical
from loaders.houjin import read_houjin
from tests.conftest import FIXTURES

GOOD = FIXTURES / "canonical" / "good"
AOMORI = FIXTURES / "houjin" / "02_aomori_all_20251031.csv"
AOMORI_ZIP = FIXTURES / "houjin" / "02_aomori_all_20251031.zip"


def canonical_errors(*paths: Path, **options: object) -> list[str]:
    with pytest.raises(LoaderError) as caught:
        read_canonical(list(paths), LoadOptions(**options), LoadContext())  # type: ignore[arg-type]
    return [str(v) for v in caught.value.violations]


def houjin_errors(path: Path, **options: object) -> list[str]:
    with pytest.raises(LoaderError) as caught:
        read_houjin([path], LoadOptions(**options), LoadContext())  # type: ignore[arg-type]
    return [str(v) for v in caught.value.violations]


def nodes_csv(tmp_path: Path, **cells: str) -> Path:
    """The good fixture folder with one organisation row whose cells are replaced."""
    folder = tmp_path / "case"
    shutil.copytree(GOOD, folder)
    header = (folder / "nodes.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    row = dict.fromkeys(header, "")
    row.update(id="org:fuzz", label="Company", name="株式会社ファズ", region="aomori", **cells)
    with (folder / "nodes.csv").open("a", encoding="utf-8") as handle:
        handle.write(",".join(row[h] for h in header) + "\n")
    return folder


def workbook(path: Path, nodes: list[list[object]], rels: list[list[object]] | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "nodes"
    for row in nodes:
        sheet.append(row)
    if rels is not None:
        other = book.create_sheet("relationships")
        for row in rels:
            other.append(row)
    book.save(path)
    return path


def rewrite_member(source: Path, target: Path, member: str, change: object) -> Path:
    """Copy a zip (an .xlsx is one), replacing one member's bytes by ``change(old_bytes)``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info, change(data) if info.filename == member else data)  # type: ignore[operator]
    return target


class TestEscapedClasses:
    """One fixture per class of issue 16, item 3; each error names file, line (or sheet) and field."""

    def test_1_an_integer_of_4301_digits(self, tmp_path: Path) -> None:
        (error,) = canonical_errors(nodes_csv(tmp_path, employees="9" * 4301))
        assert "nodes.csv line 8: field 'employees': an integer of 4,301 digits is out of range" in error

    def test_2_beyond_64_bits_is_refused_by_validation_as_by_both_stores(self, tmp_path: Path) -> None:
        (error,) = canonical_errors(nodes_csv(tmp_path, employees=str(2**63)))
        assert "nodes.csv line 8: field 'employees': an integer of 19 digits is out of range" in error
        assert read_canonical([nodes_csv(tmp_path / "ok", employees=str(2**63 - 1))], LoadOptions(), LoadContext())

    def test_3_an_unknown_encoding(self) -> None:
        for errors in (canonical_errors(GOOD, encoding="shift_jiss"), houjin_errors(AOMORI, encoding="latin-9x")):
            (error,) = errors
            assert error.startswith("(options): field 'encoding': unknown encoding")

    def test_4_malformed_sheet_xml(self, tmp_path: Path) -> None:
        good = workbook(tmp_path / "good.xlsx", [["id", "label", "name"], ["org:a", "Company", "株式会社エー"]])
        bad = rewrite_member(good, tmp_path / "bad.xlsx", "xl/worksheets/sheet1.xml", lambda b: b[: len(b) // 2])
        (error,) = canonical_errors(bad)
        assert "bad.xlsx: field 'file': is not a readable .xlsx workbook" in error

    def test_5_a_corrupt_deflate_stream(self, tmp_path: Path) -> None:
        good = workbook(tmp_path / "good.xlsx", [["id", "label", "name"], ["org:a", "Company", "株式会社エー" * 50]])
        raw = bytearray(good.read_bytes())
        with zipfile.ZipFile(good) as archive:
            info = archive.getinfo("xl/worksheets/sheet1.xml")
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        for offset in range(start + 5, start + 25):
            raw[offset] ^= 0xFF
        bad = tmp_path / "deflate.xlsx"
        bad.write_bytes(bytes(raw))
        (error,) = canonical_errors(bad)
        assert "deflate.xlsx: field 'file': is not a readable .xlsx workbook" in error

    def test_6_a_400_digit_number_in_a_float_column(self, tmp_path: Path) -> None:
        rels = [["source", "type", "target", "weight"], ["org:a", "REFERS_TO", "org:b", 12345]]
        nodes = [["id", "label", "name"], ["org:a", "Company", "エー"], ["org:b", "Company", "ビー"]]
        good = workbook(tmp_path / "good.xlsx", nodes, rels)  # openpyxl cannot write 10^400 itself
        big = rewrite_member(
            good,
            tmp_path / "w.xlsx",
            "xl/worksheets/sheet2.xml",
            lambda b: b.replace(b"<v>12345</v>", b"<v>1" + b"0" * 400 + b"</v>"),
        )
        errors = canonical_errors(big)
        assert any(
            "[sheet relationships] row 2: field 'weight': a number of about 401 digits is too large" in e
            for e in errors
        )
        folder = nodes_csv(tmp_path)
        with (folder / "relationships.csv").open("a", encoding="utf-8") as handle:
            handle.write("org:fuzz,REFERS_TO,org:test-window" + ",,,,," + "9" * 400 + ",,,,,,\n")
        assert any(
            "relationships.csv line 8: field 'weight': expected a finite number" in e for e in canonical_errors(folder)
        )

    @pytest.mark.parametrize("damage", ["not a zip", "bad crc", "unsupported version", "corrupt deflate", "truncated"])
    def test_7_a_damaged_houjin_zip(self, tmp_path: Path, damage: str) -> None:
        member = "02_aomori_all_20251031.csv"
        method = zipfile.ZIP_DEFLATED if damage == "corrupt deflate" else zipfile.ZIP_STORED
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", method) as archive:
            archive.writestr(member, AOMORI.read_bytes())
        raw = bytearray(buffer.getvalue())
        data_at = 30 + len(member)  # the one member's data follows its local header
        if damage == "not a zip":
            raw = bytearray(b"PK\x03\x04" + bytes(raw[4:60]))
        elif damage == "bad crc":
            at = raw.index("八戸水産加工".encode())
            raw[at + 1] ^= 0x01  # still valid UTF-8, no longer the stored CRC
        elif damage == "unsupported version":
            central = raw.rfind(b"PK\x01\x02")
            raw[central + 6 : central + 8] = (99).to_bytes(2, "little")  # version needed: 9.9
        elif damage == "corrupt deflate":
            for offset in range(data_at + 40, data_at + 60):
                raw[offset] ^= 0xFF
        else:
            raw = raw[: len(raw) // 2] + raw[-22:]
        path = tmp_path / "02_damaged_all_20251031.zip"
        path.write_bytes(bytes(raw))
        errors = houjin_errors(path)
        assert errors and all(str(path) in e and "field '" in e for e in errors), errors

    def test_8_a_code_with_a_unicode_digit(self, tmp_path: Path) -> None:
        rows = AOMORI.read_text(encoding="utf-8").splitlines(keepends=True)
        fields = rows[6].split(",")
        fields[14] = "1²3"
        path = tmp_path / "02_digits.csv"
        path.write_text("".join([*rows[:6], ",".join(fields), *rows[7:]]), encoding="utf-8")
        (error,) = houjin_errors(path)
        assert error == f"{path} line 7: field 'cityCode': expected 3 digits or empty, got '1²3'"
        (error,) = canonical_errors(nodes_csv(tmp_path, city_code="02２01"))
        assert "nodes.csv line 8: field 'city_code': expected 5 ASCII digits (a JIS code), got '02２01'" in error


def test_64_bit_range_is_the_same_in_dry_run_and_load(store: Store) -> None:
    """Validation draws the line both stores need: 2^63 is refused before any write, in both."""
    too_big = Batch(
        "fuzz", [NodeRecord("org:big", ("Organization", "Company"), {"name": "大", "extra": 2**63}, Origin("x.csv", 3))]
    )
    for dry_run in (True, False):
        with pytest.raises(BatchError, match=r"x.csv line 3: field 'extra': an integer of 19 digits is out of range"):
            store.write_batch(too_big, dry_run=dry_run)
    assert store.counts()["total_nodes"] == 0
    fits = Batch("fuzz", [NodeRecord("org:big", ("Organization", "Company"), {"name": "大", "extra": 2**63 - 1}, None)])
    store.write_batch(fits)
    assert store.read_graph().nodes["org:big"]["extra"] == 2**63 - 1


# --- property-based: the canonical and 法人番号 loaders on mutated real shapes ----------------------

#: Values that broke loaders before, mixed into field mutations.
NASTY = st.sampled_from(
    [
        "9" * 4301,
        str(2**63),
        str(-(2**63) - 1),
        "1" * 400,
        "1e400",
        "nan",
        "1²3",
        "０２",
        '=HYPERLINK("x")',
        "@SUM(1)",
        "",
        " ",
        '"',
        "\x00",
        "\ufeff",
        "2021-02-30",
        "99",
        "region:",
        "org:",
        "\u3000",
        "𠮷野家",
    ]
)
FIELD_VALUE = st.one_of(NASTY, st.text(max_size=30), st.integers().map(str))
#: The store the fuzzed loads see: the three model regions exist (seeded), nothing else.
KNOWN = {f"region:{key}": "Region" for key in ("aomori", "ishikawa", "kobe")}
REGIONS = LoadContext(known_nodes={node_id: {"labels": ["Region"]} for node_id in KNOWN})
FUZZ = settings(
    max_examples=120,
    deadline=timedelta(seconds=5),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@st.composite
def mutated_bytes(draw: st.DrawFn, source: bytes) -> bytes:
    """A few byte-level edits: overwrite, insert, delete or truncate."""
    data = bytearray(source)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete" and data:
            del data[at : at + draw(st.integers(1, 8))]
        else:
            data = data[:at]
    return bytes(data)


@st.composite
def mutated_csv(draw: st.DrawFn, source: Path) -> bytes:
    """The CSV with a few fields replaced by nasty or random values, or its bytes mutated."""
    text = source.read_text(encoding="utf-8-sig")
    if draw(st.booleans()):
        return draw(mutated_bytes(source.read_bytes()))
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        cells = lines[index].split(",")
        column = draw(st.integers(0, len(cells) - 1))
        value = draw(FIELD_VALUE).replace("\n", " ").replace("\r", " ")
        cells[column] = f'"{value.replace(chr(34), chr(34) * 2)}"' if draw(st.booleans()) else value.replace(",", " ")
        lines[index] = ",".join(cells)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp932"]))
    return ("\n".join(lines) + "\n").encode(encoding, errors="replace")


def assert_clean(outcome: LoadResult | LoaderError, known: dict[str, str] | None = None) -> None:
    """The contract: every violation says where and what, or the batch is valid."""
    if isinstance(outcome, LoaderError):
        assert outcome.violations
        for violation in outcome.violations:
            assert violation.origin is not None and violation.origin.file and violation.field and violation.message
        return
    assert validate_batch(outcome.batch, known or {}) == []


def run(loader: object, paths: list[Path], context: LoadContext) -> LoadResult | LoaderError:
    try:
        return loader(paths, LoadOptions(), context)  # type: ignore[operator]
    except LoaderError as exc:
        return exc


@FUZZ
@given(nodes=mutated_csv(GOOD / "nodes.csv"), rels=mutated_csv(GOOD / "relationships.csv"))
def test_canonical_csv_never_raises_anything_else(
    tmp_path_factory: pytest.TempPathFactory, nodes: bytes, rels: bytes
) -> None:
    folder = tmp_path_factory.mktemp("canonical")
    (folder / "nodes.csv").write_bytes(nodes)
    (folder / "relationships.csv").write_bytes(rels)
    assert_clean(run(read_canonical, [folder], REGIONS), KNOWN)


@FUZZ
@given(data=mutated_csv(AOMORI))
def test_houjin_csv_never_raises_anything_else(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("houjin") / "02_fuzz_all_20251031.csv"
    path.write_bytes(data)
    assert_clean(run(read_houjin, [path], LoadContext()), KNOWN)


@FUZZ
@given(data=mutated_bytes(AOMORI_ZIP.read_bytes()))
def test_houjin_zip_never_raises_anything_else(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("zip") / "02_fuzz_all_20251031.zip"
    path.write_bytes(data)
    assert_clean(
        run(read_houjin, [path], LoadContext()), {f"region:{k}": "Region" for k in ("aomori", "ishikawa", "kobe")}
    )


def _small_workbook() -> bytes:
    buffer = io.BytesIO()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "nodes"
    for row in (["id", "label", "name", "employees"], ["org:a", "Company", "株式会社エー", 12]):
        sheet.append(row)
    other = book.create_sheet("relationships")
    for row in (["source", "type", "target", "weight"], ["org:a", "REFERS_TO", "org:a", 1.5]):
        other.append(row)
    book.save(buffer)
    return buffer.getvalue()


@FUZZ
@given(data=mutated_bytes(_small_workbook()))
def test_canonical_xlsx_never_raises_anything_else(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("xlsx") / "fuzz.xlsx"
    path.write_bytes(data)
    assert_clean(run(read_canonical, [path], REGIONS), KNOWN)
