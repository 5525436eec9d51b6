"""Per-client rate limits: every GraphQL request, and mutations besides, by token subject or address.

Counts live where `OGKG_RATE_LIMIT_STORAGE` says (the `limits` library): `memory://` keeps them in
the process, so each worker counts on its own; a shared store (`redis://...`) makes the limits
hold across workers and machines. A client over a limit gets HTTP 429 with `Retry-After`. While a
shared store cannot be reached, requests are let through (and a warning logged): an outage of the
limiter's store is not an outage of the API.
"""

import logging
import math
import time
from collections.abc import AsyncIterator

from graphql import ExecutionResult, GraphQLError
from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string
from starlette.datastructures import Headers
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from api.authentication import principal_of
from api.errors import ErrorCode, refusal_response
from ogkg.settings import Settings

RATE_LIMITED = ErrorCode.RATE_LIMITED

logger = logging.getLogger("ogkg.api")


def _rate(text: str) -> RateLimitItem | None:
    return None if text.strip().lower() == "off" else parse(text)


def client_of(conn: HTTPConnection) -> str:
    """Whom a request counts against: its token's subject when signed in, else its address."""
    principal = principal_of(conn)
    if principal is not None:
        return f"subject:{principal.subject}"
    return f"address:{conn.client.host if conn.client else 'unknown'}"


class RateLimits:
    """The process's limiter: one count per client for requests, another for mutations."""

    def __init__(self, settings: Settings) -> None:
        uri = settings.rate_limit_storage
        storage = storage_from_string(
            uri if uri.startswith("async+") else f"async+{uri}", wrap_exceptions=True
        )
        assert isinstance(storage, Storage)
        self.limiter = SlidingWindowCounterRateLimiter(storage)
        self.requests = _rate(settings.rate_limit)
        self.mutations = _rate(settings.mutation_rate_limit)

    async def _retry_after(self, item: RateLimitItem | None, kind: str, client: str) -> int | None:
        if item is None:
            return None
        try:
            if await self.limiter.hit(item, kind, client):
                return None
            stats = await self.limiter.get_window_stats(item, kind, client)
        except StorageError as error:
            logger.warning("rate limits not applied: their store failed: %s", error.storage_error)
            return None
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def request_refused(self, client: str) -> int | None:
        """Count a request; the seconds to wait if it is over the limit, else None."""
        return await self._retry_after(self.requests, "requests", client)

    async def mutation_refused(self, client: str) -> int | None:
        """Count a mutation; the seconds to wait if it is over the limit, else None."""
        return await self._retry_after(self.mutations, "mutations", client)

    def describe(self, item: RateLimitItem | None) -> str:
        return "no limit" if item is None else f"{item.amount} per {item.GRANULARITY.name}"


class RequestRateLimit:
    """ASGI middleware behind the authenticator: a client over its request limit gets 429."""

    def __init__(self, app: ASGIApp, limits: RateLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            retry_after = await self.limits.request_refused(client_of(HTTPConnection(scope)))
            if retry_after is not None:
                response = refusal_response(
                    Headers(scope=scope),
                    429,
                    f"Too many requests: the limit is {self.limits.describe(self.limits.requests)}"
                    f"; try again in {retry_after} s.",
                    RATE_LIMITED,
                    headers={"retry-after": str(retry_after)},
                    extensions={"retryAfter": retry_after},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class MutationRateLimit(SchemaExtension):
    """Count each valid mutation against its client's mutation limit; over it, 429 and no execution."""

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        context = execution.context
        limits: RateLimits | None = getattr(context, "rate_limits", None)
        if limits is not None and execution.operation_type is OperationType.MUTATION:
            retry_after = await limits.mutation_refused(client_of(context.request))
            if retry_after is not None:
                execution.result = ExecutionResult(
                    data=None,
                    errors=[
                        GraphQLError(
                            f"Too many changes: the limit is {limits.describe(limits.mutations)}"
                            f"; try again in {retry_after} s.",
                            extensions={"code": RATE_LIMITED, "retryAfter": retry_after},
                        )
                    ],
                )
                context.response.status_code = 429
                context.response.headers["retry-after"] = str(retry_after)
        yield
