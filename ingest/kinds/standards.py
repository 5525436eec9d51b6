"""seeds/standards.csv as a source kind: the data standards the sources name."""

from pydantic import BaseModel, ConfigDict

from graph.models import Source
from graph.vocabulary import Label
from graph.writes import GraphBatch, NodeRow
from ingest.batches import line_location
from ingest.context import IngestContext
from ingest.curated_csv import read_rows
from ingest.files import TextFile
from ingest.kind import SourceKind, has_columns
from ingest.registry import Slug

STANDARDS_FILE = "standards.csv"


class StandardRow(BaseModel):
    """A row of seeds/standards.csv."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    name: str
    publisher: str | None = None
    description: str | None = None


def standards_batch(file: TextFile, source: Source) -> GraphBatch:
    batch = GraphBatch(source)
    for line, row in read_rows(file, StandardRow):
        batch.add_node(
            Label.STANDARD,
            NodeRow(
                id=row.id,
                properties={
                    "name": row.name,
                    "publisher": row.publisher,
                    "description": row.description,
                },
                location=line_location(line),
            ),
        )
    return batch


def standard_ids(context: IngestContext) -> set[str]:
    return {row.id for _, row in read_rows(context.seed_file(STANDARDS_FILE), StandardRow)}


def _build(file: TextFile, context: IngestContext) -> GraphBatch:
    return standards_batch(file, context.source(file, "standards"))


KIND = SourceKind("standards", has_columns(list(StandardRow.model_fields)), _build)
