"""The graph's enumerations, registered as GraphQL enums."""

import strawberry

from graph.vocabulary import (
    BodyKind,
    Completion,
    CompletionChange,
    JurisdictionLevel,
    OpenedGovernment,
    PartnerRole,
    PotentialImpact,
    Specificity,
)

strawberry.enum(BodyKind, description="What sort of organisation a body is.")
strawberry.enum(JurisdictionLevel, description="Where a jurisdiction sits: country, nation, ...")
strawberry.enum(PartnerRole, description="How a body takes part in a commitment it does not lead.")

strawberry.enum(Specificity, description="IRM: how specific and measurable a commitment is.")
strawberry.enum(PotentialImpact, description="IRM: what a commitment could change if completed.")
strawberry.enum(Completion, description="IRM: how far a commitment was carried out.")
strawberry.enum(CompletionChange, description="IRM: how completion moved by the end of term.")
strawberry.enum(OpenedGovernment, description="IRM, end of term: did it open government?")

__all__ = [
    "BodyKind",
    "Completion",
    "CompletionChange",
    "JurisdictionLevel",
    "OpenedGovernment",
    "PartnerRole",
    "PotentialImpact",
    "Specificity",
]
