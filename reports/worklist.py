"""The gap worklist in words and as a spreadsheet a producer team fills in.

:mod:`analytics.worklist` decides each card's cause, next step and priority and states them as
string-table keys with their facts; this module puts them into Japanese or English (the page, the
CLI table and the sheet all call it, so they say the same sentence) and writes the XLSX worklist:
one row per card in rank order, with an empty 状況 (status) column whose cells offer a dropdown
(:data:`analytics.worklist.STATUSES`) for the team to track its work.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from analytics.worklist import STATUSES, WorkItem, Worklist
from graph.atomic import write_workbook
from graph.exports import neutralise_cell
from graph.words import gap_kind_name, normalise_lang, phase_name, t
from reports.tables import display_width, wrap_cell

__all__ = [
    "item_name",
    "kinds_text",
    "members_text",
    "next_step_text",
    "part_rows",
    "reason_text",
    "size_text",
    "worklist_rows",
    "worklist_table",
    "write_worklist_xlsx",
]


def _pick(value: Any, lang: str) -> str:
    """A fact in ``lang``: ``{"ja", "en"}`` picks one, a list is joined, a number is grouped."""
    if isinstance(value, Mapping):
        return str(value.get(lang) or value.get("ja") or value.get("en") or "")
    if isinstance(value, list | tuple):
        return t("form.list", lang).join(_pick(v, lang) for v in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _facts(item: WorkItem, lang: str) -> dict[str, str]:
    out = {key: _pick(value, lang) for key, value in item.facts.items() if key != "phases"}
    out["phases"] = _phases(item.facts.get("phases") or (), lang)
    if more := int(item.facts.get("more") or 0):
        out["bodies"] = t("form.more", lang, text=out["bodies"], n=more)
    if phase := item.facts.get("phase"):
        name = phase_name(phase, lang)
        out["role"] = t("form.paren", lang, text=out["role"], detail=name if lang == "ja" else f"{name.lower()} phase")
    bodies = item.facts.get("bodies") or ()
    out["are"] = "is" if len(bodies) == 1 and not more else "are"
    out.update(_why(item, lang, out))
    return out


def _why(item: WorkItem, lang: str, facts: Mapping[str, str]) -> dict[str, str]:
    """The referral's reason (``worklist.why.<why>``) and its former name, as sentence parts."""
    why = item.facts.get("why")
    if not why:
        return {"why": "", "replaced": ""}
    phase = phase_name(str(item.facts.get("why_phase") or ""), lang) if item.facts.get("why_phase") else ""
    words = {**facts, "why_phase": phase.lower() if lang == "en" else phase}
    replaced = t("worklist.why.replaces", lang, **words) if item.facts.get("replaces") else ""
    return {"why": t(f"worklist.why.{why}", lang, **words), "replaced": replaced}


def _phases(phases: Sequence[str], lang: str) -> str:
    """Phases as a phrase: ``事業構想・事業立上`` / ``the ideation or launch phases``."""
    names = [phase_name(p, lang) for p in phases]
    if lang == "ja":
        return t("form.tight_list", lang).join(names)
    names = [n.lower() for n in names]
    if len(names) <= 1:
        return f"the {''.join(names)} phase"
    return f"the {', '.join(names[:-1])} or {names[-1]} phases"


def reason_text(item: WorkItem, lang: str) -> str:
    """The card's one reason, in ``lang``."""
    lang = normalise_lang(lang)
    return t(f"worklist.reason.{item.reason}", lang, **_facts(item, lang))


def next_step_text(item: WorkItem, lang: str) -> str:
    """The card's one suggested next step, in ``lang``."""
    lang = normalise_lang(lang)
    return t(f"worklist.next.{item.next_step}", lang, **_facts(item, lang))


def item_name(item: WorkItem, lang: str) -> str:
    """The card's subject: an organisation's name (English where known), or the missing role; a card
    that stands for several organisations in the same situation says how many more."""
    lang = normalise_lang(lang)
    name = _pick(item.name, lang)
    return t("worklist.name.group", lang, name=name, more=len(item.members)) if item.members else name


def members_text(item: WorkItem, lang: str) -> str:
    """The organisations a grouped card stands for, in words ("" for a card of one organisation)."""
    if not item.members:
        return ""
    lang = normalise_lang(lang)
    names = [_pick(item.name, lang), *(_pick(m, lang) for m in item.members)]
    return t("worklist.group", lang, n=len(names), members=t("form.list", lang).join(names))


def kinds_text(item: WorkItem, lang: str) -> str:
    return t("form.tight_list", lang).join(gap_kind_name(k, lang) for k in item.kinds)


def _yen(value: int, lang: str) -> str:
    millions = f"{value / 1e6:,.0f}"
    if value >= 10**8:
        return t("form.yen.large", lang, oku=f"{value / 1e8:,.0f}", millions=millions)
    return t("form.yen.small", lang, man=f"{value / 1e4:,.0f}", millions=millions)


def size_text(item: WorkItem, lang: str) -> str:
    """The firm's size class in words, with the headcount and capital its source states ("" if not a firm)."""
    lang = normalise_lang(lang)
    if item.size is None:
        return ""
    text = t(f"worklist.size.{item.size}", lang)
    stated = []
    if isinstance(employees := item.size_facts.get("employees"), int):
        stated.append(t("worklist.size.employees", lang, n=employees))
    if isinstance(capital := item.size_facts.get("capital"), int):
        stated.append(t("worklist.size.capital", lang, yen=_yen(capital, lang)))
    if stated:
        text = t("form.paren", lang, text=text, detail=t("form.list", lang).join(stated))
    return text


