"""Every constraint and index of the graph, applied idempotently at start-up."""

from typing import LiteralString

from graph.database import Database

# One uniqueness constraint on `id` per label; Neo4j backs each with a range index.
CONSTRAINTS: tuple[LiteralString, ...] = (
    "CREATE CONSTRAINT action_plan_id IF NOT EXISTS FOR (n:ActionPlan) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT body_id IF NOT EXISTS FOR (n:Body) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT commitment_id IF NOT EXISTS FOR (n:Commitment) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT jurisdiction_id IF NOT EXISTS FOR (n:Jurisdiction) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT source_id IF NOT EXISTS FOR (n:Source) REQUIRE n.id IS UNIQUE",
)

SEARCH_INDEX: LiteralString = "ogkg_search"

INDEXES: tuple[LiteralString, ...] = (
    "CREATE INDEX body_kind IF NOT EXISTS FOR (n:Body) ON (n.kind)",
    "CREATE INDEX commitment_number IF NOT EXISTS FOR (n:Commitment) ON (n.number)",
    # Names, titles, summaries and aliases across the searchable labels.
    "CREATE FULLTEXT INDEX ogkg_search IF NOT EXISTS "
    "FOR (n:ActionPlan|Body|Commitment|Jurisdiction) "
    "ON EACH [n.name, n.title, n.summary, n.aliases]",
)

AWAIT_INDEXES: LiteralString = "CALL db.awaitIndexes(300)"


async def apply_schema(database: Database) -> None:
    """Create any missing constraint or index and wait until all are online."""
    for statement in (*CONSTRAINTS, *INDEXES):
        await database.run_schema(statement)
    await database.run_schema(AWAIT_INDEXES)
