"""The ``ipeco`` command line: one entry point for the database, loads, analytics and the web app."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from graph.batch import BatchError
from graph.server import LocalNeo4j, ServerError
from graph.store import Store, StoreUnavailable
from ipeco.settings import STORE_KINDS, Settings
from ipeco.stores import open_store

#: Errors a user can act on: printed as one sentence with a non-zero exit, never a traceback.
USER_ERRORS: tuple[type[BaseException], ...] = (
    BatchError,
    StoreUnavailable,
    ServerError,
    KeyError,
    ValueError,
    OSError,
)


class IpecoGroup(click.Group):
    """A click group that turns user errors into one clear message and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except USER_ERRORS as exc:
            message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
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
    store = open_store(ctx.obj)
    ctx.call_on_close(store.close)
    return store


pass_settings: Callable[..., Any] = click.pass_obj


# --- db --------------------------------------------------------------------------------------
@cli.group()
def db() -> None:
    """Run a real local Neo4j Community server (no Docker; Java 17+ and Maven)."""


@db.command("start")
@click.option("--timeout", default=120.0, show_default=True, help="Seconds to wait for Bolt.")
@pass_settings
def db_start(settings: Settings, timeout: float) -> None:
    """Fetch the pinned Neo4j with Maven (first time), start it on 127.0.0.1 and wait for Bolt."""
    import time

    began = time.monotonic()
    status = LocalNeo4j(settings).start(timeout=timeout)
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
    """Version, URI, PID and data folder of the local Neo4j."""
    status = LocalNeo4j(settings).status().as_dict()
    if as_json:
        echo_json(status)
        return
    for key, value in status.items():
        click.echo(f"{key:8} {value}")
    if not status["running"]:
        sys.exit(3)


@db.command("logs")
@click.option("-n", "lines", default=50, show_default=True, help="Lines per log file.")
@pass_settings
def db_logs(settings: Settings, lines: int) -> None:
    """The last lines of the local Neo4j's logs."""
    click.echo(LocalNeo4j(settings).logs(lines))


# --- data ------------------------------------------------------------------------------------
@cli.command()
@click.option("--region", help="Only this region's organisations and their ties (aomori, ishikawa, kobe, ...).")
@click.option("--real-only", is_flag=True, help="Leave out synthetic data.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def stats(ctx: click.Context, region: str | None, real_only: bool, as_json: bool) -> None:
    """Counts of nodes by label and relationships by type."""
    counts = with_store(ctx).counts(region, real_only=real_only)
    if as_json:
        echo_json(counts)
        return
    click.echo(f"nodes: {counts['total_nodes']}   relationships: {counts['total_relationships']}")
    for label, n in counts["nodes_by_label"].items():
        click.echo(f"  :{label:24} {n:>8}")
    for rel_type, n in counts["relationships_by_type"].items():
        click.echo(f"  [{rel_type}]{'':{max(0, 22 - len(rel_type))}} {n:>8}")


@cli.command()
def schema() -> None:
    """Print the graph schema as Markdown (docs/schema.md is generated from it)."""
    from graph.schema import schema_markdown

    click.echo(schema_markdown(), nl=False)


def main() -> None:
    cli(prog_name="ipeco")


if __name__ == "__main__":
    main()
