"""Compiled queries answered before, kept with their statements and cost estimate, so asking again skips parsing, validation, pricing and planning.

The first time a document (with its operation name and variables) is answered, strawberry parses,
validates and prices it and `CompiledReadsExecutor` plans its statements, as for any request. If
every root field was compiled and the answer has no errors, the plan and the answer's extensions
(`cost`) are kept, tied to the graph statistics the cost was estimated with. A later request for
the same document, variables and statistics runs the same statements and is answered through the
same response path: the same bytes, less work. New statistics (after an ingest changed the
counts) make the entry stale: the next request is priced afresh and kept again.
"""

import asyncio
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import orjson
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from api.compiled_reads import RootAnswer
from graph.database import Database
from graph.statistics import GraphStatistics

# Documents (with their variables) kept per app; the least recently asked is dropped first.
PREPARED_READS_SIZE = 256
# The extensions an answer may carry to be kept: the cost (fixed for given statistics) and the
# round trips (counted again for each answer). Anything else (a tracer's) is not kept.
KEPT_EXTENSIONS = frozenset({"cost", "roundTrips"})

Key = tuple[str, str | None, bytes]


@dataclass
class Preparation:
    """What one request's general path learnt that a repeat can reuse (set as it runs)."""

    # Each root key's statement (or `__typename`), when every root field was compiled.
    planned: dict[str, RootAnswer | str] | None = None
    # The operation's name as the document gives it (the request may leave it out).
    operation_name: str | None = None
    # The statistics the cost was estimated with (None: the estimate used none).
    statistics: GraphStatistics | None = None
    priced: bool = False


@dataclass(frozen=True)
class PreparedRead:
    """A document's compiled statements and the extensions its answers carry."""

    planned: dict[str, RootAnswer | str]
    extensions: dict[str, Any]
    statistics: GraphStatistics | None
    operation_name: str | None


@dataclass
class PreparedReads:
    """An LRU of prepared reads by (document, operation name, variables)."""

    size: int = PREPARED_READS_SIZE
    _entries: OrderedDict[Key, PreparedRead] = field(default_factory=OrderedDict)
    hits: int = 0

    @staticmethod
    def key(request: GraphQLRequestData) -> Key | None:
        """The request's key, or None if it cannot be kept (no document, odd variables)."""
        if not isinstance(request.query, str):
            return None
        try:
            variables = orjson.dumps(request.variables or {}, option=orjson.OPT_SORT_KEYS)
        except TypeError:
            return None  # integers past 64 bits and the like: the general path says what they are
        return (request.query, request.operation_name, variables)

    def get(self, key: Key) -> PreparedRead | None:
        prepared = self._entries.get(key)
        if prepared is not None:
            self._entries.move_to_end(key)
        return prepared

    def keep(self, key: Key, preparation: Preparation, result: ExecutionResult) -> None:
        """Keep what a successful, fully compiled answer needs to be given again."""
        extensions = result.extensions or {}
        if (
            preparation.planned is None
            or not preparation.priced
            or result.errors
            or result.data is None
            or not set(extensions) <= KEPT_EXTENSIONS
        ):
            return
        self._entries[key] = PreparedRead(
            preparation.planned,
            dict(extensions),
            preparation.statistics,
            preparation.operation_name,
        )
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def forget(self, key: Key) -> None:
        self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)


def still_priced(prepared: PreparedRead, statistics: GraphStatistics | None) -> bool:
    """Whether the kept estimate holds for `statistics` (the very ones it was made with)."""
    return prepared.statistics is None or prepared.statistics is statistics


async def answer(prepared: PreparedRead, database: Database) -> ExecutionResult:
    """The prepared statements run at once, and the answer as the general path makes it."""
    statements = [
        plan.statement for plan in prepared.planned.values() if isinstance(plan, RootAnswer)
    ]
    if len(statements) == 1:  # most documents: no task to make
        records = [await database.read(statements[0].cypher, **statements[0].parameters)]
    else:
        records = await asyncio.gather(
            *(database.read(statement.cypher, **statement.parameters) for statement in statements)
        )
    found = iter(records)
    data = {
        key: plan if isinstance(plan, str) else plan.finish(next(found))
        for key, plan in prepared.planned.items()
    }
    return ExecutionResult(data=data, errors=None, extensions=_extensions(prepared, database))


def _extensions(prepared: PreparedRead, database: Database) -> dict[str, Any]:
    return {
        name: database.round_trips if name == "roundTrips" else value
        for name, value in prepared.extensions.items()
    }
