"""The GraphQL `Body` type."""

from typing import Self

import strawberry

from api.context import Info
from api.types.commitment import Commitment
from api.types.enums import BodyKind
from api.types.jurisdiction import Jurisdiction
from api.types.partnership import Partnership
from graph import models


@strawberry.type(
    description="An organisation: department, devolved government, council, CSO, network."
)
class Body:
    id: strawberry.ID
    name: str
    kind: BodyKind
    aliases: list[str] = strawberry.field(description="Other names the sources use for this body.")
    jurisdiction_id: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, model: models.Body) -> Self:
        return cls(
            id=strawberry.ID(model.id),
            name=model.name,
            kind=model.kind,
            aliases=list(model.aliases),
            jurisdiction_id=model.jurisdiction_id,
        )

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
    async def partner_network(self, info: Info, first: int = 20) -> list["BodyPartner"]:
        counts = (await info.context.loaders.body_partners.load(str(self.id)))[: max(first, 0)]
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
    body: Body
    shared_commitments: int
