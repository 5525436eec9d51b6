"""Relay-style pages of commitments: edges with cursors, page info, and a total counted on demand."""

import base64
from typing import Self

import strawberry

from api.context import Info
from api.errors import ClientError
from api.types.commitment import Commitment
from graph import commitments, models

CURSOR_PREFIX = "offset:"
MAX_PAGE_SIZE = 100

strawberry.enum(commitments.CommitmentSort, description="Orders a page of commitments may come in.")


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The offset a cursor stands for; a `ClientError` for anything not made by `encode_cursor`."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if text.startswith(CURSOR_PREFIX) and text[len(CURSOR_PREFIX) :].isdigit():
            return int(text[len(CURSOR_PREFIX) :])
    except (ValueError, UnicodeError):
        pass
    raise ClientError(f"`after` is not a cursor this API gave out: {cursor!r}")


@strawberry.type(description="Where a page sits in the whole list.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class CommitmentEdge:
    cursor: str
    node: Commitment


@strawberry.type(description="A page of commitments.")
class CommitmentConnection:
    edges: list[CommitmentEdge]
    page_info: PageInfo
    where: strawberry.Private[commitments.CommitmentFilter]

    @classmethod
    def from_page(
        cls,
        page: list[models.Commitment],
        offset: int,
        size: int,
        where: commitments.CommitmentFilter,
    ) -> Self:
        shown = page[:size]
        edges = [
            CommitmentEdge(
                cursor=encode_cursor(offset + index + 1), node=Commitment.from_model(model)
            )
            for index, model in enumerate(shown)
        ]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(page) > size,
                has_previous_page=offset > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            where=where,
        )

    @strawberry.field(
        description="How many commitments match, over all pages (counted only when asked)."
    )
    async def total_count(self, info: Info) -> int:
        return await commitments.count_commitments(info.context.database, self.where)


async def commitment_page(
    info: Info,
    first: int,
    after: str | None,
    sort: commitments.CommitmentSort,
    where: commitments.CommitmentFilter,
) -> CommitmentConnection:
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise ClientError(f"`first` must be between 1 and {MAX_PAGE_SIZE}")
    offset = decode_cursor(after) if after else 0
    page = await commitments.commitments_page(info.context.database, where, sort, offset, first + 1)
    return CommitmentConnection.from_page(page, offset, first, where)
