"""The GraphQL `Body` type."""

from typing import Annotated, Optional, Self

import strawberry

from api.context import Info
from api.errors import ClientError
from api.types.commitment import Commitment
from api.types.connection import MAX_PAGE_SIZE
from api.types.enums import BodyKind
from api.types.identifier import Identifier, identifiers_of
from api.types.jurisdiction import Jurisdiction
from api.types.partnership import Partnership
from api.types.source_reference import SOURCES_DESCRIPTION, SourceReference, sources_of
from graph import models
from graph.vocabulary import Label


@strawberry.type(description="A name a source gives a body and the resolver rule that joined it.")
class ResolvedName:
    name: str = strawberry.field(description="The name as the source gives it.")
    source: str = strawberry.field(description="The seed file that gives the name.")
    rule: str = strawberry.field(description="The rule (README, Resolving bodies) that joined it.")


@strawberry.type(description="Accountability practices the Public Bodies Directory records.")
class Accountability:
    holds_public_meetings: bool = strawberry.field(
        description="Whether the body holds meetings open to the public."
    )
    publishes_minutes: bool = strawberry.field(
        description="Whether it publishes the minutes of its meetings."
    )
    has_register_of_interests: bool = strawberry.field(
        description="Whether it keeps a register of interests."
    )


@strawberry.type(
    description="An organisation: department, devolved government, council, CSO, network."
)
class Body:
    id: strawberry.ID = strawberry.field(description="The body's id, e.g. 'cabinet-office'.")
    name: str = strawberry.field(description="The body's name; its other names are `aliases`.")
    kind: BodyKind = strawberry.field(description="What sort of organisation it is.")
    aliases: list[str] = strawberry.field(description="Other names the sources use for this body.")
    status: str | None = strawberry.field(
        description="GOV.UK's status of the organisation (live, closed, exempt, joining)."
    )
    classification: str | None = strawberry.field(
        description="The register's classification (Executive NDPB, Ministerial department, ...)."
    )
    accountability: Accountability | None = strawberry.field(
        description="What the Public Bodies Directory says the body practises; null if it is not listed."
    )
    resolution: list[ResolvedName] = strawberry.field(
        description="Every name the sources give this body, each with the rule that joined it."
    )
    jurisdiction_id: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, model: models.Body) -> Self:
        found = model.accountability
        return cls(
            id=strawberry.ID(model.id),
            name=model.name,
            kind=model.kind,
            aliases=list(model.aliases),
            status=model.status,
            classification=model.classification,
            accountability=Accountability(
                holds_public_meetings=found.holds_public_meetings,
                publishes_minutes=found.publishes_minutes,
                has_register_of_interests=found.has_register_of_interests,
            )
            if found
            else None,
            resolution=[
                ResolvedName(name=r.name, source=r.source, rule=r.rule) for r in model.resolution
            ],
            jurisdiction_id=model.jurisdiction_id,
        )

    @strawberry.field(description=SOURCES_DESCRIPTION)
    async def sources(self, info: Info) -> list[SourceReference]:
        return await sources_of(info, Label.BODY, str(self.id))

    @strawberry.field(
        description="Identifiers other registers give it (COPBT, GOV.UK, Wikidata, WDTK, ...)."
    )
    async def identifiers(self, info: Info) -> list[Identifier]:
        return await identifiers_of(info, Label.BODY, str(self.id))

    @strawberry.field(
        description="The body this one is part of: its sponsoring department, parent organisation "
        "or owner (the one most registers state)."
    )
    async def parent(self, info: Info) -> Optional["Body"]:
        found = await info.context.loaders.body_parents.load(str(self.id))
        return Body.from_model(found[0]) if found else None

    @strawberry.field(description="The bodies that are part of this one, by name.")
    async def parts(self, info: Info) -> list["Body"]:
        return [
            Body.from_model(m) for m in await info.context.loaders.body_parts.load(str(self.id))
        ]

    @strawberry.field(description="Where the body is based.")
    async def jurisdiction(self, info: Info) -> Jurisdiction | None:
        if self.jurisdiction_id is None:
            return None
        model = await info.context.loaders.jurisdiction.load(self.jurisdiction_id)
        return Jurisdiction.from_model(model) if model else None

    @strawberry.field(description="The commitments this body leads.")
    async def leads(self, info: Info) -> list[Commitment]:
        return [
            Commitment.from_model(m)
            for m in await info.context.loaders.body_leads.load(str(self.id))
        ]

    @strawberry.field(
        description="Bodies that lead or partner in the same commitments, with how many, most first."
    )
    async def partner_network(
        self,
        info: Info,
        first: Annotated[
            int,
            strawberry.argument(
                description=f"How many partners to return, most shared first, from 1 to "
                f"{MAX_PAGE_SIZE}."
            ),
        ] = 20,
    ) -> list["BodyPartner"]:
        if not 1 <= first <= MAX_PAGE_SIZE:  # the cost model counts on it
            raise ClientError(f"`first` must be between 1 and {MAX_PAGE_SIZE}")
        counts = (await info.context.loaders.body_partners.load(str(self.id)))[:first]
        found = await info.context.loaders.body.load_many([c.body_id for c in counts])
        return [
            BodyPartner(body=Body.from_model(model), shared_commitments=count.shared_commitments)
            for count, model in zip(counts, found, strict=True)
            if model is not None
        ]

    @strawberry.field(description="The commitments this body takes part in without leading them.")
    async def partner_in(self, info: Info) -> list[Partnership]:
        partnerships = await info.context.loaders.body_partnerships.load(str(self.id))
        return [Partnership.from_model(model) for model in partnerships]


@strawberry.type(description="A body co-involved with another, and in how many commitments.")
class BodyPartner:
    body: Body = strawberry.field(description="The other body.")
    shared_commitments: int = strawberry.field(
        description="How many commitments both lead or partner in."
    )
