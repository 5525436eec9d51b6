"""Root fields answering whole lists: every plan, commitment, body, place, practice, lesson, standard, theme."""

from typing import Annotated

import strawberry

from api.context import Info
from api.queries.arguments import InJurisdiction, OnTheme, optional_id
from api.types.action_plan import ActionPlan
from api.types.body import Body
from api.types.commitment import Commitment
from api.types.enums import BodyKind
from api.types.jurisdiction import Jurisdiction
from api.types.lesson import Lesson
from api.types.practice import Practice
from api.types.standard import Standard
from api.types.theme import Theme
from graph import action_plans, bodies, commitments, jurisdictions, knowledge, themes


@strawberry.type
class ListQueries:
    @strawberry.field(description="Every action plan.")
    async def action_plans(self, info: Info) -> list[ActionPlan]:
        return [
            ActionPlan.from_model(m)
            for m in await action_plans.all_action_plans(info.context.database)
        ]

    @strawberry.field(description="Every commitment, by plan and number.")
    async def commitments(self, info: Info) -> list[Commitment]:
        return [
            Commitment.from_model(m)
            for m in await commitments.all_commitments(info.context.database)
        ]

    @strawberry.field(description="Bodies by name, optionally only those of one kind.")
    async def bodies(
        self,
        info: Info,
        kind: Annotated[
            BodyKind | None, strawberry.argument(description="Only bodies of this kind.")
        ] = None,
    ) -> list[Body]:
        return [Body.from_model(m) for m in await bodies.bodies(info.context.database, kind)]

    @strawberry.field(description="Every jurisdiction, by name.")
    async def jurisdictions(self, info: Info) -> list[Jurisdiction]:
        models = await jurisdictions.all_jurisdictions(info.context.database)
        return [Jurisdiction.from_model(m) for m in models]

    @strawberry.field(description="Practices the sources name, by name.")
    async def practices(self, info: Info) -> list[Practice]:
        return [Practice.from_model(m) for m in await knowledge.practices(info.context.database)]

    @strawberry.field(
        description="Lessons: findings the sources record, with their evidence; optionally only "
        "those on a theme (or a narrower one) or for a jurisdiction (or a place within it)."
    )
    async def lessons(
        self,
        info: Info,
        theme: OnTheme = None,
        jurisdiction: InJurisdiction = None,
    ) -> list[Lesson]:
        found = await knowledge.lessons_about(
            info.context.database, optional_id(theme), optional_id(jurisdiction)
        )
        return [Lesson.from_model(m) for m in found]

    @strawberry.field(description="Data standards, by name.")
    async def standards(self, info: Info) -> list[Standard]:
        return [Standard.from_model(m) for m in await knowledge.standards(info.context.database)]

    @strawberry.field(description="Themes by scheme and name, optionally of one scheme only.")
    async def themes(
        self,
        info: Info,
        scheme: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="Only themes of this scheme (by id, e.g. 'ogp-values')."
            ),
        ] = None,
    ) -> list[Theme]:
        models = await themes.themes(info.context.database, optional_id(scheme))
        return [Theme.from_model(m) for m in models]
