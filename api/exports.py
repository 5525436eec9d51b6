"""The open-data export over HTTP: GET /export lists the files, GET /export/{format}/{file} streams one from the graph."""

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route, Router
from starlette.types import ASGIApp

from api.authentication import authenticated
from api.rate_limits import RateLimits, RequestRateLimit
from api.token_verifier import TokenVerifier
from graph.database import Database
from graph.export_formats import ExportFormat, export_files
from ogkg.settings import Settings

logger = logging.getLogger("ogkg.export")


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
    logger.info("export of %s/%s begins", export_format.value, file.name)
    database = Database(
        request.app.state.driver,
        request.app.state.settings.neo4j.database,
        on_round_trip=request.app.state.metrics.count_round_trip,
    )
    return StreamingResponse(
        file.write(database),
        media_type=file.media_type,
        headers={"content-disposition": f'attachment; filename="{file.name}"'},
    )


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
