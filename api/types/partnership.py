"""The GraphQL `Partnership` type: a body's part in a commitment it does not lead."""

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from api.context import Info
from api.types.enums import PartnerRole
from graph import models

if TYPE_CHECKING:
    from api.types.body import Body
    from api.types.commitment import Commitment


@strawberry.type(description="A body taking part in a commitment other than as its lead.")
class Partnership:
    role: PartnerRole = strawberry.field(description="How the body takes part.")
    body_id: strawberry.Private[str]
    commitment_id: strawberry.Private[str]

    @classmethod
    def from_model(cls, model: models.Partnership) -> Self:
        return cls(role=model.role, body_id=model.body_id, commitment_id=model.commitment_id)

    @strawberry.field(description="The body taking part.")
    async def body(self, info: Info) -> Annotated["Body", strawberry.lazy("api.types.body")] | None:
        from api.types.body import Body

        model = await info.context.loaders.body.load(self.body_id)
        return Body.from_model(model) if model else None

    @strawberry.field(description="The commitment it takes part in.")
    async def commitment(
        self, info: Info
    ) -> Annotated["Commitment", strawberry.lazy("api.types.commitment")] | None:
        from api.types.commitment import Commitment

        model = await info.context.loaders.commitment.load(self.commitment_id)
        return Commitment.from_model(model) if model else None
