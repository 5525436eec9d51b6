"""What a client sees beside its data: its own mistakes plainly, ours masked, 503 when Neo4j is down, round trips."""

import logging
from collections.abc import Iterator, Mapping

from graphql import GraphQLError
from starlette.responses import JSONResponse
from strawberry.extensions import SchemaExtension

from graph.database import UNAVAILABLE_ERRORS, is_timed_out

logger = logging.getLogger("ogkg.api")

DATABASE_UNAVAILABLE = "The graph database is unavailable; try again shortly."
GRAPHQL_RESPONSE = "application/graphql-response+json"
INTERNAL_ERROR = "Internal server error."


def timed_out_message(seconds: float) -> str:
    """What a client whose request ran past the deadline is told."""
    return (
        f"The request ran past its deadline of {seconds:g} s and was stopped: ask for fewer "
        "items (`first`) or fewer nested lists."
    )


class ClientError(Exception):
    """A request the client can fix (a bad argument value); its message is shown as it is."""


def accepts_graphql_response(headers: Mapping[str, str]) -> bool:
    """Whether the client accepts the GraphQL-over-HTTP media type (and so its status codes)."""
    return GRAPHQL_RESPONSE in headers.get("accept", "")


def refusal_response(
    request_headers: Mapping[str, str],
    status: int,
    message: str,
    code: str,
    *,
    headers: Mapping[str, str] | None = None,
    extensions: Mapping[str, object] | None = None,
) -> JSONResponse:
    """A request turned away before GraphQL runs, as a GraphQL error body (no `data`).

    In the media type the client accepts; `headers` go with it (`Retry-After`, a challenge).
    """
    response_headers = dict(headers or {})
    if accepts_graphql_response(request_headers):
        response_headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code, **(extensions or {})}}]},
        status_code=status,
        headers=response_headers,
    )


def is_request_error(result: object) -> bool:
    """Whether the result refuses the request before execution.

    A bad document, validation, variables or a limit: no data, and no error tied to a field.
    """
    errors = getattr(result, "errors", None)
    return (
        bool(errors)
        and getattr(result, "data", None) is None
        and all(error.path is None for error in errors or [])
    )


class ErrorPolicy(SchemaExtension):
    """Keep client errors, mask everything else, and answer 503 while the database is down."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if not errors:
            return
        unavailable = timed_out = False
        processed: list[GraphQLError] = []
        for error in errors:
            original = error.original_error
            if original is None or isinstance(original, ClientError | GraphQLError):
                processed.append(error)
                continue
            if isinstance(original, UNAVAILABLE_ERRORS):
                unavailable = True
                message, code = DATABASE_UNAVAILABLE, "DATABASE_UNAVAILABLE"
            elif is_timed_out(original):
                timed_out = True
                seconds = getattr(self.execution_context.context, "request_timeout", 0.0)
                message, code = timed_out_message(seconds), "TIMEOUT"
            else:
                logger.error("unexpected error in %s", error.path, exc_info=original)
                message, code = INTERNAL_ERROR, "INTERNAL_SERVER_ERROR"
            processed.append(
                GraphQLError(message, nodes=error.nodes, path=error.path, extensions={"code": code})
            )
        result.errors = processed  # type: ignore[union-attr]
        if unavailable:
            self.execution_context.context.response.status_code = 503
        elif timed_out:
            self.execution_context.context.response.status_code = 504


class RoundTrips(SchemaExtension):
    """Report how many Neo4j round trips the request took, in the response's `extensions`."""

    def get_results(self) -> dict[str, object]:
        context = self.execution_context.context
        database = getattr(context, "database", None)
        return {"roundTrips": database.round_trips} if database is not None else {}
