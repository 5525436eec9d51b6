"""`ogkg serve`: hand over from a stopping instance, start Neo4j, seed, warm up, serve, stop cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import time
from collections.abc import Callable, Sequence
from types import FrameType

import uvicorn

from api.app import create_app
from api.logs import log_config
from api.metrics import Metrics
from graph.database import Database, with_database
from graph.vocabulary import Label
from graph.writes import Progress
from ingest.loader import Ingestion, kind_of
from ogkg.bootstrap import prepare_graph
from ogkg.local_neo4j import LocalNeo4j
from ogkg.serve_lock import ServeLock, bind_when_free
from ogkg.settings import Settings

# Requests still running this long after Ctrl-C are cut off: the stop stays prompt.
API_SHUTDOWN_SECONDS = 3
# How long a start waits for the previous instance to stop (its API, then its Neo4j).
HAND_OVER_SECONDS = 120.0
# How long a start waits for a port another program holds.
PORT_WAIT_SECONDS = 10.0


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: shut down like Ctrl-C."""


def say(message: str) -> None:
    print(f"ogkg: {message}", flush=True)


def count_ingested(metrics: Metrics, ingestions: Sequence[Ingestion]) -> None:
    """Add what the ingests created to the metrics, by source kind, nodes apart from relationships."""
    labels = {label.value for label in Label}
    for ingestion in ingestions:
        kind = kind_of(ingestion.path).name
        for name, counts in ingestion.summary.counts.items():
            metrics.count_ingested(
                kind, "node" if name in labels else "relationship", counts.created
            )


def seeded_summary(ingestions: Sequence[Ingestion], seconds: float) -> str:
    """One line for a first start's seeding; `ogkg seed` prints each file's counts and notes."""
    labels = {label.value for label in Label}
    nodes = relationships = 0
    for ingestion in ingestions:
        for name, counts in ingestion.summary.counts.items():
            if name in labels:
                nodes += counts.created
            else:
                relationships += counts.created
    return (
        f"loaded {len(ingestions)} seed files in {seconds:.0f} s: {nodes:,} nodes, "
        f"{relationships:,} relationships ('ogkg seed' lists what each file holds)"
    )


def ready_message(sock: socket.socket) -> str:
    """Where to go now, and how to stop."""
    host, port = sock.getsockname()[:2]
    shown = "localhost" if host in {"127.0.0.1", "::1"} else host
    base = f"http://{shown}:{port}"
    return (
        f"ogkg is ready (pid {os.getpid()}):\n"
        f"  explorer   {base}/\n"
        f"  GraphiQL   {base}/graphql\n"
        f"  health     {base}/health\n"
        "Press Ctrl-C to stop."
    )


def start_local_neo4j(settings: Settings, server: LocalNeo4j) -> bool:
    """Start the local Neo4j, saying so; False if one was running already (it is used)."""
    if server.running_pid() is None:
        say(
            "starting the local Neo4j"
            if server.installed
            else "fetching Neo4j Community from Maven Central and starting it (first run only: "
            "about twenty seconds)"
        )
    started = server.start()
    if not started:
        say(
            f"using the local Neo4j already running (pid {server.running_pid()}) at "
            f"{settings.local_neo4j.uri}; 'ogkg neo4j stop' stops it"
        )
    return started


class ServiceServer(uvicorn.Server):
    """uvicorn's server, telling the serve lock when it is ready and when a signal stops it."""

    def __init__(
        self, config: uvicorn.Config, on_ready: Callable[[], None], on_exit: Callable[[], None]
    ) -> None:
        super().__init__(config)
        self._on_ready = on_ready
        self._on_exit = on_exit

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and not self.should_exit:
            self._on_ready()

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self._on_exit()
        super().handle_exit(sig, frame)


def serve(settings: Settings, server: LocalNeo4j, progress: Progress | None = None) -> int:
    """Serve until Ctrl-C or SIGTERM, then stop the local Neo4j if this command started it.

    A start overlapping the stop of the previous one on the same port waits for it (its API and
    its Neo4j) to finish, saying so, and never adopts a Neo4j that is about to stop.
    """
    app = create_app(settings)  # first: a bad setting stops us before Neo4j starts
    lock = ServeLock(settings.home, settings.host, settings.port)

    def stopping(signum: int, _: FrameType | None) -> None:
        lock.mark("stopping")
        raise (Terminated(signum) if signum == signal.SIGTERM else KeyboardInterrupt())

    signal.signal(signal.SIGTERM, stopping)
    signal.signal(signal.SIGINT, stopping)
    started = served = False
    sock: socket.socket | None = None
    try:
        if settings.port != 0:
            lock.acquire(HAND_OVER_SECONDS, say)
        sock = bind_when_free(settings.host, settings.port, PORT_WAIT_SECONDS, say)
        if settings.uses_local_neo4j:
            started = start_local_neo4j(settings, server)

        async def prepare(database: Database) -> list[Ingestion]:
            return await prepare_graph(
                database, settings, timeout=settings.startup_timeout, progress=progress
            )

        began = time.monotonic()
        ingestions = asyncio.run(with_database(settings.neo4j, settings.neo4j_uri, prepare))
        if ingestions:
            say(seeded_summary(ingestions, time.monotonic() - began))
        count_ingested(app.state.metrics, ingestions)
        if settings.warm_up:
            say("warming up (statistics, page cache, the explorer's queries)")
        config = uvicorn.Config(
            app,
            # The levels are in the log config; a `log_level` here would override uvicorn's.
            log_config=log_config(settings.log_level, settings.log_format),
            timeout_graceful_shutdown=API_SHUTDOWN_SECONDS,
        )

        def ready() -> None:
            nonlocal served
            served = True
            lock.mark("serving")
            assert sock is not None
            print(ready_message(sock), flush=True)

        ServiceServer(config, ready, lambda: lock.mark("stopping")).run(sockets=[sock])
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM as Terminated
        if not served:
            raise  # stopped before it served: `ogkg: interrupted`, exit status 130
    finally:
        # A second Ctrl-C would cut the stop short and leave Neo4j or the lock behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        lock.mark("stopping")
        if sock is not None:
            sock.close()
        if started:
            say("stopping the local Neo4j")
            server.stop()
        lock.release()
        if served:
            say("stopped")
    return 0
