"""The workbench's commit of a 10^4-row sheet through the page, against the CLI load of the same file (issue 22).

The sheet is one canonical workbook (``nodes`` sheet, 10^4 firms seated in Aomori, each with its
evidence URL): 10^4 nodes and 10^4 ``LOCATED_IN`` ties. Both paths start from a copy of the same
store (the bundled real layer) and read the same file:

- **CLI**: what ``ipeco load canonical FILE`` does — the loader with the store's context, then
  ``Store.write_batch`` (validation beside one transaction);
- **page**: what the データ登録 page's commit button does — :func:`webapp.workbench_ops.decode_uploads`
  on the uploaded data URL, then :func:`webapp.workbench_ops.commit_upload`: the same loader and
  validation, the workbench's cell rules, the change set planned against the stored records, and
  one transaction that checks, writes and logs it.

Each path runs ``--repeat`` times, alternating, on a fresh copy; the medians and their ratio are
printed (the issue's target: the page within 1.5× the CLI). Figures are printed, never asserted.

Run: ``python bench/bench_workbench.py [--rows 10000] [--repeat 3] [--store neo4j] [--json]`` (``--store neo4j``
uses the test server of ``make neo4j-test-start``, emptied and loaded with the real layer before each run).
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook

from graph.change_logs import change_log
from graph.embedded import EmbeddedStore
from graph.store import Store
from loaders.base import LoadContext, LoadOptions
from loaders.registry import LOADERS
from seeds import real_seed_batch
from webapp.workbench_ops import commit_upload, decode_uploads

TARGET = 1.5


def sheet(rows: int) -> bytes:
    """A canonical workbook of ``rows`` firms (id, label, name, region, evidence, founded)."""
    workbook = Workbook(write_only=True)
    nodes = workbook.create_sheet("nodes")
    nodes.append(["id", "label", "name", "region", "evidence", "founded"])
    for i in range(rows):
        nodes.append(
            [f"bench:wb{i:06d}", "Company", f"ベンチ株式会社{i}", "aomori", f"https://example.org/{i}", "2001-04-01"]
        )
    workbook.create_sheet("relationships").append(["source", "type", "target"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _open(where: Path | None) -> Store:
    """The embedded store at ``where``, or (None) the test Neo4j (``IPECO_TEST_BOLT_PORT``, as ``make bench``)."""
    if where is not None:
        return EmbeddedStore(where)
    from graph.neo4j_store import Neo4jStore
    from graph.server import LocalNeo4j
    from tests.conftest import settings_for_tests

    server = LocalNeo4j(settings_for_tests("neo4j"))
    return Neo4jStore(server.uri, "neo4j", server.password() or "", "neo4j")


def cli_load(store_path: Path | None, file: Path) -> float:
    began = time.perf_counter()
    with _open(store_path) as store:
        result = LOADERS["canonical"]([file], LoadOptions(), LoadContext.from_graph(store.read_graph()))
        store.write_batch(result.batch)
    return time.perf_counter() - began


def page_commit(store_path: Path | None, content: bytes, name: str) -> float:
    data_url = "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64," + base64.b64encode(
        content
    ).decode("ascii")
    began = time.perf_counter()
    with _open(store_path) as store:
        files, bad = decode_uploads([data_url], [name])
        assert not bad
        check, written = commit_upload(store, files, author="bench", version=store.data_version())
        assert written is not None, check.violations[:3]
    return time.perf_counter() - began


def _fresh(base: Path, copy: Path, kind: str) -> Path | None:
    """A store holding the real layer: a copy of the base file, or the test Neo4j emptied and loaded."""
    if kind == "embedded":
        shutil.copyfile(base, copy)
        return copy
    with _open(None) as store:
        store.clear()
        change_log(store).forget_all()
        store.write_batch(real_seed_batch())
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--store", choices=("embedded", "neo4j"), default="embedded", help="neo4j: the test server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ipeco-bench-wb-") as tmp:
        base = Path(tmp) / "base.sqlite"
        with EmbeddedStore(base) as store:
            store.write_batch(real_seed_batch())
        content = sheet(args.rows)
        file = Path(tmp) / "bench-sheet.xlsx"
        file.write_bytes(content)
        times: dict[str, list[float]] = {"cli": [], "page": []}
        for run in range(args.repeat):
            for path in ("cli", "page") if run % 2 == 0 else ("page", "cli"):
                copy = _fresh(base, Path(tmp) / f"{path}-{run}.sqlite", args.store)
                took = cli_load(copy, file) if path == "cli" else page_commit(copy, content, file.name)
                times[path].append(took)
    cli, page = statistics.median(times["cli"]), statistics.median(times["page"])
    figures = {
        "rows": args.rows,
        "cli_s": round(cli, 3),
        "page_s": round(page, 3),
        "ratio": round(page / cli, 2),
        "target": TARGET,
        "store": args.store,
        "runs": {k: [round(v, 3) for v in vs] for k, vs in times.items()},
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"sheet of {args.rows:,} rows ({args.store} store over the real layer), median of {args.repeat}:")
        print(f"  CLI load (ipeco load canonical):  {cli:7.2f} s")
        print(f"  page commit (データ登録):          {page:7.2f} s   ratio {page / cli:.2f} (target ≤ {TARGET})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
