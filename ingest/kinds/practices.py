"""seeds/practices.csv as a source kind: practices linked to commitments, bodies, standards, themes."""

from pydantic import BaseModel, ConfigDict

from graph.models import Source
from graph.relationships import (
    BODY_INVOLVED_IN,
    PRACTICE_APPLIED_IN,
    PRACTICE_HAS_THEME,
    PRACTICE_PRACTISED_IN,
    PRACTICE_USES_STANDARD,
)
from graph.vocabulary import Label
from graph.writes import GraphBatch, NodeRow, RelationshipRow
from ingest.batches import add_body, add_jurisdiction, line_location
from ingest.context import IngestContext
from ingest.curated_csv import Ids, check_known, link, read_rows
from ingest.files import TextFile
from ingest.kind import SourceKind, has_columns
from ingest.kinds.standards import standard_ids
from ingest.registry import Registry, Slug
from ingest.themes import Taxonomy, add_theme

PRACTICES_FILE = "practices.csv"


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


def practices_batch(
    file: TextFile,
    standards: set[str],
    registry: Registry,
    taxonomy: Taxonomy,
    source: Source,
) -> GraphBatch:
    """Practices and their links; bodies, places and themes must be curated, commitments ingested."""
    batch = GraphBatch(source)
    for line, row in read_rows(file, PracticeRow):
        location = line_location(line)
        check_known(file, line, "jurisdictions", row.jurisdictions, registry.jurisdictions)
        check_known(file, line, "bodies", row.bodies, registry.bodies)
        check_known(file, line, "standards", row.standards, standards)
        check_known(file, line, "themes", row.themes, taxonomy.themes)
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
        link(batch, PRACTICE_PRACTISED_IN, row.id, row.jurisdictions, location)
        link(batch, PRACTICE_APPLIED_IN, row.id, row.commitments, location)
        link(batch, PRACTICE_USES_STANDARD, row.id, row.standards, location)
        link(batch, PRACTICE_HAS_THEME, row.id, row.themes, location)
        for body_id in row.bodies:
            batch.add_relationship(
                BODY_INVOLVED_IN,
                RelationshipRow(start_id=body_id, end_id=row.id, location=location),
            )
    return batch


def practice_ids(context: IngestContext) -> set[str]:
    return {row.id for _, row in read_rows(context.seed_file(PRACTICES_FILE), PracticeRow)}


def _build(file: TextFile, context: IngestContext) -> GraphBatch:
    source = context.source(file, "practices")
    return practices_batch(file, standard_ids(context), context.registry, context.taxonomy, source)


KIND = SourceKind("practices", has_columns(list(PracticeRow.model_fields)), _build)
