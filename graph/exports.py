"""The graph read out for open data: each entity kind's and relationship type's columns, derived from the declarations, and their records streamed from Neo4j."""

import json
import re
import types
import typing
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, LiteralString

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from graph import models, relationships
from graph.database import Database
from graph.identifiers import IDENTIFIER_STORAGE
from graph.vocabulary import INTERNAL_LABELS, Label, Rel
from graph.word_weights import SIMILARITY_PROPERTIES
from graph.writes import RelationshipSpec

# The model that declares each entity kind's properties.
MODEL_OF: dict[Label, type[models.Model]] = {
    Label.ACTION_PLAN: models.ActionPlan,
    Label.BODY: models.Body,
    Label.COMMITMENT: models.Commitment,
    Label.JURISDICTION: models.Jurisdiction,
    Label.LESSON: models.Lesson,
    Label.MILESTONE: models.Milestone,
    Label.PRACTICE: models.Practice,
    Label.STANDARD: models.Standard,
    Label.THEME: models.Theme,
    Label.THEME_SCHEME: models.ThemeScheme,
}

# Entity kinds exported, in the order an importer writes them: every label a reader looks for.
EXPORTED_LABELS: tuple[Label, ...] = tuple(label for label in Label if label not in INTERNAL_LABELS)

# Model fields stored under another property name in the graph ("Model.field": property).
PROPERTY_NAMES: dict[str, str] = {
    "IrmAssessment.assessed": "irmAssessed",
    "Lesson.evidence_source_id": "evidenceSource",
    "Theme.scheme_id": "scheme",
}
# Model fields worked out when read, never stored.
COMPUTED_FIELDS = frozenset({"Body.classification"})

# Worked out from the other properties after every ingest (and after an import): not exported.
DERIVED_PROPERTIES = frozenset(SIMILARITY_PROPERTIES)

# Relationship properties that are ogkg's bookkeeping, exported as the record's sources instead.
PROVENANCE = "provenance"
# Undeclared properties a node or relationship holds, as one JSON object, so nothing is lost.
OTHER_PROPERTIES = "otherProperties"
# Where a record came from: a JSON array of {source, location, licence}.
SOURCES = "sources"

TEXT, INTEGER, NUMBER, BOOLEAN, TEXT_LIST = "text", "integer", "number", "boolean", "list of text"


@dataclass(frozen=True)
class Column:
    """One exported property: its name in the graph (and the CSV header), its type and meaning."""

    name: str
    type: str
    description: str


@dataclass(frozen=True)
class ExportedKind:
    """An entity kind as exported: its label, what it is and its declared columns."""

    label: Label
    description: str
    columns: tuple[Column, ...]

    @property
    def file_name(self) -> str:
        return f"{self.label.value}.csv"


@dataclass(frozen=True)
class ExportedRelationshipType:
    """A relationship type as exported: the label pairs it joins and the properties that key it."""

    type: Rel
    specs: tuple[RelationshipSpec, ...]

    @property
    def key_properties(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(spec.key_property for spec in self.specs if spec.key_property))

    @property
    def file_name(self) -> str:
        return f"{self.type.value}.csv"

    @property
    def description(self) -> str:
        return "; ".join(
            f"(:{spec.start.value})-[:{spec.type.value}]->(:{spec.end.value})"
            for spec in self.specs
        )


@dataclass(frozen=True)
class SourceStatement:
    """A source that states a record, where in it, and the source's licence."""

    source_id: str
    location: str
    licence: str | None

    def as_json(self) -> dict[str, str | None]:
        return {"source": self.source_id, "location": self.location, "licence": self.licence}


@dataclass(frozen=True)
class NodeRecord:
    label: Label
    id: str
    properties: dict[str, Any]
    sources: tuple[SourceStatement, ...]


@dataclass(frozen=True)
class RelationshipRecord:
    spec: RelationshipSpec
    start_id: str
    end_id: str
    properties: dict[str, Any]
    sources: tuple[SourceStatement, ...]


# -- declarations ------------------------------------------------------------------------------


def camel_case(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)


def _column_type(annotation: Any) -> str | type[BaseModel]:
    """The exported type of a model field's annotation, or the nested model it flattens into."""
    arguments = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _column_type(arguments[0])
    if origin in (types.UnionType, typing.Union):
        return _column_type(arguments[0])
    if origin in (tuple, list):
        return TEXT_LIST
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return annotation
        if issubclass(annotation, bool):
            return BOOLEAN
        if issubclass(annotation, int):
            return INTEGER
        if issubclass(annotation, float):
            return NUMBER
    return TEXT


def _describe(owner: str, name: str, field: FieldInfo, annotation: Any) -> str:
    if field.description:
        return field.description
    enum = next(
        (
            a
            for a in (annotation, *typing.get_args(annotation))
            if isinstance(a, type) and issubclass(a, Enum)
        ),
        None,
    )
    words = name.replace("_", " ")
    if enum is not None:
        return f"{owner} {words}: one of " + ", ".join(str(member.value) for member in enum)
    return f"{owner} {words}"


def _model_columns(model: type[BaseModel], owner: str) -> list[Column]:
    """The stored properties a model declares; `*_id(s)` fields are relationships, exported apart."""
    columns: list[Column] = []
    for name, field in model.model_fields.items():
        qualified = f"{model.__name__}.{name}"
        if qualified in COMPUTED_FIELDS or name == "sources":
            continue
        is_link = name.endswith(("_id", "_ids")) and qualified not in PROPERTY_NAMES
        if is_link:
            continue
        kind = _column_type(field.annotation)
        if isinstance(kind, type):
            columns.extend(_model_columns(kind, f"{owner} {name.replace('_', ' ')}:"))
            continue
        description = _describe(owner, name, field, field.annotation)
        columns.append(Column(PROPERTY_NAMES.get(qualified, camel_case(name)), kind, description))
    return columns


