"""The GraphQL `SourceReference` type: a source that states a fact, with its licence and place in it."""

from typing import Self

import strawberry

from api.context import Info
from graph import models
from graph.vocabulary import Label


@strawberry.type(
    description="A source that states a fact: its title, publisher and licence (reuse the fact "
    "under that licence), and where in it the fact is (e.g. 'line 12', 'case 26')."
)
class SourceReference:
    id: strawberry.ID = strawberry.field(
        description="The source's id, e.g. 'ogp-irm-commitments-2016'."
    )
    title: str = strawberry.field(description="The source's title.")
    publisher: str | None = strawberry.field(description="Who published the source.")
    licence: str | None = strawberry.field(
        description="The licence to reuse its facts under; null where the source states none."
    )
    location: str = strawberry.field(
        description="Where in the source the fact is, e.g. 'line 12' or 'case 26'."
    )

    @classmethod
    def from_model(cls, model: models.SourceReference) -> Self:
        return cls(
            id=strawberry.ID(model.id),
            title=model.title,
            publisher=model.publisher,
            licence=model.licence,
            location=model.location,
        )


SOURCES_DESCRIPTION = (
    "The sources that state it, each with its licence and where in it: reuse a fact under the "
    "licence of the source that states it."
)


async def sources_of(info: Info, label: Label, entity_id: str) -> list[SourceReference]:
    """The sources of one entity, batched with the others of the same request."""
    found = await info.context.loaders.sources[label].load(entity_id)
    return [SourceReference.from_model(item) for item in found]
