"""The README's generated tables, written by ``make docs``: region sizes (issue 20) and settings (issue 24).

The table states each region's organisations, ties and firms exactly as the compare page, the
CLI, ``ipeco stats --region`` and the reports print them (:meth:`analytics.service.AnalysisService.region_counts`),
so the front door never shows a fourth set of numbers. It sits between two HTML comments in
README.md; :func:`update_readme` replaces what is between them and leaves the rest untouched. The
configuration table is :func:`graph.settings.settings_table`, between :data:`SETTINGS_START` and
:data:`SETTINGS_END`, so the README lists exactly the environment variables the code reads.
"""

from __future__ import annotations

from pathlib import Path

from analytics.service import AnalysisService
from graph.scope import region_id
from graph.settings import settings_table

__all__ = ["END", "SETTINGS_END", "SETTINGS_START", "START", "fill_block", "region_table", "update_readme"]

START = "<!-- region-counts:start -->"
END = "<!-- region-counts:end -->"
SETTINGS_START = "<!-- settings:start -->"
SETTINGS_END = "<!-- settings:end -->"


def region_table(service: AnalysisService) -> str:
    """The model regions' counts as a Markdown table (Japanese names, as the README uses)."""
    graph = service.graph()
    rows = [
        "| region | organisations | ties between organisations | firms |",
        "|---|---|---|---|",
    ]
    for key in service.model_regions():
        counts = service.region_counts(key)
        node = region_id(key)
        name = graph.nodes[node].get("name") if node in graph else key
        rows.append(f"| {name} | {counts.organisations} | {counts.ties} | {counts.firms} |")
    return "\n".join(rows)


def fill_block(text: str, start: str, end: str, body: str, *, where: object = "README") -> str:
    """``text`` with what lies between the markers ``start`` and ``end`` replaced by ``body``."""
    head, sep, rest = text.partition(start)
    _, sep2, tail = rest.partition(end)
    if not sep or not sep2:
        msg = f"{where}: no {start} … {end} block to fill in"
        raise ValueError(msg)
    return f"{head}{start}\n{body}\n{end}{tail}"


def update_readme(path: Path, service: AnalysisService) -> bool:
    """Rewrite the generated tables in ``path``; True when the file changed."""
    text = path.read_text(encoding="utf-8")
    new = fill_block(text, START, END, region_table(service), where=path)
    new = fill_block(new, SETTINGS_START, SETTINGS_END, settings_table(), where=path)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":  # `make docs`
    import sys

    from graph.embedded import EmbeddedStore
    from seeds import real_seed_batch

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    scratch = Path(sys.argv[2]) if len(sys.argv) > 2 else target.parent / ".readme-store.sqlite"
    scratch.unlink(missing_ok=True)
    with EmbeddedStore(scratch) as store:
        store.write_batch(real_seed_batch())
    try:
        update_readme(target, AnalysisService(EmbeddedStore(scratch)))
    finally:
        scratch.unlink(missing_ok=True)
