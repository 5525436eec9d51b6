"""The coordinator's session: the token in an HttpOnly cookie, and the CSRF token its forms carry."""

import hashlib
import hmac
import secrets
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

SESSION_COOKIE = "ogkg_coordinator"
# Before sign-in there is no session to bind a form to: a random value in a cookie of its own,
# repeated in the form (double submit); a cross-site form never carries a SameSite=Strict cookie.
SIGN_IN_COOKIE = "ogkg_sign_in"
CSRF_FIELD = "csrf"
COOKIE_PATH = "/coordinator"
CSRF_PURPOSE = b"ogkg coordinator form"
MAX_TOKEN_CHARS = 8192


class CsrfRefusedError(Exception):
    """A form arrived without the CSRF token of the session it claims to come from."""


def csrf_for(token: str) -> str:
    """The CSRF token of a session: an HMAC keyed by its bearer token, which only the server sees."""
    return hmac.new(token.encode(), CSRF_PURPOSE, hashlib.sha256).hexdigest()


def session_token(request: Request) -> str | None:
    """The bearer token the session cookie holds, if any."""
    token = request.cookies.get(SESSION_COOKIE, "").strip()
    return token or None


async def form_of(request: Request) -> dict[str, str]:
    """A urlencoded form's fields (the last value of each), as the browser sent them."""
    body = (await request.body()).decode("utf-8", errors="replace")
    return dict(parse_qsl(body, keep_blank_values=True))


def check_csrf(form: dict[str, str], expected: str | None) -> None:
    """Refuse a form whose CSRF field does not match `expected` (compared in constant time)."""
    sent = form.get(CSRF_FIELD, "")
    if not expected or not sent or not hmac.compare_digest(sent, expected):
        raise CsrfRefusedError("The form is missing its CSRF token or it does not match.")


def new_sign_in_nonce() -> str:
    return secrets.token_urlsafe(32)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def keep_cookie(response: Response, request: Request, name: str, value: str) -> None:
    """Set a cookie scripts cannot read, sent only to the coordinators' pages on this site."""
    response.set_cookie(
        name,
        value,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )


def forget_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(
        name, path=COOKIE_PATH, httponly=True, samesite="strict", secure=_secure(request)
    )
