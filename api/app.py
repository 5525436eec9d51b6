"""The Starlette application: the explorer's pages at /, GraphQL at /graphql (behind the authenticator), liveness at /health, readiness at /ready, metrics at /metrics, open-data exports at /export, all behind the HTTP edge."""

import asyncio
import logging
import logging.config
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any, cast

import orjson

# Strawberry's HTTP views take and raise these (cross-web is one of strawberry's own dependencies).
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError
from neo4j.exceptions import DriverError, Neo4jError
from opentelemetry.sdk.trace import TracerProvider
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.types import ExecutionResult

from api.authentication import authenticated, principal_of
from api.context import Context, Loaders
from api.edge import edge_middleware
from api.encoding import WHOLE_RESPONSE_BYTES, EncodedBody, chunks, encoded_body
from api.errors import (
    DATABASE_UNAVAILABLE,
    GRAPHQL_RESPONSE,
    ErrorCode,
    accepts_graphql_response,
    is_request_error,
    refusal_response,
    timed_out_message,
    with_codes,
)
from api.explorer.pages import explorer_routes
from api.exports import ExportStreams, export_app
from api.garbage_collection import freeze_start_up_heap
from api.graph_sizes import GraphSizes
from api.graphiql_assets import ASSETS_DIR, ASSETS_PATH, page_with_local_assets
from api.logs import log_config
from api.metrics import Metrics, OperationMetrics, metrics_endpoint
from api.persisted_queries import NotAllowedError, PersistedQueries
from api.prepared_reads import Key, PreparedReads, answer, still_priced
from api.rate_limits import RateLimits, RequestRateLimit
from api.schema import build_schema
from api.security_headers import graphiql_policy
from api.token_verifier import build_verifier
from api.tracing import tracer_provider, tracing_extensions
from api.vital_signs import VitalSigns
from api.warm_up import warm_the_rest, warm_up
from graph.database import UNAVAILABLE_ERRORS, Database, open_driver
from ogkg.settings import Settings

# Anything that stops the database answering a trivial query means "not ready".
# Seconds Neo4j may take to measure the graph's statistics (a pass over every node's degrees).
STATISTICS_TIMEOUT = 120.0
logger = logging.getLogger("ogkg.api")
NOT_READY_ERRORS: tuple[type[Exception], ...] = (*UNAVAILABLE_ERRORS, Neo4jError, DriverError)


# Strawberry turns an HTTP request away with these statuses; the code each gets.
HTTP_REFUSAL_CODES = {
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
}


