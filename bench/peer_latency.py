"""Benchmark: ogkg against @neo4j/graphql (the peer) asking the same questions of the same Neo4j.

Loads the seed graph (`--graph seed`, through `ogkg seed`) or the synthetic graph of
`bench.ingest_throughput` (`--graph synthetic`, 100k commitments), serves ogkg with uvicorn in a process
of its own and the peer (`bench/peer/server.mjs`: @neo4j/graphql 7 on graphql-yoga, type definitions
in `bench/peer/schema.graphql`) in a node process, both on loopback over that one Neo4j. For each
question it checks that both answers carry the same ids (the two do equal work), then prints p50/p95
of sequential requests and the ratio ogkg / peer; then requests per second of each at 16 concurrent
clients on the first question, and, on the seed graph, the plan dump as one plain Cypher query
through the driver beside both.

    .venv/bin/python -m bench.peer_latency                       # the seed graph
    .venv/bin/python -m bench.peer_latency --graph synthetic     # 100k commitments
    NEO4J_URI=bolt://127.0.0.1:7690 .venv/bin/python -m bench.peer_latency --reuse   # graph loaded before

Starts a throw-away local Neo4j unless NEO4J_URI is set (whose graph it clears, unless --reuse).
Needs Node.js and npm: `npm ci --prefix bench/peer` runs on the first use.
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, LiteralString

import httpx
import uvloop

from bench.api_latency import api_server, load, percentiles
from bench.bench_neo4j import bench_neo4j, free_port
from bench.ingest_throughput import Shape, clear
from graph.database import Database, with_database
from graph.schema import apply_schema
from ogkg.settings import Settings

PEER = Path(__file__).parent / "peer"
# Requests run before measuring each case, so the JIT and caches of a fresh server have settled.
WARM_UP = 10
CONCURRENT_CLIENTS = 16
UNLIMITED_COST = 100_000_000


@dataclass(frozen=True)
class Case:
    """One question, as ogkg's schema and as the peer's spell it; both take the same variables."""

    name: str
    ogkg: str
    peer: str
    graphs: frozenset[str] = frozenset({"seed", "synthetic"})
    # Large answers: measured with a tenth of the requests.
    heavy: bool = False


PEER_PARTNERS = """partnersConnection(sort: [{edge: {role: ASC}}, {node: {name: ASC}}]) {
  edges { properties { role } node { id name } } }"""

CASES = [
    Case(
        "one commitment: plan, leads+places, partners",
        """query ($commitment: ID!) { commitment(id: $commitment) { id title
  actionPlan { id title } leads { id name jurisdiction { id name } }
  partners { role body { id name } } } }""",
        """query ($commitment: ID!) { commitments(where: {id: {eq: $commitment}}) { id title
  actionPlan { id title } leads(sort: [{name: ASC}]) { id name jurisdiction { id name } }
  """
        + PEER_PARTNERS
        + " } }",
    ),
    Case(
        "a plan's page of 50: leads, partners, themes",
        """query ($plan: ID!) { commitmentsConnection(first: 50, plan: $plan) { edges { node {
  id title leads { id name } partners { role body { id name } } themes { id name } } } } }""",
        # From the plan, as its commitments' filter `actionPlan: {some: …}` scans every commitment.
        """query ($plan: ID!) { actionPlans(where: {id: {eq: $plan}}) {
  commitments(limit: 50, sort: [{number: ASC}, {id: ASC}]) {
  id title leads(sort: [{name: ASC}]) { id name }
  """
        + PEER_PARTNERS
        + " themes(sort: [{name: ASC}]) { id name } } } }",
    ),
    Case(
        "all bodies (id, name, kind)",
        "{ bodies { id name kind } }",
        "{ bodies(sort: [{name: ASC}, {id: ASC}]) { id name kind } }",
        heavy=True,
    ),
    Case(
        "plan dump: plans > commitments > leads, partners",
        """{ actionPlans { id title commitments { id title leads { id name }
  partners { role body { id name } } } } }""",
        """{ actionPlans(sort: [{id: ASC}]) { id title
  commitments(sort: [{number: ASC}, {id: ASC}]) { id title leads(sort: [{name: ASC}]) { id name }
  """
        + PEER_PARTNERS
        + " } } }",
        graphs=frozenset({"seed"}),
        heavy=True,
    ),
    Case(
        "one body: place, leads, partnerships",
        """query ($body: ID!) { body(id: $body) { id name kind jurisdiction { id name }
  leads { id title } partnerIn { role commitment { id title } } } }""",
        """query ($body: ID!) { bodies(where: {id: {eq: $body}}) { id name kind
  jurisdiction { id name } leads(sort: [{id: ASC}]) { id title }
  partnerInConnection(sort: [{node: {id: ASC}}, {edge: {role: ASC}}]) {
  edges { properties { role } node { id title } } } } }""",
    ),
    Case(
        "a page of 50 bodies: place, leads",
        """{ bodiesConnection(first: 50) { edges { node { id name kind
  jurisdiction { id name } leads { id title } } } } }""",
        """{ bodiesConnection(first: 50, sort: [{name: ASC}, {id: ASC}]) { edges { node {
  id name kind jurisdiction { id name } leads(sort: [{id: ASC}]) { id title } } } } }""",
    ),
    Case(
        "all jurisdictions (id, name, level)",
        "{ jurisdictions { id name level } }",
        "{ jurisdictions(sort: [{name: ASC}, {id: ASC}]) { id name level } }",
    ),
]

# The plan dump's projection as one Cypher query: what the driver alone costs.
PLAN_DUMP_CYPHER: LiteralString = """
MATCH (p:ActionPlan) WITH p ORDER BY p.id
RETURN p {.id, .title, commitments: COLLECT {
  MATCH (p)-[:HAS_COMMITMENT]->(c:Commitment) WITH c ORDER BY c.number, c.id
  RETURN c {.id, .title,
    leads: COLLECT { MATCH (b:Body)-[:LEADS]->(c) WITH b ORDER BY b.name RETURN b {.id, .name} },
    partners: COLLECT { MATCH (b:Body)-[r:PARTNERS_IN]->(c) WITH b, r ORDER BY r.role, b.name
                        RETURN {role: r.role, body: b {.id, .name}} } } } } AS plan
"""

# The items the questions are about: ones that have every relation the questions ask for.
TARGETS: LiteralString = """
CALL { MATCH (:ActionPlan)-[:HAS_COMMITMENT]->(c:Commitment)
       WHERE EXISTS { (:Body)-[:LEADS]->(c) } AND EXISTS { (:Body)-[:PARTNERS_IN]->(c) }
       RETURN c.id AS commitment ORDER BY c.id LIMIT 1 }
CALL { MATCH (p:ActionPlan)
       RETURN p.id AS plan ORDER BY COUNT { (p)-[:HAS_COMMITMENT]->(:Commitment) } DESC, p.id
       LIMIT 1 }
CALL { MATCH (b:Body)
       WHERE EXISTS { (b)-[:LEADS]->(:Commitment) } AND EXISTS { (b)-[:PARTNERS_IN]->(:Commitment) }
       RETURN b.id AS body ORDER BY COUNT { (b)-[:LEADS|PARTNERS_IN]->(:Commitment) } DESC, b.id
       LIMIT 1 }
RETURN commitment, plan, body
"""


def ids(answer: Any) -> Counter[str]:
    """Every `id` anywhere in an answer, with how often it occurs."""
    found: Counter[str] = Counter()
    if isinstance(answer, dict):
        for key, value in answer.items():
            if key == "id" and isinstance(value, str):
                found[value] += 1
            else:
                found += ids(value)
    elif isinstance(answer, list):
        for item in answer:
            found += ids(item)
    return found


def ask(client: httpx.Client, url: str, query: str, variables: dict[str, str]) -> Any:
    response = client.post(url, json={"query": query, "variables": variables})
    body = response.json()
    if response.status_code != 200 or "errors" in body:
        raise RuntimeError(f"{url}: {query[:60]}…: {json.dumps(body)[:400]}")
    return body["data"]


def check_same_ids(case: Case, ours: Any, theirs: Any) -> int:
    """The number of ids both answers carry; raises if they differ (they would not do equal work)."""
    mine, peer = ids(ours), ids(theirs)
    if not mine or mine != peer:
        only_ours = list((mine - peer).items())[:5]
        only_peer = list((peer - mine).items())[:5]
        raise RuntimeError(
            f"{case.name}: the answers differ; only ogkg: {only_ours}, only the peer: {only_peer}"
        )
    return sum(mine.values())


def time_requests(
    client: httpx.Client, url: str, query: str, variables: dict[str, str], requests: int
) -> list[float]:
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        ask(client, url, query, variables)
        samples.append(time.perf_counter() - started)
    return samples


async def throughput(url: str, query: str, variables: dict[str, str], seconds: float) -> float:
    """Answers per second with CONCURRENT_CLIENTS clients each sending one request after another."""
    payload = {"query": query, "variables": variables}
    limits = httpx.Limits(max_connections=CONCURRENT_CLIENTS)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:

        async def one_client(until: float) -> int:
            answered = 0
            while time.perf_counter() < until:
                response = await client.post(url, json=payload)
                if response.status_code != 200 or "errors" in response.json():
                    raise RuntimeError(f"{url}: {response.text[:400]}")
                answered += 1
            return answered

        await asyncio.gather(*(one_client(time.perf_counter() + 2) for _ in range(4)))  # warm
        started = time.perf_counter()
        counts = await asyncio.gather(
            *(one_client(started + seconds) for _ in range(CONCURRENT_CLIENTS))
        )
        return sum(counts) / (time.perf_counter() - started)


def install_peer() -> None:
    """`npm ci` into bench/peer when its node_modules is missing or older than the lock file."""
    stamp = PEER / "node_modules" / ".installed-stamp"
    lock = PEER / "package-lock.json"
    if stamp.exists() and stamp.stat().st_mtime >= lock.stat().st_mtime:
        return
    command = ["npm", "ci", "--prefix", str(PEER), "--no-audit", "--no-fund", "--loglevel=error"]
    subprocess.run(command, check=True)
    stamp.touch()


@contextmanager
def peer_server(settings: Settings, uri: str) -> Iterator[str]:
    """@neo4j/graphql served by graphql-yoga in a node process of its own; its GraphQL URL."""
    install_peer()
    port = free_port()
    environment = {**os.environ, "NEO4J_URI": uri, "PORT": str(port)}
    if settings.neo4j.password is not None:
        environment |= {
            "NEO4J_USER": settings.neo4j.user,
            "NEO4J_PASSWORD": settings.neo4j.password,
        }
    server = ["node", str(PEER / "server.mjs")]
    process = subprocess.Popen(server, env=environment, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.post(url, json={"query": "{ __typename }"}, timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the peer server did not start")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def load_seed(settings: Settings, uri: str) -> None:
    """An empty graph, then `ogkg seed` run as a command, as a deployment loads it."""
    asyncio.run(with_database(settings.neo4j, uri, clear))
    environment = {**os.environ, "NEO4J_URI": uri}
    command = [sys.executable, "-m", "ogkg.cli", "seed"]
    subprocess.run(command, env=environment, check=True, stdout=subprocess.DEVNULL)


def time_plain_cypher(settings: Settings, uri: str, requests: int) -> tuple[Any, list[float]]:
    """The plan dump's answer as one Cypher query through the driver, and its timings."""

    async def measure(database: Database) -> tuple[Any, list[float]]:
        samples, plans = [], []
        for attempt in range(WARM_UP + requests):
            started = time.perf_counter()
            plans = [record["plan"] for record in await database.read(PLAN_DUMP_CYPHER)]
            if attempt >= WARM_UP:
                samples.append(time.perf_counter() - started)
        return plans, samples

    async def run() -> tuple[Any, list[float]]:
        return await with_database(settings.neo4j, uri, measure)

    return uvloop.run(run())


def run(arguments: argparse.Namespace) -> bool:
    """Load, serve both, measure; False if a case could not be compared."""
    with bench_neo4j() as (settings, uri):
        started = time.perf_counter()
        if arguments.reuse:
            asyncio.run(with_database(settings.neo4j, uri, apply_schema))
        elif arguments.graph == "seed":
            load_seed(settings, uri)
        else:
            shape = Shape(arguments.commitments, arguments.bodies, arguments.jurisdictions)
            asyncio.run(with_database(settings.neo4j, uri, lambda database: load(database, shape)))
        print(f"graph ready ({arguments.graph}) in {time.perf_counter() - started:.0f}s")
        records = asyncio.run(
            with_database(settings.neo4j, uri, lambda database: database.read(TARGETS))
        )
        variables = {key: str(records[0][key]) for key in ("commitment", "plan", "body")}
        print(f"targets: {variables}", flush=True)
        cases = [
            case
            for case in CASES
            if arguments.graph in case.graphs
            and (not arguments.only or any(word in case.name for word in arguments.only))
        ]
        # The peer has no cost limit and the plan dump is over ogkg's default: this measures reads.
        os.environ.setdefault("OGKG_MAX_QUERY_COST", str(UNLIMITED_COST))
        with (
            api_server(uri) as ogkg_url,
            peer_server(settings, uri) as peer_url,
            httpx.Client(timeout=120) as client,
        ):
            compared = measure(
                client, (ogkg_url, peer_url), cases, variables, requests=arguments.requests
            )
            dump = next((case for case in cases if case.name.startswith("plan dump")), None)
            if dump is not None:
                plans, samples = time_plain_cypher(settings, uri, max(5, arguments.requests // 10))
                # The same projection: the ids the peer answers with (it is never refused).
                check_same_ids(dump, plans, ask(client, peer_url, dump.peer, variables))
                cypher = percentiles(samples)
                print(
                    f"{'plan dump as one plain Cypher query':<48} {cypher[0]:>8.1f} {cypher[1]:>8.1f}"
                    "   (through the driver: the floor)"
                )
            if arguments.seconds > 0:
                first = CASES[0]
                print(f"\nthroughput, {CONCURRENT_CLIENTS} concurrent clients, {first.name}:")
                ours = uvloop.run(throughput(ogkg_url, first.ogkg, variables, arguments.seconds))
                theirs = uvloop.run(throughput(peer_url, first.peer, variables, arguments.seconds))
                print(f"  ogkg {ours:.1f}/s, peer {theirs:.1f}/s, ogkg / peer {ours / theirs:.2f}x")
    print(
        "targets: every case p50 <= 1.0x the peer; throughput >= 1.5x the peer; "
        "plan dump <= 2x its plain Cypher"
    )
    return compared


def measure(
    client: httpx.Client,
    urls: tuple[str, str],
    cases: list[Case],
    variables: dict[str, str],
    *,
    requests: int,
) -> bool:
    """Check and time each case on both servers (ogkg's URL, the peer's); one line per case.

    A case either server refuses, or whose answers differ, is reported and skipped: False then.
    """
    ogkg_url, peer_url = urls
    print(f"{requests} requests a case (heavy ones a tenth); milliseconds")
    print(
        f"{'question':<48} {'ogkg p50':>8} {'ogkg p95':>8} {'peer p50':>8} {'peer p95':>8} "
        f"{'p50 ratio':>9} {'ids':>7}"
    )
    compared = True
    for case in cases:
        try:
            count = check_same_ids(
                case,
                ask(client, ogkg_url, case.ogkg, variables),
                ask(client, peer_url, case.peer, variables),
            )
        except RuntimeError as error:
            print(f"{case.name:<48} not compared: {error}")
            compared = False
            continue
        runs = max(5, requests // 10) if case.heavy else requests
        timings = []
        for url, query in ((ogkg_url, case.ogkg), (peer_url, case.peer)):
            time_requests(client, url, query, variables, min(WARM_UP, runs))
            timings.append(percentiles(time_requests(client, url, query, variables, runs)))
        (ours, theirs) = timings
        print(
            f"{case.name:<48} {ours[0]:>8.1f} {ours[1]:>8.1f} {theirs[0]:>8.1f} {theirs[1]:>8.1f} "
            f"{ours[0] / theirs[0]:>8.2f}x {count:>7}",
            flush=True,
        )
    return compared


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--graph", choices=["seed", "synthetic"], default="seed")
    parser.add_argument("--commitments", type=int, default=100_000, help="synthetic graph only")
    parser.add_argument("--bodies", type=int, default=20_000, help="synthetic graph only")
    parser.add_argument("--jurisdictions", type=int, default=500, help="synthetic graph only")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument(
        "--seconds", type=float, default=10, help="how long each throughput run lasts (0: none)"
    )
    parser.add_argument(
        "--only", nargs="*", default=[], help="cases whose name contains one of these words"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the graph already in NEO4J_URI (loaded by an earlier run) instead of loading",
    )
    sys.exit(0 if run(parser.parse_args()) else 1)


if __name__ == "__main__":
    main()
