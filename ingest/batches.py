"""What every source kind adds the same way: jurisdictions with their parents, bodies, ids, locations."""

import re
import unicodedata

from graph.models import Body, Jurisdiction
from graph.relationships import BODY_BASED_IN, JURISDICTION_PART_OF
from graph.vocabulary import BodyKind, Label
from graph.writes import GraphBatch, NodeRow, RelationshipRow
from ingest.actors import Mention
from ingest.registry import Registry


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def line_location(line: int) -> str:
    return f"line {line}"


def add_jurisdiction(
    batch: GraphBatch, registry: Registry, jurisdiction_id: str, location: str
) -> None:
    """Add a registry jurisdiction and every one above it, with their PART_OF links.

    A jurisdiction the registry does not hold (a country of the OGP data) is its source's to add.
    """
    if jurisdiction_id not in registry.jurisdictions:
        return
    for jurisdiction in registry.jurisdiction_chain(jurisdiction_id):
        if batch.has_node(Label.JURISDICTION, jurisdiction.id):
            continue
        batch.add_node(Label.JURISDICTION, jurisdiction_row(jurisdiction, location))
        if jurisdiction.parent_id is not None:
            batch.add_relationship(
                JURISDICTION_PART_OF,
                RelationshipRow(
                    start_id=jurisdiction.id, end_id=jurisdiction.parent_id, location=location
                ),
            )


def jurisdiction_row(jurisdiction: Jurisdiction, location: str) -> NodeRow:
    return NodeRow(
        id=jurisdiction.id,
        properties={
            "name": jurisdiction.name,
            "level": jurisdiction.level.value,
            "aliases": list(jurisdiction.aliases),
        },
        location=location,
    )


def add_body(batch: GraphBatch, registry: Registry, body: Body, location: str) -> None:
    if batch.has_node(Label.BODY, body.id):
        return
    batch.add_node(
        Label.BODY,
        NodeRow(
            id=body.id,
            properties={"name": body.name, "kind": body.kind.value, "aliases": list(body.aliases)},
            location=location,
        ),
    )
    if body.jurisdiction_id is not None:
        add_jurisdiction(batch, registry, body.jurisdiction_id, location)
        batch.add_relationship(
            BODY_BASED_IN,
            RelationshipRow(start_id=body.id, end_id=body.jurisdiction_id, location=location),
        )


def resolve_mention(registry: Registry, mention: Mention) -> Body:
    """The registry's body for a mention; an unknown name becomes an unclassified body."""
    if mention.body_id is not None:
        return registry.bodies[mention.body_id]
    return Body(id=slugify(mention.text), name=mention.text, kind=BodyKind.UNCLASSIFIED)


def action_plan_id(jurisdiction_id: str, number: int) -> str:
    return f"{jurisdiction_id}-nap{number}"


def commitment_id(plan_id: str, number: int) -> str:
    return f"{plan_id}-c{number}"
