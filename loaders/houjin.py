"""Loader for the 国税庁 法人番号 bulk download (CSV Unicode), ``ipeco load houjin`` (data-formats.md §1).

The file is streamed row by row from the ``.csv`` or the downloaded ``.zip`` (a prefecture is about
10^5 rows, the nation 5.7 × 10^6), so memory grows with the organisations *kept*, never with the
file: per corporate number only the fields of its best row so far are held, as one tuple of
strings shared with the node that is finally built.

Format (data-formats.md §1): UTF-8 without BOM, **no header**, RFC-4180 quoting with ``""``,
30 columns (a 31st trailing empty field is tolerated, as one parser reports for Shift-JIS files);
the Web-API CSV starts with one line ``lastUpdateDate,count,divideNumber,divideSize`` that is
skipped. Every problem is reported with file, line and field; nothing is returned when any row
is bad.

Rows kept
    One row per corporate number: the one with ``latest=1``, else the highest ``updateDate``
    (later lines win ties). The winner is dropped when ``hihyoji=1`` (excluded from search)
    unless ``include_hidden``. Rows outside the requested area (``--region``, ``--prefecture``,
    ``--city``) are dropped as they stream; a history row inside the area loses to a
    ``latest=1`` row of the same number outside it (the organisation moved away).

Areas
    ``aomori`` → prefecture 02, ``ishikawa`` → 17, ``kobe`` → prefecture 28 with cityCode
    100–111 (神戸市 and its nine wards). ``--city`` takes a five-digit JIS X0402 code; a
    designated city's code (e.g. 28100) also matches its wards. A row in one of these three
    model regions is ``LOCATED_IN`` ``region:<key>`` whether or not an area was requested.

Role labels
    :func:`loaders.roles.classify_role` on the row's kind, name and number (the kind first: 101/201
    are government bodies, 301–305 companies). Organisations no rule classifies (一般社団法人, NPOs,
    religious, medical and welfare corporations, health-insurance societies …) are left out and
    counted in ``report["unclassified"]`` unless ``include_unclassified`` (then Company, flagged
    ``role_inferred: "unclassified"``).

Process codes (処理区分)
    01 new, 11/12/13 changes, 21 closed, 22 revived, 71/72 merger, 81 struck off: read as above.
    **99 deleted**: the row fills only sequenceNumber, corporateNumber, process and updateDate.
    The deletion applies to the number whatever the area; an earlier row of the same number in this
    load is dropped. An organisation the store knows only from the NTA data (source ``houjin``)
    keeps its node, marked ``deleted_on`` (the update date): the stores never delete on a load. A
    seeded or otherwise-sourced organisation keeps its node, name and role and loses the number
    (``corporate_number`` becomes empty, ``corporate_number_deleted`` keeps it), with a warning. A
    number in neither is counted. Any other code is skipped and reported with its line; the rest of
    the file loads.

Nodes and ties
    ``org:<corporateNumber>`` with name, name_en, furigana, corporate_number, prefecture_code,
    city_code (five digits), address, close_date when closed; ``evidence`` is the corporate number
    itself (the record id; its NTA page is
    ``https://www.houjin-bangou.nta.go.jp/henkorireki-johoto.html?selHouzinNo=<number>``).
    An organisation already in the store (matched as below) keeps its id, role, name and
    provenance when another source created it; only the registry fields (corporate_number,
    furigana, codes, address …) are updated, and its seeded ``LOCATED_IN`` seat is kept.
    A closed organisation with ``successorCorporateNumber`` gets ``SUCCEEDED_BY`` (date =
    closeDate) when the successor is in this load or the store, else a warning; a stored
    ``SUCCEEDED_BY`` between the same two organisations that another source wrote (the seeded
    2025 bank merger) is kept as it is (``report["succeeded_by_kept"]``). ``--enrich-only``
    updates organisations already in the store (by either rule below) and adds nothing.

Matching rows to stored organisations
    1. By corporate number: a stored organisation whose ``corporate_number`` is the row's.
    2. Otherwise by name, because the seeds never invent a corporate number: among the stored
       organisations **without** a ``corporate_number``, those whose normalised name
       (:func:`loaders.jplatpat.normalise_name`, the J-PlatPat key: NFKC, a 法人格 such as
       国立大学法人 / 一般社団法人 / 株式会社 removed as a prefix or suffix only, spaces dropped, so
       国立大学法人神戸大学 = 神戸大学) equals the row's (the Japanese 商号又は名称 only, never ``enName``),
       whose role agrees with the row's (:func:`loaders.roles.roles_compatible`: 神戸市公立大学法人, a
       University, never adopts 神戸市, a GovernmentBody) **and** whose region (its
       ``LOCATED_IN`` seat) is the row's model region (:func:`region_for` on its codes). A row outside
       the model regions, or a stored organisation without a region, is never matched by name.
       The row adopts the stored node only when it has exactly one candidate and no other row of the
       load has that same single candidate. Those are listed in ``report["matched_by_name"]``
       (``count`` and ``matches``: (corporate_number, id, registry name)) and summed up in a warning.
       Several candidates (or several rows for one candidate) are never guessed: each row goes to
       ``report["ambiguous_names"]`` with its candidates and a warning; it is created as a new
       ``org:<number>`` as before, or left out under ``--enrich-only``. Only the best row of a
       number is matched (the latest name), and under ``--enrich-only`` only a ``latest=1`` row.
       Once adopted, the node carries the number, so a second load matches it by rule 1.
"""

from __future__ import annotations

import csv
import functools
import lzma
import re
import struct
import sys
import zipfile
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any, Final, NamedTuple

from tqdm import tqdm

from graph.batch import Batch, NodeRecord, Origin, RelRecord, Violation
from graph.gc_pause import paused_gc
from graph.identifiers import org_id_for_corporate_number
from graph.schema import role_label
from loaders.base import FORMULA_PREFIXES, MAX_FIELD, LineDecoder, LoadContext, LoaderError, LoadOptions, LoadResult
from loaders.jplatpat import normalise_name
from loaders.roles import classify_name, classify_role, roles_compatible

__all__ = [
    "COLUMNS",
    "MODEL_REGIONS",
    "PROCESS_CODES",
    "REGION_NODES",
    "classify_name",
    "classify_role",
    "read_houjin",
    "region_for",
]

