"""Benchmark: ``ipeco load houjin --bulk`` of 10^6 organisations, and a staged load of 10^6 relationships.

Issue 23, item 7: a first load of a whole 法人番号 registry goes through ``neo4j-admin database import``
(``graph.bulk``) at ≥ 10^5 records/s end to end on this machine, and a load larger than one
transaction's memory (10^6 relationships at the default 2g heap) goes staged. The file is generated
in a temporary folder in the NTA bulk format (``bench/bench_houjin.py``'s generator: about 72 % of
its rows are organisations a role rule keeps), loaded into a scratch Neo4j of the bench's own (its
home in the same temporary folder, free ports, the default heap), and timed per phase:

- ``read``: the houjin loader reading and normalising the file (what ``ipeco load`` runs first);
- ``validate``: the live graph streamed out (empty here) and the batch's validation started beside
  (a forked child; the staged case also merges the batch into the live graph here);
- ``csv``: the neo4j-admin CSV written (the bulk case by columns straight from the batch,
  ``graph.bulk_columns``; the bench says which way), then the validation's verdict awaited;
- ``import``: ``neo4j-admin database import full``, with the JVM's default compilers (the tests'
  C1-only setting is not the user's; its log's JVM lines are printed to show it), split into the
  importer's own stages (``graph.bulk_import``: the start before its first stage, reading the nodes,
  the id index, the relationships, linking, counting);
- ``switch``: the server stopped, the folders swapped, started, constraints created, counts checked.

It also prints the CPU seconds of the read, of the load in this process, and of its children (the
validation child, the importer): on a shared machine they say more than the wall times.

The baseline of the same run is the import alone (records/s of neo4j-admin on the same files): the
end-to-end ratio to it says how much the product's own work costs. The staged case then adds 10^6
``COLLABORATES_WITH`` ties between the loaded organisations (a canonical file) to the live
database: the live graph is streamed out, merged, imported and switched in. ``--orgs`` and
``--ties`` scale it down for a quick run.

Run: ``.venv/bin/python bench/bench_bulk.py [--orgs N] [--ties N]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_houjin import write_file  # noqa: E402
from graph.bulk import BulkSummary, bulk_load  # noqa: E402
from graph.server import LocalNeo4j  # noqa: E402
from graph.settings import Settings  # noqa: E402
from graph.validation_worker import fork_is_safe  # noqa: E402
from loaders.base import LoadContext, LoadOptions  # noqa: E402
from loaders.canonical import read_canonical  # noqa: E402
from loaders.houjin import read_houjin  # noqa: E402

TARGET = 100_000
#: Share of the generator's rows that become organisations (history, hidden and unclassified rows drop out).
KEPT = 0.72


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _scratch(home: Path) -> LocalNeo4j:
    installed = LocalNeo4j(Settings.from_env("neo4j")).install()
    env = Settings.from_env("neo4j")
    settings = Settings(
        home, "neo4j", None, "neo4j", None, "neo4j", _free_port(), _free_port(), env.heap, env.pagecache
    )
    server = LocalNeo4j(settings)
    server.lib.parent.mkdir(parents=True)
    server.lib.symlink_to(installed, target_is_directory=True)
    return server


def _archive_state(server: LocalNeo4j) -> str:
    """Whether the server's JVM maps its class-data archive or writes it at exit (``graph.server_cds``).

    A JVM that writes it (the first server on a machine, or after a new Java or Neo4j) spends about
    6 s more in its stop: the switch's stop step then says so, once per machine, not per load.
    """
    pid = server.pid()
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") if pid else []
    except OSError:
        cmdline = []
    if any(arg.startswith(b"-XX:ArchiveClassesAtExit=") for arg in cmdline):
        return "none yet: written at this server's exit (the switch's stop takes ~6 s longer, once per machine)"
    if any(arg.startswith(b"-XX:SharedArchiveFile=") for arg in cmdline):
        return "mapped"
    return "off"


def _ties_file(folder: Path, ids: list[str], ties: int) -> Path:
    folder.mkdir()
    (folder / "nodes.csv").write_text("id,label,name\n", encoding="utf-8")  # a canonical folder has both files
    with (folder / "relationships.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["source", "type", "target", "kind"])
        n = len(ids)
        for i in range(ties):
            out.writerow([ids[i % n], "COLLABORATES_WITH", ids[(i * 7 + 1 + i // n) % n], "joint_research"])
    return folder


def _row(case: str, records: int, seconds: dict[str, float]) -> dict[str, Any]:
    total = sum(seconds.values())
    return {"case": case, "records": records, "seconds": seconds, "total": total, "records_per_s": records / total}


def _print(row: dict[str, Any]) -> None:
    s = row["seconds"]
    phases = " ".join(f"{k} {v:.1f}" for k, v in s.items())
    imported = row["records"] / s["import"] if s.get("import") else 0.0
    print(
        f"{row['case']:<26} {row['records']:>10,} {row['total']:>8.1f} s {row['records_per_s']:>10,.0f}/s  "
        f"(import alone {imported:,.0f}/s, ratio {row['records_per_s'] / imported if imported else 0:.2f})  [{phases}]",
        flush=True,
    )


def _steps(summary: BulkSummary) -> None:
    """The importer's stages (over 0.1 s), its JVM, and the switch's steps of one load."""
    stages = " | ".join(f"{k} {v:.1f}" for k, v in summary.importer.seconds.items() if v >= 0.1)
    print(f"  importer stages (s): {stages}", flush=True)
    print(f"  importer JVM: {summary.importer.jvm}", flush=True)
    print("  switch steps (s): " + " ".join(f"{k} {v:.1f}" for k, v in summary.switch_seconds.items()), flush=True)
    print(f"  CSV written {'by columns' if summary.by_columns else 'from the merged records'}", flush=True)


def _cpu() -> tuple[float, float]:
    """CPU seconds of this process and of its waited-for children (the validation child, the importer)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _bulk_case(server: LocalNeo4j, path: Path) -> tuple[dict[str, Any], list[str]]:
    start, cpu = time.perf_counter(), _cpu()
    batch = read_houjin([path], LoadOptions(), LoadContext()).batch
    read, read_cpu = time.perf_counter() - start, _cpu()
    beside = "a forked child" if fork_is_safe() else f"a thread ({threading.active_count()} threads alive)"
    print(f"  validation beside the CSV: in {beside}", flush=True)
    summary = bulk_load(server.settings, batch, staged=False)
    done = _cpu()
    print(
        f"  CPU-s: read {read_cpu[0] - cpu[0]:.1f}; load: this process {done[0] - read_cpu[0]:.1f}, "
        f"children (validation, importer) {done[1] - read_cpu[1]:.1f}",
        flush=True,
    )
    ids = [n.id for n in batch.nodes if n.id.startswith("org:")]
    records = len(batch.nodes) + len(batch.relationships)
    _steps(summary)
    return _row("houjin --bulk", records, {"read": read, **summary.seconds}), ids


