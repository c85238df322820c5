"""``ipeco serve`` as a shared server: gunicorn workers, the login rules, the debugger, the health probe."""

from __future__ import annotations

import base64
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.neo4j_store import Neo4jStore
from tests.browser_support import free_port
from tests.cli_support import CliResult
from tests.cli_support import ipeco as ipeco_in_process
from tests.conftest import seed_home
from webapp.app import create_app, shell_banners
from webapp.auth import AuthConfigError, parse_auth
from webapp.data import DataSource
from webapp.health import HealthProbe
from webapp.serve import register_page_assets

PORT = int(os.environ.get("IPECO_TEST_WEB_PORT") or free_port())
SILENT_PORT = free_port()


@pytest.fixture(scope="module")
def seeded_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_home(tmp_path_factory, "web-home")


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def ipeco(home: Path, *args: str, auth: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "IPECO_AUTH"}
    env["IPECO_HOME"] = str(home)
    if auth is not None:
        env["IPECO_AUTH"] = auth
    cmd = [sys.executable, "-m", "ipeco.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, check=False)


# --- IPECO_AUTH ---------------------------------------------------------------------------------
def test_unset_auth_means_no_login() -> None:
    assert parse_auth(None) is None


@pytest.mark.parametrize("raw", ["", "   ", "alice:", ":", ":pw", "alice", "alice:pw,", "alice:pw,bob"])
def test_empty_or_malformed_auth_is_refused(raw: str) -> None:
    with pytest.raises(AuthConfigError):
        parse_auth(raw)


def test_several_users_are_kept_hashed() -> None:
    users = parse_auth("alice:pw1,bob:p:w2")
    assert users is not None and [u.user for u in users] == ["alice", "bob"]
    alice, bob = users
    assert b"pw1" not in alice.digest and len(alice.salt) == 16 and alice.salt != bob.salt
    assert alice.matches("pw1") and not alice.matches("pw2")
    assert bob.matches("p:w2")


def test_a_user_named_twice_is_refused() -> None:
    with pytest.raises(AuthConfigError, match="names the user 'alice' twice"):
        parse_auth("alice:a,alice:b")


def test_several_users_can_log_in(seeded_home: Path) -> None:
    app = create_app(lambda: EmbeddedStore(seeded_home / "ipeco.sqlite"), auth="alice:pw1,bob:pw2")
    client = app.server.test_client()
    assert client.get("/").status_code == 401
    assert client.get("/", headers=basic("alice", "pw1")).status_code == 200
    assert client.get("/", headers=basic("bob", "pw2")).status_code == 200
    assert client.get("/", headers=basic("bob", "pw1")).status_code == 401
    assert client.get("/", headers=basic("carol", "pw1")).status_code == 401
    assert client.get("/", headers={"Authorization": "Basic !!!"}).status_code == 401


def test_empty_auth_in_the_environment_stops_the_app(seeded_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPECO_AUTH", "")
    with pytest.raises(AuthConfigError, match="IPECO_AUTH is set but empty"):
        create_app(lambda: EmbeddedStore(seeded_home / "ipeco.sqlite"))


REFUSALS = [
    ("", [], "error: IPECO_AUTH is set but empty; unset it to serve without a login, or set it to user:password"),
    ("user:", [], "error: IPECO_AUTH entry 1 is not user:password"),
    (":", [], "error: IPECO_AUTH entry 1 is not user:password"),
    (None, ["--debug", "--host", "0.0.0.0"], "error: --debug serves Werkzeug's debugger, which runs any code"),
    ("alice:pw", ["--debug"], "error: --debug serves Werkzeug's debugger, which runs any code past the login"),
]


def assert_refused(returncode: int, stderr: str, message: str) -> None:
    assert returncode == 1
    assert stderr.startswith(message) and stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr


def test_serve_refuses_to_start_from_the_installed_command(seeded_home: Path) -> None:
    """One refusal end to end: the real entry point in a process of its own, its exit status and stderr."""
    auth, args, message = REFUSALS[0]
    result = ipeco(seeded_home, "serve", "--port", str(PORT), *args, auth=auth)
    assert_refused(result.returncode, result.stderr, message)


@pytest.mark.parametrize(("auth", "args", "message"), REFUSALS)
def test_serve_refuses_to_start(seeded_home: Path, auth: str | None, args: list[str], message: str) -> None:
    """Every refusal, run in-process (click's runner: no interpreter and imports per case). A serve
    that wrongly started would block its thread: the test then fails after its timeout, never hangs."""
    env = {k: v for k, v in os.environ.items() if k != "IPECO_AUTH"}
    env["IPECO_HOME"] = str(seeded_home)
    if auth is not None:
        env["IPECO_AUTH"] = auth
    argv = ("serve", "--port", str(free_port()), *args)
    results: list[CliResult] = []
    thread = threading.Thread(target=lambda: results.append(ipeco_in_process(*argv, env=env)), daemon=True)
    thread.start()
    thread.join(timeout=120)
    assert results, "ipeco serve did not refuse: it started serving"
    assert_refused(results[0].returncode, results[0].stderr, message)


# --- gunicorn -------------------------------------------------------------------------------------
def wait_for_port(port: int, proc: subprocess.Popen[str], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the server exited: {proc.communicate()[1]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("the server never listened")


@pytest.fixture
def gunicorn_server(seeded_home: Path) -> Iterator[subprocess.Popen[str]]:
    env = {k: v for k, v in os.environ.items() if k != "IPECO_AUTH"}
    env.update(IPECO_HOME=str(seeded_home), IPECO_AUTH="alice:pw1,bob:pw2")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ipeco.cli", "serve", "--port", str(PORT), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_port(PORT, proc)
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def get(path: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def body(path: str, headers: dict[str, str]) -> str:
    """The page's text, whatever its status (an unknown path answers the app's own 404 page)."""
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.read().decode(errors="replace")


def test_the_page_bundles_are_registered_before_the_workers_fork(seeded_home: Path) -> None:
    """A worker that never rendered the page must still serve its bundles: they are registered first."""

    app = create_app(lambda: EmbeddedStore(seeded_home / "ipeco.sqlite"), auth="")
    assert not app.registered_paths
    register_page_assets(app)
    assert {"dash", "dash_cytoscape"} <= set(app.registered_paths)
    page = app.server.test_client().get("/").get_data(as_text=True)
    bundle = next(s for s in re.findall(r'<script src="([^"]+)"', page) if "/_dash-component-suites/dash/" in s)
    assert app.server.test_client().get(bundle).status_code == 200


def test_serve_runs_gunicorn_workers_behind_the_login(gunicorn_server: subprocess.Popen[str]) -> None:
    assert get("/") == 401
    assert get("/", basic("bob", "pw2")) == 200
    assert get("/_dash-layout", basic("alice", "pw1")) == 200
    children = subprocess.run(
        ["pgrep", "-P", str(gunicorn_server.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    # two workers and the one shared PDF printer (reports.print_service), which holds no browser yet
    printers = [c for c in children if b"reports.print_service" in Path(f"/proc/{c}/cmdline").read_bytes()]
    assert len(printers) == 1
    assert len(children) - len(printers) == 2
    assert subprocess.run(["pgrep", "-P", printers[0]], capture_output=True, check=False).stdout == b""
    # Every worker serves the page's JavaScript bundles, not only the one that rendered the page
    # (Dash registers them while rendering; unregistered, the browser stays on "Loading...").
    scripts = re.findall(r'<script src="([^"]+)"', body("/", basic("bob", "pw2")))
    assert len(scripts) > 3
    for src in scripts:
        for _ in range(12):  # requests spread over both workers
            assert get(src, basic("alice", "pw1")) == 200, src
    # No debugger anywhere: Werkzeug's console and its script are not served.
    for path in ("/console", "/?__debugger__=yes&cmd=resource&f=debugger.js"):
        assert "Werkzeug" not in body(path, basic("bob", "pw2"))
    assert get("/console", basic("bob", "pw2")) == 404  # not a page of the app


# --- the health probe ------------------------------------------------------------------------------
def test_one_probe_serves_every_user(seeded_home: Path) -> None:
    app = create_app(lambda: EmbeddedStore(seeded_home / "ipeco.sqlite"), auth="")
    ds: DataSource = app.server.config["IPECO_DATA"]
    probe: HealthProbe = app.server.config["IPECO_HEALTH"]
    results: list[bool] = []
    threads = [threading.Thread(target=lambda: results.append(shell_banners(ds, "en", probe)[1])) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * 30  # banner hidden: the store answered
    assert probe.probes == 1


def test_a_store_that_does_not_answer_is_reported_within_the_timeout() -> None:
    """A port that accepts connections and never speaks Bolt (a server hung mid-restart)."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", SILENT_PORT))
        silent.listen(16)
        ds = DataSource(lambda: Neo4jStore(f"bolt://127.0.0.1:{SILENT_PORT}", "neo4j", "x"))
        probe = HealthProbe(ds.check, timeout=1.0)
        began = time.monotonic()
        error = probe.check()
        assert time.monotonic() - began < 3
        assert error == "the store did not answer within 1 s"
        began = time.monotonic()
        assert probe.check() == error  # the probe still runs: nobody starts a second one
        assert time.monotonic() - began < 3
