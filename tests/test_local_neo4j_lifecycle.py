"""The local Neo4j across stops and starts: overlapping restarts, a taken port, a locked store, kill -9."""

import fcntl
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from neo4j import GraphDatabase

from ogkg.settings import PROJECT_ROOT
from tests.neo4j_server import free_port
from tests.test_cli import OGKG, environment, ogkg

HOLD_A_PORT = """
import socket, sys, time
held = socket.socket()
held.bind(("127.0.0.1", 0))
if sys.argv[1] == "listen":
    held.listen()
print(held.getsockname()[1], flush=True)
time.sleep(300)
"""

HOLD_A_LOCK = """
import fcntl, sys, time
with open(sys.argv[1], "a") as locked:
    fcntl.lockf(locked, fcntl.LOCK_EX)
    print("locked", flush=True)
    time.sleep(300)
"""


@pytest.fixture
def local_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A local Neo4j of its own: a free Bolt port, its own runtime folder, a small page cache."""
    env = environment(
        OGKG_NEO4J_PORT=str(free_port()),
        OGKG_NEO4J_RUNTIME_DIR=str(tmp_path / "neo4j"),
        OGKG_NEO4J_PAGE_CACHE_MB="64",
        OGKG_NEO4J_HEAP="512m",
        OGKG_LOG_LEVEL="warning",
    )
    yield env
    ogkg("neo4j", "stop", env=env)


@pytest.fixture
def helper_processes() -> Iterator[list[subprocess.Popen[str]]]:
    """Processes a test starts to hold something; each is killed at the end."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        process.kill()
        process.communicate()


def hold(helpers: list[subprocess.Popen[str]], script: str, argument: str) -> tuple[int, str]:
    """Run `script` in another process until the test ends; its pid and the line it printed."""
    process = subprocess.Popen(
        [sys.executable, "-c", script, argument], stdout=subprocess.PIPE, text=True
    )
    helpers.append(process)
    assert process.stdout is not None
    return process.pid, process.stdout.readline().strip()


def graph_with_one_node(env: dict[str, str]) -> None:
    """A graph that is not empty, so `serve` applies the schema and loads no seeds."""
    started = ogkg("neo4j", "start", env=env)
    assert started.returncode == 0, started.stderr
    with GraphDatabase.driver(f"bolt://127.0.0.1:{env['OGKG_NEO4J_PORT']}", auth=None) as driver:
        driver.execute_query(
            "MERGE (:Jurisdiction {id: 'lifecycle', name: 'Lifecycle', level: 'country'})"
        )


def serve_until_ready(
    env: dict[str, str], port: int | None = None, previous: str | None = None
) -> tuple[subprocess.Popen[str], str]:
    """`ogkg serve` on `port` (default: one of its own) and the instance id its `/ready` gives.

    With `previous`, an answer carrying that instance id (the old process) does not count.
    """
    port = port or free_port()
    process = subprocess.Popen(
        [*OGKG, "serve", "--port", str(port)], env=env, cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None:
        try:
            answer = httpx.get(f"http://127.0.0.1:{port}/ready", timeout=5)
            if answer.status_code == 200 and answer.json()["instance"] != previous:
                return process, str(answer.json()["instance"])
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.kill()
    output, _ = process.communicate()
    raise AssertionError(f"serve never answered /ready:\n{output}")


def launcher_lines(env: dict[str, str]) -> list[tuple[str, str]]:
    """The launcher's step lines in the log: STARTING, READY, FAILED, STOPPING, STOPPED."""
    log = Path(env["OGKG_NEO4J_RUNTIME_DIR"]) / "neo4j.log"
    return re.findall(r"OGKG_NEO4J_([A-Z]+) pid (\d+)", log.read_text())


def test_serve_restarted_at_once_on_the_same_port_ten_times(local_env: dict[str, str]) -> None:
    """Ctrl-C (or SIGTERM), then start again at once: each start is served by the new process."""
    graph_with_one_node(local_env)
    assert ogkg("neo4j", "stop", env=local_env).returncode == 0
    port = free_port()
    process, instance = serve_until_ready(local_env, port)
    stopped: list[subprocess.Popen[str]] = []
    instances = [instance]
    for round_ in range(10):
        process.send_signal(signal.SIGINT if round_ % 2 else signal.SIGTERM)
        # ...and start the next at once, on the same port: it waits for the old one to finish.
        following, instance = serve_until_ready(local_env, port, previous=instance)
        assert process.wait(timeout=30) == 0  # gone before the new one answered
        assert following.poll() is None
        stopped.append(process)
        instances.append(instance)
        process = following
    process.send_signal(signal.SIGINT)
    stopped.append(process)
    assert len(set(instances)) == 11
    for each in stopped:
        output, _ = each.communicate(timeout=60)
        assert each.returncode == 0, output
        assert f"ogkg is ready (pid {each.pid})" in output, output
        assert "Traceback" not in output and "error" not in output, output
        assert "already running" not in output, output  # never adopted a stopping Neo4j
    # One JVM at a time: each started after the previous stopped, and none failed.
    steps = [step for step, _ in launcher_lines(local_env)]
    assert steps == ["STARTING", "READY", "STOPPING", "STOPPED"] * 12
    assert not (Path(local_env["OGKG_NEO4J_RUNTIME_DIR"]) / "neo4j.pid").exists()


def test_a_second_serve_on_a_serving_port_is_refused_in_one_line(
    local_env: dict[str, str],
) -> None:
    graph_with_one_node(local_env)
    port = free_port()
    process, _ = serve_until_ready(local_env, port)
    try:
        second = ogkg("serve", "--port", str(port), env=local_env, timeout=60)
        assert second.returncode == 1
        assert re.fullmatch(
            rf"ogkg: error: ogkg is already serving here \(pid {process.pid}\) on this port: "
            r"stop it first \(Ctrl-C in its terminal\), or choose another port with OGKG_PORT\n",
            second.stderr,
        ), second.stderr
        assert httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)


