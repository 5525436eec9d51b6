"""The GraphQL `ActionPlan` type."""

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from api.context import Info
from api.types.jurisdiction import Jurisdiction
from graph import models

if TYPE_CHECKING:
    from api.types.commitment import Commitment


@strawberry.type(description="A national action plan: a numbered set of commitments for a period.")
class ActionPlan:
    id: strawberry.ID
    number: int
    title: str
    period_start: int | None = strawberry.field(description="First year of the plan.")
    period_end: int | None = strawberry.field(description="Last year of the plan.")
    jurisdiction_id: strawberry.Private[str]

    @classmethod
    def from_model(cls, model: models.ActionPlan) -> Self:
        return cls(
            id=strawberry.ID(model.id),
            number=model.number,
            title=model.title,
            period_start=model.period_start,
            period_end=model.period_end,
            jurisdiction_id=model.jurisdiction_id,
        )

    @strawberry.field
    async def jurisdiction(self, info: Info) -> Jurisdiction | None:
        model = await info.context.loaders.jurisdiction.load(self.jurisdiction_id)
        return Jurisdiction.from_model(model) if model else None

    @strawberry.field(description="The plan's commitments in number order.")
    async def commitments(
        self, info: Info
    ) -> list[Annotated["Commitment", strawberry.lazy("api.types.commitment")]]:
        from api.types.commitment import Commitment

        models_ = await info.context.loaders.plan_commitments.load(str(self.id))
        return [Commitment.from_model(model) for model in models_]
