"""Pick the Neo4j the tests run against: NEO4J_URI, else testcontainers on Docker, else the local launcher."""

import os
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ogkg.local_neo4j import LocalNeo4j
from ogkg.settings import PROJECT_ROOT, LocalNeo4jSettings


@dataclass(frozen=True)
class Neo4jForTests:
    uri: str
    user: str
    password: str | None
    how: str


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def docker_engine_answers() -> bool:
    """True if a Docker engine answers `/_ping` at DOCKER_HOST (or the default socket)."""
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    request = b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"
    try:
        if host.startswith("unix://"):
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
                connection.settimeout(3)
                connection.connect(host.removeprefix("unix://"))
                connection.sendall(request)
                return b"OK" in connection.recv(4096)
        if host.startswith("tcp://"):
            address, _, port = host.removeprefix("tcp://").rpartition(":")
            with socket.create_connection((address, int(port)), timeout=3) as connection:
                connection.sendall(request)
                return b"OK" in connection.recv(4096)
    except (OSError, ValueError):
        return False
    return False


@contextmanager
def neo4j_for_tests() -> Iterator[Neo4jForTests]:
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield Neo4jForTests(
            uri,
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD"),
            "NEO4J_URI",
        )
        return
    if docker_engine_answers():
        from testcontainers.neo4j import Neo4jContainer

        version = LocalNeo4jSettings().version
        with Neo4jContainer(
            f"neo4j:{version}-community", password="ogkg-test-password"
        ) as container:
            yield Neo4jForTests(
                container.get_connection_url(), "neo4j", "ogkg-test-password", "testcontainers"
            )
        return
    with tempfile.TemporaryDirectory(prefix="ogkg-test-neo4j-") as data_home:
        settings = LocalNeo4jSettings(
            port=free_port(), page_cache_mb=256, heap="1g", runtime_dir=Path(data_home)
        )
        # The jars and compiled launcher are shared with `make run`: fetched once.
        server = LocalNeo4j(settings, PROJECT_ROOT / ".ogkg")
        server.start()
        try:
            yield Neo4jForTests(settings.uri, "neo4j", None, "local launcher")
        finally:
            server.stop()
