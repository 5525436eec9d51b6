"""Checks the resolvers call: who is signed in, and whether they hold a role (GraphQL errors if not)."""

from typing import Any, Protocol, TypeVar

import strawberry
from graphql import GraphQLError

from api.errors import ErrorCode
from api.principal import Principal, Role

UNAUTHENTICATED = ErrorCode.UNAUTHENTICATED
FORBIDDEN = ErrorCode.FORBIDDEN


class HasPrincipal(Protocol):
    """A request context that knows who sent the request (None: anonymous)."""

    @property
    def principal(self) -> Principal | None: ...


C = TypeVar("C", bound=HasPrincipal)


def check_signed_in(principal: Principal | None) -> Principal:
    """The principal; a GraphQL error with code UNAUTHENTICATED when anonymous."""
    if principal is None:
        raise GraphQLError("Sign in to do this.", extensions={"code": UNAUTHENTICATED})
    return principal


def check_role(principal: Principal | None, role: Role) -> Principal:
    """The principal, if signed in with `role` or a role that includes it.

    Raises a GraphQL error with code UNAUTHENTICATED when anonymous, FORBIDDEN when the role is missing.
    """
    signed_in = check_signed_in(principal)
    if not signed_in.has(role):
        raise GraphQLError(
            f"This needs the {role.value} role.", extensions={"code": FORBIDDEN, "role": role.value}
        )
    return signed_in


def current_principal(info: strawberry.Info[C, Any]) -> Principal | None:
    """Who sent this request, or None when anonymous."""
    return info.context.principal


def require_signed_in(info: strawberry.Info[C, Any]) -> Principal:
    """For a resolver: the signed-in principal, or an UNAUTHENTICATED error."""
    return check_signed_in(info.context.principal)


def require_role(info: strawberry.Info[C, Any], role: Role) -> Principal:
    """For a resolver: the principal holding `role` (or more), else UNAUTHENTICATED / FORBIDDEN.

    For example, `editor = require_role(info, Role.COORDINATOR)` first thing in a mutation.
    """
    return check_role(info.context.principal, role)
