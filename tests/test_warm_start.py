"""A warm start: the statistics the cost model reads, the warm-up before ready, the pages it visits."""

import io
import logging
import re
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any, LiteralString

import httpx
import pytest
from neo4j import Driver
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from api.logs import JsonLogFormatter
from api.warm_up import SAMPLES, explorer_pages
from graph.statistics import (
    READ_RELATIONSHIPS,
    Direction,
    GraphStatistics,
    graph_statistics,
    percentile_disc,
)
from graph.writes import RelationshipSpec
from ogkg.settings import Settings
from tests.conftest import GraphForTests, every_seed_loaded, start_server


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


class MetaDescriptions(HTMLParser):
    """The content of every `<meta name="description">` of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "meta" and named.get("name") == "description":
            self.found.append(named.get("content") or "")


@pytest.fixture
def access_log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLogFormatter())
    logger = logging.getLogger("ogkg.access")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def requests_counted(url: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(httpx.get(f"{url}/metrics").text)
        for sample in family.samples
        if sample.name == "ogkg_http_requests_total"
    )


def test_the_warm_up_prepares_the_explorers_reads_unseen_and_uncounted(
    seeded: GraphForTests, settings: Settings, access_log: io.StringIO
) -> None:
    app = create_app(settings.model_copy(update={"warm_up": True}))
    running = start_server(settings, app)
    try:
        # Ready once the first pages are warm: their reads are priced (so measured) and kept...
        assert len(app.state.prepared_reads) >= 1
        assert app.state.prepared_reads.hits > 0  # the second round was answered from them
        # ...and the other pages follow in the background.
        deadline = time.monotonic() + 120
        while not app.state.warming.done() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert app.state.warming.done() and app.state.warming.exception() is None
        assert len(app.state.prepared_reads) >= 8
        assert access_log.getvalue() == ""  # none of its requests was logged...
        assert requests_counted(running.url) == 0  # ...or counted (the scrape itself comes after)
        hits = app.state.prepared_reads.hits
        home = httpx.get(f"{running.url}/", timeout=30)
        assert home.status_code == 200
        assert app.state.prepared_reads.hits > hits  # the visit was answered from the kept plans
        logged = access_log.getvalue().splitlines()
        assert [line for line in logged if '"level": "info"' in line and '"path": "/"' in line]
        assert all('"level": "debug"' in line for line in logged if "/graphql" in line)
    finally:
        running.stop()


def test_every_explorer_page_has_its_own_meta_description(
    seeded: GraphForTests, api_url: str, http: httpx.Client
) -> None:
    samples = http.post(f"{api_url}/graphql", json={"query": SAMPLES}).json()["data"]
    pages = [*explorer_pages(samples), "/commitments/no-such-commitment", "/coordinator/sign-in"]
    assert len(pages) >= 12
    descriptions = {}
    for page in pages:
        answer = http.get(f"{api_url}{page}")
        parser = MetaDescriptions()
        parser.feed(answer.text)
        assert len(parser.found) == 1, (page, parser.found)
        description = parser.found[0]
        assert 40 <= len(description) <= 160, (page, description)
        assert not re.search(r"None|\{|\}", description), (page, description)
        descriptions[page] = description
    entity_pages = [page for page in pages if page.count("/") == 2 and "no-such" not in page]
    assert len({descriptions[page] for page in entity_pages}) == len(entity_pages)
