"""Loader for J-PlatPat search-result list CSVs (特許・実用新案), ``ipeco load jplatpat`` (data-formats.md §3).

A producer exports the patents of a technology or a region from J-PlatPat, a few thousand rows at a
time, and loads all the files at once: they are merged and de-duplicated on 文献番号 (the first file
that holds a document wins; a later copy that disagrees is reported as a warning).

Format (data-formats.md §3): UTF-8, often with a BOM (stripped), one header row; users may deselect
columns, so a file is recognised by the signature set {文献番号, 出願人/権利者, FI} and read by
header name. Several applicants share one cell, separated by ``,`` (the first is the lead). FI codes
are comma-separated, but one FI may itself contain a comma (``H02J3/00,170``): a token that does not
start a new class (``^[A-H][0-9]``) belongs to the code before it. ``▲…▼`` marks characters
J-PlatPat could not show (``深▲セン▼市``): the text is kept, the marks are dropped for matching.

Applicants are never guessed. There is no applicant address, so an applicant is resolved to an
organisation already in the store by its normalised name (:func:`normalise_name`: NFKC full/half
width, 法人格 such as 株式会社/（株）/国立大学法人 removed as a prefix or suffix only, spaces and ▲▼
dropped) whose role agrees with the one the applicant's name gives (:func:`loaders.roles.classify_name`
and :func:`loaders.roles.roles_compatible`: 神戸市公立大学法人 never resolves to 神戸市), among the
organisations of ``--region`` when one is given (an organisation's region is the ``region``
attribute of its context entry: the region it is ``LOCATED_IN``), else among all. An applicant with
no match goes to ``report["unresolved"]``, one with several to ``report["ambiguous"]`` with the
candidates; neither contributes a tie.

Graph: resolved co-applicants of a document → ``COLLABORATES_WITH {kind: co_application, weight:
documents}`` (one direction, ids ordered); each document with a resolved applicant → an ``IPRight``
(kind patent or utility_model, number = 登録番号 where the list has it, else 文献番号; title = 発明の名称;
filed_on = 出願日; tech_fields = its FI subclasses) and a ``HOLDS`` from every resolved applicant, the
shape of the seeds' IP layer (:mod:`loaders.iprights`); each FI subclass of a document → ``TechField``
``tech:<subclass>`` (scheme FI) and ``ACTIVE_IN {patents: documents}`` from every resolved
applicant. This module also holds the patent helpers the gBizINFO loader shares
(:func:`split_fi`, :func:`fi_subclass`, :func:`read_table`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any, Final

from graph.batch import Batch, NodeRecord, Origin, RelRecord, Violation
from graph.schema import role_label
from loaders.base import FORMULA_PREFIXES, LoadContext, LoaderError, LoadOptions, LoadResult, csv_rows
from loaders.iprights import holds_record, ip_right_id, ip_right_record, iso_date, right_kind
from loaders.roles import classify_name, roles_compatible

__all__ = [
    "LEGAL_FORMS",
    "SIGNATURE",
    "Table",
    "fi_subclass",
    "normalise_name",
    "read_jplatpat",
    "read_table",
    "split_fi",
    "tech_field_node",
]

SOURCE: Final = "jplatpat"
SIGNATURE: Final = frozenset({"文献番号", "出願人/権利者", "FI"})

#: 法人格 (legal-form words) removed before matching names, longest first so that 国立大学法人 goes
#: before 大学法人-like fragments; abbreviations are written as they read after NFKC.
LEGAL_FORMS: Final[tuple[str, ...]] = tuple(
    sorted(
        {
            *("株式会社", "有限会社", "合同会社", "合名会社", "合資会社", "相互会社"),
            *("(株)", "(有)", "(同)", "(名)", "(資)", "(財)", "(社)", "(学)", "(独)"),
            *("国立大学法人", "公立大学法人", "学校法人", "独立行政法人", "国立研究開発法人", "地方独立行政法人"),
            *("一般社団法人", "公益社団法人", "一般財団法人", "公益財団法人", "社団法人", "財団法人"),
            *("特定非営利活動法人", "社会福祉法人", "医療法人", "特許業務法人", "弁護士法人", "農事組合法人"),
            *("弁理士法人", "社会医療法人", "宗教法人", "大学共同利用機関法人", "(一社)", "(公社)", "(一財)", "(公財)"),
        },
        key=len,
        reverse=True,
    )
)

_CLASS_START: Final = re.compile(r"^[A-H][0-9]")
_SUBCLASS: Final = re.compile(r"^[A-H][0-9]{2}[A-Z]")
_MARKS: Final = str.maketrans("", "", "▲▼")
_SPACES: Final = re.compile(r"\s+")
_ABBREVIATION: Final = re.compile(r"(?<=.)\([A-Za-z][A-Za-z0-9.&'-]*\)$")
_EVIDENCE_REFS: Final = 5


def normalise_name(name: str) -> str:
    """The matching key of an organisation name: NFKC, no 法人格 at either end, no spaces, no ▲▼ marks.

    A legal form is removed only as a prefix or a suffix (issue 13): anywhere else it is part of the
    name. A trailing ascii abbreviation in brackets, as the seeds write it (``(ISICO)``), is dropped.
    Equal keys are not enough to match: callers also require agreeing roles
    (:func:`loaders.roles.roles_compatible`), because 神戸市公立大学法人 and 神戸市 share a key.

    >>> normalise_name("株式会社 神戸製鋼所")
    '神戸製鋼所'
    >>> normalise_name("（株）ＫＯＢＥ　ｂｉｏ") == normalise_name("株式会社Kobe Bio")
    True
    >>> normalise_name("深▲セン▼市テック有限会社")
    '深セン市テック'
    >>> normalise_name("公益財団法人石川県産業創出支援機構 (ISICO)")
    '石川県産業創出支援機構'
    >>> normalise_name("石川県公立大学法人"), normalise_name("ひょうご株式会社連合")
    ('石川県', 'ひょうご株式会社連合')
    """
    text = unicodedata.normalize("NFKC", name.translate(_MARKS))
    text = _SPACES.sub("", text)
    text = _ABBREVIATION.sub("", text)
    for form in LEGAL_FORMS:
        if text.startswith(form):
            text = text[len(form) :]
            break
    for form in LEGAL_FORMS:
        if text.endswith(form):
            text = text[: -len(form)]
            break
    return text.casefold()


def split_fi(cell: str) -> list[str]:
    """Split an FI cell into codes; a token that does not start a class continues the code before.

    >>> split_fi("H02J3/00,170,H02J7/00,B60L53/00")
    ['H02J3/00,170', 'H02J7/00', 'B60L53/00']
    >>> split_fi("Ａ２３Ｌ２/００，１０１")
    ['A23L2/00,101']
    """
    codes: list[str] = []
    for raw in re.split(r"[,;]", unicodedata.normalize("NFKC", cell)):
        token = _SPACES.sub("", raw)
        if not token:
            continue
        if _CLASS_START.match(token) or not codes:
            codes.append(token)
        else:
            codes[-1] += f",{token}"
    return codes


def fi_subclass(code: str) -> str | None:
    """The subclass (first four characters, e.g. ``A23L``) of an FI code, None when it has none."""
    match = _SUBCLASS.match(code)
    return match.group(0) if match else None


def tech_field_node(subclass: str, origin: Origin | None = None) -> NodeRecord:
    """The ``TechField`` node of an FI subclass (FI subclasses are IPC subclasses)."""
    return NodeRecord(f"tech:{subclass}", ("TechField",), {"scheme": "FI", "code": subclass, "name": subclass}, origin)


@dataclass
class Table:
    """A CSV with a header row: column index by (NFKC) header name, and its rows."""

    path: Path
    columns: dict[str, int]
    header: list[str] = field(default_factory=list)  # as in the file, for messages
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    def column(self, *names: str) -> int | None:
        """Index of the first of ``names`` present (header generations name a column differently)."""
        return next((self.columns[n] for n in names if n in self.columns), None)


def read_table(
    path: Path, encoding: str | None, problems: list[Violation], encodings: dict[str, str] | None = None
) -> Table:
    """Read a header-row CSV (BOM stripped); rows whose width differs from the header are problems.

    A record with more fields than the header is an extra trailing field, one with fewer lacks
    the first missing column: both are reported with their line and that column's name.
    """
    rows = csv_rows(path, encoding, encodings)
    try:
        _, header = next(rows)
    except StopIteration:
        raise LoaderError([Violation(Origin(str(path)), "file", "is empty: expected a header row")]) from None
    names = [unicodedata.normalize("NFKC", name).strip() for name in header]
    table = Table(path, {name: index for index, name in reversed(list(enumerate(names))) if name}, names)
    for line, fields in rows:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) > len(names):
            extra = fields[len(names)]
            msg = f"extra trailing field {extra!r:.40}: the header has {len(names)} columns"
            problems.append(Violation(Origin(str(path), line), f"column {len(names) + 1}", msg))
            continue
        if len(fields) < len(names):
            msg = f"the row has {len(fields)} fields, the header {len(names)}"
            problems.append(Violation(Origin(str(path), line), names[len(fields)], msg))
            continue
        table.rows.append((line, fields))
    return table


def check_text(value: str, origin: Origin, column: str, problems: list[Violation]) -> str:
    """``value`` stripped, or a problem when it is a spreadsheet formula (never a name)."""
    value = value.strip()
    if value.startswith(FORMULA_PREFIXES):
        problems.append(Violation(origin, column, f"starts with {value[0]!r}: a spreadsheet formula is not a name"))
        return ""
    return value


def evidence_of(prefix: str, refs: Iterable[str]) -> str:
    """``prefix`` plus the first few record references, and how many more there are."""
    unique = list(dict.fromkeys(r for r in refs if r))
    shown = "; ".join(unique[:_EVIDENCE_REFS])
    more = f" (+{len(unique) - _EVIDENCE_REFS} more)" if len(unique) > _EVIDENCE_REFS else ""
    return f"{prefix} {shown}{more}".strip()


@dataclass
class _Document:
    number: str
    applicants: list[str]
    fi: list[str]
    ref: str
    origin: Origin
    title: str = ""
    filed_on: str | None = None
    registration: str = ""


def _candidates(
    organisations: Mapping[str, Mapping[str, Any]], region: str | None
) -> dict[str, list[tuple[str, str, str | None]]]:
    """Normalised name → [(id, name, role)] of the organisations an applicant may resolve to."""
    index: dict[str, list[tuple[str, str, str | None]]] = defaultdict(list)
    for org_id, attrs in organisations.items():
        if region is not None and attrs.get("region") != region:
            continue
        name = attrs.get("name")
        if isinstance(name, str) and (key := normalise_name(name)):
            index[key].append((org_id, name, role_label(list(attrs.get("labels", ())))))
    return index


@dataclass
class _Reading:
    """What reading the files gathers: documents by number, problems, warnings, duplicate count."""

    documents: dict[str, _Document] = field(default_factory=dict)
    problems: list[Violation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encodings: dict[str, str] = field(default_factory=dict)
    duplicates: int = 0

    def add(self, doc: _Document) -> None:
        """Keep the first copy of a document number; warn when a later copy differs."""
        first = self.documents.get(doc.number)
        if first is None:
            self.documents[doc.number] = doc
            return
        self.duplicates += 1
        if (first.applicants, first.fi) != (doc.applicants, doc.fi):
            self.warnings.append(
                f"{doc.origin}: 文献番号 {doc.number} differs from its copy at {first.origin}; kept the first"
            )


def read_jplatpat(paths: list[Path], options: LoadOptions, context: LoadContext) -> LoadResult:
    """Read J-PlatPat list CSVs into co-application and technology ties (see the module docstring)."""
    reading = _Reading()
    for path in paths:
        _read_file(path, options, reading)
    if reading.problems:
        raise LoaderError(reading.problems)
    warnings = reading.warnings
    region = options.region.removeprefix("region:") if options.region else None
    if region is not None and not any(a.get("region") == region for a in context.organisations.values()):
        warnings.append(f"no organisation in the store is located in region {region!r}: every applicant is unresolved")
    candidates = _candidates(context.organisations, region)
    result = _build(reading.documents, candidates, context, reading.duplicates, warnings, region)
    result.report["encodings"] = reading.encodings
    return result


def _read_file(path: Path, options: LoadOptions, reading: _Reading) -> None:
    """Read one list CSV into ``reading``: its header checked first, then each row."""
    problems = reading.problems
    table = read_table(path, options.encoding, problems, reading.encodings)
    missing = sorted(SIGNATURE - table.columns.keys())
    if missing:
        found = ", ".join(table.header) or "none"
        for name in missing:
            msg = f"missing column: a J-PlatPat list needs {', '.join(sorted(SIGNATURE))}; header has {found}"
            problems.append(Violation(Origin(str(path), 1), name, msg))
        return
    columns = _Columns(
        table.columns["文献番号"],
        table.columns["出願人/権利者"],
        table.columns["FI"],
        table.column("文献URL"),
        {name: table.column(name) for name in ("発明の名称", "出願日", "登録番号")},
    )
    for line, fields in table.rows:
        doc = _document(fields, columns, Origin(str(path), line), problems)
        if doc is not None:
            reading.add(doc)


@dataclass(frozen=True)
class _Columns:
    """Where a list's columns are: the three it needs, the URL and the optional extras."""

    number: int
    applicant: int
    fi: int
    url: int | None
    extra: dict[str, int | None]


