"""The ``ipeco`` command line: one entry point for the database, loads, analytics and the web app."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

import ipeco
from graph.cypher_parser import build_parser, cypher_parser
from graph.errors import IpecoError
from graph.server import LocalNeo4j
from graph.settings import STORE_KINDS, Settings

# The store (and with it NetworkX, about half of the start-up) is imported by the commands that open
# one, not when ``ipeco`` starts: ``db``, ``--help`` and a bad argument answer without it.
if TYPE_CHECKING:
    from analytics.service import AnalysisService
    from graph.store import Store


def user_message(exc: BaseException) -> str | None:
    """The one sentence to show for an error a user can act on, or None for a programming error.

    Errors the product raises on purpose derive from :class:`graph.errors.IpecoError`. A failed
    file-system call about a named path (no such file, permission denied, disk full) is the user's
    to fix too; any other exception is a bug and keeps its traceback.
    """
    if isinstance(exc, IpecoError):
        return str(exc)
    if isinstance(exc, OSError) and exc.filename is not None:
        return f"{exc.strerror or exc} ({exc.filename})"
    return None


def loader_names() -> list[str]:
    """Formats ``ipeco load`` accepts: the loader registry's keys."""
    from loaders.registry import LOADERS

    return list(LOADERS)


class IpecoGroup(click.Group):
    """A click group that turns user errors into one clear message and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (IpecoError, OSError) as exc:
            message = user_message(exc)
            if message is None:
                raise
            click.echo(f"error: {message}", err=True)
            sys.exit(1)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False, default=str))


@click.group(cls=IpecoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    type=click.Choice(STORE_KINDS),
    envvar="IPECO_STORE",
    default="embedded",
    show_default=True,
    help="Where the graph lives (env IPECO_STORE).",
)
@click.version_option(package_name="ipeco")
@click.pass_context
def cli(ctx: click.Context, store: str) -> None:
    """ipeco — map regional IP ecosystems (JPO model regions) as a graph.

    Data lives under IPECO_HOME (default ~/.local/share/ipeco). The embedded store needs no
    setup; --store neo4j uses NEO4J_URI, or the local server of `ipeco db start`.
    """
    ctx.obj = Settings.from_env(store)


def with_store(ctx: click.Context) -> Store:
    from graph.connection import open_store

    store = open_store(ctx.obj)
    store.notify = lambda message: click.echo(message, err=True)  # e.g. waiting for another load
    ctx.call_on_close(store.close)
    return store


def with_service(ctx: click.Context, **settings: Any) -> AnalysisService:
    """The analysis service over this command's store: every analytics command asks it."""
    from analytics.service import AnalysisService

    return AnalysisService(with_store(ctx), **settings)


pass_settings: Callable[..., Any] = click.pass_obj


# --- db --------------------------------------------------------------------------------------
@cli.group()
def db() -> None:
    """Run a real local Neo4j Community server (no Docker; Java 17+ and Maven)."""


@db.command("start")
@click.option("--timeout", default=120.0, show_default=True, help="Seconds without log progress before giving up.")
@pass_settings
def db_start(settings: Settings, timeout: float) -> None:
    """Fetch the pinned Neo4j with Maven (first time), start it on 127.0.0.1 and wait for Bolt (and recovery)."""
    import time

    began = time.monotonic()
    status = LocalNeo4j(settings).start(timeout=timeout, on_progress=lambda line: click.echo(line, err=True))
    build_parser(settings)  # the query guard's Cypher parser helper (graph/cypher_parser.py), compiled once
    click.echo(
        f"Neo4j {status.version} is running at {status.uri} (pid {status.pid}, "
        f"{time.monotonic() - began:.1f} s); Browser: {status.http}/browser/"
    )


@db.command("stop")
@pass_settings
def db_stop(settings: Settings) -> None:
    """Stop the local Neo4j cleanly."""
    stopped = LocalNeo4j(settings).stop()
    click.echo("Neo4j stopped." if stopped else "Neo4j was not running.")


@db.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_settings
def db_status(settings: Settings, as_json: bool) -> None:
    """State of the local Neo4j (running, starting, recovering, stopped, stale, failed) explained in words,
    with version, URI, PID and data folder."""
    status = LocalNeo4j(settings).status().as_dict()
    if status["running"] or settings.neo4j_uri:  # the second wall behind the query guard (docs/analysts.md)
        from graph.connection import neo4j_connection
        from graph.hardening import hardening_gaps
        from graph.neo4j_store import Neo4jStore
        from graph.store import StoreUnavailable

        with (
            contextlib.suppress(StoreUnavailable),
            contextlib.closing(Neo4jStore(*neo4j_connection(settings))) as store,
        ):
            status["hardening_gaps"] = hardening_gaps(store)
            for gap in status["hardening_gaps"]:
                click.echo(f"warning: {gap}", err=True)
    if as_json:
        echo_json(status)
        return
    english, japanese = str(status.pop("explanation")), str(status.pop("explanation_ja"))
    words = [english[:1].upper() + english[1:], japanese]
    for key, value in status.items():
        click.echo(f"{key:8} {value}")
    click.echo("\n" + "\n".join(words))  # what the state means and what to do, in English and Japanese
    if not status["running"]:
        sys.exit(3)


@db.command("logs")
@click.option("-n", "lines", default=50, show_default=True, help="Lines per log file.")
@pass_settings
def db_logs(settings: Settings, lines: int) -> None:
    """The last lines of the local Neo4j's logs."""
    click.echo(LocalNeo4j(settings).logs(lines))


