"""The GraphQL `Commitment` type."""

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from api.context import Info
from api.types.action_plan import ActionPlan
from api.types.identifier import Identifier, identifiers_of
from api.types.irm_assessment import IrmAssessment
from api.types.lesson import Lesson
from api.types.milestone import Milestone
from api.types.partnership import Partnership
from api.types.source_reference import SOURCES_DESCRIPTION, SourceReference, sources_of
from api.types.theme import Theme
from graph import models
from graph.vocabulary import Label

if TYPE_CHECKING:
    from api.types.body import Body


@strawberry.type(description="A promise of reform in an action plan.")
class Commitment:
    id: strawberry.ID = strawberry.field(description="The commitment's id, e.g. 'uk-nap4-c7'.")
    number: int | None = strawberry.field(
        description="The commitment's number in its plan, if it has one."
    )
    code: str | None = strawberry.field(description="The plan's own label, e.g. '3.2.1' or '4'.")
    title: str = strawberry.field(description="The commitment's title, as its plan gives it.")
    short_title: str | None = strawberry.field(
        description="A shorter title, where a source gives one."
    )
    summary: str | None = strawberry.field(
        description="A summary of the commitment, where a source gives one."
    )
    full_text: str | None = strawberry.field(
        description="The commitment's full text, where a source gives it."
    )
    start_year: int | None = strawberry.field(
        description="The year the commitment starts, where a source gives it."
    )
    end_year: int | None = strawberry.field(
        description="The year the commitment is due to end, where a source gives it."
    )
    irm: IrmAssessment | None = strawberry.field(description="The IRM's findings, where assessed.")
    ogp_id: str | None = strawberry.field(
        description="The commitment's OGP ID (e.g. 'UK0093'), which joins it across sources."
    )
    policy_areas: list[str] = strawberry.field(
        description="Policy areas as the UK nations' file names them, mapped to themes or not."
    )
    action_plan_id: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, model: models.Commitment) -> Self:
        return cls(
            id=strawberry.ID(model.id),
            number=model.number,
            code=model.code,
            title=model.title,
            short_title=model.short_title,
            summary=model.summary,
            full_text=model.full_text,
            start_year=model.start_year,
            end_year=model.end_year,
            irm=IrmAssessment.from_model(model.irm) if model.irm else None,
            ogp_id=model.ogp_id,
            policy_areas=list(model.policy_areas),
            action_plan_id=model.action_plan_id,
        )

    @strawberry.field(description=SOURCES_DESCRIPTION)
    async def sources(self, info: Info) -> list[SourceReference]:
        return await sources_of(info, Label.COMMITMENT, str(self.id))

    @strawberry.field(description="The action plan the commitment is part of.")
    async def action_plan(self, info: Info) -> ActionPlan | None:
        if self.action_plan_id is None:
            return None
        model = await info.context.loaders.action_plan.load(self.action_plan_id)
        return ActionPlan.from_model(model) if model else None

    @strawberry.field(
        description="Identifiers other registers give it (GSS, Wikidata, COPBT, GOV.UK, OGP, ...)."
    )
    async def identifiers(self, info: Info) -> list[Identifier]:
        return await identifiers_of(info, Label.COMMITMENT, str(self.id))

    @strawberry.field(description="The bodies that lead the commitment.")
    async def leads(self, info: Info) -> list[Annotated["Body", strawberry.lazy("api.types.body")]]:
        from api.types.body import Body

        return [
            Body.from_model(m)
            for m in await info.context.loaders.commitment_leads.load(str(self.id))
        ]

    @strawberry.field(description="Policy areas, OGP values, grand challenges and plan headings.")
    async def themes(self, info: Info) -> list[Theme]:
        return [
            Theme.from_model(m)
            for m in await info.context.loaders.commitment_themes.load(str(self.id))
        ]

    @strawberry.field(description="Lessons learned about this commitment.")
    async def lessons(self, info: Info) -> list[Lesson]:
        return [
            Lesson.from_model(m)
            for m in await info.context.loaders.commitment_lessons.load(str(self.id))
        ]

    @strawberry.field(description="Milestones by year: a time series of the commitment's steps.")
    async def milestones(self, info: Info) -> list[Milestone]:
        return [
            Milestone.from_model(m)
            for m in await info.context.loaders.commitment_milestones.load(str(self.id))
        ]

    @strawberry.field(description="The other bodies involved, with their role.")
    async def partners(self, info: Info) -> list[Partnership]:
        partnerships = await info.context.loaders.commitment_partnerships.load(str(self.id))
        return [Partnership.from_model(model) for model in partnerships]