def _document(fields: list[str], at: _Columns, origin: Origin, problems: list[Violation]) -> _Document | None:
    """One row as a document (None, with a problem, when its number is empty)."""
    number = unicodedata.normalize("NFKC", fields[at.number]).strip()
    if not number:
        problems.append(Violation(origin, "文献番号", "is required: the document number is empty"))
        return None
    applicants = [check_text(a, origin, "出願人/権利者", problems) for a in re.split(r"[,，]", fields[at.applicant])]
    fi = split_fi(fields[at.fi])
    bad = [code for code in fi if fi_subclass(code) is None]
    if bad:
        problems.append(Violation(origin, "FI", f"{bad[0]!r} is not an FI code (expected e.g. H02J3/00,170)"))
    ref = fields[at.url].strip() if at.url is not None else ""
    return _Document(number, [a for a in applicants if a], fi, ref or number, origin, *_extras(fields, at.extra))


def _extras(fields: list[str], at: Mapping[str, int | None]) -> tuple[str, str | None, str]:
    """Title, filing date and registration number of a document, where the list has those columns."""

    def cell(name: str) -> str:
        index = at.get(name)
        return unicodedata.normalize("NFKC", fields[index]).strip() if index is not None else ""

    title = cell("発明の名称")
    return ("" if title.startswith(FORMULA_PREFIXES) else title), iso_date(cell("出願日")), cell("登録番号")


