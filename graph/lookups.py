"""Batch lookups by id: one query answers many keys, and concurrent lookups share one round trip."""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, LiteralString, TypeVar

from graph.database import Database
from graph.models import Model

M = TypeVar("M", bound=Model)


@dataclass(frozen=True, eq=False)
class Lookup(Generic[M]):
    """A query run once per `key` of a list of ids.

    `per_key` is the Cypher after `UNWIND $ids AS key`; it returns `key` with `item` (one answer
    per key, `many=False`) or `items` (a list per key, `many=True`).
    """

    per_key: LiteralString
    model: type[M]
    many: bool

    @property
    def column(self) -> LiteralString:
        return "items" if self.many else "item"

    def answers(self, rows: Sequence[tuple[str, Any]], ids: Sequence[str]) -> list[Any]:
        """Each id's answer, in the order of `ids`: an item or None, or a list of items."""
        if self.many:
            lists: dict[str, list[M]] = {
                key: [self.model.model_validate(item) for item in value] for key, value in rows
            }
            return [lists.get(key, []) for key in ids]
        items: dict[str, M] = {key: self.model.model_validate(value) for key, value in rows}
        return [items.get(key) for key in ids]


async def all_of(
    database: Database, cypher: LiteralString, model: type[M], **parameters: Any
) -> list[M]:
    """Run `cypher` (which returns `item` rows) and validate each item."""
    records = await database.read(cypher, **parameters)
    return [model.model_validate(record["item"]) for record in records]


def combined_lookups(lookups: Sequence[Lookup[Any]]) -> LiteralString:
    """One statement running every lookup, the n-th on `$ids<n>`, its rows tagged `lookup = n`."""
    branches: list[LiteralString] = []
    for index, lookup in enumerate(lookups):
        # The number comes from enumerate, never from input.
        number: LiteralString = str(index)
        branches.append(
            "CALL { UNWIND $ids" + number + " AS key " + lookup.per_key + " } "
            "RETURN " + number + " AS lookup, key, " + lookup.column + " AS value"
        )
    return " UNION ALL ".join(branches)


@dataclass
class _Pending:
    lookup: Lookup[Any]
    ids: list[str]
    answer: "asyncio.Future[list[Any]]"


class LookupBatch:
    """Gathers the lookups started in the same turn of the event loop and runs them as one query.

    DataLoaders batch the keys of one relation; this batches the relations: the leads, themes and
    plans of a page of commitments arrive together and cost one round trip, not three.
    """

    def __init__(self, database: Database) -> None:
        self.database = database
        self._pending: list[_Pending] = []
        self._flushes: set[asyncio.Task[None]] = set()

    async def load(self, lookup: Lookup[Any], ids: Sequence[str]) -> list[Any]:
        """Each id's answer, as `one_per_id` or `many_per_id` would give it."""
        loop = asyncio.get_running_loop()
        pending = _Pending(lookup, list(ids), loop.create_future())
        if not self._pending:
            # Two turns, like DataLoader's own dispatch: every loader due in this turn joins in.
            loop.call_soon(loop.call_soon, self._start_flush)
        self._pending.append(pending)
        return await pending.answer

    def _start_flush(self) -> None:
        pending, self._pending = self._pending, []
        task = asyncio.get_running_loop().create_task(self._flush(pending))
        self._flushes.add(task)
        task.add_done_callback(self._flushes.discard)

    async def _flush(self, pending: list[_Pending]) -> None:
        keys: dict[Lookup[Any], dict[str, None]] = {}
        for request in pending:
            keys.setdefault(request.lookup, {}).update(dict.fromkeys(request.ids))
        lookups = list(keys)
        try:
            records = await self.database.read(
                combined_lookups(lookups),
                **{f"ids{index}": list(keys[lookup]) for index, lookup in enumerate(lookups)},
            )
        except BaseException as error:
            for request in pending:
                if not request.answer.done():
                    request.answer.set_exception(error)
            if not isinstance(error, Exception):
                raise
            return
        rows: list[list[tuple[str, Any]]] = [[] for _ in lookups]
        for record in records:
            rows[record["lookup"]].append((record["key"], record["value"]))
        by_lookup = {lookup: rows[index] for index, lookup in enumerate(lookups)}
        for request in pending:
            if not request.answer.done():
                answers = request.lookup.answers(by_lookup[request.lookup], request.ids)
                request.answer.set_result(answers)
