"""Who may do what: the role order and `require_role`'s answers for anonymous and each role."""

from dataclasses import dataclass
from typing import Any

import pytest
import strawberry
from graphql import GraphQLError

from api.auth import check_role, require_role, require_signed_in
from api.principal import Principal, Role, roles_from_claim

ANONYMOUS = None


def person(*roles: Role) -> Principal:
    return Principal(subject="someone", display_name=None, roles=frozenset(roles))


# Who holds what: each row a principal, each column the role asked for; None means allowed.
MATRIX: list[tuple[Principal | None, dict[Role, str | None]]] = [
    (
        ANONYMOUS,
        {
            Role.CONTRIBUTOR: "UNAUTHENTICATED",
            Role.COORDINATOR: "UNAUTHENTICATED",
            Role.ADMIN: "UNAUTHENTICATED",
        },
    ),
    (
        person(),
        {Role.CONTRIBUTOR: "FORBIDDEN", Role.COORDINATOR: "FORBIDDEN", Role.ADMIN: "FORBIDDEN"},
    ),
    (
        person(Role.CONTRIBUTOR),
        {Role.CONTRIBUTOR: None, Role.COORDINATOR: "FORBIDDEN", Role.ADMIN: "FORBIDDEN"},
    ),
    (
        person(Role.COORDINATOR),
        {Role.CONTRIBUTOR: None, Role.COORDINATOR: None, Role.ADMIN: "FORBIDDEN"},
    ),
    (person(Role.ADMIN), {Role.CONTRIBUTOR: None, Role.COORDINATOR: None, Role.ADMIN: None}),
]


@pytest.mark.parametrize(
    ("principal", "needed", "expected"),
    [(principal, needed, code) for principal, row in MATRIX for needed, code in row.items()],
)
def test_check_role_matrix(principal: Principal | None, needed: Role, expected: str | None) -> None:
    if expected is None:
        assert check_role(principal, needed) is principal
        return
    with pytest.raises(GraphQLError) as raised:
        check_role(principal, needed)
    assert raised.value.extensions is not None
    assert raised.value.extensions["code"] == expected


def test_roles_from_a_claim() -> None:
    assert roles_from_claim(["admin", "contributor"]) == {Role.ADMIN, Role.CONTRIBUTOR}
    assert roles_from_claim("coordinator contributor") == {Role.COORDINATOR, Role.CONTRIBUTOR}
    assert roles_from_claim(["owner", 7, None]) == frozenset()
    assert roles_from_claim(None) == frozenset()
    assert roles_from_claim({"admin": True}) == frozenset()


@dataclass
class RequestContext:
    principal: Principal | None


@strawberry.type
class Query:
    @strawberry.field
    def merge(self, info: strawberry.Info[RequestContext, Any]) -> str:
        return require_role(info, Role.COORDINATOR).subject

    @strawberry.field
    def me(self, info: strawberry.Info[RequestContext, Any]) -> str:
        return require_signed_in(info).subject


SCHEMA = strawberry.Schema(query=Query)


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        (ANONYMOUS, "UNAUTHENTICATED"),
        (person(Role.CONTRIBUTOR), "FORBIDDEN"),
        (person(Role.COORDINATOR), None),
        (person(Role.ADMIN), None),
    ],
)
def test_require_role_in_a_resolver_gives_graphql_error_codes(
    principal: Principal | None, expected: str | None
) -> None:
    result = SCHEMA.execute_sync("{ merge }", context_value=RequestContext(principal))
    if expected is None:
        assert result.errors is None and result.data == {"merge": "someone"}
        return
    assert result.errors is not None and result.data is None
    assert result.errors[0].extensions is not None
    assert result.errors[0].extensions["code"] == expected
    assert result.errors[0].path == ["merge"]


def test_require_signed_in() -> None:
    anonymous = SCHEMA.execute_sync("{ me }", context_value=RequestContext(ANONYMOUS))
    assert anonymous.errors is not None and anonymous.errors[0].extensions is not None
    assert anonymous.errors[0].extensions["code"] == "UNAUTHENTICATED"
    roleless = SCHEMA.execute_sync("{ me }", context_value=RequestContext(person()))
    assert roleless.data == {"me": "someone"}
