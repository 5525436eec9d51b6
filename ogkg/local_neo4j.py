"""Install, start, stop and inspect the local Neo4j Community server that runs without Docker."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from ogkg.settings import LocalNeo4jSettings

LAUNCHER_DIR = Path(__file__).resolve().parent / "neo4j_launcher"
LAUNCHER_CLASS = "OgkgNeo4j"

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
        runtime = settings.runtime_dir or self.root / "run"
        self.data_dir = runtime / "dbms"
        self.log_file = runtime / "neo4j.log"
        self.pid_file = runtime / "neo4j.pid"
        self._process: subprocess.Popen[bytes] | None = None

    # -- installation -------------------------------------------------------------------------

    def install(self) -> None:
        """Resolve the pinned Neo4j jars with Maven and compile the launcher, once."""
        java = _require_tool(
            "java", "a Java 17 runtime (e.g. apt-get install openjdk-17-jdk-headless)"
        )
        self._check_java_version(java)
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
        pid = self._live_pid()
        uri = self.settings.uri
        if pid is None:
            return Status(False, None, uri, "stopped")
        if self._answers_query():
            return Status(True, pid, uri, "running")
        return Status(True, pid, uri, "starting (process up, Bolt not answering yet)")

    def start(self) -> bool:
        """Start the server and wait until it answers a query; False if it was already running."""
        pid = self._live_pid()
        if pid is not None:
            self._wait_until_answering(pid)
            return False
        if _port_in_use(self.settings.host, self.settings.port):
            raise LocalNeo4jError(
                f"port {self.settings.port} on {self.settings.host} is taken by another program: "
                "set OGKG_NEO4J_PORT to a free port, or NEO4J_URI to use that server"
            )
        self.install()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        java = _require_tool(
            "java", "a Java 17 runtime (e.g. apt-get install openjdk-17-jdk-headless)"
        )
        heap = self.settings.heap
        command = [
            java, f"-Xms{heap}", f"-Xmx{heap}", *JVM_FLAGS,
            "-cp", f"{self.classes_dir}{os.pathsep}{self._jar_classpath()}",
            LAUNCHER_CLASS, str(self.data_dir), self.settings.host, str(self.settings.port),
            str(self.settings.page_cache_mb), str(self.settings.transaction_memory_mb),
        ]  # fmt: skip
        with self.log_file.open("ab") as log:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._process = process
        self.pid_file.write_text(f"{process.pid}\n")
        try:
            self._wait_until_answering(process.pid)
        except LocalNeo4jError:
            self.stop()
            raise
        return True

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server cleanly (SIGTERM, then SIGKILL after `timeout`); False if not running."""
        pid = self._live_pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
            while _pid_alive(pid):
                time.sleep(0.1)
        if self._process is not None and self._process.pid == pid:
            self._process.wait()  # Reap the child this object started.
            self._process = None
        self.pid_file.unlink(missing_ok=True)
        return True

    def _live_pid(self) -> int | None:
        """The pid in the pid file if that process is our launcher; a stale file is removed."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            self.pid_file.unlink(missing_ok=True)
            return None
        if _pid_alive(pid) and LAUNCHER_CLASS in _command_line(pid):
            return pid
        self.pid_file.unlink(missing_ok=True)
        return None

    def _wait_until_answering(self, pid: int) -> None:
        deadline = time.monotonic() + self.settings.start_timeout
        while time.monotonic() < deadline:
            if not _pid_alive(pid):
                raise LocalNeo4jError(
                    f"Neo4j exited while starting; see {self.log_file}: {self._log_tail()}"
                )
            if self._answers_query():
                return
            time.sleep(0.5)
        raise LocalNeo4jError(
            f"Neo4j did not answer within {self.settings.start_timeout:.0f}s; see {self.log_file}"
        )

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

    def _log_tail(self, lines: int = 3) -> str:
        try:
            text = self.log_file.read_text(errors="replace").strip().splitlines()
        except FileNotFoundError:
            return "no log"
        return " | ".join(text[-lines:])


def _require_tool(name: str, what: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise LocalNeo4jError(
            f"`{name}` not found: the local Neo4j needs {what}; or set NEO4J_URI to a running Neo4j"
        )
    return path


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # A zombie child has exited; reap it.
        reaped, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return reaped == 0


def _command_line(pid: int) -> str:
    try:
        return (
            Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    except OSError:
        return LAUNCHER_CLASS  # No procfs: trust the pid file.


def _port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        return probe.connect_ex((host, port)) == 0
