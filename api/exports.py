"""The open-data export over HTTP: GET /export lists the files, GET /export/{format}/{file} streams one from the graph."""

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

from neo4j.exceptions import DriverError, Neo4jError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from api.authentication import authenticated
from api.rate_limits import RateLimits, RequestRateLimit
from api.token_verifier import TokenVerifier
from graph.database import Database
from graph.export_formats import ExportFormat, export_files
from ogkg.settings import Settings

logger = logging.getLogger("ogkg.export")
RETRY_AFTER_SECONDS = 30


async def export_index(request: Request) -> Response:
    """Every format's files, with the path to fetch each."""
    return JSONResponse(
        {
            export_format.value: [
                f"{request.scope.get('root_path', '')}/{export_format.value}/{name}"
                for name in export_files(export_format)
            ]
            for export_format in ExportFormat
        }
    )


async def export_file(request: Request) -> Response:
    """One file of an export, streamed as it is read from Neo4j (memory stays flat)."""
    try:
        export_format = ExportFormat(request.path_params["format"])
    except ValueError:
        return JSONResponse({"detail": "no such export format"}, status_code=404)
    file = export_files(export_format).get(request.path_params["file"])
    if file is None:
        return JSONResponse({"detail": "no such file in this export"}, status_code=404)
    streams: ExportStreams = request.app.state.export_streams
    if not streams.take():
        return JSONResponse(
            {"detail": f"{streams.most} exports are being downloaded; try again shortly"},
            status_code=503,
            headers={"retry-after": str(RETRY_AFTER_SECONDS)},
        )
    logger.info("export of %s/%s begins", export_format.value, file.name)
    settings: Settings = request.app.state.settings
    database = Database(
        request.app.state.driver,
        settings.neo4j.database,
        stream_timeout=settings.export_timeout,
        on_round_trip=request.app.state.metrics.count_round_trip,
    )
    name = f"{export_format.value}/{file.name}"
    return ExportResponse(
        streams,
        database,
        _cut_short_quietly(file.write(database), name),
        settings.export_timeout,
        name,
        media_type=file.media_type,
        headers={"content-disposition": f'attachment; filename="{file.name}"'},
    )


class ExportStreams:
    """How many exports stream at once: each holds a Neo4j connection until it is read to the end."""

    def __init__(self, most: int) -> None:
        self.most = most
        self.running = 0

    def take(self) -> bool:
        """A place for one more stream, if one is free."""
        if self.running >= self.most:
            return False
        self.running += 1
        return True


class ExportResponse(StreamingResponse):
    """A download with a deadline, giving its place back however it ends.

    Read out, abandoned, or cut off at `timeout` seconds: a client that stops reading leaves the
    stream waiting to send, so the deadline is kept here, around the whole response, and ending
    it closes the Neo4j transaction and gives its connection back (Neo4j's own transaction timeout,
    the same, is the backstop).
    """

    def __init__(
        self,
        streams: ExportStreams,
        database: Database,
        chunks: AsyncIterator[str],
        timeout: float,
        name: str,
        **options: Any,
    ) -> None:
        super().__init__(chunks, **options)
        self.streams = streams
        self.database = database
        self.timeout = timeout
        self.name = name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            async with asyncio.timeout(self.timeout):
                await super().__call__(scope, receive, send)
        except TimeoutError:
            logger.warning("export of %s cut short after %.0f s", self.name, self.timeout)
        finally:
            self.streams.running -= 1
            await self.database.close_streams()


async def _cut_short_quietly(chunks: AsyncIterator[str], name: str) -> AsyncIterator[str]:
    """`chunks` until they end, or until Neo4j ends the stream (past `OGKG_EXPORT_TIMEOUT`).

    Then the client's download is short, and the log says why.
    """
    try:
        async for chunk in chunks:
            yield chunk
    except (Neo4jError, DriverError) as error:
        logger.warning("export of %s cut short: %s", name, error)


def export_app(settings: Settings, rate_limits: RateLimits, verifier: TokenVerifier) -> ASGIApp:
    """The export's routes, behind the same sign-in rule and rate limit as GraphQL reads."""
    router = Router(
        routes=[
            Route("/", export_index),
            Route("/{format}/{file}", export_file),
        ]
    )
    return authenticated(
        RequestRateLimit(router, rate_limits),
        verifier,
        require_sign_in=settings.require_sign_in_to_read,
    )
