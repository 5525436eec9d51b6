"""The graph's statistics for the cost model: kept by the app, rechecked after a short TTL.

On expiry only the node counts are read again (Neo4j's count store: milliseconds); the fan-outs
and property sizes are measured again only when a count changed, as after an ingest or a seed.
"""

import asyncio
import logging
import time

from neo4j.exceptions import DriverError, Neo4jError

from graph.database import UNAVAILABLE_ERRORS, Database
from graph.statistics import GraphStatistics, graph_statistics, node_counts

logger = logging.getLogger("ogkg.api")
STATISTICS_ERRORS: tuple[type[Exception], ...] = (Neo4jError, DriverError, *UNAVAILABLE_ERRORS)
# Seconds before statistics that could not be read are tried again.
FAILURE_BACKOFF = 5.0


class GraphSizes:
    """The latest statistics of one database, shared by the app's requests."""

    def __init__(self, database: Database, ttl: float) -> None:
        self.database = database  # its own handle: statistics are not a request's round trips
        self.ttl = ttl
        self._statistics: GraphStatistics | None = None
        self._checked_at = 0.0
        self._refresh: asyncio.Task[GraphStatistics] | None = None

    def _fresh(self) -> GraphStatistics | None:
        if self._checked_at and time.monotonic() - self._checked_at < self.ttl:
            return self._statistics or GraphStatistics()
        return None

    async def current(self) -> GraphStatistics:
        """Statistics no older than the TTL (the counts checked, the rest remeasured if they moved).

        One refresh runs at a time, as a task of its own: a request that gives up waiting (its
        deadline) does not cancel it, and the requests after it get its result.
        """
        if (statistics := self._fresh()) is not None:
            return statistics
        if self._refresh is None or self._refresh.done():
            self._refresh = asyncio.create_task(self._measure())
        return await asyncio.shield(self._refresh)

    async def _measure(self) -> GraphStatistics:
        try:
            if (
                self._statistics is None
                or await node_counts(self.database) != self._statistics.nodes
            ):
                self._statistics = await graph_statistics(self.database)
            self._checked_at = time.monotonic()
        except STATISTICS_ERRORS as error:
            # No statistics stop a request: it goes on with the last ones (or none: nothing is
            # known to be large), and meets the database's state itself if it needs it.
            logger.warning("graph statistics not measured: %s", error)
            self._checked_at = time.monotonic() + FAILURE_BACKOFF - self.ttl
        return self._statistics or GraphStatistics()
