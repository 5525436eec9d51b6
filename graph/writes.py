"""Write a batch of nodes and relationships from one source in one transaction, idempotently."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction
from pydantic import Field

from graph.curation import FieldChange, record_ingested
from graph.curation_guard import Guard, read_guard, relation_of
from graph.database import Database
from graph.models import Model, Source
from graph.redirects import retire_redirected
from graph.vocabulary import Label, Rel

PropertyValue = str | int | float | bool | list[str] | None


class NodeRow(Model):
    """One node to create or update, keyed by `id`, with the place in the source it came from."""

    id: str
    properties: dict[str, PropertyValue]
    location: str


class RelationshipRow(Model):
    """One relationship between two existing-or-written nodes, keyed by its endpoints (and key)."""

    start_id: str
    end_id: str
    key: str | None = None
    properties: dict[str, PropertyValue] = Field(default_factory=dict)
    location: str


@dataclass(frozen=True)
class RelationshipSpec:
    """A relationship type with the labels it joins and the property (if any) that tells two apart."""

    type: Rel
    start: Label
    end: Label
    key_property: LiteralString | None = None


class Counts(Model):
    """What a write did to the rows it was given.

    `moved` counts rows whose facts stayed as they were while their place in the source (the
    provenance location) changed, as when a file is republished in another order.
    """

    created: int = 0
    updated: int = 0
    moved: int = 0
    unchanged: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(
            created=self.created + other.created,
            updated=self.updated + other.updated,
            moved=self.moved + other.moved,
            unchanged=self.unchanged + other.unchanged,
        )


class WriteSummary(Model):
    """Created/updated/unchanged counts per label and relationship type."""

    source_id: str
    counts: dict[str, Counts]
    # Entities deleted because a redirect now sends their id to another one.
    retired: int = 0
    # Values the source gives that differ from a curator's, which were kept.
    clashes: tuple[str, ...] = ()

    @property
    def created(self) -> int:
        return sum(c.created for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.counts.values())


class GraphBatch:
    """Everything one source contributes, gathered before anything is written."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.nodes: dict[Label, dict[str, NodeRow]] = {}
        self.relationships: dict[
            RelationshipSpec, dict[tuple[str, str, str | None], RelationshipRow]
        ] = {}
        # What the reader of an ingest should know that is not an error (e.g. a repeated row).
        self.notes: list[str] = []

    def add_node(self, label: Label, row: NodeRow) -> None:
        """Add a node; a second row with the same id replaces the first's properties."""
        self.nodes.setdefault(label, {})[row.id] = row

    def add_relationship(self, spec: RelationshipSpec, row: RelationshipRow) -> None:
        identity = (row.start_id, row.end_id, row.key)
        self.relationships.setdefault(spec, {}).setdefault(identity, row)

    def has_node(self, label: Label, node_id: str) -> bool:
        return node_id in self.nodes.get(label, {})

    def relationship_rows(self, spec: RelationshipSpec) -> list[RelationshipRow]:
        return list(self.relationships.get(spec, {}).values())

    def row_count(self) -> int:
        """Nodes plus relationships: the rows a write sends."""
        nodes = sum(len(rows) for rows in self.nodes.values())
        return nodes + sum(len(rows) for rows in self.relationships.values())


# -- Cypher ------------------------------------------------------------------------------------

MERGE_SOURCE: LiteralString = """
MERGE (s:Source {id: $source.id})
WITH s, s.checksum IS NULL AS created, s.checksum IS NOT NULL AND s.checksum <> $source.checksum AS updated
FOREACH (_ IN CASE WHEN created OR updated THEN [1] ELSE [] END |
  SET s += $source, s.ingestedAt = datetime())
RETURN created, updated
"""


