"""No half-applied change: the API killed mid-mutation, Neo4j cut off or killed mid-change-set."""

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any, LiteralString

import httpx
from neo4j import Driver, GraphDatabase

from api.principal import Role
from graph.change_sets import apply_now
from graph.curated_kinds import CuratedKind
from graph.curation import Action, Actor, Operation
from graph.database import Database
from graph.schema import apply_schema
from ogkg.local_neo4j import LocalNeo4j
from ogkg.settings import PROJECT_ROOT, LocalNeo4jSettings, Neo4jSettings, Settings
from ogkg.signing_key import load_signing_key
from ogkg.tokens import issue_token
from tests.conftest import GENEROUS_RATE_LIMITS, GraphForTests, run_with_database, start_server
from tests.neo4j_server import Neo4jForTests, free_port
from tests.test_cli import server_environment
from tests.test_database_unavailable import TcpRelay

LESSONS = 12
STATEMENT = "A lesson written to be edited many times over while something fails underneath."
UPDATE = """mutation($id: ID!, $v: Int!, $s: String!) {
  updateLesson(id: $id, expectedVersion: $v, input: {statement: $s}) {
    __typename ... on Conflict { currentVersion } } }"""

# Each query returns the rows that break one rule; every rule holds when all return nothing.
INVARIANTS: dict[str, LiteralString] = {
    "a lock was left behind": "MATCH (n) WHERE n.curationLock IS NOT NULL RETURN n.id AS id",
    "an entity's version has no revision": (
        "MATCH (l:Lesson) WHERE l.version IS NOT NULL WITH l, COLLECT { MATCH (r:Revision {entityId: l.id}) "
        "RETURN r.version ORDER BY r.version } AS versions "
        "WHERE versions <> range(1, l.version) RETURN l.id AS id, l.version, versions"
    ),
    "an applied change set has no revision": (
        "MATCH (c:ChangeSet {status: 'APPLIED'}) "
        "WHERE NOT EXISTS { MATCH (:Revision {changeSetId: c.id, version: c.appliedVersion}) } "
        "RETURN c.id AS id"
    ),
    "a revision has no applied change set": (
        "MATCH (r:Revision) WHERE r.changeSetId IS NOT NULL AND NOT EXISTS "
        "{ MATCH (:ChangeSet {id: r.changeSetId, status: 'APPLIED'}) } RETURN r.id AS id"
    ),
    "the feed skips or repeats a position": (
        "MATCH (r:Revision) WITH count(r) AS revisions, count(DISTINCT r.sequence) AS positions "
        "OPTIONAL MATCH (q:Sequence {id: 'revisions'}) WITH revisions, positions, q "
        "WHERE positions <> revisions OR coalesce(q.value, 0) <> revisions "
        "RETURN revisions, positions, q.value AS sequence"
    ),
}


STALE_TRANSACTIONS: LiteralString = (
    "SHOW TRANSACTIONS YIELD transactionId AS id, currentQuery "
    "WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' RETURN id"
)
TERMINATE: LiteralString = "TERMINATE TRANSACTIONS $ids"


def broken_rules(driver: Driver) -> dict[str, list[dict[str, Any]]]:
    broken: dict[str, list[dict[str, Any]]] = {}
    for rule, query in INVARIANTS.items():
        records, _, _ = driver.execute_query(query)
        if records:
            broken[rule] = [record.data() for record in records]
    return broken