@db.command("dump")
@click.argument("target", required=False, type=click.Path(dir_okay=False, path_type=Path))
@pass_settings
def db_dump(settings: Settings, target: Path | None) -> None:
    """Dump the local database to TARGET (default: a dated file in the dumps folder); stops Neo4j meanwhile."""
    from graph.dumps import dump

    path = dump(LocalNeo4j(settings), target, notify=lambda line: click.echo(line, err=True))
    click.echo(f"dumped the database to {path} ({path.stat().st_size / 2**20:,.1f} MB)")


@db.command("restore")
@click.argument("source", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
@pass_settings
def db_restore(settings: Settings, source: Path | None, yes: bool) -> None:
    """Replace the local database by the dump SOURCE (default: the newest dump); stops Neo4j meanwhile."""
    from graph.dumps import dumps_folder, latest_dump, restore
    from graph.store import StoreUnavailable

    server = LocalNeo4j(settings)
    source = source or latest_dump(server)
    if source is None:
        raise StoreUnavailable(f"no dump to restore in {dumps_folder(server)}; name one: ipeco db restore FILE")
    if not yes:
        click.confirm(f"Replace the local Neo4j database by {source}? Its current data is lost", abort=True)
    restore(server, source, notify=lambda line: click.echo(line, err=True))
    click.echo(f"restored the database from {source}")


# --- data ------------------------------------------------------------------------------------
@cli.command()
@click.option("--region", help="Only this region's organisations and their ties (aomori, ishikawa, kobe, ...).")
@click.option("--real-only", is_flag=True, help="Leave out synthetic data.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def stats(ctx: click.Context, region: str | None, real_only: bool, as_json: bool) -> None:
    """Counts of nodes by label and relationships by type; with --region, first the region's
    organisations, ties and firms as every other surface prints them."""
    from graph.words import t

    counts = with_store(ctx).counts(region, real_only=real_only)
    service = with_service(ctx) if region else None
    size = service.region_counts(region, real_only=real_only) if service and region else None
    producer = service.engagements(region, real_only=real_only).records if service and region else 0
    if as_json:
        # the region's counts exactly as every surface prints them; the producer's records beside them
        extra = {"region_counts": size.as_dict(), "producer_records": producer} if size else {}
        echo_json({**counts, **extra})
        return
    if size is not None:
        click.echo(
            f"organisations: {size.organisations}   ties between organisations: {size.ties}   firms: {size.firms}"
        )
        if producer:
            click.echo(t("engagements.not_counted", "en", n=producer))
        click.echo("(every node and relationship of the region's view, programmes and places included:)")
    click.echo(f"nodes: {counts['total_nodes']}   relationships: {counts['total_relationships']}")
    for label, n in counts["nodes_by_label"].items():
        click.echo(f"  :{label:24} {n:>8}")
    for rel_type, n in counts["relationships_by_type"].items():
        click.echo(f"  [{rel_type}]{'':{max(0, 22 - len(rel_type))}} {n:>8}")


@cli.command()
@click.option(
    "--demo/--no-demo",
    "--synthetic/--no-synthetic",
    default=False,
    show_default=True,
    help="Also add the generated demo layer (synthetic firms and engagements, flagged as such everywhere).",
)
@click.option(
    "--demo-scale",
    "--synthetic-scale",
    "demo_scale",
    type=float,
    default=1.0,
    show_default=True,
    help="Multiply the demo layer's firm counts (benchmarks use large values); implies --demo.",
)
@click.option("--reset", is_flag=True, help="Clear the store first.")
@click.option("--json", "as_json", is_flag=True, help="Print the load summary as JSON.")
@click.pass_context
def seed(ctx: click.Context, demo: bool, demo_scale: float, reset: bool, as_json: bool) -> None:
    """Load the bundled seeds: the sourced real layer of every region (+ the demo layer with --demo)."""
    from seeds import seed_batch

    # A scale given on the command line asks for the demo layer it scales.
    demo = demo or ctx.get_parameter_source("demo_scale") is click.core.ParameterSource.COMMANDLINE
    store = with_store(ctx)
    if reset:
        store.clear()
    batch = seed_batch(scale=demo_scale, synthetic=demo)
    summary = store.write_batch(batch)
    what = "real layer and the generated demo layer" if demo else "real layer"
    report_summary(summary.as_dict(), as_json, f"seeded the {store.name} store with the {what}")


@cli.command()
@click.option("--region", help="Only this region's organisations and their ties.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.pass_context
def audit(ctx: click.Context, region: str | None, as_json: bool) -> None:
    """Check that every real node and tie shows its source: a web address, a date, no duplicates.

    Exits 1 when there is any finding, so that scripts and CI can gate on it.
    """
    from graph.audit import audit_findings, findings_by_kind
    from graph.words import t

    graph = with_store(ctx).read_graph(region, real_only=True)
    findings = audit_findings(graph)
    counts = findings_by_kind(findings)
    if as_json:
        echo_json({"region": region, "findings": [f.as_dict() for f in findings], "counts": counts})
    else:
        scope = f"region {region}" if region else "the whole store"
        click.echo(f"provenance audit of {scope}: {len(findings)} finding(s)")
        for kind, n in counts.items():
            click.echo(f"  {t(f'audit.kind.{kind}', 'en')} / {t(f'audit.kind.{kind}', 'ja')}: {n}")
        for finding in findings:
            click.echo(f"  [{finding.kind}] {finding.ref}: {finding.detail}")
    if findings:
        sys.exit(1)


@cli.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice(loader_names()))
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--region", help="Model region to keep or attach to (aomori, ishikawa, kobe).")
@click.option("--prefecture", "prefecture_code", help="JIS prefecture code to keep (houjin), e.g. 02.")
@click.option("--city", "city_code", help="JIS city code to keep (houjin), e.g. 28110.")
@click.option("--include-hidden", is_flag=True, help="Keep corporate-number rows marked hidden (hihyoji=1).")
@click.option("--enrich-only", is_flag=True, help="Only update organisations already in the store.")
@click.option("--encoding", help="Override the detected encoding (UTF-8 with or without BOM, or cp932).")
@click.option(
    "--include-unclassified",
    is_flag=True,
    help="Keep organisations no role rule classifies (religious, medical, welfare, most NPOs) as flagged Company.",
)
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
@click.option("--bulk", is_flag=True, help="First load into an empty local Neo4j: neo4j-admin import, then one switch.")
@click.option(
    "--staged",
    is_flag=True,
    help="Build the next database beside the live local Neo4j, import it, then one switch (automatic when large).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary (or every violation) as JSON.")
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    help="Seconds to wait for another load's write lock (env IPECO_LOCK_WAIT, default 600).",
)
@click.pass_context
def load(
    ctx: click.Context,
    fmt: str,
    paths: tuple[Path, ...],
    as_json: bool,
    dry_run: bool,
    wait: float | None,
    bulk: bool,
    staged: bool,
    **opts: Any,
) -> None:
    """Load FORMAT files (canonical | houjin | gbiz-patent | gbiz-subsidy | jplatpat) in one transaction.

    --bulk (an empty local Neo4j) and --staged (a live one) validate the whole load first, build the
    next database with neo4j-admin beside the live one and switch to it once: all or nothing.
    """
    from loaders.base import LoadContext, LoadOptions
    from loaders.registry import LOADERS

    if bulk and staged:
        raise click.UsageError("choose one of --bulk and --staged")
    if wait is not None:
        ctx.obj = dataclasses.replace(ctx.obj, lock_wait=wait)
    try:
        store = with_store(ctx)
        options = LoadOptions(progress=not as_json and sys.stderr.isatty(), **opts)
        result = LOADERS[fmt](list(paths), options, LoadContext.from_graph(store.read_graph()))
        mode = None if dry_run else bulk_mode(ctx.obj, store, result.batch, bulk=bulk, staged=staged)
        summary = write_load(ctx, store, result.batch, mode, dry_run=dry_run)
    except (IpecoError, OSError) as exc:
        if not as_json or user_message(exc) is None:
            raise
        echo_json(refusal(exc))
        sys.exit(1)
    data = {
        **summary.as_dict(),
        "nodes_in_batch": len(result.batch.nodes),
        "relationships_in_batch": len(result.batch.relationships),
        "warnings": result.warnings,
        **({"report": result.report} if result.report else {}),
    }
    report_summary(data, as_json, f"{'checked' if dry_run else 'loaded'} {fmt} into the {store.name} store")
    if not as_json:
        for path, encoding in result.report.get("encodings", {}).items():
            click.echo(f"  encoding: {encoding} ({path})")


def write_load(ctx: click.Context, store: Store, batch: Any, mode: str | None, *, dry_run: bool) -> Any:
    """The load's summary: by import and switch (``mode`` bulk or staged), else in one transaction."""
    if mode is None:
        if not dry_run:
            store = dump_before_a_large_load(ctx, store, batch)
        return store.write_batch(batch, dry_run=dry_run)
    from graph.bulk import bulk_load

    store.close()
    return bulk_load(ctx.obj, batch, staged=mode == "staged", notify=lambda line: click.echo(line, err=True))


def bulk_mode(settings: Settings, store: Store, batch: Any, *, bulk: bool, staged: bool) -> str | None:
    """The way a load goes: "bulk", "staged" or None (one transaction); too large for one goes staged.

    The threshold is three quarters of what one transaction was measured to hold at the local server's heap
    (``graph.bulk``).
    """
    if bulk or staged:
        return "bulk" if bulk else "staged"
    if store.name != "neo4j" or settings.neo4j_uri:
        return None
    from graph.bulk import staged_threshold
    from graph.words import t

    records, limit = len(batch.nodes) + len(batch.relationships), staged_threshold(settings.heap)
    if records <= limit:
        return None
    click.echo(t("load.auto_staged", "en", records=f"{records:,}", heap=settings.heap, limit=f"{limit:,}"), err=True)
    return "staged"


def dump_before_a_large_load(ctx: click.Context, store: Store, batch: Any) -> Store:
    """Dump the local Neo4j before a load of more than ``AUTO_DUMP_RECORDS`` records (issue 26).

    A full disk can leave Neo4j unable to recover; the dump is the way back (``ipeco db restore``).
    The load is checked against the free space first, so a load that cannot fit costs no dump.
    Returns the store to write to: a new connection, as the server was restarted for the dump.
    """
    from graph.dumps import AUTO_DUMP_RECORDS, dump

    records = len(batch.nodes) + len(batch.relationships)
    if store.name != "neo4j" or getattr(store, "data_dir", None) is None or records <= AUTO_DUMP_RECORDS:
        return store
    store.validate(batch)
    store.preflight(batch)
    store.close()
    click.echo(f"a load of {records:,} records: dumping the database first (`ipeco db restore` puts it back)", err=True)
    path = dump(LocalNeo4j(ctx.obj), automatic=True, notify=lambda line: click.echo(line, err=True))
    click.echo(f"dumped to {path}", err=True)
    return with_store(ctx)


def refusal(exc: BaseException) -> dict[str, Any]:
    """A refused load as data: ``ok: false``, the message, and every violation with file, line and field."""
    violations = [
        {
            "file": v.origin.file if v.origin else None,
            "line": v.origin.line if v.origin else None,
            "sheet": v.origin.sheet if v.origin else None,
            "field": v.field,
            "message": v.message,
        }
        for v in getattr(exc, "violations", [])
    ]
    message = user_message(exc) or str(exc)
    return {"ok": False, "error": message.splitlines()[0] if message else type(exc).__name__, "violations": violations}


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--xlsx", is_flag=True, help="Write one XLSX workbook instead of two CSV files.")
def template(folder: Path, xlsx: bool) -> None:
    """Write an empty canonical template (nodes + relationships) with instructions."""
    from loaders.canonical import write_template

    for path in write_template(folder, xlsx):
        click.echo(f"wrote {path}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind (0.0.0.0 shares it).")
@click.option("--port", default=8050, show_default=True, type=int)
@click.option("--debug", is_flag=True, help="Dash debug mode on the development server (loopback, no IPECO_AUTH).")
@click.option("--dev-server", is_flag=True, help="Werkzeug's development server instead of gunicorn.")
@click.option("--workers", type=click.IntRange(min=1), help="gunicorn worker processes (env IPECO_WEB_WORKERS).")
@pass_settings
def serve(settings: Settings, host: str, port: int, debug: bool, dev_server: bool, workers: int | None) -> None:
    """Serve the web app (map, compare, gaps, suggestions, query) on http://HOST:PORT with gunicorn."""
    from webapp.app import run

    run(settings, host=host, port=port, debug=debug, dev_server=dev_server, workers=workers)


# --- analytics -------------------------------------------------------------------------------
def region_option(required: bool = True) -> Callable[..., Any]:
    return click.option("--region", required=required, help="Region key: aomori, ishikawa, kobe, ...")


def lang_option() -> Callable[..., Any]:
    return click.option(
        "--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True, help="Language of the table."
    )


#: Organisations in ``ipeco analyze``'s table of brokers.
TOP_BROKERS = 10


def terminal_width() -> int | None:
    """Columns of the terminal (or ``$COLUMNS``) to fit tables in; None for a pipe or a file (no cutting)."""
    import shutil

    return shutil.get_terminal_size((0, 0)).columns or None


def echo_prose(text: str) -> None:
    """A sentence under a table, wrapped to the terminal like the table (unwrapped into a pipe)."""
    from reports.tables import wrap_cell

    width = terminal_width()
    click.echo("\n".join(wrap_cell(text, width)) if width else text)


def node_name(graph: Any, node: str, lang: str) -> str:
    """An organisation's or region's name in ``lang``: the English name where one is known, else Japanese."""
    attrs = graph.nodes[node] if node in graph else {}
    ja = str(attrs.get("name") or node)
    return str(attrs.get("name_en") or ja) if lang == "en" else ja


def node_role(graph: Any, node: str) -> str | None:
    from graph.schema import role_label

    return role_label(graph.nodes[node].get("labels", ())) if node in graph else None


def region_name(graph: Any, key: str, lang: str) -> str:
    from graph.scope import region_id

    return node_name(graph, region_id(key), lang) if region_id(key) in graph else key


@cli.command()
@region_option()
@click.option("--real-only", is_flag=True, help="Leave out synthetic data.")
@click.option("--write", is_flag=True, help="Store the scores as node properties (query them in Cypher).")
@click.option("--exact-threshold", default=5000, show_default=True, help="Exact betweenness up to this many nodes.")
@click.option("--k", "k", default=500, show_default=True, help="Sampled sources for betweenness above the threshold.")
@click.option("--seed", default=42, show_default=True, help="Seed of every randomised step.")
@lang_option()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def analyze(
    ctx: click.Context,
    region: str,
    real_only: bool,
    write: bool,
    exact_threshold: int,
    k: int,
    seed: int,
    lang: str,
    as_json: bool,
) -> None:
    """Centrality, brokerage, k-cores, bridges and communities of a region's organisations."""
    from analytics.service import AnalysisService

    store = with_store(ctx)
    service = AnalysisService(store, exact_threshold=exact_threshold, k=k, seed=seed)
    result = service.analysis(region, real_only=real_only).as_dict()
    graph = service.region_view(region, real_only=real_only)
    if write:
        scores = {
            node: {
                f"score_{key}": value
                for key, value in measures.items()
                if isinstance(value, int | float) and not isinstance(value, bool)
            }
            for node, measures in result["nodes"].items()
        }
        result["written"] = store.write_node_properties(scores)
    if as_json:
        echo_json(result)
        return
    from graph.words import role_name, t
    from reports.formatting import number
    from reports.tables import render_table

    analysis = service.analysis(region, real_only=real_only)
    click.echo(
        t(
            "cli.analyze.summary",
            lang,
            region=region_name(graph, region, lang),
            orgs=len(analysis.nodes),
            communities=len(analysis.communities),
            cuts=len(analysis.articulation_points),
            bridges=len(analysis.bridges),
        )
    )
    top = sorted(analysis.nodes.values(), key=lambda m: (-(m.betweenness or 0), -m.degree, m.id))[:TOP_BROKERS]
    headers = [t(f"doc.col.{k}", lang) for k in ("rank", "name", "role")]
    headers += [t(f"measure.{k}", lang) for k in ("betweenness", "degree", "pagerank")]
    rows = [
        [i, node_name(graph, m.id, lang), role_name(node_role(graph, m.id), lang)]
        + [number(v, lang) for v in (m.betweenness, m.degree, m.pagerank)]
        for i, m in enumerate(top, 1)
    ]
    click.echo(f"\n{t('cli.analyze.top', lang, n=len(rows))}")
    click.echo(render_table(headers, rows, terminal_width()))
    if write:
        click.echo(f"\n{t('cli.analyze.written', lang, n=result['written'])}")


@cli.command()
@region_option(required=False)
@click.option(
    "--org", "org_name", help="Only this organisation's card: an id or a name (exact, else the first characters)."
)
@click.option("--real-only", is_flag=True, help="Leave out synthetic data.")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON: the worklist and the findings behind it.")
@click.option("--top", type=int, default=None, help="Print only the first N cards (default: all).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the worklist as an Excel sheet (.xlsx) with a status column to fill in.",
)
@click.pass_context
def gaps(
    ctx: click.Context,
    region: str | None,
    org_name: str | None,
    real_only: bool,
    lang: str,
    as_json: bool,
    top: int | None,
    output: Path | None,
) -> None:
    """The gaps as a worklist: one card per organisation with a reason and a next step, by priority.

    Missing roles, liaison gaps, fragile bridges, isolated actors, uncovered phases and unmet
    matches are merged per organisation; large enterprises and public bodies are listed in their
    own sections. The table fits the terminal's width; --json prints the data.
    """
    from dataclasses import replace

    from graph.words import t
    from reports.worklist import write_worklist_xlsx

    service = with_service(ctx)
    org = service.find_organisation(org_name, region=region) if org_name else None
    if region is None:
        if org is None:
            raise click.UsageError("give --region (aomori, ishikawa, kobe, ...) or --org NAME")
        region = service.home_region(org)
    worklist = service.worklist(region, real_only=real_only)
    if org is not None:
        worklist = replace(worklist, items=tuple(i for i in worklist.items if org in i.subjects))
        if not worklist.items:
            click.echo(t("cli.gaps.no_card", lang, name=node_name(service.graph(), org, lang)))
            return
    if output is not None:
        if output.suffix.lower() != ".xlsx":
            raise click.UsageError(f"-o {output}: the worklist is written as an Excel sheet; name it *.xlsx")
        write_worklist_xlsx(worklist, output, lang)
        click.echo(f"wrote {len(worklist.items)} cards of {worklist.region}'s worklist to {output}", err=as_json)
    if as_json:
        echo_json({**worklist.as_dict(), "gaps": service.gaps(region, real_only=real_only).as_dict()["gaps"]})
    elif output is None:
        _echo_worklist(worklist, lang, top)


def _echo_worklist(worklist: Any, lang: str, top: int | None) -> None:
    """One table per section, as the gaps page shows them: large firms only under their own heading,
    and each section numbered from 1 (a number never skips over a card of another section)."""
    import shutil
    from dataclasses import replace

    from analytics.worklist import SECTIONS
    from graph.words import gaps_caveat, t
    from reports.worklist import worklist_table

    width = shutil.get_terminal_size((120, 24)).columns
    for section in SECTIONS:
        cards = [i for i in worklist.items if i.section == section]
        if not cards:
            continue
        shown = [replace(i, rank=k) for k, i in enumerate(cards[:top] if top is not None else cards, start=1)]
        heading = t("cli.gaps.section", lang, section=t(f"worklist.section.{section}", lang), n=len(cards))
        click.echo(f"{heading}\n{worklist_table(shown, lang, width)}\n")
    caveat = gaps_caveat(worklist.completeness, lang)
    if caveat:
        click.echo(f"\n{caveat}")


@cli.command()
@click.option("--region", "regions", multiple=True, help="Regions to compare (default: every region).")
@click.option("--real-only", is_flag=True, help="Leave out synthetic data.")
@click.option("--seed", default=42, show_default=True)
@lang_option()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def compare(ctx: click.Context, regions: tuple[str, ...], real_only: bool, seed: int, lang: str, as_json: bool) -> None:
    """One table of indicators for every region (with null models for size-sensitive ones)."""
    from graph.scope import listed_regions

    service = with_service(ctx, seed=seed)
    if not regions:
        # The one list of regions (graph.scope.listed_regions): the model regions, then the others.
        regions = tuple(listed_regions(service.graph()))
    comparison = service.comparison(list(regions), real_only=real_only)
    if as_json:
        echo_json(comparison.as_dict())
        return
    from analytics.compare import THIN_DATA_TIES
    from graph.words import t
    from reports.collect import indicator_rows
    from reports.formatting import number
    from reports.tables import render_table

    graph = service.graph()
    keys = comparison.regions
    headers = [t("doc.col.indicator", lang), *(region_name(graph, k, lang) for k in keys)]
    from analytics.compare import COLLECTION_DEPENDENT

    mark = "※" if lang == "ja" else "*"
    rows = [
        [
            row.label[lang],
            *(
                number(row.values.get(k), lang) + (mark if row.key.split(".")[0] in COLLECTION_DEPENDENT else "")
                for k in keys
            ),
        ]
        for row in indicator_rows(comparison.indicators, graph)
    ]
    click.echo(render_table(headers, rows, terminal_width()))
    for key, ties in comparison.thin_regions().items():
        echo_prose(t("cli.compare.thin", lang, region=region_name(graph, key, lang), ties=ties, limit=THIN_DATA_TIES))
    for key in keys:
        if records := service.engagements(key, real_only=comparison.real_only).records:
            echo_prose(t("engagements.not_counted_in", lang, region=region_name(graph, key, lang), n=records))
    click.echo()
    echo_prose(t("indicator.caveat", lang))
    echo_prose(t("cli.compare.definitions", lang))


@cli.command("changes")
@region_option()
@click.option("--from", "from_year", type=int, required=True, help="Fiscal year to compare from (e.g. 2023).")
@click.option("--to", "to_year", type=int, default=None, help="Fiscal year to compare to (default: the latest).")
@click.option("--real-only", is_flag=True, help="Leave out synthetic data.")
@lang_option()
@click.option("--json", "as_json", is_flag=True, help="Print JSON: every change with its pages.")
@click.pass_context
def changes_command(
    ctx: click.Context, region: str, from_year: int, to_year: int | None, real_only: bool, lang: str, as_json: bool
) -> None:
    """What changed in a region between two fiscal years: organisations, ties, bridges, first supports."""
    from analytics.timeline import Timeline
    from graph.errors import InputError

    timeline = Timeline(with_service(ctx))
    latest = timeline.latest_year()
    end = to_year if to_year is not None else latest
    if end is None or from_year >= end:
        msg = f"--from {from_year} must be earlier than --to {end} (the latest fiscal year in the data is {latest})"
        raise InputError(msg)
    changes = timeline.changes(region, from_year, end, real_only=real_only)
    if as_json:
        echo_json(changes.as_dict())
        return
    from graph.words import change_kind_name, fiscal_year, t
    from reports.tables import render_table
    from reports.timeline import change_rows

    graph = timeline.service.graph()
    start_words, end_words = fiscal_year(from_year, lang), fiscal_year(end, lang)
    click.echo(f"{region_name(graph, region, lang)}: {t('time.changes', lang, start=start_words, end=end_words)}")
    counts = [
        t("time.changes.count", lang, kind=change_kind_name(k, lang), count=n) for k, n in changes.counts().items()
    ]
    echo_prose(" / ".join(counts))
    headers = [t(f"time.col.{k}", lang) for k in ("kind", "what", "year", "source")]
    rows = [row.cells() for row in change_rows(changes, lang)]
    click.echo(render_table(headers, rows, terminal_width()) if rows else t("time.changes.none", lang))
    echo_prose(t("time.undated", lang, ties=changes.undated_ties, orgs=timeline.undated_organisations(region)))


@cli.command("ip")
@region_option()
@click.option("--real-only", is_flag=True, help="Leave out synthetic data.")
@lang_option()
@click.option("--json", "as_json", is_flag=True, help="Print JSON: the facts, their counts and each organisation's IP.")
@click.pass_context
def ip_command(ctx: click.Context, region: str, real_only: bool, lang: str, as_json: bool) -> None:
    """The region's IP facts: rights held, IP awards, IP support and licences, each with its page and date."""
    service = with_service(ctx)
    report = service.ip(region, real_only=real_only)
    if as_json:
        echo_json(report.as_dict())
        return
    from graph.words import ip_kind_name, t
    from reports.tables import render_table

    graph = service.graph()
    counts = report.counts
    name = region_name(graph, region, lang)
    click.echo(
        t("ip.summary", lang, region=name, facts=counts.facts, orgs=counts.organisations, kinds=len(counts.kinds))
    )
    headers = [t(f"ip.col.{k}", lang) for k in ("org", "kind", "what", "number", "date", "source")]
    rows = [
        [
            node_name(graph, f.org, lang),
            ip_kind_name(f.kind, lang),
            _ip_what(f, graph, lang),
            f.number,
            f.date,
            f.evidence,
        ]
        for f in report.facts
    ]
    click.echo(render_table(headers, rows, terminal_width()))


def _ip_what(fact: Any, graph: Any, lang: str) -> str:
    """What an IP fact is about: the right's name, or the other organisation and the award's name."""
    if fact.fact == "holds":
        return str(fact.subject_name)
    other = node_name(graph, fact.subject, lang)
    from graph.words import t

    return t("form.paren", lang, text=other, detail=fact.detail) if fact.detail else other


def _recommendations_said(doc: dict[str, Any]) -> dict[str, Any]:
    """The ``--json`` document with each reason, place and empty-list reason said in both languages
    (the analysis gives codes and values; ``reason_codes`` and ``place_codes`` keep them)."""
    from graph.words import LANGS, empty_reason, place_text, reasons_text

    for key in ("partners", "support", "programmes"):
        for entry in doc[key]:
            entry["reason_codes"] = entry["reasons"]
            entry["reasons"] = {lang: reasons_text(entry["reason_codes"], lang) for lang in LANGS}
            if "place" in entry:
                entry["place_codes"] = entry["place"]
                entry["place"] = {lang: place_text(entry["place_codes"], lang) for lang in LANGS}
    for key, why in doc["empty"].items():
        said = {lang: empty_reason(why["code"], lang, phases=why["phases"], who=why["who"]) for lang in LANGS}
        doc["empty"][key] = {**why, **said}
    return doc


@cli.command()
@click.argument("org_id", metavar="ORG")
@click.option("--region", help="Region to draw suggestions from (default: where the organisation is seated).")
@click.option("--top", default=10, show_default=True)
@click.option("--real-only", is_flag=True, help="Leave out synthetic data.")
@lang_option()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.pass_context
def recommend(
    ctx: click.Context, org_id: str, region: str | None, top: int, real_only: bool, lang: str, as_json: bool
) -> None:
    """Partners and programmes worth a firm's time in its region, each with its reasons and place.

    ORG is an id (org:...) or a name: exact (伍魚福, "Kobe University"), else the first characters
    of one name; several matches list the candidates with their ids.
    """
    service = with_service(ctx)
    org_id = service.find_organisation(org_id, region=region)
    result = service.recommendations(org_id, region=region, real_only=real_only, top=top)
    if as_json:
        echo_json(_recommendations_said(result.as_dict()))
        return
    from graph.words import empty_reason, phase_name, reasons_text, t
    from reports.formatting import number
    from reports.tables import render_table

    graph = service.graph()
    name = node_name(graph, result.org, lang) if result.org in graph else result.name
    click.echo(t("cli.recommend.title", lang, name=name, region=region_name(graph, result.region, lang)))
    if result.uncovered_phases:
        phases = t("form.list", lang).join(phase_name(p, lang) for p in result.uncovered_phases)
        click.echo(t("cli.recommend.uncovered", lang, phases=phases))
    headers = [t(f"doc.col.{k}", lang) for k in ("rank", "name", "score", "reasons")]
    for title, key, items in (
        ("doc.suggest.partner", "partners", result.partners),
        ("doc.suggest.support", "support", result.support),
        ("doc.suggest.programme", "programmes", result.programmes),
    ):
        click.echo(f"\n{t(title, lang)}")
        if not items:
            why = result.empty.get(key)
            click.echo(
                empty_reason(why.code, lang, phases=why.phases, who=why.who) if why else t("cli.recommend.none", lang)
            )
            continue
        rows = [
            [i, (s.name_en or s.name) if lang == "en" else s.name, number(s.score, lang), reasons_text(s.reasons, lang)]
            for i, s in enumerate(items, 1)
        ]
        click.echo(render_table(headers, rows, terminal_width()))


# --- query and export ------------------------------------------------------------------------
@cli.command()
@click.argument("cypher", required=False)
@click.option("--saved", "saved_id", help="Run a saved query by id (see --list).")
@click.option("--list", "list_saved", is_flag=True, help="List the saved queries.")
@click.option("--param", "params", multiple=True, metavar="K=V", help="Query parameter (JSON value or string).")
@click.option(
    "--timeout", default=10.0, show_default=True, help="Seconds the whole command may take before the query is stopped."
)
@click.option("--limit", "row_limit", default=5000, show_default=True, help="Most rows returned.")
@click.option("--max-bytes", type=int, help="Payload cap in bytes (default 20 MB, env IPECO_QUERY_MAX_BYTES).")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@click.pass_context
def query(
    ctx: click.Context,
    cypher: str | None,
    saved_id: str | None,
    list_saved: bool,
    params: tuple[str, ...],
    timeout: float,
    row_limit: int,
    max_bytes: int | None,
    lang: str,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Run read-only Cypher (Neo4j store): planned first, refused if it could write, time- and row-limited."""
    import logging

    from graph.query import QueryError, parse_params, run_readonly, run_saved, saved_queries

    if list_saved:
        for saved in saved_queries():
            click.echo(f"{saved.id:28} {saved.title(lang)}")
        return
    if bool(cypher) == bool(saved_id):
        raise click.UsageError("give either a CYPHER query or --saved ID")
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    cypher_parser(ctx.obj)  # the guard's parser starts now and warms up while the store connects
    # --timeout bounds the whole command, connecting included: its clock started with the process (ipeco.STARTED)
    limits: dict[str, Any] = {"timeout": timeout, "row_limit": row_limit, "max_bytes": max_bytes}
    try:
        store = _store_within(ctx, ipeco.STARTED + timeout, timeout)
        values = parse_params(params)
        if saved_id:
            result = run_saved(store, saved_id, values, **limits, clock_started=ipeco.STARTED)
        else:
            result = run_readonly(store, cypher or "", values, **limits, clock_started=ipeco.STARTED)
    except QueryError as exc:  # the whole sentence in the chosen language
        raise type(exc)(exc.text(lang)) from None
    if as_json:
        echo_json(result.as_dict())
    elif as_csv:
        click.echo(result.to_csv(), nl=False)
    else:
        _echo_tsv(result.columns, result.rows)
        click.echo(f"({len(result.rows)} rows, {result.elapsed_ms:.0f} ms)", err=True)
    if result.notice:
        click.echo(result.notice_ja() if lang == "ja" else result.notice, err=True)


def _store_within(ctx: click.Context, deadline: float, timeout: float) -> Store:
    """Open the store in a helper thread and give up at ``deadline``: a loaded server may take a minute
    to accept a connection, and ``--timeout`` promises the whole command."""
    import threading

    from graph.connection import open_store
    from graph.query import timed_out

    if ctx.obj.store != "neo4j":
        return with_store(ctx)  # the embedded store is a local file, and its connection may not change threads
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["store"] = open_store(ctx.obj)
        except BaseException as exc:  # handed to the command's thread
            box["error"] = exc

    worker = threading.Thread(target=work, name="ipeco-query-connect", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    if worker.is_alive():
        raise timed_out(timeout)
    if "error" in box:
        raise box["error"]
    store: Store = box["store"]
    store.notify = lambda message: click.echo(message, err=True)
    ctx.call_on_close(store.close)
    return store


def _echo_tsv(columns: list[str], rows: list[list[Any]]) -> None:
    """Tab-separated rows, compact JSON for non-text values, formula-safe text (one write per chunk)."""
    import orjson

    from graph.query import formula_safe

    def cell(value: Any) -> str:
        if isinstance(value, str):
            return formula_safe(value.replace("\t", " ").replace("\n", " ").replace("\r", " "))
        return orjson.dumps(value).decode()

    out = sys.stdout
    out.write("\t".join(formula_safe(c) for c in columns) + "\n")
    for start in range(0, len(rows), 500):
        out.write("".join("\t".join(cell(v) for v in row) + "\n" for row in rows[start : start + 500]))
    out.flush()


def export_format_for_path(path: Path, fmt: str | None) -> str:
    """The export format for ``-o path``: ``fmt`` when given and the name agrees, else the name's extension.

    ``.graphml``, ``.gexf``, ``.cyjs`` (Cytoscape), ``.json`` (node-link) and ``.xlsx`` name a file
    format; a name without an extension, or an existing folder, is the csv format's folder. A
    format that contradicts the name (``--format xlsx -o kobe.graphml``) is refused before anything
    is written, rather than leaving a file no program will open under that name.
    """
    from graph.exports import SUFFIXES, ExportError

    suffix = path.suffix.lower()
    is_folder = path.is_dir() or not suffix
    by_suffix = {ext: name for name, ext in SUFFIXES.items()}
    if fmt is None:
        if is_folder:
            return "csv"
        if suffix not in by_suffix:
            names = ", ".join(sorted(by_suffix))
            msg = f"cannot tell the export format from {path.name!r}; name the file {names}, or a folder for csv"
            raise ExportError(msg)
        return by_suffix[suffix]
    if fmt == "csv":
        if not is_folder:
            msg = f"--format csv writes a folder of files, but {path.name!r} names a {suffix} file; give a folder name"
            raise ExportError(msg)
        return fmt
    accepted = {SUFFIXES[fmt], *((".json",) if fmt == "cytoscape-json" else ())}
    if path.is_dir() or (suffix and suffix not in accepted):
        what = "is a folder" if path.is_dir() else f"ends in {suffix}"
        msg = f"{path.name!r} {what} but --format is {fmt}, which writes a {SUFFIXES[fmt]} file; make them agree"
        raise ExportError(msg)
    return fmt


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["graphml", "gexf", "cytoscape-json", "node-link-json", "csv", "xlsx"]),
    help="Export format (default: from the output's extension; a folder is csv).",
)
@click.option("--region", help="Only this region's view (default: the whole graph).")
@click.option("--real-only", is_flag=True, help="Leave out synthetic data.")
@click.option(
    "-o", "--output", "path", required=True, type=click.Path(path_type=Path), help="File to write (a folder for csv)."
)
@click.pass_context
def export(ctx: click.Context, fmt: str | None, region: str | None, real_only: bool, path: Path) -> None:
    """Export the graph for Gephi, yEd, Cytoscape, Excel or neo4j-admin import."""
    from graph.exports import export_graph

    fmt = export_format_for_path(path, fmt)
    indicators = gap_list = None
    if region:
        service = with_service(ctx)
        graph = service.region_view(region, real_only=real_only)
        if fmt == "xlsx":
            indicators = service.analysis(region, real_only=real_only).as_dict()["indicators"]
            gap_list = [_said(g) for g in service.gaps(region, real_only=real_only).as_dict()["gaps"]]
    else:
        graph = with_store(ctx).read_graph(real_only=real_only)
    for written in export_graph(graph, fmt, path, indicators=indicators, gaps=gap_list):
        click.echo(f"wrote {written}")


def _said(gap: dict[str, Any]) -> dict[str, Any]:
    """A gap for the export sheet: its explanation said in both languages (the sheet is read, not parsed)."""
    from graph.words.gaps import explain

    return {**gap, "explanation": {lang: explain(gap["explanation"], lang) for lang in ("ja", "en")}}


@cli.command()
@click.option("--region", help="Region of the brief (aomori, ishikawa, kobe, ...).")
@click.option("--compare", "comparison", is_flag=True, help="The three model regions side by side.")
@click.option("--lang", type=click.Choice(["ja", "en"]), default="ja", show_default=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "pdf", "xlsx"]),
    default=None,
    help="File format (default: from the output file's extension).",
)
@click.option("-o", "--output", "path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def report(ctx: click.Context, region: str | None, comparison: bool, lang: str, fmt: str | None, path: Path) -> None:
    """A regional brief (or the comparison of regions) as HTML, A4 PDF or XLSX."""
    from reports.files import ReportError, build_comparison_report, build_region_report, format_for_path

    if bool(region) == comparison:
        raise click.UsageError("give either --region R or --compare")
    fmt = format_for_path(path, fmt)
    suffix = path.suffix.lower().removeprefix(".")
    if suffix and suffix not in (fmt, "htm" if fmt == "html" else fmt):  # kobe.docx with --format pdf
        msg = f"the file {path.name!r} ends in .{suffix} but --format is {fmt}; name it .{fmt}"
        raise ReportError(msg)
    service = with_service(ctx)
    if comparison:
        written = build_comparison_report(service, lang, fmt, path)
    else:
        written = build_region_report(service, region or "", lang, fmt, path)
    click.echo(f"wrote {written}")


def report_summary(data: dict[str, Any], as_json: bool, headline: str) -> None:
    if as_json:
        echo_json(data)
        return
    click.echo(headline)
    if data.get("dry_run"):
        click.echo(
            f"  valid: {data.get('nodes_in_batch', 0)} nodes and {data.get('relationships_in_batch', 0)} "
            "relationships; nothing was written (--dry-run)"
        )
        return
    nodes = [data.get(f"nodes_{k}", 0) for k in ("created", "updated", "unchanged")]
    rels = [data.get(f"relationships_{k}", 0) for k in ("created", "updated", "unchanged")]
    click.echo(f"  nodes:         {nodes[0]} created, {nodes[1]} updated, {nodes[2]} unchanged")
    click.echo(f"  relationships: {rels[0]} created, {rels[1]} updated, {rels[2]} unchanged")
    for warning in data.get("warnings", []):
        click.echo(f"  warning: {warning}", err=True)


@cli.command()
def schema() -> None:
    """Print the graph schema as Markdown (docs/schema.md is generated from it)."""
    from graph.schema import schema_markdown

    click.echo(schema_markdown(), nl=False)


def _add_workbench_commands() -> None:
    from ipeco.history import history, undo

    cli.add_command(history)
    cli.add_command(undo)


_add_workbench_commands()


def main() -> None:
    cli(prog_name="ipeco")


if __name__ == "__main__":
    main()
