"""The outermost middleware: a request id for every request (logs, response header), its metrics, its access log line and its trace span."""

import logging
import time
from collections.abc import Sequence
from contextlib import nullcontext
from typing import Any

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import SpanKind
from starlette.datastructures import Headers, MutableHeaders
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.logs import INNER_REQUEST, REQUEST_ID, REQUEST_ID_HEADER, RequestIds
from api.metrics import Metrics
from api.warm_up import WARMING_UP

logger = logging.getLogger("ogkg.access")

UNMATCHED = "unmatched"
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def route_template(routes: Sequence[BaseRoute], path: str) -> str:
    """The path template of the app's route (or mount) that `path` falls under: a bounded label."""
    for route in routes:
        pattern = getattr(route, "path_regex", None)
        if pattern is not None and pattern.match(path):
            return str(getattr(route, "path", UNMATCHED)) or "/"
    return UNMATCHED


class VitalSigns:
    """Give each request its id, its metrics, its log line and its span.

    The id is the client's `X-Request-Id` if sane, else a new one; every log line written while
    the request runs carries it, and the response echoes it.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: Metrics,
        routes: Sequence[BaseRoute],
        tracer_provider: TracerProvider | None,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.routes = routes
        self.tracer = tracer_provider.get_tracer("ogkg") if tracer_provider else None
        self.request_ids = RequestIds()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = self.request_ids.request_id_from(Headers(scope=scope).get(REQUEST_ID_HEADER))
        token = REQUEST_ID.set(request_id)
        method = scope["method"] if scope["method"] in KNOWN_METHODS else "other"
        route = route_template(self.routes, scope["path"])
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        span: Any = (
            self.tracer.start_as_current_span(
                f"{method} {route}",
                kind=SpanKind.SERVER,
                attributes={
                    "http.request.method": method,
                    "http.route": route,
                    "ogkg.request_id": request_id,
                },
            )
            if self.tracer is not None
            else nullcontext()
        )
        try:
            with span as current:
                await self.app(scope, receive, send_with_id)
                if current is not None:
                    current.set_attribute("http.response.status_code", status)
        finally:
            seconds = time.perf_counter() - started
            # The warm-up's requests, made before the service is ready, are not traffic.
            traffic = not WARMING_UP.get()
            if traffic:
                self.metrics.count_request(route, method, status, seconds)
            level = logging.DEBUG if INNER_REQUEST.get() else logging.INFO
            if traffic and logger.isEnabledFor(level):  # at warning, no line is made at all
                logger.log(
                    level,
                    "%s %s %s",
                    scope["method"],
                    scope["path"],
                    status,
                    extra={
                        "method": scope["method"],
                        "path": scope["path"],
                        "route": route,
                        "status": status,
                        "duration_ms": round(seconds * 1000, 2),
                    },
                )
            REQUEST_ID.reset(token)
