"""The Cabinet Office Public Bodies Directory: arm's-length bodies with COPBT UIDs, sponsors and accountability."""

from graph.writes import GraphBatch
from ingest.context import IngestContext
from ingest.files import TextFile
from ingest.kind import Candidate, SourceKind
from ingest.register_rows import copbt_entries
from ingest.registers import register_batch

SIGNATURE = frozenset({"overall_copbt_uid", "overall_alb_name", "accountability_public_meetings"})


def _recognises(candidate: Candidate) -> bool:
    return candidate.is_csv and set(candidate.header) >= SIGNATURE


def _build(file: TextFile, context: IngestContext) -> GraphBatch:
    return register_batch(file, context, copbt_entries, "Public Bodies Directory")


KIND = SourceKind("Public Bodies Directory", _recognises, _build)
