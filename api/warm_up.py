"""Warm the service before it says it is ready: statistics, the page cache, the explorer's plans."""

import asyncio
import logging
import time
from collections.abc import Iterator, Sequence
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
# What a visitor opens first: warmed before the service says it is ready.
FIRST_PAGES = ("/", f"/?{urlencode({'q': SEARCHES[0]})}")


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
    """What the service does before it is ready; returns the seconds it took.

    1. The graph's statistics for the cost model (a pass over every node's degrees).
    2. Neo4j's page cache: every node, property and relationship read once.
    3. The pages a visitor opens first, the explorer's home and a search, each asking `/graphql`
       as it does for a visitor: Neo4j plans and compiles their Cypher, and the app keeps their
       prepared reads. The other pages follow once the service is ready (`warm_the_rest`): on a
       freshly started Neo4j each new statement costs up to two seconds to plan, and all of them
       would hold the start for fifteen.

    A failure only logs a warning: the service then starts cold.
    """
    started = time.perf_counter()
    try:
        await graph_sizes.current()
        await database.read(TOUCH_THE_STORE)
    except STATISTICS_ERRORS as error:
        logger.warning("warm-up: the graph could not be read (%s); starting cold", error)
        return time.perf_counter() - started
    await _visit(app, FIRST_PAGES)
    return time.perf_counter() - started


async def warm_the_rest(app: ASGIApp) -> float:
    """The explorer's other pages, one of each kind, visited after the service is ready."""
    started = time.perf_counter()
    with warming_up():
        async with _client(app) as client:
            answer = await client.post(
                "/graphql", json={"query": SAMPLES}, headers={"accept": "application/json"}
            )
    samples = (answer.json().get("data") or {}) if answer.status_code == 200 else {}
    # One page at a time: visitors' requests arriving meanwhile wait behind one page, not all.
    for page in explorer_pages(samples):
        if page not in FIRST_PAGES:
            await _visit(app, [page])
    return time.perf_counter() - started


def _client(app: ASGIApp) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=WARM_UP_CLIENT)
    return httpx.AsyncClient(
        transport=transport, base_url="http://warm-up.internal", timeout=PAGE_TIMEOUT
    )


async def _visit(app: ASGIApp, pages: Sequence[str]) -> None:
    """Each page twice: the second visit is answered from the plans the first one kept."""
    with warming_up():
        async with _client(app) as client:
            for _ in range(2):
                answers = await asyncio.gather(*(client.get(page) for page in pages))
    failed = [
        f"{page} ({answer.status_code})"
        for page, answer in zip(pages, answers, strict=True)
        if answer.status_code != 200
    ]
    if failed:
        logger.warning("warm-up: pages that did not answer 200: %s", ", ".join(failed))
