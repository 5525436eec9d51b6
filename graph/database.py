"""The Neo4j driver and the one way ogkg runs Cypher: reads routed as reads, writes as writes."""

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, Literal, LiteralString, Protocol, TypeVar

import neo4j
from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction, RoutingControl

T = TypeVar("T")


class Neo4jSettings(Protocol):
    """What the driver needs to know, passed in by the caller (ogkg's settings satisfy it)."""

    @property
    def user(self) -> str: ...
    @property
    def password(self) -> str | None: ...
    @property
    def database(self) -> str: ...
    @property
    def connection_timeout(self) -> float: ...
    @property
    def retry_time(self) -> float: ...


# The Neo4j status codes of a transaction ended by its timeout.
TIMED_OUT_CODES = frozenset(
    {
        "Neo.ClientError.Transaction.TransactionTimedOut",
        "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
    }
)


def is_timed_out(error: BaseException) -> bool:
    """Whether `error` is Neo4j ending a transaction that ran past its timeout."""
    return isinstance(error, neo4j.exceptions.Neo4jError) and error.code in TIMED_OUT_CODES


# Errors that mean "the database cannot be reached", as opposed to a bad query.
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (
    neo4j.exceptions.ServiceUnavailable,
    neo4j.exceptions.SessionExpired,
)


def open_driver(settings: Neo4jSettings, uri: str) -> AsyncDriver:
    """An async driver for `uri`; it connects lazily, so opening never fails on a down server."""
    auth = (settings.user, settings.password) if settings.password is not None else None
    return AsyncGraphDatabase.driver(
        uri,
        auth=auth,
        connection_timeout=settings.connection_timeout,
        connection_acquisition_timeout=settings.connection_timeout * 2,
        max_transaction_retry_time=settings.retry_time,
        # Queries name labels and types a young graph may not hold yet; that is not news.
        notifications_min_severity="OFF",
    )


async def with_database(
    settings: Neo4jSettings, uri: str, work: Callable[["Database"], Awaitable[T]]
) -> T:
    """Open a driver, run `work` against the configured database, and close the driver."""
    driver = open_driver(settings, uri)
    try:
        return await work(Database(driver, settings.database))
    finally:
        await driver.close()


# What a round trip to Neo4j was, as `Database` reports it to its `on_round_trip` hook.
RoundTrip = Literal["read", "write", "stream", "schema"]
# Records a streamed read asks Neo4j for at a time.
STREAM_FETCH_SIZE = 2000


class Database:
    """One Neo4j database behind a driver: read queries, write transactions and schema statements."""

    def __init__(
        self,
        driver: AsyncDriver,
        name: str,
        *,
        read_timeout: float | None = None,
        stream_timeout: float | None = None,
        on_round_trip: Callable[[RoundTrip], None] | None = None,
    ) -> None:
        """`read_timeout`: seconds Neo4j lets each read transaction run before ending it.

        `stream_timeout`: the same for a stream's transaction, however slowly it is read.

        `on_round_trip` is told of every query or transaction sent (e.g. to count them in metrics).
        """
        self.driver = driver
        self.name = name
        self.read_timeout = read_timeout
        self.stream_timeout = stream_timeout
        self._open_streams: set[neo4j.AsyncSession] = set()
        self.on_round_trip = on_round_trip
        self.round_trips = 0
        # Every session of this process shares one set of bookmarks (the one `execute_query`
        # keeps), so in a cluster a read after a write sees it, whichever member serves it.
        self.bookmarks = driver.execute_query_bookmark_manager

    def _round_trip(self, kind: RoundTrip) -> None:
        self.round_trips += 1
        if self.on_round_trip is not None:
            self.on_round_trip(kind)

    async def read(self, cypher: LiteralString, /, **parameters: Any) -> list[neo4j.Record]:
        """Run one read query (routed to any cluster member that serves reads).

        As one auto-commit transaction: one round trip, where a managed transaction takes two
        (its commit is a second). A failure the driver calls retryable (a connection lost, a
        leader changing) is run again as a managed transaction, which retries it.
        """
        self._round_trip("read")
        query = neo4j.Query(cypher, timeout=self.read_timeout)
        try:
            async with self.driver.session(
                database=self.name,
                default_access_mode=neo4j.READ_ACCESS,
                fetch_size=-1,
                bookmark_manager=self.bookmarks,
            ) as session:
                result = await session.run(query, parameters)
                return [record async for record in result]
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as error:
            if not error.is_retryable():
                raise
        retried = await self.driver.execute_query(
            query, parameters, routing_=RoutingControl.READ, database_=self.name
        )
        return list(retried.records)

    async def write(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        """Run `work` in one write transaction: all of it commits, or none of it."""
        self._round_trip("write")
        async with self.driver.session(
            database=self.name, bookmark_manager=self.bookmarks
        ) as session:
            return await session.execute_write(work)

    async def write_and_roll_back(
        self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]
    ) -> T:
        """Run `work` in a write transaction that is always rolled back (for dry runs)."""
        self._round_trip("write")
        async with self.driver.session(
            database=self.name, bookmark_manager=self.bookmarks
        ) as session:
            # A `neo4j.unit_of_work(timeout=...)` on `work` bounds this transaction too.
            transaction = await session.begin_transaction(timeout=getattr(work, "timeout", None))
            try:
                return await work(transaction)  # type: ignore[arg-type]
            finally:
                await transaction.rollback()

    async def stream(
        self, cypher: LiteralString, /, **parameters: Any
    ) -> AsyncIterator[neo4j.Record]:
        """Run one read query in a read transaction and yield its records as they arrive.

        The driver fetches them a batch at a time, so a result of any size never sits in memory
        whole. With `stream_timeout`, Neo4j ends the transaction that long after it began, however
        slowly its records are taken (a slow reader cannot hold it open); else none applies.
        """
        self._round_trip("stream")
        async with self.driver.session(
            database=self.name,
            default_access_mode=neo4j.READ_ACCESS,
            fetch_size=STREAM_FETCH_SIZE,
            bookmark_manager=self.bookmarks,
        ) as session:
            self._open_streams.add(session)
            transaction = await session.begin_transaction(timeout=self.stream_timeout)
            try:
                result = await transaction.run(cypher, parameters)
                async for record in result:
                    yield record
            finally:
                self._open_streams.discard(session)
                if not session.closed():
                    await transaction.close()

    async def close_streams(self) -> None:
        """End every stream still open: its transaction rolled back, its connection given back.

        For a stream whose reader stopped mid-way (a download abandoned or cut off): the
        generator waits where it stopped and would close only when collected.
        """
        for session in list(self._open_streams):
            self._open_streams.discard(session)
            await session.close()

    async def run_schema(self, statement: LiteralString) -> None:
        self._round_trip("schema")
        async with self.driver.session(
            database=self.name, bookmark_manager=self.bookmarks
        ) as session:
            result = await session.run(statement)
            await result.consume()

    async def ping(self) -> None:
        """Raise unless the database answers a query."""
        await self.read("RETURN 1 AS ok")


async def run_all(
    tx: AsyncManagedTransaction, query: LiteralString, **parameters: Any
) -> Mapping[str, int]:
    """Run one statement inside `tx`, drain it and return its update counters."""
    result = await tx.run(query, parameters)
    summary = await result.consume()
    counters = summary.counters
    return {
        "nodes_created": counters.nodes_created,
        "relationships_created": counters.relationships_created,
        "properties_set": counters.properties_set,
    }
