"""What the workbench pages do with the store: check an upload, preview it, commit it, undo, edit.

Kept apart from the pages so that the page callbacks stay a few lines of layout, the benchmark times
the very function the page's commit button calls (``bench/bench_workbench.py``), and the checks are
the CLI's: an upload goes through :func:`loaders.canonical.read_canonical` and the store's own
validation, exactly as ``ipeco load canonical`` does, plus the workbench's few rules
(:func:`graph.records.upload_violations`). Every write is a change set (:mod:`graph.changes`).
"""

from __future__ import annotations

import base64
import binascii
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.batch import Batch, BatchError, NodeRecord, Origin, Violation, validate_batch
from graph.change_logs import change_log
from graph.changes import (
    ChangeConflict,
    ChangeDraft,
    ChangeSet,
    RecordChange,
    RecordRef,
    RecordState,
    plan_batch,
    plan_undo,
    stamp,
)
from graph.errors import InputError
from graph.store import Store
from graph.words import t
from loaders.base import LoadContext, LoaderError, LoadOptions
from loaders.canonical import read_canonical
from loaders.sheet_rules import batch_violations, sheet_violations

__all__ = [
    "StalePreview",
    "UploadCheck",
    "UploadFile",
    "check_upload",
    "commit_upload",
    "conflict_text",
    "correct_field",
    "decode_uploads",
    "region_violations",
    "undo_change_set",
]

#: File types the page takes: the canonical template as CSV or as a workbook.
SUFFIXES = (".csv", ".xlsx", ".xlsm")


class StalePreview(InputError):
    """The store changed between the preview and the commit; nothing was written."""


@dataclass(frozen=True)
class UploadFile:
    """One uploaded file: its own name (no folders) and its bytes."""

    name: str
    content: bytes


@dataclass(frozen=True)
class UploadCheck:
    """An upload checked: every violation (then no draft), or the draft to preview, at ``version``."""

    violations: tuple[Violation, ...] = ()
    draft: ChangeDraft | None = None
    version: str = ""
    warnings: tuple[str, ...] = field(default_factory=tuple)


def decode_uploads(contents: Sequence[str], names: Sequence[str]) -> tuple[list[UploadFile], list[Violation]]:
    """The files of a ``dcc.Upload`` (data URLs), and the violations of files that are not templates."""
    files: list[UploadFile] = []
    bad: list[Violation] = []
    for content, raw_name in zip(contents, names, strict=True):
        name = Path(str(raw_name)).name or "upload"
        if Path(name).suffix.lower() not in SUFFIXES:
            bad.append(Violation(Origin(name), "file", "is not a template: expected a .csv or .xlsx file"))
            continue
        try:
            files.append(UploadFile(name, base64.b64decode(str(content).partition(",")[2], validate=True)))
        except (binascii.Error, ValueError):
            bad.append(Violation(Origin(name), "file", "could not be received; choose it again"))
    return files, bad


def region_violations(batch: Batch, regions: frozenset[str]) -> list[Violation]:
    """For an editor of some regions only: every organisation seated outside ``regions`` (empty: all allowed)."""
    if not regions:
        return []
    return [
        Violation(r.origin, "region", f"{r.target.removeprefix('region:')!r} is not a region you may edit")
        for r in batch.relationships
        if r.type == "LOCATED_IN" and r.target.removeprefix("region:") not in regions
    ]


def check_upload(
    store: Store, files: Sequence[UploadFile], *, author: str, regions: frozenset[str] = frozenset()
) -> UploadCheck:
    """Read ``files`` as ``ipeco load canonical`` would, validate them against the store, and plan the change set."""
    version = store.data_version()
    with tempfile.TemporaryDirectory(prefix="ipeco-upload-") as tmp:
        paths = []
        for upload in files:
            path = Path(tmp) / upload.name
            path.write_bytes(upload.content)
            paths.append(path)
        try:
            result = read_canonical(paths, LoadOptions(), LoadContext.from_graph(store.read_graph()))
        except LoaderError as exc:
            return UploadCheck(_report(exc.violations, sheet_violations(paths), tmp), version=version)
        batch = result.batch
        # The loader validated the batch against the store's graph (its context), as the CLI's does;
        # a record removed since is caught when the change set is applied.
        found = batch_violations(batch) + region_violations(batch, regions)
        if found:
            return UploadCheck(_report([], found, tmp), version=version)
    summary = ", ".join(f.name for f in files)
    draft = plan_batch(change_log(store), batch, author=author, summary=summary)
    return UploadCheck(draft=draft, version=version, warnings=tuple(result.warnings))


def commit_upload(
    store: Store, files: Sequence[UploadFile], *, author: str, version: str, regions: frozenset[str] = frozenset()
) -> tuple[UploadCheck, ChangeSet | None]:
    """Check again and write the whole upload as one change set, in one transaction.

    Refused (:class:`StalePreview`) when the store's data version is no longer the preview's:
    the user confirms what they saw, not what someone else has written since.
    """
    check = check_upload(store, files, author=author, regions=regions)
    if check.violations or check.draft is None:
        return check, None
    if check.version != version:
        msg = "the data changed after the preview; nothing was written: preview again"
        raise StalePreview(msg)
    if not check.draft.effective():
        return check, None
    return check, change_log(store).apply(check.draft)


def undo_change_set(store: Store, change_id: str, *, author: str) -> ChangeSet:
    """Undo ``change_id`` in one transaction (:func:`graph.changes.plan_undo`'s refusals apply)."""
    log = change_log(store)
    return log.apply(plan_undo(log, change_id, author=author))


def correct_field(
    store: Store, ref: RecordRef, opened: RecordState, name: str, value: Any, *, author: str
) -> ChangeSet:
    """Set one field of a record as it was when opened; "changed since you opened it" when it was not.

    The corrected record is validated by the schema first (a node as a one-record batch).
    """
    props = {**opened.props, name: value, "loaded_at": stamp()}
    if value in (None, ""):
        props.pop(name, None)
    after = RecordState(opened.labels, props)
    if ref.kind == "node":
        violations = validate_batch(Batch("edit", [NodeRecord(ref.id, opened.labels, _content(props), Origin("form"))]))
        if violations:
            raise BatchError(violations)
    draft = ChangeDraft("edit", author, f"{ref}: {name}", (RecordChange(ref, opened, after),))
    return change_log(store).apply(draft)


def conflict_text(exc: ChangeConflict, lang: str) -> str:
    """A refused change set in the page's language."""
    records = ", ".join(str(r) for r in exc.refs[:5])
    return t(f"conflict.{exc.code}", lang, records=records, later=exc.later)


def _content(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in ("id", "loaded_at")}


def _report(loader: Sequence[Violation], own: Sequence[Violation], folder: str) -> tuple[Violation, ...]:
    """The loader's violations and the workbench's, in the order of the files, named by the uploaded names."""
    seen = {(v.origin, v.field) for v in loader}
    merged = [*loader, *(v for v in own if (v.origin, v.field) not in seen)]
    merged.sort(key=lambda v: (v.origin.file, v.origin.sheet or "", v.origin.line or 0) if v.origin else ("", "", 0))
    return tuple(_named(v, folder) for v in merged)


def _named(violation: Violation, folder: str) -> Violation:
    """The violation with the uploaded file's own name instead of its temporary path."""
    origin = violation.origin
    if origin is None or not origin.file.startswith(folder):
        return violation
    named = Origin(Path(origin.file).name, origin.line, origin.sheet)
    return Violation(named, violation.field, violation.message)