SOURCE: Final = "houjin"

#: The 30 columns of the bulk CSV, in order (data-formats.md §1).
COLUMNS: Final[tuple[str, ...]] = (
    "sequenceNumber",
    "corporateNumber",
    "process",
    "correct",
    "updateDate",
    "changeDate",
    "name",
    "nameImageId",
    "kind",
    "prefectureName",
    "cityName",
    "streetNumber",
    "addressImageId",
    "prefectureCode",
    "cityCode",
    "postCode",
    "addressOutside",
    "addressOutsideImageId",
    "closeDate",
    "closeCause",
    "successorCorporateNumber",
    "changeCause",
    "assignmentDate",
    "latest",
    "enName",
    "enPrefectureName",
    "enCityName",
    "enAddressOutside",
    "furigana",
    "hihyoji",
)
(
    _SEQ,
    _CN,
    _PROCESS,
    _CORRECT,
    _UPDATE,
    _CHANGE,
    _NAME,
    _NAME_IMG,
    _KIND,
    _PREF_NAME,
    _CITY_NAME,
    _STREET,
    _ADDR_IMG,
    _PREF,
    _CITY,
    _POST,
    _OUTSIDE,
    _OUTSIDE_IMG,
    _CLOSE_DATE,
    _CLOSE_CAUSE,
    _SUCCESSOR,
    _CHANGE_CAUSE,
    _ASSIGN,
    _LATEST,
    _EN_NAME,
    _EN_PREF,
    _EN_CITY,
    _EN_OUTSIDE,
    _FURIGANA,
    _HIHYOJI,
) = range(30)

WEB_API_HEADER: Final = ("lastUpdateDate", "count", "divideNumber", "divideSize")

#: 処理区分 codes read as rows of an organisation (data-formats.md §1); 99 (deleted) is read apart.
PROCESS_CODES: Final = frozenset({"01", "11", "12", "13", "21", "22", "71", "72", "81"})
DELETED: Final = "99"

#: closeCause codes in words (data-formats.md §1).
CLOSE_CAUSES: Final[dict[str, str]] = {
    "01": "liquidation",
    "11": "dissolution by merger",
    "21": "closed by registrar",
    "31": "other",
}


class Area(NamedTuple):
    """A model region as registry codes: a prefecture, optionally a range of cityCodes."""

    prefecture: str
    cities: range | None = None

    def contains(self, prefecture: str, city: str) -> bool:
        if prefecture != self.prefecture:
            return False
        return self.cities is None or (city.isascii() and city.isdigit() and int(city) in self.cities)


#: The JPO model regions as registry codes (data-formats.md §1, "Area codes").
MODEL_REGIONS: Final[dict[str, Area]] = {
    "aomori": Area("02"),
    "ishikawa": Area("17"),
    "kobe": Area("28", range(100, 112)),
}

#: Region nodes a load creates when the store does not hold them yet. The values are the seeds'
#: (``seeds/real/catalogue/nodes.csv``), so that a context without ``known_nodes`` at worst rewrites
#: a seeded region with the same facts.
_MODEL_REGION_EVIDENCE: Final = "https://www.jpo.go.jp/support/chusho/chizai-shien_model_area.html"
REGION_NODES: Final[dict[str, dict[str, Any]]] = {
    key: {**props, "model_region_fy": 2024, "evidence": _MODEL_REGION_EVIDENCE}
    for key, props in {
        "aomori": {"name": "青森県", "name_en": "Aomori Prefecture", "level": "prefecture", "jis_code": "02"},
        "ishikawa": {"name": "石川県", "name_en": "Ishikawa Prefecture", "level": "prefecture", "jis_code": "17"},
        "kobe": {"name": "神戸市", "name_en": "Kobe City", "level": "city", "jis_code": "28100"},
    }.items()
}

REGION_IDS: Final[dict[str, str]] = {key: f"region:{key}" for key in REGION_NODES}

#: Designated cities (政令指定都市): their code also selects their wards, numbered after it.
DESIGNATED_CITIES: Final[frozenset[str]] = frozenset(
    {
        *("01100", "04100", "11100", "12100", "14100", "14130", "14150", "15100", "22100", "22130"),
        *("23100", "26100", "27100", "27140", "28100", "33100", "34100", "40100", "40130", "43100"),
    }
)


def _prefecture_is(pref: str, prefecture: str, _city: str) -> bool:
    """The ``--prefecture`` filter: the row's prefectureCode is ``pref``."""
    return prefecture == pref


@functools.lru_cache(maxsize=8192)
def region_for(prefecture: str, city: str) -> str | None:
    """The model region (``aomori``/``ishikawa``/``kobe``) a prefectureCode + cityCode fall in.

    Cached: it runs once per organisation, on a few thousand distinct code pairs.
    """
    return next((key for key, area in MODEL_REGIONS.items() if area.contains(prefecture, city)), None)


class _Kept(NamedTuple):
    """What the best row of one corporate number needs later (a tuple: no per-instance dict)."""

    origin: Origin
    latest: bool
    update: str
    name: str
    name_en: str
    furigana: str
    kind: str
    prefecture: str
    city: str
    address: str
    close_date: str
    close_cause: str
    successor: str
    hidden: bool


_DATE_RE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MAX_ERRORS: Final = 200


class _Problems:
    """Collects violations up to a cap, then stops the load: one bad column can fail every row."""

    def __init__(self) -> None:
        self.items: list[Violation] = []

    def add(self, origin: Origin, field: str, message: str) -> None:
        self.items.append(Violation(origin, field, message))
        if len(self.items) >= _MAX_ERRORS:
            raise LoaderError(self.items)


