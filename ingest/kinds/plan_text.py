"""An action plan scraped as text as a source kind: the plan, its commitments, leads and partners."""

from graph.models import Source
from graph.relationships import (
    BODY_LEADS,
    BODY_PARTNERS_IN,
    PLAN_FOR_JURISDICTION,
    PLAN_HAS_COMMITMENT,
)
from graph.vocabulary import Label
from graph.writes import GraphBatch, NodeRow, RelationshipRow
from ingest.action_plan_text import ParsedActionPlan, parse_action_plan
from ingest.batches import (
    action_plan_id,
    add_body,
    add_jurisdiction,
    commitment_id,
    line_location,
    resolve_mention,
)
from ingest.context import IngestContext
from ingest.files import TextFile
from ingest.kind import Candidate, SourceKind
from ingest.registry import Registry


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


def _recognises(candidate: Candidate) -> bool:
    return not candidate.is_csv and not candidate.is_json


def _build(file: TextFile, context: IngestContext) -> GraphBatch:
    plan = parse_action_plan(file, context.registry)
    return action_plan_batch(plan, context.registry, context.source(file, plan.title))


KIND = SourceKind("action-plan text", _recognises, _build)
