"""The README's table of region sizes, written by ``make docs`` from the analysis service (issue 20).

The table states each region's organisations, ties and firms exactly as the compare page, the
CLI, ``ipeco stats --region`` and the reports print them (:meth:`analytics.service.AnalysisService.region_counts`),
so the front door never shows a fourth set of numbers. It sits between two HTML comments in
README.md; :func:`update_readme` replaces what is between them and leaves the rest untouched.
"""

from __future__ import annotations

from pathlib import Path

from analytics.service import AnalysisService
from graph.scope import region_id

__all__ = ["END", "START", "region_table", "update_readme"]

START = "<!-- region-counts:start -->"
END = "<!-- region-counts:end -->"


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


def update_readme(path: Path, service: AnalysisService) -> bool:
    """Rewrite the table between :data:`START` and :data:`END` in ``path``; True when the file changed."""
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition(START)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        msg = f"{path}: no {START} … {END} block to fill in"
        raise ValueError(msg)
    new = f"{head}{START}\n{region_table(service)}\n{END}{tail}"
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
