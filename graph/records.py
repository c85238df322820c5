"""The records a producer writes by hand in the workbench: a tie, a field, an end, an accompaniment.

Why here and not in the web app: a record typed into a form must pass the same schema as a loaded
file (:func:`graph.batch.validate_batch`), and the few rules a form adds are the product's, not a
page's: an evidence URL is ``http(s)``, a date is not in the future, a tie between two real
organisations names the public page that states it (DESIGN §6: never invent), and an accompaniment
(伴走支援) is the team's own record — ``source: producer`` with its author and date, not a public fact.
Each builder returns a :class:`graph.batch.Batch` (or raises :class:`graph.batch.BatchError` naming
the form's fields), which the caller turns into a change set (:func:`graph.changes.plan_batch`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from graph.batch import Batch, BatchError, Origin, RelRecord, Violation
from graph.schema import PRODUCER_SOURCE, REL_SPECS

__all__ = [
    "FORM",
    "Accompaniment",
    "TieForm",
    "accompaniment_batch",
    "fiscal_year_of",
    "form_violations",
    "problem_code",
    "tie_batch",
]

#: Where a record typed into a form comes from (a violation names the form's field).
FORM = Origin("form")

#: Kind of a producer's accompaniment (伴走支援) among ``graph.schema.SUPPORT_KINDS``.
ACCOMPANIMENT = "accompaniment"
#: The dataset id of ties added by hand from the map's detail panel (public facts, with their URL).
EDIT_SOURCE = "workbench"


def fiscal_year_of(day: date) -> int:
    """The Japanese fiscal year (April–March, western numbering) of ``day``."""
    return day.year if day.month >= 4 else day.year - 1


def form_violations(props: Mapping[str, Any], today: date) -> list[Violation]:
    """The form's own rules: an ``evidence`` that is not http(s), a ``date`` that is not a past day."""
    out = []
    evidence = str(props.get("evidence") or "")
    if evidence and not evidence.lower().startswith(("http://", "https://")):
        out.append(Violation(FORM, "evidence", f"{evidence[:60]!r} is not an http(s) URL"))
    when = props.get("date")
    if when:
        try:
            day = date.fromisoformat(str(when))
        except ValueError:
            out.append(Violation(FORM, "date", f"expected a date YYYY-MM-DD, got {str(when)[:30]!r}"))
        else:
            if day > today:
                out.append(Violation(FORM, "date", f"{day.isoformat()} is in the future"))
    return out


@dataclass(frozen=True)
class TieForm:
    """A tie typed into the detail panel: type, ends and its properties (kind, phase, programme, dates, URL)."""

    type: str
    source: str
    target: str
    props: Mapping[str, Any]


def tie_batch(form: TieForm, *, real_ends: bool, today: date | None = None) -> Batch:
    """One tie as a batch; ``real_ends``: both ends are real organisations, so the tie needs its evidence URL."""
    props = {k: v for k, v in form.props.items() if v not in (None, "")}
    out = form_violations(props, today or date.today())
    if form.type not in REL_SPECS:
        out.append(Violation(FORM, "type", f"unknown relationship type {form.type!r}"))
    if real_ends and not props.get("evidence"):
        out.append(
            Violation(FORM, "evidence", "a tie between real organisations needs the URL of the page that states it")
        )
    if out:
        raise BatchError(out)
    props.setdefault("source", EDIT_SOURCE)
    return Batch(EDIT_SOURCE, [], [RelRecord(form.type, form.source, form.target, props, FORM)])


@dataclass(frozen=True)
class Accompaniment:
    """A producer's record of accompaniment (伴走支援): who supported which firm, in what, when, with what outcome."""

    firm: str
    body: str
    programme: str
    phase: str
    date: str
    outcome: str
    author: str
    evidence: str = ""


def accompaniment_batch(record: Accompaniment, today: date | None = None) -> Batch:
    """The record as a ``SUPPORTS`` tie from the body to the firm, flagged ``source: producer`` with its author."""
    props: dict[str, Any] = {
        "kind": ACCOMPANIMENT,
        "programme": record.programme or None,
        "phase": record.phase or None,
        "date": record.date,
        "outcome": record.outcome,
        "author": record.author,
        "evidence": record.evidence,
        "source": PRODUCER_SOURCE,
    }
    out = form_violations(props, today or date.today())
    for name in ("date", "author"):
        if not props.get(name):
            out.append(Violation(FORM, name, "is required but missing or empty"))
    if out:
        raise BatchError(out)
    props["fiscal_year"] = fiscal_year_of(date.fromisoformat(record.date))
    clean = {k: v for k, v in props.items() if v is not None}
    return Batch(PRODUCER_SOURCE, [], [RelRecord("SUPPORTS", record.body, record.firm, clean, FORM)])


#: What kind of problem a violation is, by the words of its message (first match): the pages say
#: the kind in their language and keep the validator's own sentence beside it.
_PROBLEM_CODES: tuple[tuple[str, str], ...] = (
    ("formula", "formula"),
    ("is required but", "required"),
    ("not an http(s) url", "url"),
    ("is in the future", "future"),
    ("neither in this load nor in the store", "unknown_end"),
    ("not a template", "not_template"),
    ("cannot tell a nodes table", "not_template"),
    ("sheet", "not_template"),
    ("is not one of", "choice"),
    ("not a region you may edit", "region"),
    ("expected", "format"),
)


def problem_code(violation: Violation) -> str:
    """The kind of ``violation`` (``encoding``, ``formula``, ``required``, ``url``, ...; ``other``)."""
    if violation.field == "encoding":
        return "encoding"
    text = violation.message.lower()
    if violation.field == "sheet":
        return "not_template"
    return next((code for words, code in _PROBLEM_CODES if words in text), "other")
