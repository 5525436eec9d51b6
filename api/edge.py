"""The HTTP edge in front of every route, outermost first: what each request passes on its way in."""

from starlette.middleware import Middleware

from api.body_limits import RequestSizeLimit
from api.compression import compressed
from api.cors import CrossOrigin
from api.security_headers import SecurityHeaders
from ogkg.settings import Settings


def edge_middleware(settings: Settings) -> list[Middleware]:
    """The middleware stack for `Starlette(middleware=...)`, from the settings."""
    cors = [Middleware(CrossOrigin, origins=settings.cors_origins)] if settings.cors_origins else []
    return [
        Middleware(SecurityHeaders),
        *cors,
        Middleware(compressed, minimum_size=settings.compress_min_bytes),
        Middleware(
            RequestSizeLimit,
            max_body_bytes=settings.max_body_bytes,
            max_query_string_bytes=settings.max_query_string_bytes,
        ),
    ]