class NotAllowedRefusal(HTTPException):
    """An operation not on the allow-list, refused with its own code."""

    code = ErrorCode.PERSISTED_QUERY_NOT_ALLOWED


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI app with a per-request context over the app's shared driver."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Strawberry's, with its plain-text refusals (bad JSON, a wrong method) as coded errors."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        try:
            response = await self.run(request)
        except HTTPException as refusal:
            code = getattr(refusal, "code", None) or HTTP_REFUSAL_CODES.get(
                refusal.status_code, ErrorCode.BAD_REQUEST
            )
            response = refusal_response(request.headers, refusal.status_code, refusal.reason, code)
            request.app.state.metrics.count_errors([{"extensions": {"code": code}}])
        await response(scope, receive, send)

    def __init__(
        self, settings: Settings, rate_limits: RateLimits, tracer: TracerProvider | None = None
    ) -> None:
        schema = build_schema(settings)
        # Metrics first: it sees each operation's errors last, once every code is set.
        schema.extensions = (OperationMetrics, *schema.extensions, *tracing_extensions(tracer))
        super().__init__(schema, graphql_ide="graphiql")
        self._graphql_ide_page = page_with_local_assets(super().graphql_ide_html)
        self.rate_limits = rate_limits
        self.database_name = settings.neo4j.database
        self.request_timeout = settings.request_timeout
        self.persisted_queries = (
            PersistedQueries.load(settings.persisted_queries)
            if settings.persisted_queries is not None
            else None
        )
        # Repeats answered from their kept plan; not while tracing, whose spans follow strawberry's
        # own execution.
        self.prepared_reads = (
            PreparedReads() if settings.compiled_reads and tracer is None else None
        )

    @property
    def graphql_ide_html(self) -> str:
        """Strawberry's GraphiQL page, loading its assets from the app (built once)."""
        return self._graphql_ide_page

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        if accepts_graphql_response(request.headers):
            sub_response.media_type = GRAPHQL_RESPONSE
        return sub_response

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        """Strawberry's JSON response, in the media type the client asked for.

        For `application/graphql-response+json` clients, a request refused before execution (its
        body has errors and no data) is a 400, as GraphQL over HTTP asks; plain JSON gets 200.
        """
        if isinstance(response_data, EncodedBody):
            response = self._encoded_response(response_data, sub_response)
        else:
            response = super().create_response(response_data, sub_response)
        if sub_response.media_type == GRAPHQL_RESPONSE:
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
            refused = isinstance(response_data, dict) and "data" not in response_data
            if refused and response.status_code == 200:
                response.status_code = 400
        return response

    @staticmethod
    def _encoded_response(body: EncodedBody, sub_response: Response) -> Response:
        """The body made in `process_result`: whole when small, else streamed in chunks."""
        status = sub_response.status_code or 200
        response: Response
        if body.size <= WHOLE_RESPONSE_BYTES:
            response = Response(b"".join(body.pieces), status, media_type="application/json")
        else:
            response = StreamingResponse(chunks(body.pieces), status, media_type="application/json")
        response.headers.raw.extend(sub_response.headers.raw)
        if sub_response.background:
            response.background = sub_response.background
        return response

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        """The response body; a refused request has no `data` for GraphQL-over-HTTP clients."""
        body = await super().process_result(request, result)
        with_codes(cast(dict[str, Any], body))  # errors no extension saw (a syntax error)
        request.app.state.metrics.count_errors(body.get("errors"))
        if is_request_error(result) and accepts_graphql_response(request.headers):
            body.pop("data", None)
        # Made here, where the loop can be given back, not in the synchronous `create_response`.
        return cast(GraphQLHTTPResponse, await encoded_body(cast(dict[str, Any], body)))

    async def execute_operation(  # noqa: PLR0917 (strawberry's signature)
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: Context,
        root_value: None,
        sub_response: Response,
    ) -> Any:
        """Strawberry's execution, ended at the request's deadline with the error code TIMEOUT.

        Ending it cancels the Neo4j read in flight (the driver drops that connection, which ends
        its transaction; Neo4j's own transaction timeout, the same deadline, is the backstop).
        """
        key = (
            PreparedReads.key(request_data)
            if self.prepared_reads is not None
            and isinstance(request_data, GraphQLRequestData)
            and request_data.protocol == "http"
            else None
        )
        try:
            async with asyncio.timeout(self.request_timeout):
                if key is not None and (prepared := await self._prepared(key, context)):
                    return prepared
                result = await super().execute_operation(
                    request, request_adapter, request_data, context, root_value, sub_response
                )
                if key is not None and isinstance(result, ExecutionResult):
                    assert self.prepared_reads is not None
                    self.prepared_reads.keep(key, context.preparation, result)
                return result
        except TimeoutError:
            sub_response.status_code = 504
            return ExecutionResult(
                data=None,
                errors=[
                    GraphQLError(
                        timed_out_message(self.request_timeout),
                        extensions={"code": ErrorCode.TIMEOUT, "timeout": self.request_timeout},
                    )
                ],
            )

    async def _prepared(self, key: Key, context: Context) -> ExecutionResult | None:
        """The answer from the document's kept plan, or None if the general path must answer.

        None when nothing is kept for `key`, when the graph's statistics changed since it was
        priced, or when a statement fails (the general path then meets the failure and reports
        it as it always does).
        """
        assert self.prepared_reads is not None
        prepared = self.prepared_reads.get(key)
        if prepared is None:
            return None
        started = time.perf_counter()
        statistics = (
            await context.graph_sizes.current() if prepared.statistics is not None else None
        )
        if not still_priced(prepared, statistics):
            self.prepared_reads.forget(key)
            return None
        database = context.database
        round_trips = database.round_trips
        try:
            result = await answer(prepared, database)
        except Exception:  # any failure: the general path answers and reports it
            database.round_trips = round_trips
            return None
        self.prepared_reads.hits += 1
        metrics: Metrics = context.request.app.state.metrics
        metrics.observe_operation(prepared.operation_name, time.perf_counter() - started)
        return result

    def decode_json(self, data: str | bytes) -> object:
        """A request body's JSON, read by orjson.

        What only `json` reads (NaN, integers past 64 bits) is read by `json`, as before.
        """
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            try:
                return super().decode_json(data)
            except RecursionError as too_deep:  # orjson stops at 1,024 levels; `json` overflows
                raise HTTPException(
                    400, "The request's JSON nests too deeply to be a GraphQL request."
                ) from too_deep

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        """GraphiQL for a browser's GET, unless it names a persisted operation."""
        return super().should_render_graphql_ide(request) and (
            request.query_params.get("extensions") is None
        )

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL's page, with the content security policy that lets exactly it load."""
        page = HTMLResponse(self.graphql_ide_html)
        page.headers["content-security-policy"] = graphiql_policy(bytes(page.body))
        return page

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """The request's operation(s); with an allow-list, only the listed ones."""
        parsed = await super().parse_http_body(request)
        if self.persisted_queries is None:
            return parsed
        if isinstance(parsed, list):
            return [self._allowed(item) for item in parsed]
        return self._allowed(parsed)

    def _allowed(self, data: GraphQLRequestData) -> GraphQLRequestData:
        assert self.persisted_queries is not None
        try:
            query = self.persisted_queries.resolve(data.query, data.extensions)
        except NotAllowedError as refusal:
            raise NotAllowedRefusal(400, str(refusal)) from refusal
        return replace(data, query=query)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        assert isinstance(request, Request) and isinstance(response, Response)
        database = Database(
            request.app.state.driver,
            self.database_name,
            read_timeout=self.request_timeout,
            on_round_trip=request.app.state.metrics.count_round_trip,
        )
        return Context(
            request=request,
            response=response,
            database=database,
            loaders=Loaders(database),
            principal=principal_of(request),
            rate_limits=self.rate_limits,
            request_timeout=self.request_timeout,
            graph_sizes=request.app.state.graph_sizes,
        )


