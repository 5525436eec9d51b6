"""No request can stall the service: a deadline on every request, on the whole seeded graph."""

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from graphql import parse
from neo4j import Driver
from neo4j.exceptions import Neo4jError

from api.encoding import encoded_body
from api.query_cost import Estimate, operation_estimate
from api.schema import build_schema
from graph.database import Database, is_timed_out
from graph.identifiers import schemes_of
from graph.statistics import GraphStatistics
from graph.vocabulary import Label
from ogkg.settings import Settings
from tests.conftest import GraphForTests, every_seed_loaded, start_server

# ~77k objects through the resolvers on the seed graph: seconds of work, far past 0.2 s.
FAN_OUT = "{ commitments { actionPlan { commitments { code title lessons { statement } } } } }"
# The fan-out twice over: millions of rows however fast the machine, so it always overruns.
DEEP_FAN_OUT = (
    "{ commitments { actionPlan { commitments { actionPlan { commitments { code title "
    "lessons { statement } } } } } } }"
)
# Three commitments' worth of cross product per commitment: billions of rows inside Neo4j.
HEAVY_CYPHER = (
    "MATCH (a:Commitment), (b:Commitment), (c:Commitment) "
    "WHERE a.title < b.title AND b.title < c.title RETURN count(*) AS rows"
)
SHORT_DEADLINE = 0.2
# For the HTTP test: short beside the ~10 s the fan-out takes, long enough for the follow-up
# request to open a fresh Neo4j connection on a loaded machine (the cancelled read's is dropped).
REQUEST_DEADLINE = 1.0
LIGHT = '{ body(id: "no-such-body") { id } }'


@pytest.fixture(scope="module")
def seeded(settings: Settings, sync_driver: Driver) -> Iterator[GraphForTests]:
    yield every_seed_loaded(settings, sync_driver)


@pytest.fixture(scope="module")
def hurried_url(settings: Settings, seeded: GraphForTests) -> Iterator[str]:
    """A server with a short deadline and no cost limit to speak of, so heavy work is admitted."""
    running = start_server(
        settings.model_copy(
            update={
                "request_timeout": REQUEST_DEADLINE,
                "max_query_cost": 10_000_000,
                "max_response_bytes": 10_000_000_000,
            }
        )
    )
    try:
        # The first requests wait for the graph's statistics (measured once, past the deadline
        # on a busy machine, as a task of its own that a request's deadline does not cancel).
        wait_until_answering(running.url)
        yield running.url
    finally:
        running.stop()


def wait_until_answering(url: str) -> None:
    deadline = time.monotonic() + 120
    with httpx.Client(timeout=30) as client:
        while time.monotonic() < deadline:
            response = client.post(f"{url}/graphql", json={"query": LIGHT})
            if response.status_code == 200:
                return
            time.sleep(0.5)
    raise AssertionError("the server never answered within its deadline")


