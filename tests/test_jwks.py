"""Tokens from an OIDC provider: keys fetched from a real JWKS server, rotation picked up, refetches rationed."""

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from tests.auth_for_tests import ask, claims, offline_settings, refusal, serving, sign, viewer
from tests.neo4j_server import free_port

ISSUER = "https://id.example.org/realms/ogkg"
AUDIENCE = "ogkg-api"
MIN_REFRESH = 1.0


class JwksServer:
    """A provider's JWKS endpoint on loopback: the published keys can change, fetches are counted."""

    def __init__(self) -> None:
        self.document: dict[str, Any] = {"keys": []}
        self.fetches = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.fetches += 1
                body = json.dumps(owner.document).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/protocol/openid-connect/certs"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def publish(self, *keys: dict[str, Any]) -> None:
        self.document = {"keys": list(keys)}


def rsa_jwk(key: rsa.RSAPrivateKey, key_id: str) -> dict[str, Any]:
    return RSAAlgorithm.to_jwk(key.public_key(), as_dict=True) | {
        "kid": key_id,
        "use": "sig",
        "alg": "RS256",
    }


def ec_jwk(key: ec.EllipticCurvePrivateKey, key_id: str) -> dict[str, Any]:
    return ECAlgorithm.to_jwk(key.public_key(), as_dict=True) | {"kid": key_id, "use": "sig"}


@pytest.fixture
def jwks() -> Iterator[JwksServer]:
    server = JwksServer()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def provider_claims(**overrides: Any) -> dict[str, Any]:
    return claims(**({"iss": ISSUER, "aud": AUDIENCE, "sub": "f81d4fae-7dec"} | overrides))


def test_provider_tokens_are_checked_against_its_jwks_and_rotation_is_picked_up(
    jwks: JwksServer, tmp_path: Path
) -> None:
    first = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwks.publish(rsa_jwk(first, "2024-01"))
    settings = offline_settings(
        tmp_path,
        jwks_url=jwks.url,
        oidc_issuer=ISSUER,
        oidc_audience=AUDIENCE,
        jwks_min_refresh_seconds=MIN_REFRESH,
    )
    with serving(settings) as url:
        token = sign(provider_claims(roles=["contributor"]), first, "RS256", "2024-01")
        assert viewer(url, token) == {
            "subject": "f81d4fae-7dec",
            "name": "Alice Example",
            "roles": ["CONTRIBUTOR"],
        }
        assert viewer(url, token) is not None
        assert jwks.fetches == 1  # cached
        fetched_at = time.monotonic()

        # The provider rotates to a new key with a new kid.
        second = ec.generate_private_key(ec.SECP256R1())
        jwks.publish(rsa_jwk(first, "2024-01"), ec_jwk(second, "2024-07"))
        rotated = sign(provider_claims(roles=["admin"]), second, "ES256", "2024-07")
        # Within the minimum interval an unknown kid is refused without asking the provider.
        assert refusal(ask(url, rotated)) == "UNAUTHENTICATED"
        assert jwks.fetches == 1
        time.sleep(max(0.0, MIN_REFRESH - (time.monotonic() - fetched_at)) + 0.1)
        rotated_viewer = viewer(url, rotated)
        assert rotated_viewer is not None and rotated_viewer["roles"] == ["ADMIN"]
        assert jwks.fetches == 2

        # A made-up kid right after gets no fetch: the interval rations them.
        made_up = sign(provider_claims(), second, "ES256", "no-such-key")
        assert refusal(ask(url, made_up)) == "UNAUTHENTICATED"
        assert jwks.fetches == 2


def test_a_key_the_provider_withdrew_stops_counting_when_the_cache_expires(
    jwks: JwksServer, tmp_path: Path
) -> None:
    old, new = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    jwks.publish(ec_jwk(old, "old"))
    settings = offline_settings(
        tmp_path,
        jwks_url=jwks.url,
        oidc_issuer=ISSUER,
        oidc_audience=AUDIENCE,
        jwks_cache_seconds=0.5,
        jwks_min_refresh_seconds=0,
    )
    with serving(settings) as url:
        token = sign(provider_claims(), old, "ES256", "old")
        assert viewer(url, token) is not None
        jwks.publish(ec_jwk(new, "new"))
        time.sleep(0.6)
        assert refusal(ask(url, token)) == "UNAUTHENTICATED"
        assert viewer(url, sign(provider_claims(), new, "ES256", "new")) is not None
        assert jwks.fetches == 2


def test_provider_tokens_with_bad_claims_or_keys_are_refused(
    jwks: JwksServer, tmp_path: Path
) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    stranger = ec.generate_private_key(ec.SECP256R1())
    jwks.publish(ec_jwk(key, "k1"))
    settings = offline_settings(
        tmp_path, jwks_url=jwks.url, oidc_issuer=ISSUER, oidc_audience=AUDIENCE
    )
    with serving(settings) as url:
        assert viewer(url, sign(provider_claims(), key, "ES256", "k1")) is not None
        for token in (
            sign(provider_claims(aud="another-api"), key, "ES256", "k1"),
            sign(provider_claims(iss="https://id.example.org/realms/other"), key, "ES256", "k1"),
            sign(provider_claims(), stranger, "ES256", "k1"),
            # The local install's issuer and audience do not count when a provider is configured.
            sign(claims(), key, "ES256", "k1"),
        ):
            assert refusal(ask(url, token)) == "UNAUTHENTICATED"


def test_an_unreachable_jwks_is_503_not_a_bad_token(tmp_path: Path) -> None:
    settings = offline_settings(
        tmp_path,
        jwks_url=f"http://127.0.0.1:{free_port()}/jwks.json",
        oidc_issuer=ISSUER,
        oidc_audience=AUDIENCE,
    )
    key = ec.generate_private_key(ec.SECP256R1())
    with serving(settings) as url:
        response = ask(url, sign(provider_claims(), key, "ES256", "k1"))
        assert response.status_code == 503, response.text
        assert response.json()["errors"][0]["extensions"]["code"] == "AUTHENTICATION_UNAVAILABLE"
        assert viewer(url) is None  # anonymous reading goes on
