"""A thread with its own event loop and Neo4j driver where queries run, so the server's loop stays free.

Completing a large answer field by field makes thousands of small tasks ready at once; on the
server's loop they would queue ahead of every other request (`/health` waited seconds). In the
lane they queue among themselves, and the server's loop, which only moves bytes, gets the GIL
back every few milliseconds (Python's switch interval).
"""

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from neo4j import AsyncDriver

from graph.database import open_driver
from ogkg.settings import Settings

T = TypeVar("T")


class ExecutionLane:
    """Runs coroutines on a loop in a thread of its own, with a driver bound to that loop."""

    def __init__(self, settings: Settings) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="ogkg-execution-lane", daemon=True
        )
        self.thread.start()
        self.driver: AsyncDriver = self._call(self._open(settings))

    @staticmethod
    async def _open(settings: Settings) -> AsyncDriver:
        return open_driver(settings.neo4j, settings.neo4j_uri)

    def _call(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result()

    async def run(self, work: Coroutine[Any, Any, T]) -> T:
        """`work`'s result, computed in the lane; cancelling the wait cancels `work` too."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(work, self.loop))

    def close(self) -> None:
        """Close the driver, stop the loop and end the thread."""
        self._call(self.driver.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=30)
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()