@pytest.mark.parametrize("how", ["listen", "bind"])
def test_a_port_held_by_another_process_is_one_line_naming_port_and_pid(
    local_env: dict[str, str], helper_processes: list[subprocess.Popen[str]], how: str
) -> None:
    holder, port = hold(helper_processes, HOLD_A_PORT, how)
    env = {**local_env, "OGKG_NEO4J_PORT": port}
    # Linux lists a socket that is bound but not listening nowhere a process can read.
    by = rf"pid {holder} \(python[\d.]*\)" if how == "listen" else "another program"
    for command in (["neo4j", "start"], ["serve"]):
        result = ogkg(*command, env=env, timeout=60)
        assert result.returncode == 1
        assert re.fullmatch(
            rf"ogkg: error: port {port} on 127\.0\.0\.1 is taken by {by}: "
            r"set OGKG_NEO4J_PORT to a free port, or NEO4J_URI to use that server\n",
            result.stderr,
        ), result.stderr
    assert not (Path(local_env["OGKG_NEO4J_RUNTIME_DIR"]) / "neo4j.log").exists()  # no JVM ran


def test_a_locked_store_is_one_line_naming_the_holder(
    local_env: dict[str, str], helper_processes: list[subprocess.Popen[str]]
) -> None:
    databases = Path(local_env["OGKG_NEO4J_RUNTIME_DIR"]) / "dbms" / "data" / "databases"
    databases.mkdir(parents=True)
    holder, _ = hold(helper_processes, HOLD_A_LOCK, str(databases / "store_lock"))
    result = ogkg("neo4j", "start", env=local_env, timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"ogkg: error: the Neo4j store in {databases.parent.parent} is locked by pid {holder} "
    ), result.stderr
    assert result.stderr.count("\n") == 1


def test_a_failed_start_says_why_in_one_line_and_in_the_log(local_env: dict[str, str]) -> None:
    env = {**local_env, "OGKG_NEO4J_HOST": "192.0.2.1"}  # TEST-NET: no interface here has it
    result = ogkg("neo4j", "start", env=env)
    assert result.returncode == 1
    log = Path(local_env["OGKG_NEO4J_RUNTIME_DIR"]) / "neo4j.log"
    assert result.stderr == (
        "ogkg: error: Neo4j could not start: An error occurred while trying to bind to the socket "
        f"/192.0.2.1:{env['OGKG_NEO4J_PORT']}: bind(..) failed with error(-99): Cannot assign "
        f"requested address; see {log}\n"
    )
    [(_, pid), (failed, same_pid)] = launcher_lines(env)
    assert (failed, same_pid) == ("FAILED", pid)
    assert not (log.parent / "neo4j.pid").exists()


def test_serve_recovers_after_neo4j_was_killed(local_env: dict[str, str]) -> None:
    graph_with_one_node(local_env)
    runtime = Path(local_env["OGKG_NEO4J_RUNTIME_DIR"])
    killed = int((runtime / "neo4j.pid").read_text())
    os.kill(killed, signal.SIGKILL)
    while Path(f"/proc/{killed}").exists():
        time.sleep(0.05)
    assert (runtime / "neo4j.pid").exists()  # stale, as is the store's lock file

    process, _ = serve_until_ready(local_env)
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    assert "Traceback" not in output
    steps = launcher_lines(local_env)
    assert [step for step, _ in steps] == [
        "STARTING",
        "READY",
        *["STARTING", "READY", "STOPPING", "STOPPED"],
    ]
    assert steps[2][1] != str(killed)


def test_the_lock_holder_is_found_through_proc_locks(tmp_path: Path) -> None:
    from ogkg import processes

    path = tmp_path / "locked"
    with path.open("a") as locked:
        fcntl.lockf(locked, fcntl.LOCK_EX)
        assert processes.lock_holder(path) == os.getpid()
    assert processes.lock_holder(path) is None


def test_sigterm_while_neo4j_starts_stops_it_cleanly(local_env: dict[str, str]) -> None:
    runtime = Path(local_env["OGKG_NEO4J_RUNTIME_DIR"])
    process = subprocess.Popen(
        [*OGKG, "serve", "--port", str(free_port())], env=local_env, cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not (runtime / "neo4j.pid").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    pid = int((runtime / "neo4j.pid").read_text())
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=120)
    assert (process.returncode, output) == (
        130,
        "ogkg: starting the local Neo4j\nogkg: interrupted\n",
    )
    assert not Path(f"/proc/{pid}").exists()
    steps = [step for step, _ in launcher_lines(local_env)]
    assert steps[0] == "STARTING" and steps[-2:] == ["STOPPING", "STOPPED"], steps
    assert "FAILED" not in steps