def _timed_get(client: httpx.Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, response.text
    return time.perf_counter() - started


def test_a_request_past_its_deadline_ends_with_timeout_while_health_answers(
    hurried_url: str,
) -> None:
    outcome: dict[str, Any] = {}

    def heavy() -> None:
        started = time.perf_counter()
        with httpx.Client(timeout=60) as client:
            response = client.post(f"{hurried_url}/graphql", json={"query": DEEP_FAN_OUT})
        outcome["seconds"] = time.perf_counter() - started
        outcome["response"] = response

    thread = threading.Thread(target=heavy)
    thread.start()
    health_seconds: list[float] = []
    with httpx.Client(timeout=30) as client:
        while thread.is_alive():
            health_seconds.append(_timed_get(client, f"{hurried_url}/health"))
            time.sleep(0.01)
    thread.join()
    response: httpx.Response = outcome["response"]
    assert response.status_code == 504, response.text
    body = response.json()
    assert body.get("data") is None
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "TIMEOUT"
    assert "deadline of 1 s" in error["message"]
    # Stopped near its deadline, not after the ~10 s the whole answer takes.
    assert outcome["seconds"] < REQUEST_DEADLINE + 2.0, outcome
    assert health_seconds and max(health_seconds) < 0.5, health_seconds
    # The server goes on answering requests that need Neo4j (the cancelled read's connection was
    # dropped, so the first may open a new one).
    answers: list[tuple[int, float]] = []
    with httpx.Client(timeout=30) as client:
        while len(answers) < 5:
            started = time.perf_counter()
            after = client.post(f"{hurried_url}/graphql", json={"query": LIGHT})
            answers.append((after.status_code, time.perf_counter() - started))
    print("follow-up requests (status, seconds):", answers)
    assert [status for status, _ in answers[1:]] == [200] * 4, answers


def test_neo4j_ends_a_read_that_runs_past_the_timeout(seeded: GraphForTests) -> None:
    async def work(database: Database) -> BaseException | None:
        hurried = Database(database.driver, database.name, read_timeout=SHORT_DEADLINE)
        try:
            await hurried.read(HEAVY_CYPHER)
        except Neo4jError as error:
            return error
        return None

    started = time.perf_counter()
    error = seeded.run(work)
    assert error is not None and is_timed_out(error), error
    assert time.perf_counter() - started < 5.0
    still_running = seeded.query(
        "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS $text "
        "RETURN count(*) AS running",
        text="b.title < c.title",
    )
    assert still_running == [{"running": 0}]


def test_a_cancelled_read_leaves_no_transaction_running(seeded: GraphForTests) -> None:
    """The request deadline cancels the read in flight; Neo4j does not go on with it."""

    async def work(database: Database) -> None:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(SHORT_DEADLINE):
                await database.read(HEAVY_CYPHER)

    seeded.run(work)
    deadline = time.monotonic() + 5
    running = -1
    while time.monotonic() < deadline:
        running = seeded.value(
            "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS $text "
            "RETURN count(*) AS running",
            text="b.title < c.title",
        )
        if running == 0:
            break
        time.sleep(0.1)
    assert running == 0


# The "natural dashboard query": every plan's commitments with leads and partners, plus
# all bodies and jurisdictions.
DASHBOARD = """{
  actionPlans { id title commitments { id code title leads { id name }
    partners { role body { id name } } } }
  bodies { id name kind }
  jurisdictions { id name }
}"""


@pytest.fixture(scope="module")
def patient_url(settings: Settings, seeded: GraphForTests) -> Iterator[str]:
    """A server with the default limits and a deadline long enough for a busy test machine."""
    running = start_server(settings.model_copy(update={"request_timeout": 300.0}))
    try:
        yield running.url
    finally:
        running.stop()


def objects_in(value: Any) -> int:
    """How many objects (JSON objects) an answer holds."""
    if isinstance(value, dict):
        return 1 + sum(objects_in(item) for item in value.values())
    if isinstance(value, list):
        return sum(objects_in(item) for item in value)
    return 0


def test_a_list_costs_what_the_graph_holds(seeded: GraphForTests, patient_url: str) -> None:
    with httpx.Client(timeout=300) as client:
        body = client.post(f"{patient_url}/graphql", json={"query": "{ commitments { id } }"})
    assert body.json()["extensions"]["cost"]["objects"] == seeded.value(
        "MATCH (c:Commitment) RETURN count(c)"
    )


def test_a_filtered_list_and_its_identifiers_cost_what_they_hold(
    seeded: GraphForTests, patient_url: str
) -> None:
    query = "{ bodies(kind: UK_DEPARTMENT) { id identifiers { scheme value } } }"
    with httpx.Client(timeout=300) as client:
        body = client.post(f"{patient_url}/graphql", json={"query": query}).json()
    assert "errors" not in body, body
    departments = seeded.value("MATCH (b:Body {kind: 'uk_department'}) RETURN count(b)")
    assert len(body["data"]["bodies"]) == departments
    identifiers = sum(len(b["identifiers"]) for b in body["data"]["bodies"])
    schemes = len(schemes_of(Label.BODY))
    # The departments, and at most every body scheme's identifier for each: not all 6k bodies.
    assert departments + identifiers <= body["extensions"]["cost"]["objects"]
    assert body["extensions"]["cost"]["objects"] == departments * (1 + schemes)


def test_the_dashboard_query_runs_and_its_estimate_is_near_its_size(patient_url: str) -> None:
    with httpx.Client(timeout=300) as client:
        response = client.post(f"{patient_url}/graphql", json={"query": DASHBOARD})
    assert response.status_code == 200, response.text[:500]
    body = response.json()
    assert "errors" not in body, body.get("errors")
    built = objects_in(body["data"]) - 1  # the `data` object itself is not asked for
    estimate = body["extensions"]["cost"]
    assert len(body["data"]["bodies"]) > 1000 and built > 5000
    assert built / 2 <= estimate["objects"] <= built * 2, (built, estimate)
    assert len(response.content) / 4 <= estimate["bytes"] <= len(response.content) * 4


def test_the_fan_out_query_is_refused_before_anything_runs(patient_url: str) -> None:
    with httpx.Client(timeout=60) as client:
        response = client.post(f"{patient_url}/graphql", json={"query": FAN_OUT})
    assert response.status_code == 200
    body = response.json()
    assert body.get("data") is None
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert error["extensions"]["cost"]["objects"] > 25_000
    assert "`commitments.actionPlan.commitments`" in error["message"]
    assert "commitmentsConnection(first: 50)" in error["message"]
    assert body["extensions"]["roundTrips"] == 0


def test_a_large_answer_is_encoded_without_holding_the_loop(patient_url: str) -> None:
    """The real dashboard answer (about 1 MB) comes out the same, and the loop is never held long."""
    with httpx.Client(timeout=300) as client:
        response = client.post(f"{patient_url}/graphql", json={"query": DASHBOARD})
    answer = response.json()
    assert len(response.content) > 500_000

    async def encode_while_watching() -> tuple[bytes, float]:
        loop = asyncio.get_running_loop()
        longest = 0.0

        async def watch() -> None:
            nonlocal longest
            while True:
                started = loop.time()
                await asyncio.sleep(0.001)
                longest = max(longest, loop.time() - started - 0.001)

        watcher = asyncio.create_task(watch())
        await asyncio.sleep(0.01)
        encoded = await encoded_body(answer)
        watcher.cancel()
        return b"".join(encoded.pieces), longest

    text, longest_hold = asyncio.run(encode_while_watching())
    assert json.loads(text) == answer
    print(
        f"longest hold of the loop while encoding {len(text):,} bytes: {longest_hold * 1000:.1f} ms"
    )
    assert longest_hold < 0.1  # ~5 ms slices; the rest is a busy 2-core machine scheduling


def test_only_operations_that_ask_the_graph_wait_for_its_statistics() -> None:
    schema = build_schema()._schema
    empty = GraphStatistics()

    def estimate(query: str) -> Estimate:
        return operation_estimate(schema, empty, parse(query), None, {})

    assert not estimate("{ viewer { subject roles } }").uses_statistics
    assert estimate("{ bodies { id } }").uses_statistics
    assert estimate('{ viewer { subject } commitment(id: "x") { title } }').uses_statistics


def test_a_partner_network_is_at_most_a_page_as_the_cost_model_assumes(
    seeded: GraphForTests, patient_url: str
) -> None:
    busiest = seeded.value(
        "MATCH (b:Body)-[:LEADS|PARTNERS_IN]->(c:Commitment)<-[:LEADS|PARTNERS_IN]-(other:Body) "
        "WHERE other <> b WITH b, count(DISTINCT other) AS partners "
        "ORDER BY partners DESC LIMIT 1 RETURN b.id AS id"
    )
    query = '{ body(id: "%s") { partnerNetwork(first: %d) { sharedCommitments } } }'
    with httpx.Client(timeout=300) as client:
        within = client.post(f"{patient_url}/graphql", json={"query": query % (busiest, 100)})
        past = client.post(f"{patient_url}/graphql", json={"query": query % (busiest, 101)})
    assert within.json()["data"]["body"]["partnerNetwork"]
    errors = past.json()["errors"]
    assert [error["extensions"]["code"] for error in errors] == ["BAD_USER_INPUT"]
    assert "between 1 and 100" in errors[0]["message"]


def test_work_beyond_the_answer_is_priced_before_it_starts(
    seeded: GraphForTests, patient_url: str
) -> None:
    """duplicateBodies compares every body in a country whatever `first` is: each alias pays it."""
    bodies = seeded.value("MATCH (b:Body) RETURN count(b)")
    one = "{ duplicateBodies(first: 1) { reason } }"
    many = (
        "{ " + " ".join(f"d{i}: duplicateBodies(first: 1) {{ reason }}" for i in range(30)) + " }"
    )
    with httpx.Client(timeout=300) as client:
        alone = client.post(f"{patient_url}/graphql", json={"query": one}).json()
        aliased = client.post(f"{patient_url}/graphql", json={"query": many}).json()
    assert alone["data"]["duplicateBodies"] and alone["extensions"]["cost"]["objects"] > bodies
    # Refused before it began: not one body was read, so none of the 18 s of comparisons ran.
    assert aliased.get("data") is None and aliased["extensions"]["roundTrips"] == 0
    (error,) = aliased["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert error["extensions"]["cost"]["objects"] >= 30 * bodies
