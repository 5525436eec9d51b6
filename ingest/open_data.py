"""Import an ogkg CSV export into a graph through the ingest write path, keeping each record's sources and locations."""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.database import Database
from graph.export_formats import node_header, relationship_header
from graph.exports import (
    EXPORTED_LABELS,
    OTHER_PROPERTIES,
    SOURCES,
    SOURCES_FILE,
    TEXT,
    Column,
    decode_cell,
    exported_kind,
    exported_relationship_types,
    source_columns,
)
from graph.models import Source
from graph.writes import GraphBatch, NodeRow, RelationshipRow, WriteSummary, write_batch
from ingest.errors import IngestError
from ingest.files import read_text_file

# Records an export holds without any source (made by a curator, say) are stated by this one.
UNSOURCED = "ogkg-export-unsourced"


@dataclass
class OpenDataImport:
    """An export read and checked: per original source, its nodes and, apart, its relationships.

    Nodes are written first, every source's, so that each relationship finds its two ends.
    """

    sources: dict[str, Source]
    nodes: dict[str, GraphBatch] = field(default_factory=dict)
    relationships: dict[str, GraphBatch] = field(default_factory=dict)

    def _batch(self, batches: dict[str, GraphBatch], source_id: str) -> GraphBatch:
        if source_id not in batches:
            batches[source_id] = GraphBatch(self.sources[source_id])
        return batches[source_id]

    def batches(self) -> list[GraphBatch]:
        return [
            *(self._batch(self.nodes, source_id) for source_id in self.sources),
            *self.relationships.values(),
        ]


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """The file's rows as {header: cell}, each with its line number; the header must be whole."""
    text = read_text_file(path).text
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            if None in row or any(value is None for value in row.values()):
                raise IngestError(
                    path, "the row has more or fewer cells than the header", line=reader.line_num
                )
            yield reader.line_num, row
    except csv.Error as error:
        raise IngestError(path, f"not valid CSV: {error}", line=reader.line_num) from None


def _header(path: Path, expected: list[str]) -> None:
    first = read_text_file(path).text.splitlines()[0]
    found = next(csv.reader([first]))
    if found != expected:
        raise IngestError(
            path, f"the header is not the export's: expected {','.join(expected)}", line=1
        )


def _read_sources(directory: Path) -> dict[str, Source]:
    path = directory / SOURCES_FILE
    columns = source_columns()
    _header(path, [column.name for column in columns])
    sources: dict[str, Source] = {}
    for line, row in _rows(path):
        values = {c.name: _cell(path, line, c, row[c.name]) for c in columns}
        if not values.get("id") or not values.get("checksum") or not values.get("path"):
            raise IngestError(path, "a source needs an id, a path and a checksum", line=line)
        sources[str(values["id"])] = Source(
            **{key: value for key, value in values.items() if value is not None}
        )
    sources[UNSOURCED] = Source(
        id=UNSOURCED,
        title="Records an ogkg export holds without a source",
        path=str(directory),
        checksum="0" * 64,
    )
    return sources


def _cell(path: Path, line: int, column: Column, text: str) -> Any:
    try:
        return decode_cell(text, column.type)
    except ValueError as error:
        raise IngestError(path, str(error), line=line, field=column.name) from None


def _other(path: Path, line: int, text: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, dict):
        raise IngestError(path, "expected a JSON object", line=line, field=OTHER_PROPERTIES)
    return value


def _statements(
    path: Path, line: int, text: str, sources: dict[str, Source]
) -> list[tuple[str, str]]:
    """(source id, location) pairs of the record; an unknown source is refused."""
    try:
        value = json.loads(text) if text else []
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, list) or not all(
        isinstance(item, dict) and isinstance(item.get("source"), str) for item in value
    ):
        raise IngestError(
            path, "expected a JSON array of {source, location, licence}", line=line, field=SOURCES
        )
    statements: list[tuple[str, str]] = []
    for item in value:
        if item["source"] not in sources:
            raise IngestError(
                path,
                f"source {item['source']!r} is not in {SOURCES_FILE}",
                line=line,
                field=SOURCES,
            )
        statements.append((item["source"], str(item.get("location") or "")))
    return statements or [(UNSOURCED, f"line {line}")]


def read_export(directory: Path) -> OpenDataImport:
    """Read and check every file of a CSV export; an `IngestError` names the first bad file, line and field."""
    imported = OpenDataImport(_read_sources(directory))
    for label in EXPORTED_LABELS:
        kind = exported_kind(label)
        path = directory / kind.file_name
        _header(path, node_header(kind))
        for line, row in _rows(path):
            if not row["id"]:
                raise IngestError(path, "every row needs an id", line=line, field="id")
            properties = _other(path, line, row[OTHER_PROPERTIES])
            for column in kind.columns:
                value = _cell(path, line, column, row[column.name])
                if value is not None:
                    properties[column.name] = value
            for source_id, location in _statements(path, line, row[SOURCES], imported.sources):
                imported._batch(imported.nodes, source_id).add_node(
                    label, NodeRow(id=row["id"], properties=properties, location=location)
                )
    for rel in exported_relationship_types():
        path = directory / rel.file_name
        _header(path, relationship_header(rel))
        specs = {(spec.start.value, spec.end.value): spec for spec in rel.specs}
        for line, row in _rows(path):
            spec = specs.get((row["startLabel"], row["endLabel"]))
            if spec is None:
                raise IngestError(
                    path,
                    f"{rel.type.value} does not join {row['startLabel']} to {row['endLabel']}",
                    line=line,
                    field="startLabel",
                )
            if not row["startId"] or not row["endId"]:
                raise IngestError(
                    path, "a relationship needs both ends", line=line, field="startId"
                )
            properties = _other(path, line, row[OTHER_PROPERTIES])
            for key in rel.key_properties:
                value = _cell(path, line, Column(key, TEXT, key), row[key])
                if value is not None:
                    properties[key] = value
            key_value = properties.get(spec.key_property) if spec.key_property else None
            for source_id, location in _statements(path, line, row[SOURCES], imported.sources):
                imported._batch(imported.relationships, source_id).add_relationship(
                    spec,
                    RelationshipRow(
                        start_id=row["startId"],
                        end_id=row["endId"],
                        key=None if key_value is None else str(key_value),
                        properties=properties,
                        location=location,
                    ),
                )
    return imported


async def import_export(database: Database, directory: Path) -> list[WriteSummary]:
    """Check the whole export first, then write it source by source: nodes, then relationships.

    Each batch is one transaction, through the same write path (and provenance) as any ingest.
    """
    imported = read_export(directory)
    summaries: list[WriteSummary] = []
    for batch in imported.batches():
        if batch.source.id == UNSOURCED and not batch.row_count():
            continue
        summaries.append(await write_batch(database, batch))
    return summaries
