"""The `ogkg` command as a user runs it: ingest, serve, and the local Neo4j's start/stop/status."""

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from ogkg.local_neo4j import LAUNCHER_CLASS
from ogkg.settings import PROJECT_ROOT
from tests.conftest import GraphForTests
from tests.neo4j_server import Neo4jForTests, free_port
from tests.test_action_plan_text import EXPECTED, NAP4
from tests.test_ingest import without_title

OGKG = [sys.executable, "-m", "ogkg.cli"]


def environment(**overrides: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "OGKG_"))}
    for key, value in overrides.items():
        if value is not None:
            env[key] = value
    return env


def server_environment(server: Neo4jForTests) -> dict[str, str]:
    return environment(NEO4J_URI=server.uri, NEO4J_USER=server.user, NEO4J_PASSWORD=server.password)


def ogkg(
    *arguments: str, env: dict[str, str], timeout: float = 240
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*OGKG, *arguments], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip


def test_ingest_reports_counts_and_a_second_run_changes_nothing(
    graph: GraphForTests, neo4j_server: Neo4jForTests
) -> None:
    env = server_environment(neo4j_server)
    first = ogkg("ingest", str(NAP4), env=env)
    assert first.returncode == 0, first.stderr
    assert "Commitment" in first.stdout
    assert graph.value("MATCH (c:Commitment) RETURN count(c)") == len(EXPECTED)
    second = ogkg("ingest", str(NAP4), env=env)
    assert second.returncode == 0, second.stderr
    assert "0 created, 0 updated" in second.stdout


def test_dry_run_writes_nothing(graph: GraphForTests, neo4j_server: Neo4jForTests) -> None:
    result = ogkg("ingest", "--dry-run", str(NAP4), env=server_environment(neo4j_server))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("would change")
    assert graph.value("MATCH (n) RETURN count(n)") == 0


def test_bad_file_is_one_line_naming_file_and_line(
    graph: GraphForTests, neo4j_server: Neo4jForTests, tmp_path: Path
) -> None:
    path, line, field = without_title(tmp_path)
    result = ogkg("ingest", str(path), env=server_environment(neo4j_server))
    assert result.returncode == 1
    assert result.stderr == f"ogkg: error: {path}:{line}: {field}: the commitment has no title\n"
    assert graph.value("MATCH (n) RETURN count(n)") == 0


