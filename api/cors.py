"""Cross-origin access for browser dashboards: listed origins may send tokens, `*` may only read.

`OGKG_CORS_ORIGINS` lists the origins; each listed one gets preflights answered for GET and POST
with `Authorization`, and `Access-Control-Allow-Credentials`. With `*` in the list, any other
origin gets `Access-Control-Allow-Origin: *` and no `Authorization` (public read-only use).
"""

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

METHODS = ("GET", "POST")
READ_HEADERS = ("accept", "content-type")
# Browsers only let a page read the headers a response names: a dashboard backs off on 429.
EXPOSED = ("retry-after",)
PREFLIGHT_CACHE_SECONDS = 600


class CrossOrigin:
    """ASGI middleware: CORS for the listed origins (with credentials) and, with `*`, for any other."""

    def __init__(self, app: ASGIApp, *, origins: list[str]) -> None:
        self.app = app
        self.listed = frozenset(origin for origin in origins if origin != "*")
        self.signed_in = CORSMiddleware(
            app,
            allow_origins=sorted(self.listed),
            allow_methods=METHODS,
            allow_headers=(*READ_HEADERS, "authorization"),
            allow_credentials=True,
            expose_headers=EXPOSED,
            max_age=PREFLIGHT_CACHE_SECONDS,
        )
        self.public = (
            CORSMiddleware(
                app,
                allow_origins=["*"],
                allow_methods=METHODS,
                allow_headers=READ_HEADERS,
                allow_credentials=False,
                expose_headers=EXPOSED,
                max_age=PREFLIGHT_CACHE_SECONDS,
            )
            if "*" in origins
            else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = Headers(scope=scope).get("origin")
        if origin is None or self.public is None or origin in self.listed:
            await self.signed_in(scope, receive, send)
            return

        async def varying_send(message: Message) -> None:
            # The answer differs for listed origins: caches must key it by Origin.
            if message["type"] == "http.response.start" and self.listed:
                MutableHeaders(scope=message).add_vary_header("Origin")
            await send(message)

        await self.public(scope, receive, varying_send)
