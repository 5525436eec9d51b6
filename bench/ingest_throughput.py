"""Benchmark: ogkg's ingest path against bare `UNWIND` statements, on a synthetic graph.

Both paths write the same rows (the real data's shape) in the same run, after a warm-up of each;
the script prints throughput, the ratio of the two and this process's peak memory.

    .venv/bin/python -m bench.ingest_throughput                 # 100k commitments, ~1M rows
    .venv/bin/python -m bench.ingest_throughput --commitments 20000

Uses NEO4J_URI if set (the graph is cleared!), else starts a throw-away local Neo4j.
"""

import argparse
import asyncio
import random
import resource
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from bench.bench_neo4j import bench_neo4j
from graph.database import Database, open_driver
from graph.models import Source
from graph.relationships import (
    BODY_BASED_IN,
    BODY_LEADS,
    BODY_PARTNERS_IN,
    COMMITMENT_HAS_THEME,
    PLAN_FOR_JURISDICTION,
    PLAN_HAS_COMMITMENT,
)
from graph.schema import apply_schema
from graph.vocabulary import Label
from graph.writes import GraphBatch, NodeRow, RelationshipRow, write_batch
from ogkg.settings import Settings

WORDS = [
    "open",
    "data",
    "contracting",
    "budget",
    "transparency",
    "participation",
    "accountability",
    "procurement",
    "council",
    "citizens",
    "information",
    "publish",
    "register",
    "grants",
    "audit",
    "integrity",
    "access",
    "records",
    "beneficial",
    "ownership",
    "extractive",
    "forum",
    "dialogue",
    "digital",
    "service",
    "standard",
    "local",
    "national",
]


@dataclass(frozen=True)
class Shape:
    """How big the synthetic graph is; defaults follow the issue (100k, 20k, 500)."""

    commitments: int
    bodies: int
    jurisdictions: int
    themes: int = 250
    commitments_per_plan: int = 20
    commitments_per_batch: int = 5000


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _source(name: str) -> Source:
    return Source(id=name, title=name, path=f"{name}.synthetic", checksum="0" * 64)


def synthetic_batches(shape: Shape, seed: int = 7) -> Iterator[GraphBatch]:
    """Reference data first, then commitments in batches; nothing is held beyond one batch."""
    rng = random.Random(seed)
    reference = GraphBatch(_source("synthetic-reference"))
    for j in range(shape.jurisdictions):
        reference.add_node(
            Label.JURISDICTION,
            NodeRow(
                id=f"j{j}",
                properties={"name": f"Place {j}", "level": "country", "aliases": []},
                location=f"line {j + 2}",
            ),
        )
    for t in range(shape.themes):
        reference.add_node(
            Label.THEME,
            NodeRow(
                id=f"t{t}",
                properties={"name": _text(rng, 2), "scheme": "synthetic"},
                location=f"line {t + 2}",
            ),
        )
    for b in range(shape.bodies):
        location = f"line {b + 2}"
        reference.add_node(
            Label.BODY,
            NodeRow(
                id=f"b{b}",
                properties={
                    "name": f"{_text(rng, 3)} {b}",
                    "kind": "government_body",
                    "aliases": [],
                },
                location=location,
            ),
        )
        reference.add_relationship(
            BODY_BASED_IN,
            RelationshipRow(
                start_id=f"b{b}", end_id=f"j{b % shape.jurisdictions}", location=location
            ),
        )
    yield reference
    for first in range(0, shape.commitments, shape.commitments_per_batch):
        batch = GraphBatch(_source(f"synthetic-commitments-{first}"))
        for c in range(first, min(first + shape.commitments_per_batch, shape.commitments)):
            location = f"line {c - first + 3}"
            plan = c // shape.commitments_per_plan
            plan_id, commitment_id = f"p{plan}", f"c{c}"
            if not batch.has_node(Label.ACTION_PLAN, plan_id):
                batch.add_node(
                    Label.ACTION_PLAN,
                    NodeRow(
                        id=plan_id,
                        properties={
                            "number": plan % 5 + 1,
                            "title": f"Plan {plan}",
                            "periodStart": 2011 + plan % 8,
                        },
                        location=location,
                    ),
                )
                batch.add_relationship(
                    PLAN_FOR_JURISDICTION,
                    RelationshipRow(
                        start_id=plan_id, end_id=f"j{plan % shape.jurisdictions}", location=location
                    ),
                )
            batch.add_node(
                Label.COMMITMENT,
                NodeRow(
                    id=commitment_id,
                    properties={
                        "number": c % shape.commitments_per_plan + 1,
                        "code": str(c % shape.commitments_per_plan + 1),
                        "title": _text(rng, 8),
                        "shortTitle": _text(rng, 3),
                        "fullText": _text(rng, 60),
                        "specificity": rng.choice(["low", "medium", "high"]),
                        "potentialImpact": rng.choice(["minor", "moderate", "transformative"]),
                        "completionProgressReport": rng.choice(
                            ["limited", "substantial", "complete"]
                        ),
                        "irmAssessed": True,
                        "yearOfSubmission": 2011 + plan % 8,
                    },
                    location=location,
                ),
            )
            batch.add_relationship(
                PLAN_HAS_COMMITMENT,
                RelationshipRow(start_id=plan_id, end_id=commitment_id, location=location),
            )
            for body in rng.sample(range(shape.bodies), 2):
                batch.add_relationship(
                    BODY_LEADS,
                    RelationshipRow(start_id=f"b{body}", end_id=commitment_id, location=location),
                )
            for body in rng.sample(range(shape.bodies), 1):
                batch.add_relationship(
                    BODY_PARTNERS_IN,
                    RelationshipRow(
                        start_id=f"b{body}",
                        end_id=commitment_id,
                        key="supporting",
                        properties={"role": "supporting"},
                        location=location,
                    ),
                )
            for theme in rng.sample(range(shape.themes), 5):
                batch.add_relationship(
                    COMMITMENT_HAS_THEME,
                    RelationshipRow(start_id=commitment_id, end_id=f"t{theme}", location=location),
                )
        yield batch


