"""The GraphQL `Commitment` type."""

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from api.context import Info
from api.types.action_plan import ActionPlan
from api.types.partnership import Partnership
from graph import models

if TYPE_CHECKING:
    from api.types.body import Body


@strawberry.type(description="A promise of reform in an action plan.")
class Commitment:
    id: strawberry.ID
    number: int
    title: str
    summary: str | None
    action_plan_id: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, model: models.Commitment) -> Self:
        return cls(
            id=strawberry.ID(model.id),
            number=model.number,
            title=model.title,
            summary=model.summary,
            action_plan_id=model.action_plan_id,
        )

    @strawberry.field
    async def action_plan(self, info: Info) -> ActionPlan | None:
        if self.action_plan_id is None:
            return None
        model = await info.context.loaders.action_plan.load(self.action_plan_id)
        return ActionPlan.from_model(model) if model else None

    @strawberry.field(description="The bodies that lead the commitment.")
    async def leads(self, info: Info) -> list[Annotated["Body", strawberry.lazy("api.types.body")]]:
        from api.types.body import Body

        return [
            Body.from_model(m)
            for m in await info.context.loaders.commitment_leads.load(str(self.id))
        ]

    @strawberry.field(description="The other bodies involved, with their role.")
    async def partners(self, info: Info) -> list[Partnership]:
        partnerships = await info.context.loaders.commitment_partnerships.load(str(self.id))
        return [Partnership.from_model(model) for model in partnerships]
