"""Relay-style pages of any list: edges with cursors, page info, and a total counted on demand."""

import base64
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, LiteralString, TypeVar

import strawberry

from api.errors import ClientError
from graph.database import Database
from graph.listings import Listing
from graph.models import Model

CURSOR_PREFIX = "offset:"
MAX_PAGE_SIZE = 100
# No list holds two billion items: a larger offset was never given out (and would overflow the
# 64-bit integers Neo4j's SKIP takes once a page is added to it).
MAX_CURSOR_OFFSET = 2**31 - 1

Node = TypeVar("Node")
Item = TypeVar("Item")
M = TypeVar("M", bound=Model)


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The offset a cursor stands for; a `ClientError` for anything not made by `encode_cursor`."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        digits = text.removeprefix(CURSOR_PREFIX)
        if (
            text.startswith(CURSOR_PREFIX)
            and digits.isascii()
            and digits.isdigit()
            and len(digits) <= len(str(MAX_CURSOR_OFFSET))
            and int(digits) <= MAX_CURSOR_OFFSET
        ):
            return int(digits)
    except (ValueError, UnicodeError):
        pass
    raise ClientError(f"`after` is not a cursor this API gave out: {cursor!r}")


@dataclass(frozen=True)
class PageRequest:
    """Which page a client asked for: `first` items after `offset`."""

    first: int
    offset: int

    @classmethod
    def of(cls, first: int, after: str | None) -> "PageRequest":
        if not 1 <= first <= MAX_PAGE_SIZE:
            raise ClientError(f"`first` must be between 1 and {MAX_PAGE_SIZE}")
        return cls(first=first, offset=decode_cursor(after) if after else 0)

    @property
    def limit(self) -> int:
        """How many to fetch: one more than asked, to tell whether a next page exists."""
        return self.first + 1


@strawberry.type(description="Where a page sits in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow this page.")
    has_previous_page: bool = strawberry.field(
        description="Whether items come before this page: it was asked for with `after`."
    )
    start_cursor: str | None = strawberry.field(
        description="The cursor of the page's first item; null on an empty page."
    )
    end_cursor: str | None = strawberry.field(
        description="The cursor of the page's last item: pass it as `after` for the next page "
        "(null on an empty first page; on a feed's empty page, the `after` it was asked with)."
    )


@strawberry.type(description="One item of a page, with the cursor to continue after it.")
class Edge(Generic[Node]):
    cursor: str = strawberry.field(
        description="Pass it as `after` to continue with the items after this one."
    )
    node: Node = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list: pass `pageInfo.endCursor` as `after` for the next.")
class Connection(Generic[Node]):
    edges: list[Edge[Node]] = strawberry.field(
        description="The page's items in order, each with its cursor."
    )
    page_info: PageInfo = strawberry.field(
        description="Whether more items follow, and the cursor to continue from."
    )
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(
        description="How many items the list holds over all pages (counted when asked)."
    )
    async def total_count(self) -> int:
        return await self.count()

    @classmethod
    def of(
        cls,
        fetched: Sequence[Item],
        request: PageRequest,
        to_node: Callable[[Item], Node],
        count: Callable[[], Awaitable[int]],
    ) -> "Connection[Node]":
        """The page from `fetched` (up to `request.limit` items from `request.offset` on)."""
        edges = [
            Edge(cursor=encode_cursor(request.offset + index + 1), node=to_node(item))
            for index, item in enumerate(fetched[: request.first])
        ]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(fetched) > request.first,
                has_previous_page=request.offset > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            count=count,
        )


def feed(
    fetched: Sequence[Item],
    request: PageRequest,
    to_node: Callable[[Item], Node],
    position: Callable[[Item], int],
) -> "Connection[Node]":
    """A page of a feed, each cursor the item's own position (so a poller resumes after it)."""
    edges = [
        Edge(cursor=encode_cursor(position(item)), node=to_node(item))
        for item in fetched[: request.first]
    ]

    async def uncounted() -> int:
        raise ClientError("a feed has no total count")

    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(fetched) > request.first,
            has_previous_page=request.offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor
            if edges
            else (encode_cursor(request.offset) if request.offset else None),
        ),
        count=uncounted,
    )


async def listing_page(
    database: Database,
    listing: Listing[M],
    request: PageRequest,
    to_node: Callable[[M], Node],
    order: LiteralString | None = None,
    **parameters: object,
) -> "Connection[Node]":
    """A page of `listing` (filtered by `parameters`, in `order`), its total counted on demand."""
    fetched = await listing.page(database, request.offset, request.limit, order=order, **parameters)
    return Connection.of(fetched, request, to_node, lambda: listing.count(database, **parameters))