# -- the bare path: the same rows, one plain UNWIND statement per label or type ------------------


def bare_nodes_query(label: Label) -> LiteralString:
    return f"UNWIND $rows AS row MERGE (n:{label.value} {{id: row.id}}) SET n += row.properties"


def bare_relationships_query(
    rel: str, start: Label, end: Label, key: LiteralString | None
) -> LiteralString:
    key_pattern = f" {{{key}: row.key}}" if key else ""
    return (
        f"UNWIND $rows AS row MATCH (a:{start.value} {{id: row.start_id}}) "
        f"MATCH (b:{end.value} {{id: row.end_id}}) "
        f"MERGE (a)-[r:{rel}{key_pattern}]->(b) SET r += row.properties"
    )


async def write_bare(database: Database, batch: GraphBatch, chunk: int = 5000) -> None:
    async def work(tx: AsyncManagedTransaction) -> None:
        for label, rows in batch.nodes.items():
            data = [{"id": r.id, "properties": r.properties} for r in rows.values()]
            for i in range(0, len(data), chunk):
                await (await tx.run(bare_nodes_query(label), rows=data[i : i + chunk])).consume()
        for spec, rels in batch.relationships.items():
            query = bare_relationships_query(
                spec.type.value, spec.start, spec.end, spec.key_property
            )
            relationship_rows: list[dict[str, Any]] = [
                {
                    "start_id": r.start_id,
                    "end_id": r.end_id,
                    "key": r.key,
                    "properties": r.properties,
                }
                for r in rels.values()
            ]
            for i in range(0, len(relationship_rows), chunk):
                await (await tx.run(query, rows=relationship_rows[i : i + chunk])).consume()

    await database.write(work)


CLEAR_SOME_RELATIONSHIPS: LiteralString = (
    "MATCH ()-[r]->() WITH r LIMIT 20000 DELETE r RETURN count(*) AS deleted"
)
CLEAR_SOME_NODES: LiteralString = "MATCH (n) WITH n LIMIT 20000 DELETE n RETURN count(*) AS deleted"


async def clear(database: Database) -> None:
    """Empty the graph a few thousand nodes per transaction, within any memory limit."""
    for statement in (CLEAR_SOME_RELATIONSHIPS, CLEAR_SOME_NODES):

        async def delete_some(
            tx: AsyncManagedTransaction, statement: LiteralString = statement
        ) -> int:
            record = await (await tx.run(statement)).single(strict=True)
            return int(record["deleted"])

        while await database.write(delete_some):
            pass


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Run:
    rows: int = 0
    seconds: float = 0.0
    peak_rss_after_first_batch: float = 0.0
    peak_rss: float = 0.0

    @property
    def per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


async def measure(database: Database, shape: Shape, bare: bool) -> Run:
    await clear(database)
    run = Run()
    for index, batch in enumerate(synthetic_batches(shape)):
        rows = batch.row_count()
        started = time.perf_counter()
        if bare:
            await write_bare(database, batch)
        else:
            await write_batch(database, batch)
        run.seconds += time.perf_counter() - started
        run.rows += rows
        if index == 1:
            run.peak_rss_after_first_batch = rss_mib()
    run.peak_rss = rss_mib()
    return run


async def bench(settings: Settings, uri: str, shape: Shape) -> None:
    driver = open_driver(settings.neo4j, uri)
    database = Database(driver, settings.neo4j.database)
    try:
        await apply_schema(database)
        warm_up = Shape(
            min(shape.commitments, 5000), min(shape.bodies, 1000), min(shape.jurisdictions, 50)
        )
        await measure(database, warm_up, bare=True)
        await measure(database, warm_up, bare=False)
        bare = await measure(database, shape, bare=True)
        ogkg = await measure(database, shape, bare=False)
        await clear(database)
    finally:
        await driver.close()
    print(
        f"shape: {shape.commitments} commitments, {shape.bodies} bodies, {shape.jurisdictions} jurisdictions, "
        f"{shape.themes} themes, {shape.commitments_per_batch} commitments per source/transaction"
    )
    print(f"{'path':<28} {'rows':>10} {'seconds':>9} {'rows/s':>10}")
    print(
        f"{'bare UNWIND (baseline)':<28} {bare.rows:>10} {bare.seconds:>9.1f} {bare.per_second:>10.0f}"
    )
    print(f"{'ogkg write_batch':<28} {ogkg.rows:>10} {ogkg.seconds:>9.1f} {ogkg.per_second:>10.0f}")
    print(
        f"ratio ogkg/bare time: {ogkg.seconds / bare.seconds:.2f}x  (target <= 1.5x; throughput target >= 20000 rows/s)"
    )
    print(
        f"peak RSS of this process: {ogkg.peak_rss_after_first_batch:.0f} MiB after the first commitment batch, "
        f"{ogkg.peak_rss:.0f} MiB at the end"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--commitments", type=int, default=100_000)
    parser.add_argument("--bodies", type=int, default=20_000)
    parser.add_argument("--jurisdictions", type=int, default=500)
    parser.add_argument(
        "--batch", type=int, default=5000, help="commitments per source (one transaction)"
    )
    arguments = parser.parse_args()
    shape = Shape(
        arguments.commitments,
        arguments.bodies,
        arguments.jurisdictions,
        commitments_per_batch=arguments.batch,
    )
    with bench_neo4j() as (settings, uri):
        asyncio.run(bench(settings, uri, shape))


if __name__ == "__main__":
    main()
