"""Argument helpers the root query modules share."""

from typing import Annotated

import strawberry

from api.context import Info
from api.errors import ClientError
from api.types.connection import MAX_PAGE_SIZE
from graph.redirects import redirect_target
from graph.vocabulary import Label

# The arguments many root fields take, each described once.
First = Annotated[
    int, strawberry.argument(description=f"How many to return, from 1 to {MAX_PAGE_SIZE}.")
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Continue after this cursor: the `pageInfo.endCursor` of the page before "
        "(leave it out for the first page)."
    ),
]
InJurisdiction = Annotated[
    strawberry.ID | None,
    strawberry.argument(
        description="Narrows to this jurisdiction (by id) and the places within it."
    ),
]
OnTheme = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="Narrows to this theme (by id) and the narrower themes in it."),
]
InPlan = Annotated[
    strawberry.ID | None, strawberry.argument(description="Narrows to this action plan (by id).")
]


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
