"""The importer's stages read from its verbose log (``graph.bulk_import``): where a bulk load's import goes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.bulk_import import import_report

T0 = datetime(2026, 12, 7, 11, 54, 30, tzinfo=UTC)


def _stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S.") + f"{at.microsecond // 1000:03d}+0000"


def _log(stages: list[tuple[str, float, float]]) -> str:
    """A verbose log: each stage (name, start offset s, done-in ms) with a progress bar before ``Done in``."""
    lines = [
        "Picked up JAVA_TOOL_OPTIONS: -XX:TieredStopAtLevel=1",
        "neo4j 5.26.30",
        "JIT compiler: HotSpot 64-Bit Tiered Compilers",
        "VM Arguments: [-XX:+UseG1GC, -Xmx2g]",
    ]
    for name, offset, done_ms in stages:
        lines.append(f"{name}, started {_stamp(T0 + timedelta(seconds=offset))}")
        seconds, ms = divmod(int(done_ms), 1000)
        lines.append("[*Nodes:0B/s 1.004GiB-----]20.0K ∆20.0K\r[*Nodes----] 200K ∆20.0K")
        lines.append(f"Done in {seconds}s {ms}ms" if seconds else f"Done in {ms}ms")
    lines.append("IMPORT DONE in 9s 1ms. ")
    return "\n".join(lines) + "\n"


def test_stages_their_gaps_and_the_fixed_costs_before_and_after() -> None:
    log = _log([("Nodes", 0.0, 3_500), ("Prepare node index", 3.5, 1_000), ("Node --> Group", 4.6, 100)])
    launched, ended = T0.timestamp() - 6.0, T0.timestamp() + 9.0
    report = import_report(log, launched, ended)
    seconds = {k: round(v, 3) for k, v in report.seconds.items()}
    # the 0.1 s between the index and the next stage is folded in; the 4.3 s after the last is "finish"
    assert seconds == {"start": 6.0, "Nodes": 3.5, "Prepare node index": 1.1, "Node --> Group": 0.1, "finish": 4.3}
    assert "TieredStopAtLevel=1" in report.jvm and "JIT compiler: HotSpot" in report.jvm
    assert abs(sum(report.seconds.values()) - (ended - launched)) < 1e-6


def test_a_long_gap_between_stages_is_named_after_the_stage_before_it() -> None:
    log = _log([("Node --> Group", 0.0, 3), ("Node counts and label index build", 6.0, 600)])
    report = import_report(log, T0.timestamp(), T0.timestamp() + 6.6)
    assert round(report.seconds["after Node --> Group"], 3) == 5.997
    assert round(report.seconds["Node counts and label index build"], 3) == 0.6


def test_a_warning_without_its_line_break_is_not_taken_for_the_stage_name() -> None:
    log = _log(
        [("Nodes", 0.0, 500), ("RelationshipGroup 1/1", 0.5, 100), ("Relationship <-- Relationship 1-2/2", 0.6, 1)]
    )
    warned = log.replace(
        "Nodes, started", "WARNING: heap size 384.0MiB may be too small. Suggested heap size is 1.000GiBNodes, started"
    )
    warned = warned.replace("Relationship <-- R", "too small. Suggested heap size is 1.000GiBRelationship <-- R")
    report = import_report(warned, T0.timestamp(), T0.timestamp() + 1.0)
    assert list(report.seconds) == [
        "start",
        "Nodes",
        "RelationshipGroup 1/1",
        "Relationship <-- Relationship 1-2/2",
        "finish",
    ]


def test_a_log_without_stages_is_all_start() -> None:
    report = import_report("Error: no such file\n", 100.0, 102.5)
    assert report.seconds == {"start": 2.5} and report.jvm == ""


@settings(deadline=None)  # no timed assertion: a busy machine is not a failure
@given(st.lists(st.tuples(st.integers(0, 5_000), st.integers(0, 3_000)), min_size=1, max_size=8))
def test_the_parts_add_up_to_the_run(parts: list[tuple[int, int]]) -> None:
    """Whatever the stages' lengths and gaps (ms), the report accounts for the whole run, none negative."""
    stages, offset = [], 0.0
    for i, (done_ms, gap_ms) in enumerate(parts):
        stages.append((f"Stage {i}", offset, done_ms))
        offset += (done_ms + gap_ms) / 1000
    report = import_report(_log(stages), T0.timestamp() - 1.0, T0.timestamp() + offset)
    assert all(v >= 0 for v in report.seconds.values())
    assert abs(sum(report.seconds.values()) - (offset + 1.0)) < 1e-3
