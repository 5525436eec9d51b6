"""Signing in over real HTTP with the local key: good tokens name the viewer, bad ones get UNAUTHENTICATED."""

import base64
import dataclasses
import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from api.principal import Principal, Role
from api.token_verifier import AuthSettingsError, build_verifier
from ogkg.signing_key import SigningKey, load_signing_key
from ogkg.tokens import issue_token
from tests.auth_for_tests import (
    VIEWER,
    ask,
    b64,
    claims,
    offline_settings,
    refusal,
    serving,
    sign,
    unsigned,
    viewer,
)


@dataclasses.dataclass
class LocalApi:
    url: str
    key: SigningKey


@pytest.fixture(scope="module")
def local_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalApi]:
    settings = offline_settings(tmp_path_factory.mktemp("ogkg-home"))
    with serving(settings) as url:
        yield LocalApi(url, load_signing_key(settings))  # the key the app created at start-up


def test_a_valid_token_names_the_viewer(local_api: LocalApi) -> None:
    token = issue_token(
        local_api.key,
        "alice",
        [Role.COORDINATOR, Role.CONTRIBUTOR],
        display_name="Alice Example",
        ttl=timedelta(minutes=5),
    )
    assert viewer(local_api.url, token) == {
        "subject": "alice",
        "name": "Alice Example",
        "roles": ["CONTRIBUTOR", "COORDINATOR"],
    }


def test_without_a_token_the_viewer_is_null_and_reading_is_open(local_api: LocalApi) -> None:
    assert viewer(local_api.url) is None


def test_a_token_without_name_or_roles_is_still_signed_in(local_api: LocalApi) -> None:
    token = sign(claims(name=None, roles=None), local_api.key.private_key, "EdDSA")
    assert viewer(local_api.url, token) == {"subject": "alice", "name": None, "roles": []}


def test_roles_ogkg_does_not_know_are_left_out(local_api: LocalApi) -> None:
    token = sign(claims(roles=["admin", "superuser"]), local_api.key.private_key, "EdDSA")
    found = viewer(local_api.url, token)
    assert found is not None and found["roles"] == ["ADMIN"]


def test_an_email_claim_is_neither_kept_nor_shown(local_api: LocalApi) -> None:
    token = sign(claims(email="alice@example.org"), local_api.key.private_key, "EdDSA")
    query = '{ viewer { subject name roles } __type(name: "Viewer") { fields { name } } }'
    response = ask(local_api.url, token, query=query)
    assert response.status_code == 200, response.text
    assert "alice@example.org" not in response.text
    fields = {field["name"] for field in response.json()["data"]["__type"]["fields"]}
    assert fields == {"subject", "name", "roles"}
    assert {field.name for field in dataclasses.fields(Principal)} == {
        "subject",
        "display_name",
        "roles",
    }


def now_minus(minutes: int) -> datetime:
    return datetime.now(UTC) - timedelta(minutes=minutes)


def tampered(token: str) -> str:
    """The token with its roles raised to admin and the original signature kept."""
    header, payload, signature = token.split(".")
    padded = payload + "=" * (-len(payload) % 4)
    body = json.loads(base64.urlsafe_b64decode(padded))
    body["roles"] = ["admin"]
    return f"{header}.{b64(json.dumps(body).encode())}.{signature}"


def flipped_signature(token: str) -> str:
    header, payload, signature = token.split(".")
    middle = len(signature) // 2
    swapped = "A" if signature[middle] != "A" else "B"
    return f"{header}.{payload}.{signature[:middle]}{swapped}{signature[middle + 1 :]}"


def hs256_with_public_key(key: SigningKey) -> str:
    """Algorithm confusion: an HMAC token keyed with the (public) verification key."""
    secret = key.public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = (
        f"{b64(json.dumps({'alg': 'HS256', 'typ': 'JWT'}).encode())}."
        f"{b64(json.dumps(claims(), default=lambda value: int(value.timestamp())).encode())}"
    )
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(mac)}"


BAD_TOKENS: dict[str, Callable[[SigningKey], str]] = {
    "expired": lambda key: sign(
        claims(iat=now_minus(120), exp=now_minus(60)), key.private_key, "EdDSA"
    ),
    "tampered payload": lambda key: tampered(sign(claims(), key.private_key, "EdDSA")),
    "tampered signature": lambda key: flipped_signature(sign(claims(), key.private_key, "EdDSA")),
    "wrong audience": lambda key: sign(claims(aud="someone-else"), key.private_key, "EdDSA"),
    "wrong issuer": lambda key: sign(claims(iss="https://evil.example"), key.private_key, "EdDSA"),
    "no expiry": lambda key: sign(claims(exp=None), key.private_key, "EdDSA"),
    "no subject": lambda key: sign(claims(sub=None), key.private_key, "EdDSA"),
    "alg none": lambda key: unsigned(claims()),
    "HS256 keyed with the public key": hs256_with_public_key,
    "another Ed25519 key": lambda key: sign(
        claims(), ed25519.Ed25519PrivateKey.generate(), "EdDSA"
    ),
    "another key, ES256": lambda key: sign(
        claims(), ec.generate_private_key(ec.SECP256R1()), "ES256"
    ),
    "not a JWT": lambda key: "not-a-token",
}


@pytest.mark.parametrize("case", sorted(BAD_TOKENS))
def test_a_bad_token_is_unauthenticated(local_api: LocalApi, case: str) -> None:
    token = BAD_TOKENS[case](local_api.key)
    response = ask(local_api.url, token)
    assert refusal(response) == "UNAUTHENTICATED"
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_refusals_say_why(local_api: LocalApi) -> None:
    expired = ask(local_api.url, BAD_TOKENS["expired"](local_api.key))
    assert expired.json()["errors"][0]["message"] == "The token has expired."
    audience = ask(local_api.url, BAD_TOKENS["wrong audience"](local_api.key))
    assert audience.json()["errors"][0]["message"] == "The token is meant for another audience."


def test_a_credential_that_is_not_a_bearer_token_is_refused(local_api: LocalApi) -> None:
    response = httpx.post(
        local_api.url, json={"query": VIEWER}, headers={"authorization": "Basic YWxpY2U6cHc="}
    )
    assert refusal(response) == "UNAUTHENTICATED"
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_request"'


def test_graphql_over_http_clients_get_their_media_type_with_the_401(local_api: LocalApi) -> None:
    response = ask(local_api.url, "not-a-token", accept="application/graphql-response+json")
    assert refusal(response) == "UNAUTHENTICATED"
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    plain = ask(local_api.url, "not-a-token", accept="application/json")
    assert plain.headers["content-type"].startswith("application/json")


def test_reading_can_require_sign_in(tmp_path: Path) -> None:
    settings = offline_settings(tmp_path, require_sign_in_to_read=True)
    token = issue_token(
        load_signing_key(settings), "carol", [Role.CONTRIBUTOR], ttl=timedelta(minutes=5)
    )
    with serving(settings) as url:
        anonymous = ask(url)
        assert refusal(anonymous) == "UNAUTHENTICATED"
        assert anonymous.headers["www-authenticate"] == "Bearer"
        assert viewer(url, token) == {"subject": "carol", "name": None, "roles": ["CONTRIBUTOR"]}
        assert httpx.get(url.removesuffix("/graphql") + "/health").status_code == 200


def test_an_oidc_provider_needs_issuer_and_audience(tmp_path: Path) -> None:
    with pytest.raises(AuthSettingsError, match="OGKG_OIDC_ISSUER and OGKG_OIDC_AUDIENCE"):
        build_verifier(offline_settings(tmp_path, jwks_url="http://127.0.0.1:9/jwks.json"))
