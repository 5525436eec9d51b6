"""The graph's statistics for the cost model: kept by the app, rechecked after a short TTL.

On expiry only the node counts are read again (Neo4j's count store: milliseconds); the fan-outs
and property sizes are measured again only when a count changed, as after an ingest or a seed.
"""

import asyncio
import time

from api.execution_lane import ExecutionLane
from graph.database import Database
from graph.statistics import GraphStatistics, graph_statistics, node_counts


class GraphSizes:
    """The latest statistics of one database, shared by the app's requests."""

    def __init__(self, database: Database, ttl: float, lane: ExecutionLane | None = None) -> None:
        """`lane`: where `database`'s driver lives, if not on the caller's loop."""
        self.database = database  # its own handle: statistics are not a request's round trips
        self.ttl = ttl
        self.lane = lane
        self._statistics: GraphStatistics | None = None
        self._checked_at = 0.0
        self._refresh: asyncio.Task[GraphStatistics] | None = None

    def _fresh(self) -> GraphStatistics | None:
        if self._statistics is not None and time.monotonic() - self._checked_at < self.ttl:
            return self._statistics
        return None

    async def current(self) -> GraphStatistics:
        """Statistics no older than the TTL (the counts checked, the rest remeasured if they moved).

        One refresh runs at a time, as a task of its own: a request that gives up waiting (its
        deadline) does not cancel it, and the requests after it get its result.
        """
        if (statistics := self._fresh()) is not None:
            return statistics
        if self.lane is not None and asyncio.get_running_loop() is not self.lane.loop:
            return await self.lane.run(self.current())
        if self._refresh is None or self._refresh.done():
            self._refresh = asyncio.create_task(self._measure())
        return await asyncio.shield(self._refresh)

    async def _measure(self) -> GraphStatistics:
        if self._statistics is None or await node_counts(self.database) != self._statistics.nodes:
            self._statistics = await graph_statistics(self.database)
        self._checked_at = time.monotonic()
        return self._statistics
