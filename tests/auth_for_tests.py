"""Helpers for the sign-in tests: an API without Neo4j, tokens signed by hand, the viewer query."""

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt

from ogkg.settings import Neo4jSettings, Settings
from ogkg.signing_key import PrivateKey
from ogkg.tokens import LOCAL_AUDIENCE, LOCAL_ISSUER
from tests.conftest import start_server
from tests.neo4j_server import free_port

VIEWER = "{ viewer { subject name roles } }"


def offline_settings(home: Path, **overrides: Any) -> Settings:
    """Settings for an API whose Neo4j is nowhere: sign-in and `viewer` need no graph."""
    unreachable = Neo4jSettings(uri=f"bolt://127.0.0.1:{free_port()}", connection_timeout=1)
    return Settings(home=home, neo4j=unreachable, port=0, **{"warm_up": False, **overrides})


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The real app over real HTTP on a free loopback port; yields its GraphQL URL."""
    running = start_server(settings)
    try:
        yield f"{running.url}/graphql"
    finally:
        running.stop()


def claims(**overrides: Any) -> dict[str, Any]:
    """A local token's claims, valid for an hour from now, with any of them replaced or dropped."""
    now = datetime.now(UTC)
    base: dict[str, Any] = {
        "iss": LOCAL_ISSUER,
        "aud": LOCAL_AUDIENCE,
        "sub": "alice",
        "name": "Alice Example",
        "roles": ["coordinator"],
        "iat": now,
        "exp": now + timedelta(hours=1),
    }
    base.update(overrides)
    return {name: value for name, value in base.items() if value is not None}


def sign(
    payload: dict[str, Any], key: PrivateKey, algorithm: str, key_id: str | None = None
) -> str:
    headers = {"kid": key_id} if key_id else None
    return jwt.encode(payload, key, algorithm=algorithm, headers=headers)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(payload: dict[str, Any]) -> str:
    """An `alg: none` token: no signature at all."""
    body = json.dumps(payload, default=lambda value: int(value.timestamp())).encode()
    return f"{b64(json.dumps({'alg': 'none', 'typ': 'JWT'}).encode())}.{b64(body)}."


def ask(
    url: str, token: str | None = None, *, query: str = VIEWER, accept: str | None = None
) -> httpx.Response:
    headers = {"authorization": f"Bearer {token}"} if token is not None else {}
    if accept is not None:
        headers["accept"] = accept
    return httpx.post(url, json={"query": query}, headers=headers, timeout=30)


def viewer(url: str, token: str | None = None) -> dict[str, Any] | None:
    """The `viewer` the API answers for this token; fails the test on any error."""
    response = ask(url, token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    result: dict[str, Any] | None = body["data"]["viewer"]
    return result


def refusal(response: httpx.Response) -> str:
    """The error code of a request refused for its token (HTTP 401 with a Bearer challenge)."""
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert "data" not in body, body
    code: str = body["errors"][0]["extensions"]["code"]
    return code