def _right_records(doc: _Document, holders: list[str]) -> tuple[NodeRecord, list[RelRecord]]:
    """The document's ``IPRight`` and one ``HOLDS`` per resolved applicant (:mod:`loaders.iprights`)."""
    kind = right_kind("", doc.number)
    number = doc.registration or doc.number
    right = ip_right_id(kind, number)
    evidence = doc.ref if doc.ref.startswith(("http://", "https://")) else f"J-PlatPat {doc.ref}"
    subclasses = [s for code in doc.fi if (s := fi_subclass(code))]
    node = ip_right_record(
        right,
        kind,
        number,
        title=doc.title,
        filed_on=doc.filed_on,
        tech_fields=subclasses,
        evidence=evidence,
        origin=doc.origin,
    )
    return node, [holds_record(holder, right, evidence, doc.origin) for holder in holders]


@dataclass
class _Resolution:
    """Applicant names resolved to organisations, and those that matched none or several."""

    candidates: Mapping[str, list[tuple[str, str, str | None]]]
    unresolved: dict[str, dict[str, Any]] = field(default_factory=dict)
    ambiguous: dict[str, dict[str, Any]] = field(default_factory=dict)
    stats: Counter[str] = field(default_factory=Counter)

    def resolve(self, doc: _Document) -> list[str]:
        """The distinct organisation ids of a document's applicants that resolve to exactly one."""
        resolved: list[str] = []
        for position, applicant in enumerate(doc.applicants):
            found = self._matches(applicant)
            if len(found) == 1:
                self.stats["resolved"] += 1
                if found[0][0] not in resolved:
                    resolved.append(found[0][0])
                continue
            self._remember(applicant, found, doc.number, lead=position == 0)
        return resolved

    def _matches(self, applicant: str) -> list[tuple[str, str]]:
        self.stats["applicants"] += 1
        role = classify_name(applicant)
        named = self.candidates.get(normalise_name(applicant), [])
        found = [(i, n) for i, n, stored in named if roles_compatible(role, stored)]
        if len(found) < len(named):
            self.stats["refused_by_role"] += 1  # 神戸市公立大学法人 is not 神戸市
        return found

    def _remember(self, applicant: str, found: list[tuple[str, str]], number: str, *, lead: bool) -> None:
        key = normalise_name(applicant)
        bucket = self.ambiguous if found else self.unresolved
        entry = bucket.setdefault(key, {"applicant": applicant, "normalised": key, "documents": [], "lead": 0})
        if found:
            entry["candidates"] = [{"id": i, "name": n} for i, n in sorted(found)]
        entry["documents"].append(number)
        entry["lead"] += lead

    def report(self, documents: int, duplicates: int, region: str | None, rights: int) -> dict[str, Any]:
        for entry in (*self.unresolved.values(), *self.ambiguous.values()):
            entry["count"] = len(entry["documents"])
        return {
            "documents": documents,
            "duplicates": duplicates,
            "applicants": self.stats["applicants"],
            "resolved": self.stats["resolved"],
            "name_matches_refused_by_role": self.stats["refused_by_role"],
            "unresolved": sorted(self.unresolved.values(), key=lambda e: (-e["count"], e["normalised"])),
            "ambiguous": sorted(self.ambiguous.values(), key=lambda e: (-e["count"], e["normalised"])),
            "region": region,
            "ip_rights": rights,
        }


