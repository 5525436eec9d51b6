"""Batch lookups by id for DataLoaders: one query for many keys, answers in key order."""

from collections.abc import Sequence
from typing import Any, LiteralString, TypeVar

from graph.database import Database
from graph.models import Model

M = TypeVar("M", bound=Model)


async def one_per_id(
    database: Database, cypher: LiteralString, ids: Sequence[str], model: type[M]
) -> list[M | None]:
    """Run `cypher` (which returns `key` and `item` rows) and answer each id with its item or None."""
    records = await database.read(cypher, ids=list(ids))
    found: dict[str, M] = {
        record["key"]: model.model_validate(record["item"]) for record in records
    }
    return [found.get(key) for key in ids]


async def many_per_id(
    database: Database, cypher: LiteralString, ids: Sequence[str], model: type[M]
) -> list[list[M]]:
    """Run `cypher` (which returns `key` and `items` rows) and answer each id with its item list."""
    records = await database.read(cypher, ids=list(ids))
    found: dict[str, list[M]] = {
        record["key"]: [model.model_validate(item) for item in record["items"]]
        for record in records
    }
    return [found.get(key, []) for key in ids]


async def all_of(
    database: Database, cypher: LiteralString, model: type[M], **parameters: Any
) -> list[M]:
    """Run `cypher` (which returns `item` rows) and validate each item."""
    records = await database.read(cypher, **parameters)
    return [model.model_validate(record["item"]) for record in records]
