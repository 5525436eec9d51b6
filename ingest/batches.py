"""Turn parsed sources into graph batches: nodes and relationships, each with its provenance."""

import re
import unicodedata

from graph.models import Body, Jurisdiction, Source
from graph.vocabulary import BodyKind, Label, Rel
from graph.writes import GraphBatch, NodeRow, RelationshipRow, RelationshipSpec
from ingest.action_plan_text import ParsedActionPlan
from ingest.actors import Mention
from ingest.registry import Registry

JURISDICTION_PART_OF = RelationshipSpec(Rel.PART_OF, Label.JURISDICTION, Label.JURISDICTION)
BODY_BASED_IN = RelationshipSpec(Rel.BASED_IN, Label.BODY, Label.JURISDICTION)
PLAN_FOR_JURISDICTION = RelationshipSpec(
    Rel.FOR_JURISDICTION, Label.ACTION_PLAN, Label.JURISDICTION
)
PLAN_HAS_COMMITMENT = RelationshipSpec(Rel.HAS_COMMITMENT, Label.ACTION_PLAN, Label.COMMITMENT)
BODY_LEADS = RelationshipSpec(Rel.LEADS, Label.BODY, Label.COMMITMENT)
BODY_PARTNERS_IN = RelationshipSpec(Rel.PARTNERS_IN, Label.BODY, Label.COMMITMENT, "role")


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


def jurisdictions_batch(registry: Registry, source: Source) -> GraphBatch:
    """Every registry jurisdiction, located by its line in seeds/jurisdictions.csv."""
    batch = GraphBatch(source)
    for jurisdiction in registry.jurisdictions.values():
        location = line_location(registry.lines[f"jurisdiction:{jurisdiction.id}"])
        add_jurisdiction(batch, registry, jurisdiction.id, location)
    return batch


def bodies_batch(registry: Registry, source: Source) -> GraphBatch:
    """Every registry body (and the jurisdictions they are based in), located by CSV line."""
    batch = GraphBatch(source)
    for body in registry.bodies.values():
        add_body(batch, registry, body, line_location(registry.lines[f"body:{body.id}"]))
    return batch


def resolve_mention(registry: Registry, mention: Mention) -> Body:
    """The registry's body for a mention; an unknown name becomes an unclassified body."""
    if mention.body_id is not None:
        return registry.bodies[mention.body_id]
    return Body(id=slugify(mention.text), name=mention.text, kind=BodyKind.UNCLASSIFIED)


def action_plan_id(jurisdiction_id: str, number: int) -> str:
    return f"{jurisdiction_id}-nap{number}"


def commitment_id(plan_id: str, number: int) -> str:
    return f"{plan_id}-c{number}"


def action_plan_batch(plan: ParsedActionPlan, registry: Registry, source: Source) -> GraphBatch:
    batch = GraphBatch(source)
    plan_id = action_plan_id(plan.jurisdiction_id, plan.number)
    plan_location = line_location(plan.title_line)
    add_jurisdiction(batch, registry, plan.jurisdiction_id, plan_location)
    batch.add_node(
        Label.ACTION_PLAN,
        NodeRow(
            id=plan_id,
            properties={
                "number": plan.number,
                "title": plan.title,
                "periodStart": plan.period_start,
                "periodEnd": plan.period_end,
            },
            location=plan_location,
        ),
    )
    batch.add_relationship(
        PLAN_FOR_JURISDICTION,
        RelationshipRow(start_id=plan_id, end_id=plan.jurisdiction_id, location=plan_location),
    )
    for commitment in plan.commitments:
        location = line_location(commitment.line)
        node_id = commitment_id(plan_id, commitment.number)
        batch.add_node(
            Label.COMMITMENT,
            NodeRow(
                id=node_id,
                properties={
                    "number": commitment.number,
                    "code": str(commitment.number),
                    "title": commitment.title,
                    "summary": commitment.summary,
                },
                location=location,
            ),
        )
        batch.add_relationship(
            PLAN_HAS_COMMITMENT,
            RelationshipRow(start_id=plan_id, end_id=node_id, location=location),
        )
        for lead in commitment.leads:
            body = resolve_mention(registry, lead)
            add_body(batch, registry, body, location)
            batch.add_relationship(
                BODY_LEADS, RelationshipRow(start_id=body.id, end_id=node_id, location=location)
            )
        for partner in commitment.partners:
            body = resolve_mention(registry, partner.mention)
            add_body(batch, registry, body, location)
            batch.add_relationship(
                BODY_PARTNERS_IN,
                RelationshipRow(
                    start_id=body.id,
                    end_id=node_id,
                    key=partner.role.value,
                    properties={"role": partner.role.value},
                    location=location,
                ),
            )
    return batch
