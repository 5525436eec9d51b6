"""The graph's own sizes: nodes per label (and per filter value), fan-out per relationship, bytes per property."""

import json
import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import LiteralString

from graph.database import Database
from graph.relationships import (
    BODY_INVOLVED_IN,
    BODY_LEADS,
    BODY_PART_OF,
    BODY_PARTNERS_IN,
    COMMITMENT_HAS_MILESTONE,
    COMMITMENT_HAS_THEME,
    JURISDICTION_PART_OF,
    LESSON_ABOUT_COMMITMENT,
    LESSON_ABOUT_PLAN,
    LESSON_ABOUT_PRACTICE,
    LESSON_APPLIES_TO,
    LESSON_HAS_THEME,
    PLAN_HAS_COMMITMENT,
    PRACTICE_APPLIED_IN,
    PRACTICE_HAS_THEME,
    PRACTICE_PRACTISED_IN,
    PRACTICE_USES_STANDARD,
    THEME_BROADER,
)
from graph.vocabulary import INTERNAL_LABELS, Label
from graph.writes import RelationshipSpec

# The relationships reads follow from one entity to a list of others.
READ_RELATIONSHIPS: tuple[RelationshipSpec, ...] = (
    PLAN_HAS_COMMITMENT,
    BODY_LEADS,
    BODY_PARTNERS_IN,
    COMMITMENT_HAS_THEME,
    COMMITMENT_HAS_MILESTONE,
    JURISDICTION_PART_OF,
    THEME_BROADER,
    PRACTICE_APPLIED_IN,
    PRACTICE_PRACTISED_IN,
    PRACTICE_USES_STANDARD,
    PRACTICE_HAS_THEME,
    BODY_INVOLVED_IN,
    BODY_PART_OF,
    LESSON_ABOUT_COMMITMENT,
    LESSON_ABOUT_PRACTICE,
    LESSON_ABOUT_PLAN,
    LESSON_HAS_THEME,
    LESSON_APPLIES_TO,
)
ENTITY_LABELS = tuple(label for label in Label if label not in INTERNAL_LABELS)
# Properties a root list may be filtered by (`bodies(kind:)`): nodes are counted per value.
FILTER_PROPERTIES: tuple[tuple[Label, LiteralString], ...] = (
    (Label.BODY, "kind"),
    (Label.JURISDICTION, "level"),
)
# Nodes per label whose properties are measured: enough for an average, cheap on any graph.
BYTES_SAMPLE = 200


class Direction(StrEnum):
    OUT = "out"  # from the relationship's start to its end
    IN = "in"  # from its end back to its start


@dataclass(frozen=True)
class Fanout:
    """How many of a relationship one node has: on average, at the 95th percentile, in all."""

    average: float
    p95: int
    total: int


@dataclass(frozen=True)
class GraphStatistics:
    nodes: dict[Label, int] = field(default_factory=dict)
    fanouts: dict[tuple[Label, RelationshipSpec, Direction], Fanout] = field(default_factory=dict)
    # Average bytes of one property value, as JSON, per label.
    property_bytes: dict[Label, float] = field(default_factory=dict)
    # Nodes per value of each filter property: (label, property) -> value -> nodes.
    nodes_by_value: dict[tuple[Label, str], dict[str, int]] = field(default_factory=dict)

    def fanout(self, spec: RelationshipSpec, direction: Direction) -> Fanout:
        start = spec.start if direction is Direction.OUT else spec.end
        return self.fanouts.get((start, spec, direction), Fanout(0.0, 0, 0))


# Every node's degree, once per relationship type and label at the other end, then gathered per
# label of the node: one statement of fixed text for any vocabulary, so Neo4j plans it once (a
# union of a statement per relationship took 10 s to plan on a freshly started server).
DEGREES_OUT: LiteralString = """
MATCH (n)-[r]->(m)
UNWIND labels(m) AS other
WITH n, type(r) AS type, other, count(*) AS degree
UNWIND labels(n) AS label
RETURN label, type, other, collect(degree) AS degrees
"""
DEGREES_IN: LiteralString = """
MATCH (n)<-[r]-(m)
UNWIND labels(m) AS other
WITH n, type(r) AS type, other, count(*) AS degree
UNWIND labels(n) AS label
RETURN label, type, other, collect(degree) AS degrees
"""
P95 = 0.95


