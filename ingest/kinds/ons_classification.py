"""The ONS Public Sector Classification Guide: every public-sector body, its sector, parents and sponsor."""

from graph.writes import GraphBatch
from ingest.context import IngestContext
from ingest.files import TextFile
from ingest.kind import Candidate, SourceKind
from ingest.register_rows import ons_entries
from ingest.registers import register_batch

SIGNATURE = frozenset({"organisation", "ons_sector_sheet", "esa10_subsector", "sponsoring_entity"})


def _recognises(candidate: Candidate) -> bool:
    return candidate.is_csv and set(candidate.header) >= SIGNATURE


def _build(file: TextFile, context: IngestContext) -> GraphBatch:
    return register_batch(file, context, ons_entries, "ONS Public Sector Classification Guide")


KIND = SourceKind("ONS public sector classification", _recognises, _build)