async def until_applied(driver: Driver, at_least: int, timeout: float = 60) -> None:
    """Wait until the graph holds `at_least` applied change sets: the storm is under way."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        records, _, _ = await asyncio.to_thread(
            driver.execute_query,
            "MATCH (c:ChangeSet {status: 'APPLIED'}) RETURN count(c) AS applied",
        )
        if records[0]["applied"] >= at_least:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"fewer than {at_least} change sets were applied in {timeout} s")


def seed_lessons(settings: Settings) -> list[str]:
    """A source to cite and a dozen lessons, each created as a coordinator would."""

    async def work(database: Database) -> list[str]:
        await apply_schema(database)
        await database.write(lambda tx: tx.run("MERGE (:Source {id: 'crash-test-source'})"))
        ids = []
        for number in range(LESSONS):
            operation = Operation(
                action=Action.CREATE,
                kind=CuratedKind.LESSON,
                id=f"crash-lesson-{number}",
                fields={
                    "statement": STATEMENT,
                    "evidenceSource": "crash-test-source",
                    "evidenceLocation": f"page {number}",
                },
            )
            await apply_now(database, operation, Actor(subject="seeder"))
            ids.append(operation.id)
        return ids

    return run_with_database(settings, work)


def token(settings: Settings) -> str:
    return issue_token(
        load_signing_key(settings), "crash-coordinator", [Role.COORDINATOR], ttl=timedelta(hours=1)
    )


async def update_storm(
    url: str, bearer: str, ids: list[str], stop: asyncio.Event
) -> tuple[int, int]:
    """Edit every lesson over and over, one client per lesson, until `stop` or the server goes away.

    Returns how many updates were answered and how many clients were cut off by the server going
    away. Each client follows its lesson's version, so updates keep applying while the graph lives.
    """
    answered = 0
    cut_off = 0
    give_up = time.monotonic() + 90

    async def edit_over_and_over(client: httpx.AsyncClient, lesson_id: str) -> None:
        nonlocal answered, cut_off
        version = 1
        edit = 0
        while not stop.is_set() and time.monotonic() < give_up:
            edit += 1
            try:
                response = await client.post(
                    url,
                    json={
                        "query": UPDATE,
                        "variables": {"id": lesson_id, "v": version, "s": f"{STATEMENT} {edit}"},
                    },
                    headers={"authorization": f"Bearer {bearer}"},
                )
            except httpx.HTTPError:
                cut_off += 1
                return
            answered += 1
            answer = response.json() if "json" in response.headers.get("content-type", "") else {}
            result = (answer.get("data") or {}).get("updateLesson")
            if result is None:  # the graph is unavailable: try again shortly
                await asyncio.sleep(0.05)
            elif result["__typename"] == "Applied":
                version += 1
            elif result["__typename"] == "Conflict":
                version = result["currentVersion"]

    async with httpx.AsyncClient(timeout=30) as client:
        await asyncio.gather(*(edit_over_and_over(client, lesson_id) for lesson_id in ids))
    return answered, cut_off


def test_killing_the_api_mid_mutation_leaves_no_half_applied_change(
    graph: GraphForTests, neo4j_server: Neo4jForTests, tmp_path: Path
) -> None:
    environment = {
        **server_environment(neo4j_server),
        "OGKG_HOME": str(tmp_path),
        "OGKG_RATE_LIMIT": "off",
        "OGKG_MUTATION_RATE_LIMIT": "off",
    }
    settings = Settings(
        home=tmp_path,
        neo4j=Neo4jSettings(
            uri=neo4j_server.uri, user=neo4j_server.user, password=neo4j_server.password
        ),
    )
    ids = seed_lessons(settings)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "api.app:app_from_environment",
         "--port", str(port), "--log-level", "warning"],
        env=environment, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/health")
                break
            except httpx.TransportError:
                time.sleep(0.2)

        async def storm_then_kill() -> tuple[int, int]:
            stop = asyncio.Event()
            storm = asyncio.create_task(update_storm(url, token(settings), ids, stop))
            await until_applied(graph.driver, LESSONS + 3 * len(ids))
            process.send_signal(signal.SIGKILL)
            return await storm

        answered, cut_off = asyncio.run(storm_then_kill())
    finally:
        process.kill()
        process.wait(timeout=30)
    applied = graph.value("MATCH (c:ChangeSet {status: 'APPLIED'}) RETURN count(c)")
    assert applied > LESSONS, "some updates were applied before the kill"
    assert answered > 0, "updates were answered before the kill"
    assert cut_off == len(ids), "the kill cut off every client mid-storm, none had given up"
    assert broken_rules(graph.driver) == {}


def test_losing_neo4j_mid_change_set_leaves_no_half_applied_change(
    graph: GraphForTests, neo4j_server: Neo4jForTests, tmp_path: Path
) -> None:
    host, port = neo4j_server.uri.removeprefix("bolt://").rsplit(":", 1)
    relay = TcpRelay(host, int(port))
    relay.start()
    settings = Settings(
        home=tmp_path,
        port=0,
        **GENEROUS_RATE_LIMITS,
        neo4j=Neo4jSettings(
            uri=f"bolt://127.0.0.1:{relay.port}",
            user=neo4j_server.user,
            password=neo4j_server.password,
            connection_timeout=2,
            retry_time=0.5,
        ),
    )
    ids = seed_lessons(settings)
    running = start_server(settings)
    try:

        async def storm_then_cut() -> tuple[int, int]:
            stop = asyncio.Event()
            storm = asyncio.create_task(
                update_storm(f"{running.url}/graphql", token(settings), ids, stop)
            )
            await until_applied(graph.driver, LESSONS + 3)
            relay.cut()
            await asyncio.sleep(1.0)  # updates go on meeting the cut for a while
            stop.set()
            return await storm

        asyncio.run(storm_then_cut())
    finally:
        running.stop()
        relay.cut()
    assert graph.value("MATCH (c:ChangeSet {status: 'APPLIED'}) RETURN count(c)") > LESSONS
    assert broken_rules(graph.driver) == {}
    # Transactions whose connection the relay left half-open keep their locks; end them, as an
    # operator would, so the tests after this one find the graph free.
    stale = graph.query(STALE_TRANSACTIONS)
    if stale:
        graph.query(TERMINATE, ids=[row["id"] for row in stale])


@contextmanager
def own_neo4j() -> Iterator[tuple[LocalNeo4j, LocalNeo4jSettings]]:
    """A Neo4j of this test's own, on a throw-away data folder, that it may kill."""
    with tempfile.TemporaryDirectory(prefix="ogkg-crash-neo4j-") as data_home:
        local = LocalNeo4jSettings(
            port=free_port(), page_cache_mb=128, heap="512m", runtime_dir=Path(data_home)
        )
        server = LocalNeo4j(local, PROJECT_ROOT / ".ogkg")
        server.start()
        try:
            yield server, local
        finally:
            server.stop()


