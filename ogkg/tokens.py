"""Tokens signed by the local key, as `ogkg token` prints them: issuer, audience, subject, roles, expiry."""

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import jwt

from api.principal import Role
from ogkg.signing_key import SigningKey

LOCAL_ISSUER = "ogkg-local"
LOCAL_AUDIENCE = "ogkg"
DEFAULT_TTL = "1h"

DURATION = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> timedelta:
    """`3600`, `90s`, `30m`, `12h` or `7d` as a positive duration; ValueError otherwise."""
    match = DURATION.match(text)
    if match is None or int(match.group(1)) == 0:
        raise ValueError(f"{text!r} is not a duration like 3600, 30m, 12h or 7d")
    return timedelta(seconds=int(match.group(1)) * UNIT_SECONDS[match.group(2)])


def issue_token(
    key: SigningKey,
    subject: str,
    roles: Iterable[Role],
    *,
    display_name: str | None = None,
    ttl: timedelta,
    now: datetime | None = None,
    issuer: str = LOCAL_ISSUER,
    audience: str = LOCAL_AUDIENCE,
) -> str:
    """A JWT for `subject` with `roles`, valid for `ttl` from `now`; it holds no email."""
    issued = now or datetime.now(UTC)
    claims: dict[str, object] = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "roles": sorted(role.value for role in set(roles)),
        "iat": issued,
        "exp": issued + ttl,
    }
    if display_name:
        claims["name"] = display_name
    return jwt.encode(claims, key.private_key, algorithm=key.algorithm)
