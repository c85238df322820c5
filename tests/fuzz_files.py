"""A seeded generator of damaged input files, and the one contract each must meet (issue 26, item 6).

Each fuzzed file belongs to a *class* of damage a careless user or a bad disk produces: byte flips,
truncation, shuffled columns, foreign encodings, BOMs, NUL bytes, huge and unicode numbers, values
too long to index, reserved or odd column names, XLSX damage (bytes, members, stray cells, far
rows) and zip damage (encryption, unsupported or corrupt compression, header damage). The same
seed gives the same files, so a failure found in the 5,000-file run (``bench/bench_fuzz.py``) is
replayed by its seed and index.

The contract (:func:`outcome`): the loader raises a :class:`~loaders.base.LoaderError` whose every
violation names a file and a field, or returns a batch that a store then writes (or refuses with a
:class:`~graph.errors.IpecoError`) and reads back. Anything else — another exception, a read that
dies, a file taking more than :data:`FILE_DEADLINE` seconds — is an *escape*.
"""

from __future__ import annotations

import csv
import io
import random
import re
import shutil
import signal
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import FrameType

from openpyxl import Workbook

from graph.batch import Batch, NodeRecord
from graph.embedded import EmbeddedStore
from graph.errors import IpecoError
from graph.schema import RESERVED_NAMES
from loaders.base import LoadContext, LoaderError, LoadOptions
from loaders.canonical import read_canonical
from loaders.houjin import read_houjin

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "canonical" / "good"
AOMORI = FIXTURES / "houjin" / "02_aomori_all_20251031.csv"
HOUJIN_NAME = "02_fuzz_all_20251031"

#: Seconds one file may take (load, write and read); a far stray cell once took 13 minutes.
FILE_DEADLINE = 30

REGIONS = ("aomori", "ishikawa", "kobe")
KNOWN = LoadContext(known_nodes={f"region:{key}": {"labels": ["Region"]} for key in REGIONS})

NASTY_NUMBERS = (
    "9" * 4301,
    str(2**63),
    str(-(2**63) - 1),
    "1" * 400,
    "1e400",
    "-1e400",
    "nan",
    "inf",
    "１２",
    "١٢٣",
    "1²3",
    "০১",
    "1_000",
    "0x1F",
    "1,234,567",
    "12.5.3",
    "+-3",
)


@dataclass(frozen=True)
class FuzzFile:
    """One fuzzed input: its class, the loader that reads it, and its files (name → bytes)."""

    cls: str
    loader: str
    files: dict[str, bytes]

    def write(self, folder: Path) -> list[Path]:
        """Write the files into ``folder``; return what the loader is given (the folder for a CSV pair)."""
        for name, data in self.files.items():
            (folder / name).write_bytes(data)
        if self.loader == "canonical" and all(name.endswith(".csv") for name in self.files):
            return [folder]
        return [folder / name for name in self.files]


# --- the real-shaped sources --------------------------------------------------------------------


def _canonical() -> dict[str, bytes]:
    return {name: (GOOD / name).read_bytes() for name in ("nodes.csv", "relationships.csv")}


