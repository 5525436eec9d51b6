"""Identifier schemes, declared once: where each is stored, its index, and lookups by scheme and value."""

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import LiteralString

from graph.database import Database
from graph.lookups import Lookup
from graph.models import Model
from graph.vocabulary import Label


class IdentifierScheme(StrEnum):
    """A register's identifier for an entity another register or a reader may already hold."""

    GSS = "GSS"
    LOCAL_AUTHORITY_CODE = "LOCAL_AUTHORITY_CODE"
    WIKIDATA = "WIKIDATA"
    COPBT = "COPBT"
    GOVUK = "GOVUK"
    WDTK = "WDTK"
    COMPANIES_HOUSE = "COMPANIES_HOUSE"
    SCOTTISH_CHARITY = "SCOTTISH_CHARITY"
    OGP = "OGP"
    PARTICIPEDIA = "PARTICIPEDIA"


@dataclass(frozen=True)
class Storage:
    """Where a scheme's values live: a label and a property, with what the scheme is."""

    label: Label
    property: LiteralString
    description: str


# The one table of identifiers: schema indexes, GraphQL `identifiers` and `byIdentifier` derive from it.
IDENTIFIER_STORAGE: dict[IdentifierScheme, Storage] = {
    IdentifierScheme.GSS: Storage(
        Label.JURISDICTION, "gssCode", "ONS Government Statistical Service code (S12000033)"
    ),
    IdentifierScheme.LOCAL_AUTHORITY_CODE: Storage(
        Label.JURISDICTION, "localAuthorityCode", "mySociety local-authority code (ABE)"
    ),
    IdentifierScheme.WIKIDATA: Storage(Label.BODY, "wikidataId", "Wikidata item (Q2425849)"),
    IdentifierScheme.COPBT: Storage(
        Label.BODY, "copbtUid", "Cabinet Office Public Bodies Directory UID (PBTUID-…)"
    ),
    IdentifierScheme.GOVUK: Storage(
        Label.BODY, "govukSlug", "GOV.UK organisation slug (attorney-generals-office)"
    ),
    IdentifierScheme.WDTK: Storage(
        Label.BODY, "wdtkName", "WhatDoTheyKnow authority url name (aberdeen_city_council)"
    ),
    IdentifierScheme.COMPANIES_HOUSE: Storage(
        Label.BODY, "companiesHouseNumber", "Companies House company number (SC123456)"
    ),
    IdentifierScheme.SCOTTISH_CHARITY: Storage(
        Label.BODY, "scottishCharityNumber", "Scottish Charity Regulator number (SC012345)"
    ),
    IdentifierScheme.OGP: Storage(Label.COMMITMENT, "ogpId", "OGP commitment id (UK0063)"),
    IdentifierScheme.PARTICIPEDIA: Storage(
        Label.PRACTICE, "participediaId", "Participedia case id"
    ),
}


class Identifier(Model):
    scheme: IdentifierScheme
    value: str


def schemes_of(label: Label) -> list[IdentifierScheme]:
    return [scheme for scheme, storage in IDENTIFIER_STORAGE.items() if storage.label == label]


def index_statements() -> tuple[LiteralString, ...]:
    """A range index per stored identifier property, so `byIdentifier` is an index seek."""
    statements: list[LiteralString] = []
    for storage in IDENTIFIER_STORAGE.values():
        # Derived from the table's own constants (never input): jurisdiction_gss_code.
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", storage.property).lower()
        name = storage.label.value.lower() + "_" + snake
        statements.append(
            "CREATE INDEX " + name + " IF NOT EXISTS "
            "FOR (n:" + storage.label.value + ") ON (n." + storage.property + ")"
        )
    return tuple(statements)


def identifier_list(label: Label, node: LiteralString) -> LiteralString:
    """A Cypher list of `{scheme, value}` maps: the identifiers `node` holds, in the table's order."""
    entries: list[LiteralString] = []
    for scheme in schemes_of(label):
        storage = IDENTIFIER_STORAGE[scheme]
        entries.append(
            "{scheme: '"
            + scheme.value
            + "', value: toString("
            + node
            + "."
            + storage.property
            + ")}"
        )
    listed: LiteralString = ", ".join(entries)
    return "[entry IN [" + listed + "] WHERE entry.value IS NOT NULL]"


def identifiers_lookup(label: Label) -> Lookup[Identifier]:
    """Each entity's identifiers, in the table's order, as `{scheme, value}` items."""
    return Lookup(
        "MATCH (n:" + label.value + " {id: key}) "
        "RETURN key, " + identifier_list(label, "n") + " AS items",
        Identifier,
        many=True,
    )


IDENTIFIED_LABELS: tuple[Label, ...] = (
    Label.BODY,
    Label.JURISDICTION,
    Label.COMMITMENT,
    Label.PRACTICE,
)
IDENTIFIERS_BY_ID: dict[Label, Lookup[Identifier]] = {
    label: identifiers_lookup(label) for label in IDENTIFIED_LABELS
}


def _by_identifier_query(storage: Storage) -> LiteralString:
    return (
        "MATCH (n:" + storage.label.value + ") WHERE n." + storage.property + " = $value "
        "RETURN n.id AS id ORDER BY id LIMIT 1"
    )


async def by_identifier(
    database: Database, scheme: IdentifierScheme, value: str
) -> tuple[Label, str] | None:
    """The label and id of the entity holding `value` in `scheme`, or None."""
    storage = IDENTIFIER_STORAGE[scheme]
    records = await database.read(_by_identifier_query(storage), value=value.strip())
    return (storage.label, str(records[0]["id"])) if records else None
