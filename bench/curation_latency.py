"""Benchmark: curation mutations over HTTP against the same write in plain Cypher, and curators racing.

Creates lessons through the real curation path, serves the real app with uvicorn in a process of its
own on loopback (as `ogkg serve` does), and prints:

- p50/p95 of `updateLesson` (a coordinator's edit: lock, version check, write, revision, change set)
  beside the same edit as one plain Cypher statement through the driver, measured in the same run;
- N concurrent curators editing a small set of lessons for S seconds, each reading the lesson and
  retrying on `Conflict`: applied edits per second, p50/p99 latency, conflicts, and lost updates
  (applied edits missing from the graph's versions and history: must be 0).

    .venv/bin/python -m bench.curation_latency
    .venv/bin/python -m bench.curation_latency --curators 32 --seconds 30 --requests 300
"""

import argparse
import asyncio
import random
import statistics
import time
from datetime import timedelta
from typing import Any, LiteralString

import httpx
import uvloop
from neo4j import AsyncManagedTransaction

from api.principal import Role
from bench.api_latency import api_server
from bench.bench_neo4j import bench_neo4j
from graph.change_sets import apply_now
from graph.curated_kinds import CuratedKind
from graph.curation import Action, Actor, Operation
from graph.database import Database, with_database
from graph.schema import apply_schema
from ogkg.settings import Settings
from ogkg.signing_key import load_signing_key
from ogkg.tokens import issue_token

WARM_UP = 20
STATEMENT = "A lesson edited by the curation benchmark, version after version, to measure it."
UPDATE = """mutation($id: ID!, $v: Int!, $s: String!) {
  updateLesson(id: $id, expectedVersion: $v, input: {statement: $s}) {
    __typename ... on Applied { revision { version } } ... on Conflict { currentVersion }
    ... on ValidationError { field message } } }"""
READ = "query($id: ID!) { lesson(id: $id) { version } }"
PLAIN_UPDATE: LiteralString = (
    "MATCH (l:Lesson {id: $id}) WHERE l.version = $version "
    "SET l.statement = $statement, l.version = $version + 1 RETURN l.version AS version"
)
CLEAR: LiteralString = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"


