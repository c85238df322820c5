"""``ipeco history`` and ``ipeco undo ID``: the workbench's change sets from the command line (issue 22).

Kept apart from :mod:`ipeco.cli` (which adds these commands to its group) so that the command-line
side of the workbench is one small module; it opens the store the way every command does.
"""

from __future__ import annotations

import getpass
import json

import click

# The store and the change log are imported when one of these commands runs, not when ``ipeco``
# starts (it adds them to its group at start-up; most commands never use them).
__all__ = ["history", "undo"]


def _author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return "cli"


@click.command()
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="How many, newest first.")
@click.option("--json", "as_json", is_flag=True, help="Print every change set, with each record before and after.")
@click.pass_context
def history(ctx: click.Context, limit: int, as_json: bool) -> None:
    """The change sets written from the workbench (uploads, edits, undos), newest first."""
    from graph.change_logs import change_log
    from graph.connection import open_store

    store = open_store(ctx.obj)
    ctx.call_on_close(store.close)
    sets = change_log(store).history(limit)
    if as_json:
        click.echo(json.dumps([s.as_dict() for s in sets], ensure_ascii=False, indent=2))
        return
    if not sets:
        click.echo("no change sets yet")
    for s in sets:
        counts = s.counts()
        state = f"  undone by {s.undone_by}" if s.undone_by else f"  (undoes {s.undoes})" if s.undoes else ""
        click.echo(
            f"{s.id:>5}  {s.at}  {s.kind:10} {s.author:12} {s.summary}  "
            f"+{counts['added']} ~{counts['changed']} -{counts['removed']}{state}"
        )


@click.command()
@click.argument("change_id")
@click.option("--author", default=None, help="Who undoes it (default: the login name).")
@click.pass_context
def undo(ctx: click.Context, change_id: str, author: str | None) -> None:
    """Take back change set CHANGE_ID in one transaction (refused while a later change depends on it)."""
    from graph.change_logs import change_log
    from graph.changes import plan_undo
    from graph.connection import open_store

    store = open_store(ctx.obj)
    ctx.call_on_close(store.close)
    log = change_log(store)
    written = log.apply(plan_undo(log, change_id, author=author or _author()))
    click.echo(f"undid change set {change_id} (change set {written.id}, {len(written.changes)} records)")
