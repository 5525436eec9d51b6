"""uk-nations-plans.csv as a source kind: each plan of a UK nation, and the UK plan a chapter belongs to.

A plan is a chapter of another plan of the file when its id is that plan's id followed by `-`
and a suffix (`uk-nap4-wales` of `uk-nap4`) and its jurisdiction is part of the other plan's.
"""

from graph.models import Source
from graph.relationships import PLAN_CHAPTER_OF, PLAN_FOR_JURISDICTION
from graph.vocabulary import Label
from graph.writes import GraphBatch, NodeRow, RelationshipRow
from ingest.batches import add_jurisdiction, line_location
from ingest.context import IngestContext
from ingest.errors import IngestError
from ingest.files import TextFile
from ingest.kind import SourceKind, has_columns
from ingest.primary_sources import PrimaryClaims, primary_claims
from ingest.registry import Registry
from ingest.uk_nations import PlanRow, plan_number, read_plans


def plans_batch(
    file: TextFile, registry: Registry, claims: PrimaryClaims, source: Source
) -> GraphBatch:
    rows = read_plans(file)
    batch = GraphBatch(source)
    jurisdictions: dict[str, str] = {}
    seen: dict[str, int] = {}
    for line, row in rows:
        if row.plan_id in seen:
            raise IngestError(
                file.path,
                f"plan {row.plan_id!r} is already on line {seen[row.plan_id]}",
                line=line,
                field="plan_id",
            )
        seen[row.plan_id] = line
        jurisdiction_id = registry.jurisdiction_names.lookup(row.jurisdiction)
        if jurisdiction_id is None:
            raise IngestError(
                file.path,
                f"unknown jurisdiction {row.jurisdiction!r}",
                line=line,
                field="jurisdiction",
            )
        if row.period_end < row.period_start:
            raise IngestError(
                file.path, "the period ends before it starts", line=line, field="period_end"
            )
        jurisdictions[row.plan_id] = jurisdiction_id
        location = line_location(line)
        add_jurisdiction(batch, registry, jurisdiction_id, location)
        batch.add_node(
            Label.ACTION_PLAN,
            NodeRow(
                id=row.plan_id,
                properties=_properties(row),
                location=location,
            ),
        )
        batch.add_relationship(
            PLAN_FOR_JURISDICTION,
            RelationshipRow(start_id=row.plan_id, end_id=jurisdiction_id, location=location),
        )
    for line, row in rows:
        whole = _whole_plan(row.plan_id, jurisdictions, registry)
        if whole is not None:
            batch.add_relationship(
                PLAN_CHAPTER_OF,
                RelationshipRow(start_id=row.plan_id, end_id=whole, location=line_location(line)),
            )
    claims.restrict(batch)
    return batch


def _properties(row: PlanRow) -> dict[str, str | int | None]:
    return {
        "number": plan_number(row.plan_id),
        "title": row.title,
        "periodStart": row.period_start,
        "periodEnd": row.period_end,
        "ogpMembership": row.ogp_membership.value,
        "sourceUrl": row.source_url,
    }


def _whole_plan(plan_id: str, jurisdictions: dict[str, str], registry: Registry) -> str | None:
    """The plan `plan_id` is a chapter of (see the module's docstring), if any."""
    for other, other_jurisdiction in jurisdictions.items():
        if plan_id.startswith(f"{other}-"):
            above = {j.id for j in registry.jurisdiction_chain(jurisdictions[plan_id])[1:]}
            if other_jurisdiction in above:
                return other
    return None


def _build(file: TextFile, context: IngestContext) -> GraphBatch:
    source = context.source(file, "UK nations' action plans")
    return plans_batch(file, context.registry, primary_claims(context), source)


KIND = SourceKind("UK nations' plans", has_columns(list(PlanRow.model_fields)), _build)