def merge_nodes_query(label: Label) -> LiteralString:
    """MERGE nodes by id, setting properties only where they differ; returns counts.

    A node MERGE has just created holds nothing but its `id`: that is how it is counted.
    """
    return (
        "MATCH (s:Source {id: $sourceId}) "
        "UNWIND $rows AS row "
        f"MERGE (n:{label.value} {{id: row.id}}) "
        "WITH s, n, row, keys(n) = ['id'] AS created, any(key IN keys(row.properties) "
        "  WHERE (n[key] IS NULL) <> (row.properties[key] IS NULL) "
        "     OR n[key] <> row.properties[key]) AS differs "
        "FOREACH (_ IN CASE WHEN differs THEN [1] ELSE [] END | SET n += row.properties) "
        f"MERGE (n)-[p:{Rel.SOURCED_FROM.value}]->(s) "
        "ON CREATE SET p.location = row.location "
        "WITH created, differs, p, row, p.location <> row.location AS moved "
        "FOREACH (_ IN CASE WHEN moved THEN [1] ELSE [] END | SET p.location = row.location) "
        "RETURN sum(toInteger(created)) AS created, "
        "sum(toInteger(differs AND NOT created)) AS updated, "
        "sum(toInteger(moved AND NOT differs AND NOT created)) AS moved, count(*) AS total"
    )


def merge_relationships_query(spec: RelationshipSpec) -> LiteralString:
    """MERGE relationships between nodes found by id.

    Each relationship keeps a `provenance` list with one "source-id#location" entry per source
    that states it, so several sources can confirm one fact without overwriting each other; a
    relationship without one is new.
    """
    key_pattern: LiteralString = (
        f" {{{spec.key_property}: row.key}}" if spec.key_property is not None else ""
    )
    return (
        "UNWIND $rows AS row "
        f"MATCH (a:{spec.start.value} {{id: row.start_id}}) "
        f"MATCH (b:{spec.end.value} {{id: row.end_id}}) "
        f"MERGE (a)-[r:{spec.type.value}{key_pattern}]->(b) "
        "WITH r, row, r.provenance IS NULL AS created "
        "WITH r, row, created, "
        "  any(key IN keys(row.properties) "
        "    WHERE (r[key] IS NULL) <> (row.properties[key] IS NULL) "
        "       OR r[key] <> row.properties[key]) AS changed, "
        "  NOT created AND NOT row.stated IN r.provenance AS restated, "
        "  any(entry IN coalesce(r.provenance, []) WHERE entry STARTS WITH $sourcePrefix) "
        "    AS stated_before "
        "FOREACH (_ IN CASE WHEN created OR changed OR restated THEN [1] ELSE [] END | "
        "  SET r += row.properties, r.provenance = "
        "    [entry IN coalesce(r.provenance, []) WHERE NOT entry STARTS WITH $sourcePrefix]"
        "    + row.stated) "
        "RETURN sum(toInteger(created)) AS created, "
        "sum(toInteger(NOT created AND (changed OR (restated AND NOT stated_before)))) AS updated, "
        "sum(toInteger(restated AND stated_before AND NOT changed)) AS moved, count(*) AS total"
    )


# -- running -----------------------------------------------------------------------------------


async def _counts(tx: AsyncManagedTransaction, query: LiteralString, **params: Any) -> Counts:
    result = await tx.run(query, params)
    record = await result.single(strict=True)
    created, updated, moved = int(record["created"]), int(record["updated"]), int(record["moved"])
    unchanged = int(record["total"]) - created - updated - moved
    return Counts(created=created, updated=updated, moved=moved, unchanged=unchanged)


def _chunks(rows: Sequence[Mapping[str, Any]], size: int) -> list[Sequence[Mapping[str, Any]]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]


Progress = Callable[[str, int, int], None]


