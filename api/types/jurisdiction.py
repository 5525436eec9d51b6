"""The GraphQL `Jurisdiction` type."""

from typing import Self

import strawberry

from api.context import Info
from api.types.enums import JurisdictionLevel
from api.types.identifier import Identifier, identifiers_of
from api.types.source_reference import SOURCES_DESCRIPTION, SourceReference, sources_of
from graph import models
from graph.vocabulary import Label


@strawberry.type(
    description="A place with its own government: the UK, a nation, a local authority."
)
class Jurisdiction:
    id: strawberry.ID = strawberry.field(description="The jurisdiction's id, e.g. 'scotland'.")
    name: str = strawberry.field(description="The jurisdiction's name.")
    level: JurisdictionLevel = strawberry.field(
        description="Whether it is a country, a nation or a local authority's area."
    )
    aliases: list[str] = strawberry.field(description="Other names the sources use for it.")
    gss_code: str | None = strawberry.field(description="ONS GSS code of a UK local authority.")
    authority_type: str | None = strawberry.field(description="e.g. 'London borough', 'County'.")
    parent_id: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, model: models.Jurisdiction) -> Self:
        return cls(
            id=strawberry.ID(model.id),
            name=model.name,
            level=model.level,
            aliases=list(model.aliases),
            gss_code=model.gss_code,
            authority_type=model.authority_type,
            parent_id=model.parent_id,
        )

    @strawberry.field(description=SOURCES_DESCRIPTION)
    async def sources(self, info: Info) -> list[SourceReference]:
        return await sources_of(info, Label.JURISDICTION, str(self.id))

    @strawberry.field(
        description="Identifiers other registers give it (GSS, Wikidata, COPBT, GOV.UK, OGP, ...)."
    )
    async def identifiers(self, info: Info) -> list[Identifier]:
        return await identifiers_of(info, Label.JURISDICTION, str(self.id))

    @strawberry.field(description="The jurisdiction this one is part of.")
    async def parent(self, info: Info) -> "Jurisdiction | None":
        if self.parent_id is None:
            return None
        model = await info.context.loaders.jurisdiction.load(self.parent_id)
        return Jurisdiction.from_model(model) if model else None

    @strawberry.field(description="The jurisdictions that are part of this one.")
    async def parts(self, info: Info) -> list["Jurisdiction"]:
        return [
            Jurisdiction.from_model(model)
            for model in await info.context.loaders.jurisdiction_parts.load(str(self.id))
        ]
