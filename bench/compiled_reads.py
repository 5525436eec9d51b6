"""Benchmark: the issue's four questions through compiled reads, through resolvers, and as plain Cypher.

On the seed graph and on the synthetic graph of `bench.ingest_throughput`, serves the real app
twice with uvicorn (`OGKG_COMPILED_READS` on and off) and prints p50/p95 of: one commitment with
its plan, leads (with their jurisdictions) and partners; a 50-commitment page with leads, partners
and themes; all bodies (id, name, kind); every plan with its commitments, leads and partners. The
plain-Cypher column runs the very statement the compiled path sends, through the driver.

    .venv/bin/python -m bench.compiled_reads                       # seeds, then 100k commitments
    .venv/bin/python -m bench.compiled_reads --commitments 20000 --requests 20
"""

import argparse
import asyncio
import time
from contextlib import AbstractContextManager
from typing import Any

import httpx
import uvloop

from api.compiled_reads import statements_for
from api.schema import build_schema
from bench.api_latency import api_server, load, percentiles
from bench.bench_neo4j import bench_neo4j
from bench.ingest_throughput import Shape, clear
from graph.database import Database, with_database
from graph.schema import apply_schema
from ingest.loader import load_seeds
from ogkg.settings import PROJECT_ROOT, Settings

ONE_COMMITMENT = """query One($id: ID!) { commitment(id: $id) {
  id code title actionPlan { id title periodStart periodEnd }
  leads { id name kind jurisdiction { id name level } }
  partners { role body { id name } } } }"""
PAGE_OF_50 = """{ commitmentsConnection(first: 50) {
  edges { node { id title leads { id name } partners { role body { id name } }
  themes { id name } } } pageInfo { hasNextPage endCursor } } }"""
ALL_BODIES = "{ bodies { id name kind } }"
EVERY_PLAN = """{ actionPlans { id title commitments { id code title
  leads { id name } partners { role body { id name } } } } }"""
WARM_UP = 5
A_COMMITMENT = (
    "MATCH (:Body)-[:PARTNERS_IN]->(c:Commitment)<-[:LEADS]-(:Body) RETURN c.id AS id LIMIT 1"
)


def compiled_server(uri: str, compiled: bool) -> AbstractContextManager[str]:
    """The app served by uvicorn in its own process, with compiled reads on or off; its GraphQL URL."""
    return api_server(
        uri,
        {
            "OGKG_MAX_QUERY_COST": "100000000",
            "OGKG_COMPILED_READS": "true" if compiled else "false",
        },
    )


def time_api(
    client: httpx.Client, url: str, query: str, variables: dict[str, Any], requests: int
) -> list[float]:
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.post(url, json={"query": query, "variables": variables})
        samples.append(time.perf_counter() - started)
        if response.status_code != 200 or "errors" in response.json():
            raise RuntimeError(f"{query[:40]}…: {response.text[:500]}")
    return samples


def time_cypher(settings: Settings, uri: str, query: str, variables: dict[str, Any], n: int) -> Any:
    statements = statements_for(build_schema()._schema, query, variables)
    assert statements is not None, query

    async def measure(database: Database) -> list[float]:
        samples = []
        warm_up = min(WARM_UP, n - 2)
        for _ in range(n + warm_up):
            started = time.perf_counter()
            for statement in statements:
                await database.read(statement.cypher, **statement.parameters)
            samples.append(time.perf_counter() - started)
        return samples[warm_up:]

    return uvloop.run(with_database(settings.neo4j, uri, measure))


def measure(settings: Settings, uri: str, name: str, requests: int, dump_requests: int) -> None:
    async def a_commitment(database: Database) -> str:
        return str((await database.read(A_COMMITMENT))[0]["id"])

    target = asyncio.run(with_database(settings.neo4j, uri, a_commitment))
    cases = [
        ("one commitment", ONE_COMMITMENT, {"id": target}, requests),
        ("50-commitment page", PAGE_OF_50, {}, requests),
        ("all bodies", ALL_BODIES, {}, requests),
        ("every plan's commitments", EVERY_PLAN, {}, dump_requests),
    ]
    print(f"\n{name}: milliseconds (p50 / p95)")
    header = f"{'question':<26} {'compiled':>15} {'resolvers':>17} {'cypher':>15} {'res/comp':>9} {'comp/cypher':>12}"
    print(header)
    with (
        compiled_server(uri, compiled=True) as compiled_url,
        compiled_server(uri, compiled=False) as resolver_url,
        httpx.Client(timeout=600) as client,
    ):
        for label, query, variables, n in cases:
            figures = []
            for url in (compiled_url, resolver_url):
                time_api(client, url, query, variables, min(WARM_UP, n - 2))
                figures.append(percentiles(time_api(client, url, query, variables, n)))
            figures.append(percentiles(time_cypher(settings, uri, query, variables, n)))
            (c50, c95), (r50, r95), (d50, d95) = figures
            print(
                f"{label:<26} {c50:>7.1f} /{c95:>6.1f} {r50:>8.1f} /{r95:>7.1f} "
                f"{d50:>7.1f} /{d95:>6.1f} {r50 / c50:>8.1f}x {c50 / d50:>11.2f}x",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--commitments", type=int, default=100_000)
    parser.add_argument("--bodies", type=int, default=20_000)
    parser.add_argument("--jurisdictions", type=int, default=500)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument(
        "--dump-requests",
        type=int,
        default=2,
        help="requests for the every-plan dump on the synthetic graph (each one all commitments)",
    )
    parser.add_argument("--skip-synthetic", action="store_true")
    arguments = parser.parse_args()
    with bench_neo4j() as (settings, uri):

        async def seeds(database: Database) -> None:
            await apply_schema(database)
            await clear(database)
            await load_seeds(database, PROJECT_ROOT / "seeds")

        asyncio.run(with_database(settings.neo4j, uri, seeds))
        measure(settings, uri, "seed graph", arguments.requests, arguments.requests)
        if arguments.skip_synthetic:
            return
        shape = Shape(arguments.commitments, arguments.bodies, arguments.jurisdictions)
        started = time.perf_counter()
        asyncio.run(with_database(settings.neo4j, uri, lambda database: load(database, shape)))
        print(
            f"\nloaded {shape.commitments} synthetic commitments in {time.perf_counter() - started:.0f}s"
        )
        measure(
            settings,
            uri,
            f"synthetic graph, {shape.commitments} commitments",
            arguments.requests,
            arguments.dump_requests,
        )


if __name__ == "__main__":
    main()
