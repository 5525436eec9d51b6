"""Argument helpers the root query modules share."""

import strawberry

from api.context import Info
from api.errors import ClientError
from api.types.connection import MAX_PAGE_SIZE
from graph.redirects import redirect_target
from graph.vocabulary import Label


def optional_id(value: strawberry.ID | None) -> str | None:
    """An optional id argument as the graph package takes it."""
    return str(value) if value else None


def check_first(first: int, most: int = MAX_PAGE_SIZE) -> None:
    """Refuse a `first` outside 1..most with a BAD_USER_INPUT error."""
    if not 1 <= first <= most:
        raise ClientError(f"`first` must be between 1 and {most}")


async def moved_to(info: Info, label: Label, id: strawberry.ID) -> str | None:
    """The id now holding a `label` id that has moved, or None."""
    return await redirect_target(info.context.database, label, str(id))
