"""Checks a bearer token (signature, algorithm, issuer, audience, expiry) and names its `Principal`."""

from typing import Protocol

import jwt
from jwt import PyJWK
from jwt.algorithms import get_default_algorithms

from api.jwks import Jwks
from api.principal import Principal, roles_from_claim
from ogkg.settings import Settings
from ogkg.signing_key import SigningKey, load_signing_key
from ogkg.tokens import LOCAL_AUDIENCE, LOCAL_ISSUER

LEEWAY_SECONDS = 30  # clock skew forgiven on `exp`, `nbf` and `iat`
REQUIRED_CLAIMS = ["exp", "iss", "aud", "sub"]


class InvalidTokenError(Exception):
    """The token does not prove who sent the request; the message says why, safe to show."""


class AuthSettingsError(Exception):
    """The sign-in settings do not fit together; one line naming the settings."""


class KeySource(Protocol):
    """Where the keys that check tokens come from: the local key, or a provider's JWKS."""

    async def key(self, key_id: str | None) -> PyJWK | None: ...


class LocalKey:
    """The local install's public key, whatever key id a token names."""

    def __init__(self, signing_key: SigningKey) -> None:
        algorithm = get_default_algorithms()[signing_key.algorithm]
        public = algorithm.to_jwk(signing_key.public_key, as_dict=True)
        self._key = PyJWK(public, algorithm=signing_key.algorithm)

    async def key(self, key_id: str | None) -> PyJWK | None:
        return self._key


class TokenVerifier:
    """Turns a bearer token into the Principal it names, or refuses it with `InvalidTokenError`.

    The algorithm is the key's own, never the one the token's header asks for, so `alg: none` and
    an HMAC token made with a public key are refused.
    """

    def __init__(self, keys: KeySource, *, issuer: str, audience: str, roles_claim: str) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.roles_claim = roles_claim

    async def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise InvalidTokenError("The token is not a well-formed JWT.") from error
        key_id = header.get("kid")
        if key_id is not None and not isinstance(key_id, str):
            raise InvalidTokenError("The token's key id is not a string.")
        key = await self.keys.key(key_id)
        if key is None:
            raise InvalidTokenError("The token was signed by a key this service does not know.")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[key.algorithm_name],
                audience=self.audience,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": REQUIRED_CLAIMS, "enforce_minimum_key_length": True},
            )
        except jwt.ExpiredSignatureError as error:
            raise InvalidTokenError("The token has expired.") from error
        except jwt.InvalidAudienceError as error:
            raise InvalidTokenError("The token is meant for another audience.") from error
        except jwt.InvalidIssuerError as error:
            raise InvalidTokenError("The token comes from another issuer.") from error
        except jwt.PyJWTError as error:
            raise InvalidTokenError("The token's signature or claims are not valid.") from error
        return self._principal(claims)

    def _principal(self, claims: dict[str, object]) -> Principal:
        """Subject, display name and roles; every other claim (an `email` above all) is dropped."""
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject.strip():
            raise InvalidTokenError("The token names no subject.")
        name = claims.get("name")
        return Principal(
            subject=subject,
            display_name=name.strip() if isinstance(name, str) and name.strip() else None,
            roles=roles_from_claim(_claim(claims, self.roles_claim)),
        )


def _claim(claims: dict[str, object], path: str) -> object:
    """A claim by name, or nested by a dotted path such as `realm_access.roles`."""
    value: object = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def build_verifier(settings: Settings) -> TokenVerifier:
    """The provider's JWKS when `OGKG_JWKS_URL` is set, else the local key (created if missing)."""
    if settings.jwks_url is None:
        return TokenVerifier(
            LocalKey(load_signing_key(settings)),
            issuer=LOCAL_ISSUER,
            audience=LOCAL_AUDIENCE,
            roles_claim=settings.roles_claim,
        )
    if not settings.oidc_issuer or not settings.oidc_audience:
        raise AuthSettingsError("OGKG_JWKS_URL needs OGKG_OIDC_ISSUER and OGKG_OIDC_AUDIENCE too")
    jwks = Jwks(
        settings.jwks_url,
        max_age=settings.jwks_cache_seconds,
        min_refresh=settings.jwks_min_refresh_seconds,
    )
    return TokenVerifier(
        jwks,
        issuer=settings.oidc_issuer,
        audience=settings.oidc_audience,
        roles_claim=settings.roles_claim,
    )
