"""The Neo4j a benchmark runs on: NEO4J_URI if set, else a throw-away local server."""

import signal
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from ogkg.local_neo4j import LocalNeo4j
from ogkg.settings import PROJECT_ROOT, LocalNeo4jSettings, Neo4jSettings, Settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _interrupt(signum: int, _: FrameType | None) -> None:
    raise KeyboardInterrupt(signum)


@contextmanager
def bench_neo4j() -> Iterator[tuple[Settings, str]]:
    """Settings and URI of the server to use; a throw-away one is stopped on exit or SIGTERM."""
    signal.signal(signal.SIGTERM, _interrupt)
    settings = Settings()
    if settings.neo4j.uri is not None:
        yield settings, settings.neo4j.uri
        return
    with tempfile.TemporaryDirectory(prefix="ogkg-bench-") as runtime:
        local = LocalNeo4jSettings(
            port=free_port(),
            heap="2g",
            page_cache_mb=1024,
            transaction_memory_mb=1024,
            runtime_dir=Path(runtime),
        )
        server = LocalNeo4j(local, PROJECT_ROOT / ".ogkg")
        server.start()
        try:
            yield Settings(neo4j=Neo4jSettings(uri=local.uri)), local.uri
        finally:
            server.stop()
