"""seeds/lineage.csv as a source kind: commitments that followed on from earlier ones, where a source says so.

Each row names the later item (`item`), the earlier one (`adapted_from`) and the statement that
says so: a file of the seeds folder, its line and a quote from that line. The ingest refuses a
row whose quote is not on that line, so every ADAPTED_FROM relationship carries checked evidence.
"""

from pydantic import BaseModel, ConfigDict, Field

from graph.models import Source
from graph.relationships import COMMITMENT_ADAPTED_FROM
from graph.writes import GraphBatch, RelationshipRow
from ingest.batches import line_location
from ingest.context import IngestContext
from ingest.curated_csv import read_rows
from ingest.errors import IngestError
from ingest.files import TextFile
from ingest.kind import SourceKind, has_columns

LINEAGE_FILE = "lineage.csv"


class LineageRow(BaseModel):
    """A row of seeds/lineage.csv."""

    model_config = ConfigDict(extra="forbid")

    item: str
    adapted_from: str
    evidence_file: str
    evidence_line: int = Field(ge=1)
    quote: str


def lineage_batch(file: TextFile, source: Source, context: IngestContext) -> GraphBatch:
    batch = GraphBatch(source)
    for line, row in read_rows(file, LineageRow):
        if row.item == row.adapted_from:
            raise IngestError(
                file.path, "an item cannot follow on from itself", line=line, field="adapted_from"
            )
        if not (context.seeds_dir / row.evidence_file).is_file():
            raise IngestError(
                file.path, f"no seed file {row.evidence_file!r}", line=line, field="evidence_file"
            )
        lines = context.seed_file(row.evidence_file).text.splitlines()
        if row.evidence_line > len(lines) or row.quote not in lines[row.evidence_line - 1]:
            raise IngestError(
                file.path,
                f"the quote is not on line {row.evidence_line} of {row.evidence_file}",
                line=line,
                field="quote",
            )
        batch.add_relationship(
            COMMITMENT_ADAPTED_FROM,
            RelationshipRow(
                start_id=row.item,
                end_id=row.adapted_from,
                properties={
                    "evidence": f"{row.evidence_file} line {row.evidence_line}",
                    "quote": row.quote,
                },
                location=line_location(line),
            ),
        )
    return batch


def _build(file: TextFile, context: IngestContext) -> GraphBatch:
    return lineage_batch(file, context.source(file, "lineage"), context)


KIND = SourceKind("lineage", has_columns(list(LineageRow.model_fields)), _build)