def percentile_disc(values: list[int], zeros: int, percentile: float) -> int:
    """Neo4j's `percentileDisc` over `values` and `zeros` more zeros (nodes with no such link)."""
    count = len(values) + zeros
    if count == 0:
        return 0
    index = max(math.ceil(percentile * count) - 1, 0)
    return 0 if index < zeros else sorted(values)[index - zeros]


def fanouts_from_degrees(
    counts: dict[Label, int], degrees: dict[tuple[Direction, str, str, str], list[int]]
) -> dict[tuple[Label, RelationshipSpec, Direction], Fanout]:
    """Each read relationship's fan-out, over every node of its label (those without it count 0)."""
    found: dict[tuple[Label, RelationshipSpec, Direction], Fanout] = {}
    for spec in READ_RELATIONSHIPS:
        for direction in Direction:
            node, other = (
                (spec.start, spec.end) if direction is Direction.OUT else (spec.end, spec.start)
            )
            linked = degrees.get((direction, node.value, spec.type.value, other.value), [])
            nodes = max(counts.get(node, 0), len(linked))
            total = sum(linked)
            found[(node, spec, direction)] = Fanout(
                total / nodes if nodes else 0.0,
                percentile_disc(linked, nodes - len(linked), P95),
                total,
            )
    return found


def _count_part(label: Label) -> LiteralString:
    return f"MATCH (n:`{label}`) RETURN '{label}' AS label, count(n) AS nodes"


def _values_part(label: Label, property: LiteralString) -> LiteralString:
    return (
        f"MATCH (n:`{label}`) WITH n.{property} AS value, count(*) AS nodes "
        f"WHERE value IS NOT NULL RETURN '{label}' AS label, '{property}' AS property, "
        "collect([toString(value), nodes]) AS counts"
    )


def _sample_part(label: Label) -> LiteralString:
    return (
        f"CALL () {{ MATCH (n:`{label}`) RETURN n LIMIT {BYTES_SAMPLE} }} "
        f"RETURN '{label}' AS label, collect(properties(n)) AS sample"
    )


def _average_property_bytes(sample: list[dict[str, object]]) -> float:
    values = [value for properties in sample for value in properties.values()]
    if not values:
        return 0.0
    return sum(len(json.dumps(value, default=str)) for value in values) / len(values)


async def node_counts(database: Database) -> dict[Label, int]:
    """Nodes per entity label, from the count store: cheap enough to ask often."""
    rows = await database.read(" UNION ALL ".join(_count_part(label) for label in ENTITY_LABELS))
    return {Label(row["label"]): int(row["nodes"]) for row in rows}


async def graph_statistics(database: Database) -> GraphStatistics:
    """Counts from Neo4j's count store, fan-outs from node degrees, bytes from a small sample."""
    counts = await node_counts(database)
    degrees: dict[tuple[Direction, str, str, str], list[int]] = {}
    for direction, statement in ((Direction.OUT, DEGREES_OUT), (Direction.IN, DEGREES_IN)):
        for row in await database.read(statement):
            key = (direction, row["label"], row["type"], row["other"])
            degrees[key] = [int(degree) for degree in row["degrees"]]
    samples = await database.read(
        " UNION ALL ".join(_sample_part(label) for label in ENTITY_LABELS)
    )
    values = await database.read(
        " UNION ALL ".join(_values_part(label, name) for label, name in FILTER_PROPERTIES)
    )
    return GraphStatistics(
        nodes=counts,
        fanouts=fanouts_from_degrees(counts, degrees),
        property_bytes={
            Label(row["label"]): _average_property_bytes(row["sample"]) for row in samples
        },
        nodes_by_value={
            (Label(row["label"]), str(row["property"])): {
                str(value): int(nodes) for value, nodes in row["counts"]
            }
            for row in values
        },
    )
