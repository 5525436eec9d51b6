"""The cost model's statistics: fan-outs gathered from one pass over degrees equal Neo4j's own per relationship."""

from collections.abc import Iterator
from typing import Any, LiteralString

import pytest
from neo4j import Driver

from graph.statistics import (
    READ_RELATIONSHIPS,
    Direction,
    GraphStatistics,
    graph_statistics,
    percentile_disc,
)
from graph.writes import RelationshipSpec
from ogkg.settings import Settings
from tests.conftest import GraphForTests, every_seed_loaded


@pytest.fixture(scope="module")
def seeded(settings: Settings, sync_driver: Driver) -> Iterator[GraphForTests]:
    yield every_seed_loaded(settings, sync_driver)


def fanout_by_neo4j(
    graph: GraphForTests, spec: RelationshipSpec, direction: Direction
) -> dict[str, Any]:
    """One relationship's fan-out as Neo4j computes it: a COUNT per node, its aggregates."""
    node, other = (spec.start, spec.end) if direction is Direction.OUT else (spec.end, spec.start)
    arrow = (
        f"-[:`{spec.type}`]->(:`{other}`)"
        if direction is Direction.OUT
        else f"<-[:`{spec.type}`]-(:`{other}`)"
    )
    statement: LiteralString = (
        f"MATCH (n:`{node}`) WITH COUNT {{ (n){arrow} }} AS d "
        "RETURN coalesce(avg(d), 0.0) AS average, coalesce(percentileDisc(d, 0.95), 0) AS p95, "
        "sum(d) AS total"
    )
    return graph.query(statement)[0]


def test_every_fanout_equals_neo4js_count_per_node(seeded: GraphForTests) -> None:
    statistics: GraphStatistics = seeded.run(graph_statistics)
    linked = 0
    for spec in READ_RELATIONSHIPS:
        for direction in Direction:
            expected = fanout_by_neo4j(seeded, spec, direction)
            found = statistics.fanout(spec, direction)
            assert found.total == expected["total"], (spec, direction)
            assert found.p95 == expected["p95"], (spec, direction)
            assert found.average == pytest.approx(expected["average"]), (spec, direction)
            linked += found.total > 0
    assert linked >= len(READ_RELATIONSHIPS)  # the seeds hold most of them, both ways


@pytest.mark.parametrize("zeros", [0, 1, 5, 19, 40])
def test_percentile_disc_is_neo4js(seeded: GraphForTests, zeros: int) -> None:
    values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4]
    for percentile in (0.0, 0.5, 0.95, 1.0):
        expected = seeded.value(
            "UNWIND $values AS v RETURN percentileDisc(v, $p) AS p",
            values=[0] * zeros + values,
            p=percentile,
        )
        assert percentile_disc(values, zeros, percentile) == expected, (zeros, percentile)
