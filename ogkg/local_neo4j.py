"""Install, start, stop and inspect the local Neo4j Community server that runs without Docker."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from ogkg import processes
from ogkg.settings import LocalNeo4jSettings

LAUNCHER_DIR = Path(__file__).resolve().parent / "neo4j_launcher"
LAUNCHER_CLASS = "OgkgNeo4j"
FAILED_MARKER = "OGKG_NEO4J_FAILED"
POLL_SECONDS = 0.1

# The flags Neo4j's own neo4j.conf passes to a Java 17 JVM (server.jvm.additional).
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
)


class LocalNeo4jError(Exception):
    """A problem a user can act on, told in one line."""


@dataclass(frozen=True)
class Status:
    running: bool
    pid: int | None
    uri: str
    detail: str


class LocalNeo4j:
    """The Neo4j server in `home/neo4j`: jars and compiled launcher, then data, log and pid file."""

    def __init__(self, settings: LocalNeo4jSettings, home: Path) -> None:
        self.settings = settings
        self.root = home / "neo4j"
        self.lib_dir = self.root / f"lib-{settings.version}"
        self.classes_dir = self.root / "classes"
        self.runtime_dir = (settings.runtime_dir or self.root / "run").absolute()
        self.data_dir = self.runtime_dir / "dbms"
        self.log_file = self.runtime_dir / "neo4j.log"
        self.pid_file = self.runtime_dir / "neo4j.pid"  # written and removed by the launcher
        self.state_file = self.runtime_dir / "neo4j.state"  # "starting|ready|stopping PID"
        self._process: subprocess.Popen[bytes] | None = None

    # -- installation -------------------------------------------------------------------------

    def install(self) -> None:
        """Resolve the pinned Neo4j jars with Maven and compile the launcher, once.

        One install at a time per home: starts of several runtime folders (test workers, two
        `make run`s) share the jars, and a second waits for the first rather than fetch beside it.
        """
        java = _require_tool(
            "java", "a Java 17 runtime (e.g. apt-get install openjdk-17-jdk-headless)"
        )
        self._check_java_version(java)
        self.root.mkdir(parents=True, exist_ok=True)
        with _exclusive(self.root / "install.lock"):
            self._install()

    @property
    def installed(self) -> bool:
        """Whether the jars are here already (else a start fetches them first)."""
        return (self.lib_dir / ".complete").exists()

    def _install(self) -> None:
        complete_marker = self.lib_dir / ".complete"
        if not complete_marker.exists():
            mvn = _require_tool("mvn", "Maven (e.g. apt-get install maven)")
            self.lib_dir.mkdir(parents=True, exist_ok=True)
            command = [
                mvn, "-B", "-q", "-f", str(LAUNCHER_DIR / "pom.xml"),
                f"-Dneo4j.version={self.settings.version}",
                "dependency:copy-dependencies", "-DincludeScope=runtime",
                f"-DoutputDirectory={self.lib_dir}",
            ]  # fmt: skip
            completed = subprocess.run(command, capture_output=True, text=True, check=False)
            if completed.returncode != 0:
                tail = (completed.stdout + completed.stderr).strip().splitlines()[-3:]
                raise LocalNeo4jError(
                    f"Maven could not fetch Neo4j {self.settings.version}: {' | '.join(tail)}"
                )
            complete_marker.write_text(self.settings.version + "\n")
        source = LAUNCHER_DIR / f"{LAUNCHER_CLASS}.java"
        compiled = self.classes_dir / f"{LAUNCHER_CLASS}.class"
        if not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime:
            javac = _require_tool(
                "javac", "a Java 17 JDK (e.g. apt-get install openjdk-17-jdk-headless)"
            )
            self.classes_dir.mkdir(parents=True, exist_ok=True)
            completed = subprocess.run(
                [javac, "-d", str(self.classes_dir), "-cp", self._jar_classpath(), str(source)],
                capture_output=True,
                text=True,
                check=False,
            )
            if completed.returncode != 0:
                raise LocalNeo4jError(f"could not compile the Neo4j launcher: {completed.stderr}")

    def _check_java_version(self, java: str) -> None:
        completed = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
        first_line = (completed.stderr or completed.stdout).splitlines()[:1]
        version = first_line[0].split('"')[1] if first_line and '"' in first_line[0] else ""
        major = version.split(".")[0]
        if not major.isdigit() or int(major) < 17:
            raise LocalNeo4jError(
                f"Neo4j {self.settings.version} needs Java 17 or newer, found "
                f"{version or 'an unknown version'}: install openjdk-17-jdk-headless"
            )

    def _jar_classpath(self) -> str:
        return str(self.lib_dir / "*")

    # -- process control ----------------------------------------------------------------------

    def status(self) -> Status:
        pid = self.running_pid()
        uri = self.settings.uri
        if pid is None:
            return Status(False, None, uri, "stopped")
        if self._state_of(pid) == "stopping":
            return Status(False, pid, uri, "stopping")
        if self._answers_query():
            return Status(True, pid, uri, "running")
        return Status(True, pid, uri, "starting (process up, Bolt not answering yet)")

    def start(self) -> bool:
        """Start the server and wait until it answers a query; False if it was already running.

        One start at a time per runtime folder: a start waits for another start to finish and for
        a previous server that is still stopping to exit, and never launches a JVM on a port or a
        store another process holds.
        """
        self.runtime_dir.mkdir(parents=True, exist_ok=True)
        if self._process is not None and self._process.poll() is not None:
            self._process = None  # Reaped: the server this object started died (kill -9).
        with self._start_lock():
            if self._wait_for_previous() is not None:
                return False
            self._refuse_taken_port()
            self._refuse_locked_store()
            self.install()
            try:
                process, log_offset = self._launch()
                self._wait_until_answering(process.pid, log_offset)
            except (LocalNeo4jError, KeyboardInterrupt):  # Ctrl-C while starting: stop it too.
                self.stop()
                raise
        return True

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server cleanly (SIGTERM, then SIGKILL after `timeout`); False if not running."""
        pid = self.running_pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGTERM)
        if not _wait_for_exit(pid, timeout):
            os.kill(pid, signal.SIGKILL)
            _wait_for_exit(pid, timeout)
        if self._process is not None and self._process.pid == pid:
            self._process.wait()  # Reap the child this object started.
            self._process = None
        # A clean stop removes both files itself; after SIGKILL they are left naming a dead pid.
        _remove_if_naming(self.pid_file, pid)
        _remove_if_naming(self.state_file, pid)
        return True

    def running_pid(self) -> int | None:
        """The pid of this runtime folder's launcher, from the pid file or the process table.

        A pid file naming a process that is gone, or that is not this folder's launcher, is stale:
        it is removed, with the state file.
        """
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            pid = None
        if pid is not None:
            if self._is_our_launcher(pid):
                return pid
            _remove_if_naming(self.pid_file, pid)
            _remove_if_naming(self.state_file, pid)
        elif self.pid_file.exists():
            self.pid_file.unlink(missing_ok=True)  # Not a pid at all.
        found = processes.pids_started_with(LAUNCHER_CLASS, str(self.runtime_dir))
        return found[0] if found else None

    def _is_our_launcher(self, pid: int) -> bool:
        if not processes.pid_alive(pid):
            return False
        words = processes.command_line(pid)
        return words is None or (LAUNCHER_CLASS in words and str(self.runtime_dir) in words)

    def _state_of(self, pid: int) -> str:
        """What the launcher last said it was doing: starting, ready or stopping ("" if unsaid)."""
        try:
            state, _, named = self.state_file.read_text().strip().partition(" ")
        except FileNotFoundError:
            return ""
        return state if named == str(pid) else ""

    def _start_lock(self) -> AbstractContextManager[None]:
        return _exclusive(self.runtime_dir / "neo4j.start.lock")

    def _wait_for_previous(self) -> int | None:
        """The pid of a server of this folder that answers; None once no server of it is left.

        A server that is stopping is waited for until it exits; one that is starting, until it
        answers or exits.
        """
        deadline = time.monotonic() + self.settings.start_timeout
        while (pid := self.running_pid()) is not None:
            stopping = self._state_of(pid) == "stopping"
            if not stopping and self._answers_query() and self._state_of(pid) != "stopping":
                return pid
            if time.monotonic() > deadline:
                doing = "stop" if stopping else "answer"
                raise LocalNeo4jError(
                    f"the local Neo4j ({processes.describe(pid)}) did not {doing} within "
                    f"{self.settings.start_timeout:.0f}s; 'ogkg neo4j stop' stops it"
                )
            _wait_for_exit(pid, POLL_SECONDS if stopping else 0.5)
        return None

    def _refuse_taken_port(self) -> None:
        host, port = self.settings.host, self.settings.port
        if not _port_taken(host, port):
            return
        holder = processes.port_holder(port)
        by = processes.describe(holder) if holder is not None else "another program"
        raise LocalNeo4jError(
            f"port {port} on {host} is taken by {by}: set OGKG_NEO4J_PORT to a free port, "
            "or NEO4J_URI to use that server"
        )

    def _refuse_locked_store(self) -> None:
        store_lock = self.data_dir / "data" / "databases" / "store_lock"
        if not _locked(store_lock):
            return
        holder = processes.lock_holder(store_lock)
        by = processes.describe(holder) if holder is not None else "another process"
        raise LocalNeo4jError(
            f"the Neo4j store in {self.data_dir} is locked by {by}; stop it first"
        )

    def _launch(self) -> tuple[subprocess.Popen[bytes], int]:
        """Start the launcher JVM; returns it and where its lines begin in the log."""
        java = _require_tool(
            "java", "a Java 17 runtime (e.g. apt-get install openjdk-17-jdk-headless)"
        )
        heap = self.settings.heap
        command = [
            java, f"-Xms{heap}", f"-Xmx{heap}", *JVM_FLAGS,
            "-cp", f"{self.classes_dir}{os.pathsep}{self._jar_classpath()}",
            LAUNCHER_CLASS, str(self.runtime_dir), self.settings.host, str(self.settings.port),
            str(self.settings.page_cache_mb), str(self.settings.transaction_memory_mb),
        ]  # fmt: skip
        with self.log_file.open("ab") as log:
            log_offset = log.tell()
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._process = process
        return process, log_offset

    def _wait_until_answering(self, pid: int, log_offset: int) -> None:
        deadline = time.monotonic() + self.settings.start_timeout
        while time.monotonic() < deadline:
            if not processes.pid_alive(pid):
                raise LocalNeo4jError(self._why_it_failed(log_offset))
            if self._answers_query():
                return
            time.sleep(POLL_SECONDS)
        raise LocalNeo4jError(
            f"Neo4j did not answer within {self.settings.start_timeout:.0f}s; see {self.log_file}"
        )

    def _why_it_failed(self, log_offset: int) -> str:
        """One line: the cause the launcher logged (with the port's holder), else its last lines."""
        lines = self._log_since(log_offset)
        failed = [line for line in lines if FAILED_MARKER in line]
        if not failed:
            tail = " | ".join(lines[-3:]) or "no output"
            return f"Neo4j exited while starting; see {self.log_file}: {tail}"
        cause = failed[-1].split(": ", 1)[-1]
        if "already in use" in cause or "Address in use" in cause:
            holder = processes.port_holder(self.settings.port)
            if holder is not None:
                cause += f" (held by {processes.describe(holder)})"
        return f"Neo4j could not start: {cause}; see {self.log_file}"

    def _answers_query(self) -> bool:
        try:
            with (
                GraphDatabase.driver(
                    self.settings.uri, auth=None, connection_timeout=2.0
                ) as driver,
                driver.session() as session,
            ):
                session.run("RETURN 1").consume()
            return True
        except (ServiceUnavailable, Neo4jError, OSError):
            return False

    def _log_since(self, offset: int) -> list[str]:
        try:
            with self.log_file.open("rb") as log:
                log.seek(offset)
                text = log.read().decode(errors="replace")
        except FileNotFoundError:
            return []
        return [line for line in text.strip().splitlines() if line.strip()]


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """Hold an flock on `path` (created if missing) while the block runs."""
    with path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _require_tool(name: str, what: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise LocalNeo4jError(
            f"`{name}` not found: the local Neo4j needs {what}; or set NEO4J_URI to a running Neo4j"
        )
    return path


def _wait_for_exit(pid: int, timeout: float) -> bool:
    """Wait up to `timeout` seconds for `pid` to exit; True if it has."""
    deadline = time.monotonic() + timeout
    while processes.pid_alive(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_SECONDS)
    return True


def _remove_if_naming(file: Path, pid: int) -> None:
    """Remove a pid or state file that still names `pid`; leave one a newer server wrote."""
    try:
        if file.read_text().split()[-1:] == [str(pid)]:
            file.unlink(missing_ok=True)
    except FileNotFoundError:
        pass


def _port_taken(host: str, port: int) -> bool:
    """True if binding `port` the way Neo4j does (address reuse on) fails: someone holds it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            return error.errno == errno.EADDRINUSE
    return False


def _locked(path: Path) -> bool:
    """True if another process holds a lock on `path` (Neo4j locks its store with fcntl)."""
    try:
        with path.open("rb+") as file:
            try:
                fcntl.lockf(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return True
            fcntl.lockf(file, fcntl.LOCK_UN)
    except FileNotFoundError:
        return False
    return False
