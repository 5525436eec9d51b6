"""Root fields answering one item by id, or by another register's identifier."""

from typing import Annotated

import strawberry

from api.context import Info
from api.queries.arguments import moved_to
from api.types.action_plan import ActionPlan
from api.types.body import Body
from api.types.commitment import Commitment
from api.types.jurisdiction import Jurisdiction
from api.types.lesson import Lesson
from api.types.practice import Practice
from api.types.theme import Theme
from graph import identifiers
from graph.identifiers import IdentifierScheme
from graph.vocabulary import Label

IdentifiedEntity = Annotated[
    Body | Jurisdiction | Commitment | Practice,
    strawberry.union("IdentifiedEntity", description="What `byIdentifier` can find."),
]


@strawberry.type
class ItemQueries:
    @strawberry.field(
        description="One commitment by id, or null. An id that has moved (a merge, a change of "
        "id scheme) answers with the commitment that holds it now, under its current id."
    )
    async def commitment(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The commitment's id.")],
    ) -> Commitment | None:
        loader = info.context.loaders.commitment
        model = await loader.load(str(id))
        if model is None and (target := await moved_to(info, Label.COMMITMENT, id)):
            model = await loader.load(target)
        return Commitment.from_model(model) if model else None

    @strawberry.field(
        description="One body by id, or null. An id that has moved (a merge, a change of id "
        "scheme) answers with the body that holds it now, under its current id."
    )
    async def body(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The body's id.")],
    ) -> Body | None:
        loader = info.context.loaders.body
        model = await loader.load(str(id))
        if model is None and (target := await moved_to(info, Label.BODY, id)):
            model = await loader.load(target)
        return Body.from_model(model) if model else None

    @strawberry.field(description="One lesson by id, or null (retracted lessons are not found).")
    async def lesson(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The lesson's id.")],
    ) -> Lesson | None:
        model = await info.context.loaders.lesson.load(str(id))
        return Lesson.from_model(model) if model else None

    @strawberry.field(description="One practice by id, or null (retracted ones are not found).")
    async def practice(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The practice's id.")],
    ) -> Practice | None:
        model = await info.context.loaders.practice.load(str(id))
        return Practice.from_model(model) if model else None

    @strawberry.field(description="One action plan by id, or null.")
    async def action_plan(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The action plan's id.")],
    ) -> ActionPlan | None:
        model = await info.context.loaders.action_plan.load(str(id))
        return ActionPlan.from_model(model) if model else None

    @strawberry.field(
        description="One jurisdiction (a country, nation or council area) by id, or null."
    )
    async def jurisdiction(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The jurisdiction's id.")],
    ) -> Jurisdiction | None:
        model = await info.context.loaders.jurisdiction.load(str(id))
        return Jurisdiction.from_model(model) if model else None

    @strawberry.field(description="One theme by id, or null.")
    async def theme(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The theme's id.")],
    ) -> Theme | None:
        model = await info.context.loaders.theme.load(str(id))
        return Theme.from_model(model) if model else None

    @strawberry.field(
        description="The body, jurisdiction, commitment or practice another register knows by "
        "this identifier (e.g. scheme GSS, value S12000033), or null."
    )
    async def by_identifier(
        self,
        info: Info,
        scheme: Annotated[
            IdentifierScheme, strawberry.argument(description="The register that gives it.")
        ],
        value: Annotated[
            str,
            strawberry.argument(
                description="The identifier as that register writes it, e.g. 'S12000033'."
            ),
        ],
    ) -> IdentifiedEntity | None:
        found = await identifiers.by_identifier(info.context.database, scheme, value)
        if found is None:
            return None
        label, entity_id = found
        loaders = info.context.loaders
        if label is Label.BODY:
            body = await loaders.body.load(entity_id)
            return Body.from_model(body) if body else None
        if label is Label.JURISDICTION:
            place = await loaders.jurisdiction.load(entity_id)
            return Jurisdiction.from_model(place) if place else None
        if label is Label.COMMITMENT:
            commitment = await loaders.commitment.load(entity_id)
            return Commitment.from_model(commitment) if commitment else None
        practice = await loaders.practice.load(entity_id)
        return Practice.from_model(practice) if practice else None