async def write_batch(
    database: Database,
    batch: GraphBatch,
    *,
    dry_run: bool = False,
    chunk_size: int = 5000,
    progress: Progress | None = None,
) -> WriteSummary:
    """Write `batch` in one write transaction: every row of the source lands, or none does.

    With `dry_run` the transaction runs and is rolled back, so the counts say what would change.
    `progress(source_id, rows_written, rows_total)` is called after each chunk.
    """
    total_rows = batch.row_count()

    def report(done: int) -> None:
        if progress is not None:
            progress(batch.source.id, done, total_rows)

    source_properties = batch.source.model_dump(exclude_none=True)

    async def work(tx: AsyncManagedTransaction) -> WriteSummary:
        done = 0
        clashes: list[str] = []
        ingested: list[tuple[Label, str, list[FieldChange]]] = []
        result = await tx.run(MERGE_SOURCE, {"source": source_properties})
        record = await result.single(strict=True)
        counts: dict[str, Counts] = {
            Label.SOURCE.value: Counts(
                created=int(record["created"]),
                updated=int(record["updated"] and not record["created"]),
                unchanged=int(not record["created"] and not record["updated"]),
            )
        }
        guard = await read_guard(
            tx, {label: list(rows_by_id) for label, rows_by_id in batch.nodes.items()}
        )
        for label, rows_by_id in batch.nodes.items():
            total = Counts()
            rows = _guarded_nodes(
                guard, label, rows_by_id.values(), batch.source.path, clashes=clashes,
                ingested=ingested,
            )  # fmt: skip
            for chunk in _chunks(rows, chunk_size):
                total += await _counts(
                    tx, merge_nodes_query(label), rows=chunk, sourceId=batch.source.id
                )
                done += len(chunk)
                report(done)
            counts[label.value] = total
        for label, entity_id, changes in ingested:
            await record_ingested(tx, label, entity_id, changes, batch.source.id)
        for spec, rows_by_identity in batch.relationships.items():
            total = Counts()
            prefix = f"{batch.source.id}#"
            rows = [
                {**row, "stated": prefix + row["location"]}
                for row in _guarded_relationships(guard, spec, rows_by_identity.values())
            ]
            for chunk in _chunks(rows, chunk_size):
                total += await _counts(
                    tx, merge_relationships_query(spec), rows=chunk, sourcePrefix=prefix
                )
                done += len(chunk)
                report(done)
            expected = len(rows)
            matched = total.created + total.updated + total.moved + total.unchanged
            if matched != expected:
                raise MissingEndpointError(batch.source.path, spec, expected - matched)
            counts[spec.type.value] = counts.get(spec.type.value, Counts()) + total
        redirects = batch.nodes.get(Label.REDIRECT, {})
        retired = await retire_redirected(
            tx, [{k: str(v) for k, v in row.properties.items()} for row in redirects.values()]
        )
        return WriteSummary(
            source_id=batch.source.id, counts=counts, retired=retired, clashes=tuple(clashes)
        )

    if dry_run:
        return await database.write_and_roll_back(work)
    return await database.write(work)


def _guarded_nodes(
    guard: Guard,
    label: Label,
    rows: Iterable[NodeRow],
    path: str,
    *,
    clashes: list[str],
    ingested: list[tuple[Label, str, list[FieldChange]]],
) -> list[dict[str, Any]]:
    """Rows to write: none for retracted or merged entities, and no field a curator has set.

    Changes to the other fields of a curated entity are collected in `ingested` for its history.
    """
    kept: list[dict[str, Any]] = []
    for row in rows:
        if guard.node_id(label, row.id) != row.id:
            continue
        owned = guard.curated_fields(label, row.id)
        properties = row.properties
        if owned:
            current = guard.current.get(label, {}).get(row.id, {})
            clashes.extend(
                f"{path}: {row.location}: {label.value} {row.id}: {key}: kept the curators' value"
                for key in sorted(owned & properties.keys())
                if properties[key] != current.get(key)
            )
            properties = {k: v for k, v in properties.items() if k not in owned}
            changes = [
                FieldChange(field=key, before=current.get(key), after=value)
                for key, value in sorted(properties.items())
                if current.get(key) != value
            ]
            if changes:
                ingested.append((label, row.id, changes))
        kept.append({**row.model_dump(), "properties": properties})
    return kept


def _guarded_relationships(
    guard: Guard, spec: RelationshipSpec, rows: Iterable[RelationshipRow]
) -> list[dict[str, Any]]:
    """Rows to write: onto the entity a merged one moved to; none a curator has taken charge of."""
    outgoing = relation_of(spec.start, spec.end, spec.type.value, outgoing=True)
    incoming = relation_of(spec.end, spec.start, spec.type.value, outgoing=False)
    kept: list[dict[str, Any]] = []
    for row in rows:
        start = guard.node_id(spec.start, row.start_id)
        end = guard.node_id(spec.end, row.end_id)
        if start is None or end is None:
            continue
        if outgoing and guard.owns_relation(spec.start, start, outgoing):
            continue
        if incoming and guard.owns_relation(spec.end, end, incoming):
            continue
        kept.append({**row.model_dump(), "start_id": start, "end_id": end})
    return kept


class MissingEndpointError(Exception):
    """A relationship row named a node that neither the graph nor the batch holds."""

    def __init__(self, path: str, spec: RelationshipSpec, missing: int) -> None:
        super().__init__(
            f"{path}: {missing} {spec.type.value} relationship(s) point at {spec.start.value} or "
            f"{spec.end.value} nodes the graph does not hold (ingest their sources first)"
        )
