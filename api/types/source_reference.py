"""The GraphQL `SourceReference` type: a source that states a fact, with its licence and place in it."""

from typing import Self

import strawberry

from graph import models


@strawberry.type(
    description="A source that states a fact: its title, publisher and licence (reuse the fact "
    "under that licence), and where in it the fact is (e.g. 'line 12', 'case 26')."
)
class SourceReference:
    id: strawberry.ID
    title: str
    publisher: str | None
    licence: str | None
    location: str

    @classmethod
    def from_model(cls, model: models.SourceReference) -> Self:
        return cls(
            id=strawberry.ID(model.id),
            title=model.title,
            publisher=model.publisher,
            licence=model.licence,
            location=model.location,
        )
