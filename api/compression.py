"""Response compression: zstd, br or gzip (the first the client accepts, in that order), above a size.

starlette-compress picks the encoding from `Accept-Encoding`, sets `Content-Encoding` and
`Vary: Accept-Encoding`, and leaves small bodies (under `minimum_size`) as they are.
"""

from starlette.types import ASGIApp
from starlette_compress import CompressMiddleware, add_compress_type

from api.errors import GRAPHQL_RESPONSE


def compressed(app: ASGIApp, *, minimum_size: int) -> ASGIApp:
    """`app` with its responses compressed when the client accepts it."""
    # The library compresses the media types it knows; registering ours again changes nothing.
    add_compress_type(GRAPHQL_RESPONSE)
    return CompressMiddleware(app, minimum_size=minimum_size)
