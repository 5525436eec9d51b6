"""The GraphQL `Practice` type: something governments or civil society do, named by the sources."""

from typing import TYPE_CHECKING, Annotated, Self

import strawberry

from api.context import Info
from api.types.identifier import Identifier, identifiers_of
from api.types.jurisdiction import Jurisdiction
from api.types.lesson import Lesson
from api.types.source_reference import SourceReference
from api.types.standard import Standard
from api.types.theme import Theme
from graph import models
from graph.vocabulary import Label

if TYPE_CHECKING:
    from api.types.body import Body
    from api.types.commitment import Commitment


@strawberry.type(
    description="An open-government practice, e.g. Contracts Finder or Area Democracy Forums."
)
class Practice:
    id: strawberry.ID = strawberry.field(description="The practice's id, e.g. 'contracts-finder'.")
    name: str = strawberry.field(description="The practice's name.")
    description: str | None = strawberry.field(
        description="What the practice is, where a source or curator says."
    )
    version: int = strawberry.field(
        description="Changes with every curated edit; pass it as `expectedVersion` to edit."
    )
    participedia_id: str | None = strawberry.field(
        description="The case's id in Participedia, for a practice from its case library."
    )
    url: str | None = strawberry.field(
        description="The practice's page, e.g. its Participedia case."
    )
    start_year: int | None = strawberry.field(
        description="The year the practice started, where the source says."
    )
    end_year: int | None = strawberry.field(
        description="The year the practice ended, where the source says."
    )
    ongoing: bool | None = strawberry.field(
        description="Whether the source says the practice is still going on."
    )
    number_of_participants: int | None = strawberry.field(
        description="How many people took part, where the source says."
    )
    methods: list[str] = strawberry.field(
        description="How decisions were made (e.g. 'Voting', 'Preferential voting'), as the source codes them."
    )
    topics: list[str] = strawberry.field(
        description="What the practice was about (issues, topics, tags), as the source codes them; "
        "those meaning a theme of the taxonomy are also its `themes`."
    )
    scopes: list[str] = strawberry.field(
        description="Where the practice's decisions had influence (e.g. 'City or town', 'National')."
    )
    model: strawberry.Private[models.Practice]

    @classmethod
    def from_model(cls, model: models.Practice) -> Self:
        return cls(
            id=strawberry.ID(model.id),
            name=model.name,
            description=model.description,
            version=model.version,
            participedia_id=model.participedia_id,
            url=model.url,
            start_year=model.start_year,
            end_year=model.end_year,
            ongoing=model.ongoing,
            number_of_participants=model.number_of_participants,
            methods=list(model.methods),
            topics=list(model.topics),
            scopes=list(model.scopes),
            model=model,
        )

    @strawberry.field(
        description="The sources that state the practice, each with its licence: facts from "
        "Participedia are CC BY-NC-SA 3.0 (non-commercial, share alike, credit the case page)."
    )
    def sources(self) -> list[SourceReference]:
        return [
            SourceReference.from_model(m)
            for m in sorted(self.model.sources, key=lambda m: (m.id, m.location))
        ]

    @strawberry.field(
        description="Identifiers other registers give it (GSS, Wikidata, COPBT, GOV.UK, OGP, ...)."
    )
    async def identifiers(self, info: Info) -> list[Identifier]:
        return await identifiers_of(info, Label.PRACTICE, str(self.id))

    @strawberry.field(description="The commitments the practice is part of.")
    async def commitments(
        self, info: Info
    ) -> list[Annotated["Commitment", strawberry.lazy("api.types.commitment")]]:
        from api.types.commitment import Commitment

        found = await info.context.loaders.commitment.load_many(list(self.model.commitment_ids))
        return [Commitment.from_model(m) for m in found if m]

    @strawberry.field(description="The bodies involved.")
    async def bodies(
        self, info: Info
    ) -> list[Annotated["Body", strawberry.lazy("api.types.body")]]:
        from api.types.body import Body

        found = await info.context.loaders.body.load_many(list(self.model.body_ids))
        return [Body.from_model(m) for m in found if m]

    @strawberry.field(description="The places the practice is practised in.")
    async def jurisdictions(self, info: Info) -> list[Jurisdiction]:
        found = await info.context.loaders.jurisdiction.load_many(list(self.model.jurisdiction_ids))
        return [Jurisdiction.from_model(m) for m in found if m]

    @strawberry.field(description="The data standards the practice uses.")
    async def standards(self, info: Info) -> list[Standard]:
        found = await info.context.loaders.standard.load_many(list(self.model.standard_ids))
        return [Standard.from_model(m) for m in found if m]

    @strawberry.field(description="The themes the practice is about.")
    async def themes(self, info: Info) -> list[Theme]:
        found = await info.context.loaders.theme.load_many(list(self.model.theme_ids))
        return [Theme.from_model(m) for m in found if m]

    @strawberry.field(description="Lessons learned about this practice.")
    async def lessons(self, info: Info) -> list[Lesson]:
        return [
            Lesson.from_model(m)
            for m in await info.context.loaders.practice_lessons.load(str(self.id))
        ]
