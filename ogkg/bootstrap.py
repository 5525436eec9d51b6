"""Make a graph ready to serve: wait for Neo4j, apply the schema, load the seeds into an empty graph."""

import asyncio
import time

from graph.database import UNAVAILABLE_ERRORS, Database
from graph.schema import apply_schema
from graph.writes import Progress
from ingest.loader import Ingestion, load_seeds
from ogkg.settings import Settings

GRAPH_HAS_DATA = "MATCH (n) WHERE NOT n:Source RETURN true AS found LIMIT 1"


async def wait_for_database(database: Database, timeout: float) -> None:
    """Return once the database answers a query; re-raise its last error after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            await database.ping()
            return
        except UNAVAILABLE_ERRORS:
            if time.monotonic() >= deadline:
                raise
            await asyncio.sleep(1.0)


async def graph_is_empty(database: Database) -> bool:
    return not await database.read(GRAPH_HAS_DATA)


async def prepare_graph(
    database: Database, settings: Settings, timeout: float, progress: Progress | None = None
) -> list[Ingestion]:
    """Schema always; seeds only when the graph holds nothing yet. Returns what was ingested."""
    await wait_for_database(database, timeout)
    await apply_schema(database)
    if await graph_is_empty(database):
        return await load_seeds(database, settings.seeds_dir, progress=progress)
    return []
