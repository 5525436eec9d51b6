"""The GraphQL `Viewer` type: who a request's token names (subject, display name, roles), never an email."""

from typing import Self

import strawberry

from api.principal import Principal, Role
from api.types.enums import describe_values

strawberry.enum(
    Role,
    description="What a signed-in person may do: a contributor proposes; a coordinator edits, "
    "reviews, merges and reverts; an admin does everything. Each includes the roles before it.",
)
describe_values(
    Role,
    {
        Role.CONTRIBUTOR: "Proposes changes, which await a coordinator's review.",
        Role.COORDINATOR: "Edits at once, reviews proposals, merges bodies and reverts changes.",
        Role.ADMIN: "May do everything, all a coordinator may included.",
    },
)


@strawberry.type(description="The signed-in person, as their token names them.")
class Viewer:
    subject: str = strawberry.field(description="The token's subject (`sub`): a stable id.")
    name: str | None = strawberry.field(description="Display name, when the token has one.")
    roles: list[Role] = strawberry.field(description="The roles the token grants.")

    @classmethod
    def from_principal(cls, principal: Principal) -> Self:
        return cls(
            subject=principal.subject,
            name=principal.display_name,
            roles=sorted(principal.roles, key=lambda role: role.rank),
        )
