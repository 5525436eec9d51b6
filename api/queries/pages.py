"""Root fields answering lists a page at a time (Relay connections)."""

from typing import Annotated

import strawberry

from api.context import Info
from api.queries.arguments import After, First, InJurisdiction, InPlan, OnTheme, optional_id
from api.types.action_plan import ActionPlan
from api.types.body import Body
from api.types.commitment import Commitment
from api.types.commitment_connection import commitment_page
from api.types.connection import Connection, PageRequest, listing_page
from api.types.enums import BodyKind, JurisdictionLevel, PotentialImpact, describe_values
from api.types.jurisdiction import Jurisdiction
from api.types.lesson import Lesson
from api.types.practice import Practice
from api.types.standard import Standard
from api.types.theme import Theme
from graph import action_plans, bodies, jurisdictions, knowledge, themes
from graph.bodies import BODY_ORDER, BodySort
from graph.commitments import CommitmentFilter, CommitmentSort

strawberry.enum(BodySort, description="Orders a list of bodies may come in.")
describe_values(
    BodySort,
    {
        BodySort.NAME: "By name, A to Z.",
        BodySort.MOST_COMMITMENTS: "Those leading or partnering in the most commitments first, "
        "then by name.",
    },
)


@strawberry.type
class PageQueries:
    @strawberry.field(
        description="Commitments a page at a time (Relay cursors), filtered by jurisdiction (with "
        "its parts), theme (with narrower ones), plan or IRM potential impact."
    )
    async def commitments_connection(
        self,
        info: Info,
        *,
        first: First = 20,
        after: After = None,
        sort_by: Annotated[
            CommitmentSort, strawberry.argument(description="The order the commitments come in.")
        ] = CommitmentSort.PLAN_AND_NUMBER,
        jurisdiction: InJurisdiction = None,
        theme: OnTheme = None,
        plan: InPlan = None,
        potential_impact: Annotated[
            PotentialImpact | None,
            strawberry.argument(
                description="Only commitments the IRM rated this potential impact."
            ),
        ] = None,
    ) -> Connection[Commitment]:
        where = CommitmentFilter(
            jurisdiction_id=optional_id(jurisdiction),
            theme_id=optional_id(theme),
            plan_id=optional_id(plan),
            potential_impact=potential_impact.value if potential_impact else None,
        )
        return await commitment_page(info, first, after, sort_by, where)

    @strawberry.field(description="Action plans a page at a time, optionally for one jurisdiction.")
    async def action_plans_connection(
        self,
        info: Info,
        first: First = 20,
        after: After = None,
        jurisdiction: InJurisdiction = None,
    ) -> Connection[ActionPlan]:
        return await listing_page(
            info.context.database,
            action_plans.ACTION_PLANS,
            PageRequest.of(first, after),
            ActionPlan.from_model,
            jurisdiction=optional_id(jurisdiction),
        )

    @strawberry.field(description="Bodies a page at a time, optionally of one kind.")
    async def bodies_connection(
        self,
        info: Info,
        first: First = 20,
        after: After = None,
        kind: Annotated[
            BodyKind | None, strawberry.argument(description="Only bodies of this kind.")
        ] = None,
        sort_by: Annotated[
            BodySort, strawberry.argument(description="The order the bodies come in.")
        ] = BodySort.NAME,
    ) -> Connection[Body]:
        return await listing_page(
            info.context.database,
            bodies.BODIES,
            PageRequest.of(first, after),
            Body.from_model,
            order=BODY_ORDER[sort_by],
            kind=kind.value if kind else None,
        )

    @strawberry.field(description="Jurisdictions a page at a time, optionally of one level.")
    async def jurisdictions_connection(
        self,
        info: Info,
        first: First = 20,
        after: After = None,
        level: Annotated[
            JurisdictionLevel | None,
            strawberry.argument(description="Only jurisdictions of this level."),
        ] = None,
    ) -> Connection[Jurisdiction]:
        return await listing_page(
            info.context.database,
            jurisdictions.JURISDICTIONS,
            PageRequest.of(first, after),
            Jurisdiction.from_model,
            level=level.value if level else None,
        )

    @strawberry.field(description="Practices a page at a time.")
    async def practices_connection(
        self, info: Info, first: First = 20, after: After = None
    ) -> Connection[Practice]:
        return await listing_page(
            info.context.database,
            knowledge.PRACTICES,
            PageRequest.of(first, after),
            Practice.from_model,
        )

    @strawberry.field(
        description="Lessons a page at a time, optionally on a theme or for a jurisdiction."
    )
    async def lessons_connection(
        self,
        info: Info,
        first: First = 20,
        after: After = None,
        theme: OnTheme = None,
        jurisdiction: InJurisdiction = None,
    ) -> Connection[Lesson]:
        return await listing_page(
            info.context.database,
            knowledge.LESSONS,
            PageRequest.of(first, after),
            Lesson.from_model,
            theme=optional_id(theme),
            jurisdiction=optional_id(jurisdiction),
        )

    @strawberry.field(description="Data standards a page at a time.")
    async def standards_connection(
        self, info: Info, first: First = 20, after: After = None
    ) -> Connection[Standard]:
        return await listing_page(
            info.context.database,
            knowledge.STANDARDS,
            PageRequest.of(first, after),
            Standard.from_model,
        )

    @strawberry.field(description="Themes a page at a time, optionally of one scheme.")
    async def themes_connection(
        self,
        info: Info,
        first: First = 20,
        after: After = None,
        scheme: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Only themes of this scheme (by id, e.g. 'ogp-values')."
            ),
        ] = None,
    ) -> Connection[Theme]:
        return await listing_page(
            info.context.database,
            themes.THEMES,
            PageRequest.of(first, after),
            Theme.from_model,
            scheme=optional_id(scheme),
        )
