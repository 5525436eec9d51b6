"""The graph's enumerations, registered as GraphQL enums, each value described."""

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

import strawberry
from strawberry.types.enum import StrawberryEnumDefinition

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

E = TypeVar("E", bound=Enum)


def describe_values(enum: type[E], descriptions: Mapping[E, str]) -> None:
    """Give each value of an enum registered with `strawberry.enum` its GraphQL description.

    The graph's enumerations are plain `StrEnum`s (their values are what Neo4j stores), which
    cannot hold `strawberry.enum_value(...)`; so the descriptions are set on the definition
    `strawberry.enum` made, before any schema is built.
    """
    definition = getattr(enum, "__strawberry_definition__", None)
    if not isinstance(definition, StrawberryEnumDefinition):
        raise TypeError(f"{enum.__name__} is not registered with strawberry.enum")
    for value in definition.values:
        value.description = descriptions.get(enum(value.value), value.description)


strawberry.enum(BodyKind, description="What sort of organisation a body is.")
describe_values(
    BodyKind,
    {
        BodyKind.UK_DEPARTMENT: "A UK ministerial department, e.g. the Cabinet Office.",
        BodyKind.GOVERNMENT_BODY: "A public body no source classes more precisely: an agency, a "
        "non-departmental body, another country's ministry.",
        BodyKind.DEVOLVED_GOVERNMENT: "A devolved administration, e.g. the Scottish Government.",
        BodyKind.GOVERNMENT_UNIT: "A team within government, e.g. the Government Digital Service.",
        BodyKind.REGULATOR: "A regulator, e.g. the Financial Conduct Authority.",
        BodyKind.LOCAL_GOVERNMENT_ASSOCIATION: "An association of councils, e.g. COSLA.",
        BodyKind.LOCAL_AUTHORITY: "A council.",
        BodyKind.CIVIL_SOCIETY: "A civil society organisation, e.g. a charity or campaign group.",
        BodyKind.NETWORK: "A network or steering group, e.g. the OGP Scotland Network.",
        BodyKind.CONSORTIUM: "Organisations working as one under contract, e.g. a delivery "
        "consortium.",
        BodyKind.INTERNATIONAL_ORGANISATION: "An international organisation, e.g. OGP's support "
        "unit for Europe.",
        BodyKind.COLLECTIVE: "Many bodies named together as one, e.g. 'Local authorities'.",
        BodyKind.UNCLASSIFIED: "A body the sources name without saying what sort it is.",
    },
)
strawberry.enum(JurisdictionLevel, description="Where a jurisdiction sits: country, nation, ...")
describe_values(
    JurisdictionLevel,
    {
        JurisdictionLevel.COUNTRY: "A country, e.g. the United Kingdom or another OGP member.",
        JurisdictionLevel.NATION: "A nation of the UK: England, Scotland, Wales or Northern Ireland.",
        JurisdictionLevel.LOCAL_AUTHORITY: "A local authority's area: a council, county or "
        "combined authority.",
    },
)
strawberry.enum(PartnerRole, description="How a body takes part in a commitment it does not lead.")
describe_values(
    PartnerRole,
    {
        PartnerRole.GOVERNMENT: "One of the other government bodies the plan names as involved.",
        PartnerRole.CIVIL_SOCIETY: "One of the civil society or private sector organisations "
        "the source names as involved.",
        PartnerRole.DELIVERY: "A member of the delivery consortium the plan names.",
        PartnerRole.SUPPORTING: "A supporting institution, the source saying no more of its part.",
    },
)

strawberry.enum(Specificity, description="IRM: how specific and measurable a commitment is.")
describe_values(
    Specificity,
    {
        Specificity.NONE: "No verifiable deliverable or milestone.",
        Specificity.LOW: "An activity that could be measured only with some interpretation.",
        Specificity.MEDIUM: "Verifiable activities, but no clearly measurable milestones.",
        Specificity.HIGH: "Clearly measurable, verifiable activities and milestones.",
    },
)
strawberry.enum(PotentialImpact, description="IRM: what a commitment could change if completed.")
describe_values(
    PotentialImpact,
    {
        PotentialImpact.NONE: "Would keep the status quo.",
        PotentialImpact.MINOR: "An incremental but positive step in its policy area.",
        PotentialImpact.MODERATE: "A major step forward in its policy area, but limited in scale "
        "or scope.",
        PotentialImpact.TRANSFORMATIVE: "Could transform business as usual in its policy area.",
        PotentialImpact.UNCLEAR: "The IRM could not tell.",
    },
)
strawberry.enum(Completion, description="IRM: how far a commitment was carried out.")
describe_values(
    Completion,
    {
        Completion.NOT_STARTED: "Nothing of it was done yet.",
        Completion.LIMITED: "Limited progress: a little of it was done.",
        Completion.SUBSTANTIAL: "Substantial progress: much of it was done, but not all.",
        Completion.COMPLETE: "All of it was done.",
        Completion.WITHDRAWN: "The government withdrew it.",
        Completion.UNCLEAR: "The IRM could not tell how far it went.",
    },
)
strawberry.enum(CompletionChange, description="IRM: how completion moved by the end of term.")
describe_values(
    CompletionChange,
    {
        CompletionChange.NO_CHANGE: "The same at the end of term as in the progress report.",
        CompletionChange.INCREASE: "Further at the end of term than in the progress report.",
        CompletionChange.DECREASE: "Lower at the end of term than in the progress report.",
    },
)
strawberry.enum(OpenedGovernment, description="IRM, end of term: did it open government?")
describe_values(
    OpenedGovernment,
    {
        OpenedGovernment.WORSENED: "Government became less open.",
        OpenedGovernment.DID_NOT_CHANGE: "Government practice did not change.",
        OpenedGovernment.MARGINAL: "A marginal change towards open government.",
        OpenedGovernment.MAJOR: "A major change towards open government.",
        OpenedGovernment.OUTSTANDING: "An outstanding change towards open government.",
    },
)

__all__ = [
    "BodyKind",
    "Completion",
    "CompletionChange",
    "JurisdictionLevel",
    "OpenedGovernment",
    "PartnerRole",
    "PotentialImpact",
    "Specificity",
    "describe_values",
]
