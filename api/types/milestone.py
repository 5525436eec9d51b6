"""The GraphQL `Milestone` type: a step of a commitment in a year."""

from typing import Self

import strawberry

from graph import models


@strawberry.type(description="A milestone of a commitment: its year, what it is and its status.")
class Milestone:
    id: strawberry.ID = strawberry.field(description="The milestone's id.")
    year: int = strawberry.field(description="The year the milestone falls in.")
    text: str = strawberry.field(description="What is to be done, as the source words it.")
    status: str | None = strawberry.field(
        description="The status a progress report printed (e.g. 'on schedule'), if any."
    )

    @classmethod
    def from_model(cls, model: models.Milestone) -> Self:
        return cls(
            id=strawberry.ID(model.id), year=model.year, text=model.text, status=model.status
        )
