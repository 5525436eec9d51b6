"""The graph's enumerations as GraphQL enums."""

import strawberry

from graph import vocabulary

BodyKind = strawberry.enum(vocabulary.BodyKind, description="What sort of organisation a body is.")
JurisdictionLevel = strawberry.enum(
    vocabulary.JurisdictionLevel, description="Where a jurisdiction sits: country, nation, ..."
)
PartnerRole = strawberry.enum(
    vocabulary.PartnerRole, description="How a body takes part in a commitment it does not lead."
)
