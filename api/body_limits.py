"""Refuse oversized requests before they are read whole: bodies (413) and query strings (414).

A declared `Content-Length` over the limit is refused without reading a byte of the body; a body
sent without one (chunked) is counted as it streams in and refused as soon as it passes the limit.
"""

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ErrorCode, refusal_response

REQUEST_TOO_LARGE = ErrorCode.REQUEST_TOO_LARGE
QUERY_STRING_TOO_LONG = ErrorCode.QUERY_STRING_TOO_LONG


class BodyTooLargeError(Exception):
    """Raised from `receive` when the body streaming in passes the limit."""


class RequestSizeLimit:
    """ASGI middleware: at most `max_body_bytes` of body and `max_query_string_bytes` of query."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_query_string_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_query_string_bytes = max_query_string_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if len(scope.get("query_string", b"")) > self.max_query_string_bytes:
            await self._refuse_query_string(headers, scope, receive, send)
            return
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._refuse_body(headers, scope, receive, send)
            return

        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLargeError
            return message

        async def watching_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLargeError:
            if response_started:
                raise
            await self._refuse_body(headers, scope, receive, send)

    async def _refuse_body(
        self, headers: Headers, scope: Scope, receive: Receive, send: Send
    ) -> None:
        # The rest of the body is never read: the connection closes after the answer.
        response = refusal_response(
            headers,
            413,
            f"The request body is over the limit of {self.max_body_bytes:,} bytes.",
            REQUEST_TOO_LARGE,
            headers={"connection": "close"},
            extensions={"limit": self.max_body_bytes},
        )
        await response(scope, receive, send)

    async def _refuse_query_string(
        self, headers: Headers, scope: Scope, receive: Receive, send: Send
    ) -> None:
        response = refusal_response(
            headers,
            414,
            f"The query string is over the limit of {self.max_query_string_bytes:,} bytes: "
            "send long operations by POST.",
            QUERY_STRING_TOO_LONG,
            extensions={"limit": self.max_query_string_bytes},
        )
        await response(scope, receive, send)
