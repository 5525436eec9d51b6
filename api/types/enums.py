"""The graph's enumerations, registered as GraphQL enums."""

import strawberry

from graph.vocabulary import BodyKind, JurisdictionLevel, PartnerRole

strawberry.enum(BodyKind, description="What sort of organisation a body is.")
strawberry.enum(JurisdictionLevel, description="Where a jurisdiction sits: country, nation, ...")
strawberry.enum(PartnerRole, description="How a body takes part in a commitment it does not lead.")

__all__ = ["BodyKind", "JurisdictionLevel", "PartnerRole"]
