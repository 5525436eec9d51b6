"""The GraphQL `Standard` type: a data standard practices use."""

from typing import Self

import strawberry

from graph import models


@strawberry.type(description="An open data standard, e.g. the Open Contracting Data Standard.")
class Standard:
    id: strawberry.ID
    name: str
    publisher: str | None
    description: str | None

    @classmethod
    def from_model(cls, model: models.Standard) -> Self:
        return cls(
            id=strawberry.ID(model.id),
            name=model.name,
            publisher=model.publisher,
            description=model.description,
        )
