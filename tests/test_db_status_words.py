"""``ipeco db status`` in words: each state says what it means and what to do.

A failed start is read from the server's own ``debug.log``: the first ERROR of the latest run that
names a failed start or recovery, and its deepest ``Caused by:``. The log below is Neo4j 5's own
format (a recovery that met a full disk); the process is the real one of a dead PID.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from graph.server import LocalNeo4j
from graph.settings import Settings
from ipeco.cli import cli

FAILED_RUN = """\
2026-12-07 00:00:00.000+0000 INFO  [o.n.g.f.m.GlobalModule] Logging config in use: File '/x/conf/server-logs.xml'
2026-12-07 00:00:01.000+0000 INFO  [o.n.k.i.t.l.f.LogFiles] Recovery required from position LogPosition{0, 64}
2026-12-07 00:00:02.000+0000 INFO  [o.n.k.r.Recovery] [neo4j/5f3a] 10% completed
2026-12-07 00:00:03.000+0000 ERROR [o.n.d.d.DatabaseLifecycles] Failed to start database 'neo4j'
java.lang.RuntimeException: Error starting database
\tat org.neo4j.kernel.database.Database.start(Database.java:1)
Caused by: org.neo4j.kernel.recovery.RecoveryException: Recovery of the transaction log failed
Caused by: java.io.IOException: No space left on device
"""

CLIENT_ERROR_RUN = """\
2026-12-07 00:00:00.000+0000 INFO  [o.n.g.f.m.GlobalModule] Logging config in use: File '/x/conf/server-logs.xml'
2026-12-07 00:00:05.000+0000 ERROR [o.n.b.t.p.ProtocolHandshaker] Client dropped the connection
"""


def home_with(tmp_path: Path, log: str | None, dead_pid: bool) -> Settings:
    neo = tmp_path / "neo4j"
    (neo / "run").mkdir(parents=True)
    (neo / "logs").mkdir()
    if log is not None:
        (neo / "logs" / "debug.log").write_text(log)
    if dead_pid:
        gone = subprocess.Popen([sys.executable, "-c", "pass"])
        gone.wait()
        (neo / "run" / "ipeco-neo4j.lock").write_text(f"{gone.pid}\n")
    return dataclasses.replace(Settings.from_env("neo4j"), home=tmp_path)


def status_json(settings: Settings) -> dict[str, object]:
    ran = CliRunner(env={"IPECO_HOME": str(settings.home)}).invoke(cli, ["db", "status", "--json"])
    assert ran.exit_code == 0, ran.output  # --json prints the state; the plain form exits 3 when not running
    return dict(json.loads(ran.stdout))


def test_stopped_says_how_to_start(tmp_path: Path) -> None:
    status = status_json(home_with(tmp_path, None, dead_pid=False))
    assert status["state"] == "stopped"
    assert status["explanation"] == "no server runs; `ipeco db start` starts one."
    assert "ipeco db start" in str(status["explanation_ja"])


def test_stale_says_the_server_died_and_that_start_recovers(tmp_path: Path) -> None:
    status = status_json(home_with(tmp_path, CLIENT_ERROR_RUN, dead_pid=True))
    assert status["state"] == "stale"  # a client's dropped connection is no failed start
    assert "died without stopping cleanly" in str(status["explanation"])
    assert "`ipeco db start` recovers it" in str(status["explanation"])


def test_failed_names_the_log_s_reason_and_the_way_out(tmp_path: Path) -> None:
    settings = home_with(tmp_path, FAILED_RUN, dead_pid=True)
    status = status_json(settings)
    assert status["state"] == "failed"
    assert status["reason"] == "Failed to start database 'neo4j' — java.io.IOException: No space left on device"
    explanation = str(status["explanation"])
    assert "its log says: Failed to start database 'neo4j'" in explanation
    assert f"Free space on the disk of {tmp_path / 'neo4j' / 'data'}" in explanation
    assert "ディスクを空けて" in str(status["explanation_ja"])
    text = CliRunner(env={"IPECO_HOME": str(tmp_path)}).invoke(cli, ["db", "status"]).stdout
    assert "No space left on device" in text


def test_a_later_clean_run_forgets_an_earlier_failure(tmp_path: Path) -> None:
    later = FAILED_RUN + CLIENT_ERROR_RUN.splitlines(keepends=True)[0]
    settings = home_with(tmp_path, later, dead_pid=True)
    assert LocalNeo4j(settings).status().state == "stale"


def test_a_new_process_is_not_blamed_for_the_last_run_s_failure(tmp_path: Path) -> None:
    """A server just launched has not logged yet: the previous run's error is older than the process."""
    server = LocalNeo4j(home_with(tmp_path, FAILED_RUN, dead_pid=False))
    logged = datetime(2026, 12, 7, 0, 0, 3, tzinfo=UTC).timestamp()
    assert server.failure_reason(since=logged - 60).startswith("Failed to start database 'neo4j'")
    assert server.failure_reason(since=logged + 60) == ""


RECOVERING_RUN = FAILED_RUN.split("ERROR", 1)[0].rsplit("\n", 1)[0] + "\n"


def test_recovering_names_the_log_s_last_recovery_line(tmp_path: Path) -> None:
    """Mid-recovery the log's last recovery line is the progress; once it completes there is none.

    The live ``recovering`` state can be too short to catch on a fast machine (the crash test reads
    the recovery from the log instead), so its words are checked here, from Neo4j 5's own lines.
    """
    server = LocalNeo4j(home_with(tmp_path, RECOVERING_RUN, dead_pid=False))
    progress = server.recovery_progress()
    assert progress == "10% completed"
    status = dataclasses.replace(server.status(), state="recovering", pid=4242, progress=progress)
    assert status.explain("en") == (
        "the server is recovering its data after an unclean stop (from its log: 10% completed); "
        "wait for it to finish (`ipeco db logs` shows the progress)."
    )
    assert "復旧しています" in status.explain("ja")
    done = RECOVERING_RUN + (
        "2026-12-07 00:00:04.000+0000 INFO  [o.n.k.r.Recovery] [neo4j/5f3a] Recovery in 'full' mode completed.\n"
    )
    (tmp_path / "neo4j" / "logs" / "debug.log").write_text(done)
    assert server.recovery_progress() == ""