def _staged_case(server: LocalNeo4j, folder: Path, ids: list[str]) -> dict[str, Any]:
    stored = nx.MultiDiGraph()  # what the loader needs of the live graph: the organisations' ids and labels
    stored.add_nodes_from((node_id, {"labels": ["Organization", "Company"]}) for node_id in ids)
    start = time.perf_counter()
    batch = read_canonical([folder], LoadOptions(), LoadContext.from_graph(stored)).batch
    read = time.perf_counter() - start
    summary = bulk_load(server.settings, batch, staged=True)
    _steps(summary)
    return _row("canonical ties --staged", len(batch.relationships), {"read": read, **summary.seconds})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=1_000_000, help="organisations in the houjin file (about)")
    parser.add_argument("--ties", type=int, default=1_000_000, help="relationships of the staged load")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ipeco-bench-bulk-") as tmp:
        folder = Path(tmp)
        path = folder / "28_hyogo_all_20251031.csv"
        write_file(path, int(args.orgs / KEPT))
        server = _scratch(folder / "home")
        print(f"bulk load benchmark: heap {server.settings.heap}, target {TARGET:,} records/s end to end")
        print(f"{'case':<26} {'records':>10} {'total':>10} {'rate':>11}")
        server.start(timeout=300)
        print(f"  server's class-data archive: {_archive_state(server)}", flush=True)
        try:
            bulk, ids = _bulk_case(server, path)
            _print(bulk)
            staged = _staged_case(server, _ties_file(folder / "ties", ids, args.ties), ids) if args.ties else None
            if staged:
                _print(staged)
        finally:
            server.stop()
    verdict = "OK" if bulk["records_per_s"] >= TARGET else "BELOW TARGET"
    print(f"bulk: {bulk['records_per_s']:,.0f} records/s end to end (target {TARGET:,}): {verdict}")
    print(json.dumps({"bulk": bulk, "staged": staged}, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
