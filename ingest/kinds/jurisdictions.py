"""seeds/jurisdictions.csv as a source kind: the registry's jurisdictions with their PART_OF links."""

from graph.models import Source
from graph.writes import GraphBatch
from ingest.batches import add_jurisdiction, line_location
from ingest.context import IngestContext
from ingest.files import TextFile
from ingest.kind import SourceKind, has_columns
from ingest.registry import JurisdictionRow, Registry, parse_jurisdictions


def jurisdictions_batch(registry: Registry, source: Source) -> GraphBatch:
    """Every registry jurisdiction, located by its line in seeds/jurisdictions.csv."""
    batch = GraphBatch(source)
    for jurisdiction in registry.jurisdictions.values():
        location = line_location(registry.lines[f"jurisdiction:{jurisdiction.id}"])
        add_jurisdiction(batch, registry, jurisdiction.id, location)
    return batch


def _build(file: TextFile, context: IngestContext) -> GraphBatch:
    registry = Registry()
    parse_jurisdictions(file, registry)
    return jurisdictions_batch(registry, context.source(file, "jurisdictions"))


KIND = SourceKind("jurisdictions", has_columns(list(JurisdictionRow.model_fields)), _build)
