"""Change sets, history, undo and conflicts: one contract, run unchanged on the embedded store and the real Neo4j."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.batch import Batch, NodeRecord, Origin, RelRecord
from graph.change_logs import change_log
from graph.changes import (
    ChangeConflict,
    ChangeDraft,
    RecordChange,
    RecordRef,
    RecordState,
    plan_batch,
    plan_undo,
)
from graph.errors import NotFoundError
from graph.store import Store
from tests.conftest import tiny_batch

AT = Origin("upload.csv", 2)


@pytest.fixture
def store(store: Store) -> Iterator[Store]:
    """Each store in turn (tests/conftest.py), with an empty history: Neo4j's outlives a clear of the data."""
    change_log(store).forget_all()
    yield store
    change_log(store).forget_all()  # the shared test database keeps no history for the next test file


def _upload(source: str = "canonical") -> Batch:
    """A new firm seated in Aomori, supported by org:b, and a corrected name for org:a."""
    return Batch(
        source,
        [
            NodeRecord("org:d", ("Organization", "Company"), {"name": "株式会社ディー", "industry": "食品"}, AT),
            NodeRecord("org:a", ("Organization", "Company"), {"name": "株式会社エー", "employees": 40}, AT),
        ],
        [
            RelRecord("LOCATED_IN", "org:d", "region:aomori", {}, AT),
            RelRecord(
                "SUPPORTS", "org:b", "org:d", {"programme": "prog:ipas", "phase": "launch", "fiscal_year": 2025}, AT
            ),
        ],
    )


def _snapshot(store: Store) -> tuple[dict, list]:
    graph = store.read_graph()
    clean = {n: {k: v for k, v in d.items() if k != "loaded_at"} for n, d in graph.nodes(data=True)}
    edges = sorted(
        (u, v, k, tuple(sorted((a, str(b)) for a, b in d.items() if a != "loaded_at")))
        for u, v, k, d in graph.edges(keys=True, data=True)
    )
    return clean, edges


def test_preview_names_added_changed_and_unchanged_field_by_field(store: Store) -> None:
    store.write_batch(tiny_batch())
    log = change_log(store)
    batch = _upload("test")
    batch.nodes.append(NodeRecord("org:b", ("Organization", "SupportOrganization"), {"name": "支援機関B"}, AT))
    draft = plan_batch(log, batch, author="alice", summary="upload.csv")
    actions = {str(c.ref): c.action for c in draft.changes}
    assert actions == {
        "org:d": "added",
        "org:a": "changed",
        "org:b": "unchanged",
        "org:d -LOCATED_IN-> region:aomori": "added",
        "org:b -SUPPORTS-> org:d": "added",
    }
    (changed,) = [c for c in draft.changes if c.action == "changed"]
    assert [(f.name, f.before, f.after) for f in changed.fields()] == [("employees", None, 40)]
    assert draft.counts() == {"added": 3, "changed": 1, "removed": 0, "unchanged": 1}


def test_commit_writes_one_change_set_and_undo_restores_the_store(store: Store) -> None:
    store.write_batch(tiny_batch())
    before = _snapshot(store)
    version = store.data_version()
    log = change_log(store)
    written = log.apply(plan_batch(log, _upload(), author="alice", summary="upload.csv"))
    assert written.id == "1" and written.author == "alice" and written.counts()["added"] == 3
    graph = store.read_graph()
    assert graph.nodes["org:d"]["name"] == "株式会社ディー" and graph.nodes["org:a"]["employees"] == 40
    assert store.data_version() != version
    (listed,) = log.history()
    assert (listed.id, listed.kind, listed.summary, listed.undone_by) == ("1", "upload", "upload.csv", "")
    undo = log.apply(plan_undo(log, "1", author="bob"))
    assert undo.undoes == "1" and log.get("1").undone_by == undo.id
    assert _snapshot(store) == before
    with pytest.raises(ChangeConflict, match="already undone"):
        plan_undo(log, "1", author="bob")


def test_an_edit_of_a_record_changed_since_it_was_opened_is_refused_and_writes_nothing(store: Store) -> None:
    store.write_batch(tiny_batch())
    log = change_log(store)
    ref = RecordRef("node", "org:a")
    opened = log.read([ref])[ref]
    first = RecordState(opened.labels, {**opened.props, "employees": 10})
    second = RecordState(opened.labels, {**opened.props, "employees": 99})
    log.apply(ChangeDraft("edit", "alice", "employees", (RecordChange(ref, opened, first),)))
    version = store.data_version()
    with pytest.raises(ChangeConflict, match="changed since you opened it") as refused:
        log.apply(ChangeDraft("edit", "bob", "employees", (RecordChange(ref, opened, second),)))
    assert refused.value.code == "changed_since"
    assert store.read_graph().nodes["org:a"]["employees"] == 10 and store.data_version() == version
    assert [c.author for c in log.history()] == ["alice"]


