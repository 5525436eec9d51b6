"""Shared fixtures: one real Neo4j per session, a clean graph per test, the API over real HTTP."""

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, LiteralString, TypeVar

import httpx
import pytest
import uvicorn
from neo4j import Driver, GraphDatabase
from starlette.applications import Starlette

from api.app import create_app
from graph.database import Database, with_database
from graph.schema import apply_schema
from ingest.loader import load_seeds
from ogkg.settings import PROJECT_ROOT, Neo4jSettings, Settings
from tests.neo4j_server import Neo4jForTests, free_port, neo4j_for_tests

T = TypeVar("T")

SEEDS_DIR = PROJECT_ROOT / "seeds"
# A test module is one client sending hundreds of requests a minute: the limiter still counts them
# (its own tests set tight limits), but does not turn the suite away.
GENEROUS_RATE_LIMITS: dict[str, Any] = {
    "rate_limit": "100000/minute",
    "mutation_rate_limit": "100000/minute",
    # Tests change the graph between requests: the cost model checks its counts every time.
    "statistics_ttl": 0,
    # Each module's server starts at once; the warm-up has tests of its own.
    "warm_up": False,
}

SNAPSHOT_NODES: LiteralString = (
    "MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS properties"
)
SNAPSHOT_RELATIONSHIPS: LiteralString = (
    "MATCH (a)-[r]->(b) RETURN elementId(a) AS start, type(r) AS type, elementId(b) AS end, "
    "properties(r) AS properties"
)


def neo4j_settings(server: Neo4jForTests) -> Neo4jSettings:
    return Neo4jSettings(uri=server.uri, user=server.user, password=server.password)


def run_with_database(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    """Run async graph code from a synchronous test, with a driver of its own."""
    return asyncio.run(with_database(settings.neo4j, settings.neo4j_uri, work))


@dataclass
class GraphForTests:
    settings: Settings
    driver: Driver

    def query(self, cypher: LiteralString, **parameters: Any) -> list[dict[str, Any]]:
        records, _, _ = self.driver.execute_query(cypher, parameters)
        return [record.data() for record in records]

    def value(self, cypher: LiteralString, **parameters: Any) -> Any:
        rows = self.query(cypher, **parameters)
        assert len(rows) == 1 and len(rows[0]) == 1, rows
        return next(iter(rows[0].values()))

    def run(self, work: Callable[[Database], Awaitable[T]]) -> T:
        return run_with_database(self.settings, work)

    def snapshot(self) -> tuple[list[str], list[str]]:
        """Every node and relationship with its properties, to compare before and after."""
        nodes = sorted(repr(sorted(row.items())) for row in self.query(SNAPSHOT_NODES))
        relationships = sorted(
            repr(sorted(row.items())) for row in self.query(SNAPSHOT_RELATIONSHIPS)
        )
        return nodes, relationships


def every_seed_loaded(settings: Settings, driver: Driver) -> GraphForTests:
    """An empty graph with every seed ingested through the real path, for read-only test modules."""
    driver.execute_query("MATCH (n) DETACH DELETE n")
    graph = GraphForTests(settings, driver)

    async def work(database: Database) -> None:
        await load_seeds(database, SEEDS_DIR)

    graph.run(work)
    return graph


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Neo4jForTests]:
    with neo4j_for_tests() as server:
        yield server


@pytest.fixture(scope="session")
def settings(neo4j_server: Neo4jForTests) -> Settings:
    settings = Settings(
        neo4j=neo4j_settings(neo4j_server), seeds_dir=SEEDS_DIR, port=0, **GENEROUS_RATE_LIMITS
    )
    run_with_database(settings, apply_schema)
    return settings


@pytest.fixture(scope="session")
def sync_driver(neo4j_server: Neo4jForTests) -> Iterator[Driver]:
    auth = (neo4j_server.user, neo4j_server.password) if neo4j_server.password else None
    with GraphDatabase.driver(neo4j_server.uri, auth=auth) as driver:
        yield driver


@pytest.fixture
def graph(settings: Settings, sync_driver: Driver) -> GraphForTests:
    """A graph holding nothing but the schema."""
    sync_driver.execute_query("MATCH (n) DETACH DELETE n")
    return GraphForTests(settings, sync_driver)


@dataclass
class RunningServer:
    url: str
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def start_server(settings: Settings, app: Starlette | None = None) -> RunningServer:
    """Serve the real app (or `app`, made by `create_app`) with uvicorn on a free loopback port."""
    port = free_port()
    config = uvicorn.Config(
        app if app is not None else create_app(settings),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        ws="none",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test API server did not start")
        time.sleep(0.05)
    return RunningServer(f"http://127.0.0.1:{port}", server, thread)


@pytest.fixture(scope="session")
def api_url(settings: Settings) -> Iterator[str]:
    running = start_server(settings)
    try:
        yield running.url
    finally:
        running.stop()


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as client:
        yield client
