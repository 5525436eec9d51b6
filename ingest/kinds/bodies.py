"""seeds/bodies.csv as a source kind: the registry's bodies and the jurisdictions they are based in."""

from graph.models import Source
from graph.writes import GraphBatch
from ingest.batches import add_body, line_location
from ingest.context import IngestContext
from ingest.files import TextFile
from ingest.kind import SourceKind, has_columns
from ingest.registry import JURISDICTIONS_FILE, BodyRow, Registry, parse_bodies, parse_jurisdictions


def bodies_batch(registry: Registry, source: Source) -> GraphBatch:
    """Every registry body (and the jurisdictions they are based in), located by CSV line."""
    batch = GraphBatch(source)
    for body in registry.bodies.values():
        add_body(batch, registry, body, line_location(registry.lines[f"body:{body.id}"]))
    return batch


def _build(file: TextFile, context: IngestContext) -> GraphBatch:
    """The bodies of this file, checked against the seeds' jurisdictions."""
    registry = Registry()
    parse_jurisdictions(context.seed_file(JURISDICTIONS_FILE), registry)
    parse_bodies(file, registry)
    return bodies_batch(registry, context.source(file, "bodies"))


KIND = SourceKind("bodies", has_columns(list(BodyRow.model_fields)), _build)
