"""What a client sees beside its data: its own mistakes plainly, ours masked, 503 when Neo4j is down, round trips."""

import logging
import re
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from enum import StrEnum
from typing import Any

from graphql import GraphQLError
from starlette.responses import JSONResponse
from strawberry.extensions import SchemaExtension

from graph.database import UNAVAILABLE_ERRORS, is_timed_out

logger = logging.getLogger("ogkg.api")


class ErrorCode(StrEnum):
    """Every `extensions.code` a response can carry, declared once (the README's table lists them)."""

    # The HTTP request is not a GraphQL request: not JSON, no `query`, an unsupported content type.
    BAD_REQUEST = "BAD_REQUEST"
    # GraphQL over HTTP does not allow the method (a mutation by GET, a PUT).
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    # The document is not GraphQL (a syntax error), or has more tokens than allowed.
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    # The document does not fit the schema, or nests deeper or aliases more than allowed.
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    # A value the client sent is wrong: an argument, a variable, a cursor, an operation name.
    BAD_USER_INPUT = "BAD_USER_INPUT"
    # The request names something that does not exist (an id a field needs, a path).
    NOT_FOUND = "NOT_FOUND"
    # With an allow-list (`OGKG_PERSISTED_QUERIES`), the operation is not on it.
    PERSISTED_QUERY_NOT_ALLOWED = "PERSISTED_QUERY_NOT_ALLOWED"
    # No valid token where one is needed.
    UNAUTHENTICATED = "UNAUTHENTICATED"
    # The token's roles do not allow the change.
    FORBIDDEN = "FORBIDDEN"
    # The identity provider's keys cannot be fetched, so tokens cannot be checked.
    AUTHENTICATION_UNAVAILABLE = "AUTHENTICATION_UNAVAILABLE"
    # The operation's estimated size is over the limit; nothing ran.
    QUERY_TOO_COSTLY = "QUERY_TOO_COSTLY"
    # The request body or query string is longer than allowed.
    REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"
    QUERY_STRING_TOO_LONG = "QUERY_STRING_TOO_LONG"
    # The client sent more requests (or changes) than its rate allows.
    RATE_LIMITED = "RATE_LIMITED"
    # The request ran past `OGKG_REQUEST_TIMEOUT` and was stopped.
    TIMEOUT = "TIMEOUT"
    # Neo4j cannot be reached.
    DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE"
    # Our fault; the details are in the server's log, never in the response.
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


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

    def __init__(self, message: str, code: ErrorCode = ErrorCode.BAD_USER_INPUT) -> None:
        super().__init__(message)
        self.code = code


def accepts_graphql_response(headers: Mapping[str, str]) -> bool:
    """Whether the client accepts the GraphQL-over-HTTP media type (and so its status codes)."""
    return GRAPHQL_RESPONSE in headers.get("accept", "")


def refusal_response(
    request_headers: Mapping[str, str],
    status: int,
    message: str,
    code: ErrorCode,
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
        {"errors": [{"message": message, "extensions": {"code": str(code), **(extensions or {})}}]},
        status_code=status,
        headers=response_headers,
    )


# graphql-core's words for a variable the client sent wrong (or not at all).
BAD_VARIABLE = re.compile(
    r"^Variable '\$\w+' (has invalid value|of required type .* was not provided)"
)


def uncoded_error_code(message: str, path: Sequence[str | int] | None) -> ErrorCode:
    """The code of an error strawberry or graphql-core raised without one."""
    if message.startswith("Syntax Error"):
        return ErrorCode.GRAPHQL_PARSE_FAILED  # the parser's, the token limit's too
    if BAD_VARIABLE.match(message):
        return ErrorCode.BAD_USER_INPUT
    if path is None:
        return ErrorCode.GRAPHQL_VALIDATION_FAILED  # validation rules, depth and alias limits
    if "non-nullable field" in message:
        return ErrorCode.INTERNAL_SERVER_ERROR  # a resolver broke its type's promise
    return ErrorCode.BAD_USER_INPUT  # an argument's value, checked as the field ran


def with_codes(body: MutableMapping[str, Any]) -> None:
    """Give each error in a response body that has no `extensions.code` its code."""
    for error in body.get("errors") or ():
        extensions = error.setdefault("extensions", {})
        if not extensions.get("code"):
            extensions["code"] = str(uncoded_error_code(error["message"], error.get("path")))


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
    """Give every error its code: client errors keep their message, ours are masked.

    503 while the database is down, 504 past the deadline.
    """

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
            if (error.extensions or {}).get("code"):
                processed.append(error)
                continue
            if isinstance(original, ClientError):
                message, code = error.message, original.code
            elif original is None or isinstance(original, GraphQLError):
                message, code = error.message, uncoded_error_code(error.message, error.path)
            elif isinstance(original, UNAVAILABLE_ERRORS):
                unavailable = True
                message, code = DATABASE_UNAVAILABLE, ErrorCode.DATABASE_UNAVAILABLE
            elif is_timed_out(original):
                timed_out = True
                seconds = getattr(self.execution_context.context, "request_timeout", 0.0)
                message, code = timed_out_message(seconds), ErrorCode.TIMEOUT
            else:
                logger.error("unexpected error in %s", error.path, exc_info=original)
                message, code = INTERNAL_ERROR, ErrorCode.INTERNAL_SERVER_ERROR
            processed.append(
                GraphQLError(
                    message,
                    nodes=error.nodes,
                    path=error.path,
                    original_error=original,
                    extensions={**(error.extensions or {}), "code": str(code)},
                )
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