async def health(request: Request) -> Response:
    """Alive; `instance` tells one start of the service from the next."""
    return JSONResponse({"status": "ok", "instance": request.app.state.instance})


async def ready(request: Request) -> Response:
    database = Database(
        request.app.state.driver,
        request.app.state.settings.neo4j.database,
        on_round_trip=request.app.state.metrics.count_round_trip,
    )
    try:
        await database.ping()
    except NOT_READY_ERRORS:
        return JSONResponse(
            {"status": "unavailable", "detail": DATABASE_UNAVAILABLE}, status_code=503
        )
    return JSONResponse({"status": "ready", "instance": request.app.state.instance})


async def _warm_the_rest(app: Starlette) -> None:
    """The explorer's other pages, warmed while the service already answers."""
    try:
        seconds = await warm_the_rest(app)
    except Exception as error:  # a warm-up never stops the service
        logger.warning("warm-up of the other pages stopped: %r", error)
    else:
        logger.info("the explorer's other pages warmed up in %.1f s", seconds)


def create_app(settings: Settings) -> Starlette:
    """The ASGI app; the Neo4j driver is opened at start-up and closed at shutdown."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.driver = open_driver(settings.neo4j, settings.neo4j_uri)
        app.state.graph_sizes = GraphSizes(
            Database(app.state.driver, settings.neo4j.database, read_timeout=STATISTICS_TIMEOUT),
            settings.statistics_ttl,
        )
        app.state.warming = None
        if settings.warm_up:
            seconds = await warm_up(
                app,
                Database(
                    app.state.driver, settings.neo4j.database, read_timeout=STATISTICS_TIMEOUT
                ),
                app.state.graph_sizes,
            )
            logger.info("warmed up in %.1f s", seconds)
            app.state.warming = asyncio.create_task(_warm_the_rest(app))
        freeze_start_up_heap()
        try:
            yield
        finally:
            if app.state.warming is not None:
                app.state.warming.cancel()
            await app.state.driver.close()

    # Per process: with `memory://` storage each worker keeps its own counts (see README).
    rate_limits = RateLimits(settings)
    verifier = build_verifier(settings)
    tracer = tracer_provider(settings)
    metrics = Metrics(settings)
    graphql_app = GraphQLApp(settings, rate_limits, tracer)
    graphql = authenticated(
        RequestRateLimit(graphql_app, rate_limits),
        verifier,
        require_sign_in=settings.require_sign_in_to_read,
    )
    routes = [
        Route("/health", health),
        Route("/ready", ready),
        Route("/metrics", metrics_endpoint),
        # Strawberry answers the other methods with 405 itself, as a coded GraphQL error.
        Route("/graphql", graphql, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        Mount("/export", export_app(settings, rate_limits, verifier)),
        Mount(ASSETS_PATH, StaticFiles(directory=ASSETS_DIR), name="graphiql-assets"),
        # The explorer's pages ask /graphql like any client (api/explorer/documents.py).
        *explorer_routes(),
    ]
    vital_signs = Middleware(VitalSigns, metrics=metrics, routes=routes, tracer_provider=tracer)
    app = Starlette(
        routes=routes, middleware=[vital_signs, *edge_middleware(settings)], lifespan=lifespan
    )
    app.state.instance = os.urandom(6).hex()  # this start's id, on /health and /ready
    app.state.metrics = metrics  # here, not at start-up: `ogkg serve` adds its ingest counts
    app.state.prepared_reads = graphql_app.prepared_reads
    app.state.export_streams = ExportStreams(settings.max_exports)
    app.state.tracer_provider = tracer
    return app


def app_from_environment() -> Starlette:
    """The app configured by the environment alone, for any ASGI server.

    For example, several workers on one machine:
    `uvicorn --factory api.app:app_from_environment --workers 4`. Its logging follows the
    settings too (JSON lines with request ids by default), in place of the server's own.
    """
    settings = Settings()
    logging.config.dictConfig(log_config(settings.log_level, settings.log_format))
    return create_app(settings)