def _area_filter(options: LoadOptions) -> Callable[[str, str], bool] | None:
    """A predicate on (prefectureCode, cityCode) for the requested area, None for everything."""
    problems: list[Violation] = []
    where = Origin("(options)")
    tests: list[Callable[[str, str], bool]] = []
    if options.region is not None:
        area = MODEL_REGIONS.get(options.region.removeprefix("region:"))
        if area is None:
            known = ", ".join(MODEL_REGIONS)
            msg = f"unknown region {options.region!r}; expected one of {known}, or use --prefecture/--city"
            problems.append(Violation(where, "region", msg))
        else:
            tests.append(area.contains)
    if options.prefecture_code is not None:
        pref = options.prefecture_code.strip().zfill(2)
        if not re.fullmatch(r"[0-9]{2}", pref):
            problems.append(Violation(where, "prefecture", f"expected a 2-digit JIS X0401 code, got {pref!r}"))
        tests.append(functools.partial(_prefecture_is, pref))
    if options.city_code is not None:
        code = options.city_code.strip()
        if not re.fullmatch(r"[0-9]{5}", code):
            problems.append(Violation(where, "city", f"expected a 5-digit JIS X0402 code, got {code!r}"))
        else:
            tests.append(_city_test(code))
    if problems:
        raise LoaderError(problems)
    if not tests:
        return None
    return lambda pref, city: all(test(pref, city) for test in tests)


def _city_test(code: str) -> Callable[[str, str], bool]:
    """Match a five-digit city code; a designated city's code also matches its wards."""
    pref, city = code[:2], int(code[2:])
    if code not in DESIGNATED_CITIES:
        return lambda p, c: p == pref and c.isascii() and c.isdigit() and int(c) == city
    following = [int(d[2:]) for d in DESIGNATED_CITIES if d[:2] == pref and int(d[2:]) > city]
    wards = range(city, min([*following, 200]))
    return lambda p, c: p == pref and c.isascii() and c.isdigit() and int(c) in wards


#: What a damaged or unusual zip raises while it is opened or read (bad CRC, unsupported method or
#: version, a truncated deflate stream).
_ZIP_ERRORS: Final = (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, zipfile.LargeZipFile)
#: What a damaged member raises besides (issue 26): an encrypted member (RuntimeError), an invalid
#: bzip2 stream (OSError), corrupt LZMA data, damaged header fields (struct.error, ValueError).
_MEMBER_ERRORS: Final = (*_ZIP_ERRORS, lzma.LZMAError, OSError, RuntimeError, ValueError, struct.error)


def _binary_members(path: Path) -> Iterator[tuple[str, IO[bytes]]]:
    """Open the CSV of a ``.zip`` download (each CSV member, in name order) or a plain file."""
    try:
        is_zip = zipfile.is_zipfile(path)
    except OSError as exc:
        raise LoaderError([Violation(Origin(str(path)), "file", f"cannot be read: {exc.strerror or exc}")]) from None
    if is_zip:
        try:
            archive = zipfile.ZipFile(path)
        except _MEMBER_ERRORS as exc:
            msg = f"is a damaged zip archive ({exc.__class__.__name__}: {exc}); download it again"
            raise LoaderError([Violation(Origin(str(path)), "file", msg)]) from None
        with archive:
            members = sorted(n for n in archive.namelist() if n.lower().endswith(".csv"))
            if not members:
                raise LoaderError([Violation(Origin(str(path)), "file", "the zip archive holds no .csv file")])
            for member in members:
                try:
                    handle = archive.open(member)
                except _MEMBER_ERRORS as exc:
                    msg = (
                        f"cannot open the member {member} of the zip archive ({exc.__class__.__name__}: "
                        f"{str(exc)[:200]}); download it again"
                    )
                    raise LoaderError([Violation(Origin(f"{path}!{member}"), "file", msg)]) from None
                with handle:
                    yield f"{path}!{member}", handle
        return
    if path.suffix.lower() == ".zip":
        raise LoaderError([Violation(Origin(str(path)), "file", "is not a readable zip archive")])
    with path.open("rb") as handle:
        yield str(path), handle


def _decoded_lines(handle: IO[bytes], where: str, decoder: LineDecoder, lines: list[int]) -> Iterator[str]:
    """Decode line by line so that an undecodable byte is reported with its own line number.

    ``lines[0]`` follows the physical line read, so that a damaged zip member is reported where it
    broke. Only one physical line is ever held.
    """
    number = 0
    try:
        for number, raw in enumerate(handle, start=1):
            lines[0] = number
            yield decoder.decode(raw, where, number)
    except LoaderError:
        raise  # the decoder's own report (a LoaderError is a ValueError too)
    except _MEMBER_ERRORS as exc:
        if "!" not in where:  # a plain file the system could not read (an I/O error)
            msg = f"cannot be read after line {number} ({exc.__class__.__name__}: {str(exc)[:200]})"
            raise LoaderError([Violation(Origin(where, number + 1), "file", msg)]) from None
        member = where.rpartition("!")[2]
        msg = (
            f"the zip member {member} is damaged at line {number + 1} ({exc.__class__.__name__}: {str(exc)[:200]}); "
            "download it again"
        )
        raise LoaderError([Violation(Origin(where, number + 1), "file", msg)]) from None


def _records(path: Path, decoder: LineDecoder) -> Iterator[tuple[str, int, list[str]]]:
    """Yield ``(file label, start line, fields)`` for each CSV record of ``path``."""
    csv.field_size_limit(MAX_FIELD * 40)
    for where, handle in _binary_members(path):
        physical = [0]
        reader = csv.reader(_decoded_lines(handle, where, decoder, physical))
        line = 1
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise LoaderError([Violation(Origin(where, reader.line_num), "csv", str(exc))]) from exc
            if fields and max(map(len, fields)) > MAX_FIELD:  # one C-level pass; the loop only on a hit
                _refuse_long_field(fields, where, line)
            yield where, line, fields
            line = reader.line_num + 1


def _refuse_long_field(fields: list[str], where: str, line: int) -> None:
    """Raise the error naming the first field longer than ``MAX_FIELD``."""
    for index, value in enumerate(fields):
        if len(value) > MAX_FIELD:
            name = COLUMNS[index] if index < len(COLUMNS) else f"field {index + 1}"
            msg = f"a field of {len(value):,} characters; at most {MAX_FIELD:,} are accepted"
            raise LoaderError([Violation(Origin(where, line), name, msg)])


def _is_web_api_header(fields: list[str]) -> bool:
    if len(fields) != 4:
        return False
    if tuple(f.strip() for f in fields) == WEB_API_HEADER:
        return True
    return bool(_DATE_RE.fullmatch(fields[0])) and all(f.strip().isascii() and f.strip().isdigit() for f in fields[1:])


