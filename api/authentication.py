"""The Starlette authenticator in front of /graphql: a valid bearer token becomes the request's Principal."""

from starlette.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    AuthenticationError,
    BaseUser,
)
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.types import ASGIApp

from api.auth import UNAUTHENTICATED
from api.errors import ErrorCode, refusal_response
from api.jwks import KeySetUnavailableError
from api.principal import Principal
from api.token_verifier import InvalidTokenError, TokenVerifier

AUTHENTICATION_UNAVAILABLE = ErrorCode.AUTHENTICATION_UNAVAILABLE
INVALID_TOKEN = 'Bearer error="invalid_token"'


class SignedInUser(BaseUser):
    """Starlette's view of a Principal (`request.user`)."""

    def __init__(self, principal: Principal) -> None:
        self.principal = principal

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self.principal.display_name or self.principal.subject

    @property
    def identity(self) -> str:
        return self.principal.subject


class RefusedError(AuthenticationError):
    """A request turned away before GraphQL runs: its status, error code and challenge."""

    def __init__(
        self,
        message: str,
        *,
        status: int = 401,
        code: ErrorCode = UNAUTHENTICATED,
        challenge: str | None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.challenge = challenge


class BearerAuthentication(AuthenticationBackend):
    """`Authorization: Bearer <token>` checked by the verifier; no header means anonymous."""

    def __init__(self, verifier: TokenVerifier, *, require_sign_in: bool) -> None:
        self.verifier = verifier
        self.require_sign_in = require_sign_in

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser] | None:
        header = conn.headers.get("authorization")
        if header is None:
            if self.require_sign_in:
                raise RefusedError(
                    "Sign in to read: send Authorization: Bearer <token>.", challenge="Bearer"
                )
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise RefusedError(
                "Send the token as Authorization: Bearer <token>.",
                challenge='Bearer error="invalid_request"',
            )
        try:
            principal = await self.verifier.verify(token.strip())
        except InvalidTokenError as error:
            raise RefusedError(str(error), challenge=INVALID_TOKEN) from error
        except KeySetUnavailableError as error:
            raise RefusedError(
                "Tokens cannot be checked right now; try again shortly.",
                status=503,
                code=AUTHENTICATION_UNAVAILABLE,
                challenge=None,
            ) from error
        return AuthCredentials(sorted(principal.roles)), SignedInUser(principal)


def refusal(conn: HTTPConnection, error: AuthenticationError) -> Response:
    """A GraphQL-shaped error response: 401 with a Bearer challenge (503 if keys are unreachable)."""
    refused = (
        error
        if isinstance(error, RefusedError)
        else RefusedError(str(error), challenge=INVALID_TOKEN)
    )
    headers = {"WWW-Authenticate": refused.challenge} if refused.challenge else {}
    return refusal_response(
        conn.headers, refused.status, str(refused), refused.code, headers=headers
    )


def authenticated(app: ASGIApp, verifier: TokenVerifier, *, require_sign_in: bool) -> ASGIApp:
    """`app` behind the authenticator: it sees `request.user`, or never runs for a bad token."""
    return AuthenticationMiddleware(
        app,
        backend=BearerAuthentication(verifier, require_sign_in=require_sign_in),
        on_error=refusal,
    )


def principal_of(conn: HTTPConnection) -> Principal | None:
    """The request's signed-in Principal, or None for an anonymous one."""
    user = conn.scope.get("user")
    return user.principal if isinstance(user, SignedInUser) else None
