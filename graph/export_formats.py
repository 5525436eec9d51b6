"""The open-data export's files in each format (CSV with a data dictionary, JSON-LD, NDJSON), their text streamed in chunks."""

import csv
import io
import json
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from graph.database import Database
from graph.exports import (
    DICTIONARY_FILE,
    EXPORTED_LABELS,
    OTHER_PROPERTIES,
    SOURCES,
    SOURCES_FILE,
    TEXT_LIST,
    Column,
    ExportedKind,
    ExportedRelationshipType,
    exported_kind,
    exported_relationship_types,
    licences,
    node_records,
    read_sources,
    relationship_records,
    source_columns,
)
from graph.jsonld import (
    CONTEXT_FILE,
    context_document,
    node_object,
    relationship_object,
    source_object,
)

# Rows gathered into one chunk of text before it is handed on.
ROWS_PER_CHUNK = 500


class ExportFormat(StrEnum):
    CSV = "csv"
    JSONLD = "jsonld"
    NDJSON = "ndjson"


GRAPH_JSONLD = "graph.jsonld"
GRAPH_NDJSON = "graph.ndjson"

Chunks = AsyncIterator[str]


@dataclass(frozen=True)
class ExportFile:
    """One file of an export: its name, media type and how to write its text."""

    name: str
    media_type: str
    write: Callable[[Database], Chunks]


# -- CSV ---------------------------------------------------------------------------------------


def csv_cell(value: Any, column_type: str | None = None) -> str:
    """A property value as CSV text: lists and unknown structures as JSON, booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict) or column_type == TEXT_LIST:
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class _CsvLines:
    """CSV text a row at a time, through one writer and buffer."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\n")

    def __call__(self, cells: Iterable[str]) -> str:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow(cells)
        return self.buffer.getvalue()


def _csv_line(cells: Iterable[str]) -> str:
    return _CsvLines()(cells)


def _split(properties: dict[str, Any], columns: Iterable[Column]) -> tuple[list[str], str]:
    """The declared columns' cells and the rest of the properties as one JSON object."""
    declared = list(columns)
    names = {column.name for column in declared}
    cells = [csv_cell(properties.get(column.name), column.type) for column in declared]
    rest = {key: value for key, value in sorted(properties.items()) if key not in names}
    return cells, json.dumps(rest, ensure_ascii=False) if rest else ""


def node_header(kind: ExportedKind) -> list[str]:
    return ["id", *(column.name for column in kind.columns), OTHER_PROPERTIES, SOURCES]


def relationship_header(rel: ExportedRelationshipType) -> list[str]:
    return [
        "startLabel",
        "startId",
        "endLabel",
        "endId",
        *rel.key_properties,
        OTHER_PROPERTIES,
        SOURCES,
    ]


def _sources_json(sources: Iterable[Any]) -> str:
    return json.dumps([source.as_json() for source in sources], ensure_ascii=False)


async def _batched(lines: AsyncIterator[str]) -> Chunks:
    pending: list[str] = []
    async for line in lines:
        pending.append(line)
        if len(pending) >= ROWS_PER_CHUNK:
            yield "".join(pending)
            pending = []
    if pending:
        yield "".join(pending)


def node_csv(kind: ExportedKind) -> Callable[[Database], Chunks]:
    async def lines(database: Database) -> AsyncIterator[str]:
        line = _CsvLines()
        yield line(node_header(kind))
        licence_of = licences(await read_sources(database))
        async for record in node_records(database, kind.label, licence_of):
            cells, rest = _split(record.properties, kind.columns)
            yield line([record.id, *cells, rest, _sources_json(record.sources)])

    return lambda database: _batched(lines(database))


def relationship_csv(rel: ExportedRelationshipType) -> Callable[[Database], Chunks]:
    keys = [_key_column(key) for key in rel.key_properties]

    async def lines(database: Database) -> AsyncIterator[str]:
        line = _CsvLines()
        yield line(relationship_header(rel))
        licence_of = licences(await read_sources(database))
        for spec in rel.specs:
            async for record in relationship_records(database, spec, licence_of):
                cells, rest = _split(record.properties, keys)
                yield line(
                    [
                        spec.start.value,
                        record.start_id,
                        spec.end.value,
                        record.end_id,
                        *cells,
                        rest,
                        _sources_json(record.sources),
                    ]
                )

    return lambda database: _batched(lines(database))


def _key_column(name: str) -> Column:
    return Column(
        name, "text", f"what tells two such relationships between one pair apart ({name})"
    )


async def sources_csv(database: Database) -> Chunks:
    columns = source_columns()
    yield _csv_line([column.name for column in columns])
    for row in await read_sources(database):
        yield _csv_line([csv_cell(row.get(column.name), column.type) for column in columns])