def _check_digit(base12: str) -> int:
    """``graph.identifiers.corporate_number_check_digit`` unrolled: it runs once per row.

    Counted from the right, the odd positions of the 12 base digits weigh 1 and the even ones 2;
    from the left (index 0..11) that is weight 2 at even indexes and 1 at odd ones.
    """
    digits = base12.encode("ascii")  # ASCII digits (checked by the caller): sum the bytes, less 6 × ord("0")
    return 9 - (2 * (sum(digits[0::2]) - 288) + sum(digits[1::2]) - 288) % 9


def _check_number(value: str) -> str | None:
    """Why ``value`` is not a valid corporate number (None when it is)."""
    if len(value) != 13 or not value.isascii() or not value.isdigit():
        return f"expected 13 digits, got {value!r}"
    expected = _check_digit(value[1:])
    if int(value[0]) != expected:
        return f"{value!r} fails the check digit (expected {expected} as the first digit)"
    return None


class _RowChecker:
    """Validates one row's fields; caches values seen valid (dates, codes) and interns them."""

    def __init__(self, problems: _Problems) -> None:
        self.problems = problems
        self.cache: dict[str, str] = {}
        #: Values seen valid, each mapped to its shared copy: a row's usual case is one dict look-up.
        #: Dates in one, codes by their width (a 2-digit code is no valid 3-digit one).
        self.good_dates: dict[str, str] = {}
        self.good_codes: dict[int, dict[str, str]] = {2: {}, 3: {}}

    def shared(self, value: str) -> str:
        """One string object per distinct short value (codes, dates): memory for 10^5 rows."""
        return self.cache.setdefault(value, value)

    def date(self, value: str, origin: Origin, field: str, *, required: bool) -> str:
        if (known := self.good_dates.get(value)) is not None:
            return known
        if not value:
            if required:
                self.problems.add(origin, field, "is required: expected a date YYYY-MM-DD")
            return ""
        try:
            ok = bool(_DATE_RE.fullmatch(value)) and bool(date.fromisoformat(value))
        except ValueError:
            ok = False
        if not ok:
            self.problems.add(origin, field, f"expected a date YYYY-MM-DD, got {value!r}")
            return ""
        shared = self.good_dates[value] = self.shared(value)
        return shared

    def code(self, value: str, digits: int, origin: Origin, field: str) -> str:
        good = self.good_codes[digits]
        if (known := good.get(value)) is not None:
            return known
        if value and not (len(value) == digits and value.isascii() and value.isdigit()):
            self.problems.add(origin, field, f"expected {digits} digits or empty, got {value!r}")
            return ""
        shared = good[value] = self.shared(value)
        return shared

    def flag(self, value: str, origin: Origin, field: str, *, empty_ok: bool) -> bool:
        if value == "1":
            return True
        if value == "0" or (empty_ok and not value):
            return False
        self.problems.add(origin, field, f"expected 0 or 1, got {value!r}")
        return False

    def text(self, value: str, origin: Origin, field: str) -> str:
        if value.startswith(FORMULA_PREFIXES):
            self.problems.add(origin, field, f"starts with {value[0]!r}: a spreadsheet formula is not a name")
            return ""
        return value


class _Deletion(NamedTuple):
    """A process-99 row: the NTA deleted this number on ``update``."""

    origin: Origin
    update: str


@paused_gc()  # millions of rows kept, no cycle made: a collection frees nothing (2×10^5 organisations: 8.9 → 5.9 s)
def read_houjin(paths: list[Path], options: LoadOptions, context: LoadContext) -> LoadResult:
    """Read 法人番号 bulk CSV or ZIP files into a batch of organisations (see the module docstring).

    Raises :class:`LoaderError` listing every bad row (file, line, field) and returns nothing
    then; warnings (a successor that is in neither the load nor the store, rows skipped for an
    unknown process code, deletions of seeded organisations' numbers) go in the result.
    """
    area = _area_filter(options)
    by_number = _context_by_number(context.organisations)
    names = _name_index(context.organisations)
    problems = _Problems()
    check = _RowChecker(problems)
    kept: dict[str, _Kept] = {}
    deleted: dict[str, _Deletion] = {}
    skipped: list[dict[str, str]] = []
    encodings: dict[str, str] = {}
    moved_away = array("q")  # latest=1 numbers seen outside the area: 8 bytes each, 46 MB for the nation
    stats: Counter[str] = Counter()
    progress = _Bar(
        desc="法人番号", unit=" rows", unit_scale=True, file=sys.stderr, disable=not options.progress, mininterval=0.5
    )
    try:
        for path in paths:
            rows_in_file = 0
            decoder = LineDecoder(options.encoding)
            for where, line, fields in _records(path, decoder):
                rows_in_file += 1
                if rows_in_file % 10_000 == 0:
                    progress.update(10_000)
                origin = Origin(where, line)
                if rows_in_file == 1 and _is_web_api_header(fields):
                    continue
                if len(fields) != 30 and not _fits_width(fields, origin, problems):  # the call only when it is not
                    continue
                stats["rows"] += 1
                process = fields[_PROCESS].strip()
                if process == DELETED:
                    _take_deletion(fields, origin, check, kept, deleted, stats)
                elif process in PROCESS_CODES:
                    _take_row(fields, origin, check, area, by_number, names, options, kept, moved_away, stats)
                    if deleted:  # most files delete nothing: no look-up per row then
                        _drop_if_deleted(fields[_CN].strip(), kept, deleted)
                else:
                    why = (
                        f"unknown process code {process!r:.20}; expected one of {', '.join(sorted(PROCESS_CODES))}, 99"
                    )
                    skipped.append({"line": str(origin), "field": "process", "reason": why})
            progress.update(rows_in_file % 10_000)
            if rows_in_file == 0:
                problems.add(Origin(str(path)), "file", "is empty: expected 法人番号 CSV rows (30 fields, no header)")
            encodings[str(path)] = decoder.used
    finally:
        progress.close()
    if problems.items:
        raise LoaderError(problems.items)
    result = _build(kept, moved_away, by_number, names, context, options, stats)
    _apply_deletions(result, deleted, by_number, context, stats)
    result.report["encodings"] = encodings
    _report_skipped(result, skipped)
    return result


