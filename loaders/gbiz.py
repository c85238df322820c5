"""Loaders for gBizINFO (経済産業省) bulk CSVs: 特許 and 補助金, ``ipeco load gbiz-patent|gbiz-subsidy``.

Format (data-formats.md §2): UTF-8 **with BOM**, one header row, quoted; the schema changed between
generations, so every column is found **by header name** and both generations are accepted:

============  =========================================  ===========================================
file          current generation                         older generation
============  =========================================  ===========================================
特許          法人番号, 法人名, 本社所在地, 特許/意匠/商標,  the same with 出願番号 instead of 登録番号
(Tokkyojoho)  登録番号, 出願年月日, 特許_FI分類_コード値, …,   and no 文献固定アドレス (14 columns)
              文献固定アドレス (15 columns)
補助金        法人番号, 法人名, 本社所在地, 証明日, 名称,     法人番号, 法人名, 本社所在地, 認定日, 補助金等,
(Hojokin…)    金額, 対象, 発行元 (8 columns)                金額, 対象, 府省, 備考, 連名リスト, 補助金財源
============  =========================================  ===========================================

Today's downloads name 法人名 ``商号または名称`` and 本社所在地 ``登記住所`` and add six metadata
columns (キー情報, データ品質, 出典元, データ取込頻度, 最終取得日, 最終更新日), which are read past: every
generation of both files is accepted. The literal ``Null`` is a missing value. 金額 may hold
commas and be negative (a refund). Header names are compared after NFKC, so ``（日本語）`` and
``(日本語)`` are the same column.

Patents
    Each FI code of a 特許 row gives its subclass (``A23L``): a ``TechField`` ``tech:A23L``
    (scheme FI) and ``ACTIVE_IN {patents: n}`` where n counts the organisation's distinct rights
    in that subclass. A right (type + 登録番号, or 出願番号 in the older generation) held by two or
    more corporate numbers is co-owned: ``COLLABORATES_WITH {kind: co_application, weight: rights
    shared}`` between each pair, one direction, ids in order (a [guess] in data-formats.md: it
    counts co-owned designs and trademarks too, and the report splits them by type). Each right is
    also an ``IPRight`` (kind from 特許/意匠/商標, number, title from 発明の名称(等)/…, filed_on from
    出願年月日, tech_fields its FI subclasses) with a ``HOLDS`` from every holder: the shape of the
    seeds' IP layer (:mod:`loaders.iprights`).

Subsidies
    Each row → ``FINANCES {kind: subsidy, amount, title, date, fiscal_year}`` from the issuing
    body (発行元, older 府省) to the recipient. The fiscal year is the Japanese one (April–March)
    of the date. Grants with the same issuer, recipient, fiscal year and title are one relationship
    (its identity in the schema): amounts are summed and ``grants`` counts them. The issuer is an
    organisation already in the store with exactly that name when there is one, else a
    ``GovernmentBody`` ``org:gov-<slug>`` (:data:`GOVERNMENT_SLUGS` for the common ministries, a
    stable hash of the name otherwise). 連名リスト becomes ``joint_recipients``.

Organisations are referenced by corporate number: an organisation already in the store with that
``corporate_number`` keeps its id; otherwise a minimal node ``org:<法人番号>`` is created from
法人番号 and 法人名, its role label from the name rules of the 法人番号 loader
(:func:`loaders.roles.classify_name`, which also knows the corporate-number range of national bodies
and local governments). An organisation no rule classifies is left out with its rows (counted in
``report["unclassified"]``) unless ``include_unclassified`` keeps it as Company flagged
``role_inferred: "unclassified"``. A row without 法人番号 (real files hold them) is skipped and
listed with its line in ``report["skipped_rows"]``; only structural faults (missing columns, an
unreadable encoding) refuse a file.

Attribution is required in outputs: 「出典：gBizINFO（経済産業省）」 is ``report["attribution"]``
and starts the ``evidence`` of every node and relationship, followed by the record references
(文献固定アドレス, 登録番号 or 出願番号, or the subsidy's title and date).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any, Final

from graph.batch import Batch, NodeRecord, Origin, RelRecord, Violation
from graph.identifiers import is_valid_corporate_number, org_id_for_corporate_number
from loaders.base import LoadContext, LoaderError, LoadOptions, LoadResult
from loaders.iprights import holds_record, ip_right_id, ip_right_record, iso_date, right_kind
from loaders.jplatpat import Table, check_text, evidence_of, fi_subclass, read_table, split_fi, tech_field_node
from loaders.roles import classify_name

__all__ = ["ATTRIBUTION", "GOVERNMENT_SLUGS", "fiscal_year", "government_id", "read_gbiz_patent", "read_gbiz_subsidy"]

ATTRIBUTION: Final = "出典：gBizINFO（経済産業省）"
NULL: Final = "Null"

#: Stable ascii slugs of the bodies that issue most subsidies; others get ``x<hash>``.
GOVERNMENT_SLUGS: Final[dict[str, str]] = {
    "経済産業省": "meti",
    "中小企業庁": "chusho",
    "農林水産省": "maff",
    "厚生労働省": "mhlw",
    "文部科学省": "mext",
    "国土交通省": "mlit",
    "環境省": "env",
    "総務省": "soumu",
    "内閣府": "cao",
    "特許庁": "jpo",
}

_NUMBER: Final = "法人番号"
_NAME: Final = "法人名"
#: The name and address columns of the current generation (商号または名称, 登記住所) and the older one.
_NAMES: Final = ("商号または名称", "法人名")
_ADDRESSES: Final = ("登記住所", "本社所在地")
_SPACES: Final = re.compile(r"\s+")


def fiscal_year(day: date) -> int:
    """The Japanese fiscal year (April–March) of ``day``, in western numbering.

    >>> fiscal_year(date(2024, 3, 31)), fiscal_year(date(2024, 4, 1))
    (2023, 2024)
    """
    return day.year if day.month >= 4 else day.year - 1


def government_id(name: str) -> str:
    """``org:gov-<slug>`` for an issuing body: the table's slug, else a stable hash of the name.

    >>> government_id("経済産業省"), government_id("青森県")
    ('org:gov-meti', 'org:gov-x6f3797b474')
    """
    key = _SPACES.sub("", unicodedata.normalize("NFKC", name))
    slug = GOVERNMENT_SLUGS.get(key) or "x" + hashlib.blake2b(key.encode(), digest_size=5).hexdigest()
    return f"org:gov-{slug}"


_DATE_FORMS: Final = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})(?: .*)?"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


@dataclass
class _Reader:
    """Shared per-load state: problems, context indexes, organisations referenced and created."""

    context: LoadContext
    problems: list[Violation] = field(default_factory=list)
    by_number: dict[str, str] = field(default_factory=dict)
    nodes: dict[str, NodeRecord] = field(default_factory=dict)
    stats: Counter[str] = field(default_factory=Counter)
    include_unclassified: bool = False
    skipped: list[dict[str, str]] = field(default_factory=list)
    unclassified: dict[str, str] = field(default_factory=dict)
    encodings: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for org_id, attrs in self.context.organisations.items():
            number = attrs.get("corporate_number")
            if isinstance(number, str) and number:
                self.by_number.setdefault(number, org_id)

    def value(self, table: Table, fields: list[str], *names: str) -> str:
        """The cell of the first of ``names`` present, stripped; ``Null`` reads as empty."""
        index = table.column(*names)
        if index is None:
            return ""
        text = fields[index].strip()
        return "" if text == NULL else text

    def require(self, table: Table, *groups: tuple[str, ...]) -> bool:
        """Report each group of alternative column names of which no name is in the header."""
        ok = True
        for names in groups:
            if table.column(*names) is None:
                alternatives = " or ".join(names)
                found = ", ".join(table.header) or "none"
                msg = f"missing column {alternatives} (current or older gBizINFO generation); header has {found}"
                self.problems.append(Violation(Origin(str(table.path), 1), names[0], msg))
                ok = False
        return ok

    def organisation(self, table: Table, fields: list[str], origin: Origin, ref: str) -> str | None:
        """The id of the row's organisation, creating a minimal node when the store lacks it.

        None when the row is skipped: no 法人番号 (real files hold such rows; reported with their
        line), an unclassified organisation the store lacks (unless ``include_unclassified``), or
        a bad number (a problem).
        """
        number = unicodedata.normalize("NFKC", self.value(table, fields, _NUMBER))
        if not number:
            self.skipped.append({"line": str(origin), "field": _NUMBER, "reason": "is empty: no 法人番号"})
            return None
        if not is_valid_corporate_number(number):
            why = "fails the check digit" if re.fullmatch(r"[0-9]{13}", number) else "is not 13 digits"
            self.problems.append(Violation(origin, _NUMBER, f"{number!r} {why}: expected a 13-digit 法人番号"))
            return None
        name = check_text(self.value(table, fields, *_NAMES), origin, _NAME, self.problems)
        if (known := self.by_number.get(number)) is not None:
            return known
        org_id = org_id_for_corporate_number(number)
        if org_id in self.context.organisations or org_id in self.nodes:
            return org_id
        if not name:
            self.stats["unnamed"] += 1
            name = f"法人番号 {number}"
        label = classify_name(name, number)
        if label is None and not self.include_unclassified:
            self.unclassified[number] = name
            return None
        props: dict[str, Any] = {"name": name, "corporate_number": number, "evidence": f"{ATTRIBUTION} {ref}"}
        if label is None:
            props["role_inferred"] = "unclassified"
        address = self.value(table, fields, *_ADDRESSES)
        if address:
            props["address"] = check_text(address, origin, _ADDRESSES[0], self.problems)
        self.nodes[org_id] = NodeRecord(org_id, ("Organization", label or "Company"), props, origin)
        self.stats["organisations_created"] += 1
        return org_id

    def result(self, batch: Batch, report: dict[str, Any]) -> LoadResult:
        if self.problems:
            raise LoaderError(self.problems)
        batch.nodes[:0] = self.nodes.values()
        warnings = []
        if self.stats["unnamed"]:
            warnings.append(f"{self.stats['unnamed']} organisation(s) had no 法人名 (Null); named by corporate number")
        report = {
            "attribution": ATTRIBUTION,
            **report,
            "organisations_created": self.stats["organisations_created"],
            "encodings": self.encodings,
            "skipped_rows": {"count": len(self.skipped), "rows": self.skipped[:200]},
            "unclassified": {"left_out": len(self.unclassified), "names": sorted(self.unclassified.values())[:50]},
        }
        for entry in self.skipped[:20]:
            warnings.append(f"{entry['line']}: field '{entry['field']}' {entry['reason']}; row skipped")
        if len(self.skipped) > 20:
            warnings.append(f"… and {len(self.skipped) - 20} more rows skipped; see the report's skipped_rows")
        if self.unclassified:
            warnings.append(
                f"{len(self.unclassified)} organisation(s) no role rule classifies were left out with their rows; "
                "--include-unclassified keeps them"
            )
        return LoadResult(batch, warnings, report)


@dataclass
class _Patents:
    """What the 特許 rows gather: each right's holders, reference, details and the FI subclasses of holders."""

    holders: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    right_refs: dict[tuple[str, str], str] = field(default_factory=dict)
    active: dict[tuple[str, str], dict[tuple[str, str], str]] = field(default_factory=lambda: defaultdict(dict))
    origins: dict[tuple[str, ...], Origin] = field(default_factory=dict)
    by_type: Counter[str] = field(default_factory=Counter)
    details: dict[tuple[str, str], tuple[str, str | None]] = field(default_factory=dict)

    def add_row(self, reader: _Reader, table: Table, fields: list[str], origin: Origin) -> None:
        """One row: its holder resolved, its right remembered, its FI codes turned into subclasses."""
        kind = reader.value(table, fields, "特許/意匠/商標")
        number = unicodedata.normalize("NFKC", reader.value(table, fields, "登録番号", "出願番号"))
        url = reader.value(table, fields, "文献固定アドレス")
        ref = url or number or f"{Path(origin.file).name} line {origin.line}"
        org_id = reader.organisation(table, fields, origin, ref)
        if org_id is None:
            return
        right = (kind, number) if number else (kind, ref)
        self.details.setdefault(right, _right_details(reader, table, fields, origin))
        self.by_type[kind or "?"] += 1
        self.holders[right].add(org_id)
        self.right_refs.setdefault(right, ref)
        self.origins.setdefault(right, origin)
        for code in split_fi(reader.value(table, fields, "特許_FI分類_コード値")):
            subclass = fi_subclass(code)
            if subclass is None:
                msg = f"{code!r} is not an FI code (expected e.g. A23L2/00,101)"
                reader.problems.append(Violation(origin, "特許_FI分類_コード値", msg))
                continue
            self.active[(org_id, subclass)][right] = ref
            self.origins.setdefault((org_id, subclass), origin)

    def shared(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """Pairs of holders → the rights they hold together."""
        shared: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for right, owners in self.holders.items():
            for pair in combinations(sorted(owners), 2):
                shared[pair].append(right)
        return shared


def read_gbiz_patent(paths: list[Path], options: LoadOptions, context: LoadContext) -> LoadResult:
    """Read gBizINFO 特許 CSVs into technology fields and co-ownership ties (see the module docstring)."""
    reader = _Reader(context, include_unclassified=options.include_unclassified)
    patents = _Patents()
    for path in paths:
        table = read_table(path, options.encoding, reader.problems, reader.encodings)
        groups = ((_NUMBER,), _NAMES, ("特許/意匠/商標",), ("登録番号", "出願番号"), ("特許_FI分類_コード値",))
        if not reader.require(table, *groups):
            continue
        for line, fields in table.rows:
            patents.add_row(reader, table, fields, Origin(str(path), line))
    batch = Batch("gbiz-patent")
    _add_fields(batch, patents, context)
    shared = patents.shared()
    _add_rights(batch, patents.holders, patents.details, patents.right_refs, patents.active, patents.origins)
    for (a, b), co_owned in sorted(shared.items()):
        props = {
            "kind": "co_application",
            "weight": float(len(co_owned)),
            "evidence": evidence_of(ATTRIBUTION, (patents.right_refs[r] for r in co_owned)),
        }
        batch.relationships.append(RelRecord("COLLABORATES_WITH", a, b, props, patents.origins[co_owned[0]]))
    co_owned_by_type = Counter(right[0] or "?" for right, owners in patents.holders.items() if len(owners) > 1)
    report = {
        "rows": sum(patents.by_type.values()),
        "rights": len(patents.holders),
        "rows_by_type": dict(sorted(patents.by_type.items())),
        "co_owned_rights_by_type": dict(sorted(co_owned_by_type.items())),
        "active_in": len(patents.active),
        "collaborations": len(shared),
    }
    return reader.result(batch, report)


def _add_fields(batch: Batch, patents: _Patents, context: LoadContext) -> None:
    """The missing ``TechField`` nodes and one ``ACTIVE_IN`` per holder and FI subclass."""
    for subclass in sorted({s for _, s in patents.active}):
        if f"tech:{subclass}" not in context.known_nodes:
            node = tech_field_node(subclass, Origin("(gbiz-patent)"))
            node.props["evidence"] = ATTRIBUTION
            batch.nodes.append(node)
    for (org_id, subclass), rights in sorted(patents.active.items()):
        props = {"patents": len(rights), "evidence": evidence_of(ATTRIBUTION, rights.values())}
        origin = patents.origins[(org_id, subclass)]
        batch.relationships.append(RelRecord("ACTIVE_IN", org_id, f"tech:{subclass}", props, origin))


def _right_details(reader: _Reader, table: Table, fields: list[str], origin: Origin) -> tuple[str, str | None]:
    """A right's title (never a formula) and filing date, as the row gives them."""
    title = reader.value(table, fields, "発明の名称(等)/意匠に係る物品/表示用商標")
    filed = iso_date(reader.value(table, fields, "出願年月日"))
    return check_text(title, origin, "発明の名称(等)", reader.problems), filed


def _add_rights(
    batch: Batch,
    holders: dict[tuple[str, str], set[str]],
    details: dict[tuple[str, str], tuple[str, str | None]],
    refs: dict[tuple[str, str], str],
    active: dict[tuple[str, str], dict[tuple[str, str], str]],
    origins: dict[tuple[str, ...], Origin],
) -> None:
    """An ``IPRight`` per right and a ``HOLDS`` per holder (:mod:`loaders.iprights`), in a stable order."""
    fields: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (_, subclass), rights in active.items():
        for right in rights:
            fields[right].add(subclass)
    for right, owners in sorted(holders.items()):
        kind = right_kind(right[0])
        number = right[1]
        right_id = ip_right_id(kind, number)
        title, filed_on = details.get(right, ("", None))
        evidence = evidence_of(ATTRIBUTION, [refs[right]])
        origin = origins[right]
        batch.nodes.append(
            ip_right_record(
                right_id,
                kind,
                number,
                title=title,
                filed_on=filed_on,
                tech_fields=fields[right],
                evidence=evidence,
                origin=origin,
            )
        )
        batch.relationships += [holds_record(owner, right_id, evidence, origin) for owner in sorted(owners)]


def _parse_date(text: str) -> date | None:
    text = unicodedata.normalize("NFKC", text).strip()
    for form in _DATE_FORMS:
        if match := form.fullmatch(text):
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


def _parse_amount(text: str) -> float | None:
    """Yen from ``1,234,000``, ``-500,000``, ``１２３円`` or ``▲500`` (a negative in Japanese tables)."""
    text = unicodedata.normalize("NFKC", text).replace(",", "").replace("円", "").replace(" ", "")
    if text.startswith(("▲", "△")):
        text = "-" + text[1:]
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


@dataclass
class _Grant:
    issuer: str
    recipient: str
    props: dict[str, Any]
    refs: list[str]
    origin: Origin


@dataclass
class _Subsidies:
    """What the 補助金 rows gather: issuers created, grants merged by identity, rows counted."""

    by_name: dict[str, list[str]]
    issuers: dict[str, NodeRecord] = field(default_factory=dict)
    grants: dict[tuple[str, str, int | None, str], _Grant] = field(default_factory=dict)
    no_issuer: int = 0
    rows: int = 0


@dataclass(frozen=True)
class _SubsidyColumns:
    """The date, title and issuer columns of one file (their names differ between generations)."""

    date: str
    title: str
    issuer: str

    @classmethod
    def of(cls, table: Table) -> _SubsidyColumns:
        return cls(
            "証明日" if table.column("証明日") is not None else "認定日",
            "名称" if table.column("名称") is not None else "補助金等",
            "発行元" if table.column("発行元") is not None else "府省",
        )


def read_gbiz_subsidy(paths: list[Path], options: LoadOptions, context: LoadContext) -> LoadResult:
    """Read gBizINFO 補助金 CSVs into ``FINANCES {kind: subsidy}`` ties (see the module docstring)."""
    reader = _Reader(context, include_unclassified=options.include_unclassified)
    by_name: dict[str, list[str]] = defaultdict(list)
    for org_id, attrs in context.organisations.items():
        if isinstance(name := attrs.get("name"), str):
            by_name[_SPACES.sub("", unicodedata.normalize("NFKC", name))].append(org_id)
    state = _Subsidies(by_name)
    for path in paths:
        table = read_table(path, options.encoding, reader.problems, reader.encodings)
        groups = ((_NUMBER,), _NAMES, ("証明日", "認定日"), ("名称", "補助金等"), ("金額",), ("発行元", "府省"))
        if not reader.require(table, *groups):
            continue
        columns = _SubsidyColumns.of(table)
        for line, fields in table.rows:
            _subsidy_row(reader, context, state, table, columns, fields, Origin(str(path), line))
    batch = Batch("gbiz-subsidy", list(state.issuers.values()))
    for grant in state.grants.values():
        grant.props["evidence"] = evidence_of(ATTRIBUTION, grant.refs)
        batch.relationships.append(RelRecord("FINANCES", grant.issuer, grant.recipient, grant.props, grant.origin))
    report = {
        "rows": state.rows,
        "finances": len(state.grants),
        "issuers_created": len(state.issuers),
        "rows_without_issuer": state.no_issuer,
        "total_amount": sum(g.props.get("amount", 0.0) for g in state.grants.values()),
    }
    result = reader.result(batch, report)
    if state.no_issuer:
        result.warnings.append(f"{state.no_issuer} subsidy row(s) name no issuing body (発行元/府省 is Null); skipped")
    return result


def _subsidy_row(
    reader: _Reader,
    context: LoadContext,
    state: _Subsidies,
    table: Table,
    columns: _SubsidyColumns,
    fields: list[str],
    origin: Origin,
) -> None:
    """One 補助金 row: its date and amount checked, its recipient and issuer resolved, its grant merged."""
    state.rows += 1
    title = check_text(reader.value(table, fields, columns.title), origin, columns.title, reader.problems)
    day = _row_date(reader, table, fields, origin, columns.date)
    amount = _row_amount(reader, table, fields, origin)
    ref = (
        " ".join(p for p in (title, day.isoformat() if day else "") if p)
        or f"{Path(origin.file).name} line {origin.line}"
    )
    recipient = reader.organisation(table, fields, origin, ref)
    issuer_name = check_text(reader.value(table, fields, columns.issuer), origin, columns.issuer, reader.problems)
    if recipient is None:
        return
    if not issuer_name:
        state.no_issuer += 1
        return
    issuer = _issuer(issuer_name, state.by_name, context, state.issuers, origin)
    props = _subsidy_props(reader, table, fields, origin, title, amount, day)
    _add_grant(state.grants, _Grant(issuer, recipient, props, [ref], origin))


def _row_date(reader: _Reader, table: Table, fields: list[str], origin: Origin, column: str) -> date | None:
    raw_date = reader.value(table, fields, column)
    day = _parse_date(raw_date) if raw_date else None
    if raw_date and day is None:
        msg = f"expected a date (YYYY-MM-DD, YYYY/MM/DD or YYYY年M月D日), got {raw_date!r}"
        reader.problems.append(Violation(origin, column, msg))
    return day


def _row_amount(reader: _Reader, table: Table, fields: list[str], origin: Origin) -> float | None:
    raw_amount = reader.value(table, fields, "金額")
    amount = _parse_amount(raw_amount) if raw_amount else None
    if raw_amount and amount is None:
        msg = f"expected an amount in yen such as 1,500,000 or -250,000, got {raw_amount!r:.40}"
        reader.problems.append(Violation(origin, "金額", msg))
    return amount


def _subsidy_props(
    reader: _Reader,
    table: Table,
    fields: list[str],
    origin: Origin,
    title: str,
    amount: float | None,
    day: date | None,
) -> dict[str, Any]:
    """The properties of one subsidy row's ``FINANCES`` tie: kind, title, amount, date and the optional columns."""
    props: dict[str, Any] = {"kind": "subsidy", "title": title}
    if amount is not None:
        props["amount"] = amount
    if day is not None:
        props["date"] = day.isoformat()
        props["fiscal_year"] = fiscal_year(day)
    extra = {"対象": "target", "備考": "note", "補助金財源": "funding_source"}
    for column, prop in extra.items():
        if value := reader.value(table, fields, column):
            props[prop] = check_text(value, origin, column, reader.problems)
    if joint := reader.value(table, fields, "連名リスト"):
        props["joint_recipients"] = [
            check_text(n, origin, "連名リスト", reader.problems) for n in re.split(r"[、,]", joint) if n.strip()
        ]
    return props


def _issuer(
    name: str,
    by_name: Mapping[str, list[str]],
    context: LoadContext,
    created: dict[str, NodeRecord],
    origin: Origin,
) -> str:
    """The id of the issuing body: a stored organisation of exactly that name, else a GovernmentBody."""
    key = _SPACES.sub("", unicodedata.normalize("NFKC", name))
    matches = by_name.get(key, [])
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        government = [m for m in matches if "GovernmentBody" in context.organisations[m].get("labels", ())]
        if len(government) == 1:
            return government[0]
    org_id = government_id(name)
    if org_id not in context.organisations and org_id not in created:
        props = {"name": name, "evidence": ATTRIBUTION}
        created[org_id] = NodeRecord(org_id, ("Organization", "GovernmentBody"), props, origin)
    return org_id


def _add_grant(grants: dict[tuple[str, str, int | None, str], _Grant], grant: _Grant) -> None:
    """Merge grants that share the FINANCES identity (issuer, recipient, fiscal year, title)."""
    key = (grant.issuer, grant.recipient, grant.props.get("fiscal_year"), grant.props["title"])
    prior = grants.get(key)
    if prior is None:
        grants[key] = grant
        return
    props = prior.props
    props["grants"] = props.get("grants", 1) + 1
    if "amount" in grant.props:
        props["amount"] = props.get("amount", 0.0) + grant.props["amount"]
    if "date" in grant.props:
        props["date"] = min(props.get("date", grant.props["date"]), grant.props["date"])
    for name in ("target", "note", "funding_source"):
        if name in grant.props and name not in props:
            props[name] = grant.props[name]
    if "joint_recipients" in grant.props:
        joint = [*props.get("joint_recipients", []), *grant.props["joint_recipients"]]
        props["joint_recipients"] = list(dict.fromkeys(joint))
    prior.refs.extend(grant.refs)
