"""The GraphQL `Standard` type: a data standard practices use."""

from typing import Self

import strawberry

from api.context import Info
from api.types.source_reference import SOURCES_DESCRIPTION, SourceReference, sources_of
from graph import models
from graph.vocabulary import Label


@strawberry.type(description="An open data standard, e.g. the Open Contracting Data Standard.")
class Standard:
    id: strawberry.ID = strawberry.field(description="The standard's id, e.g. 'ocds'.")
    name: str = strawberry.field(description="The standard's name.")
    publisher: str | None = strawberry.field(description="Who publishes the standard.")
    description: str | None = strawberry.field(description="What the standard is for.")

    @classmethod
    def from_model(cls, model: models.Standard) -> Self:
        return cls(
            id=strawberry.ID(model.id),
            name=model.name,
            publisher=model.publisher,
            description=model.description,
        )

    @strawberry.field(description=SOURCES_DESCRIPTION)
    async def sources(self, info: Info) -> list[SourceReference]:
        return await sources_of(info, Label.STANDARD, str(self.id))
