"""The GraphQL `Lesson` type: a finding a source records, with its evidence."""

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from api.context import Info
from api.types.jurisdiction import Jurisdiction
from api.types.source_reference import SOURCES_DESCRIPTION, SourceReference, sources_of
from api.types.theme import Theme
from graph import models
from graph.vocabulary import Label

if TYPE_CHECKING:
    from api.types.commitment import Commitment
    from api.types.practice import Practice


@strawberry.type(description="Where a lesson's finding is recorded: a source and a place in it.")
class Evidence:
    source_id: strawberry.ID = strawberry.field(
        description="The id of the source that records the finding, e.g. 'ogp-irm-commitments-2016'."
    )
    location: str = strawberry.field(
        description="Where in the source, e.g. 'line 31', 'p. 12' or 'section 3.2'."
    )


@strawberry.type(description="What was learned, from which item, for which themes and places.")
class Lesson:
    id: strawberry.ID = strawberry.field(description="The lesson's id.")
    statement: str = strawberry.field(description="What was learned, in a sentence or two.")
    evidence: Evidence = strawberry.field(description="Where the finding is recorded.")
    version: int = strawberry.field(
        description="Changes with every curated edit; pass it as `expectedVersion` to edit."
    )
    model: strawberry.Private[models.Lesson]

    @classmethod
    def from_model(cls, model: models.Lesson) -> Self:
        return cls(
            id=strawberry.ID(model.id),
            statement=model.statement,
            evidence=Evidence(
                source_id=strawberry.ID(model.evidence_source_id), location=model.evidence_location
            ),
            version=model.version,
            model=model,
        )

    @strawberry.field(description=SOURCES_DESCRIPTION)
    async def sources(self, info: Info) -> list[SourceReference]:
        return await sources_of(info, Label.LESSON, str(self.id))

    @strawberry.field(description="The commitments the lesson is about.")
    async def commitments(
        self, info: Info
    ) -> list[Annotated["Commitment", strawberry.lazy("api.types.commitment")]]:
        from api.types.commitment import Commitment

        found = await info.context.loaders.commitment.load_many(list(self.model.commitment_ids))
        return [Commitment.from_model(m) for m in found if m]

    @strawberry.field(description="The practices the lesson is about.")
    async def practices(
        self, info: Info
    ) -> list[Annotated["Practice", strawberry.lazy("api.types.practice")]]:
        from api.types.practice import Practice

        found = await info.context.loaders.practice.load_many(list(self.model.practice_ids))
        return [Practice.from_model(m) for m in found if m]

    @strawberry.field(description="The themes the lesson is about.")
    async def themes(self, info: Info) -> list[Theme]:
        found = await info.context.loaders.theme.load_many(list(self.model.theme_ids))
        return [Theme.from_model(m) for m in found if m]

    @strawberry.field(description="The places the lesson applies to.")
    async def jurisdictions(self, info: Info) -> list[Jurisdiction]:
        found = await info.context.loaders.jurisdiction.load_many(list(self.model.jurisdiction_ids))
        return [Jurisdiction.from_model(m) for m in found if m]