class _Bar(tqdm):
    """tqdm's bar without its monitor thread (``monitor_interval = 0``), which nothing ever stops.

    Why: tqdm starts that thread with its first bar, disabled or not, and (tqdm 4.70) never ends
    it. A live thread keeps a bulk load's validation off the forked child
    (``graph.validation_worker.fork_is_safe``): it then ran on a thread, under the GIL the CSV
    writer holds, and the two went one after the other (10^6 organisations: csv 14.2 s, the writer
    alone 8.5 s). The monitor only redraws bars that go quiet; this one updates every 10,000 rows.
    """

    monitor_interval = 0


def _fits_width(fields: list[str], origin: Origin, problems: _Problems) -> bool:
    """True when the row has its 30 fields (an empty 31st is dropped); else the problem is added."""
    if len(fields) == 31 and not fields[30].strip():
        fields.pop()
    if len(fields) == 30:
        return True
    if len(fields) == 31:
        msg = f"unexpected 31st field {fields[30]!r:.40}: a row has 30 fields, a 31st must be empty"
        problems.add(origin, "field 31", msg)
    else:
        msg = f"expected 30 fields ({', '.join(COLUMNS[:3])}, …), got {len(fields)}"
        problems.add(origin, "row", msg)
    return False


def _drop_if_deleted(number: str, kept: dict[str, _Kept], deleted: Mapping[str, _Deletion]) -> None:
    """Forget a kept row whose number a deletion row (read earlier) removed on the same day or after."""
    if (gone := deleted.get(number)) is not None and ((row := kept.get(number)) is None or row.update <= gone.update):
        kept.pop(number, None)


def _report_skipped(result: LoadResult, skipped: list[dict[str, str]]) -> None:
    result.report["skipped_rows"] = {"count": len(skipped), "rows": skipped[:_MAX_ERRORS]}
    for entry in skipped[:20]:
        result.warnings.append(f"{entry['line']}: field '{entry['field']}': {entry['reason']}; row skipped")
    if len(skipped) > 20:
        result.warnings.append(f"… and {len(skipped) - 20} more rows skipped; see the report's skipped_rows")


def _take_deletion(
    fields: list[str],
    origin: Origin,
    check: _RowChecker,
    kept: dict[str, _Kept],
    deleted: dict[str, _Deletion],
    stats: Counter[str],
) -> None:
    """A process-99 row: only the number and the update date are filled; the number is gone."""
    number = fields[_CN].strip()
    if (why := _check_number(number)) is not None:
        check.problems.add(origin, "corporateNumber", why)
        return
    update = check.date(fields[_UPDATE], origin, "updateDate", required=True)
    stats["deletion_rows"] += 1
    prior = kept.get(number)
    if prior is not None and prior.update <= update:
        del kept[number]
        stats["deleted_in_load"] += 1
    if (earlier := deleted.get(number)) is None or earlier.update <= update:
        deleted[number] = _Deletion(origin, update)


def _apply_deletions(
    result: LoadResult,
    deleted: Mapping[str, _Deletion],
    by_number: Mapping[str, str],
    context: LoadContext,
    stats: Counter[str],
) -> None:
    """Mark the stored organisations whose number a process-99 row deleted (module docstring)."""
    marked: list[tuple[str, str, str]] = []
    unknown = 0
    in_batch = {node.props.get("corporate_number") for node in result.batch.nodes}
    for number, gone in sorted(deleted.items()):
        org_id = by_number.get(number)
        if number in in_batch:
            continue  # a newer row of the number in this load (registered again)
        if org_id is None:
            unknown += 1
            continue
        existing = context.organisations[org_id]
        label = role_label(list(existing.get("labels", ()))) or "Company"
        name = existing.get("name") or f"法人番号 {number}"
        if existing.get("source") == SOURCE:
            props: dict[str, Any] = {"name": name, "corporate_number": number, "evidence": number}
            props["deleted_on"] = gone.update
        else:
            props = {
                "name": name,
                "corporate_number": "",
                "corporate_number_deleted": number,
                "deleted_on": gone.update,
            }
            for key in ("source", "evidence", "confidence", "synthetic"):
                if key in existing:
                    props[key] = existing[key]
            result.warnings.append(
                f"{gone.origin}: 法人番号 {number} was deleted by the NTA (process 99, {gone.update}); {org_id} "
                f"({name}, from {existing.get('source', '?')}) keeps its node and loses the number"
            )
        result.batch.nodes.append(NodeRecord(org_id, ("Organization", label), props, gone.origin))
        marked.append((number, org_id, gone.update))
    result.report["deleted"] = {
        "rows": stats["deletion_rows"],
        "marked": [{"corporate_number": n, "id": i, "deleted_on": d} for n, i, d in marked],
        "dropped_from_this_load": stats["deleted_in_load"],
        "not_in_store": unknown,
    }


#: Legal forms the report counts unclassified organisations by.
_FORMS_REPORTED: Final = re.compile(
    r"宗教法人|医療法人|社会福祉法人|特定非営利活動法人|一般社団法人|一般財団法人|公益社団法人|公益財団法人"
    r"|健康保険組合|年金基金|協同組合|管理組合|学校法人|神社|寺|教会"
)


def _legal_form(name: str) -> str:
    return match.group(0) if (match := _FORMS_REPORTED.search(name)) else "other"