def data_dictionary() -> str:
    """The CSV files and their columns, in Markdown, generated from the declarations."""
    lines = [
        "# ogkg open-data export: data dictionary",
        "",
        "Generated from ogkg's declarations (graph/vocabulary.py, graph/relationships.py, "
        "graph/models.py, graph/identifiers.py). Every file is UTF-8 CSV with a header row. "
        "An empty cell is a value the graph does not hold; `true`/`false` are booleans; a "
        f"`{TEXT_LIST}` is a JSON array. `{OTHER_PROPERTIES}` holds any further properties as a "
        f"JSON object. `{SOURCES}` is a JSON array of `{{source, location, licence}}`: the "
        f"sources (rows of `{SOURCES_FILE}`) that state the record, where in each, and the "
        "source's licence.",
        "",
        f"## {SOURCES_FILE}",
        "",
        "The files the graph was ingested from, with their publisher and licence.",
        "",
        *_column_table(source_columns()),
    ]
    for label in EXPORTED_LABELS:
        kind = exported_kind(label)
        lines += [
            "",
            f"## {kind.file_name}",
            "",
            kind.description,
            "",
            *_column_table(
                (
                    Column("id", "text", f"the {label.value}'s stable id"),
                    *kind.columns,
                    Column(OTHER_PROPERTIES, "JSON object", "further properties, undeclared"),
                    Column(SOURCES, "JSON array", "the sources that state it, with licences"),
                )
            ),
        ]
    for rel in exported_relationship_types():
        lines += [
            "",
            f"## {rel.file_name}",
            "",
            rel.description,
            "",
            *_column_table(
                (
                    Column("startLabel", "text", "the label of the node it starts at"),
                    Column("startId", "text", "the id of the node it starts at"),
                    Column("endLabel", "text", "the label of the node it ends at"),
                    Column("endId", "text", "the id of the node it ends at"),
                    *(_key_column(key) for key in rel.key_properties),
                    Column(OTHER_PROPERTIES, "JSON object", "further properties, undeclared"),
                    Column(SOURCES, "JSON array", "the sources that state it, with licences"),
                )
            ),
        ]
    return "\n".join(lines) + "\n"


def _column_table(columns: Iterable[Column]) -> list[str]:
    rows = ["| column | type | meaning |", "| --- | --- | --- |"]
    rows += [f"| `{c.name}` | {c.type} | {c.description.replace('|', '/')} |" for c in columns]
    return rows


async def _text(text: str) -> Chunks:
    yield text


# -- JSON-LD and NDJSON ------------------------------------------------------------------------


async def _jsonld_graph(database: Database) -> Chunks:
    async def objects() -> AsyncIterator[str]:
        sources = await read_sources(database)
        licence_of = licences(sources)
        first = True
        for row in sources:
            yield ("" if first else ",\n") + json.dumps(source_object(row), ensure_ascii=False)
            first = False
        for label in EXPORTED_LABELS:
            async for node in node_records(database, label, licence_of):
                yield ",\n" + json.dumps(node_object(node), ensure_ascii=False)
        for rel in exported_relationship_types():
            for spec in rel.specs:
                async for relationship in relationship_records(database, spec, licence_of):
                    yield ",\n" + json.dumps(relationship_object(relationship), ensure_ascii=False)

    yield f'{{"@context": "{CONTEXT_FILE}",\n"@graph": [\n'
    async for chunk in _batched(objects()):
        yield chunk
    yield "\n]}\n"


async def _ndjson(database: Database) -> Chunks:
    """One JSON object a line, in ASCII: no line separator a reader might split on (U+2028)."""

    async def lines() -> AsyncIterator[str]:
        sources = await read_sources(database)
        licence_of = licences(sources)
        for row in sources:
            yield json.dumps({"record": "source", **row}) + "\n"
        for label in EXPORTED_LABELS:
            async for node in node_records(database, label, licence_of):
                line = {
                    "record": "node",
                    "label": node.label.value,
                    "id": node.id,
                    "properties": node.properties,
                    SOURCES: [source.as_json() for source in node.sources],
                }
                yield json.dumps(line) + "\n"
        for rel in exported_relationship_types():
            for spec in rel.specs:
                async for relationship in relationship_records(database, spec, licence_of):
                    line = {
                        "record": "relationship",
                        "type": spec.type.value,
                        "start": {"label": spec.start.value, "id": relationship.start_id},
                        "end": {"label": spec.end.value, "id": relationship.end_id},
                        "properties": relationship.properties,
                        SOURCES: [source.as_json() for source in relationship.sources],
                    }
                    yield json.dumps(line) + "\n"

    async for chunk in _batched(lines()):
        yield chunk


CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


def export_files(export_format: ExportFormat) -> dict[str, ExportFile]:
    """The files that make up an export in `export_format`, by name."""
    files: list[ExportFile]
    match export_format:
        case ExportFormat.CSV:
            dictionary = data_dictionary()
            files = [
                ExportFile(
                    DICTIONARY_FILE, "text/markdown; charset=utf-8", lambda _: _text(dictionary)
                ),
                ExportFile(SOURCES_FILE, CSV_MEDIA_TYPE, sources_csv),
                *(
                    ExportFile(kind.file_name, CSV_MEDIA_TYPE, node_csv(kind))
                    for kind in map(exported_kind, EXPORTED_LABELS)
                ),
                *(
                    ExportFile(rel.file_name, CSV_MEDIA_TYPE, relationship_csv(rel))
                    for rel in exported_relationship_types()
                ),
            ]
        case ExportFormat.JSONLD:
            context = json.dumps(context_document(), indent=2, ensure_ascii=False) + "\n"
            files = [
                ExportFile(CONTEXT_FILE, "application/ld+json", lambda _: _text(context)),
                ExportFile(GRAPH_JSONLD, "application/ld+json", _jsonld_graph),
            ]
        case ExportFormat.NDJSON:
            files = [ExportFile(GRAPH_NDJSON, "application/x-ndjson", _ndjson)]
    return {file.name: file for file in files}
