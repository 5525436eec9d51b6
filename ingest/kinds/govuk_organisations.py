"""GOV.UK's organisations (JSON lines): departments and agencies with slugs, abbreviations and parents."""

import json

from graph.writes import GraphBatch
from ingest.context import IngestContext
from ingest.files import TextFile
from ingest.kind import Candidate, SourceKind
from ingest.register_rows import govuk_entries
from ingest.registers import register_batch


def _recognises(candidate: Candidate) -> bool:
    if candidate.file.path.suffix.lower() != ".jsonl":
        return False
    first = candidate.file.text.split("\n", 1)[0]
    try:
        record = json.loads(first)
    except json.JSONDecodeError:
        return False
    return (
        isinstance(record, dict) and {"title", "details", "parent_organisations"} <= record.keys()
    )


def _build(file: TextFile, context: IngestContext) -> GraphBatch:
    return register_batch(file, context, govuk_entries, "GOV.UK organisations")


KIND = SourceKind("GOV.UK organisations", _recognises, _build)
