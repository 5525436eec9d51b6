"""WhatDoTheyKnow's Scottish authorities: bodies with Wikidata, Companies House and charity ids; councils by GSS."""

from graph.writes import GraphBatch
from ingest.context import IngestContext
from ingest.files import TextFile
from ingest.kind import Candidate, SourceKind
from ingest.register_rows import wdtk_entries
from ingest.registers import register_batch

SIGNATURE = frozenset({"name", "wdtk_url_name", "wikidata", "gss", "all_tags"})


def _recognises(candidate: Candidate) -> bool:
    return candidate.is_csv and set(candidate.header) >= SIGNATURE


def _build(file: TextFile, context: IngestContext) -> GraphBatch:
    return register_batch(file, context, wdtk_entries, "WhatDoTheyKnow Scottish authorities")


KIND = SourceKind("WhatDoTheyKnow authorities", _recognises, _build)