def test_neo4j_killed_and_restarted_mid_change_set_keeps_only_whole_changes(tmp_path: Path) -> None:
    with own_neo4j() as (server, local):
        settings = Settings(
            home=tmp_path,
            port=0,
            neo4j=Neo4jSettings(uri=local.uri, retry_time=0.5),
            **GENEROUS_RATE_LIMITS,
        )
        ids = seed_lessons(settings)
        running = start_server(settings)
        driver = GraphDatabase.driver(local.uri)
        try:

            async def storm_then_kill() -> tuple[int, int]:
                stop = asyncio.Event()
                storm = asyncio.create_task(
                    update_storm(f"{running.url}/graphql", token(settings), ids, stop)
                )
                await until_applied(driver, LESSONS + 3)
                pid = server.status().pid
                assert pid is not None
                os.kill(pid, signal.SIGKILL)
                await asyncio.sleep(1.0)  # updates go on meeting the dead Neo4j for a while
                stop.set()
                return await storm

            asyncio.run(storm_then_kill())
        finally:
            running.stop()
            driver.close()
        server.start()  # recovers from its transaction log
        with GraphDatabase.driver(local.uri) as driver:
            records, _, _ = driver.execute_query(
                "MATCH (c:ChangeSet {status: 'APPLIED'}) RETURN count(c) AS applied"
            )
            assert records[0]["applied"] >= LESSONS
            assert broken_rules(driver) == {}
