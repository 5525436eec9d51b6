"""The GraphQL `ActionPlan` type."""

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from api.context import Info
from api.types.jurisdiction import Jurisdiction
from api.types.lesson import Lesson
from api.types.source_reference import SOURCES_DESCRIPTION, SourceReference, sources_of
from graph import models
from graph.vocabulary import Label

if TYPE_CHECKING:
    from api.types.commitment import Commitment


@strawberry.type(description="A national action plan: a numbered set of commitments for a period.")
class ActionPlan:
    id: strawberry.ID = strawberry.field(description="The plan's id, e.g. 'uk-nap4'.")
    number: int | None = strawberry.field(
        description="The plan's number among its jurisdiction's national plans, if it has one."
    )
    title: str = strawberry.field(description="The plan's title, as its source gives it.")
    period_start: int | None = strawberry.field(description="First year of the plan.")
    period_end: int | None = strawberry.field(description="Last year of the plan.")
    ogp_membership: str | None = strawberry.field(
        description="How the plan takes part in OGP: 'national' or 'OGP Local'."
    )
    jurisdiction_id: strawberry.Private[str]
    chapter_of_id: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, model: models.ActionPlan) -> Self:
        return cls(
            id=strawberry.ID(model.id),
            number=model.number,
            title=model.title,
            period_start=model.period_start,
            period_end=model.period_end,
            ogp_membership=model.ogp_membership,
            jurisdiction_id=model.jurisdiction_id,
            chapter_of_id=model.chapter_of_id,
        )

    @strawberry.field(description=SOURCES_DESCRIPTION)
    async def sources(self, info: Info) -> list[SourceReference]:
        return await sources_of(info, Label.ACTION_PLAN, str(self.id))

    @strawberry.field(description="The UK plan this plan is a devolved government's chapter of.")
    async def chapter_of(self, info: Info) -> "ActionPlan | None":
        if self.chapter_of_id is None:
            return None
        model = await info.context.loaders.action_plan.load(self.chapter_of_id)
        return ActionPlan.from_model(model) if model else None

    @strawberry.field(description="The country, nation or local area whose plan it is.")
    async def jurisdiction(self, info: Info) -> Jurisdiction | None:
        model = await info.context.loaders.jurisdiction.load(self.jurisdiction_id)
        return Jurisdiction.from_model(model) if model else None

    @strawberry.field(
        description="Lessons about the plan as a whole (its commitments have their own)."
    )
    async def lessons(self, info: Info) -> list[Lesson]:
        return [
            Lesson.from_model(m) for m in await info.context.loaders.plan_lessons.load(str(self.id))
        ]

    @strawberry.field(description="The plan's commitments in number order.")
    async def commitments(
        self, info: Info
    ) -> list[Annotated["Commitment", strawberry.lazy("api.types.commitment")]]:
        from api.types.commitment import Commitment

        models_ = await info.context.loaders.plan_commitments.load(str(self.id))
        return [Commitment.from_model(model) for model in models_]
