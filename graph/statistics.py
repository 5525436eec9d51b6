"""The graph's own sizes: nodes per label (and per filter value), fan-out per relationship, bytes per property."""

import json
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


def _key(spec: RelationshipSpec, direction: Direction) -> str:
    return f"{spec.start}|{spec.type}|{spec.end}|{direction}"


def _fanout_part(spec: RelationshipSpec, direction: Direction) -> LiteralString:
    # Labels and types come from the vocabulary's enums, never from input (house rule 1).
    node, other = (spec.start, spec.end) if direction is Direction.OUT else (spec.end, spec.start)
    arrow = (
        f"-[:`{spec.type}`]->(:`{other}`)"
        if direction is Direction.OUT
        else f"<-[:`{spec.type}`]-(:`{other}`)"
    )
    return (
        f"MATCH (n:`{node}`) WITH COUNT {{ (n){arrow} }} AS d "
        f"RETURN '{_key(spec, direction)}' AS key, coalesce(avg(d), 0.0) AS average, "
        "coalesce(percentileDisc(d, 0.95), 0) AS p95, sum(d) AS total"
    )


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
    fanouts = await database.read(
        " UNION ALL ".join(
            _fanout_part(spec, direction) for spec in READ_RELATIONSHIPS for direction in Direction
        )
    )
    samples = await database.read(
        " UNION ALL ".join(_sample_part(label) for label in ENTITY_LABELS)
    )
    values = await database.read(
        " UNION ALL ".join(_values_part(label, name) for label, name in FILTER_PROPERTIES)
    )
    by_key = {
        _key(spec, direction): (spec, direction)
        for spec in READ_RELATIONSHIPS
        for direction in Direction
    }
    found: dict[tuple[Label, RelationshipSpec, Direction], Fanout] = {}
    for row in fanouts:
        spec, direction = by_key[row["key"]]
        start = spec.start if direction is Direction.OUT else spec.end
        found[(start, spec, direction)] = Fanout(
            float(row["average"]), int(row["p95"]), int(row["total"])
        )
    return GraphStatistics(
        nodes=counts,
        fanouts=found,
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
