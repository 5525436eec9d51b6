"""Asks the app's own `/graphql` endpoint, in process, exactly as any outside client would."""

from dataclasses import dataclass
from typing import Any

import httpx
from starlette.requests import Request
from starlette.types import ASGIApp

from api.logs import INNER_REQUEST

# The caller's headers that make its GraphQL requests its own: who it is and what it reads.
FORWARDED_HEADERS = ("authorization", "accept-language")
GRAPHQL_TIMEOUT = 60.0


class PublicApiError(Exception):
    """The API refused or failed a page's request; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.status = status
        self.messages = messages


@dataclass(frozen=True)
class PublicApi:
    """One page request's view of the API: its caller's address and credentials, passed on."""

    app: ASGIApp
    client: tuple[str, int]
    headers: dict[str, str]

    @classmethod
    def for_request(cls, request: Request) -> "PublicApi":
        """The API as the page's caller sees it: rate limits and sign-in apply to them."""
        client = (request.client.host, request.client.port) if request.client else ("unknown", 0)
        headers = {
            name: request.headers[name] for name in FORWARDED_HEADERS if name in request.headers
        }
        return cls(request.app, client, headers)

    async def ask(self, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The `data` of one GraphQL document; any error in the answer raises `PublicApiError`."""
        inner = INNER_REQUEST.set(True)
        try:
            transport = httpx.ASGITransport(app=self.app, client=self.client)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://explorer.internal", timeout=GRAPHQL_TIMEOUT
            ) as client:
                response = await client.post(
                    "/graphql",
                    json={
                        "query": document,
                        "variables": {k: v for k, v in (variables or {}).items() if v is not None},
                    },
                    headers={
                        **self.headers,
                        "accept": "application/json",
                        "accept-encoding": "identity",
                    },
                )
        finally:
            INNER_REQUEST.reset(inner)
        try:
            body: dict[str, Any] = response.json()
        except ValueError as refusal:
            raise PublicApiError(response.status_code, [response.text[:200]]) from refusal
        errors = body.get("errors") or []
        if errors or response.status_code != 200 or body.get("data") is None:
            status = response.status_code if response.status_code >= 400 else 400
            codes = {error.get("extensions", {}).get("code") for error in errors}
            if "NOT_FOUND" in codes:
                status = 404
            raise PublicApiError(
                status,
                [str(error.get("message")) for error in errors] or [f"HTTP {response.status_code}"],
            )
        data: dict[str, Any] = body["data"]
        return data