def _workbook(extra: Callable[[object], None] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "nodes"
    for row in (
        ["id", "label", "name", "employees", "region"],
        ["org:a", "Company", "株式会社エー", 12, "aomori"],
        ["org:b", "University", "ビー大学", None, "kobe"],
    ):
        sheet.append(row)
    other = book.create_sheet("relationships")
    for row in (["source", "type", "target", "weight"], ["org:a", "COLLABORATES_WITH", "org:b", 1.5]):
        other.append(row)
    other["E1"] = "kind"
    other["E2"] = "joint_research"
    if extra is not None:
        extra(sheet)
    book.properties.created = book.properties.modified = datetime(2026, 1, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return _stable(buffer.getvalue())


#: The time openpyxl writes as the workbook's last change: it sets it to the moment of saving,
#: whatever the properties said, so two workbooks saved across a second's turn differed.
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _stable(data: bytes) -> bytes:
    """The zip with fixed member times and last-change time, so one seed gives the same bytes on every run."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            stable = zipfile.ZipInfo(info.filename, (2026, 1, 1, 0, 0, 0))
            stable.compress_type = zipfile.ZIP_DEFLATED
            content = old.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>2026-01-01T00:00:00Z\g<2>", content)
            new.writestr(stable, content)
    return buffer.getvalue()


def _zip(method: int, data: bytes | None = None) -> bytearray:
    buffer = io.BytesIO()
    member = zipfile.ZipInfo(f"{HOUJIN_NAME}.csv", (2026, 1, 1, 0, 0, 0))
    member.compress_type = method
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr(member, AOMORI.read_bytes() if data is None else data)
    return bytearray(buffer.getvalue())


# --- damage -------------------------------------------------------------------------------------


def _flip(rng: random.Random, data: bytes, most: int = 8) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, most)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _pick(rng: random.Random) -> tuple[dict[str, bytes], str]:
    files = _canonical()
    return files, rng.choice(sorted(files))


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8-sig").splitlines()


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _unrows(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _join(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding, errors="replace")


def csv_byte_flips(rng: random.Random) -> FuzzFile:
    files, name = _pick(rng)
    files[name] = _flip(rng, files[name])
    return FuzzFile("csv: byte flips", "canonical", files)


def csv_truncation(rng: random.Random) -> FuzzFile:
    files, name = _pick(rng)
    files[name] = files[name][: rng.randrange(len(files[name]) + 1)]
    return FuzzFile("csv: truncation", "canonical", files)


def csv_column_shuffle(rng: random.Random) -> FuzzFile:
    files, name = _pick(rng)
    rows = _rows(files[name])
    if rng.random() < 0.5:  # the whole table's columns, consistently: still valid
        order = list(range(len(rows[0])))
        rng.shuffle(order)
        rows = [[row[i] if i < len(row) else "" for i in order] for row in rows]
    else:  # one row's cells, or the header alone
        row = rows[rng.randrange(len(rows))]
        rng.shuffle(row)
    files[name] = _unrows(rows)
    return FuzzFile("csv: column shuffles", "canonical", files)


def csv_encodings(rng: random.Random) -> FuzzFile:
    files, name = _pick(rng)
    encoding = rng.choice(["cp932", "euc_jp", "utf-16", "utf-16-le", "latin-1", "iso2022_jp", "utf-32"])
    files[name] = files[name].decode("utf-8").encode(encoding, errors="replace")
    if rng.random() < 0.3:  # two files in two encodings
        other = "nodes.csv" if name != "nodes.csv" else "relationships.csv"
        files[other] = files[other].decode("utf-8").encode("cp932", errors="replace")
    return FuzzFile("csv: encodings", "canonical", files)


def csv_boms(rng: random.Random) -> FuzzFile:
    files, name = _pick(rng)
    bom = rng.choice([b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"])
    data = files[name]
    at = 0 if rng.random() < 0.6 else rng.randrange(len(data))
    files[name] = data[:at] + bom + data[at:]
    return FuzzFile("csv: BOMs", "canonical", files)


def csv_nul(rng: random.Random) -> FuzzFile:
    files, name = _pick(rng)
    data = bytearray(files[name])
    for _ in range(rng.randint(1, 5)):
        data[rng.randrange(len(data) + 1) : 0] = b"\x00" * rng.randint(1, 3)
    files[name] = bytes(data)
    return FuzzFile("csv: NUL bytes", "canonical", files)


def _set_cell(rng: random.Random, files: dict[str, bytes], name: str, column: str, value: str) -> None:
    rows = _rows(files[name])
    header = rows[0]
    if column not in header:
        header.append(column)
    index = header.index(column)
    for row in rows[1:]:
        row += [""] * (len(header) - len(row))
    rows[rng.randrange(1, len(rows))][index] = value
    files[name] = _unrows(rows)


def csv_numbers(rng: random.Random) -> FuzzFile:
    files = _canonical()
    if rng.random() < 0.5:
        column = rng.choice(["employees", "model_region_fy", "capital", "founded"])
        _set_cell(rng, files, "nodes.csv", column, rng.choice(NASTY_NUMBERS))
    else:
        column = rng.choice(["weight", "amount", "fiscal_year", "since", "until"])
        _set_cell(rng, files, "relationships.csv", column, rng.choice(NASTY_NUMBERS))
    return FuzzFile("csv: huge and unicode numbers", "canonical", files)


def csv_long_values(rng: random.Random) -> FuzzFile:
    files = _canonical()
    char = rng.choice(["a", "漢", "𠮷", "é"])
    length = rng.choice([2_000, 2_700, 3_000, 8_001, 9_000, 100_001])
    column = rng.choice(["id", "name", "name_en", "evidence", "corporate_number"])
    _set_cell(rng, files, "nodes.csv", column, char * length)
    return FuzzFile("csv: values too long to index or store", "canonical", files)


def csv_column_names(rng: random.Random) -> FuzzFile:
    files, name = _pick(rng)
    column = rng.choice(
        [
            *sorted(RESERVED_NAMES),
            "Labels",
            " labels ",
            "名前",
            "1st",
            "a-b",
            "",
            "name",
            "x" * 300,
            "\u3000",
            "label\x00",
        ]
    )
    lines = _lines(files[name])
    lines = [lines[0] + "," + column, *(line + "," + rng.choice(["v", "", "1"]) for line in lines[1:])]
    files[name] = _join(lines)
    return FuzzFile("csv: reserved and odd column names", "canonical", files)


def _rewrite_member(data: bytes, member: str, change: Callable[[bytes], bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            content = old.read(info.filename)
            stable = zipfile.ZipInfo(info.filename, (2026, 1, 1, 0, 0, 0))
            stable.compress_type = zipfile.ZIP_DEFLATED
            new.writestr(stable, change(content) if info.filename == member else content)
    return buffer.getvalue()


def xlsx_damage(rng: random.Random) -> FuzzFile:
    sheet = "xl/worksheets/sheet1.xml"
    kind = rng.choice(["flip", "truncate", "sheet xml", "stray cell", "far row", "far column", "strings"])
    if kind == "flip":
        data = _flip(rng, _workbook(), 4)
    elif kind == "truncate":
        raw = _workbook()
        data = raw[: rng.randrange(len(raw))]
    elif kind == "sheet xml":
        data = _rewrite_member(
            _workbook(), sheet, lambda b: _flip(rng, b, 6) if rng.random() < 0.5 else b[: len(b) // 2]
        )
    elif kind == "stray cell":
        cell = rng.choice(["XFD1048576", "XFD1", "A1048576", "ZZ5000"])
        data = _workbook(lambda s: s.__setitem__(cell, rng.choice([" ", "", "\u3000", "x"])))  # type: ignore[attr-defined]
    elif kind == "far row":
        number = rng.choice([b"1048577", b"99999999", b"4294967296"])
        data = _rewrite_member(_workbook(), sheet, lambda b: b.replace(b'r="3"', b'r="' + number + b'"', 1))
    elif kind == "far column":
        data = _rewrite_member(_workbook(), sheet, lambda b: b.replace(b'r="C2"', b'r="XFE2"', 1))
    else:
        data = _rewrite_member(_workbook(), "xl/workbook.xml", lambda b: b.replace(b"nodes", b"n\x01odes", 1))
    return FuzzFile(f"xlsx: damage ({kind})", "canonical", {"fuzz.xlsx": data})


def houjin_csv(rng: random.Random) -> FuzzFile:
    data = AOMORI.read_bytes()
    kind = rng.choice(["flip", "truncate", "field", "encoding"])
    if kind == "flip":
        data = _flip(rng, data)
    elif kind == "truncate":
        data = data[: rng.randrange(len(data) + 1)]
    elif kind == "field":
        lines = _lines(data)
        row = rng.randrange(len(lines))
        cells = lines[row].split(",")
        cells[rng.randrange(len(cells))] = rng.choice([*NASTY_NUMBERS, "\x00", "=cmd", "漢" * 5000])
        lines[row] = ",".join(cells)
        data = _join(lines)
    else:
        data = data.decode("utf-8").encode(rng.choice(["cp932", "utf-16", "euc_jp"]), errors="replace")
    return FuzzFile("houjin csv: damage", "houjin", {f"{HOUJIN_NAME}.csv": data})


def zip_damage(rng: random.Random) -> FuzzFile:
    kind = rng.choice(["encrypted", "bzip2", "lzma", "deflate", "stored flip", "header", "method", "truncate"])
    at = 30 + len(HOUJIN_NAME) + 4  # the member's data follows its local header
    if kind == "encrypted":
        raw = _zip(zipfile.ZIP_STORED)
        raw[6] |= 1
        raw[raw.rfind(b"PK\x01\x02") + 8] |= 1
    elif kind in ("bzip2", "lzma", "deflate"):
        method = {"bzip2": zipfile.ZIP_BZIP2, "lzma": zipfile.ZIP_LZMA, "deflate": zipfile.ZIP_DEFLATED}[kind]
        raw = _zip(method)
        start = at + rng.randrange(0, 40)
        value = rng.choice([None, 0x00, 0xFF])
        for offset in range(start, min(start + rng.randint(1, 24), len(raw))):
            raw[offset] = raw[offset] ^ 0x5A if value is None else value
    elif kind == "stored flip":
        raw = bytearray(_flip(rng, bytes(_zip(zipfile.ZIP_STORED))))
    elif kind == "header":
        raw = _zip(zipfile.ZIP_DEFLATED)
        field = rng.choice([(18, 4), (22, 4), (26, 2), (28, 2), (14, 4)])
        raw[field[0] : field[0] + field[1]] = bytes(rng.randrange(256) for _ in range(field[1]))
    elif kind == "method":
        raw = _zip(zipfile.ZIP_STORED)
        method = rng.choice([1, 6, 9, 77, 98, 99]).to_bytes(2, "little")
        raw[8:10] = method
        central = raw.rfind(b"PK\x01\x02")
        raw[central + 10 : central + 12] = method
    else:
        raw = _zip(zipfile.ZIP_DEFLATED)
        raw = raw[: rng.randrange(len(raw))]
    return FuzzFile(f"zip: {kind}", "houjin", {f"{HOUJIN_NAME}.zip": bytes(raw)})


CLASSES: tuple[Callable[[random.Random], FuzzFile], ...] = (
    csv_byte_flips,
    csv_truncation,
    csv_column_shuffle,
    csv_encodings,
    csv_boms,
    csv_nul,
    csv_numbers,
    csv_long_values,
    csv_column_names,
    xlsx_damage,
    houjin_csv,
    zip_damage,
)


def generate(seed: int, count: int) -> Iterator[tuple[int, FuzzFile]]:
    """``count`` fuzzed files, the classes in turn; file ``i`` depends only on ``seed`` and ``i``."""
    for index in range(count):
        rng = random.Random(f"{seed}:{index}")
        yield index, CLASSES[index % len(CLASSES)](rng)


# --- the contract -------------------------------------------------------------------------------


class _Deadline(Exception):
    """One file took longer than :data:`FILE_DEADLINE`."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Deadline


def _region_store(folder: Path) -> Path:
    """An embedded store holding the three model regions, copied for every loaded file."""
    path = folder / "regions.sqlite"
    nodes = [NodeRecord(f"region:{k}", ("Region",), {"name": k, "level": "prefecture"}, None) for k in REGIONS]
    with EmbeddedStore(path) as store:
        store.write_batch(Batch("fuzz", nodes))
    return path


def outcome(fuzzed: FuzzFile, folder: Path, regions: Path) -> str:
    """``error`` (a clean refusal), ``loaded`` (written and read back), or ``escape: …``."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(FILE_DEADLINE)
    try:
        return _outcome(fuzzed, folder, regions)
    except _Deadline:
        return f"escape: took more than {FILE_DEADLINE} s"
    except Exception as exc:  # the contract: anything else is an escape, reported with its type
        return f"escape: {exc.__class__.__name__}: {str(exc)[:160]}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _outcome(fuzzed: FuzzFile, folder: Path, regions: Path) -> str:
    paths = fuzzed.write(folder)
    loader = read_canonical if fuzzed.loader == "canonical" else read_houjin
    try:
        result = loader(paths, LoadOptions(), KNOWN if fuzzed.loader == "canonical" else LoadContext())
    except LoaderError as exc:
        unnamed = [v for v in exc.violations if v.origin is None or not v.origin.file or not v.field]
        return f"escape: a violation without file or field: {unnamed[0]}" if unnamed else "error"
    store_path = folder / "store.sqlite"
    shutil.copyfile(regions, store_path)
    with EmbeddedStore(store_path) as store:
        try:
            store.write_batch(result.batch)
        except IpecoError:
            return "error"
        store.read_graph()
    return "loaded"


@dataclass
class FuzzReport:
    """Outcomes by class, and every escape with the index that replays it."""

    by_class: dict[str, Counter[str]]
    escapes: list[tuple[int, str, str]]

    def table(self) -> str:
        lines = [f"{'class':<44} {'files':>6} {'error':>6} {'loaded':>6} {'escape':>6}"]
        totals: Counter[str] = Counter()
        for cls in sorted(self.by_class):
            counts = self.by_class[cls]
            totals.update(counts)
            lines.append(
                f"{cls:<44} {sum(counts.values()):>6} {counts['error']:>6} {counts['loaded']:>6} {counts['escape']:>6}"
            )
        lines.append(
            f"{'total':<44} {sum(totals.values()):>6} {totals['error']:>6} {totals['loaded']:>6} {totals['escape']:>6}"
        )
        return "\n".join(lines)


def run(seed: int, count: int) -> FuzzReport:
    """Generate ``count`` files from ``seed`` and hold each to the contract."""
    by_class: dict[str, Counter[str]] = {}
    escapes: list[tuple[int, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="ipeco-fuzz-") as scratch:
        root = Path(scratch)
        regions = _region_store(root)
        for index, fuzzed in generate(seed, count):
            folder = root / str(index)
            folder.mkdir()
            result = outcome(fuzzed, folder, regions)
            shutil.rmtree(folder, ignore_errors=True)
            kind = "escape" if result.startswith("escape") else result
            by_class.setdefault(fuzzed.cls, Counter())[kind] += 1
            if kind == "escape":
                escapes.append((index, fuzzed.cls, result))
    return FuzzReport(by_class, escapes)
