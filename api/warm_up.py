"""Warm the service before it says it is ready: statistics, the page cache, the explorer's plans."""

import asyncio
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, LiteralString
from urllib.parse import quote, urlencode

import httpx
from starlette.types import ASGIApp

from api.graph_sizes import STATISTICS_ERRORS, GraphSizes
from graph.database import Database

logger = logging.getLogger("ogkg.api")

# True while the warm-up's own requests run: they are neither logged nor counted as traffic.
WARMING_UP: ContextVar[bool] = ContextVar("ogkg_warming_up", default=False)
WARM_UP_CLIENT = ("127.0.0.1", 0)
PAGE_TIMEOUT = 60.0

# Every node's properties and every relationship read once, so the first real read finds them in
# Neo4j's page cache rather than on disk.
TOUCH_THE_STORE: LiteralString = """
MATCH (n)
OPTIONAL MATCH (n)-[r]->()
RETURN count(n) AS nodes, count(r) AS relationships, sum(size(keys(n))) AS properties
"""

# One of each kind the explorer has a page for, asked through the public API like any client.
SAMPLES = """
query WarmUpSamples {
  commitments: commitmentsConnection(first: 1) { edges { node { id } } }
  practices: practicesConnection(first: 1) { edges { node { id } } }
  lessons: lessonsConnection(first: 1) { edges { node { id } } }
  bodies: bodiesConnection(first: 1) { edges { node { id } } }
  places: jurisdictionsConnection(first: 1, level: NATION) { edges { node { id } } }
  plans: actionPlansConnection(first: 1) { edges { node { id } } }
  themes: themesConnection(first: 1) { edges { node { id } } }
}
"""
# The explorer's page for each sample's kind.
PAGE_OF_SAMPLE = {
    "commitments": "/commitments/",
    "practices": "/practices/",
    "lessons": "/lessons/",
    "bodies": "/bodies/",
    "places": "/places/",
    "plans": "/plans/",
    "themes": "/themes/",
}
# Searches as a newcomer types them: plain words, and words narrowed to a place.
SEARCHES = ("open data", "participatory budgeting")


@contextmanager
def warming_up() -> Iterator[None]:
    """Mark the requests made inside as the warm-up's own."""
    token = WARMING_UP.set(True)
    try:
        yield
    finally:
        WARMING_UP.reset(token)


def explorer_pages(samples: dict[str, Any]) -> list[str]:
    """The explorer's pages to ask for: home, searches, one page of each kind, coverage."""
    pages = ["/", *(f"/?{urlencode({'q': words})}" for words in SEARCHES), "/coverage"]
    place = None
    for kind, prefix in PAGE_OF_SAMPLE.items():
        edges = (samples.get(kind) or {}).get("edges") or []
        if edges:
            pages.append(prefix + quote(str(edges[0]["node"]["id"]), safe=""))
            if kind == "places":
                place = edges[0]["node"]["id"]
    if place is not None:
        pages.append(f"/?{urlencode({'q': SEARCHES[0], 'jurisdiction': place})}")
    return pages


async def warm_up(app: ASGIApp, database: Database, graph_sizes: GraphSizes) -> float:
    """Warm Neo4j and the app, then return the seconds it took; a failure only logs a warning.

    1. The graph's statistics for the cost model (a pass over every node's degrees).
    2. Neo4j's page cache: every node, property and relationship read once.
    3. The explorer's pages, each asking `/graphql` as it does for a visitor: Neo4j plans and
       compiles their Cypher, and the app keeps their prepared reads.
    """
    started = time.perf_counter()
    try:
        await graph_sizes.current()
        await database.read(TOUCH_THE_STORE)
    except STATISTICS_ERRORS as error:
        logger.warning("warm-up: the graph could not be read (%s); starting cold", error)
        return time.perf_counter() - started
    with warming_up():
        transport = httpx.ASGITransport(app=app, client=WARM_UP_CLIENT)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://warm-up.internal", timeout=PAGE_TIMEOUT
        ) as client:
            answer = await client.post(
                "/graphql", json={"query": SAMPLES}, headers={"accept": "application/json"}
            )
            samples = (answer.json().get("data") or {}) if answer.status_code == 200 else {}
            pages = explorer_pages(samples)
            # Twice: the second visit of a page is answered from the plans the first one kept.
            for _ in range(2):
                statuses = await asyncio.gather(*(client.get(page) for page in pages))
            failed = [
                f"{page} ({response.status_code})"
                for page, response in zip(pages, statuses, strict=True)
                if response.status_code != 200
            ]
    if failed:
        logger.warning("warm-up: pages that did not answer 200: %s", ", ".join(failed))
    return time.perf_counter() - started