def percentile(samples: list[float], cut: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[cut - 1] * 1000


async def prepare(database: Database, lessons: int) -> list[str]:
    await apply_schema(database)
    await database.run_schema(CLEAR)
    await database.write(lambda tx: tx.run("MERGE (:Source {id: 'bench-source'})"))
    ids = []
    for number in range(lessons):
        operation = Operation(
            action=Action.CREATE,
            kind=CuratedKind.LESSON,
            id=f"bench-lesson-{number}",
            fields={
                "statement": STATEMENT,
                "evidenceSource": "bench-source",
                "evidenceLocation": f"page {number}",
            },
        )
        await apply_now(database, operation, Actor(subject="bench"))
        ids.append(operation.id)
    return ids


def sequential_api(url: str, token: str, ids: list[str], requests: int) -> list[float]:
    """Each request edits the next lesson at the version it is known to have."""
    versions = dict.fromkeys(ids, 1)
    samples = []
    with httpx.Client(timeout=60, headers={"authorization": f"Bearer {token}"}) as client:
        for number in range(WARM_UP + requests):
            lesson_id = ids[number % len(ids)]
            started = time.perf_counter()
            answer = client.post(
                url,
                json={
                    "query": UPDATE,
                    "variables": {
                        "id": lesson_id,
                        "v": versions[lesson_id],
                        "s": f"{STATEMENT} {number}",
                    },
                },
            ).json()["data"]["updateLesson"]
            elapsed = time.perf_counter() - started
            if answer["__typename"] != "Applied":
                raise RuntimeError(f"updateLesson: {answer}")
            versions[lesson_id] += 1
            if number >= WARM_UP:
                samples.append(elapsed)
    return samples


async def sequential_cypher(database: Database, ids: list[str], requests: int) -> list[float]:
    """The same edit as one statement in a write transaction, on lessons the API run did not touch."""
    versions = dict.fromkeys(ids, 1)
    samples = []
    for number in range(WARM_UP + requests):
        lesson_id = ids[number % len(ids)]

        async def work(
            tx: AsyncManagedTransaction, lesson_id: str = lesson_id, n: int = number
        ) -> Any:
            result = await tx.run(
                PLAIN_UPDATE,
                id=lesson_id,
                version=versions[lesson_id],
                statement=f"{STATEMENT} {n}",
            )
            return await result.single(strict=True)

        started = time.perf_counter()
        await database.write(work)
        elapsed = time.perf_counter() - started
        versions[lesson_id] += 1
        if number >= WARM_UP:
            samples.append(elapsed)
    return samples


async def curators(
    url: str, token: str, ids: list[str], count: int, seconds: float
) -> tuple[list[float], int, dict[str, int]]:
    """`count` curators editing `ids` for `seconds`; latencies, conflicts and edits applied per lesson."""
    latencies: list[float] = []
    conflicts = 0
    applied: dict[str, int] = dict.fromkeys(ids, 0)
    deadline = time.monotonic() + seconds
    headers = {"authorization": f"Bearer {token}"}

    async def curator(client: httpx.AsyncClient, number: int) -> None:
        nonlocal conflicts
        rng = random.Random(number)
        attempt = 0
        while time.monotonic() < deadline:
            lesson_id = rng.choice(ids)
            read = await client.post(url, json={"query": READ, "variables": {"id": lesson_id}})
            version = read.json()["data"]["lesson"]["version"]
            while time.monotonic() < deadline:
                attempt += 1
                started = time.perf_counter()
                response = await client.post(
                    url,
                    json={
                        "query": UPDATE,
                        "variables": {
                            "id": lesson_id,
                            "v": version,
                            "s": f"{STATEMENT} {number}.{attempt}",
                        },
                    },
                    headers=headers,
                )
                latencies.append(time.perf_counter() - started)
                answer = response.json()["data"]["updateLesson"]
                if answer["__typename"] == "Applied":
                    applied[lesson_id] += 1
                    break
                if answer["__typename"] != "Conflict":
                    raise RuntimeError(f"updateLesson: {answer}")
                conflicts += 1
                version = answer["currentVersion"]  # someone got there first: retry on theirs

    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        await asyncio.gather(*(curator(client, number) for number in range(count)))
    return latencies, conflicts, applied


async def lost_updates(database: Database, applied: dict[str, int], before: dict[str, int]) -> int:
    """Applied edits the graph does not show: version increments and revisions, per lesson."""
    records = await database.read(
        "UNWIND $ids AS id MATCH (l:Lesson {id: id}) "
        "RETURN id, l.version AS version, COUNT { (r:Revision {entityId: id}) } AS revisions",
        ids=list(applied),
    )
    lost = 0
    for record in records:
        expected = before[record["id"]] + applied[record["id"]]
        lost += abs(expected - record["version"]) + abs(expected - record["revisions"])
    return lost


def run(settings: Settings, uri: str, arguments: argparse.Namespace) -> None:
    lessons = 2 * (WARM_UP + arguments.requests) + arguments.hot
    started = time.perf_counter()
    ids = asyncio.run(with_database(settings.neo4j, uri, lambda db: prepare(db, lessons)))
    print(
        f"created {lessons} lessons through the curation path in {time.perf_counter() - started:.0f}s"
    )
    half = WARM_UP + arguments.requests
    api_ids, cypher_ids, hot = ids[:half], ids[half : 2 * half], ids[2 * half :]
    token = issue_token(
        load_signing_key(Settings()), "bench-curator", [Role.COORDINATOR], ttl=timedelta(hours=2)
    )
    with api_server(uri) as url:
        api = sequential_api(url, token, api_ids, arguments.requests)
        cypher = uvloop.run(
            with_database(
                settings.neo4j,
                uri,
                lambda db: sequential_cypher(db, cypher_ids, arguments.requests),
            )
        )
        print(f"{arguments.requests} sequential edits each; milliseconds")
        print(f"{'write':<34} {'p50':>7} {'p95':>7}")
        print(
            f"{'updateLesson over HTTP':<34} {percentile(api, 50):>7.1f} {percentile(api, 95):>7.1f}"
        )
        print(
            f"{'plain Cypher SET (driver)':<34} {percentile(cypher, 50):>7.1f} {percentile(cypher, 95):>7.1f}"
        )
        ratio = percentile(api, 50) / percentile(cypher, 50)
        target = 2 * percentile(cypher, 50) + 3
        verdict = "met" if percentile(api, 50) <= target else "missed"
        print(f"p50 ratio {ratio:.2f}x; target p50 <= 2x + 3 ms = {target:.1f} ms: {verdict}")

        before = dict.fromkeys(hot, 1)
        latencies, conflicts, applied = asyncio.run(
            curators(url, token, hot, arguments.curators, arguments.seconds)
        )
    edits = sum(applied.values())
    lost = asyncio.run(
        with_database(settings.neo4j, uri, lambda db: lost_updates(db, applied, before))
    )
    print(
        f"{arguments.curators} curators on {len(hot)} lessons for {arguments.seconds:.0f}s: "
        f"{edits / arguments.seconds:.1f} applied edits/s, {conflicts} conflicts retried, "
        f"p50 {percentile(latencies, 50):.1f} ms, p99 {percentile(latencies, 99):.1f} ms, "
        f"lost updates {lost}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--curators", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--hot", type=int, default=50, help="lessons the curators share")
    arguments = parser.parse_args()
    with bench_neo4j() as (settings, uri):
        run(settings, uri, arguments)


if __name__ == "__main__":
    main()