def exported_kind(label: Label) -> ExportedKind:
    """An entity kind's columns: its model's stored fields, then its identifiers of other registers."""
    model = MODEL_OF[label]
    columns = [column for column in _model_columns(model, label.value) if column.name != "id"]
    known = {column.name for column in columns}
    columns.extend(
        Column(storage.property, TEXT, storage.description)
        for storage in IDENTIFIER_STORAGE.values()
        if storage.label == label and storage.property not in known
    )
    described = (model.__doc__ or "").strip().splitlines()
    description = described[0] if described else f"Each row is one {label.value}."
    return ExportedKind(label, description, tuple(columns))


def relationship_specs() -> tuple[RelationshipSpec, ...]:
    """Every relationship graph/relationships.py declares, once each, in declaration order."""
    found = [value for value in vars(relationships).values() if isinstance(value, RelationshipSpec)]
    return tuple(dict.fromkeys(found))


def exported_relationship_types() -> tuple[ExportedRelationshipType, ...]:
    by_type: dict[Rel, list[RelationshipSpec]] = {}
    for spec in relationship_specs():
        by_type.setdefault(spec.type, []).append(spec)
    return tuple(ExportedRelationshipType(rel, tuple(specs)) for rel, specs in by_type.items())


def source_columns() -> tuple[Column, ...]:
    return tuple(_model_columns(models.Source, "Source"))


SOURCES_FILE = "sources.csv"
DICTIONARY_FILE = "data-dictionary.md"


# -- values ------------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A property value as JSON holds it: dates and times as ISO 8601 text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "iso_format"):  # neo4j.time values
        return str(value.iso_format())
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def _split_provenance(entry: str) -> tuple[str, str]:
    source_id, _, location = entry.partition("#")
    return source_id, location


# -- reading -----------------------------------------------------------------------------------

READ_SOURCES: LiteralString = f"MATCH (s:{Label.SOURCE.value}) RETURN properties(s) AS properties"


def node_query(label: Label) -> LiteralString:
    return (
        f"MATCH (n:{label.value}) RETURN n.id AS id, properties(n) AS properties, "
        f"COLLECT {{ MATCH (n)-[p:{Rel.SOURCED_FROM.value}]->(s:{Label.SOURCE.value}) "
        "RETURN [s.id, p.location] } AS sources"
    )


def relationship_query(spec: RelationshipSpec) -> LiteralString:
    return (
        f"MATCH (a:{spec.start.value})-[r:{spec.type.value}]->(b:{spec.end.value}) "
        "RETURN a.id AS start, b.id AS end, properties(r) AS properties"
    )


async def read_sources(database: Database) -> list[dict[str, Any]]:
    """Every Source node's properties (a few dozen), ordered by id."""
    rows = [
        {key: plain(value) for key, value in record["properties"].items()}
        for record in await database.read(READ_SOURCES)
    ]
    return sorted(rows, key=lambda row: str(row["id"]))


def licences(sources: Iterable[dict[str, Any]]) -> dict[str, str | None]:
    return {str(row["id"]): row.get("licence") for row in sources}


async def node_records(
    database: Database, label: Label, licence_of: dict[str, str | None]
) -> AsyncIterator[NodeRecord]:
    """Every node of `label`, streamed from one read transaction."""
    async for record in database.stream(node_query(label)):
        properties = {
            k: plain(v)
            for k, v in record["properties"].items()
            if k != "id" and k not in DERIVED_PROPERTIES
        }
        sources = tuple(
            SourceStatement(str(source_id), str(location), licence_of.get(str(source_id)))
            for source_id, location in sorted(record["sources"])
        )
        yield NodeRecord(label, str(record["id"]), properties, sources)


async def relationship_records(
    database: Database, spec: RelationshipSpec, licence_of: dict[str, str | None]
) -> AsyncIterator[RelationshipRecord]:
    """Every relationship of `spec`, streamed from one read transaction."""
    async for record in database.stream(relationship_query(spec)):
        properties = {k: plain(v) for k, v in record["properties"].items() if k != PROVENANCE}
        statements = [
            _split_provenance(entry) for entry in record["properties"].get(PROVENANCE) or ()
        ]
        sources = tuple(
            SourceStatement(source_id, location, licence_of.get(source_id))
            for source_id, location in statements
        )
        yield RelationshipRecord(
            spec, str(record["start"]), str(record["end"]), properties, sources
        )


def iri_safe(text: str) -> str:
    """`text` with every character outside unreserved IRI characters percent-encoded."""
    return re.sub(
        r"[^A-Za-z0-9._~-]", lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), text
    )


def decode_cell(text: str, column_type: str) -> Any:
    """A CSV cell back into a property value (the inverse of the export's encoding).

    Raises `ValueError` naming what was expected.
    """
    if text == "":
        return None
    if column_type == BOOLEAN:
        if text not in ("true", "false"):
            raise ValueError(f"expected true or false, found {text!r}")
        return text == "true"
    if column_type == INTEGER:
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"expected a whole number, found {text!r}") from None
    if column_type == NUMBER:
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"expected a number, found {text!r}") from None
    if column_type == TEXT_LIST:
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            value = None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValueError(f"expected a JSON array of text, found {text[:60]!r}")
        return value
    return text