def part_rows(item: WorkItem, lang: str) -> list[str]:
    """ "Why this rank": each priority part as "label: value × weight" in ``lang``."""
    return [
        t("worklist.part.row", lang, label=t(f"worklist.part.{p.key}", lang), value=p.value, weight=p.weight)
        for p in item.parts
    ]


def worklist_rows(items: Iterable[WorkItem], lang: str) -> list[list[Any]]:
    """The worklist as rows, header first: rank, priority, organisation, size, kinds, reason, next step,
    evidence URL and an empty status cell."""
    lang = normalise_lang(lang)
    header = [
        t("worklist.col.priority", lang),
        t("worklist.col.score", lang),
        t("worklist.col.organisation", lang),
        t("worklist.section", lang),
        t("worklist.col.size", lang),
        t("worklist.col.kinds", lang),
        t("worklist.col.reason", lang),
        t("worklist.col.next", lang),
        t("worklist.col.evidence", lang),
        t("worklist.col.status", lang),
    ]
    rows: list[list[Any]] = [header]
    for item in items:
        rows.append(
            [
                item.rank,
                item.priority,
                item_name(item, lang),
                t(f"worklist.section.{item.section}", lang),
                size_text(item, lang),
                kinds_text(item, lang),
                _reason(item, lang),
                next_step_text(item, lang),
                item.evidence_url,
                None,
            ]
        )
    return rows


def write_worklist_xlsx(
    worklist: Worklist, out: str | Path | IO[bytes], lang: str, items: Sequence[WorkItem] | None = None
) -> None:
    """Write ``items`` (default: every card of ``worklist``) as an XLSX worklist to ``out``.

    The status column is empty, with a list validation offering :data:`STATUSES` on every row
    and a prompt saying so; the header row is frozen and the reason and next-step columns wrap.
    Text from the data is written as text (a name starting with ``=`` is not a formula).
    """
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    lang = normalise_lang(lang)
    rows = worklist_rows(worklist.items if items is None else items, lang)
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = t("worklist.sheet", lang)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", neutralise_cell(value))
                cell.data_type = "s"
            else:
                cell.value = value
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = {"A": 8, "B": 9, "C": 34, "D": 22, "E": 20, "F": 22, "G": 60, "H": 60, "I": 40, "J": 12}
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    for cells in sheet.iter_rows(min_row=2, min_col=7, max_col=8):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    last = max(len(rows), 2)
    status = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUSES) + '"',
        allow_blank=True,
        showDropDown=False,  # openpyxl's name for "hide the in-cell arrow": False shows it
        promptTitle=t("worklist.col.status", lang),
        prompt=t("worklist.status_prompt", lang),
        showInputMessage=True,
        showErrorMessage=True,
    )
    status.add(f"J2:J{last}")
    sheet.add_data_validation(status)
    if isinstance(out, str | Path):
        write_workbook(book, out)  # a file on disk: complete or not there at all
    else:
        book.save(out)


def _subject(item: WorkItem, lang: str) -> str:
    size = size_text(item, lang)
    return item_name(item, lang) + (f" [{size}]" if size else "")


def _reason(item: WorkItem, lang: str) -> str:
    """The card's reason, followed by the organisations it stands for when it stands for several."""
    members = members_text(item, lang)
    return reason_text(item, lang) + (("" if lang == "ja" else " ") + members if members else "")


def worklist_table(items: Sequence[WorkItem], lang: str, width: int = 100) -> str:
    """The worklist as a plain-text table for a terminal ``width`` columns wide.

    Columns: rank, organisation, reason, next step; long cells wrap within their column (wide
    characters count double), and a terminal under 60 columns gets one card per block instead.
    """
    lang = normalise_lang(lang)
    header = [t("worklist.cli.rank", lang), t("worklist.col.organisation", lang)]
    header += [t("worklist.col.reason", lang), t("worklist.col.next", lang)]
    rows = [[str(i.rank), _subject(i, lang), _reason(i, lang), next_step_text(i, lang)] for i in items]
    if width < 60:
        blocks = []
        for row in rows:
            lines = []
            for head, cell in zip(header, row, strict=True):
                pad = display_width(head) + 2
                wrapped = wrap_cell(cell, max(10, width - pad))
                lines += [f"{head}: {wrapped[0]}", *(" " * pad + more for more in wrapped[1:])]
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)
    rank_w = max(display_width(header[0]), *(display_width(r[0]) for r in rows)) if rows else display_width(header[0])
    rest = width - rank_w - 3 * 3
    org_w = max(12, rest * 3 // 10)
    text_w = max(16, (rest - org_w) // 2)
    widths = [rank_w, org_w, text_w, text_w]

    def render(row: list[str]) -> list[str]:
        cells = [wrap_cell(cell, w) for cell, w in zip(row, widths, strict=True)]
        height = max(len(c) for c in cells)
        out = []
        for k in range(height):
            parts = []
            for cell, w in zip(cells, widths, strict=True):
                text = cell[k] if k < len(cell) else ""
                parts.append(text + " " * (w - display_width(text)))
            out.append(" | ".join(parts).rstrip())
        return out

    lines = render(header)
    lines.append("-+-".join("-" * w for w in widths))
    for row in rows:
        lines += render(row)
    return "\n".join(lines)
