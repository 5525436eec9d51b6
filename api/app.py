"""The Starlette application: GraphQL at /graphql, liveness at /health, readiness at /ready."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from neo4j.exceptions import DriverError, Neo4jError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from api.context import Context, Loaders
from api.errors import DATABASE_UNAVAILABLE
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
