"""uk-nations-lessons.csv as a source kind: lessons about a plan or one of its commitments.

A lesson's id is `uk-nations-{lesson_id}` (`uk-nations-l01`). Its evidence is this file's own
source with the evidence page and section as the location (`https://… § Summary`), so
`Lesson.evidence` names a source the graph holds; the page is also kept as `evidenceUrl`. It is
ABOUT its plan, or the plan's commitment where `about` gives a number, and APPLIES_TO the plan's
jurisdiction.
"""

from graph.models import Source
from graph.relationships import (
    LESSON_ABOUT_COMMITMENT,
    LESSON_ABOUT_PLAN,
    LESSON_APPLIES_TO,
    LESSON_EVIDENCED_BY,
)
from graph.vocabulary import Label
from graph.writes import GraphBatch, NodeRow, RelationshipRow
from ingest.batches import line_location, slugify
from ingest.context import IngestContext
from ingest.curated_csv import read_rows
from ingest.errors import IngestError
from ingest.files import TextFile
from ingest.kind import SourceKind, has_columns
from ingest.uk_nations import (
    COMMITMENTS_FILE,
    PLANS_FILE,
    LessonRow,
    numbered_commitment_id,
    read_commitments,
    read_plans,
)


def lessons_batch(
    file: TextFile,
    plan_jurisdictions: dict[str, str],
    commitment_ids: set[str],
    source: Source,
) -> GraphBatch:
    batch = GraphBatch(source)
    seen: dict[str, int] = {}
    for line, row in read_rows(file, LessonRow):
        location = line_location(line)
        lesson_id = f"uk-nations-{slugify(row.lesson_id)}"
        if lesson_id in seen:
            raise IngestError(
                file.path,
                f"{row.lesson_id} is already line {seen[lesson_id]}'s",
                line=line,
                field="lesson_id",
            )
        seen[lesson_id] = line
        plan_id, _, number = row.about.partition(" ")
        if plan_id not in plan_jurisdictions:
            raise IngestError(file.path, f"unknown plan {plan_id!r}", line=line, field="about")
        about = numbered_commitment_id(plan_id, number) if number else plan_id
        if number and about not in commitment_ids:
            raise IngestError(
                file.path, f"{plan_id} has no commitment {number}", line=line, field="about"
            )
        evidence = f"{row.evidence_url} § {row.evidence_locator}"
        batch.add_node(
            Label.LESSON,
            NodeRow(
                id=lesson_id,
                properties={
                    "statement": row.statement,
                    "kind": row.kind.value,
                    "evidenceSource": source.id,
                    "evidenceLocation": evidence,
                    "evidenceUrl": row.evidence_url,
                },
                location=location,
            ),
        )
        batch.add_relationship(
            LESSON_EVIDENCED_BY,
            RelationshipRow(
                start_id=lesson_id,
                end_id=source.id,
                properties={"location": evidence},
                location=location,
            ),
        )
        batch.add_relationship(
            LESSON_ABOUT_COMMITMENT if number else LESSON_ABOUT_PLAN,
            RelationshipRow(start_id=lesson_id, end_id=about, location=location),
        )
        batch.add_relationship(
            LESSON_APPLIES_TO,
            RelationshipRow(
                start_id=lesson_id, end_id=plan_jurisdictions[plan_id], location=location
            ),
        )
    return batch


def _build(file: TextFile, context: IngestContext) -> GraphBatch:
    registry = context.registry
    plans = {
        row.plan_id: registry.jurisdiction_names.lookup(row.jurisdiction) or ""
        for _, row in read_plans(context.seed_file(PLANS_FILE))
    }
    _, ids = read_commitments(context.seed_file(COMMITMENTS_FILE))
    source = context.source(file, "UK nations' lessons")
    return lessons_batch(file, plans, set(ids.values()), source)


KIND = SourceKind("UK nations' lessons", has_columns(list(LessonRow.model_fields)), _build)
