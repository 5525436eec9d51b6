"""The Starlette application: GraphQL at /graphql, liveness at /health, readiness at /ready."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

# Strawberry's HTTP views take and raise these (cross-web is one of strawberry's own dependencies).
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from neo4j.exceptions import DriverError, Neo4jError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol

from api.context import Context, Loaders
from api.errors import DATABASE_UNAVAILABLE
from api.persisted_queries import NotAllowedError, PersistedQueries
from api.schema import build_schema
from graph.database import UNAVAILABLE_ERRORS, Database, open_driver
from ogkg.settings import Settings

# Anything that stops the database answering a trivial query means "not ready".
NOT_READY_ERRORS: tuple[type[Exception], ...] = (*UNAVAILABLE_ERRORS, Neo4jError, DriverError)


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI app with a per-request context over the app's shared driver."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(build_schema(settings), graphql_ide="graphiql")
        self.database_name = settings.neo4j.database
        self.persisted_queries = (
            PersistedQueries.load(settings.persisted_queries)
            if settings.persisted_queries is not None
            else None
        )

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        """GraphiQL for a browser's GET, unless it names a persisted operation."""
        return super().should_render_graphql_ide(request) and (
            request.query_params.get("extensions") is None
        )

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
            raise HTTPException(400, str(refusal)) from refusal
        return replace(data, query=query)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        assert isinstance(request, Request) and isinstance(response, Response)
        database = Database(request.app.state.driver, self.database_name)
        return Context(
            request=request, response=response, database=database, loaders=Loaders(database)
        )


async def health(_: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def ready(request: Request) -> Response:
    database = Database(request.app.state.driver, request.app.state.settings.neo4j.database)
    try:
        await database.ping()
    except NOT_READY_ERRORS:
        return JSONResponse(
            {"status": "unavailable", "detail": DATABASE_UNAVAILABLE}, status_code=503
        )
    return JSONResponse({"status": "ready"})


async def home(_: Request) -> Response:
    return RedirectResponse("/graphql")


def create_app(settings: Settings) -> Starlette:
    """The ASGI app; the Neo4j driver is opened at start-up and closed at shutdown."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.driver = open_driver(settings.neo4j, settings.neo4j_uri)
        try:
            yield
        finally:
            await app.state.driver.close()

    graphql = GraphQLApp(settings)
    return Starlette(
        routes=[
            Route("/", home),
            Route("/health", health),
            Route("/ready", ready),
            Route("/graphql", graphql, methods=["GET", "POST"]),
        ],
        lifespan=lifespan,
    )


def app_from_environment() -> Starlette:
    """The app configured by the environment alone, for any ASGI server.

    For example, several workers on one machine:
    `uvicorn --factory api.app:app_from_environment --workers 4`.
    """
    return create_app(Settings())