def test_undo_is_refused_while_a_later_change_set_depends_on_it(store: Store) -> None:
    store.write_batch(tiny_batch())
    log = change_log(store)
    log.apply(plan_batch(log, _upload(), author="alice", summary="first"))
    later = Batch(
        "canonical", [NodeRecord("org:d", ("Organization", "Company"), {"name": "株式会社ディー", "employees": 5}, AT)]
    )
    log.apply(plan_batch(log, later, author="bob", summary="second"))
    with pytest.raises(ChangeConflict, match="change set 2") as refused:
        plan_undo(log, "1", author="carol")
    assert refused.value.code == "later_change" and refused.value.later == "2"
    log.apply(plan_undo(log, "2", author="carol"))
    log.apply(plan_undo(log, "1", author="carol"))
    assert "org:d" not in store.read_graph()


def test_undo_after_a_write_outside_the_workbench_is_refused(store: Store) -> None:
    store.write_batch(tiny_batch())
    log = change_log(store)
    log.apply(plan_batch(log, _upload(), author="alice", summary="first"))
    store.write_batch(
        Batch("cli", [NodeRecord("org:d", ("Organization", "Company"), {"name": "株式会社ディー", "employees": 7}, AT)])
    )
    with pytest.raises(ChangeConflict) as refused:
        log.apply(plan_undo(log, "1", author="carol"))
    assert refused.value.code == "later_change"
    assert store.read_graph().nodes["org:d"]["employees"] == 7


def test_removing_a_node_that_other_ties_still_point_at_is_refused(store: Store) -> None:
    store.write_batch(tiny_batch())
    log = change_log(store)
    log.apply(plan_batch(log, _upload(), author="alice", summary="first"))
    store.write_batch(Batch("cli", [], [RelRecord("REFERS_TO", "org:d", "org:b", {}, AT)]))
    with pytest.raises(ChangeConflict) as refused:
        log.apply(plan_undo(log, "1", author="carol"))
    assert refused.value.code == "has_ties"
    assert "org:d" in store.read_graph()


def test_an_unknown_change_set_is_not_found(store: Store) -> None:
    log = change_log(store)
    for name in ("7", "abc"):
        with pytest.raises(NotFoundError, match="no change set"):
            log.get(name)


def test_a_reload_after_a_workbench_commit_changes_nothing(store: Store) -> None:
    """The hashes a change set writes are the loads' own: the same file loaded by the CLI is unchanged."""
    store.write_batch(tiny_batch())
    log = change_log(store)
    log.apply(plan_batch(log, _upload(), author="alice", summary="first"))
    new_node = Batch("canonical", [_upload().nodes[0]], [_upload().relationships[0]])
    summary = store.write_batch(new_node)
    assert summary.nodes_unchanged == 1 and summary.relationships_unchanged == 1


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["org:a", "org:b", "org:x"]), st.integers(1, 500)), min_size=1, max_size=4))
def test_undoing_every_upload_newest_first_restores_the_start(
    embedded_store: Store, edits: list[tuple[str, int]]
) -> None:
    embedded_store.write_batch(tiny_batch())
    start = _snapshot(embedded_store)
    log = change_log(embedded_store)
    done = []
    for node_id, employees in edits:
        role = "SupportOrganization" if node_id == "org:b" else "Company"
        batch = Batch(
            "canonical",
            [NodeRecord(node_id, ("Organization", role), {"name": f"名{node_id}", "employees": employees}, AT)],
        )
        done.append(log.apply(plan_batch(log, batch, author="p", summary="s")).id)
    for change_id in reversed(done):
        log.apply(plan_undo(log, change_id, author="p"))
    assert _snapshot(embedded_store) == start
    for change_id in done:  # leave the next example an empty history
        assert log.get(change_id).undone_by
    embedded_store.clear()
    log.forget_all()


def test_cli_history_and_undo(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from graph.embedded import EmbeddedStore
    from graph.settings import Settings
    from ipeco.cli import cli

    monkeypatch.setenv("IPECO_HOME", str(tmp_path))
    with EmbeddedStore(Settings.from_env("embedded").embedded_path) as store:
        store.write_batch(tiny_batch())
        log = change_log(store)
        log.apply(plan_batch(log, _upload(), author="alice", summary="upload.csv"))
    runner = CliRunner()
    listed = runner.invoke(cli, ["history"])
    assert (
        listed.exit_code == 0
        and "alice" in listed.output
        and "upload.csv" in listed.output
        and "+3 ~1 -0" in listed.output
    )
    assert runner.invoke(cli, ["undo", "1", "--author", "bob"]).exit_code == 0
    again = runner.invoke(cli, ["undo", "1"])
    assert again.exit_code == 1 and "already undone by change set 2" in again.output and "Traceback" not in again.output
    missing = runner.invoke(cli, ["undo", "99"])
    assert missing.exit_code == 1 and "no change set '99'" in missing.output
    as_json = runner.invoke(cli, ["history", "--json"])
    assert '"undone_by": "2"' in as_json.output


def test_undo_names_the_later_change_set_that_tied_to_a_node_it_added(store: Store) -> None:
    store.write_batch(tiny_batch())
    log = change_log(store)
    log.apply(plan_batch(log, _upload(), author="alice", summary="first"))
    tie = Batch("workbench", [], [RelRecord("REFERS_TO", "org:d", "org:b", {}, AT)])
    log.apply(plan_batch(log, tie, author="bob", summary="tie", kind="edit"))
    with pytest.raises(ChangeConflict, match="change set 2") as refused:
        plan_undo(log, "1", author="carol")
    assert refused.value.refs == (RecordRef("node", "org:d"),)