def test_missing_java_is_one_clear_line(tmp_path: Path) -> None:
    python_only = tmp_path / "bin"
    python_only.mkdir()
    (python_only / "python").symlink_to(sys.executable)
    env = environment(
        PATH=str(python_only), OGKG_HOME=str(tmp_path / "home"), OGKG_NEO4J_PORT=str(free_port())
    )
    result = ogkg("neo4j", "start", env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("ogkg: error: `java` not found")
    assert "install" in result.stderr and result.stderr.count("\n") == 1


def test_unreachable_neo4j_is_one_clear_line(tmp_path: Path) -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    result = ogkg("ingest", str(NAP4), env=environment(NEO4J_URI=uri), timeout=60)
    assert result.returncode == 1
    assert result.stderr == f"ogkg: error: cannot reach Neo4j at {uri}\n"


@pytest.fixture
def local_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for a local Neo4j of its own: a free port and its own runtime folder."""
    env = environment(
        OGKG_NEO4J_PORT=str(free_port()),
        OGKG_NEO4J_RUNTIME_DIR=str(tmp_path / "neo4j"),
        OGKG_NEO4J_PAGE_CACHE_MB="128",
        OGKG_PORT=str(free_port()),
    )
    yield env
    ogkg("neo4j", "stop", env=env)


def test_local_neo4j_start_twice_status_stop_and_stale_pid(
    local_env: dict[str, str], tmp_path: Path
) -> None:
    pid_file = tmp_path / "neo4j" / "neo4j.pid"
    pid_file.parent.mkdir()
    pid_file.write_text(f"{os.getpid()}\n")  # A live process that is not our launcher.
    stale = ogkg("neo4j", "status", env=local_env)
    assert (stale.returncode, stale.stdout.split(" at ")[0]) == (3, "Neo4j stopped")
    assert not pid_file.exists()

    started = ogkg("neo4j", "start", env=local_env)
    assert started.returncode == 0, started.stderr
    assert started.stdout.startswith("Neo4j started at bolt://127.0.0.1:")
    pid = int(pid_file.read_text())
    assert LAUNCHER_CLASS in Path(f"/proc/{pid}/cmdline").read_text()
    again = ogkg("neo4j", "start", env=local_env)
    assert again.returncode == 0 and again.stdout.startswith(f"Neo4j already running (pid {pid})")
    status = ogkg("neo4j", "status", env=local_env)
    assert status.returncode == 0 and status.stdout.startswith(f"Neo4j running (pid {pid})")

    began = time.monotonic()
    stopped = ogkg("neo4j", "stop", env=local_env)
    assert stopped.returncode == 0 and stopped.stdout == "Neo4j stopped\n"
    # Bolt's 2 x 5 s shutdown quiet period is off: with it, a stop takes over 10 s.
    assert time.monotonic() - began < 9
    assert not Path(f"/proc/{pid}").exists()
    assert ogkg("neo4j", "status", env=local_env).returncode == 3


def test_serve_prepares_the_graph_and_sigterm_stops_api_and_its_neo4j(
    local_env: dict[str, str], tmp_path: Path
) -> None:
    url = f"http://127.0.0.1:{local_env['OGKG_PORT']}"
    process = subprocess.Popen(
        [*OGKG, "serve"], env=local_env, cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        answer = None
        deadline = time.monotonic() + 240
        while answer is None and time.monotonic() < deadline and process.poll() is None:
            try:
                answer = httpx.post(
                    f"{url}/graphql",
                    json={"query": "{ commitments { id number title leads { name } } }"},
                )
            except httpx.TransportError:
                time.sleep(0.5)
        assert answer is not None and answer.status_code == 200, process.poll()
        commitments = answer.json()["data"]["commitments"]
        nap4 = [c for c in commitments if c["id"].startswith("uk-nap4-c")]
        assert [c["number"] for c in nap4] == sorted(EXPECTED)
        assert all(c["leads"] for c in nap4)
        with (PROJECT_ROOT / "seeds" / "uk-nations-commitments.csv").open(
            encoding="utf-8"
        ) as handle:
            nations = len(list(csv.DictReader(handle)))  # the 4th plan's 8 among them
        assert len(commitments) == 1927 + nations  # the OGP/IRM data and the nations' plans
        # The seeding this process did is in its metrics, by source kind.
        created = {
            (sample.labels["source_kind"], sample.labels["record"]): sample.value
            for family in text_string_to_metric_families(httpx.get(f"{url}/metrics").text)
            for sample in family.samples
            if sample.name == "ogkg_ingest_created_total"
        }
        assert created[("OGP/IRM commitments", "node")] >= 1927, created
        assert created[("OGP/IRM commitments", "relationship")] > 0, created
        neo4j_pid = int((tmp_path / "neo4j" / "neo4j.pid").read_text())

        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=90)
        assert process.returncode == 0, output
        assert "stopping the local Neo4j" in output
        assert "Traceback" not in output
        # Its log lines are JSON; the request's line carries the id its response echoed.
        logged = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
        requests = [line for line in logged if line["logger"] == "ogkg.access"]
        assert any(
            line["request_id"] == answer.headers["x-request-id"] and line["path"] == "/graphql"
            for line in requests
        ), requests
        assert not Path(f"/proc/{neo4j_pid}").exists()
        assert not (tmp_path / "neo4j" / "neo4j.pid").exists()
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_serve_refuses_a_bad_allow_list_before_starting_anything(tmp_path: Path) -> None:
    missing = tmp_path / "persisted.json"
    result = ogkg("serve", env=environment(OGKG_PERSISTED_QUERIES=str(missing)), timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith(f"ogkg: error: {missing}: cannot read the persisted queries")
    assert "Neo4j" not in result.stdout


def test_the_asgi_factory_serves_the_graph_from_the_environment(
    graph: GraphForTests, neo4j_server: Neo4jForTests
) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "api.app:app_from_environment",
         "--port", str(port), "--workers", "2", "--log-level", "warning"],
        env=server_environment(neo4j_server), cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        graph.query(
            "CREATE (:Jurisdiction {id: 'factory-test', name: 'Factory', level: 'country'})"
        )
        answer = None
        deadline = time.monotonic() + 60
        while answer is None and time.monotonic() < deadline and process.poll() is None:
            try:
                answer = httpx.post(
                    f"http://127.0.0.1:{port}/graphql", json={"query": "{ jurisdictions { id } }"}
                )
            except httpx.TransportError:
                time.sleep(0.3)
        assert answer is not None and answer.status_code == 200, process.poll()
        assert answer.json()["data"] == {"jurisdictions": [{"id": "factory-test"}]}
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
        assert "Traceback" not in output
