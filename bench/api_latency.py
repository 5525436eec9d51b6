"""Benchmark: GraphQL latency over HTTP against the same Cypher run directly, on a large graph.

Loads the synthetic graph of `bench.ingest_throughput` (default 100k commitments), serves the real
app with uvicorn in a process of its own on loopback, as `ogkg serve` does, and for search, similar,
a 50-item page with three nested relations and the coverage matrix prints p50/p95 of the API and of
its Cypher through the driver, measured in the same run, with the ratio (our API overhead).

    .venv/bin/python -m bench.api_latency                  # 100k commitments
    .venv/bin/python -m bench.api_latency --commitments 20000 --requests 50
    NEO4J_URI=... .venv/bin/python -m bench.api_latency --reuse --only similar --target ID  # a seeded graph
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpx
import uvloop

from bench.bench_neo4j import bench_neo4j, free_port
from bench.ingest_throughput import Shape, clear, synthetic_batches, write_bare
from graph import bodies, commitments, coverage, search, similar, themes
from graph.database import Database, with_database
from graph.lookups import LookupBatch
from graph.schema import apply_schema
from graph.vocabulary import JurisdictionLevel
from ingest.meaning_vectors import stand_in_vectors
from ingest.similarity import refresh_similarity
from ogkg.settings import PROJECT_ROOT, Settings

SEARCH_QUERY = """{ search(text: "open data contracting", first: 20) {
  __typename ... on Commitment { id title } ... on Body { id name } } }"""
SIMILAR_QUERY = """{ similar(to: "%s", first: 10) { score item { ... on Commitment { id } } } }"""
ELSEWHERE_QUERY = """{ similar(to: "%s", first: 10, inOtherJurisdictions: true) {
  score reasons { kind label weight } item { ... on Commitment { id title } } } }"""
PAGE_QUERY = """{ commitmentsConnection(first: 50) {
  edges { node { id title leads { name } partners { role } themes { name } } } } }"""
# Requests run before measuring each case, so the JIT and caches of a fresh server have settled.
WARM_UP = 20
COVERAGE_QUERY = """{ coverage(level: COUNTRY, scheme: "synthetic") { rows { counts } } }"""


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000


async def direct_page(database: Database) -> None:
    page = await commitments.commitments_page(
        database, commitments.CommitmentFilter(), commitments.CommitmentSort.PLAN_AND_NUMBER, 0, 51
    )
    ids = [c.id for c in page[:50]]
    batch = LookupBatch(database)  # the same one combined query the API sends
    await asyncio.gather(
        batch.load(bodies.LEADS_BY_COMMITMENT_ID, ids),
        batch.load(bodies.PARTNERSHIPS_BY_COMMITMENT_ID, ids),
        batch.load(themes.THEMES_BY_COMMITMENT_ID, ids),
    )


async def time_direct(work: Callable[[], Awaitable[Any]], requests: int) -> list[float]:
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        await work()
        samples.append(time.perf_counter() - started)
    return samples


def time_api(client: httpx.Client, url: str, query: str, requests: int) -> list[float]:
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.post(url, json={"query": query})
        samples.append(time.perf_counter() - started)
        body = response.json()
        if response.status_code != 200 or "errors" in body:
            raise RuntimeError(f"{query[:40]}…: {body}")
    return samples


async def load(database: Database, shape: Shape) -> None:
    await apply_schema(database)
    await clear(database)
    for batch in synthetic_batches(shape):
        await write_bare(database, batch)
    # What `similar` compares, stored as `ogkg seed` stores it (no theme rules match the synthetic words).
    # Its meaning vectors are stand-ins: the model would take hours over 100k synthetic texts.
    await refresh_similarity(database, PROJECT_ROOT / "seeds", encode=stand_in_vectors)
    await apply_schema(database)  # waits for the full-text indexes to catch up


@contextmanager
def api_server(uri: str, settings: Mapping[str, str] | None = None) -> Iterator[str]:
    """The real app served by uvicorn in its own process, as in production; its GraphQL URL.

    `settings`: more `OGKG_` environment settings for the server, beside the URI and limits.
    """
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "--factory", "api.app:app_from_environment"]
    options = ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--ws", "none"]
    # One client sending many requests: the per-client limits would measure themselves.
    environment = {
        **os.environ,
        "NEO4J_URI": uri,
        "OGKG_RATE_LIMIT": "off",
        "OGKG_MUTATION_RATE_LIMIT": "off",
        **(settings or {}),
    }
    process = subprocess.Popen([*command, *options], env=environment)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the API server did not start")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/graphql"
    finally:
        process.terminate()
        process.wait(timeout=30)


def run(
    settings: Settings,
    uri: str,
    shape: Shape,
    requests: int,
    *,
    only: set[str],
    reuse: bool,
    target: str | None = None,
) -> None:
    if reuse:
        asyncio.run(with_database(settings.neo4j, uri, apply_schema))
    else:
        started = time.perf_counter()
        asyncio.run(with_database(settings.neo4j, uri, lambda database: load(database, shape)))
        print(
            f"loaded {shape.commitments} commitments, {shape.bodies} bodies in {time.perf_counter() - started:.0f}s"
        )

    async def direct(work: Callable[[Database], Awaitable[Any]]) -> list[float]:
        async def measure(database: Database) -> list[float]:
            await time_direct(lambda: work(database), WARM_UP)
            return await time_direct(lambda: work(database), requests)

        return await with_database(settings.neo4j, uri, measure)

    target = target or f"c{shape.commitments // 2}"
    cases: list[tuple[str, str, Callable[[Database], Awaitable[Any]]]] = [
        ("search", SEARCH_QUERY, lambda db: search.search(db, "open data contracting", 20)),
        ("similar", SIMILAR_QUERY % target, lambda db: similar.similar(db, target, 10, False)),
        (
            "similar elsewhere",
            ELSEWHERE_QUERY % target,
            lambda db: similar.similar(db, target, 10, True),
        ),
        ("50-item page, 3 relations", PAGE_QUERY, direct_page),
        (
            "coverage matrix",
            COVERAGE_QUERY,
            lambda db: coverage.coverage(db, JurisdictionLevel.COUNTRY, "synthetic"),
        ),
    ]
    print(f"{requests} requests each; milliseconds")
    print(
        f"{'query':<28} {'api p50':>8} {'api p95':>8} {'cypher p50':>11} {'cypher p95':>11} {'p50 ratio':>10}"
    )
    with api_server(uri) as url, httpx.Client(timeout=60) as client:
        for name, query, work in cases:
            if only and name.split()[0] not in only:
                continue
            time_api(client, url, query, WARM_UP)
            api = percentiles(time_api(client, url, query, requests))
            # The event loop the server runs on (uvicorn picks uvloop), so only the API differs.
            cypher = percentiles(uvloop.run(direct(work)))
            print(
                f"{name:<28} {api[0]:>8.1f} {api[1]:>8.1f} {cypher[0]:>11.1f} {cypher[1]:>11.1f} "
                f"{api[0] / cypher[0]:>9.2f}x"
            )
    print("targets: API p50 <= 1.5x direct Cypher + 3 ms; similar p95 <= 100 ms at 100k items")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--commitments", type=int, default=100_000)
    parser.add_argument("--bodies", type=int, default=20_000)
    parser.add_argument("--jurisdictions", type=int, default=500)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument(
        "--only",
        nargs="*",
        default=[],
        help="cases to run: search similar 50-item coverage (default all)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the graph already in NEO4J_URI (loaded by an earlier run) instead of loading",
    )
    parser.add_argument(
        "--target",
        help="the item `similar` starts from (default the synthetic graph's middle commitment; "
        "with --reuse on a seeded graph, a real id such as uk-nations-l03)",
    )
    arguments = parser.parse_args()
    shape = Shape(arguments.commitments, arguments.bodies, arguments.jurisdictions)
    with bench_neo4j() as (settings, uri):
        run(
            settings,
            uri,
            shape,
            arguments.requests,
            only=set(arguments.only),
            reuse=arguments.reuse,
            target=arguments.target,
        )


if __name__ == "__main__":
    main()
