"""Curated standards, practices and lessons (seeds/*.csv), linked to what the other sources hold."""

from collections.abc import Container
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from graph.models import Source
from graph.vocabulary import Label, Rel
from graph.writes import GraphBatch, NodeRow, RelationshipRow, RelationshipSpec
from ingest.batches import add_body, add_jurisdiction, line_location, slugify
from ingest.curated_csv import read_rows
from ingest.errors import IngestError
from ingest.files import TextFile, read_text_file
from ingest.registry import Registry, Slug
from ingest.themes import Taxonomy, add_theme

STANDARDS_FILE = "standards.csv"
PRACTICES_FILE = "practices.csv"
LESSONS_FILE = "lessons.csv"

PRACTICE_APPLIED_IN = RelationshipSpec(Rel.APPLIED_IN, Label.PRACTICE, Label.COMMITMENT)
PRACTICE_PRACTISED_IN = RelationshipSpec(Rel.PRACTISED_IN, Label.PRACTICE, Label.JURISDICTION)
BODY_INVOLVED_IN = RelationshipSpec(Rel.INVOLVED_IN, Label.BODY, Label.PRACTICE)
PRACTICE_USES_STANDARD = RelationshipSpec(Rel.USES_STANDARD, Label.PRACTICE, Label.STANDARD)
PRACTICE_HAS_THEME = RelationshipSpec(Rel.HAS_THEME, Label.PRACTICE, Label.THEME)
LESSON_ABOUT_COMMITMENT = RelationshipSpec(Rel.ABOUT, Label.LESSON, Label.COMMITMENT)
LESSON_ABOUT_PRACTICE = RelationshipSpec(Rel.ABOUT, Label.LESSON, Label.PRACTICE)
LESSON_HAS_THEME = RelationshipSpec(Rel.HAS_THEME, Label.LESSON, Label.THEME)
LESSON_APPLIES_TO = RelationshipSpec(Rel.APPLIES_TO, Label.LESSON, Label.JURISDICTION)
LESSON_EVIDENCED_BY = RelationshipSpec(Rel.EVIDENCED_BY, Label.LESSON, Label.SOURCE)


def _split_ids(value: object) -> object:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(";") if part.strip())
    return value


Ids = Annotated[
    tuple[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")], ...], BeforeValidator(_split_ids)
]


class StandardRow(BaseModel):
    """A row of seeds/standards.csv."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    name: str
    publisher: str | None = None
    description: str | None = None


class PracticeRow(BaseModel):
    """A row of seeds/practices.csv; list columns hold ids separated by semicolons."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    name: str
    description: str
    jurisdictions: Ids = ()
    commitments: Ids = ()
    bodies: Ids = ()
    standards: Ids = ()
    themes: Ids = ()


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


def _check_known(
    file: TextFile,
    line: int,
    column: str,
    ids: tuple[str, ...],
    known: Container[str],
) -> None:
    for item in ids:
        if item not in known:
            raise IngestError(file.path, f"unknown id {item!r}", line=line, field=column)


def _link(
    batch: GraphBatch,
    spec: RelationshipSpec,
    start_id: str,
    end_ids: tuple[str, ...],
    location: str,
) -> None:
    """Relate one curated node to each of the ids a list column names."""
    for end_id in end_ids:
        batch.add_relationship(
            spec, RelationshipRow(start_id=start_id, end_id=end_id, location=location)
        )


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


def practices_batch(
    file: TextFile, seeds_dir: Path, registry: Registry, taxonomy: Taxonomy, source: Source
) -> GraphBatch:
    """Practices and their links; bodies, places and themes must be curated, commitments ingested."""
    standards = {
        row.id for _, row in read_rows(read_text_file(seeds_dir / STANDARDS_FILE), StandardRow)
    }
    batch = GraphBatch(source)
    for line, row in read_rows(file, PracticeRow):
        location = line_location(line)
        _check_known(file, line, "jurisdictions", row.jurisdictions, registry.jurisdictions)
        _check_known(file, line, "bodies", row.bodies, registry.bodies)
        _check_known(file, line, "standards", row.standards, standards)
        _check_known(file, line, "themes", row.themes, taxonomy.themes)
        batch.add_node(
            Label.PRACTICE,
            NodeRow(
                id=row.id,
                properties={"name": row.name, "description": row.description},
                location=location,
            ),
        )
        for jurisdiction_id in row.jurisdictions:
            add_jurisdiction(batch, registry, jurisdiction_id, location)
        for body_id in row.bodies:
            add_body(batch, registry, registry.bodies[body_id], location)
        for theme_id in row.themes:
            add_theme(batch, taxonomy, theme_id, location)
        _link(batch, PRACTICE_PRACTISED_IN, row.id, row.jurisdictions, location)
        _link(batch, PRACTICE_APPLIED_IN, row.id, row.commitments, location)
        _link(batch, PRACTICE_USES_STANDARD, row.id, row.standards, location)
        _link(batch, PRACTICE_HAS_THEME, row.id, row.themes, location)
        for body_id in row.bodies:
            batch.add_relationship(
                BODY_INVOLVED_IN,
                RelationshipRow(start_id=body_id, end_id=row.id, location=location),
            )
    return batch


def lessons_batch(
    file: TextFile, seeds_dir: Path, registry: Registry, taxonomy: Taxonomy, source: Source
) -> GraphBatch:
    """Lessons, each tied to the source line that records its finding."""
    practices = {
        row.id for _, row in read_rows(read_text_file(seeds_dir / PRACTICES_FILE), PracticeRow)
    }
    evidence_files = {slugify(path.stem): path for path in seeds_dir.iterdir() if path.is_file()}
    line_counts: dict[str, int] = {}
    batch = GraphBatch(source)
    for line, row in read_rows(file, LessonRow):
        location = line_location(line)
        _check_known(file, line, "practices", row.practices, practices)
        _check_known(file, line, "themes", row.themes, taxonomy.themes)
        _check_known(file, line, "jurisdictions", row.jurisdictions, registry.jurisdictions)
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
        _link(batch, LESSON_ABOUT_COMMITMENT, row.id, row.commitments, location)
        _link(batch, LESSON_ABOUT_PRACTICE, row.id, row.practices, location)
        _link(batch, LESSON_HAS_THEME, row.id, row.themes, location)
        _link(batch, LESSON_APPLIES_TO, row.id, row.jurisdictions, location)
    return batch