def _context_by_number(organisations: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Corporate number → id of the organisation already stored with it."""
    found: dict[str, str] = {}
    for org_id, attrs in organisations.items():
        number = attrs.get("corporate_number")
        if isinstance(number, str) and number:
            found.setdefault(number, org_id)
    return found


#: (model region, normalised name) → [(id, name, role)] of the stored organisations without a corporate number.
_NameIndex = dict[tuple[str, str], list[tuple[str, str, str | None]]]


def _name_index(organisations: Mapping[str, Mapping[str, Any]]) -> _NameIndex:
    """Index the stored organisations that a registry row may be matched to by name.

    Only organisations with no ``corporate_number`` and with a region (their ``LOCATED_IN`` seat,
    or a ``region`` property) take part: one that has a number is matched by it or not at all.
    """
    index: _NameIndex = defaultdict(list)
    for org_id, attrs in organisations.items():
        if attrs.get("corporate_number"):
            continue
        name, region = attrs.get("name"), attrs.get("region")
        if isinstance(name, str) and isinstance(region, str) and region and (key := normalise_name(name)):
            index[(region, key)].append((org_id, name, role_label(list(attrs.get("labels", ())))))
    return dict(index)


def _name_candidates(
    names: _NameIndex, name: str, prefecture: str, city: str, role: str | None, refused: list[str] | None = None
) -> list[tuple[str, str]]:
    """The stored organisations without a corporate number that share the row's name, model region and role.

    Candidates of another role (神戸市 for 神戸市公立大学法人) are left out and, when ``refused``
    is given, their ids appended to it.
    """
    if not names:
        return []
    region = region_for(prefecture, city)
    if region is None:
        return []
    found = []
    for org_id, stored_name, stored_role in names.get((region, normalise_name(name)), []):
        if roles_compatible(role, stored_role):
            found.append((org_id, stored_name))
        elif refused is not None:
            refused.append(org_id)
    return found


def _take_row(
    fields: list[str],
    origin: Origin,
    check: _RowChecker,
    area: Callable[[str, str], bool] | None,
    by_number: Mapping[str, str],
    names: _NameIndex,
    options: LoadOptions,
    kept: dict[str, _Kept],
    moved_away: array[int],
    stats: Counter[str],
) -> None:
    """Validate one 30-field row and keep it when it is the best row so far of its number."""
    problems = check.problems
    number = fields[_CN].strip()
    if (why := _check_number(number)) is not None:
        problems.add(origin, "corporateNumber", why)
        return
    latest = check.flag(fields[_LATEST], origin, "latest", empty_ok=False)
    update = check.date(fields[_UPDATE], origin, "updateDate", required=True)
    hidden = check.flag(fields[_HIHYOJI], origin, "hihyoji", empty_ok=True)
    kind = check.code(fields[_KIND], 3, origin, "kind")
    prefecture = check.code(fields[_PREF], 2, origin, "prefectureCode")
    city = check.code(fields[_CITY], 3, origin, "cityCode")
    close_date = check.date(fields[_CLOSE_DATE], origin, "closeDate", required=False)
    close_cause = check.code(fields[_CLOSE_CAUSE], 2, origin, "closeCause")
    successor = fields[_SUCCESSOR].strip()
    if successor and (why := _check_number(successor)) is not None:
        problems.add(origin, "successorCorporateNumber", why)
    name = check.text(fields[_NAME], origin, "name")
    if not name.strip():
        problems.add(origin, "name", "is required: 商号又は名称 is empty")
    name_en = check.text(fields[_EN_NAME], origin, "enName")
    furigana = check.text(fields[_FURIGANA], origin, "furigana")
    address = fields[_PREF_NAME] + fields[_CITY_NAME] + fields[_STREET] or fields[_OUTSIDE]
    address = check.text(address, origin, "streetNumber" if fields[_PREF_NAME] else "addressOutside")
    # Before the row is built: a row left out must not reach the shared-string cache (memory).
    if (area is not None or options.enrich_only) and _left_out(
        _Place(number, latest, name, kind, prefecture, city), area, by_number, names, options, moved_away, stats
    ):
        return
    row = _Kept(
        origin,
        latest,
        update,
        name,
        name_en,
        furigana,
        kind,
        prefecture,
        city,
        address,
        close_date,
        close_cause,
        check.shared(successor),
        hidden,
    )
    _keep_latest(kept, number, row, stats)


def _keep_latest(kept: dict[str, _Kept], number: str, row: _Kept, stats: Counter[str]) -> None:
    """Keep ``row`` for ``number`` unless a row already kept is later (latest flag, then update date)."""
    prior = kept.get(number)
    if prior is not None:
        stats["history_rows_superseded"] += 1
        if (prior.latest, prior.update) > (row.latest, row.update):
            return
    kept[number] = row


@dataclass(frozen=True)
class _Place:
    """What deciding whether a row is left out needs: number, latest flag, name, kind and seat codes."""

    number: str
    latest: bool
    name: str
    kind: str
    prefecture: str
    city: str


def _left_out(
    row: _Place,
    area: Callable[[str, str], bool] | None,
    by_number: Mapping[str, str],
    names: _NameIndex,
    options: LoadOptions,
    moved_away: array[int],
    stats: Counter[str],
) -> bool:
    """True (and counted) for a row --enrich-only cannot match, or one outside the area."""
    number, name, prefecture, city = row.number, row.name, row.prefecture, row.city
    if (
        options.enrich_only
        and number not in by_number
        and not (row.latest and _name_candidates(names, name, prefecture, city, classify_role(row.kind, name, number)))
    ):
        stats["not_in_store"] += 1
        return True
    if area is not None and not area(prefecture, city):
        stats["out_of_area"] += 1
        if row.latest:
            moved_away.append(int(number))
        return True
    return False


@dataclass
class _Building:
    """What turning kept rows into records gathers beside the batch."""

    batch: Batch
    roles: Counter[str] = field(default_factory=Counter)
    unclassified: Counter[str] = field(default_factory=Counter)
    regions_used: set[str] = field(default_factory=set)
    closures: list[tuple[str, str, _Kept, Origin]] = field(default_factory=list)
    labels_cache: dict[str, tuple[str, ...]] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    matched_names: dict[str, str] = field(default_factory=dict)


def _build(
    kept: dict[str, _Kept],
    moved_away: array[int],
    by_number: Mapping[str, str],
    names: _NameIndex,
    context: LoadContext,
    options: LoadOptions,
    stats: Counter[str],
) -> LoadResult:
    """Turn the kept rows into nodes and ties, releasing each row as its node is built."""
    state = _Building(Batch(SOURCE))
    warnings: list[str] = []
    superseded = _superseded(kept, moved_away)
    del moved_away
    refused: list[dict[str, Any]] = []
    adopted, ambiguous = _match_by_name(kept, superseded, by_number, names, options, refused)
    warnings.extend(_ambiguity_warnings(ambiguous, options))
    for number in list(kept):
        row = kept.pop(number)
        existing_id = by_number.get(number) or adopted.get(number)
        if _skipped(row, number, superseded, existing_id, options, stats):
            continue
        if number in adopted:
            state.matched_names[number] = row.name
        _build_row(state, number, row, existing_id, context, options, stats)
    batch = state.batch
    _add_successions(batch, state.closures, by_number, adopted, context, options, stats, warnings)
    _add_region_nodes(batch, state.regions_used, context)
    matched, unclassified = state.matched_names, state.unclassified
    report = _report(stats, state.roles, unclassified, adopted, matched, ambiguous, refused, options)
    warnings.extend(_closing_warnings(adopted, matched, unclassified, context))
    return LoadResult(batch, warnings, report)


def _skipped(
    row: _Kept, number: str, superseded: set[int], existing_id: str | None, options: LoadOptions, stats: Counter[str]
) -> bool:
    """True (and counted) for a hidden row, a superseded history row, or a new one under --enrich-only."""
    if row.hidden and not options.include_hidden:
        stats["hidden_skipped"] += 1
        return True
    if not row.latest and int(number) in superseded:
        stats["history_rows_superseded"] += 1
        return True
    if options.enrich_only and existing_id is None:
        stats["not_in_store"] += 1  # kept for a name match that turned out ambiguous
        return True
    return False


def _build_row(
    state: _Building,
    number: str,
    row: _Kept,
    existing_id: str | None,
    context: LoadContext,
    options: LoadOptions,
    stats: Counter[str],
) -> None:
    """One organisation's node, its seat tie and (later) its succession, unless no role rule classifies it."""
    existing = context.organisations.get(existing_id, {}) if existing_id else {}
    node_id = existing_id or org_id_for_corporate_number(number)
    stored_role = role_label(list(existing.get("labels", ()))) if existing else None  # a new one has none
    label = stored_role or classify_role(row.kind, row.name, number)
    if label is None and not options.include_unclassified:
        state.unclassified[_legal_form(row.name)] += 1
        return
    labels = state.labels_cache.setdefault(label or "Company", ("Organization", label or "Company"))
    props = _registry_props(number, row, state.codes)
    _provenance(props, row, existing, label, stats)
    state.roles[label or "Company"] += 1
    state.batch.nodes.append(NodeRecord(node_id, labels, props, row.origin))
    if row.successor:
        state.closures.append((node_id, row.successor, row, row.origin))
    _add_seat(state, node_id, row, existing, options)


def _provenance(
    props: dict[str, Any], row: _Kept, existing: Mapping[str, Any], label: str | None, stats: Counter[str]
) -> None:
    """A stored organisation another source created keeps its name and provenance; else mark an unclassified one."""
    if existing:
        stats["enriched"] += 1
    if existing and existing.get("source") != SOURCE:
        # Another source created it: keep its name and provenance, update registry facts only.
        props["name"] = existing.get("name") or row.name
        for key in ("source", "evidence", "confidence", "synthetic"):
            if key in existing:
                props[key] = existing[key]
    elif label is None:
        props["role_inferred"] = "unclassified"
        stats["unclassified_kept"] += 1


def _add_seat(state: _Building, node_id: str, row: _Kept, existing: Mapping[str, Any], options: LoadOptions) -> None:
    """The ``LOCATED_IN`` tie of the registry's seat, where no other source holds the seat."""
    region = region_for(row.prefecture, row.city)
    # A seeded seat keeps its own tie and provenance; a seat this loader wrote is re-emitted unchanged.
    seat = existing.get("region")
    if region and not options.enrich_only and (not seat or (seat == region and existing.get("source") == SOURCE)):
        state.batch.relationships.append(RelRecord("LOCATED_IN", node_id, REGION_IDS[region], {}, row.origin))
        state.regions_used.add(region)


def _superseded(kept: Mapping[str, _Kept], moved_away: array[int]) -> set[int]:
    """The numbers of history rows kept in the area that a latest row outside it supersedes.

    They are few, so one scan of the compact array finds them instead of a set of every number
    outside the area.
    """
    history = {int(number) for number, row in kept.items() if not row.latest}
    return {n for n in moved_away if n in history} if history else set()


def _ambiguity_warnings(ambiguous: list[dict[str, Any]], options: LoadOptions) -> list[str]:
    """One warning per row whose name matched several stored organisations (not guessed)."""
    warnings: list[str] = []
    for entry in ambiguous:
        candidates = ", ".join(f"{c['id']} ({c['name']})" for c in entry["candidates"])
        outcome = "left out (--enrich-only)" if options.enrich_only else f"created as {entry['id']}"
        warnings.append(
            f"{entry['line']}: {entry['name']} ({entry['corporate_number']}) matched no stored organisation by "
            f"corporate number and {entry['reason']}: {candidates}; not guessed, {outcome}"
        )
    return warnings


def _add_successions(
    batch: Batch,
    closures: list[tuple[str, str, _Kept, Origin]],
    by_number: Mapping[str, str],
    adopted: Mapping[str, str],
    context: LoadContext,
    options: LoadOptions,
    stats: Counter[str],
    warnings: list[str],
) -> None:
    """Append a ``SUCCEEDED_BY`` tie per closed row whose successor is in this load or the store."""
    in_batch = {n.id for n in batch.nodes} if closures else set()
    for node_id, successor, row, origin in closures:
        target = by_number.get(successor) or adopted.get(successor) or org_id_for_corporate_number(successor)
        if options.enrich_only or (target not in in_batch and target not in context.organisations):
            if not options.enrich_only:
                warnings.append(
                    f"{origin}: successorCorporateNumber {successor} is neither in this load nor in the store; "
                    f"SUCCEEDED_BY from {node_id} skipped (load the successor's prefecture file too)"
                )
                stats["successor_missing"] += 1
            continue
        if context.successions.get((node_id, target), SOURCE) != SOURCE:
            stats["succeeded_by_kept"] += 1  # another source stated this merger: keep its tie and provenance
            continue
        tie: dict[str, Any] = {"evidence": successor}
        if row.close_date:
            tie["date"] = row.close_date
        if row.close_cause:
            tie["cause"] = CLOSE_CAUSES.get(row.close_cause, row.close_cause)
        batch.relationships.append(RelRecord("SUCCEEDED_BY", node_id, target, tie, origin))
        stats["succeeded_by"] += 1


def _add_region_nodes(batch: Batch, regions_used: set[str], context: LoadContext) -> None:
    """The Region nodes the ``LOCATED_IN`` ties point to, where the store does not hold them yet."""
    for region in sorted(regions_used):
        region_id = f"region:{region}"
        if region_id not in context.known_nodes:
            batch.nodes.append(NodeRecord(region_id, ("Region",), dict(REGION_NODES[region]), Origin("(houjin)")))


def _report(
    stats: Counter[str],
    roles: Counter[str],
    unclassified: Counter[str],
    adopted: Mapping[str, str],
    matched_names: Mapping[str, str],
    ambiguous: list[dict[str, Any]],
    refused: list[dict[str, Any]],
    options: LoadOptions,
) -> dict[str, Any]:
    """The load report: counts per outcome, the name matches made and those refused."""
    report: dict[str, Any] = {
        "rows": stats["rows"],
        "organisations": sum(roles.values()),
        "by_role": dict(sorted(roles.items())),
        "unclassified": {
            "left_out": sum(unclassified.values()),
            "kept": stats["unclassified_kept"],
            "by_legal_form": dict(unclassified.most_common()),
        },
        "history_rows_superseded": stats["history_rows_superseded"],
        "hidden_skipped": stats["hidden_skipped"],
        "out_of_area": stats["out_of_area"],
        "succeeded_by": stats["succeeded_by"],
        "successor_missing": stats["successor_missing"],
        "succeeded_by_kept": stats["succeeded_by_kept"],
        "enriched": stats["enriched"],
        "matched_by_name": {
            "count": len(adopted),
            "matches": sorted((number, org_id, matched_names[number]) for number, org_id in adopted.items()),
        },
        "ambiguous_names": ambiguous,
        "name_matches_refused_by_role": refused,
    }
    if options.enrich_only:
        report["not_in_store"] = stats["not_in_store"]
    return report


def _closing_warnings(
    adopted: Mapping[str, str],
    matched_names: Mapping[str, str],
    unclassified: Counter[str],
    context: LoadContext,
) -> list[str]:
    """Warnings for each adoption by name and for the organisations left out as unclassified."""
    warnings: list[str] = []
    for number, org_id in sorted(adopted.items()):
        warnings.append(
            f"adopted by name: {matched_names.get(number, '?')} ({number}) is the stored {org_id} "
            f"({context.organisations[org_id].get('name')}); it takes the number, keeps its name and role"
        )
    if unclassified:
        warnings.append(
            f"{sum(unclassified.values())} organisation(s) no role rule classifies (religious, medical, welfare, "
            "health-insurance, most NPOs and associations) were left out; --include-unclassified keeps them"
        )
    return warnings


def _match_by_name(
    kept: Mapping[str, _Kept],
    superseded: set[int],
    by_number: Mapping[str, str],
    names: _NameIndex,
    options: LoadOptions,
    refused: list[dict[str, Any]],
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Corporate number → id of the stored organisation it is adopted by, and the ambiguities.

    A row whose number is not in the store is matched by normalised name within its model region
    against the stored organisations without a corporate number. It is adopted only when it has
    exactly one candidate and no other row of this load has that same one candidate; otherwise each
    row concerned is an ambiguity (with its candidates), never a guess.
    """
    if not names:
        return {}, []
    claims: dict[str, list[str]] = defaultdict(list)
    ambiguous: list[dict[str, Any]] = []
    for number, row in kept.items():
        if number in by_number or (row.hidden and not options.include_hidden):
            continue
        if not row.latest and int(number) in superseded:
            continue
        role = classify_role(row.kind, row.name, number)
        mismatched: list[str] = []
        found = _name_candidates(names, row.name, row.prefecture, row.city, role, mismatched)
        if mismatched:
            refused.append({"corporate_number": number, "name": row.name, "role": role, "not": sorted(mismatched)})
        if len(found) == 1:
            claims[found[0][0]].append(number)
        elif found:
            region = region_for(row.prefecture, row.city)
            reason = f"{len(found)} stored organisations share its normalised name in region {region}"
            ambiguous.append(_ambiguity(number, row, found, reason))
    adopted = _adopt(claims, kept, names, ambiguous)
    ambiguous.sort(key=lambda e: (e["region"], e["normalised"], e["corporate_number"]))
    return adopted, ambiguous


def _adopt(
    claims: Mapping[str, list[str]], kept: Mapping[str, _Kept], names: _NameIndex, ambiguous: list[dict[str, Any]]
) -> dict[str, str]:
    """Numbers adopted by the one stored organisation only they claim; the others become ambiguities."""
    adopted: dict[str, str] = {}
    for org_id, numbers in claims.items():
        if len(numbers) == 1:
            adopted[numbers[0]] = org_id
            continue
        for number in numbers:
            row = kept[number]
            found = _name_candidates(
                names, row.name, row.prefecture, row.city, classify_role(row.kind, row.name, number)
            )
            others = ", ".join(n for n in numbers if n != number)
            ambiguous.append(_ambiguity(number, row, found, f"its one name candidate is also matched by {others}"))
    return adopted


def _ambiguity(number: str, row: _Kept, found: list[tuple[str, str]], reason: str) -> dict[str, Any]:
    return {
        "corporate_number": number,
        "id": org_id_for_corporate_number(number),
        "name": row.name,
        "normalised": normalise_name(row.name),
        "region": region_for(row.prefecture, row.city),
        "line": str(row.origin),
        "reason": reason,
        "candidates": [{"id": org_id, "name": name} for org_id, name in sorted(found)],
    }


def _registry_props(number: str, row: _Kept, codes: dict[str, str]) -> dict[str, Any]:
    """The registry's facts about one organisation (empty fields left out)."""
    props: dict[str, Any] = {"name": row.name, "corporate_number": number, "evidence": number}
    if row.name_en:
        props["name_en"] = row.name_en
    if row.furigana:
        props["furigana"] = row.furigana
    if row.prefecture:
        props["prefecture_code"] = row.prefecture
        if row.city:
            city_code = row.prefecture + row.city
            props["city_code"] = codes.setdefault(city_code, city_code)
    if row.address:
        props["address"] = row.address
    if row.close_date:
        props["close_date"] = row.close_date
    return props
