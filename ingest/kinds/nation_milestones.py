"""uk-nations-milestones.csv as a source kind: each commitment's milestones, a time series by year.

A milestone's id is its commitment's id, its year and the first words of its text
(`scotland-ogp-2021-2025-c1-m2022-review-international-approaches-and-best`), with a digest of
the whole text added only where two would otherwise share an id.
"""

from graph.models import Source
from graph.relationships import COMMITMENT_HAS_MILESTONE
from graph.vocabulary import Label
from graph.writes import GraphBatch, NodeRow, RelationshipRow
from ingest.batches import line_location
from ingest.context import IngestContext
from ingest.curated_csv import read_rows
from ingest.errors import IngestError
from ingest.files import TextFile
from ingest.identity import Located, distinct_ids, text_hash, words_slug
from ingest.kind import SourceKind, has_columns
from ingest.uk_nations import (
    COMMITMENTS_FILE,
    MilestoneRow,
    numbered_commitment_id,
    read_commitments,
)


def milestone_id(row: MilestoneRow) -> str:
    commitment_id = numbered_commitment_id(row.plan_id, row.commitment_number)
    return f"{commitment_id}-m{row.year}-{words_slug(row.milestone)}"


def milestones_batch(file: TextFile, commitment_ids: set[str], source: Source) -> GraphBatch:
    rows = [Located(line, row) for line, row in read_rows(file, MilestoneRow)]
    ids = distinct_ids(
        file.path, rows, milestone_id, (lambda row: text_hash(row.milestone),), "milestone"
    )
    batch = GraphBatch(source)
    for item in rows:
        row, location = item.row, line_location(item.line)
        commitment_id = numbered_commitment_id(row.plan_id, row.commitment_number)
        if commitment_id not in commitment_ids:
            raise IngestError(
                file.path,
                f"{row.plan_id} has no commitment {row.commitment_number} in {COMMITMENTS_FILE}",
                line=item.line,
                field="commitment_number",
            )
        batch.add_node(
            Label.MILESTONE,
            NodeRow(
                id=ids[item.line],
                properties={
                    "year": row.year,
                    "text": row.milestone,
                    "status": row.status,
                    "sourceUrl": row.source_url,
                },
                location=location,
            ),
        )
        batch.add_relationship(
            COMMITMENT_HAS_MILESTONE,
            RelationshipRow(start_id=commitment_id, end_id=ids[item.line], location=location),
        )
    return batch


def _build(file: TextFile, context: IngestContext) -> GraphBatch:
    _, ids = read_commitments(context.seed_file(COMMITMENTS_FILE))
    source = context.source(file, "UK nations' milestones")
    return milestones_batch(file, set(ids.values()), source)


KIND = SourceKind("UK nations' milestones", has_columns(list(MilestoneRow.model_fields)), _build)
