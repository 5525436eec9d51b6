"""seeds/lessons.csv as a source kind: lessons, each tied to the source line that records its finding."""

from pydantic import BaseModel, ConfigDict, Field

from graph.models import Source
from graph.relationships import (
    LESSON_ABOUT_COMMITMENT,
    LESSON_ABOUT_PRACTICE,
    LESSON_APPLIES_TO,
    LESSON_EVIDENCED_BY,
    LESSON_HAS_THEME,
)
from graph.vocabulary import Label
from graph.writes import GraphBatch, NodeRow, RelationshipRow
from ingest.batches import add_jurisdiction, line_location, slugify
from ingest.context import IngestContext
from ingest.curated_csv import Ids, check_known, link, read_rows
from ingest.errors import IngestError
from ingest.files import TextFile, read_text_file
from ingest.kind import SourceKind, has_columns
from ingest.kinds.practices import practice_ids
from ingest.registry import Slug
from ingest.themes import add_theme

LESSONS_FILE = "lessons.csv"


class LessonRow(BaseModel):
    """A row of seeds/lessons.csv: a finding a source records, and where it records it."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    statement: str = Field(min_length=20)
    commitments: Ids = ()
    practices: Ids = ()
    themes: Ids = ()
    jurisdictions: Ids = ()
    evidence_source: Slug
    evidence_location: str = Field(pattern=r"^line [1-9]\d*$")


def lessons_batch(file: TextFile, context: IngestContext, source: Source) -> GraphBatch:
    """Lessons, each tied to the source line that records its finding."""
    seeds_dir, registry, taxonomy = context.seeds_dir, context.registry, context.taxonomy
    practices = practice_ids(context)
    evidence_files = {slugify(path.stem): path for path in seeds_dir.iterdir() if path.is_file()}
    line_counts: dict[str, int] = {}
    batch = GraphBatch(source)
    for line, row in read_rows(file, LessonRow):
        location = line_location(line)
        check_known(file, line, "practices", row.practices, practices)
        check_known(file, line, "themes", row.themes, taxonomy.themes)
        check_known(file, line, "jurisdictions", row.jurisdictions, registry.jurisdictions)
        evidence = evidence_files.get(row.evidence_source)
        if evidence is None:
            raise IngestError(
                file.path,
                f"no seed file is the source {row.evidence_source!r}",
                line=line,
                field="evidence_source",
            )
        evidence_line = int(row.evidence_location.removeprefix("line "))
        if evidence.name not in line_counts:
            line_counts[evidence.name] = len(read_text_file(evidence).lines)
        if evidence_line > line_counts[evidence.name]:
            raise IngestError(
                file.path,
                f"{evidence.name} has no {row.evidence_location}",
                line=line,
                field="evidence_location",
            )
        batch.add_node(
            Label.LESSON,
            NodeRow(
                id=row.id,
                properties={
                    "statement": row.statement,
                    "evidenceSource": row.evidence_source,
                    "evidenceLocation": row.evidence_location,
                },
                location=location,
            ),
        )
        batch.add_relationship(
            LESSON_EVIDENCED_BY,
            RelationshipRow(
                start_id=row.id,
                end_id=row.evidence_source,
                properties={"location": row.evidence_location},
                location=location,
            ),
        )
        for theme_id in row.themes:
            add_theme(batch, taxonomy, theme_id, location)
        for jurisdiction_id in row.jurisdictions:
            add_jurisdiction(batch, registry, jurisdiction_id, location)
        link(batch, LESSON_ABOUT_COMMITMENT, row.id, row.commitments, location)
        link(batch, LESSON_ABOUT_PRACTICE, row.id, row.practices, location)
        link(batch, LESSON_HAS_THEME, row.id, row.themes, location)
        link(batch, LESSON_APPLIES_TO, row.id, row.jurisdictions, location)
    return batch


def _build(file: TextFile, context: IngestContext) -> GraphBatch:
    source = context.source(file, "lessons")
    return lessons_batch(file, context, source)


KIND = SourceKind("lessons", has_columns(list(LessonRow.model_fields)), _build)
