"""List queries in parts, so one match serves the whole list, a page of it and its count."""

from dataclasses import dataclass
from typing import Any, Generic, LiteralString, TypeVar

from graph.database import Database
from graph.lookups import all_of
from graph.models import Model

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Listing(Generic[M]):
    """A list of one kind of entity, by parts.

    `match` binds each listed entity (its WHERE may use the listing's parameters), `item`
    projects it to `model`'s fields and `order` sorts it, ending in a unique key for stable pages.
    """

    match: LiteralString
    item: LiteralString
    order: LiteralString
    model: type[M]

    def _list(self, order: LiteralString | None) -> LiteralString:
        return self.match + " RETURN " + self.item + " AS item ORDER BY " + (order or self.order)

    async def all(
        self, database: Database, order: LiteralString | None = None, **parameters: Any
    ) -> list[M]:
        return await all_of(database, self._list(order), self.model, **parameters)

    async def page(
        self,
        database: Database,
        skip: int,
        limit: int,
        order: LiteralString | None = None,
        **parameters: Any,
    ) -> list[M]:
        """Up to `limit` items after the first `skip`, in `order` (the listing's own by default)."""
        query = self._list(order) + " SKIP $skip LIMIT $limit"
        return await all_of(database, query, self.model, skip=skip, limit=limit, **parameters)

    async def count(self, database: Database, **parameters: Any) -> int:
        records = await database.read(self.match + " RETURN count(*) AS total", **parameters)
        return int(records[0]["total"])