def _build(
    documents: Mapping[str, _Document],
    candidates: Mapping[str, list[tuple[str, str, str | None]]],
    context: LoadContext,
    duplicates: int,
    warnings: list[str],
    region: str | None,
) -> LoadResult:
    resolution = _Resolution(candidates)
    active: dict[tuple[str, str], list[str]] = defaultdict(list)
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    first_origin: dict[tuple[str, ...], Origin] = {}
    right_nodes: dict[str, NodeRecord] = {}
    holds: list[RelRecord] = []
    for doc in documents.values():
        resolved = resolution.resolve(doc)
        for subclass in dict.fromkeys(s for code in doc.fi if (s := fi_subclass(code))):
            for org_id in resolved:
                active[(org_id, subclass)].append(doc.ref)
                first_origin.setdefault((org_id, subclass), doc.origin)
        for pair in combinations(sorted(resolved), 2):
            pairs[pair].append(doc.ref)
            first_origin.setdefault(pair, doc.origin)
        if resolved:
            node, ties = _right_records(doc, resolved)
            if node.id not in right_nodes:  # a published and a granted document of one right: one right
                right_nodes[node.id] = node
                holds.extend(ties)
    batch = _ties(active, pairs, first_origin, context)
    batch.nodes += list(right_nodes.values())
    batch.relationships += holds
    report = resolution.report(len(documents), duplicates, region, len(right_nodes))
    unresolved, ambiguous = resolution.unresolved, resolution.ambiguous
    if unresolved or ambiguous:
        warnings.append(
            f"{len(unresolved)} applicant name(s) matched no organisation and {len(ambiguous)} matched several"
            f"{' in region ' + region if region else ''}; see the report's unresolved and ambiguous lists "
            "(load the organisations first, e.g. with `ipeco load houjin`, or add them to the canonical template)"
        )
    return LoadResult(batch, warnings, report)


def _ties(
    active: Mapping[tuple[str, str], list[str]],
    pairs: Mapping[tuple[str, str], list[str]],
    first_origin: Mapping[tuple[str, ...], Origin],
    context: LoadContext,
) -> Batch:
    """The batch: missing TechField nodes, ``ACTIVE_IN`` per organisation and subclass, co-applications."""
    batch = Batch(SOURCE)
    for subclass in sorted({s for _, s in active}):
        if f"tech:{subclass}" not in context.known_nodes:
            batch.nodes.append(tech_field_node(subclass, Origin("(jplatpat)")))
    for (org_id, subclass), refs in sorted(active.items()):
        props = {"patents": len(refs), "evidence": evidence_of("J-PlatPat", refs)}
        batch.relationships.append(
            RelRecord("ACTIVE_IN", org_id, f"tech:{subclass}", props, first_origin[(org_id, subclass)])
        )
    for (a, b), refs in sorted(pairs.items()):
        props = {"kind": "co_application", "weight": float(len(refs)), "evidence": evidence_of("J-PlatPat", refs)}
        batch.relationships.append(RelRecord("COLLABORATES_WITH", a, b, props, first_origin[(a, b)]))
    return batch
