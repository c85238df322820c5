"""A bulk load's CSV written by columns (``graph.bulk_columns``) is the merging writer's, line for line.

Issue 23, item 7: into an empty database the batch is written straight from its records by columns
instead of merged record by record into dictionaries and then formatted (``graph.bulk_graph`` +
``graph.bulk_csv``). The fast path and the old path must give the same files: same names, header,
columns and types, quoting, content hashes, and the same lines (in another order). Checked on a
generated 法人番号 file read by the houjin loader, on generated batches (hypothesis: optional
properties, mixed types, quotes, lists, repeated ids), and for what it declines (a repeated id or
tie, which the merge folds): None, nothing written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

from bench.bench_houjin import write_file
from graph.batch import Batch, NodeRecord, RelRecord
from graph.bulk_columns import write_batch_columns
from graph.bulk_csv import write_admin_csv
from graph.bulk_graph import NextGraph
from graph.store import prepared_rows
from loaders.base import LoadContext, LoadOptions
from loaders.houjin import read_houjin
from tests.csv_strategies import graph_shapes, property_maps

LOADED_AT = "2026-12-07T00:00:00+00:00"


def _same_as_merged(batch: Batch, root: Path) -> None:
    written = write_batch_columns(batch, LOADED_AT, root / "columns")
    assert written is not None
    merged = NextGraph()
    summary = merged.merge(*prepared_rows(batch, LOADED_AT))
    expected = write_admin_csv(merged.nodes, merged.rels, root / "merged")
    assert (written.nodes, written.relationships) == (summary.nodes_created, summary.relationships_created)
    assert [p.name for p in written.files] == [p.name for p in expected]
    for ours, theirs in zip(written.files, expected, strict=True):
        header, *rows = ours.read_bytes().split(b"\n")
        their_header, *their_rows = theirs.read_bytes().split(b"\n")
        assert (header, sorted(rows)) == (their_header, sorted(their_rows)), ours.name


def test_a_generated_registry_file_is_written_as_the_merge_writes_it(tmp_path: Path) -> None:
    path = tmp_path / "28_hyogo_all_20251031.csv"
    write_file(path, 600)  # optional English names, closures, seats in and out of Kobe
    batch = read_houjin([path], LoadOptions(), LoadContext()).batch
    assert len(batch.nodes) > 300 and batch.relationships
    _same_as_merged(batch, tmp_path)


_PROPS = property_maps(["name", "employees", "industry", "weight", "zeta"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(**graph_shapes(8, _PROPS))
def test_generated_batches_are_written_as_the_merge_writes_them(
    tmp_path_factory: Any, nodes: list[tuple[str, dict[str, Any]]], ties: list[tuple[int, int, str, dict[str, Any]]]
) -> None:
    batch = Batch("test")
    for i, (role, props) in enumerate(nodes):
        labels = ("Region",) if role == "Region" else ("Organization", role)
        batch.nodes.append(NodeRecord(f"n:{i}", labels, dict(props)))
    seen = set()
    for s, t, fiscal_year, props in ties:
        if s < len(nodes) and t < len(nodes) and (s, t, fiscal_year) not in seen:
            seen.add((s, t, fiscal_year))
            extra = {"fiscal_year": fiscal_year} if fiscal_year else {}
            batch.relationships.append(RelRecord("SUPPORTS", f"n:{s}", f"n:{t}", {**props, **extra}))
    if len({rel.identity for rel in batch.relationships}) == len(batch.relationships):
        _same_as_merged(batch, tmp_path_factory.mktemp("csv"))


def test_a_repeated_id_or_tie_is_left_to_the_merge_and_nothing_is_written(tmp_path: Path) -> None:
    node = NodeRecord("org:1", ("Organization", "Company"), {"name": "A"})
    twice = Batch("test", [node, NodeRecord("org:1", node.labels, {"name": "A"})])
    assert write_batch_columns(twice, LOADED_AT, tmp_path / "a") is None
    tie = RelRecord("COLLABORATES_WITH", "org:1", "org:2", {"kind": "joint_research"})
    other = NodeRecord("org:2", node.labels, {"name": "B"})
    assert write_batch_columns(Batch("test", [node, other], [tie, tie]), LOADED_AT, tmp_path / "b") is None
    bookkeeping_like = Batch("test", [NodeRecord("~4:x:1", node.labels, {"name": "A"})])
    assert write_batch_columns(bookkeeping_like, LOADED_AT, tmp_path / "c") is None
    assert not any(tmp_path.iterdir())
